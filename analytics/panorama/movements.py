"""Projects entering, leaving and staying in the panorama between editions, matched on `project_id`.

Names change between editions, so every match uses the crosswalk's stable `project_id`. Functions take
frames carrying the drift columns of `analytics.panorama.drift.with_drift` (computed on ALL editions) and
possibly filtered by the caller; drifts are "drift since first publication", not the official averages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analytics.engine import IN_MEMORY
from analytics.panorama.drift import exceeds_threshold, require_drift_columns

Frame = pl.DataFrame | pl.LazyFrame

_IDENTITY = ["project_id", "project_name", "ministry_id", "ministry_label"]


@dataclass(frozen=True)
class Movements:
    """Entrants (in `to_edition`, not in `from_edition`), leavers (the reverse) and continuing projects."""

    from_edition: date
    to_edition: date
    entrants: pl.DataFrame
    leavers: pl.DataFrame
    continuing: pl.DataFrame


def _last_known(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Per project, its latest edition and latest published cost and drifts: a withheld last edition does
    not hide them.

    One sort by edition of the few columns needed, then a group-by whose groups keep that order, instead
    of a sort inside every aggregation.
    """
    latest = ("cost_meur", "budget_drift", "schedule_drift")
    return (
        lf.select("project_id", "edition", *latest)
        .sort("edition")
        .group_by("project_id")
        .agg(
            pl.col("edition").last().alias("last_edition"),
            pl.col("cost_meur").last(ignore_nulls=True).alias("last_known_cost_meur"),
            pl.when(pl.col("cost_meur").is_not_null())
            .then(pl.col("edition"))
            .last(ignore_nulls=True)
            .alias("last_known_cost_edition"),
            pl.col("budget_drift").last(ignore_nulls=True).alias("last_known_budget_drift"),
            pl.col("schedule_drift").last(ignore_nulls=True).alias("last_known_schedule_drift"),
        )
    )


def _history_of(lf: pl.LazyFrame, projects: pl.LazyFrame) -> pl.LazyFrame:
    """The rows of `lf` belonging to the projects of `projects`."""
    return lf.join(projects.select("project_id"), on="project_id", how="semi")


def _by_cost(column: str) -> dict[str, object]:
    return {"by": [column, "project_name"], "descending": [True, False], "nulls_last": True}


def compute_movements(df_all: Frame, from_edition: date, to_edition: date) -> Movements:
    """Compare two editions A (earlier) and B (later) of a possibly filtered subset.

    A project absent from A but present in B is an entrant even if it appeared before A (`returning`).
    Leavers carry their phase and cost in A and their last published cost and drifts up to A.
    """
    if from_edition >= to_edition:
        raise ValueError(
            f"Mouvements entre éditions : l'édition de départ ({from_edition.isoformat()}) doit précéder "
            f"l'édition d'arrivée ({to_edition.isoformat()})."
        )
    lf = require_drift_columns(df_all, "Mouvements entre éditions")
    in_a = lf.filter(pl.col("edition") == from_edition)
    in_b = lf.filter(pl.col("edition") == to_edition)
    entering, leaving = in_b.join(in_a, on="project_id", how="anti"), in_a.join(in_b, on="project_id", how="anti")
    # History of the entrants and leavers only: a semi-join is much cheaper than aggregating every project.
    first_edition = _history_of(lf, entering).group_by("project_id").agg(pl.col("edition").min().alias("first_edition"))
    last_known = _last_known(_history_of(lf.filter(pl.col("edition") <= from_edition), leaving))

    entrants = (
        entering.join(first_edition, on="project_id", how="left")
        .select(
            *_IDENTITY,
            "phase",
            "cost_meur",
            "duration_years",
            "budget_drift",
            "schedule_drift",
            "first_edition",
            (pl.col("first_edition") < from_edition).alias("returning"),
        )
        .sort(**_by_cost("cost_meur"))
    )
    leavers = (
        leaving.join(last_known.drop("last_edition"), on="project_id", how="left")
        .select(
            *_IDENTITY,
            pl.col("phase").alias("last_phase"),
            "cost_meur",
            "last_known_cost_meur",
            "last_known_cost_edition",
            "last_known_budget_drift",
            "last_known_schedule_drift",
        )
        .sort(**_by_cost("last_known_cost_meur"))
    )
    before = in_a.select(
        "project_id",
        pl.col("phase").alias("phase_from"),
        pl.col("cost_meur").alias("cost_from_meur"),
        pl.col("budget_drift").alias("budget_drift_from"),
        pl.col("duration_years").alias("duration_from_years"),
    )
    continuing = (
        in_b.join(before, on="project_id", how="inner")
        .select(
            *_IDENTITY,
            "phase_from",
            pl.col("phase").alias("phase_to"),
            "cost_from_meur",
            pl.col("cost_meur").alias("cost_to_meur"),
            (pl.col("cost_meur") - pl.col("cost_from_meur")).alias("cost_change_meur"),
            pl.when(pl.col("cost_from_meur") != 0)
            .then(pl.col("cost_meur") / pl.col("cost_from_meur") - 1)
            .alias("cost_change"),
            "budget_drift_from",
            pl.col("budget_drift").alias("budget_drift_to"),
            "duration_from_years",
            pl.col("duration_years").alias("duration_to_years"),
        )
        .sort(**_by_cost("cost_change_meur"))
    )
    entrants_df, leavers_df, continuing_df = pl.collect_all([entrants, leavers, continuing], engine=IN_MEMORY)
    return Movements(from_edition, to_edition, entrants_df, leavers_df, continuing_df)


def exit_watch(df_all: Frame, threshold: float, latest_edition: date | None = None) -> pl.DataFrame:
    """Projects that left the panorama while their last published budget or schedule drift was over threshold.

    A project has left when its last appearance precedes `latest_edition`, by default the latest edition of
    the frame: pass the panorama's latest edition when the frame is a filtered subset, which may end earlier.
    `cost_withheld_at_exit` flags a last appearance without a published cost. Worst drift first.
    """
    lf = require_drift_columns(df_all, "Projets sortis en dérive")
    latest = pl.lit(latest_edition, dtype=pl.Date) if latest_edition else pl.col("last_edition").max()
    budget, schedule = pl.col("last_known_budget_drift"), pl.col("last_known_schedule_drift")
    exited = _last_known(lf).filter(
        pl.col("last_edition") < latest, exceeds_threshold(budget, threshold) | exceeds_threshold(schedule, threshold)
    )
    return (
        lf.join(exited, left_on=["project_id", "edition"], right_on=["project_id", "last_edition"], how="inner")
        .select(
            *_IDENTITY,
            pl.col("edition").alias("last_edition"),
            pl.col("phase").alias("last_phase"),
            pl.col("cost_meur").is_null().alias("cost_withheld_at_exit"),
            "last_known_cost_meur",
            "last_known_cost_edition",
            "last_known_budget_drift",
            "last_known_schedule_drift",
        )
        .sort(pl.max_horizontal(budget, schedule), "project_name", descending=[True, False])
        .collect(engine=IN_MEMORY)
    )
