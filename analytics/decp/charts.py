"""Charts of a framework's consumption: the committed amount climbing towards its estimate and maximum."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl

from analytics import chart_text
from analytics.charts import (
    BLUE_FRANCE,
    DESCRIPTION_FIELD,
    GREY,
    MEUR_FORMAT,
    MONTH_FORMAT,
    RED_MARIANNE,
    _chart_data,
    _values,
    chart_table,
    column_for,
    finalize,
    text_tooltips,
    time_axis,
)
from analytics.decp.lot_spend import SEGMENT_OBSERVED, SEGMENT_PROJECTION, SEGMENT_REFERENCE, BurnUpFrames
from analytics.display import Column, TableSpec
from analytics.formatting import format_meur

TITLE_FR = "Montant notifié cumulé (M€)"


def burn_up_chart(
    burn: pl.DataFrame,
    *,
    estimate_eur: float | None,
    maximum_eur: float | None,
    start: date | None,
    end: date | None,
) -> alt.TopLevelMixin:
    """Cumulative notified amount (M€) per month from a `spend.burn_up` frame.

    Horizontal dashed lines mark the published estimate and maximum, vertical ones the framework's term, so
    the distance left is read in both directions; unknown values draw nothing.
    """
    data = burn.select(
        "month",
        (pl.col("notified_eur") / 1e6).alias("notified_meur"),
        (pl.col("cumulative_eur") / 1e6).alias("cumulative_meur"),
    )
    month = column_for("month", "Mois", MONTH_FORMAT)
    cumulative = column_for("cumulative_meur", "Cumul notifié (M€)", MEUR_FORMAT)
    table = chart_table([month, column_for("notified_meur", "Notifié dans le mois (M€)", ",.2f"), cumulative])
    base = alt.Chart(_chart_data(data, table)).encode(
        x=alt.X("month:T", title="Mois de notification", axis=time_axis(data.get_column("month").to_list())),
        y=alt.Y("cumulative_meur:Q", title=TITLE_FR, axis=alt.Axis(format=MEUR_FORMAT)),
    )
    layers: list[alt.Chart] = [
        base.mark_line(strokeWidth=2.5, color=BLUE_FRANCE, interpolate="step-after"),
        base.mark_point(filled=True, size=40, color=BLUE_FRANCE).encode(
            tooltip=text_tooltips(table), description=alt.Description(f"{DESCRIPTION_FIELD}:N")
        ),
    ]
    ceilings = [(v / 1e6, label) for v, label in ((estimate_eur, "Estimation"), (maximum_eur, "Maximum")) if v]
    for level, label in ceilings:
        rule = alt.Data(values=[{"level": level, "label": f"{label} : {format_meur(level, 0)}"}])
        layers.append(
            alt.Chart(rule)
            .mark_rule(color=RED_MARIANNE, strokeDash=[6, 3], aria=False)
            .encode(y=alt.Y("level:Q"), tooltip=[alt.Tooltip("label:N", title="Plafond")])
        )
        layers.append(
            alt.Chart(rule)
            .mark_text(align="right", dx=-4, dy=-6, color=RED_MARIANNE, fontSize=11, aria=False)
            .encode(y=alt.Y("level:Q"), x=alt.XValue({"expr": "width"}), text=alt.Text("label:N"))
        )
    # the start label reads rightwards from its line, the end label leftwards, so both stay inside the plot
    terms = [(start, "Début", "left", 4), (end, "Fin", "right", -4)]
    for day, label, align, shift in (term for term in terms if term[0] is not None):
        rule = alt.Data(values=[{"day": day.isoformat(), "label": f"{label} de l'accord-cadre ({day:%m/%Y})"}])
        layers.append(
            alt.Chart(rule)
            .mark_rule(color=GREY, strokeDash=[4, 4], aria=False)
            .encode(x=alt.X("day:T"), tooltip=[alt.Tooltip("label:N", title="Durée")])
        )
        layers.append(
            alt.Chart(rule)
            .mark_text(align=align, dx=shift, color=GREY, fontSize=11, aria=False)
            .encode(x=alt.X("day:T"), y=alt.YValue(20), text=alt.Text("label:N"))
        )
    description = chart_text.series_sentence(data, month, cumulative, None, title=TITLE_FR)
    if ceilings:
        description += " Repères : " + ", ".join(f"{label} {format_meur(level, 0)}" for level, label in ceilings) + "."
    return finalize(alt.layer(*layers), table=table, description=description)


SEGMENT_COLOURS = {SEGMENT_OBSERVED: BLUE_FRANCE, SEGMENT_PROJECTION: "#5C68E5", SEGMENT_REFERENCE: GREY}
SEGMENT_DASHES = {SEGMENT_OBSERVED: [1, 0], SEGMENT_PROJECTION: [6, 4], SEGMENT_REFERENCE: [2, 3]}
REACHED_COLOUR = "#B34000"  # DSFR warning: the day a ceiling is (or would be) reached


CUMULATIVE_TITLE_FR = "Montant engagé cumulé (M€)"


def burn_up_data(frames: BurnUpFrames, series_id: str) -> pl.DataFrame:
    """The curve of one lot (or of the total) as the burn-up chart draws it and its data table shows it (M€)."""
    return frames.curve.filter(pl.col("series_id") == series_id).with_columns(
        cumulative_meur=pl.col("cumulative_eur") / 1e6
    )


def _burn_up_sentence(
    curve: pl.DataFrame, table: TableSpec, title: str, ceilings: pl.DataFrame, marks: pl.DataFrame
) -> str:
    segment, day, cumulative = table.columns
    sentence = chart_text.series_sentence(curve, day, cumulative, segment, title=title)
    landmarks = ceilings.get_column("label").to_list() + marks.get_column("label").to_list()
    return sentence + (f" Repères : {', '.join(landmarks)}." if landmarks else "")


def lot_burn_up_chart(frames: BurnUpFrames, series_id: str, title: str | None = None) -> alt.TopLevelMixin:
    """One lot (or the total) from `lot_spend.burn_up_frames`: the observed running total, its projection at the
    observed pace, the previous framework's published pace (total only), the estimate and maximum, and the term.

    Vertical rules mark the term (grey) and the days a ceiling is or would be reached (orange), so the distance to
    each ceiling is read against the term, not only written. The chart carries its data table (curve, day,
    cumulative amount) and a French sentence (`burn_up_data` is the frame that table reads).
    """
    curve = burn_up_data(frames, series_id)
    ceilings = frames.ceilings.filter(pl.col("series_id") == series_id).with_columns(
        level=pl.col("amount_eur") / 1e6,
        label=pl.format("{} : {} M€", "ceiling", (pl.col("amount_eur") / 1e6).round(0).cast(pl.Int64)),
    )
    marks = frames.marks.filter(pl.col("series_id") == series_id).with_columns(
        label=pl.format("{} ({})", "mark", pl.col("day").dt.strftime("%m/%Y")),
        reached=pl.col("mark").str.contains("atteint"),
    )
    table = chart_table(
        [
            Column(field="segment", header="Courbe"),
            column_for("day", "Date", "%d/%m/%Y"),
            column_for("cumulative_meur", CUMULATIVE_TITLE_FR, MEUR_FORMAT),
        ]
    )
    label = curve.item(0, "series_label") if curve.height else series_id
    title = title or f"Consommation : {label}"
    segments = [s for s in SEGMENT_COLOURS if s in curve.get_column("segment").unique().to_list()]
    lines = (
        alt.Chart(_chart_data(curve.select(c.field for c in table.columns), table))
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("day:T", title="Date", axis=alt.Axis(format=MONTH_FORMAT, labelFlush=True)),
            y=alt.Y("cumulative_meur:Q", title=CUMULATIVE_TITLE_FR, axis=alt.Axis(format=MEUR_FORMAT)),
            color=alt.Color(
                "segment:N",
                title="Courbe",
                scale=alt.Scale(domain=segments, range=[SEGMENT_COLOURS[s] for s in segments]),
            ),
            strokeDash=alt.StrokeDash(
                "segment:N", scale=alt.Scale(domain=segments, range=[SEGMENT_DASHES[s] for s in segments]), legend=None
            ),
            detail=alt.Detail("segment:N"),
            tooltip=text_tooltips(table),
        )
    )
    layers: list[alt.Chart] = [lines]
    if not ceilings.is_empty():
        rules = alt.Chart(_values(ceilings.select("level", "label")))
        layers += [
            rules.mark_rule(color=RED_MARIANNE, strokeDash=[6, 3], aria=False).encode(
                y=alt.Y("level:Q"), tooltip=[alt.Tooltip("label:N", title="Plafond")]
            ),
            rules.mark_text(align="right", dx=-4, dy=-6, color=RED_MARIANNE, fontSize=11, aria=False).encode(
                y=alt.Y("level:Q"), x=alt.XValue({"expr": "width"}), text=alt.Text("label:N")
            ),
        ]
    if not marks.is_empty():
        days = alt.Chart(_values(marks.select("day", "label", "reached")))
        colour = alt.ColorValue(**alt.condition("datum.reached", alt.value(REACHED_COLOUR), alt.value(GREY)))
        layers += [
            days.mark_rule(strokeDash=[4, 4], aria=False).encode(
                x=alt.X("day:T"), color=colour, tooltip=[alt.Tooltip("label:N", title="Repère")]
            ),
            days.mark_text(angle=270, align="right", baseline="bottom", dx=-4, fontSize=10, aria=False).encode(
                x=alt.X("day:T"), y=alt.YValue(4), text=alt.Text("label:N"), color=colour
            ),
        ]
    description = _burn_up_sentence(curve, table, title, ceilings, marks)
    return finalize(alt.layer(*layers), table=table, description=description)
