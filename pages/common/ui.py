"""Small Streamlit building blocks shared by the pages: downloads, charts, empty states."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import polars as pl
import streamlit as st

from analytics.charts import chart_to_png, chart_to_svg
from analytics.exports import to_csv_bytes, to_xlsx_bytes
from analytics.key_figures import KeyFigure
from analytics.selection import Selection
from pages.common import state
from pages.common.tables import french_table

EMPTY_SELECTION_FR = (
    "Aucun projet ne correspond aux filtres choisis. Élargissez la sélection dans le panneau de gauche."
)


def meeting_mode() -> bool:
    return state.selection().meeting_mode


def empty_notice(message: str = EMPTY_SELECTION_FR) -> None:
    st.info(message, icon=":material/filter_alt_off:")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(row, label: str, build: Callable[[], bytes], file_name: str, mime: str, key: str) -> None:
    """A download whose file is built only on click, without rerunning the page."""
    row.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        key=key,
        icon=":material/download:",
        on_click="ignore",
        width="content",
    )


def _download_row():
    """Small buttons side by side, wrapping on narrow screens."""
    return st.container(horizontal=True, gap="small")


def _table_downloads(row, df: pl.DataFrame, name: str, key: str) -> None:
    _download(row, "CSV", lambda: to_csv_bytes(df), f"{name}.csv", "text/csv", f"{key}_csv")
    _download(row, "XLSX", lambda: to_xlsx_bytes(df), f"{name}.xlsx", XLSX_MIME, f"{key}_xlsx")


def download_table(df: pl.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX of exactly what the table shows (hidden in meeting mode)."""
    if not meeting_mode():
        _table_downloads(_download_row(), df, name, key)


def show_chart(
    chart: alt.TopLevelMixin,
    name: str,
    key: str,
    data: pl.DataFrame | None = None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Draw a chart with its downloads (PNG, SVG, and the data behind it)."""
    # The builders' specs are validated against the Vega-Lite schema by the unit tests; validating again on
    # every rerun cost a fifth of a page's CPU time, so the page sends the unvalidated spec.
    st.vega_lite_chart(
        spec=chart.to_dict(validate=False),
        width="stretch",
        key=key,
        on_select=on_select if on_select is not None else "ignore",
    )
    if meeting_mode():
        return
    row = _download_row()
    _download(row, "PNG", lambda: chart_to_png(chart), f"{name}.png", "image/png", f"{key}_png")
    _download(row, "SVG", lambda: chart_to_svg(chart), f"{name}.svg", "image/svg+xml", f"{key}_svg")
    if data is not None:
        _table_downloads(row, data, name, key)


def selection_caption(selection: Selection, count: int) -> None:
    if selection.meeting_mode:
        return
    active = selection.filter_count
    suffix = f" · {active} filtre(s) actif(s)" if active else " · aucun filtre"
    st.caption(f"{count} projet(s) dans la sélection{suffix}")


def key_figures(figures: Sequence[KeyFigure], columns: int = 3) -> None:
    """Metrics in rows of `columns`, so that labels and amounts stay whole."""
    cells = st.columns(columns)
    for index, figure in enumerate(figures):
        cells[index % columns].metric(
            figure.label,
            figure.value,
            delta=figure.delta,
            delta_color=figure.delta_colour,
            help=figure.help or None,
            border=True,
        )


def show_table(
    df: pl.DataFrame,
    name: str,
    download_key: str,
    *,
    money: Sequence[str] = (),
    percent: Sequence[str] = (),
    years: Sequence[str] = (),
    integers: Sequence[str] = (),
    months: Sequence[str] = (),
    drift_threshold: float | None = None,
    **dataframe_options: object,
) -> None:
    """A table in French formats with its CSV/XLSX downloads of exactly what is shown.

    `dataframe_options` go to `st.dataframe` (its own `key`, row selection, column_config...).
    """
    st.dataframe(
        french_table(
            df,
            money=money,
            percent=percent,
            years=years,
            integers=integers,
            months=months,
            drift_threshold=drift_threshold,
        ),
        hide_index=True,
        width="stretch",
        **dataframe_options,
    )
    download_table(df, name, download_key)
