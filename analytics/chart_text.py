"""Text alternatives of charts: one French sentence that states what the chart shows, from its data.

The figures are the display model's texts (`analytics.display`), so the sentence, the tooltips and the
« Voir les données » table read the same `812,3 M€`.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from analytics.display import Column, Kind, TableSpec
from analytics.formatting import format_pct
from analytics.panorama.drift import exceeds_threshold

MAX_LISTED = 6  # values spelled out before « … »
_UNITS = {Kind.MONEY: "\u00a0M€", Kind.YEARS: "\u00a0ans"}


def join_fr(items: Sequence[str]) -> str:
    """`a, b et c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1] if items else ""


def _texts(df: pl.DataFrame, *columns: Column) -> pl.DataFrame:
    return TableSpec(columns=columns).texts(df)


def with_unit(text: str, column: Column) -> str:
    return text + _UNITS.get(column.kind, "") if text[-1:].isdigit() else text


def ranking_sentence(df: pl.DataFrame, category: Column, value: Column, *, title: str, ranked: bool = True) -> str:
    """`Coût par ministère : Intérieur en tête avec 812,3 M€, puis Justice (400,1 M€) et Armées (300,0 M€) ; …`.

    Unranked charts (cost brackets, quarters) list their bars in order instead.
    """
    if df.is_empty():
        return f"{title} : aucune donnée."
    # ties in the order of the labels, so that the sentence is the same on every run
    ordered = df.sort([value.field, category.field], descending=[True, False], nulls_last=True) if ranked else df
    rows = _texts(ordered, category, value).rows()
    named = [(label, with_unit(text, value)) for label, text in rows]
    if ranked:
        (first, first_value), *others = named
        sentence = f"{title} : {first} en tête avec {first_value}"
        if others:
            sentence += ", puis " + join_fr([f"{label} ({text})" for label, text in others[:2]])
    else:
        sentence = f"{title} : " + " ; ".join(f"{label} : {text}" for label, text in named[:MAX_LISTED])
        sentence += " ; …" if len(named) > MAX_LISTED else ""
    return f"{sentence} ; {len(named)} barre(s) au total."


def stacked_sentence(
    df: pl.DataFrame, category: Column, stack: Column, value: Column, *, title: str, stack_order: Sequence[str] = ()
) -> str:
    """Totals per bar (ranked) and per stacked part (in the legend's order)."""
    if df.is_empty():
        return f"{title} : aucune donnée."
    by_bar = df.group_by(category.field).agg(pl.col(value.field).sum())
    bars = ranking_sentence(by_bar, category, value, title=title).removesuffix(".")
    by_part = df.group_by(stack.field).agg(pl.col(value.field).sum())
    if stack_order:
        rank = {name: i for i, name in enumerate(stack_order)}
        by_part = by_part.sort(pl.col(stack.field).replace_strict(rank, default=len(rank), return_dtype=pl.Int64))
    else:
        by_part = by_part.sort([value.field, stack.field], descending=[True, False])
    parts = [f"{label} {with_unit(text, value)}" for label, text in _texts(by_part, stack, value).rows()]
    return f"{bars} ; par {stack.header.lower()} : {', '.join(parts)}."


def series_sentence(df: pl.DataFrame, x: Column, y: Column, series: Column | None, *, title: str) -> str:
    """For each series: first and last value over the period, and its maximum.

    The three points of every series are picked in one aggregation and formatted in one pass: a chart with a
    dozen series built its sentence from some thirty small queries before.
    """
    if df.is_empty():
        return f"{title} : aucune donnée."
    bounds = df.select(x.field).drop_nulls().sort(x.field)
    start, end = _texts(pl.concat([bounds.head(1), bounds.tail(1)]), x).to_series().to_list()
    group = pl.col(series.field) if series else pl.lit(None)
    measured = pl.col(y.field).is_not_null()
    when, value = (pl.col(c).filter(measured) for c in (x.field, y.field))
    by_time = [e.sort_by(when, maintain_order=True) for e in (when, value)]
    by_peak = [e.sort_by([value, when], descending=[True, False], maintain_order=True) for e in (when, value)]
    points = (
        df.group_by(group.alias("_series"), maintain_order=True)  # series in their order of appearance
        .agg(
            *(e.first().alias(f"{name}_first") for e, name in zip(by_time, "xy", strict=True)),
            *(e.last().alias(f"{name}_last") for e, name in zip(by_time, "xy", strict=True)),
            *(e.first().alias(f"{name}_peak") for e, name in zip(by_peak, "xy", strict=True)),
            measured.any().alias("_measured"),
        )
        .filter("_measured")
    )
    texts = _texts(
        pl.concat(
            points.select(pl.col(f"x_{edge}").alias(x.field), pl.col(f"y_{edge}").alias(y.field))
            for edge in ("first", "last", "peak")
        ),
        x,
        y,
    ).rows()
    count = points.height
    parts = []
    for i, name in enumerate(points.get_column("_series").to_list()):
        (first_x, first_y), (last_x, last_y), (peak_x, peak_y) = texts[i], texts[count + i], texts[2 * count + i]
        parts.append(
            (f"{name} : " if series else "")
            + f"de {with_unit(first_y, y)} ({first_x}) à {with_unit(last_y, y)} ({last_x}), "
            f"maximum {with_unit(peak_y, y)} ({peak_x})"
        )
    return f"{title}, de {start} à {end} : " + " ; ".join(parts) + "."


def scatter_sentence(
    df: pl.DataFrame, name: Column, budget: Column, schedule: Column, *, title: str, threshold: float
) -> str:
    """How many points, how many beyond the threshold, and the largest drift on each axis."""
    if df.is_empty():
        return f"{title} : aucune donnée."
    beyond = df.filter(
        exceeds_threshold(pl.col(budget.field), threshold) | exceeds_threshold(pl.col(schedule.field), threshold)
    ).height
    sentence = f"{title} : {df.height} projet(s), dont {beyond} au-delà du seuil d'alerte de {format_pct(threshold, 0)}"
    for column in (budget, schedule):
        top = df.sort([column.field, name.field], descending=[True, False], nulls_last=True).head(1)
        label, text = _texts(top, name, column).row(0)
        sentence += f" ; plus fort {column.header.lower()} : {label} ({text})"
    return sentence + "."


def level_sentence(df: pl.DataFrame, group: Column, level: Column, value: Column, *, title: str) -> str:
    """Grouped bars: each group's values, level by level (`Budget : > 10 % : 12, > 20 % : 8`)."""
    if df.is_empty():
        return f"{title} : aucune donnée."
    parts = []
    for part in df.partition_by(group.field, maintain_order=True):
        rows = _texts(part, level, value).rows()
        parts.append(f"{part.item(0, group.field)} : " + ", ".join(f"{lvl} : {n}" for lvl, n in rows))
    return f"{title} : " + " ; ".join(parts) + "."
