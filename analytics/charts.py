"""Altair chart builders: pure functions from a polars frame to a chart, French and accessible.

Every builder describes its figures with the display model (`analytics.display`): tooltips, the marks'
accessible descriptions and the chart's « Voir les données » table all use the same French texts
(`+50,8 %`, never `50,774527`). The chart carries that table model and a French sentence stating its message
(`chart_table_spec`, `chart_description`); the sentence is also the chart's accessible name. Builders never
decide what to do with an empty frame: pages check emptiness first and say so in French.

Colours: `PALETTE` keeps DSFR hues dark enough for 3:1 against white and distinct under the three common
colour-vision deficiencies (tests/test_palette.py computes both); series are doubled by shapes or dashes.

Cost on a new view: encodings are channel objects (`alt.Y("level:Q")`, `alt.XValue(4)`), never shorthand
strings or bare `alt.value`/`alt.condition` dicts, which Altair resolves through its whole schema (2 to 6 ms
each); `finalize` completes the chart in place (see `CHART_CONFIG`).
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

import altair as alt
import polars as pl

from analytics import chart_text
from analytics.display import Column, Kind, TableSpec
from analytics.exports import ExportContext
from analytics.formatting import VEGA_LOCALE

BLUE_FRANCE = "#000091"
RED_MARIANNE = "#E1000F"
GREY = "#666666"
TEXT_COLOUR = "#3A3A3A"  # DSFR body text
TITLE_COLOUR = "#161616"  # DSFR titles
# Categorical palette, in order of use: DSFR hues (blue France, warning orange, menthe, the DSFR charts' violet,
# macaron and blue, glycine, tuile), each at least 3:1 against white.
PALETTE = (
    "#000091",
    "#B34000",
    "#009081",
    "#B478F1",
    "#8D533E",
    "#29598F",
    "#6E445A",
    "#CE614A",
)
# Shapes double the colours of points; 7 against 8 colours, so that 56 series get distinct pairs.
SHAPES = ("circle", "square", "triangle-up", "diamond", "triangle-down", "cross", "triangle-right")
LEGEND_ROW = (
    32  # pixels per legend entry, as Streamlit draws it (one entry per line: a legend never runs past the chart's edge)
)
# About one value tick per 90 px across (60 px up): on a phone no label is dropped for overlap, so the last one
# ends the axis (and is kept inside by labelFlush).
TICK_COUNTS = {False: {"expr": "max(2, floor(width / 90))"}, True: {"expr": "max(2, floor(height / 60))"}}
AXIS_ROOM = 50  # pixels of a value axis with its title: Streamlit fits axis, plot and legend into the height
LEGEND_ROOM = 70  # pixels kept under a plot for a small legend (kept for callers)
ROW_HEIGHT = 30  # pixels per bar, so that every category label is drawn
LINE_HEIGHT = 14  # pixels per line of a wrapped category label
LABEL_CHARS = 24  # characters per line of a category label
TITLE_CHARS = 28  # characters per line of an axis title (a phone leaves about 200 px to the plot)
LABEL_LIMIT = 190  # pixels per line of a category label
LEGEND_LABEL_LIMIT = 300
CATEGORY_AXIS = alt.Axis(labelOverlap=False)
MEUR_FORMAT = ",.1f"
PCT_FORMAT = ".1%"
SIGNED_PCT_FORMAT = "+.1%"
COUNT_FORMAT = ",d"
MONTH_FORMAT = "%m/%Y"
EXPORT_WIDTH = 720  # pixels of a PNG/SVG plot: wide enough for its title block
TEXT_SUFFIX = "__fr"  # the French text of a field, as the tables show it
DESCRIPTION_FIELD = "description__fr"
_FORMAT_KINDS: dict[str, tuple[Kind, int]] = {
    COUNT_FORMAT: (Kind.INTEGER, 0),
    PCT_FORMAT: (Kind.PERCENT, 1),
    SIGNED_PCT_FORMAT: (Kind.SIGNED_PERCENT, 1),
    ".0%": (Kind.PERCENT, 0),
    MONTH_FORMAT: (Kind.MONTH, 0),
    "%d/%m/%Y": (Kind.DATE, 0),
}


def column_for(field: str, title: str, value_format: str | None = None, dtype: pl.DataType | None = None) -> Column:
    """The display model of a chart field from its d3 format (`,.1f`, `.1%`, `,d`, `%m/%Y`)."""
    if value_format in _FORMAT_KINDS:
        kind, places = _FORMAT_KINDS[value_format]
    elif value_format and value_format.startswith(",.") and value_format.endswith("f"):
        kind, places = (Kind.MONEY if "M€" in title else Kind.NUMBER), int(value_format[2:-1])
    elif dtype is not None and dtype.is_temporal():
        kind, places = Kind.MONTH, 0
    elif dtype is not None and dtype.is_integer():
        kind, places = Kind.INTEGER, 0
    elif dtype is not None and dtype.is_numeric():
        kind, places = (Kind.MONEY if "M€" in title else Kind.NUMBER), 1
    else:
        kind, places = Kind.TEXT, 0
    return Column(field=field, header=title, kind=kind, decimals=places)


def tooltip_columns(tooltips: Sequence[alt.Tooltip], schema: pl.Schema) -> list[Column]:
    """Extra tooltips given as `alt.Tooltip("projects:Q", title="Projets")`, as display columns."""
    columns = []
    for tooltip in tooltips:
        spec = tooltip.to_dict()
        field = spec["field"]
        columns.append(column_for(field, spec.get("title", field), spec.get("format"), schema.get(field)))
    return columns


def chart_table(columns: Sequence[Column]) -> TableSpec:
    """One column per field (the first description of a field wins)."""
    unique: dict[str, Column] = {}
    for column in columns:
        unique.setdefault(column.field, column)
    return TableSpec(columns=tuple(unique.values()))


def with_texts(df: pl.DataFrame, table: TableSpec) -> pl.DataFrame:
    """The chart data plus each field's French text and one description per mark (read by screen readers)."""
    texts = table.texts(df)
    described = pl.concat_str(
        [pl.lit(f"{c.header} : ") + pl.col(c.header) for c in table.columns], separator=" ; "
    ).alias(DESCRIPTION_FIELD)
    renamed = texts.select(
        *(pl.col(c.header).alias(f"{c.field}{TEXT_SUFFIX}") for c in table.columns),
        described,
    )
    return pl.concat([df, renamed], how="horizontal")


