"""Oversight threshold: which projects a review threshold would follow, against the 9 M€ rule."""

from __future__ import annotations

import polars as pl
from pydantic import BaseModel, ConfigDict, field_validator

from analytics.engine import IN_MEMORY
from analytics.formatting import MISSING, format_meur, format_number
from analytics.simulations.common import PROJECT_COLUMNS, check_number, select_columns
from analytics.simulations.labels import to_french

# Décret n° 2014-879: every project above 9 M€ is followed by the panorama.
BASELINE_THRESHOLD_MEUR = 9.0
THRESHOLD_PRESETS_MEUR: dict[float, str] = {
    5.0: "5 M€ — seuil proposé par le Sénat",
    9.0: "9 M€ — seuil du décret n° 2014-879 (référence)",
    20.0: "20 M€",
    50.0: "50 M€ — intervention systématique de la DINUM proposée par la Cour des comptes",
    100.0: "100 M€",
}
DEFAULT_MARGIN_MEUR = 1.0
MAX_AMOUNT_MEUR = 100_000.0

THRESHOLD_RULE_FR = (
    "Un projet est dans le périmètre de revue lorsque son coût est supérieur ou égal au seuil "
    "(coût ≥ seuil) ; un projet dont le coût n'est pas publié n'est compté ni dans ni hors du "
    "périmètre, mais à part."
)
FRACTIONATION_RULE_FR = (
    "Veille au fractionnement : projets dont le coût est compris entre le seuil moins la marge (inclus) "
    "et le seuil (exclu), c'est-à-dire seuil − marge ≤ coût < seuil."
)

BELOW_BASELINE_NOTICE_FR = (
    "Le panorama ne recense que les projets suivis au titre du seuil de 9 M€ : un seuil plus bas ne fait "
    "entrer que les projets déjà publiés sous 9 M€, pas les projets de l'État que le panorama ne recense pas."
)

SCOPE_INSIDE = "Dans le périmètre"
SCOPE_OUTSIDE = "Hors périmètre"
SCOPE_WITHHELD = "Coût non publié"
ScopeEnum = pl.Enum([SCOPE_INSIDE, SCOPE_OUTSIDE, SCOPE_WITHHELD])
CHANGE_ENTERING = "Entre dans le périmètre"
CHANGE_LEAVING = "Sort du périmètre"
ChangeEnum = pl.Enum([CHANGE_ENTERING, CHANGE_LEAVING])

_INPUT_SCHEMA = PROJECT_COLUMNS


class ThresholdParams(BaseModel):
    model_config = ConfigDict(frozen=True)

    threshold_meur: float = BASELINE_THRESHOLD_MEUR
    margin_meur: float = DEFAULT_MARGIN_MEUR

    @field_validator("threshold_meur", mode="before")
    @classmethod
    def _check_threshold(cls, value: object) -> float:
        return check_number(value, "Le seuil de revue", lower=0.0, upper=MAX_AMOUNT_MEUR, lower_open=True, unit="M€")

    @field_validator("margin_meur", mode="before")
    @classmethod
    def _check_margin(cls, value: object) -> float:
        return check_number(value, "La marge de veille au fractionnement", lower=0.0, upper=MAX_AMOUNT_MEUR, unit="M€")


