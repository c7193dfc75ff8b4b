"""Portfolio aggregates of the panorama: one-edition summary, breakdowns, and the trajectory over editions.

Every function takes a frame already filtered by the caller (ministry, phase, ...) and carrying the drift
columns of `analytics.panorama.drift.with_drift`, which must be computed on ALL editions before filtering.
Drifts are "drift since first publication" (see `analytics.panorama.drift.DRIFT_METHOD_FR`), not the
official averages, which rest on initial estimates never published per project.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.engine import IN_MEMORY
from analytics.panorama.drift import exceeds_threshold, require_drift_columns
from analytics.panorama.schema import HEADLINE_SCHEMA

Frame = pl.DataFrame | pl.LazyFrame
BreakdownKey = Literal["phase", "ministry", "cost_bracket", "functional_zone"]

COMPUTED_SERIES_FR = "Calculé (dérive depuis la 1re publication)"
OFFICIAL_SERIES_FR = "Officiel (publié par la DINUM)"

# Metrics shared by the computed trajectory and the official headlines, with their French chart labels.
TRAJECTORY_METRICS_FR: dict[str, str] = {
    "projects": "Nombre de projets",
    "interministerial_projects": "Projets interministériels",
    "total_cost_meur": "Coût total (M€)",
    "avg_duration_years": "Durée moyenne (années)",
    "avg_budget_drift": "Dérive budgétaire moyenne",
    "avg_schedule_drift": "Dérive calendaire moyenne",
}


class DriftStats(BaseModel):
    """Drift statistics over the projects whose drift is known; `known_count` is every share's denominator."""

    model_config = ConfigDict(frozen=True)

    mean: float | None
    median: float | None
    cost_weighted: float | None  # weight = the project's cost in the edition
    known_count: int
    over_threshold_count: int  # drift strictly above the threshold
    over_threshold_share: float | None  # over_threshold_count / known_count


class PortfolioSummary(BaseModel):
    """Headline figures of a subset of one edition; means are None when no project has the figure."""

    model_config = ConfigDict(frozen=True)

    edition: date | None
    cost_definition: str | None
    project_count: int
    interministerial_count: int
    total_cost_meur: float | None  # sum of published costs, None when no cost was published
    projects_with_cost: int
    projects_withheld_cost: int
    mean_duration_years: float | None
    drift_threshold: float
    budget_drift: DriftStats
    schedule_drift: DriftStats


def _cost_sum(cost: pl.Expr) -> pl.Expr:
    """Sum of published costs, null (not 0) when none was published."""
    return pl.when(cost.count() > 0).then(cost.sum())


def _weighted_drift(drift: str) -> pl.Expr:
    """Mean drift weighted by cost, over the projects where both are known."""
    weight = pl.col("cost_meur").filter(pl.col(drift).is_not_null())
    return pl.when(weight.sum() > 0).then((pl.col(drift) * pl.col("cost_meur")).sum() / weight.sum())


def _drift_stats(drift: str, threshold: float) -> pl.Expr:
    known = pl.col(drift).count()
    over = exceeds_threshold(pl.col(drift), threshold).sum()
    return pl.struct(
        pl.col(drift).mean().alias("mean"),
        pl.col(drift).median().alias("median"),
        _weighted_drift(drift).alias("cost_weighted"),
        known.alias("known_count"),
        over.alias("over_threshold_count"),
        pl.when(known > 0).then(over / known).alias("over_threshold_share"),
    ).alias(drift)


def summarise_portfolio(df: Frame, drift_threshold: float) -> PortfolioSummary:
    """Summary of a subset of ONE edition; an empty subset gives count 0 and None means."""
    lf = require_drift_columns(df, "Résumé du portefeuille")
    editions = lf.select(pl.col("edition").unique().sort()).collect(engine=IN_MEMORY)["edition"].to_list()
    if len(editions) > 1:
        listed = ", ".join(edition.isoformat() for edition in editions)
        raise ValueError(
            f"Résumé du portefeuille : le sous-ensemble doit porter sur une seule édition, "
            f"il en contient {len(editions)} ({listed}). Filtrer sur la colonne « edition » avant l'appel."
        )
    cost = pl.col("cost_meur")
    row = (
        lf.select(
            pl.col("edition").first(),
            pl.col("cost_definition").first(ignore_nulls=True),
            pl.len().alias("project_count"),
            pl.col("interministerial").sum().alias("interministerial_count"),
            _cost_sum(cost).alias("total_cost_meur"),
            cost.count().alias("projects_with_cost"),
            cost.null_count().alias("projects_withheld_cost"),
            pl.col("duration_years").mean().alias("mean_duration_years"),
            _drift_stats("budget_drift", drift_threshold),
            _drift_stats("schedule_drift", drift_threshold),
        )
        .collect(engine=IN_MEMORY)
        .row(0, named=True)
    )
    return PortfolioSummary(drift_threshold=drift_threshold, **row)


