"""Drift alert levels: which projects each budget or schedule level would flag, and the M€ at stake."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from pydantic import BaseModel, ConfigDict, field_validator

from analytics.engine import IN_MEMORY
from analytics.simulations.common import (
    FLOAT_TOLERANCE,
    FRACTION_DECIMALS,
    PROJECT_COLUMNS,
    check_number,
    projects_word,
    select_columns,
)
from analytics.simulations.labels import to_french

DEFAULT_LEVELS: tuple[float, ...] = (0.10, 0.20, 0.30)
MAX_LEVEL = 10.0  # +1000 %
MAX_LEVEL_COUNT = 10

DRIFT_RULE_FR = (
    "Un projet est signalé à un niveau d'alerte lorsque sa dérive dépasse strictement ce niveau "
    "(dérive > niveau) : une dérive égale au niveau, aux arrondis de calcul près, n'est pas signalée. "
    "Un projet sans dérive connue n'est jamais signalé."
)

DIMENSION_BUDGET = "Budget"
DIMENSION_SCHEDULE = "Calendrier"
DimensionEnum = pl.Enum([DIMENSION_BUDGET, DIMENSION_SCHEDULE])

_INPUT_SCHEMA: dict[str, pl.DataType] = {
    **PROJECT_COLUMNS,
    "budget_drift": pl.Float64(),
    "budget_drift_meur": pl.Float64(),
    "schedule_drift": pl.Float64(),
}
_LEVELS_SCHEMA: dict[str, pl.DataType] = {"dimension": DimensionEnum, "level": pl.Float64()}


def check_levels(value: object, label: str) -> tuple[float, ...]:
    """Levels as fractions in (0, 10], sorted, deduplicated, at most ten, else a French ValueError."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"{label} : une liste de niveaux est attendue, reçu {value!r}.")
    bounds = {"lower": 0.0, "upper": MAX_LEVEL, "lower_open": True}
    levels = sorted(
        {
            check_number(round(check_number(level, label, **bounds), FRACTION_DECIMALS), label, **bounds)
            for level in value
        }
    )
    if not levels:
        raise ValueError(f"{label} : au moins un niveau est attendu.")
    if len(levels) > MAX_LEVEL_COUNT:
        raise ValueError(f"{label} : au plus {MAX_LEVEL_COUNT} niveaux distincts (reçu : {len(levels)}).")
    return tuple(levels)


class DriftAlertParams(BaseModel):
    """Levels are fractions: 0.10 flags projects drifting by more than +10 %."""

    model_config = ConfigDict(frozen=True)

    budget_levels: tuple[float, ...] = DEFAULT_LEVELS
    schedule_levels: tuple[float, ...] = DEFAULT_LEVELS

    @field_validator("budget_levels", mode="before")
    @classmethod
    def _check_budget(cls, value: object) -> tuple[float, ...]:
        return check_levels(value, "Les niveaux d'alerte de dérive budgétaire")

    @field_validator("schedule_levels", mode="before")
    @classmethod
    def _check_schedule(cls, value: object) -> tuple[float, ...]:
        return check_levels(value, "Les niveaux d'alerte de dérive calendaire")


