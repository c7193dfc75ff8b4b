"""« Évolutions » as people read it: key figures, French tables of the changes, the drift decomposition in points.

Figures come from `compare_editions` and `decompose_drift_change` unchanged; this module only picks, names and
orders columns (French headers, numbers kept numeric so that tables sort and downloads stay exact) and writes the
sentences a presenter reads out. Changes of a percentage are in points (`pt`), never in percent.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.formatting import (
    column_formats,
    display_round,
    format_meur,
    format_month,
    format_number,
    format_pct,
    format_points,
)
from analytics.key_figures import KeyFigure
from analytics.panorama.changes import EditionComparison, format_months
from analytics.panorama.composition import (
    DRIFT_LABELS_FR,
    STATISTIC_LABELS_FR,
    DriftChangeSplit,
    DriftDecomposition,
    OfficialDriftChange,
)

PHASE_UNKNOWN_FR = "Non publiée"

# Display formats of the French columns below, for the page's table helper.
MONEY_FR = (
    "Coût (M€)",
    "Coût de départ (M€)",
    "Coût d'arrivée (M€)",
    "Variation du coût (M€)",
    "Dernier coût publié (M€)",
    "Impact sur le coût total (M€)",
)
PERCENT_FR = (
    "Variation du coût (%)",
    "Écart budgétaire",
    "Dernier écart budgétaire",
    "Dernier écart calendaire",
    "Écart budgétaire (arrivée)",
)
NUMBER_FR = (
    "Durée de départ (ans)",
    "Durée d'arrivée (ans)",
    "Variation de durée (ans)",
    "Variation totale (pt)",
    "Effet des entrants (pt)",
    "Effet des sortants (pt)",
    "Effet de composition (pt)",
    "À périmètre constant (pt)",
)
MONTH_FR = ("Édition du dernier coût", "Première publication")


def table_formats(table: pl.DataFrame) -> dict[str, list[str]]:
    """The `money` / `percent` / `years` / `months` column lists of a table built here (present columns only)."""
    return column_formats(table.columns, money=MONEY_FR, percent=PERCENT_FR, years=NUMBER_FR, months=MONTH_FR)


# ---------------------------------------------------------------- key figures


def _kind_totals(comparison: EditionComparison) -> dict[str, dict[str, object]]:
    totals = comparison.changes.group_by("kind").agg(
        pl.len().alias("count"),
        pl.col("impact_meur").sum().alias("impact"),
        pl.col("impact_meur").null_count().alias("unknown"),
    )
    found = {row["kind"]: row for row in totals.iter_rows(named=True)}
    return {kind: found.get(kind, {"count": 0, "impact": 0.0, "unknown": 0}) for kind in CHANGE_LABELS_FR}


CHANGE_LABELS_FR = {"entrant": "Entrants", "leaver": "Sortants", "continuing": "Toujours présents"}
_IMPACT_HELP_FR = {
    "entrant": "Coût des entrants dans l'édition d'arrivée.",
    "leaver": "Moins le coût des sortants dans l'édition de départ.",
    "continuing": "Variation du coût des projets présents dans les deux éditions (toujours présents).",
}


def _signed_meur(value: float) -> str:
    return ("+" if display_round(value, 1) > 0 else "") + format_meur(value)


def change_key_figures(comparison: EditionComparison) -> list[KeyFigure]:
    """Entrants, leavers, continuing projects (count, € impact) and phase moves, in that order."""
    figures = []
    for kind, totals in _kind_totals(comparison).items():
        unknown = int(totals["unknown"])
        note = ""
        if unknown:
            note = f" {unknown} projet(s) sans coût publié dans l'une des éditions : impact inconnu, non compté."
        figures.append(
            KeyFigure(
                label=CHANGE_LABELS_FR[kind],
                value=format_number(totals["count"], 0),
                delta=_signed_meur(totals["impact"]) if totals["count"] > unknown else None,
                help=_IMPACT_HELP_FR[kind] + note,
            )
        )
    figures.append(
        KeyFigure(
            label="Changements de phase",
            value=format_number(comparison.phase_moves.height, 0),
            help="Projets présents dans les deux éditions dont la phase publiée a changé.",
        )
    )
    return figures


# ---------------------------------------------------------------- tables


def _phase(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).fill_null(PHASE_UNKNOWN_FR)


def _traced(detailed: bool, *sides: str) -> list[pl.Expr]:
    """The keys of the published rows behind the figures: identifier, names as published in each edition."""
    if not detailed:
        return []
    names = {"from": "départ", "to": "arrivée"}
    columns = [pl.col("project_id").alias("Identifiant")]
    for side in sides:
        columns += [
            pl.col(f"project_name_{side}").alias(f"Nom publié ({names[side]})"),
            pl.col(f"ministry_name_{side}").alias(f"Ministère publié ({names[side]})"),
        ]
    return columns


def entrants_table(comparison: EditionComparison, detailed: bool = True) -> pl.DataFrame:
    entrants = comparison.entrants
    return entrants.select(
        pl.col("project_name").alias("Projet"),
        pl.col("ministry_label").alias("Ministère"),
        _phase("phase_to").alias("Phase"),
        pl.col("cost_to_meur").alias("Coût (M€)"),
        *(
            [
                pl.col("transfer_ministry_label").fill_null("").alias("Transféré depuis"),
                pl.when(pl.col("returning")).then(pl.col("first_edition")).alias("Première publication"),
            ]
            if detailed
            else []
        ),
        *_traced(detailed, "to"),
    )


def leavers_table(comparison: EditionComparison, detailed: bool = True) -> pl.DataFrame:
    return comparison.leavers.select(
        pl.col("project_name").alias("Projet"),
        pl.col("ministry_label").alias("Ministère"),
        _phase("phase_from").alias("Dernière phase"),
        pl.col("last_known_cost_meur").alias("Dernier coût publié (M€)"),
        *([pl.col("last_known_cost_edition").alias("Édition du dernier coût")] if detailed else []),
        pl.col("last_known_budget_drift").alias("Dernier écart budgétaire"),
        *(
            [
                pl.col("last_known_schedule_drift").alias("Dernier écart calendaire"),
                pl.col("transfer_ministry_label").fill_null("").alias("Transféré vers"),
            ]
            if detailed
            else []
        ),
        *_traced(detailed, "from"),
    )


def continuing_table(comparison: EditionComparison, detailed: bool = True, limit: int | None = None) -> pl.DataFrame:
    """Projects of both editions, largest € impact first (unknown impacts last), `limit` rows at most."""
    rows = comparison.continuing if limit is None else comparison.continuing.head(limit)
    duration = [
        pl.col("duration_from_years").alias("Durée de départ (ans)"),
        pl.col("duration_to_years").alias("Durée d'arrivée (ans)"),
    ]
    phases = [_phase("phase_from").alias("Phase de départ"), _phase("phase_to").alias("Phase d'arrivée")]
    return rows.select(
        pl.col("project_name").alias("Projet"),
        pl.col("ministry_label").alias("Ministère"),
        *([pl.col("cost_from_meur").alias("Coût de départ (M€)")] if detailed else []),
        pl.col("cost_to_meur").alias("Coût d'arrivée (M€)"),
        pl.col("cost_change_meur").alias("Variation du coût (M€)"),
        pl.col("cost_change").alias("Variation du coût (%)"),
        *(duration if detailed else []),
        pl.col("duration_change_years").alias("Variation de durée (ans)"),
        *(phases if detailed else []),
        pl.col("budget_drift_to").alias("Écart budgétaire (arrivée)"),
        *_traced(detailed, "from", "to"),
    )


def phase_moves_table(comparison: EditionComparison) -> pl.DataFrame:
    return comparison.phase_moves.select(
        pl.col("project_name").alias("Projet"),
        pl.col("ministry_label").alias("Ministère"),
        _phase("phase_from").alias("Phase de départ"),
        _phase("phase_to").alias("Phase d'arrivée"),
        pl.col("cost_to_meur").alias("Coût (M€)"),
    )


def period_caption(comparison: EditionComparison) -> str:
    """« De juillet 2021 à novembre 2021 (4 mois) »."""
    return (
        f"De {format_month(comparison.from_edition)} à {format_month(comparison.to_edition)} "
        f"({format_months(comparison.months)})"
    )


# ---------------------------------------------------------------- decomposition


def _points(value: float | None) -> float | None:
    return None if value is None else value * 100


def split_label(split: DriftChangeSplit) -> str:
    """« Dérive budgétaire, moyenne pondérée par le coût »."""
    return f"{DRIFT_LABELS_FR[split.drift]}, {STATISTIC_LABELS_FR[split.statistic].lower()}"


def average_header(edition: date) -> str:
    """« Moyenne juillet 2021 »: the average of one edition, the month written as in prose."""
    return f"Moyenne {format_month(edition)}"


def decomposition_display(decomposition: DriftDecomposition) -> pl.DataFrame:
    """One row per split: both averages (fractions) and the change and its parts in points (numbers, exact)."""
    start, end = decomposition.from_edition, decomposition.to_edition
    rows = [
        {
            "Dérive": DRIFT_LABELS_FR[split.drift],
            "Moyenne": STATISTIC_LABELS_FR[split.statistic],
            average_header(start): split.from_value,
            average_header(end): split.to_value,
            "Variation totale (pt)": _points(split.total_change),
            "À périmètre constant (pt)": _points(split.like_for_like),
            "Effet de composition (pt)": _points(split.composition),
            "Effet des entrants (pt)": _points(split.entrants_effect),
            "Effet des sortants (pt)": _points(split.leavers_effect),
            "Projets mesurés dans les deux éditions": split.continuing_count,
            "Entrants mesurés": split.entrants_count,
            "Sortants mesurés": split.leavers_count,
        }
        for split in decomposition.splits
    ]
    numbers = {name: pl.Float64 for name in rows[0] if name.endswith("(pt)") or name.startswith("Moyenne ")}
    return pl.DataFrame(rows, schema_overrides=numbers)


def decomposition_percent_columns(decomposition: DriftDecomposition) -> list[str]:
    return [average_header(decomposition.from_edition), average_header(decomposition.to_edition)]


def _projects(count: int) -> str:
    return f"{count} projet" + ("s" if count > 1 else "")


def split_sentence(split: DriftChangeSplit, from_edition: date, to_edition: date) -> str:
    """The split read out: both averages, the change, its like-for-like and composition parts."""
    label = split_label(split)
    if split.total_change is None:
        return f"{label} : non mesurable (aucun projet mesuré dans l'une des deux éditions)."
    change = format_points(split.total_change, signed=True)
    head = (
        f"{label} : {format_pct(split.from_value)} en {format_month(from_edition)}, "
        f"{format_pct(split.to_value)} en {format_month(to_edition)}, soit {change}"
    )
    if split.like_for_like is None:
        return f"{head}, entièrement dû à la composition (aucun projet mesuré dans les deux éditions)."
    return (
        f"{head}, dont {format_points(split.like_for_like, signed=True)} à périmètre constant "
        f"({_projects(split.continuing_count)}) et {format_points(split.composition, signed=True)} d'effet de "
        f"composition (entrants {format_points(split.entrants_effect, signed=True)}, sortants "
        f"{format_points(split.leavers_effect, signed=True)})."
    )


def _difference(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else (later - earlier) * 100


def official_display(official: OfficialDriftChange, from_edition: date, to_edition: date) -> pl.DataFrame:
    """The official averages of both editions and their change in points, labelled as official."""
    start, end = average_header(from_edition), average_header(to_edition)
    rows = [
        (f"Écart budgétaire moyen ({official.label})", official.budget_from, official.budget_to),
        (f"Écart calendaire moyen ({official.label})", official.schedule_from, official.schedule_to),
    ]
    return pl.DataFrame(
        {
            "Chiffre officiel": [name for name, _, _ in rows],
            start: [before for _, before, _ in rows],
            end: [after for _, _, after in rows],
            "Variation totale (pt)": [_difference(after, before) for _, before, after in rows],
        },
        schema_overrides={
            start: pl.Float64,
            end: pl.Float64,
            "Variation totale (pt)": pl.Float64,
        },
    )
