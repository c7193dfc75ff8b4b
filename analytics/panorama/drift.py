"""Budget and schedule drift of each project, measured since its first publication in the panorama.

The official panorama averages compare each project with its initial estimate, which was never published
project by project. The only per-project reference available is therefore the first figure the project
published in a panorama edition: this module measures "drift since first publication", a different
quantity from the official one (zero by construction at that first publication), and the UI must say so
(see `DRIFT_METHOD_FR`).
"""

from __future__ import annotations

import math
from typing import Literal

import polars as pl

from analytics.panorama.schema import DRIFT_SCHEMA

DRIFT_METHOD_FR = (
    "La dérive est calculée depuis la première publication : pour chaque projet, le coût (ou la durée) "
    "d'une édition est comparé au premier coût (ou à la première durée) que le projet a publié dans le "
    "panorama (elle vaut donc 0 à cette première publication) ; un chiffre non communiqué n'est jamais "
    "compté comme zéro. "
    "Les moyennes officielles de la DINUM partent des estimations initiales des projets, qui ne sont "
    "pas publiées projet par projet : les deux séries ne sont donc pas directement comparables."
)

# Drifts are float ratios: 110 / 100 - 1 is 0.10000000000000009, which must not "exceed" a 10 % threshold.
_THRESHOLD_TOLERANCE = 1e-9

# Figure column -> (baseline column, baseline edition column).
_BASELINES = {
    "cost_meur": ("baseline_cost_meur", "baseline_cost_edition"),
    "duration_years": ("baseline_duration_years", "baseline_duration_edition"),
}
_ROW = "__drift_row"
_SAME_PROJECT = "__drift_same_project"


def _published_so_far(value: str) -> pl.Expr:
    """Count of the project's non-null figures up to this row; the frame is sorted by project and edition.

    A running count over the whole frame minus its value just before the project's first row, so that no
    window (a hash of `project_id` per expression) is needed.
    """
    published = pl.col(value).is_not_null().cast(pl.UInt32)
    running = published.cum_sum()
    return running - pl.when(~pl.col(_SAME_PROJECT)).then(running - published).forward_fill()


def _baseline(value: str, source: str) -> pl.Expr:
    """`source` at the project's first non-null figure, null on rows before it (the figure was not yet known).

    The forward fill may carry the previous project's baseline into a project's first rows, which the
    "published so far" mask then nulls.
    """
    seen = pl.col(f"__drift_seen_{value}")
    at_first = (seen == 1) & pl.col(value).is_not_null()
    return pl.when(seen >= 1).then(pl.when(at_first).then(pl.col(source)).forward_fill())


def _ratio_minus_one(value: str, baseline: str) -> pl.Expr:
    """value / baseline - 1, null when either is null or the baseline is zero (never inf)."""
    return pl.when(pl.col(baseline) != 0).then(pl.col(value) / pl.col(baseline) - 1)


def _change_since_previous(column: str) -> pl.Expr:
    """Difference with the project's previous appearance (the previous row of the sorted frame)."""
    return pl.when(pl.col(_SAME_PROJECT)).then(pl.col(column) - pl.col(column).shift(1))


def with_drift(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add the `DRIFT_SCHEMA` columns: drift since first publication and change since previous appearance.

    The baseline of a project is the first edition in which it published a non-null figure, separately for
    cost and duration; withheld figures (null) never count as zero and never become a baseline, and a zero
    baseline cost gives a null drift. Baseline columns stay null on rows earlier than the baseline edition,
    as the figure was not yet known then. Expects one row per project and edition, over all editions:
    filter to a subset only after calling this, otherwise baselines and previous appearances are lost.

    Rows keep the caller's order. The figures are sorted once by project and edition (only the four
    columns needed) and every drift is a running or shifted column of that sorted frame, which is several
    times faster than ordered window expressions; the drift columns are put back in the caller's order.
    """
    ordered = (
        lf.select("project_id", "edition", *_BASELINES)
        .with_row_index(_ROW)
        .sort("project_id", "edition")
        .with_columns(
            pl.col("project_id").eq_missing(pl.col("project_id").shift(1)).fill_null(False).alias(_SAME_PROJECT)
        )
        .with_columns(_published_so_far(value).alias(f"__drift_seen_{value}") for value in _BASELINES)
    )
    drifts = (
        ordered.with_columns(
            *(
                _baseline(value, source).alias(name)
                for value, names in _BASELINES.items()
                for source, name in zip((value, "edition"), names, strict=True)
            ),
            pl.when(pl.col(_SAME_PROJECT)).then(pl.col("edition").shift(1)).alias("previous_edition"),
            _change_since_previous("cost_meur").alias("cost_change_meur"),
            _change_since_previous("duration_years").alias("duration_change_years"),
        )
        .with_columns(
            _ratio_minus_one("cost_meur", "baseline_cost_meur").alias("budget_drift"),
            (pl.col("cost_meur") - pl.col("baseline_cost_meur")).alias("budget_drift_meur"),
            _ratio_minus_one("duration_years", "baseline_duration_years").alias("schedule_drift"),
        )
        .with_columns(
            _change_since_previous("budget_drift").alias("budget_drift_change"),
            _change_since_previous("schedule_drift").alias("schedule_drift_change"),
        )
        .sort(_ROW)
        .select(pl.col(name).cast(dtype) for name, dtype in DRIFT_SCHEMA.items())
    )
    return pl.concat([lf.select(pl.exclude(*DRIFT_SCHEMA)), drifts], how="horizontal")


def exceeds_threshold(drift: pl.Expr, threshold: float) -> pl.Expr:
    """Drift strictly above the threshold, ignoring float noise; null when the drift is unknown.

    The one over-threshold rule: key figures, the drift page, the exit watch and the tables' colours all use it
    (or `drift_level`, its scalar form), so a project at exactly +10 % is « at » a 10 % threshold, not over it.
    """
    return drift > threshold + _THRESHOLD_TOLERANCE


DriftLevel = Literal["alert", "rising", "stable"]


def drift_level(drift: float | None, threshold: float) -> DriftLevel | None:
    """Over the threshold (alert), above zero (rising) or not (stable); None when unknown."""
    if drift is None or not math.isfinite(drift):
        return None
    if drift > threshold + _THRESHOLD_TOLERANCE:
        return "alert"
    return "rising" if drift > _THRESHOLD_TOLERANCE else "stable"


def require_drift_columns(df: pl.DataFrame | pl.LazyFrame, caller: str) -> pl.LazyFrame:
    """The frame as lazy, refusing one without drift columns since a silent null drift would mislead."""
    lf = df.lazy()
    missing = [name for name in DRIFT_SCHEMA if name not in lf.collect_schema()]
    if missing:
        raise ValueError(
            f"{caller} : colonnes de dérive absentes ({', '.join(missing)}). Appliquer "
            "analytics.panorama.drift.with_drift à toutes les éditions avant de filtrer le sous-ensemble."
        )
    return lf
