"""What `st.dataframe` sends for a table of `pages.common.tables.styled_table`: its display texts and cell styles,
read from the marshalled element (what the grid draws), and the formatted pandas Styler it must equal."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import polars as pl
import pyarrow as pa
from pandas.io.formats.style import Styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from analytics.display import TableSpec
from pages.common import prepared_styler
from pages.common.tables import DRIFT_CSS

_RULE = re.compile(r"^(?P<cells>[^{]+) \{ (?P<css>[^}]*) \}$")
_CELL = re.compile(r"_row(\d+)_col(\d+)$")


def sent(styler: Styler) -> ArrowData:
    proto = ArrowData()
    prepared_styler.marshall_styler(proto, styler, "default")
    return proto


def display_values(proto: ArrowData) -> list[list[str]]:
    table = pa.ipc.open_stream(proto.styler.display_values).read_all()
    return [[value for name, value in row.items() if not name.startswith("__")] for row in table.to_pylist()]


def cell_styles(proto: ArrowData) -> dict[tuple[int, int], str]:
    """(row, column) -> CSS declarations, from the element's style sheet."""
    styles: dict[tuple[int, int], str] = {}
    for line in filter(None, proto.styler.styles.split("\n")):
        rule = _RULE.match(line)
        assert rule is not None, line
        for cell in rule["cells"].split(", "):
            row, column = _CELL.search(cell).groups()  # type: ignore[union-attr]
            styles[int(row), int(column)] = rule["css"]
    return styles


def _by_value(shown: Sequence[object], texts: Sequence[str], missing: str):
    lookup = {value: text for value, text in zip(shown, texts, strict=True) if value is not None}

    def display(value: object) -> str:
        try:
            return lookup.get(value, missing)
        except TypeError:  # pandas.NA
            return missing

    return display


def formatted_styler(df: pl.DataFrame, spec: TableSpec, threshold: float | None) -> Styler:
    """The pandas way to the same table: a formatter per column (value -> text) and `apply` for the drift colours.
    Exact when no two cells of a column share a shown value but not a text."""
    values, texts = spec.on_screen(df).values, spec.texts(df, threshold)
    styler = values.to_pandas(use_pyarrow_extension_array=True).style.format(
        {
            c.header: _by_value(values.get_column(c.header).to_list(), texts.get_column(c.header).to_list(), c.missing)
            for c in spec.columns
        }
    )
    headers = [c.header for c in spec.drift_columns]
    if threshold is not None and headers:
        css = spec.on_screen(df, threshold).classes.select(pl.all().replace_strict(DRIFT_CSS, default=""))

        def style(frame: pd.DataFrame) -> pd.DataFrame:
            return pd.DataFrame(css.to_dict(as_series=False), index=frame.index, columns=frame.columns)

        styler = styler.apply(style, axis=None, subset=headers)
    return styler
