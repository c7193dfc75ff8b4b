"""Ministry sheet: one ministry's portfolio over the editions, its projects, entrants and leavers, its share.

Ministries are followed by their stable `ministry_id` (crosswalk) across reshuffles. Drifts are "drift since
first publication", computed on the whole panorama before the ministry is selected, so a project that moved
between ministries keeps its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analytics.panorama.changes import EditionComparison, compare_editions
from analytics.panorama.drift import require_drift_columns
from analytics.panorama.ledger import with_ledger
from analytics.panorama.movements import Frame
from analytics.panorama.portfolio import PortfolioSummary, summarise_portfolio

MINISTRY_SHARE_METHOD_FR = (
    "Part de l'État : coût publié des projets du ministère rapporté au coût publié de tous les projets de "
    "l'édition (les coûts non publiés ne comptent ni au numérateur ni au dénominateur) ; part des projets : "
    "nombre de projets du ministère rapporté au nombre de projets de l'édition. Le coût total officiel de "
    "certaines éditions exclut les projets en cadrage : la part calculée ici porte sur le tableau publié."
)


def _cost_weighted(drift: str) -> pl.Expr:
    """Drift weighted by cost over the projects where both are known, as in `summarise_portfolio`."""
    weight = pl.col("cost_meur").filter(pl.col(drift).is_not_null())
    return pl.when(weight.sum() > 0).then((pl.col(drift) * pl.col("cost_meur")).sum() / weight.sum())


def _per_edition(lf: pl.LazyFrame, prefix: str) -> pl.LazyFrame:
    cost = pl.col("cost_meur")
    return lf.group_by("edition").agg(
        pl.len().cast(pl.Int32).alias(f"{prefix}projects"),
        pl.when(cost.count() > 0).then(cost.sum()).alias(f"{prefix}cost_meur"),
        cost.null_count().cast(pl.Int32).alias(f"{prefix}projects_withheld_cost"),
    )


def ministry_trajectory(df_all: Frame, ministry_id: str) -> pl.DataFrame:
    """One row per edition of the panorama: the ministry's count, cost, drifts and share of the State's total.

    An edition without the ministry has 0 projects, a 0 cost and 0 shares (it holds nothing), null drifts;
    a ministry whose costs were all withheld has a null cost and share.
    """
    lf = require_drift_columns(df_all, "Fiche ministère")
    mine = lf.filter(pl.col("ministry_id") == ministry_id)
    drifts = mine.group_by("edition").agg(
        pl.col("budget_drift").mean().alias("mean_budget_drift"),
        _cost_weighted("budget_drift").alias("weighted_budget_drift"),
        pl.col("schedule_drift").mean().alias("mean_schedule_drift"),
        _cost_weighted("schedule_drift").alias("weighted_schedule_drift"),
        pl.col("budget_drift").count().cast(pl.Int32).alias("projects_with_budget_drift"),
    )
    absent = pl.col("projects").is_null()
    return (
        _per_edition(lf, "state_")
        .join(_per_edition(mine, ""), on="edition", how="left")
        .join(drifts, on="edition", how="left")
        .with_columns(
            pl.col("projects", "projects_withheld_cost", "projects_with_budget_drift").fill_null(0),
            pl.when(absent).then(0.0).otherwise(pl.col("cost_meur")).alias("cost_meur"),
        )
        .with_columns(
            (pl.col("projects") / pl.col("state_projects")).alias("project_share"),
            pl.when(pl.col("state_cost_meur") > 0)
            .then(pl.col("cost_meur") / pl.col("state_cost_meur"))
            .alias("cost_share"),
        )
        .select(
            "edition",
            "projects",
            "cost_meur",
            "projects_withheld_cost",
            "projects_with_budget_drift",
            "mean_budget_drift",
            "weighted_budget_drift",
            "mean_schedule_drift",
            "weighted_schedule_drift",
            "state_projects",
            "state_cost_meur",
            "project_share",
            "cost_share",
        )
        .sort("edition")
        .collect()
    )


@dataclass(frozen=True)
class MinistrySheet:
    """Everything the ministry sheet shows, for one ministry and one edition."""

    ministry_id: str
    ministry_label: str  # label as of the ministry's latest edition
    published_names: tuple[str, ...]  # every « Ministère porteur » spelling, in edition order
    edition: date
    trajectory: pl.DataFrame  # `ministry_trajectory`
    projects: pl.DataFrame  # its projects in `edition`, with drift and ledger columns, largest cost first
    summary: PortfolioSummary  # `summarise_portfolio` of those projects
    comparison: EditionComparison | None  # entrants, leavers, continuing vs the comparison edition

    @property
    def cost_share(self) -> float | None:
        """Share of the State's published cost in `edition`."""
        row = self.trajectory.filter(pl.col("edition") == self.edition)
        return row["cost_share"].item() if row.height else None


def ministry_sheet(
    df_all: Frame,
    ministry_id: str,
    edition: date,
    comparison_edition: date | None = None,
    drift_threshold: float = 0.2,
) -> MinistrySheet | None:
    """The sheet of a ministry from the whole panorama with drift columns; None when the ministry is unknown.

    Entrants and leavers are the ministry's: a project transferred from another ministry is an entrant of
    this one, with `transfer_ministry_label` naming where it came from.
    """
    lf = require_drift_columns(df_all, "Fiche ministère")
    history = lf.filter(pl.col("ministry_id") == ministry_id).sort("edition").collect()
    if history.is_empty():
        return None
    in_edition = history.filter(pl.col("edition") == edition)
    projects = (
        with_ledger(lf.join(in_edition.lazy().select("project_id"), on="project_id", how="semi"))
        .filter(pl.col("edition") == edition)
        .sort("cost_meur", "project_name", descending=[True, False], nulls_last=True)
        .collect()
    )
    comparison = None
    if comparison_edition is not None and comparison_edition != edition:
        earlier, later = sorted((comparison_edition, edition))
        comparison = compare_editions(history, earlier, later, whole=lf)
    return MinistrySheet(
        ministry_id=ministry_id,
        ministry_label=history["ministry_label"][-1],
        published_names=tuple(history["ministry_name"].unique(maintain_order=True).to_list()),
        edition=edition,
        trajectory=ministry_trajectory(lf, ministry_id),
        projects=projects,
        summary=summarise_portfolio(in_edition, drift_threshold),
        comparison=comparison,
    )
