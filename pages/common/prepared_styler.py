"""Styled tables marshalled once, from the display texts and cell styles the display model already gives.

`st.dataframe(styler)` redoes pandas' per-cell work on every run: `Styler._compute`, `_translate`, then one
string per cell for the display values, all serialised again (a fifth of a page's server time under the load
test, py-spy). A table shared by the view cache is the same Styler object for every session, so its marshalled
part (`ArrowData.styler`: uuid, caption, CSS, display values) is built once when the table is prepared, and the
`st.dataframe` of each run copies it.

It is built straight from the display model's texts and CSS frames, not by pandas: `Styler._compute` and
`_translate` walked every cell in Python and then Streamlit assigned each display value again (a third of a new
view's script time on the chart and table pages, py-spy). A pandas formatter maps a cell's *value* to its text,
so two cells with the same shown value got the same text even when only one was beyond the drift threshold;
the texts frame is positional.

This replaces `marshall_styler` in Streamlit's dataframe module, a private name: Streamlit is pinned by
`uv.lock`, and `tests/test_prepared_elements.py` checks that a prepared table gives byte for byte the element
Streamlit builds itself from an equivalent formatted Styler, and that the replacement is in place. Stylers that
were not prepared go through Streamlit's function unchanged.
"""

from __future__ import annotations

import threading
import weakref

import polars as pl
from pandas.io.formats.style import Styler
from streamlit import dataframe_util
from streamlit.elements import arrow
from streamlit.elements.lib.pandas_styler_utils import marshall_styler as streamlit_marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from analytics.engine import IN_MEMORY

_MARSHALLED: weakref.WeakKeyDictionary[Styler, bytes] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()  # WeakKeyDictionary is not safe for concurrent writes


def prepare(styler: Styler, texts: pl.DataFrame, cell_css: pl.LazyFrame) -> Styler:
    """Marshal `styler` (the grid's data) with `texts` as its display values and `cell_css` (a CSS declaration
    per cell, "" for none, for some of its columns) as its cell styles; `st.dataframe` then sends that result.

    Neither `styler` nor the frames must be changed afterwards. The styler's uuid is pandas' random one: two
    tables' CSS selectors never meet."""
    proto = ArrowData()
    proto.styler.uuid = str(styler.uuid)
    if rules := css_rules(str(styler.uuid), list(styler.data.columns), cell_css):
        proto.styler.styles = rules
    display = texts.to_pandas()
    display.index = styler.data.index
    proto.styler.display_values = dataframe_util.convert_pandas_df_to_arrow_bytes(display)
    with _LOCK:
        _MARSHALLED[styler] = proto.styler.SerializeToString()
    return styler


def css_rules(uuid: str, columns: list[str], cell_css: pl.LazyFrame) -> str:
    """Streamlit's CSS for pandas' cell styles: one rule per declaration, in order of first appearance row by row,
    listing its cells (`#T_<uuid>_row<r>_col<c>`)."""
    if not cell_css.collect_schema():
        return ""
    position = {name: index for index, name in enumerate(columns)}
    rules = (
        cell_css.with_row_index("row")
        .unpivot(index="row", variable_name="column", value_name="css")
        .filter(pl.col("css") != "")
        .with_columns(pl.col("column").replace_strict(position, return_dtype=pl.UInt32))
        .sort("row", "column")
        .group_by("css", maintain_order=True)
        .agg(pl.format("#T_{}_row{}_col{}", pl.lit(uuid), "row", "column").str.join(", ").alias("cells"))
        .collect(engine=IN_MEMORY)
    )
    return "\n".join(f"{cells} {{ {_declarations(css)} }}" for css, cells in rules.iter_rows())


def _declarations(css: str) -> str:
    """`color:red;font-weight: 700;` as pandas parses it, Streamlit writes it back: `color: red; font-weight: 700`."""
    pairs = (declaration.split(":", 1) for declaration in css.split(";") if declaration.strip())
    return "; ".join(f"{name.strip()}: {value.strip()}" for name, value in pairs)


def marshall_styler(proto: ArrowData, styler: Styler, default_uuid: str) -> None:
    """Streamlit's signature: a prepared styler's saved result, else Streamlit's own marshalling."""
    marshalled = _MARSHALLED.get(styler)
    if marshalled is None:
        streamlit_marshall_styler(proto, styler, default_uuid)
    else:
        proto.styler.ParseFromString(marshalled)


arrow.marshall_styler = marshall_styler
