"""Like-for-like decomposition of the change of the portfolio's average drift between two editions.

Is the average drift falling because projects improved or because drifting projects left the list? The
change of an average splits exactly into the change over the projects measured in both editions
(« dérive à périmètre constant ») and a composition effect (entrants and leavers). Averages are those of
`analytics.panorama.portfolio.summarise_portfolio`: over the projects whose drift is known in the edition,
plain or weighted by the project's cost in that edition.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.panorama.drift import require_drift_columns
from analytics.panorama.movements import Frame
from analytics.panorama.portfolio import OFFICIAL_SERIES_FR

DriftColumn = Literal["budget_drift", "schedule_drift"]
Statistic = Literal["mean", "cost_weighted"]

DRIFT_LABELS_FR: dict[str, str] = {"budget_drift": "Dérive budgétaire", "schedule_drift": "Dérive calendaire"}
STATISTIC_LABELS_FR: dict[str, str] = {"mean": "Moyenne", "cost_weighted": "Moyenne pondérée par le coût"}

DECOMPOSITION_METHOD_FR = (
    "La moyenne d'une édition porte sur les projets dont la dérive est connue dans cette édition (chiffre "
    "publié dans l'édition et à la première publication du projet) ; un chiffre non publié n'est jamais "
    "compté comme zéro, comme dans les autres moyennes de l'application. Les projets dont la dérive est "
    "connue dans les deux éditions forment le périmètre constant : la « dérive à périmètre constant » est "
    "la variation de leur moyenne d'une édition à l'autre. L'effet des entrants est l'écart, dans l'édition "
    "d'arrivée, entre la moyenne de tout le portefeuille et celle du périmètre constant ; l'effet des "
    "sortants est l'écart, dans l'édition de départ, entre la moyenne du périmètre constant et celle de "
    "tout le portefeuille. Un projet présent dans les deux éditions mais dont la dérive n'est connue que "
    "dans l'une compte comme entrant ou sortant du périmètre mesuré. Effet de composition = effet des "
    "entrants + effet des sortants, et variation totale = effet de composition + dérive à périmètre "
    "constant, exactement. Pour la moyenne pondérée, chaque projet pèse son coût dans l'édition considérée. "
    "La dérive étant mesurée depuis la première publication, un projet publié pour la première fois a une "
    "dérive nulle : des entrants nouveaux tirent mécaniquement la moyenne vers zéro. Les moyennes "
    "officielles de la DINUM, données à côté pour comparaison, partent des estimations initiales des "
    "projets et ne peuvent pas être décomposées ainsi."
)


class DriftChangeSplit(BaseModel):
    """total_change = like_for_like + entrants_effect + leavers_effect (to float rounding).

    Averages are None when no project is measured; with no project measured in both editions the whole
    change is composition and the like-for-like part and the two effects are None.
    """

    model_config = ConfigDict(frozen=True)

    drift: DriftColumn
    statistic: Statistic
    from_value: float | None  # the portfolio's average in from_edition
    to_value: float | None
    total_change: float | None
    continuing_from: float | None  # average of the projects measured in both editions, in from_edition
    continuing_to: float | None
    like_for_like: float | None  # continuing_to - continuing_from: « dérive à périmètre constant »
    entrants_effect: float | None  # to_value - continuing_to
    leavers_effect: float | None  # continuing_from - from_value
    composition: float | None  # entrants_effect + leavers_effect
    continuing_count: int  # measured in both editions
    entrants_count: int  # measured in to_edition only
    newly_measured_count: int  # of the entrants: present in from_edition, drift unknown there
    leavers_count: int  # measured in from_edition only
    no_longer_measured_count: int  # of the leavers: present in to_edition, drift unknown there


class OfficialDriftChange(BaseModel):
    """The official averages of both editions (headline figures), shown beside, never decomposed."""

    model_config = ConfigDict(frozen=True)

    label: str = OFFICIAL_SERIES_FR
    budget_from: float | None
    budget_to: float | None
    schedule_from: float | None
    schedule_to: float | None


class DriftDecomposition(BaseModel):
    """The four splits (budget and schedule drift, mean and cost-weighted) of one pair of editions."""

    model_config = ConfigDict(frozen=True)

    from_edition: date
    to_edition: date
    budget_mean: DriftChangeSplit
    budget_cost_weighted: DriftChangeSplit
    schedule_mean: DriftChangeSplit
    schedule_cost_weighted: DriftChangeSplit
    official: OfficialDriftChange | None  # None when no headline figures were given

    @property
    def splits(self) -> tuple[DriftChangeSplit, ...]:
        return (self.budget_mean, self.budget_cost_weighted, self.schedule_mean, self.schedule_cost_weighted)


def _measured(lf: pl.LazyFrame, edition: date, drift: DriftColumn, weight: pl.Expr, side: str) -> pl.LazyFrame:
    """Projects of one edition: drift and weight where both are known (else null), and a presence flag."""
    known = pl.col(drift).is_not_null() & weight.is_not_null()
    return lf.filter(pl.col("edition") == edition).select(
        "project_id",
        pl.when(known).then(pl.col(drift)).alias(f"d_{side}"),
        pl.when(known).then(weight).cast(pl.Float64).alias(f"w_{side}"),
        pl.lit(True).alias(f"present_{side}"),
    )


def _set_sums(side: str, name: str, rows: pl.Expr) -> list[pl.Expr]:
    """Sum of weights and of weighted drifts of one side over the rows of one set."""
    weight, drift = pl.col(f"w_{side}"), pl.col(f"d_{side}")
    return [weight.filter(rows).sum().alias(f"w_{name}"), (weight * drift).filter(rows).sum().alias(f"wd_{name}")]


def _sums(lf: pl.LazyFrame, from_edition: date, to_edition: date, drift: DriftColumn, weight: pl.Expr) -> dict:
    """Weight and weighted-drift sums of the four sets (all and continuing, in each edition), and counts."""
    both = _measured(lf, from_edition, drift, weight, "a").join(
        _measured(lf, to_edition, drift, weight, "b"), on="project_id", how="full", coalesce=True
    )
    in_a, in_b = pl.col("d_a").is_not_null(), pl.col("d_b").is_not_null()
    present_a, present_b = pl.col("present_a").fill_null(False), pl.col("present_b").fill_null(False)
    continuing = in_a & in_b
    return (
        both.select(
            *_set_sums("a", "a", in_a),
            *_set_sums("b", "b", in_b),
            *_set_sums("a", "ka", continuing),
            *_set_sums("b", "kb", continuing),
            continuing.sum().alias("continuing_count"),
            (in_b & ~in_a).sum().alias("entrants_count"),
            (in_b & ~in_a & present_a).sum().alias("newly_measured_count"),
            (in_a & ~in_b).sum().alias("leavers_count"),
            (in_a & ~in_b & present_b).sum().alias("no_longer_measured_count"),
        )
        .collect()
        .row(0, named=True)
    )


def _average(sums: dict, name: str) -> float | None:
    weight = sums[f"w_{name}"]
    return sums[f"wd_{name}"] / weight if weight else None


def _difference(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else later - earlier


def split_drift_change(
    df_all: Frame, from_edition: date, to_edition: date, drift: DriftColumn, statistic: Statistic
) -> DriftChangeSplit:
    """Split the change of one average drift between two editions of a possibly filtered subset."""
    lf = require_drift_columns(df_all, "Décomposition de la dérive")
    weight = pl.lit(1.0) if statistic == "mean" else pl.col("cost_meur")
    sums = _sums(lf, from_edition, to_edition, drift, weight)
    from_value, to_value = _average(sums, "a"), _average(sums, "b")
    continuing_from, continuing_to = _average(sums, "ka"), _average(sums, "kb")
    total = _difference(to_value, from_value)
    decomposable = total is not None and continuing_from is not None and continuing_to is not None
    entrants = _difference(to_value, continuing_to) if decomposable else None
    leavers = _difference(continuing_from, from_value) if decomposable else None
    counts = {name: int(sums[name]) for name in DriftChangeSplit.model_fields if name.endswith("_count")}
    return DriftChangeSplit(
        drift=drift,
        statistic=statistic,
        from_value=from_value,
        to_value=to_value,
        total_change=total,
        continuing_from=continuing_from,
        continuing_to=continuing_to,
        like_for_like=_difference(continuing_to, continuing_from) if decomposable else None,
        entrants_effect=entrants,
        leavers_effect=leavers,
        composition=entrants + leavers if decomposable else total,
        **counts,
    )


def official_drift_change(headlines: pl.DataFrame, from_edition: date, to_edition: date) -> OfficialDriftChange:
    """The official average drifts of both editions from the headline figures (None where not published)."""

    def value(edition: date, column: str) -> float | None:
        found = headlines.filter(pl.col("edition") == edition).get_column(column)
        return found.item(0) if found.len() else None

    return OfficialDriftChange(
        budget_from=value(from_edition, "avg_budget_drift"),
        budget_to=value(to_edition, "avg_budget_drift"),
        schedule_from=value(from_edition, "avg_schedule_drift"),
        schedule_to=value(to_edition, "avg_schedule_drift"),
    )


def decompose_drift_change(
    df_all: Frame, from_edition: date, to_edition: date, headlines: pl.DataFrame | None = None
) -> DriftDecomposition:
    """Budget and schedule drift, mean and cost-weighted, split between two editions (earlier first).

    Pass `headlines` (HEADLINE_SCHEMA) only for the whole panorama: the official averages cover it all.
    """
    if from_edition >= to_edition:
        raise ValueError(
            f"Décomposition de la dérive : l'édition de départ ({from_edition.isoformat()}) doit précéder "
            f"l'édition d'arrivée ({to_edition.isoformat()})."
        )
    lf = require_drift_columns(df_all, "Décomposition de la dérive")
    return DriftDecomposition(
        from_edition=from_edition,
        to_edition=to_edition,
        budget_mean=split_drift_change(lf, from_edition, to_edition, "budget_drift", "mean"),
        budget_cost_weighted=split_drift_change(lf, from_edition, to_edition, "budget_drift", "cost_weighted"),
        schedule_mean=split_drift_change(lf, from_edition, to_edition, "schedule_drift", "mean"),
        schedule_cost_weighted=split_drift_change(lf, from_edition, to_edition, "schedule_drift", "cost_weighted"),
        official=None if headlines is None else official_drift_change(headlines, from_edition, to_edition),
    )


def decomposition_table(decomposition: DriftDecomposition) -> pl.DataFrame:
    """One row per split with French labels, for the page's table and its download."""
    rows = [
        {
            "drift_label": DRIFT_LABELS_FR[split.drift],
            "statistic_label": STATISTIC_LABELS_FR[split.statistic],
            **split.model_dump(),
        }
        for split in decomposition.splits
    ]
    floats = {
        name: pl.Float64 for name, info in DriftChangeSplit.model_fields.items() if info.annotation == float | None
    }
    return pl.DataFrame(rows, schema_overrides=floats).with_columns(
        pl.lit(decomposition.from_edition).alias("from_edition"), pl.lit(decomposition.to_edition).alias("to_edition")
    )
