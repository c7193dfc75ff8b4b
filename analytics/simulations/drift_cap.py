"""Drift cap: the M€ that would have been avoided had every budget drift been held at a cap."""

from __future__ import annotations

import polars as pl
from pydantic import BaseModel, ConfigDict, field_validator

from analytics.engine import IN_MEMORY
from analytics.formatting import format_pct
from analytics.simulations.common import (
    FLOAT_TOLERANCE,
    FRACTION_DECIMALS,
    PROJECT_COLUMNS,
    check_number,
    projects_word,
    select_columns,
)
from analytics.simulations.drift_alerts import MAX_LEVEL
from analytics.simulations.labels import to_french

DEFAULT_CAP = 0.10

CAP_RULE_FR = (
    "Montant évité = somme sur les projets de max(0 ; coût actuel − coût initial × (1 + plafond)). "
    "Un projet dont le coût actuel ou le coût initial n'est pas connu n'est pas évalué."
)

_INPUT_SCHEMA: dict[str, pl.DataType] = {**PROJECT_COLUMNS, "baseline_cost_meur": pl.Float64()}


class DriftCapParams(BaseModel):
    """`cap` is a fraction: 0.10 holds every project at its baseline cost + 10 %."""

    model_config = ConfigDict(frozen=True)

    cap: float = DEFAULT_CAP

    @field_validator("cap", mode="before")
    @classmethod
    def _check_cap(cls, value: object) -> float:
        return round(
            check_number(value, "Le plafond de dérive budgétaire", lower=0.0, upper=MAX_LEVEL),
            FRACTION_DECIMALS,
        )


class DriftCapResult(BaseModel):
    """Avoided M€ in total and per ministry; `projects` lists every capped project behind them."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    params: DriftCapParams
    projects_total: int
    projects_assessed: int
    projects_capped: int
    cost_assessed_meur: float  # current cost of the assessed projects
    avoided_meur: float
    notices: list[str]
    projects: pl.DataFrame  # capped projects only (avoided > 0), largest avoided first
    by_ministry: pl.DataFrame  # every ministry with at least one assessed project

    def tables(self) -> dict[str, pl.DataFrame]:
        """Detail tables with French headers, keyed by a French title, ready to display or download."""
        return {
            "Projets écrêtés": to_french(self.projects),
            "Montant évité par ministère": to_french(self.by_ministry),
        }


def simulate_drift_cap(projects: pl.DataFrame | pl.LazyFrame, params: DriftCapParams | None = None) -> DriftCapResult:
    """Per project max(0, cost − baseline × (1 + cap)), summed per ministry and in total."""
    params = params or DriftCapParams()
    frame = select_columns(projects, _INPUT_SCHEMA, "plafond de dérive")
    allowed = pl.col("baseline_cost_meur") * (1 + params.cap)
    assessed = (
        frame.filter(pl.col("cost_meur").is_not_null() & pl.col("baseline_cost_meur").is_not_null())
        .with_columns(excess=pl.col("cost_meur") - allowed)
        .with_columns(
            avoided_meur=pl.when(pl.col("excess") > FLOAT_TOLERANCE).then("excess").otherwise(0.0),
        )
        .select(
            *_INPUT_SCHEMA,
            capped_cost_meur=pl.col("cost_meur") - pl.col("avoided_meur"),
            avoided_meur=pl.col("avoided_meur"),
        )
    )
    is_capped = pl.col("avoided_meur") > 0
    capped = assessed.filter(is_capped).sort(["avoided_meur", "project_name"], descending=[True, False])
    by_ministry = (
        assessed.group_by("ministry_id", "ministry_label")
        .agg(
            pl.len().alias("projects_assessed"),
            is_capped.sum().alias("projects_capped"),
            pl.col("avoided_meur").sum(),
        )
        .sort(["avoided_meur", "ministry_label"], descending=[True, False])
    )
    totals = frame.select(pl.len().alias("projects_total")).join(
        assessed.select(
            pl.len().alias("projects_assessed"),
            is_capped.sum().alias("projects_capped"),
            pl.col("cost_meur").sum().alias("cost_assessed_meur"),
            pl.col("avoided_meur").sum(),
        ),
        how="cross",
    )
    capped_df, by_ministry_df, totals_df = pl.collect_all([capped, by_ministry, totals], engine=IN_MEMORY)
    stats = totals_df.row(0, named=True)
    return DriftCapResult(
        params=params,
        **stats,
        notices=_notices(params.cap, stats),
        projects=capped_df,
        by_ministry=by_ministry_df,
    )


def _notices(cap: float, stats: dict[str, int | float]) -> list[str]:
    total, assessed = int(stats["projects_total"]), int(stats["projects_assessed"])
    if total == 0:
        return ["Aucun projet dans la sélection : aucun montant évité, tous les totaux valent 0."]
    notices: list[str] = []
    if assessed < total:
        missing = total - assessed
        verb = "n'est pas évalué" if missing == 1 else "ne sont pas évalués"
        notices.append(f"{projects_word(missing)} sans coût actuel ou sans coût initial connu {verb}.")
    if assessed and not stats["projects_capped"]:
        notices.append(
            f"Aucun projet évalué ne dépasse son coût initial de plus de {format_pct(cap, trim=True)} : "
            "le plafond n'aurait rien évité."
        )
    return notices