class ThresholdResult(BaseModel):
    """Counts and M€ of the simulated scope; `projects` holds every project behind them."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    params: ThresholdParams
    projects_total: int
    projects_inside: int
    cost_inside_meur: float
    projects_outside: int
    cost_outside_meur: float
    projects_withheld: int
    projects_entering: int
    cost_entering_meur: float
    projects_leaving: int
    cost_leaving_meur: float
    projects_watched: int
    cost_watched_meur: float
    notices: list[str]
    projects: pl.DataFrame
    by_ministry: pl.DataFrame

    def _where(self, condition: pl.Expr) -> pl.DataFrame:
        return self.projects.filter(condition)

    @property
    def inside(self) -> pl.DataFrame:
        return self._where(pl.col("scope") == SCOPE_INSIDE)

    @property
    def outside(self) -> pl.DataFrame:
        return self._where(pl.col("scope") == SCOPE_OUTSIDE)

    @property
    def withheld(self) -> pl.DataFrame:
        return self._where(pl.col("scope") == SCOPE_WITHHELD)

    @property
    def entering(self) -> pl.DataFrame:
        return self._where(pl.col("change") == CHANGE_ENTERING)

    @property
    def leaving(self) -> pl.DataFrame:
        return self._where(pl.col("change") == CHANGE_LEAVING)

    @property
    def watched(self) -> pl.DataFrame:
        return self._where(pl.col("watched"))

    def tables(self) -> dict[str, pl.DataFrame]:
        """Detail tables with French headers, keyed by a French title, ready to display or download."""
        return {
            "Projets et périmètre": to_french(self.projects),
            "Entrées dans le périmètre": to_french(self.entering),
            "Sorties du périmètre": to_french(self.leaving),
            "Veille au fractionnement": to_french(self.watched),
            "Coût non publié": to_french(self.withheld),
            "Par ministère": to_french(self.by_ministry),
        }


def _scope(cost: pl.Expr, threshold: float) -> pl.Expr:
    """Enum literals: no string column is built and cast for every row."""
    inside, outside, withheld = (pl.lit(s, dtype=ScopeEnum) for s in (SCOPE_INSIDE, SCOPE_OUTSIDE, SCOPE_WITHHELD))
    return pl.when(cost.is_null()).then(withheld).when(cost >= threshold).then(inside).otherwise(outside)


def simulate_threshold(projects: pl.DataFrame | pl.LazyFrame, params: ThresholdParams | None = None) -> ThresholdResult:
    """Scope of one edition's projects at a review threshold, and what moves against 9 M€."""
    params = params or ThresholdParams()
    threshold, margin = params.threshold_meur, params.margin_meur
    cost = pl.col("cost_meur")
    scope, baseline = pl.col("scope"), pl.col("baseline_scope")
    table = (
        select_columns(projects, _INPUT_SCHEMA, "seuil de revue")
        .with_columns(
            scope=_scope(cost, threshold),
            baseline_scope=_scope(cost, BASELINE_THRESHOLD_MEUR),
            watched=cost.is_between(threshold - margin, threshold, closed="left").fill_null(False),
            gap_to_threshold_meur=cost - threshold,
        )
        .with_columns(
            change=pl.when((scope == SCOPE_INSIDE) & (baseline == SCOPE_OUTSIDE))
            .then(pl.lit(CHANGE_ENTERING, dtype=ChangeEnum))
            .when((scope == SCOPE_OUTSIDE) & (baseline == SCOPE_INSIDE))
            .then(pl.lit(CHANGE_LEAVING, dtype=ChangeEnum))
        )
        .sort(["cost_meur", "project_name"], descending=[True, False], nulls_last=True)
    )

    def count_and_cost(name: str, condition: pl.Expr) -> list[pl.Expr]:
        return [
            condition.sum().alias(f"projects_{name}"),
            cost.filter(condition).sum().alias(f"cost_{name}_meur"),
        ]

    totals = table.select(
        pl.len().alias("projects_total"),
        *count_and_cost("inside", scope == SCOPE_INSIDE),
        *count_and_cost("outside", scope == SCOPE_OUTSIDE),
        (scope == SCOPE_WITHHELD).sum().alias("projects_withheld"),
        *count_and_cost("entering", pl.col("change") == CHANGE_ENTERING),
        *count_and_cost("leaving", pl.col("change") == CHANGE_LEAVING),
        *count_and_cost("watched", pl.col("watched")),
        cost.max().alias("largest_cost_meur"),
    )

    by_ministry = (
        table.group_by("ministry_id", "ministry_label")
        .agg(
            # when/then rather than a filter per group: the group-by keeps its fast path (nulls are not summed).
            (scope == SCOPE_INSIDE).sum().alias("projects_inside"),
            pl.when(scope == SCOPE_INSIDE).then(cost).sum().alias("cost_inside_meur"),
            (scope == SCOPE_OUTSIDE).sum().alias("projects_outside"),
            pl.when(scope == SCOPE_OUTSIDE).then(cost).sum().alias("cost_outside_meur"),
            (scope == SCOPE_WITHHELD).sum().alias("projects_withheld"),
            pl.col("watched").sum().alias("projects_watched"),
        )
        .sort(["cost_inside_meur", "ministry_label"], descending=[True, False])
    )
    # One query plan: the sorted table is computed once and both aggregates read it (in its order, so that
    # their sums do not depend on how the caller's frame was ordered).
    table_df, totals_df, by_ministry_df = pl.collect_all([table, totals, by_ministry], engine=IN_MEMORY)
    stats = totals_df.row(0, named=True)
    largest = stats.pop("largest_cost_meur")
    return ThresholdResult(
        params=params,
        **stats,
        notices=_notices(threshold, stats, largest),
        projects=table_df,
        by_ministry=by_ministry_df,
    )


