"""The canonical panorama model: column names, dtypes and vocabularies shared by every module.

Every loader produces exactly `PROJECT_EDITION_SCHEMA`; every computation reads it. Drift columns are
added by `analytics.panorama.drift.with_drift` and described in `DRIFT_SCHEMA`.
"""

from __future__ import annotations

import polars as pl

# Canonical phases, in the lifecycle order used by every chart and filter.
PHASES: tuple[str, ...] = (
    "Cadrage",
    "Conception / Réalisation",
    "Expérimentation",
    "Déploiement",
    "Terminé",
)
PhaseEnum = pl.Enum(list(PHASES))

# Cost brackets of the official panorama (M€), lower bound inclusive.
COST_BRACKETS: tuple[str, ...] = ("< 9 M€", "9–20 M€", "20–100 M€", "> 100 M€")
CostBracketEnum = pl.Enum(list(COST_BRACKETS))

PROJECT_EDITION_SCHEMA: dict[str, pl.DataType] = {
    "edition": pl.Date(),  # first day of the edition's month, e.g. 2016-11-01
    "project_id": pl.String(),  # stable across editions (crosswalk)
    "project_name": pl.String(),  # as published in that edition
    "ministry_id": pl.String(),  # stable across reshuffles (crosswalk)
    "ministry_label": pl.String(),  # short label, e.g. "Intérieur"
    "ministry_name": pl.String(),  # as published in that edition
    "interministerial": pl.Boolean(),
    "description": pl.String(),  # plain text, no HTML
    "start_date": pl.Date(),  # first day of the published start month
    "duration_years": pl.Float64(),  # null when withheld or missing
    "phase": PhaseEnum,  # null when the phase cell held a withheld sentence or NA
    "cost_meur": pl.Float64(),  # null when withheld or missing, never 0 for missing
    "withheld_reason": pl.String(),  # published text standing for withheld figures (sentence, « En cadrage », « NC »)
    "functional_zone": pl.String(),  # canonical zone (crosswalk_zones.csv), null when empty
    "functional_zone_published": pl.String(),  # the zone as published in that edition
    "funding_programmes": pl.List(pl.String()),  # e.g. ["P129", "P302"], sorted, unique
    "cost_bracket": CostBracketEnum,  # derived from cost_meur, null when cost is null
    "cost_definition": pl.String(),  # per-edition: "Coût estimé" or "Coût complet estimé"
}

# Columns added by drift.with_drift (fractions: 0.25 means +25 %).
DRIFT_SCHEMA: dict[str, pl.DataType] = {
    "baseline_cost_meur": pl.Float64(),  # first published cost of the project
    "baseline_cost_edition": pl.Date(),
    "budget_drift": pl.Float64(),  # cost / baseline cost - 1, null when either is null
    "budget_drift_meur": pl.Float64(),  # cost - baseline cost
    "baseline_duration_years": pl.Float64(),
    "baseline_duration_edition": pl.Date(),
    "schedule_drift": pl.Float64(),  # duration / baseline duration - 1
    "previous_edition": pl.Date(),  # previous edition in which the project appears
    "cost_change_meur": pl.Float64(),  # cost - cost at previous appearance
    "duration_change_years": pl.Float64(),
    "budget_drift_change": pl.Float64(),  # budget_drift - budget_drift at previous appearance
    "schedule_drift_change": pl.Float64(),
}

HEADLINE_SCHEMA: dict[str, pl.DataType] = {
    "edition_no": pl.Int32(),
    "edition": pl.Date(),  # data_as_of month
    "published": pl.String(),  # as compiled (sometimes a month or a range)
    "projects": pl.Int32(),
    "interministerial_projects": pl.Int32(),
    "total_cost_meur": pl.Float64(),
    "avg_duration_years": pl.Float64(),
    "avg_schedule_drift": pl.Float64(),  # fraction
    "avg_budget_drift": pl.Float64(),  # fraction
    "source": pl.String(),
    "note": pl.String(),
}


def cost_bracket_expr(cost: pl.Expr) -> pl.Expr:
    """Bracket of a cost in M€, matching the official panorama's pie chart."""
    return (
        pl.when(cost.is_null())
        .then(None)
        .when(cost < 9)
        .then(pl.lit(COST_BRACKETS[0]))
        .when(cost < 20)
        .then(pl.lit(COST_BRACKETS[1]))
        .when(cost <= 100)
        .then(pl.lit(COST_BRACKETS[2]))
        .otherwise(pl.lit(COST_BRACKETS[3]))
        .cast(CostBracketEnum)
    )
