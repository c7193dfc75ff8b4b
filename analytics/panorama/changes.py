"""What changed between two editions, project by project, and French sentences an analyst can paste in a note.

`compute_movements` classifies the projects (entrants, leavers, continuing) and finds a leaver's last
published figures; this module puts the three in one frame with the published names of both editions (the
keys of the rows behind every figure), Δ duration, phase and ministry moves and the € impact on the total,
sorted by that impact. Drifts are "drift since first publication" (see `analytics.panorama.drift`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.formatting import display_round, format_meur, format_month, format_number, format_pct, format_years
from analytics.panorama.drift import require_drift_columns
from analytics.panorama.movements import Frame, Movements, compute_movements

ChangeKind = Literal["entrant", "leaver", "continuing"]
CHANGE_KINDS: tuple[str, ...] = ("entrant", "leaver", "continuing")
ChangeKindEnum = pl.Enum(list(CHANGE_KINDS))
CHANGE_KIND_FR: dict[str, str] = {
    "entrant": "Entrant",
    "leaver": "Sortant",
    "continuing": "Présent dans les deux éditions",
}

CHANGES_METHOD_FR = (
    "Les projets sont rapprochés d'une édition à l'autre par leur identifiant stable (les noms publiés "
    "changent). Impact sur le coût total : pour un entrant, son coût dans l'édition d'arrivée ; pour un "
    "sortant, moins son coût dans l'édition de départ ; pour un projet présent dans les deux, la variation "
    "de son coût. Un coût non publié dans l'une des éditions rend l'impact inconnu (jamais compté comme "
    "zéro) : ces projets sont listés en dernier. Chaque ligne garde le nom et le ministère tels que publiés "
    "dans chaque édition, pour retrouver les lignes des tableaux d'origine."
)

# Per-edition column -> its name on each side ("{}" is "from" or "to").
_SIDE_COLUMNS: dict[str, str] = {
    "project_name": "project_name_{}",
    "ministry_name": "ministry_name_{}",
    "ministry_id": "ministry_id_{}",
    "ministry_label": "ministry_label_{}",
    "phase": "phase_{}",
    "cost_meur": "cost_{}_meur",
    "duration_years": "duration_{}_years",
    "budget_drift": "budget_drift_{}",
    "schedule_drift": "schedule_drift_{}",
    "baseline_cost_meur": "baseline_cost_meur_{}",
    "baseline_cost_edition": "baseline_cost_edition_{}",
}
# Below this (M€, years), a change does not show at one decimal: nothing to write.
_VISIBLE = 0.05


def months_between(earlier: date, later: date) -> int:
    """Whole months from one edition month to another: 2021-07 -> 2021-11 is 4."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def format_months(months: int) -> str:
    """`6` -> `6 mois` (« mois » is invariable), for sentences and the page's header."""
    return f"{format_number(months, 0)} mois"


def _side(lf: pl.LazyFrame, edition: date, side: str) -> pl.LazyFrame:
    """The rows of one edition, their columns suffixed by side ("from" or "to")."""
    return lf.filter(pl.col("edition") == edition).select(
        "project_id", *(pl.col(column).alias(name.format(side)) for column, name in _SIDE_COLUMNS.items())
    )


def _classified(movements: Movements) -> pl.LazyFrame:
    """One row per project of either edition with its kind and what only `compute_movements` knows."""
    return pl.concat(
        [
            movements.entrants.lazy().select(
                "project_id", pl.lit("entrant").alias("kind"), "first_edition", "returning"
            ),
            movements.leavers.lazy().select(
                "project_id",
                pl.lit("leaver").alias("kind"),
                "last_known_cost_meur",
                "last_known_cost_edition",
                "last_known_budget_drift",
                "last_known_schedule_drift",
            ),
            movements.continuing.lazy().select(
                "project_id", pl.lit("continuing").alias("kind"), "cost_change_meur", "cost_change"
            ),
        ],
        how="diagonal",
    ).with_columns(pl.col("kind").cast(ChangeKindEnum))


def _both_known_and_different(column: str) -> pl.Expr:
    before, after = pl.col(f"{column}_from"), pl.col(f"{column}_to")
    return pl.when(pl.col("kind") == "continuing").then((before != after).fill_null(False))


CHANGE_COLUMNS: tuple[str, ...] = (
    "kind",
    "project_id",
    "project_name",
    "ministry_id",
    "ministry_label",
    "from_edition",
    "to_edition",
    "impact_meur",
    "project_name_from",
    "ministry_name_from",
    "project_name_to",
    "ministry_name_to",
    "ministry_label_from",
    "ministry_changed",
    "transfer_ministry_label",
    "phase_from",
    "phase_to",
    "phase_moved",
    "cost_from_meur",
    "cost_to_meur",
    "cost_change_meur",
    "cost_change",
    "duration_from_years",
    "duration_to_years",
    "duration_change_years",
    "budget_drift_from",
    "budget_drift_to",
    "schedule_drift_from",
    "schedule_drift_to",
    "baseline_cost_meur",
    "baseline_cost_edition",
    "first_edition",
    "returning",
    "last_known_cost_meur",
    "last_known_cost_edition",
    "last_known_budget_drift",
    "last_known_schedule_drift",
)