def _notices(threshold: float, stats: dict[str, int | float], largest: float | None) -> list[str]:
    total, withheld = int(stats["projects_total"]), int(stats["projects_withheld"])
    if total == 0:
        return ["Aucun projet dans la sélection : le périmètre de revue est vide et tous les totaux valent 0."]
    notices: list[str] = []
    if largest is None:
        notices.append(
            "Aucun projet de la sélection n'a de coût publié : le périmètre de revue ne peut pas être évalué."
        )
    elif threshold > largest:
        notices.append(
            f"Le seuil de {format_meur(threshold, 2, trim=True)} dépasse le coût du plus gros projet de la sélection "
            f"({format_meur(largest, 2, trim=True)}) : aucun projet n'est dans le périmètre de revue."
        )
    if threshold < BASELINE_THRESHOLD_MEUR:
        notices.append(BELOW_BASELINE_NOTICE_FR)
    if withheld == 1:
        notices.append(
            "1 projet au coût non publié n'est compté ni dans ni hors du périmètre : il est décompté à part."
        )
    elif withheld > 1:
        notices.append(
            f"{withheld} projets au coût non publié ne sont comptés ni dans ni hors du périmètre : "
            "ils sont décomptés à part."
        )
    return notices


def meeting_table(reference: ThresholdResult, scenario: ThresholdResult) -> pl.DataFrame:
    """The reference and the scenario side by side as texts (« 10 (812,3 M€) »), and the difference in projects:
    what a projector shows instead of seven cards. Moves exist only for the scenario (« – » for the reference)."""

    def cell(count: int, cost: float) -> str:
        return f"{format_number(count, 0)} ({format_meur(cost)})"

    def difference(change: int) -> str:
        return ("+" if change > 0 else "") + format_number(change, 0)

    rows = [
        ("Projets dans le périmètre", "projects_inside", "cost_inside_meur", True),
        ("Projets hors périmètre", "projects_outside", "cost_outside_meur", True),
        ("Entrées dans le périmètre", "projects_entering", "cost_entering_meur", False),
        ("Sorties du périmètre", "projects_leaving", "cost_leaving_meur", False),
        ("Sous veille au fractionnement", "projects_watched", "cost_watched_meur", True),
    ]
    threshold = format_meur(scenario.params.threshold_meur, 2, trim=True)
    columns = {
        "": [label for label, *_ in rows],
        f"Référence : {format_meur(reference.params.threshold_meur, 0)}": [
            cell(getattr(reference, count), getattr(reference, cost)) if compared else MISSING
            for _, count, cost, compared in rows
        ],
        f"Scénario : {threshold}": [
            cell(getattr(scenario, count), getattr(scenario, cost)) for _, count, cost, _ in rows
        ],
        "Écart (projets)": [
            difference(getattr(scenario, count) - getattr(reference, count)) if compared else MISSING
            for _, count, _, compared in rows
        ],
    }
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
