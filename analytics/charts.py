"""Altair chart builders: pure functions from a polars frame to a chart, French formats everywhere.

Every chart gets tooltips on its marks and the French number locale, so axes read `1 234,5`. Builders
never decide what to do with an empty frame: pages check emptiness first and say so in French.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import polars as pl

from analytics.formatting import VEGA_LOCALE

BLUE_FRANCE = "#000091"
RED_MARIANNE = "#E1000F"
GREY = "#666666"
PALETTE = (
    "#5C68E5",
    "#82B5F2",
    "#29598F",
    "#31A7AE",
    "#81EEF5",
    "#B478F1",
    "#CFB1F5",
    "#CECECE",
    "#DBDAFF",
    "#00005F",
    "#298641",
    "#79D289",
    "#EFB900",
    "#FFA373",
    "#E91719",
)
LEGEND_ROOM = 70  # pixels for a legend under the plot
ROW_HEIGHT = 30  # pixels per bar, so that every category label is drawn
CATEGORY_AXIS = alt.Axis(labelOverlap=False)
MEUR_FORMAT = ",.1f"
PCT_FORMAT = ".1%"
COUNT_FORMAT = ",d"


def finalize(chart: alt.TopLevelMixin, height: int = 320) -> alt.TopLevelMixin:
    """French locale, readable fonts, no chart border: every builder ends here."""
    return (
        chart.properties(height=height)
        .configure(locale=VEGA_LOCALE, font="system-ui, sans-serif")
        .configure_axis(labelFontSize=12, titleFontSize=13, labelColor="#3A3A3A", titleColor="#161616", labelLimit=220)
        .configure_legend(labelFontSize=12, titleFontSize=13, orient="bottom", columns=3, labelLimit=320)
        .configure_view(stroke=None)
    )


def _value_axis(value_format: str) -> alt.Axis:
    """Counts get whole-number ticks only (no « 1 1 2 » from rounded half steps)."""
    return (
        alt.Axis(format=value_format, tickMinStep=1) if value_format == COUNT_FORMAT else alt.Axis(format=value_format)
    )


def _values(df: pl.DataFrame) -> alt.Data:
    """Inline data as JSON-safe records (dates as ISO strings)."""
    converted = df.with_columns(pl.col(c).dt.strftime("%Y-%m-%d") for c, t in df.schema.items() if t == pl.Date)
    return alt.Data(values=converted.to_dicts())


def bar_chart(
    df: pl.DataFrame,
    category: str,
    value: str,
    *,
    category_title: str,
    value_title: str,
    value_format: str = MEUR_FORMAT,
    tooltip: Sequence[alt.Tooltip] = (),
    selection_name: str | None = None,
    selection_field: str | None = None,
    sort_by_value: bool = True,
    color: str = BLUE_FRANCE,
) -> alt.TopLevelMixin:
    """Horizontal bars; with a named point selection when a click should filter the page."""
    base = alt.Chart(_values(df)).mark_bar(color=color)
    encodings: dict[str, object] = {
        "y": alt.Y(f"{category}:N", title=category_title, sort="-x" if sort_by_value else None, axis=CATEGORY_AXIS),
        "x": alt.X(f"{value}:Q", title=value_title, axis=_value_axis(value_format)),
        "tooltip": [
            alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            *tooltip,
        ],
    }
    if selection_name:
        selection = alt.selection_point(name=selection_name, fields=[selection_field or category])
        base = base.add_params(selection)
        encodings["opacity"] = alt.condition(selection, alt.value(1.0), alt.value(0.45))
    height = max(160, ROW_HEIGHT * df.height)
    return finalize(base.encode(**encodings), height=height)


def stacked_bar_chart(
    df: pl.DataFrame,
    category: str,
    stack: str,
    value: str,
    *,
    category_title: str,
    stack_title: str,
    value_title: str,
    stack_order: Sequence[str] | None = None,
    value_format: str = COUNT_FORMAT,
) -> alt.TopLevelMixin:
    """Horizontal bars stacked by a second dimension (ministry × phase)."""
    colour_scale = (
        alt.Scale(domain=list(stack_order), range=list(PALETTE)) if stack_order else alt.Scale(range=list(PALETTE))
    )
    chart = (
        alt.Chart(_values(df))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=category_title, sort="-x", axis=CATEGORY_AXIS),
            x=alt.X(f"sum({value}):Q", title=value_title, axis=_value_axis(value_format)),
            color=alt.Color(f"{stack}:N", title=stack_title, scale=colour_scale, sort=list(stack_order or [])),
            order=alt.Order(f"{stack}_order:Q") if f"{stack}_order" in df.columns else alt.Undefined,
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{stack}:N", title=stack_title),
                alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            ],
        )
    )
    # Streamlit fits plot and legend into this height: keep room for the two-row legend below the bars.
    height = max(160, ROW_HEIGHT * df.get_column(category).n_unique()) + LEGEND_ROOM
    return finalize(chart, height=height)


def line_chart(
    df: pl.DataFrame,
    x: str,
    y: str,
    *,
    x_title: str,
    y_title: str,
    series: str | None = None,
    series_title: str = "",
    y_format: str = MEUR_FORMAT,
    dashed_series: str | None = None,
    break_date: date | None = None,
    break_label: str = "",
    rules: Sequence[tuple[float, str]] = (),
    interval_name: str | None = None,
) -> alt.TopLevelMixin:
    """Lines with points over time; an optional vertical rule marks a method break.

    `dashed_series` draws that series dashed (the official figures, next to computed ones).
    `rules` draws horizontal reference lines (ceilings) with their labels.
    """
    tooltip = [
        alt.Tooltip(f"{x}:T", title=x_title, format="%m/%Y"),
        alt.Tooltip(f"{y}:Q", title=y_title, format=y_format),
    ]
    encodings: dict[str, object] = {
        "x": alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format="%m/%Y")),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
    }
    if series:
        encodings["color"] = alt.Color(f"{series}:N", title=series_title or None, scale=alt.Scale(range=list(PALETTE)))
        tooltip.insert(0, alt.Tooltip(f"{series}:N", title=series_title or "Série"))
        if dashed_series:
            encodings["strokeDash"] = alt.condition(
                alt.datum[series] == dashed_series, alt.value([6, 4]), alt.value([1, 0])
            )
    base = alt.Chart(_values(df)).encode(**encodings)
    layers: list[alt.Chart] = [
        base.mark_line(strokeWidth=2.5),
        base.mark_point(filled=True, size=60).encode(tooltip=tooltip),
    ]
    if interval_name:
        layers[1] = layers[1].add_params(alt.selection_interval(name=interval_name, encodings=["x"]))
    if break_date is not None:
        rule_data = alt.Data(values=[{"date": break_date.isoformat(), "label": break_label}])
        rule = (
            alt.Chart(rule_data)
            .mark_rule(color=GREY, strokeDash=[4, 4])
            .encode(x="date:T", tooltip=[alt.Tooltip("label:N", title="Rupture")])
        )
        text = (
            alt.Chart(rule_data)
            .mark_text(align="left", dx=4, dy=-6, color=GREY, fontSize=11)
            .encode(x="date:T", y=alt.value(8), text="label:N")
        )
        layers.extend([rule, text])
    for level, label in rules:
        rule_data = alt.Data(values=[{"level": level, "label": label}])
        layers.append(
            alt.Chart(rule_data)
            .mark_rule(color=RED_MARIANNE, strokeDash=[6, 3])
            .encode(
                y="level:Q",
                tooltip=[alt.Tooltip("label:N", title="Repère"), alt.Tooltip("level:Q", format=y_format)],
            )
        )
        layers.append(
            alt.Chart(rule_data)
            .mark_text(align="left", dx=4, dy=-6, color=RED_MARIANNE, fontSize=11)
            .encode(y="level:Q", x=alt.value(4), text="label:N")
        )
    return finalize(alt.layer(*layers), height=320 + (LEGEND_ROOM if series else 0))


def drift_scatter(
    df: pl.DataFrame,
    *,
    threshold: float,
    selection_name: str | None = None,
) -> alt.TopLevelMixin:
    """Budget drift against schedule drift; bubble = cost, colour = ministry; alert threshold lines."""
    tooltip = [
        alt.Tooltip("project_name:N", title="Projet"),
        alt.Tooltip("ministry_label:N", title="Ministère"),
        alt.Tooltip("cost_meur:Q", title="Coût (M€)", format=MEUR_FORMAT),
        alt.Tooltip("budget_drift:Q", title="Écart budgétaire", format=PCT_FORMAT),
        alt.Tooltip("schedule_drift:Q", title="Écart calendaire", format=PCT_FORMAT),
    ]
    points = (
        alt.Chart(_values(df))
        .mark_circle(opacity=0.75, stroke="#FFFFFF", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "schedule_drift:Q",
                title="Écart calendaire",
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y(
                "budget_drift:Q",
                title="Écart budgétaire",
                axis=alt.Axis(format="%"),
            ),
            size=alt.Size("cost_meur:Q", title="Coût (M€)", scale=alt.Scale(range=[30, 1500]), legend=None),
            color=alt.Color("ministry_label:N", title="Ministère", scale=alt.Scale(range=list(PALETTE))),
            tooltip=tooltip,
        )
    )
    if selection_name:
        points = points.add_params(alt.selection_point(name=selection_name, fields=["project_id"]))
    thresholds = alt.Data(values=[{"t": threshold}])
    hrule = alt.Chart(thresholds).mark_rule(color=RED_MARIANNE, strokeDash=[6, 3]).encode(y="t:Q")
    vrule = alt.Chart(thresholds).mark_rule(color=RED_MARIANNE, strokeDash=[6, 3]).encode(x="t:Q")
    return finalize(alt.layer(points, hrule, vrule), height=420 + 2 * LEGEND_ROOM)


def chart_to_svg(chart: alt.TopLevelMixin) -> bytes:
    """Static SVG export, rendered without a browser."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict()).encode()


def chart_to_png(chart: alt.TopLevelMixin) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(chart.to_dict(), scale=2)