@dataclass(frozen=True)
class EditionComparison:
    """Every project of two editions, one row each (`CHANGE_COLUMNS`), largest € impact first.

    `from_edition`/`to_edition` with `project_name_*`/`ministry_name_*` are the keys of the published rows
    behind each figure (the crosswalk key); `baseline_cost_edition` is the row behind a drift.
    """

    from_edition: date
    to_edition: date
    months: int
    changes: pl.DataFrame

    def of_kind(self, kind: ChangeKind) -> pl.DataFrame:
        return self.changes.filter(pl.col("kind") == kind)

    @property
    def entrants(self) -> pl.DataFrame:
        return self.of_kind("entrant")

    @property
    def leavers(self) -> pl.DataFrame:
        return self.of_kind("leaver")

    @property
    def continuing(self) -> pl.DataFrame:
        return self.of_kind("continuing")

    @property
    def phase_moves(self) -> pl.DataFrame:
        return self.changes.filter(pl.col("phase_moved"))


def _transfer_label() -> pl.Expr:
    """Ministry that held an entrant before (or holds a leaver after) when it was elsewhere in `whole`."""
    kind = pl.col("kind")
    moved_in = (kind == "entrant") & (pl.col("__whole_ministry_from") != pl.col("ministry_id"))
    moved_out = (kind == "leaver") & (pl.col("__whole_ministry_to") != pl.col("ministry_id"))
    return (
        pl.when(moved_in.fill_null(False))
        .then(pl.col("__whole_label_from"))
        .when(moved_out.fill_null(False))
        .then(pl.col("__whole_label_to"))
        .alias("transfer_ministry_label")
    )


def _whole_side(whole: pl.LazyFrame, edition: date, side: str) -> pl.LazyFrame:
    return whole.filter(pl.col("edition") == edition).select(
        "project_id",
        pl.col("ministry_id").alias(f"__whole_ministry_{side}"),
        pl.col("ministry_label").alias(f"__whole_label_{side}"),
    )


def compare_editions(
    df_all: Frame, from_edition: date, to_edition: date, whole: Frame | None = None
) -> EditionComparison:
    """Compare two editions (earlier first) of a possibly filtered subset carrying the drift columns.

    Impact: + cost of an entrant, − cost of a leaver in `from_edition`, Δ cost of a continuing project;
    null when a cost is withheld. Sorted by |impact| (unknown last), then project name. With `whole` (the
    unfiltered panorama) and a subset by ministry, `transfer_ministry_label` names the ministry an entrant
    came from or a leaver went to, when it did not enter or leave the panorama itself.
    """
    movements = compute_movements(df_all, from_edition, to_edition)
    lf = require_drift_columns(df_all, "Évolutions entre éditions")
    context = (whole if whole is not None else df_all).lazy()
    kind = pl.col("kind")
    changes = (
        _classified(movements)
        .join(_side(lf, from_edition, "from"), on="project_id", how="left")
        .join(_side(lf, to_edition, "to"), on="project_id", how="left")
        .join(_whole_side(context, from_edition, "from"), on="project_id", how="left")
        .join(_whole_side(context, to_edition, "to"), on="project_id", how="left")
        .with_columns(
            pl.coalesce("project_name_to", "project_name_from").alias("project_name"),
            pl.coalesce("ministry_id_to", "ministry_id_from").alias("ministry_id"),
            pl.coalesce("ministry_label_to", "ministry_label_from").alias("ministry_label"),
            pl.lit(from_edition).alias("from_edition"),
            pl.lit(to_edition).alias("to_edition"),
            pl.when(kind == "entrant")
            .then(pl.col("cost_to_meur"))
            .when(kind == "leaver")
            .then(-pl.col("cost_from_meur"))
            .otherwise(pl.col("cost_change_meur"))
            .alias("impact_meur"),
            _both_known_and_different("ministry_id").alias("ministry_changed"),
            _both_known_and_different("phase").alias("phase_moved"),
            (pl.col("duration_to_years") - pl.col("duration_from_years")).alias("duration_change_years"),
            pl.coalesce("baseline_cost_meur_to", "baseline_cost_meur_from").alias("baseline_cost_meur"),
            pl.coalesce("baseline_cost_edition_to", "baseline_cost_edition_from").alias("baseline_cost_edition"),
        )
        .with_columns(_transfer_label())
        .sort(
            pl.col("impact_meur").abs(), "project_name", descending=[True, False], nulls_last=True, maintain_order=True
        )
        .select(CHANGE_COLUMNS)
        .collect()
    )
    return EditionComparison(from_edition, to_edition, months_between(from_edition, to_edition), changes)


