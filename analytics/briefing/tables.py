"""Frames to printed tables: French-formatted cells, drifts above the alert threshold flagged.

Formatting goes through `analytics.formatting`, the same functions the pages' tables use. Cells are
formatted column by column in Python: these are tables people read (at most a few hundred rows), and
the French formats (narrow no-break spaces, signed percentages) are Python functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Literal

import polars as pl

from analytics.briefing.model import Cell, Column, Table
from analytics.formatting import MISSING, format_meur, format_number, format_pct
from analytics.panorama.drift import exceeds_threshold

CellFormat = Literal["text", "money", "percent", "years", "integer", "month", "date", "yes_no"]

_NUMERIC: frozenset[CellFormat] = frozenset({"money", "percent", "years", "integer"})


def _month(value: date) -> str:
    return value.strftime("%m/%Y")


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


_FORMATTERS: dict[CellFormat, Callable[[object], str]] = {
    "text": str,
    "money": format_meur,
    "percent": lambda v: format_pct(v, 1, signed=True),
    "years": lambda v: format_number(v, 1),
    "integer": lambda v: format_number(v, 0),
    "month": _month,
    "date": _day,
    "yes_no": lambda v: "oui" if v else "non",
}


def _texts(values: list[object], fmt: CellFormat) -> list[str]:
    formatter = _FORMATTERS[fmt]
    return [MISSING if value is None else formatter(value) for value in values]


def _alerts(df: pl.DataFrame, column: str, threshold: float) -> list[bool]:
    return df.select(exceeds_threshold(pl.col(column), threshold).fill_null(False)).to_series().to_list()


def frame_table(
    df: pl.DataFrame,
    title: str,
    formats: Mapping[str, CellFormat] | None = None,
    *,
    alert_threshold: float | None = None,
    caption: str | None = None,
    simulated: bool = False,
) -> Table:
    """Every row of `df` (columns already named in French), each cell formatted by `formats` (default text).

    With `alert_threshold`, percent cells strictly above it (same rule as the drift alerts) are flagged.
    """
    formats = dict(formats or {})
    unknown = [name for name in formats if name not in df.columns]
    if unknown:
        raise ValueError(f"Tableau « {title} » : colonnes à formater absentes ({', '.join(unknown)}).")
    kinds = [formats.get(name, "text") for name in df.columns]
    texts = [_texts(df.get_column(name).to_list(), kind) for name, kind in zip(df.columns, kinds, strict=True)]
    alerts = [
        _alerts(df, name, alert_threshold) if kind == "percent" and alert_threshold is not None else [False] * df.height
        for name, kind in zip(df.columns, kinds, strict=True)
    ]
    rows = tuple(tuple(Cell(text=texts[j][i], alert=alerts[j][i]) for j in range(df.width)) for i in range(df.height))
    columns = tuple(Column(label=name, numeric=kind in _NUMERIC) for name, kind in zip(df.columns, kinds, strict=True))
    return Table(title=title, columns=columns, rows=rows, caption=caption, simulated=simulated)