def _count_and_cost() -> list[pl.Expr]:
    return [
        pl.len().cast(pl.Int32).alias("projects"),
        _cost_sum(pl.col("cost_meur")).alias("cost_meur"),
        pl.col("cost_meur").null_count().cast(pl.Int32).alias("projects_withheld_cost"),
    ]


def _latest_ministry_label() -> pl.Expr:
    """A ministry's short label as of its latest edition in the frame."""
    return pl.col("ministry_label").sort_by("edition").last()


def breakdown(df: Frame, by: BreakdownKey) -> pl.DataFrame:
    """Project count, published cost and withheld-cost count per group of a one-edition subset.

    Phases and cost brackets keep their canonical order; ministries (with `ministry_id` and
    `ministry_label`) and functional zones are sorted by cost, largest first. Nulls come last.
    """
    lf = df.lazy()
    if by == "ministry":
        grouped = lf.group_by("ministry_id").agg(_latest_ministry_label(), *_count_and_cost())
        keys = ["ministry_id", "ministry_label"]
    else:
        grouped = lf.group_by(by).agg(*_count_and_cost())
        keys = [by]
    if by in ("phase", "cost_bracket"):
        ordered = grouped.sort(by, nulls_last=True)
    else:
        ordered = grouped.sort(["cost_meur", "projects", keys[-1]], descending=[True, True, False], nulls_last=True)
    return ordered.select(*keys, "projects", "cost_meur", "projects_withheld_cost").collect(engine=IN_MEMORY)


def ministry_phase_counts(df: Frame) -> pl.DataFrame:
    """Project count and cost per ministry and phase, for a stacked bar; largest ministries first.

    `ministry_projects` (the ministry's total) lets the chart sort its bars without recomputing.
    """
    return (
        df.lazy()
        .with_columns(_latest_ministry_label().over("ministry_id"))
        .group_by("ministry_id", "ministry_label", "phase")
        .agg(*_count_and_cost())
        .with_columns(pl.col("projects").sum().over("ministry_id").alias("ministry_projects"))
        .sort(
            ["ministry_projects", "ministry_label", "phase"],
            descending=[True, False, False],
            nulls_last=True,
        )
        .select("ministry_id", "ministry_label", "phase", "projects", "cost_meur", "ministry_projects")
        .collect(engine=IN_MEMORY)
    )


def drift_by_ministry(df: Frame) -> pl.DataFrame:
    """Budget and schedule drift per ministry of a one-edition subset, highest cost-weighted drift first.

    `budget_drift_meur` is the drift the ministry carries in M€ (sum over its projects whose drift is
    known, null when none is).
    """
    return (
        require_drift_columns(df, "Dérive par ministère")
        .group_by("ministry_id")
        .agg(
            _latest_ministry_label(),
            pl.len().cast(pl.Int32).alias("projects"),
            _cost_sum(pl.col("cost_meur")).alias("cost_meur"),
            pl.col("budget_drift").count().cast(pl.Int32).alias("projects_with_budget_drift"),
            pl.col("budget_drift").mean().alias("mean_budget_drift"),
            _weighted_drift("budget_drift").alias("weighted_budget_drift"),
            _cost_sum(pl.col("budget_drift_meur")).alias("budget_drift_meur"),
            pl.col("schedule_drift").count().cast(pl.Int32).alias("projects_with_schedule_drift"),
            pl.col("schedule_drift").mean().alias("mean_schedule_drift"),
        )
        .sort(
            ["weighted_budget_drift", "cost_meur", "ministry_label"],
            descending=[True, True, False],
            nulls_last=True,
        )
        .collect(engine=IN_MEMORY)
    )


DriftRanking = Literal["budget_drift_meur", "budget_drift", "schedule_drift"]