class DriftAlertResult(BaseModel):
    """Per-level counts and M€; `flagged` lists each (level, project) pair behind them."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    params: DriftAlertParams
    projects_total: int
    projects_without_budget_drift: int
    projects_without_schedule_drift: int
    notices: list[str]
    levels: pl.DataFrame  # one row per dimension and level, zero counts included
    by_ministry: pl.DataFrame  # one row per dimension, level and ministry with at least one flag
    flagged: pl.DataFrame  # one row per dimension, level and flagged project

    def tables(self) -> dict[str, pl.DataFrame]:
        """Detail tables with French headers, keyed by a French title, ready to display or download."""
        return {
            "Alertes par niveau": to_french(self.levels),
            "Alertes par ministère": to_french(self.by_ministry),
            "Projets signalés": to_french(self.flagged),
        }


_FLAGGED_COLUMNS = (
    "project_id",
    "project_name",
    "ministry_id",
    "ministry_label",
    "drift",
    "budget_drift",
    "budget_drift_meur",
    "schedule_drift",
    "cost_meur",
)


def _flagged(frame: pl.LazyFrame, dimension: str, column: str, levels: tuple[float, ...]) -> list[pl.LazyFrame]:
    """Per level (ascending), the projects whose `column` drift exceeds it, worst drift first.

    One sort, of the projects over the lowest level only, serves every level: filtering keeps its order, so
    the levels put one after the other are in table order (dimension, level, drift, name) without sorting.
    """
    drift = pl.col("drift")
    over_lowest = (
        frame.with_columns(drift=pl.col(column))
        .filter(drift > levels[0] + FLOAT_TOLERANCE)
        .sort(["drift", "project_name"], descending=[True, False])
    )
    return [
        over_lowest.filter(drift > level + FLOAT_TOLERANCE).select(
            pl.lit(dimension, dtype=DimensionEnum).alias("dimension"),
            pl.lit(level, dtype=pl.Float64).alias("level"),
            *_FLAGGED_COLUMNS,
        )
        for level in levels
    ]


def simulate_drift_alerts(
    projects: pl.DataFrame | pl.LazyFrame, params: DriftAlertParams | None = None
) -> DriftAlertResult:
    """Projects whose budget or schedule drift strictly exceeds each alert level."""
    params = params or DriftAlertParams()
    frame = select_columns(projects, _INPUT_SCHEMA, "niveaux d'alerte de dérive")
    levels = pl.LazyFrame(
        {
            "dimension": [DIMENSION_BUDGET] * len(params.budget_levels)
            + [DIMENSION_SCHEDULE] * len(params.schedule_levels),
            "level": [*params.budget_levels, *params.schedule_levels],
        },
        schema=_LEVELS_SCHEMA,
    )
    flagged = pl.concat(
        [
            *_flagged(frame, DIMENSION_BUDGET, "budget_drift", params.budget_levels),
            *_flagged(frame, DIMENSION_SCHEDULE, "schedule_drift", params.schedule_levels),
        ]
    )
    stakes = (
        pl.len().alias("projects"),
        pl.col("budget_drift_meur").sum().alias("drift_meur"),
        pl.col("cost_meur").sum().alias("cost_meur"),
    )
    per_level = levels.join(
        flagged.group_by("dimension", "level").agg(*stakes),
        on=["dimension", "level"],
        how="left",
        maintain_order="left",
    ).with_columns(
        pl.col("projects").fill_null(0).cast(pl.UInt32),
        pl.col("drift_meur", "cost_meur").fill_null(0.0),
    )
    by_ministry = (
        flagged.group_by("dimension", "level", "ministry_id", "ministry_label")
        .agg(*stakes)
        .sort(["dimension", "level", "projects", "ministry_label"], descending=[False, False, True, False])
    )
    unknown = frame.select(
        pl.len().alias("projects_total"),
        pl.col("budget_drift").is_null().sum().alias("projects_without_budget_drift"),
        pl.col("schedule_drift").is_null().sum().alias("projects_without_schedule_drift"),
    )
    flagged_df, per_level_df, by_ministry_df, unknown_df = pl.collect_all(
        [
            flagged,
            per_level.sort("dimension", "level"),
            by_ministry,
            unknown,
        ],
        engine=IN_MEMORY,
    )
    stats = unknown_df.row(0, named=True)
    return DriftAlertResult(
        params=params,
        **stats,
        notices=_notices(stats),
        levels=per_level_df,
        by_ministry=by_ministry_df,
        flagged=flagged_df,
    )


def _notices(stats: dict[str, int]) -> list[str]:
    if stats["projects_total"] == 0:
        return ["Aucun projet dans la sélection : aucune alerte, tous les totaux valent 0."]
    notices: list[str] = []
    for key, kind in (
        ("projects_without_budget_drift", "budgétaire (coût actuel ou coût initial inconnu)"),
        ("projects_without_schedule_drift", "calendaire (durée actuelle ou durée initiale inconnue)"),
    ):
        if count := stats[key]:
            flagged = "signalé" if count == 1 else "signalés"
            notices.append(f"{projects_word(count)} sans dérive {kind} : jamais {flagged} à ce titre.")
    return notices