def text_tooltips(table: TableSpec) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{c.field}{TEXT_SUFFIX}:N", title=c.header) for c in table.columns]


class Rows:
    """A chart's inline records, as `to_dict` gives them: Altair copies and walks every list a chart holds (each
    layered chart's constructor deep-copies its layers, and `to_dict` rebuilds each record), while an object it
    knows by its `to_dict` only (`SchemaLike`) is neither copied nor walked. The records are JSON values already
    (`_values`); they are shared by every spec built from the chart and must not be changed."""

    _schema: ClassVar[dict[str, str]] = {"type": "array"}

    def __init__(self, records: list[dict[str, object]]) -> None:
        self._records = records

    def to_dict(self, *_args: object, **_kwargs: object) -> list[dict[str, object]]:
        return list(self._records)

    def __repr__(self) -> str:
        """Altair names a view with selections by hashing the repr of its data: a digest of the records keeps
        that name the same for the same rows, in every process."""
        digest = hashlib.sha256(json.dumps(self._records, sort_keys=True, default=str).encode()).hexdigest()
        return f"Rows({len(self._records)}, {digest[:16]})"


def _values(df: pl.DataFrame) -> alt.Data:
    """Inline data as JSON-safe records (dates as ISO strings)."""
    converted = df.with_columns(pl.col(c).dt.strftime("%Y-%m-%d") for c, t in df.schema.items() if t == pl.Date)
    return alt.Data(values=Rows(converted.to_dicts()))


def _chart_data(df: pl.DataFrame, table: TableSpec) -> alt.Data:
    return _values(with_texts(df, table))


