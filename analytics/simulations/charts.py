"""Chart data and Altair builders of the Simulations page: pure functions, French titles and tooltips."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import polars as pl

from analytics import chart_text
from analytics.charts import (
    COUNT_FORMAT,
    DESCRIPTION_FIELD,
    MEUR_FORMAT,
    PALETTE,
    _chart_data,
    axis_title,
    chart_table,
    column_for,
    finalize,
    legend_room,
    stacked_bar_chart,
    text_tooltips,
)
from analytics.display import Column
from analytics.formatting import format_number_expr
from analytics.simulations.drift_alerts import DimensionEnum
from analytics.simulations.threshold import ScopeEnum

OBSERVED_SERIES_FR = "Montant notifié cumulé (constaté)"
ALERT_LEVELS_TITLE_FR = "Projets signalés par niveau d'alerte"
LEVEL_AXIS_FR = "Niveau d'alerte (dérive strictement supérieure à)"

_LEVEL_CHART_SCHEMA: dict[str, pl.DataType] = {
    "dimension": pl.String(),
    "level": pl.Float64(),
    "level_label": pl.String(),
    "projects": pl.UInt32(),
    "drift_meur": pl.Float64(),
}
_CEILING_SCHEMA: dict[str, pl.DataType] = {"month": pl.Date(), "series": pl.String(), "amount_meur": pl.Float64()}


SCOPE_ORDER: list[str] = list(ScopeEnum.categories)


def _level_label(level: pl.Expr) -> pl.Expr:
    """'> 10 %', '> 12,5 %': up to four decimals (the precision a level keeps through the URL), no trailing zeros."""
    return pl.format("> {}\u00a0%", format_number_expr(level * 100, 4, trim=True))


def scope_by_ministry(projects: pl.DataFrame) -> pl.DataFrame:
    """Project count per ministry and scope (a `ThresholdResult.projects` frame), for a stacked bar chart."""
    return (
        projects.lazy()
        .group_by("ministry_label", "scope")
        .agg(pl.len().cast(pl.UInt32).alias("projects"))
        .with_columns(scope_order=pl.col("scope").to_physical(), scope=pl.col("scope").cast(pl.String))
        .sort("ministry_label", "scope_order")
        .collect()
    )


def scope_chart(by_scope: pl.DataFrame, title: str | None = None) -> alt.TopLevelMixin:
    """Projects per ministry stacked by scope at the simulated threshold (a `scope_by_ministry` frame): the page's
    chart and the briefing's."""
    return stacked_bar_chart(
        by_scope,
        "ministry_label",
        "scope",
        "projects",
        category_title="Ministère",
        stack_title="Périmètre au seuil simulé",
        value_title="Nombre de projets",
        stack_order=SCOPE_ORDER,
        title=title,
    )


def alert_levels_frame(levels: pl.DataFrame) -> pl.DataFrame:
    """A `DriftAlertResult.levels` frame with a French label per level, in level order."""
    return (
        levels.lazy()
        .with_columns(
            dimension=pl.col("dimension").cast(DimensionEnum).cast(pl.String),
            level_label=_level_label(pl.col("level")),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in _LEVEL_CHART_SCHEMA.items())
        .sort("dimension", "level")
        .collect()
    )


def alert_levels_chart(frame: pl.DataFrame) -> alt.TopLevelMixin:
    """Flagged projects per alert level, budget and schedule bars side by side (`alert_levels_frame`)."""
    order = frame.sort("level").get_column("level_label").unique(maintain_order=True).to_list()
    dimension = Column(field="dimension", header="Dérive")
    level = Column(field="level_label", header="Niveau")
    projects = column_for("projects", "Projets signalés", COUNT_FORMAT)
    table = chart_table(
        [dimension, level, projects, column_for("drift_meur", "Dérive budgétaire en jeu (M€)", MEUR_FORMAT)]
    )
    chart = (
        alt.Chart(_chart_data(frame, table))
        .mark_bar()
        .encode(
            x=alt.X("level_label:N", title=axis_title(LEVEL_AXIS_FR), sort=order),
            xOffset=alt.XOffset("dimension:N"),
            y=alt.Y("projects:Q", title="Projets signalés", axis=alt.Axis(format=COUNT_FORMAT, tickMinStep=1)),
            color=alt.Color("dimension:N", title="Dérive", scale=alt.Scale(range=list(PALETTE))),
            tooltip=text_tooltips(table),
            description=alt.Description(f"{DESCRIPTION_FIELD}:N"),
        )
    )
    description = chart_text.level_sentence(frame, dimension, level, projects, title=ALERT_LEVELS_TITLE_FR)
    dimensions = frame.get_column("dimension").n_unique()
    return finalize(chart, height=320 + legend_room(dimensions), table=table, description=description)


def ceiling_series(burn_up: pl.DataFrame, projections: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Observed cumulative amount (`spend.burn_up`) and each named projection, in M€, as one long frame."""
    observed = burn_up.lazy().select(
        "month", series=pl.lit(OBSERVED_SERIES_FR), amount_meur=pl.col("cumulative_eur") / 1e6
    )
    projected = [
        frame.lazy().select("month", series=pl.lit(name), amount_meur=pl.col("projected_consumed_eur") / 1e6)
        for name, frame in projections.items()
    ]
    return (
        pl.concat([observed, *projected])
        .select(pl.col(name).cast(dtype) for name, dtype in _CEILING_SCHEMA.items())
        .collect()
    )