def largest_drifts(df: Frame, by: DriftRanking, limit: int) -> pl.DataFrame:
    """The `limit` projects of a one-edition subset with the largest known drift `by`, largest first.

    Ties go by project name so that the ranking is stable from one run to the next.
    """
    return (
        require_drift_columns(df, "Plus fortes dérives")
        .drop_nulls(by)
        .sort([by, "project_name"], descending=[True, False])
        .head(limit)
        .collect()
    )


def trajectory(df_all_editions: Frame, editions: Sequence[date] | None = None) -> pl.DataFrame:
    """Per-edition KPIs of a subset, one row per edition, named like the official headlines.

    A filtered subset may be absent from some editions: pass every edition of the panorama as `editions`
    to get those rows too (0 projects, null means) instead of a silent gap in the chart.
    """
    per_edition = (
        require_drift_columns(df_all_editions, "Trajectoire")
        .group_by("edition")
        .agg(
            pl.len().cast(pl.Int32).alias("projects"),
            pl.col("interministerial").sum().cast(pl.Int32).alias("interministerial_projects"),
            _cost_sum(pl.col("cost_meur")).alias("total_cost_meur"),
            pl.col("cost_meur").null_count().cast(pl.Int32).alias("projects_withheld_cost"),
            pl.col("duration_years").mean().alias("avg_duration_years"),
            pl.col("budget_drift").mean().alias("avg_budget_drift"),
            pl.col("schedule_drift").mean().alias("avg_schedule_drift"),
            pl.col("cost_definition").first(ignore_nulls=True),
        )
    )
    if editions is not None:
        counts = ["projects", "interministerial_projects", "projects_withheld_cost"]
        per_edition = (
            pl.LazyFrame({"edition": list(editions)}, schema={"edition": pl.Date()})
            .unique()
            .join(per_edition, on="edition", how="left")
            .with_columns(pl.col(counts).fill_null(0))
        )
    return per_edition.sort("edition").collect(engine=IN_MEMORY)


AVERAGE_DRIFTS_FR = {"avg_budget_drift": "Écart budgétaire moyen", "avg_schedule_drift": "Écart calendaire moyen"}


def average_drift_history(df_all_editions: Frame, editions: Sequence[date] | None = None) -> pl.DataFrame:
    """Mean budget and schedule drift per edition as a long frame (edition, indicator, value) for a line chart.

    `indicator` holds the French label; editions without a measurable drift have no row (never a 0).
    """
    return (
        trajectory(df_all_editions, editions)
        .unpivot(index="edition", on=list(AVERAGE_DRIFTS_FR), variable_name="indicator", value_name="value")
        .with_columns(pl.col("indicator").replace_strict(AVERAGE_DRIFTS_FR))
        .drop_nulls("value")
    )


def _long(frame: pl.DataFrame, series: str) -> pl.LazyFrame:
    return (
        frame.lazy()
        .select("edition", *(pl.col(metric).cast(pl.Float64) for metric in TRAJECTORY_METRICS_FR))
        .unpivot(index="edition", variable_name="metric", value_name="value")
        .with_columns(pl.lit(series).alias("series"))
    )


def trajectory_with_official(traj: pl.DataFrame, headlines: pl.DataFrame) -> pl.DataFrame:
    """Computed trajectory and official headlines in one long frame, kept apart by the `series` column.

    Columns: edition, series, metric, metric_label, value. Missing values are dropped, never drawn as 0.
    The official figures cover the whole panorama: set them next to an unfiltered subset only.
    """
    missing = [name for name in TRAJECTORY_METRICS_FR if name not in headlines.columns]
    if missing:
        raise ValueError(
            f"Chiffres officiels : colonnes absentes ({', '.join(missing)}) ; "
            f"le tableau doit suivre HEADLINE_SCHEMA ({', '.join(HEADLINE_SCHEMA)})."
        )
    return (
        pl.concat([_long(traj, COMPUTED_SERIES_FR), _long(headlines, OFFICIAL_SERIES_FR)])
        .drop_nulls("value")
        .with_columns(pl.col("metric").replace_strict(TRAJECTORY_METRICS_FR).alias("metric_label"))
        .select("edition", "series", "metric", "metric_label", "value")
        .sort("series", "metric", "edition")
        .collect(engine=IN_MEMORY)
    )