# Every chart's configuration, built once. Each `configure_*` or `properties` call copies the chart, and copying
# a layered chart re-runs its constructor, which deep-copies every layer with its rows: setting the
# configuration in place saves a new view about ten such copies per layered chart.
CHART_CONFIG = alt.Config(
    locale=VEGA_LOCALE,
    font="system-ui, sans-serif",
    axis=alt.AxisConfig(
        labelFontSize=12,
        titleFontSize=13,
        labelColor=TEXT_COLOUR,
        titleColor=TITLE_COLOUR,
        labelLimit=LABEL_LIMIT,
        labelPadding=6,
        titlePadding=8,
        aria=False,
    ),
    legend=alt.LegendConfig(
        labelFontSize=12,
        titleFontSize=13,
        labelColor=TEXT_COLOUR,
        titleColor=TITLE_COLOUR,
        orient="bottom",
        direction="vertical",
        columns=1,
        labelLimit=LEGEND_LABEL_LIMIT,
        rowPadding=6,
        padding=4,
        titlePadding=6,
        labelPadding=6,
        aria=False,
    ),
    range=alt.RangeConfig(category=list(PALETTE)),
    view=alt.ViewConfig(stroke=None),
)


def finalize(
    chart: alt.TopLevelMixin,
    height: int = 320,
    *,
    table: TableSpec | None = None,
    description: str | None = None,
) -> alt.TopLevelMixin:
    """French locale, readable colours, French accessible name; the table model rides along in `usermeta`.

    Vega's generated English axis and legend descriptions are switched off: the chart's description states
    its message and each mark describes itself in French. `chart` is the builder's own new chart: it is
    completed in place rather than copied.
    """
    chart.height = height
    if description:
        chart.description = description
    if table is not None:
        chart.usermeta = {"panorama": {"table": table.model_dump(mode="json")}}
    chart.config = CHART_CONFIG
    return chart


def _top_level(chart: alt.TopLevelMixin, name: str) -> object:
    """A top-level property as the builder set it (reading it costs nothing, unlike a whole `to_dict`)."""
    value = getattr(chart, name, alt.Undefined)
    return None if value is alt.Undefined else value


def chart_table_spec(chart: alt.TopLevelMixin) -> TableSpec | None:
    """The display model a builder attached to its chart (None for a chart built elsewhere)."""
    meta = _top_level(chart, "usermeta") or {}
    table = meta.get("panorama", {}).get("table") if isinstance(meta, dict) else None
    return TableSpec.model_validate(table) if table is not None else None


def chart_description(chart: alt.TopLevelMixin) -> str | None:
    description = _top_level(chart, "description")
    return description if isinstance(description, str) else None


def legend_room(entries: int) -> int:
    """Height of a one-column legend with its title."""
    return 24 + LEGEND_ROW * entries


def wrap_label(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_CHARS, break_long_words=False) or [label]


def category_axis(labels: Sequence[object]) -> alt.Axis:
    """Long category labels wrap on several lines instead of being cut (« Transformation et Fonction publiq… »).

    The category's name is left to the section title, the tooltips and the data table: a rotated axis title
    was drawn over the labels.
    """
    wrapped = {str(label): wrap_label(str(label)) for label in labels if label is not None}
    long = {label: lines for label, lines in wrapped.items() if len(lines) > 1}
    if not long:
        return alt.Axis(labelOverlap=False, title=None)
    expression = f"{json.dumps(long, ensure_ascii=False)}[datum.label] || datum.label"
    return alt.Axis(labelOverlap=False, title=None, labelExpr=expression)


def bar_height(labels: Sequence[object]) -> int:
    """Plot height that gives every bar room for its wrapped label, plus the value axis."""
    lines = max((len(wrap_label(str(label))) for label in labels), default=1)
    return max(160, max(ROW_HEIGHT, LINE_HEIGHT * lines + 6) * len(labels)) + AXIS_ROOM


def axis_title(title: str) -> str | list[str]:
    """A long axis title on two lines rather than past the chart's edge on a phone."""
    lines = textwrap.wrap(title, TITLE_CHARS, break_long_words=False)
    return lines if len(lines) > 1 else title


def _value_axis(value_format: str, title: str, *, vertical: bool = False) -> alt.Axis:
    """Counts get whole-number ticks only (no « 1 1 2 » from rounded half steps); end labels stay inside."""
    steps = {"tickMinStep": 1} if value_format == COUNT_FORMAT else {}
    ticks = TICK_COUNTS[vertical]
    return alt.Axis(format=value_format, title=axis_title(title), labelFlush=True, tickCount=ticks, **steps)