# ---------------------------------------------------------------- sentences


class ChangeSentence(BaseModel):
    """One generated sentence and the keys of the rows it rests on."""

    model_config = ConfigDict(frozen=True)

    project_id: str
    kind: ChangeKind
    from_edition: date
    to_edition: date
    impact_meur: float | None
    text: str


def _signed_meur(value: float) -> str:
    return f"+{format_meur(value)}" if display_round(value, 1) > 0 else format_meur(value)


def _cost_part(row: dict[str, Any], months: int) -> str | None:
    before, after, change = row["cost_from_meur"], row["cost_to_meur"], row["cost_change_meur"]
    if change is not None:
        if abs(change) < _VISIBLE:
            return None
        verb = "porté" if change > 0 else "ramené"
        return f"{_signed_meur(change)} en {format_months(months)}, coût {verb} à {format_meur(after)}"
    if before is not None:
        return f"coût non publié en {format_month(row['to_edition'])} ({format_meur(before)} auparavant)"
    if after is not None:
        return f"coût publié à {format_meur(after)} (non publié en {format_month(row['from_edition'])})"
    return None


def _duration_part(row: dict[str, Any]) -> str | None:
    change = row["duration_change_years"]
    if change is None or abs(change) < _VISIBLE:
        return None
    verb = "portée" if change > 0 else "ramenée"
    before, after = format_years(row["duration_from_years"]), format_years(row["duration_to_years"])
    return f"durée {verb} de {before} à {after}"


def _continuing_parts(row: dict[str, Any], months: int) -> list[str]:
    parts = [_cost_part(row, months), _duration_part(row)]
    if row["phase_moved"]:
        parts.append(f"passe de la phase « {row['phase_from']} » à « {row['phase_to']} »")
    if row["ministry_changed"]:
        parts.append(f"porté auparavant par {row['ministry_label_from']}")
    return [part for part in parts if part]


def _entrant_parts(row: dict[str, Any]) -> list[str]:
    cost = row["cost_to_meur"]
    parts = [format_meur(cost) if cost is not None else "coût non publié"]
    if row["phase_to"] is not None:
        parts.append(f"phase « {row['phase_to']} »")
    if row["returning"]:
        parts.append(f"déjà publié à partir de {format_month(row['first_edition'])}")
    return parts


def _leaver_parts(row: dict[str, Any]) -> list[str]:
    cost = row["last_known_cost_meur"]
    if cost is None:
        parts = ["aucun coût publié"]
    else:
        parts = [f"dernier coût publié {format_meur(cost)} ({format_month(row['last_known_cost_edition'])})"]
    drift = row["last_known_budget_drift"]
    if drift is not None:
        parts.append(f"dérive budgétaire depuis la 1re publication {format_pct(drift, signed=True)}")
    return parts


def _sentence(row: dict[str, Any], months: int) -> str | None:
    """The sentence of one change row, or None when nothing visible changed."""
    who = f"{row['project_name']} ({row['ministry_label']})"
    transfer, month = row["transfer_ministry_label"], format_month(row["to_edition"])
    if transfer is not None:
        direction, parts = ("depuis", _entrant_parts(row)) if row["kind"] == "entrant" else ("vers", _leaver_parts(row))
        return f"{who} : transféré {direction} {transfer} en {month}, {', '.join(parts)}"
    if row["kind"] == "entrant":
        verb = "revient au" if row["returning"] else "entre au"
        return f"{who} {verb} panorama en {month} : {', '.join(_entrant_parts(row))}"
    if row["kind"] == "leaver":
        return f"{who} quitte le panorama en {month} : {', '.join(_leaver_parts(row))}"
    parts = _continuing_parts(row, months)
    return f"{who} : {' ; '.join(parts)}" if parts else None


def change_sentences(
    comparison: EditionComparison,
    limit: int | None = 10,
    keep: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
) -> list[ChangeSentence]:
    """French sentences for the largest changes, in the comparison's order (largest € impact first).

    « PROJET (Ministère) : +28,0 M€ en 6 mois, coût porté à 259,0 M€ » for a continuing project (with its
    duration, phase and ministry moves), and one sentence per entrant and leaver. Rows with nothing
    visible to say are skipped; `keep` may narrow the rows first (e.g. `lambda c: c.filter(...)`).
    """
    rows = comparison.changes if keep is None else keep(comparison.changes)
    sentences: list[ChangeSentence] = []
    for row in rows.iter_rows(named=True):
        if limit is not None and len(sentences) >= limit:
            break
        text = _sentence(row, comparison.months)
        if text is not None:
            sentences.append(
                ChangeSentence(
                    project_id=row["project_id"],
                    kind=row["kind"],
                    from_edition=comparison.from_edition,
                    to_edition=comparison.to_edition,
                    impact_meur=row["impact_meur"],
                    text=text,
                )
            )
    return sentences
