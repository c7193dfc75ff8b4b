"""Tables people read: French display from the display model, numeric sorting, drift colours and marks.

What Streamlit 1.67's grid does (measured in Chromium, tests/e2e/test_ui_helpers.py): the canvas draws a cell's
display text, but the grid's accessible layer and its sort both read the cell's *data* (a number's
`toString()`, a date's ISO string, `true`/`false`). So the grid gets `TableSpec.values` — numbers already in the
unit and rounding shown (`-41.7` for « -41,7 % »), dates as dates, `oui`/`non` — and the element's styler part
(for a pandas Styler that carries the data, built by `prepared_styler`) only supplies the French display text
(`TableSpec.texts`) and the drift colours. Screen readers then read the shown
figure (without its unit, which the header carries), and sorting stays numeric and chronological.

Beyond pandas Styler's cell limit (`styler.render.max_elements`, 262 144 by default, an error in Streamlit) the
grid gets the same values with `column_config` formats instead: the browser's locale formats the numbers and
drift colours are lost, but nothing breaks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import polars as pl
import streamlit as st
from pandas.io.formats.style import Styler

from analytics.display import (
    DRIFT_COLOURS,
    NUMERIC_KINDS,
    DriftClass,
    Kind,
    TableSpec,
    spec_from_formats,
)
from pages.common.prepared_styler import prepare

ALERT_COLOUR = DRIFT_COLOURS[DriftClass.ABOVE]
WARNING_COLOUR = DRIFT_COLOURS[DriftClass.RISING]
SUCCESS_COLOUR = DRIFT_COLOURS[DriftClass.FALLING]
DRIFT_CSS: Mapping[str, str] = {
    DriftClass.ABOVE.value: f"color: {ALERT_COLOUR}; font-weight: 700",
    DriftClass.RISING.value: f"color: {WARNING_COLOUR}",
    DriftClass.FALLING.value: f"color: {SUCCESS_COLOUR}",
}
CHAR_PIXELS = 7.5  # average width of a 14 px digit in the grid
CELL_PADDING = 32  # pixels around a cell's text, sort arrow included
MAX_COLUMN_PIXELS = 240
_FALLBACK_DATE_FORMATS = {Kind.DATE: "DD/MM/YYYY", Kind.MONTH: "MM/YYYY"}
LINK_TEXT_FR = "Ouvrir le document"
KEYBOARD_HINT_FR = (
    "Au clavier : Tab pour entrer dans le tableau, flèches pour aller de cellule en cellule, "
    "Maj+Espace pour sélectionner la ligne."
)


def styler_cell_limit() -> int:
    return int(pd.get_option("styler.render.max_elements"))


def column_widths(texts: pl.DataFrame) -> dict[str, int]:
    """Pixels per column from its longest text or header, so that no date reads « 01/01/ ».

    Given for figures and dates only: text columns keep the grid's own sizing, which fits the container.
    """
    lengths = texts.select(pl.all().str.len_chars().max()).row(0, named=True)
    return {
        header: int(min(MAX_COLUMN_PIXELS, CELL_PADDING + CHAR_PIXELS * max(len(header), longest or 0)))
        for header, longest in lengths.items()
    }


def column_config(spec: TableSpec, texts: pl.DataFrame, *, formatted_by_styler: bool) -> dict[str, Any]:
    """Help texts and widths; number and date formats only when no Styler formats the cells."""
    widths = column_widths(texts)
    config: dict[str, Any] = {}
    for column in spec.columns:
        options: dict[str, Any] = {"help": column.help}
        if column.kind not in (Kind.TEXT, Kind.BOOL, Kind.LINK):
            options["width"] = widths[column.header]
        if column.kind in NUMERIC_KINDS:
            if not formatted_by_styler:
                options |= {"format": "localized", "step": 10.0**-column.places}
            config[column.header] = st.column_config.NumberColumn(**options)
        elif column.kind in _FALLBACK_DATE_FORMATS:
            if not formatted_by_styler:
                options["format"] = _FALLBACK_DATE_FORMATS[column.kind]
            config[column.header] = st.column_config.DateColumn(**options)
        elif column.kind is Kind.LINK:
            config[column.header] = st.column_config.LinkColumn(display_text=LINK_TEXT_FR, **options)
        else:
            config[column.header] = st.column_config.TextColumn(**options)
    return config


def merge_column_config(
    mine: Mapping[str, Any], given: Mapping[str, Any], *, drop: Sequence[str] = ()
) -> dict[str, Any]:
    """A page's column_config over the display model's: unset options keep the model's, a type that no longer
    fits the column (a checkbox on an « oui » / « non » text) is ignored, `drop` options are left out."""
    merged = {header: dict(options) for header, options in mine.items()}
    for header, options in given.items():
        target = merged.setdefault(header, {})
        for key, value in (options or {}).items():
            if value is None or key in drop:
                continue
            if key == "type_config":
                current = target.get("type_config", {})
                if current and current.get("type") != value.get("type"):
                    continue
                value = {**current, **{k: v for k, v in value.items() if v is not None}}
            target[key] = value
    return merged


def styled_table(
    df: pl.DataFrame, spec: TableSpec, threshold: float | None = None
) -> tuple[Styler | pl.DataFrame, dict]:
    """What `st.dataframe` needs to show `df` through its display model: data (a Styler) and its column_config."""
    values, texts, classes = spec.on_screen(df, threshold)
    if values.height * max(values.width, 1) > styler_cell_limit():
        return values, column_config(spec, texts, formatted_by_styler=False)
    styler = values.to_pandas(use_pyarrow_extension_array=True).style  # carries the data: `prepare` does the rest
    cell_css = classes.lazy().select(pl.all().replace_strict(DRIFT_CSS, default=""))
    return prepare(styler, texts, cell_css), column_config(spec, texts, formatted_by_styler=True)


def french_table(
    df: pl.DataFrame,
    *,
    money: Sequence[str] = (),
    percent: Sequence[str] = (),
    years: Sequence[str] = (),
    integers: Sequence[str] = (),
    months: Sequence[str] = (),
    drift_threshold: float | None = None,
) -> Styler | pl.DataFrame:
    """Former entry point: the column lists become a display model (see `spec_from_formats`)."""
    spec = spec_from_formats(
        df.schema,
        money=money,
        percent=percent,
        years=years,
        integers=integers,
        months=months,
        drift=drift_threshold is not None,
    )
    return styled_table(df, spec, drift_threshold)[0]