def time_axis(dates: Sequence[date]) -> alt.Axis:
    """Ticks on the data's own dates (editions, months): no repeated « 07/2021 », none past the last point."""
    distinct = sorted({d for d in dates if d is not None})
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in distinct]
    return alt.Axis(format=MONTH_FORMAT, values=values, labelOverlap=True, labelAngle=0)


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
    title: str | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars; with a named point selection when a click should filter the page."""
    category_column = Column(field=category, header=category_title)
    value_column = column_for(value, value_title, value_format)
    table = chart_table([category_column, value_column, *tooltip_columns(tooltip, df.schema)])
    labels = df.get_column(category).to_list()
    base = alt.Chart(_chart_data(df, table)).mark_bar(color=color)
    encodings: dict[str, object] = {
        "y": alt.Y(f"{category}:N", sort="-x" if sort_by_value else None, axis=category_axis(labels)),
        "x": alt.X(f"{value}:Q", axis=_value_axis(value_format, value_title)),
        "tooltip": text_tooltips(table),
        "description": alt.Description(f"{DESCRIPTION_FIELD}:N"),
    }
    if selection_name:
        selection = alt.selection_point(name=selection_name, fields=[selection_field or category])
        base = base.add_params(selection)
        encodings["opacity"] = alt.OpacityValue(**alt.condition(selection, alt.value(1.0), alt.value(0.6)))
    sentence_title = title or f"{value_title} par {category_title.lower()}"
    description = chart_text.ranking_sentence(
        df, category_column, value_column, title=sentence_title, ranked=sort_by_value
    )
    return finalize(base.encode(**encodings), height=max(160, bar_height(labels)), table=table, description=description)


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
    title: str | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars stacked by a second dimension (ministry × phase)."""
    category_column = Column(field=category, header=category_title)
    stack_column = Column(field=stack, header=stack_title)
    value_column = column_for(value, value_title, value_format)
    table = chart_table([category_column, stack_column, value_column])
    order = list(stack_order or df.get_column(stack).unique(maintain_order=True).to_list())
    colour_scale = alt.Scale(domain=order, range=list(PALETTE))
    labels = df.get_column(category).unique(maintain_order=True).to_list()
    chart = (
        alt.Chart(_chart_data(df, table))
        .mark_bar(stroke="#FFFFFF", strokeWidth=1)
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", axis=category_axis(labels)),
            x=alt.X(f"sum({value}):Q", axis=_value_axis(value_format, value_title)),
            color=alt.Color(f"{stack}:N", title=stack_title, scale=colour_scale, sort=order),
            order=alt.Order(f"{stack}_order:Q") if f"{stack}_order" in df.columns else alt.Undefined,
            tooltip=text_tooltips(table),
            description=alt.Description(f"{DESCRIPTION_FIELD}:N"),
        )
    )
    description = chart_text.stacked_sentence(
        df,
        category_column,
        stack_column,
        value_column,
        title=title or f"{value_title} par {category_title.lower()} et {stack_title.lower()}",
        stack_order=order,
    )
    # Streamlit fits plot and legend into this height: keep room for the one-column legend below the bars.
    height = bar_height(labels) + legend_room(len(order))
    return finalize(chart, height=height, table=table, description=description)


def _rule_layers(rules: Sequence[tuple[float, str]], y_format: str) -> list[alt.Chart]:
    layers: list[alt.Chart] = []
    for level, label in rules:
        rule_data = alt.Data(values=[{"level": level, "label": label}])
        layers.append(
            alt.Chart(rule_data)
            .mark_rule(color=RED_MARIANNE, strokeDash=[6, 3], aria=False)
            .encode(
                y=alt.Y("level:Q"),
                tooltip=[alt.Tooltip("label:N", title="Repère"), alt.Tooltip("level:Q", format=y_format)],
            )
        )
        layers.append(
            alt.Chart(rule_data)
            .mark_text(align="left", dx=4, dy=-6, color=RED_MARIANNE, fontSize=11, aria=False)
            .encode(y=alt.Y("level:Q"), x=alt.XValue(4), text=alt.Text("label:N"))
        )
    return layers


def _break_layers(break_date: date, break_label: str) -> list[alt.Chart]:
    """A dashed rule at the method break; its label wraps and reads away from the nearer edge of the plot."""
    rule_data = alt.Data(
        values=[{"date": break_date.isoformat(), "label": break_label, "lines": wrap_label(break_label)}]
    )
    rule = (
        alt.Chart(rule_data)
        .mark_rule(color=GREY, strokeDash=[4, 4], aria=False)
        .encode(x=alt.X("date:T"), tooltip=[alt.Tooltip("label:N", title="Rupture")])
    )
    right_half = "scale('x', toDate(datum.date)) > width / 2"
    text = (
        alt.Chart(rule_data)
        .mark_text(
            align={"expr": f"{right_half} ? 'right' : 'left'"},
            dx={"expr": f"{right_half} ? -4 : 4"},
            baseline="top",
            color=GREY,
            fontSize=11,
            aria=False,
        )
        .encode(x=alt.X("date:T"), y=alt.YValue(2), text=alt.Text("lines:N"))
    )
    return [rule, text]


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
    title: str | None = None,
) -> alt.TopLevelMixin:
    """Lines with points over time; an optional vertical rule marks a method break.

    `dashed_series` draws that series dashed (the official figures, next to computed ones).
    `rules` draws horizontal reference lines (ceilings) with their labels.
    """
    x_column = column_for(x, x_title, MONTH_FORMAT)
    y_column = column_for(y, y_title, y_format)
    series_column = Column(field=series, header=series_title or "Série") if series else None
    table = chart_table([c for c in (series_column, x_column, y_column) if c is not None])
    encodings: dict[str, object] = {
        "x": alt.X(f"{x}:T", title=x_title, axis=time_axis(df.get_column(x).to_list())),
        "y": alt.Y(f"{y}:Q", axis=_value_axis(y_format, y_title, vertical=True)),
    }
    point_encodings: dict[str, object] = {
        "tooltip": text_tooltips(table),
        "description": alt.Description(f"{DESCRIPTION_FIELD}:N"),
    }
    series_count = 0
    if series:
        series_count = df.get_column(series).n_unique()
        encodings["color"] = alt.Color(f"{series}:N", title=series_title or None, scale=alt.Scale(range=list(PALETTE)))
        point_encodings["shape"] = alt.Shape(f"{series}:N", title=series_title or None, scale=alt.Scale(range=SHAPES))
        if dashed_series:
            encodings["strokeDash"] = alt.StrokeDashValue(
                **alt.condition(alt.datum[series] == dashed_series, alt.value([6, 4]), alt.value([1, 0]))
            )
    base = alt.Chart(_chart_data(df, table)).encode(**encodings)
    layers: list[alt.Chart] = [
        base.mark_line(strokeWidth=2.5),
        base.mark_point(filled=True, size=60).encode(**point_encodings),
    ]
    if interval_name:
        layers[1] = layers[1].add_params(alt.selection_interval(name=interval_name, encodings=["x"]))
    if break_date is not None:
        layers.extend(_break_layers(break_date, break_label))
    layers.extend(_rule_layers(rules, y_format))
    description = chart_text.series_sentence(df, x_column, y_column, series_column, title=title or y_title)
    marks = ([break_label] if break_date is not None and break_label else []) + [label for _, label in rules]
    if marks:
        description += f" Repères : {', '.join(marks)}."
    height = 320 + (legend_room(series_count) if series else 0)
    return finalize(alt.layer(*layers), height=height, table=table, description=description)


def drift_scatter_frame(measured: pl.DataFrame) -> pl.DataFrame:
    """The rows `drift_scatter` draws (the page's and the briefing's): an unknown drift is placed on the axis."""
    return measured.select(
        "project_id",
        "project_name",
        "ministry_label",
        "cost_meur",
        pl.col("budget_drift").fill_null(0.0),
        pl.col("schedule_drift").fill_null(0.0),
    )


def drift_scatter(
    df: pl.DataFrame,
    *,
    threshold: float,
    selection_name: str | None = None,
    title: str = "Écart budgétaire et écart calendaire",
) -> alt.TopLevelMixin:
    """Budget drift against schedule drift; bubble = cost; colour and shape = ministry; alert threshold lines.

    Bubbles are pale inside with a full-colour outline: overlaps stay visible and the outline keeps 3:1.
    """
    name = Column(field="project_name", header="Projet")
    budget = column_for("budget_drift", "Écart budgétaire", SIGNED_PCT_FORMAT)
    schedule = column_for("schedule_drift", "Écart calendaire", SIGNED_PCT_FORMAT)
    table = chart_table(
        [
            name,
            Column(field="ministry_label", header="Ministère"),
            column_for("cost_meur", "Coût (M€)", MEUR_FORMAT),
            budget,
            schedule,
        ]
    )
    ministries = df.get_column("ministry_label").unique(maintain_order=True).to_list()
    colours = alt.Scale(domain=ministries, range=list(PALETTE))
    points = (
        alt.Chart(_chart_data(df, table))
        .mark_point(filled=True, fillOpacity=0.35, strokeOpacity=1, strokeWidth=1.5)
        .encode(
            x=alt.X("schedule_drift:Q", axis=_value_axis("%", "Écart calendaire")),
            y=alt.Y("budget_drift:Q", axis=_value_axis("%", "Écart budgétaire", vertical=True)),
            size=alt.Size("cost_meur:Q", title="Coût (M€)", scale=alt.Scale(range=[30, 1500]), legend=None),
            fill=alt.Fill("ministry_label:N", title="Ministère", scale=colours),
            stroke=alt.Stroke("ministry_label:N", title="Ministère", scale=colours),
            shape=alt.Shape("ministry_label:N", title="Ministère", scale=alt.Scale(domain=ministries, range=SHAPES)),
            tooltip=text_tooltips(table),
            description=alt.Description(f"{DESCRIPTION_FIELD}:N"),
        )
    )
    if selection_name:
        points = points.add_params(alt.selection_point(name=selection_name, fields=["project_id"]))
    thresholds = alt.Data(values=[{"t": threshold}])
    hrule = alt.Chart(thresholds).mark_rule(color=RED_MARIANNE, strokeDash=[6, 3], aria=False).encode(y=alt.Y("t:Q"))
    vrule = alt.Chart(thresholds).mark_rule(color=RED_MARIANNE, strokeDash=[6, 3], aria=False).encode(x=alt.X("t:Q"))
    description = chart_text.scatter_sentence(df, name, budget, schedule, title=title, threshold=threshold)
    height = 420 + legend_room(len(ministries))
    return finalize(alt.layer(points, hrule, vrule), height=height, table=table, description=description)


def _subtitle_lines(context: ExportContext) -> list[str]:
    return [*textwrap.wrap(context.subtitle_fr, 110), context.source_fr]


def titled(chart: alt.TopLevelMixin, context: ExportContext, width: int = EXPORT_WIDTH) -> alt.TopLevelMixin:
    """The chart as a standalone figure: title, edition and filters, source; a fixed width for the file."""
    title = alt.TitleParams(
        text=context.title,
        subtitle=_subtitle_lines(context),
        anchor="start",
        fontSize=16,
        subtitleFontSize=12,
        color=TITLE_COLOUR,
        subtitleColor=TEXT_COLOUR,
        offset=12,
        aria=False,
    )
    return chart.properties(title=title, width=width)


def chart_to_svg(chart: alt.TopLevelMixin, context: ExportContext | None = None) -> bytes:
    """Static SVG export, rendered without a browser; titled when a context is given."""
    import vl_convert

    figure = titled(chart, context) if context is not None else chart
    return vl_convert.vegalite_to_svg(figure.to_dict()).encode()


def chart_to_png(chart: alt.TopLevelMixin, context: ExportContext | None = None) -> bytes:
    import vl_convert

    figure = titled(chart, context) if context is not None else chart
    return vl_convert.vegalite_to_png(figure.to_dict(), scale=2)


def drift_history_chart(
    history: pl.DataFrame,
    *,
    break_date: date | None = None,
    break_label: str = "",
    title: str | None = None,
) -> alt.TopLevelMixin:
    """Average drift since first publication per edition (an `average_drift_history` frame): the Dérives page's
    chart (with the cost-definition break) and the briefing's."""
    return line_chart(
        history,
        "edition",
        "value",
        x_title="Édition",
        y_title="Dérive depuis la 1re publication",
        series="indicator",
        series_title="Indicateur",
        y_format=PCT_FORMAT,
        break_date=break_date,
        break_label=break_label,
        title=title,
    )
