"""Small Streamlit building blocks shared by the pages: tables, charts and their downloads, empty states.

`show_spec_table` and `show_accessible_chart` are the entry points: a display model (`analytics.display`) and an
`ExportContext` (title, edition, filters, source) make the screen, the text alternative, the « Voir les
données » table and every download say the same thing. `show_table` keeps its former signature (column lists)
and routes through them. Prepared charts and formatted tables are shared by every session showing the same view
of the same data (`pages.common.view_cache`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import altair as alt
import polars as pl
import pyarrow as pa
import streamlit as st
from altair.utils import schemapi
from streamlit import dataframe_util

from analytics.charts import chart_description, chart_table_spec, chart_to_png, chart_to_svg
from analytics.display import TableSpec, drift_legend_fr, spec_from_formats
from analytics.exports import (
    ExportContext,
    export_file_name,
    selection_filters,
    table_to_csv_bytes,
    table_to_xlsx_bytes,
    to_csv_bytes,
    to_xlsx_bytes,
)
from analytics.formatting import MISSING, escape_markdown
from analytics.key_figures import KeyFigure
from analytics.presentation import meeting_spec
from analytics.selection import Selection
from pages.common import state
from pages.common.tables import merge_column_config, styled_table

T = TypeVar("T")

if TYPE_CHECKING:
    from pages.common.context import PageContext

EMPTY_SELECTION_FR = (
    "Aucun projet ne correspond aux filtres choisis. Élargissez la sélection dans le panneau de gauche."
)
SEE_DATA_FR = "Voir les données"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MARKDOWN_SPECIALS = r"([\\`*_{}\[\]<>()#+\-.!|~:$])"


def meeting_mode() -> bool:
    return state.selection().meeting_mode


def empty_notice(message: str = EMPTY_SELECTION_FR) -> None:
    st.info(message, icon=":material/filter_alt_off:")


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
        help=f"Télécharger « {file_name} »",
    )


def _download_row(parent=st):
    """Small buttons side by side, wrapping on narrow screens."""
    return parent.container(horizontal=True, gap="small")


EXPORT_FR = "Exporter"


def _export_menu(key: str, what: str, formats: str):
    """One « Exporter » button per chart or table, whose files are offered once it is opened (a rerun), or None
    while it is closed: four download buttons per chart were drawn on every page view for the few who export."""
    menu = st.popover(
        EXPORT_FR,
        icon=":material/download:",
        key=f"{key}_export",
        on_change="rerun",
        help=f"Télécharger « {what} » ({formats})",
    )
    return _download_row(menu) if menu.open else None


def _spec_downloads(row, df: pl.DataFrame, spec: TableSpec, context: ExportContext, key: str, threshold) -> None:
    _download(
        row,
        "CSV",
        lambda: table_to_csv_bytes(df, spec, threshold),
        context.file_name("csv"),
        "text/csv",
        f"{key}_csv",
    )
    _download(
        row,
        "XLSX",
        lambda: table_to_xlsx_bytes(df, spec, threshold=threshold, context=context),
        context.file_name("xlsx"),
        XLSX_MIME,
        f"{key}_xlsx",
    )


def download_table(df: pl.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX of a raw frame (an import report), hidden in meeting mode."""
    if meeting_mode():
        return
    row = _download_row()
    _download(row, "CSV", lambda: to_csv_bytes(df), export_file_name(name, "csv"), "text/csv", f"{key}_csv")
    _download(row, "XLSX", lambda: to_xlsx_bytes(df), export_file_name(name, "xlsx"), XLSX_MIME, f"{key}_xlsx")


def show_spec_table(
    df: pl.DataFrame,
    spec: TableSpec,
    *,
    context: ExportContext,
    download_key: str,
    threshold: float | None = None,
    drop_options: Sequence[str] = (),
    **dataframe_options: Any,
) -> None:
    """A table through its display model, the drift legend when drifts are coloured, and its downloads.

    `dataframe_options` go to `st.dataframe` (`key`, row selection, `height`...); a `column_config` given
    there is merged over the display model's (`merge_column_config`), without the `drop_options`.
    """
    data, config = shared(f"table:{download_key}:{threshold}", lambda: styled_table(df, spec, threshold))
    config = merge_column_config(config, dataframe_options.pop("column_config", {}), drop=drop_options)
    st.dataframe(
        data,
        hide_index=True,
        width="stretch",
        column_config=config,
        placeholder=MISSING,
        alt=dataframe_options.pop("alt", context.title),
        **dataframe_options,
    )
    if threshold is not None and spec.drift_columns:
        st.caption(drift_legend_fr(threshold))
    if not meeting_mode() and (row := _export_menu(download_key, context.title, "CSV, XLSX")) is not None:
        _spec_downloads(row, df, spec, context, download_key, threshold)


def markdown_safe_texts(texts: pl.DataFrame) -> pl.DataFrame:
    """`st.table` renders Markdown: data cells are escaped so that they stay text."""
    return texts.with_columns(pl.all().str.replace_all(_MARKDOWN_SPECIALS, r"\$1"))


def _see_data(texts: pl.DataFrame, key: str) -> None:
    """The « Voir les données » table: a real HTML table of the French texts (read cell by cell by a screen reader).

    Drawn only once opened (a rerun): most visitors never open it, and it cost every page view its table."""
    section = st.expander(SEE_DATA_FR, icon=":material/table:", key=key, on_change="rerun")
    if section.open:
        with section:
            st.table(texts, hide_index=True, border="horizontal")


def shared(name: str, build: Callable[[], T]) -> T:
    """`build()` once per view and data version across sessions, for components drawn without the page context
    at hand (charts, tables, sections); outside the app's frame, it is built on every run."""
    from pages.common.context import context_if_any  # imported late: the context module draws on this one

    ctx = context_if_any()
    if ctx is None:
        return build()
    return ctx.memo(name, build)


# Altair validates every schema object against Vega-Lite as it is built ("debug mode"): most of a new view's
# server time. The builders' charts are validated whole by the unit tests (`to_dict()` validates either way).
schemapi.disable_debug_mode()

ChartOrBuilder = alt.TopLevelMixin | Callable[[], alt.TopLevelMixin]  # a builder is only called on a new view


@dataclass(frozen=True)
class PreparedChart:
    """What a chart shows, worked out once: its Vega-Lite spec, its sentence, its data table's model and texts."""

    chart: alt.TopLevelMixin
    vega_spec: dict
    description: str | None
    table: TableSpec | None
    texts: pl.DataFrame | None  # the « Voir les données » cells, when `data` holds the table's fields


def prepare_chart(chart: alt.TopLevelMixin, data: pl.DataFrame | None) -> PreparedChart:
    # The builders' specs are validated against the Vega-Lite schema by the unit tests; validating again on
    # every rerun cost a fifth of a page's CPU time, so the page sends the unvalidated spec.
    table = chart_table_spec(chart)
    usable = data is not None and table is not None and all(c.field in data.columns for c in table.columns)
    return PreparedChart(
        chart=chart,
        vega_spec=_with_arrow_data(chart.to_dict(validate=False)),
        description=chart_description(chart),
        table=table if usable else None,
        texts=markdown_safe_texts(table.texts(data)) if usable else None,
    )


def _with_arrow_data(spec: dict) -> dict:
    """The chart's rows (`data.values`) as the Arrow table Streamlit makes of them, worked out once: given rows,
    `st.vega_lite_chart` converted them through pandas on every run (a seventh of a page's server time)."""
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        arrow_bytes = dataframe_util.convert_anything_to_arrow_bytes(data["values"])
        spec["data"] = {**data, "values": pa.ipc.open_stream(arrow_bytes).read_all()}
    return spec


def show_accessible_chart(
    chart: ChartOrBuilder,
    *,
    context: ExportContext,
    key: str,
    data: pl.DataFrame | None = None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """A chart with its text alternative, its « Voir les données » table and its downloads.

    The sentence (from the builder) is the chart's accessible name and is written under it; `data` (the frame
    the chart was built from) fills the data table and the CSV/XLSX; the PNG/SVG carry title, edition,
    filters and source. Given a builder (`lambda: bar_chart(...)`), the chart is only built when this view has
    not been prepared yet (`shared`).
    """
    prepared = shared(f"chart:{key}", lambda: prepare_chart(chart() if callable(chart) else chart, data))
    st.vega_lite_chart(
        spec=meeting_spec(prepared.vega_spec) if meeting_mode() else prepared.vega_spec,
        width="stretch",
        key=key,
        on_select=on_select if on_select is not None else "ignore",
    )
    if meeting_mode():
        return
    if prepared.description:
        st.caption(escape_markdown(prepared.description))  # it names data (projects, ministries): text, not Markdown
    if prepared.texts is not None:
        _see_data(prepared.texts, f"{key}_see_data")
    has_table = prepared.table is not None or data is not None
    row = _export_menu(key, context.title, "PNG, SVG" + (", CSV, XLSX" if has_table else ""))
    if row is None:
        return
    built = prepared.chart
    _download(row, "PNG", lambda: chart_to_png(built, context), context.file_name("png"), "image/png", f"{key}_png")
    _download(row, "SVG", lambda: chart_to_svg(built, context), context.file_name("svg"), "image/svg+xml", f"{key}_svg")
    if prepared.table is not None:
        _spec_downloads(row, data, prepared.table, context, key, None)
    elif data is not None:
        _download(row, "CSV", lambda: to_csv_bytes(data), context.file_name("csv"), "text/csv", f"{key}_csv")
        _download(row, "XLSX", lambda: to_xlsx_bytes(data), context.file_name("xlsx"), XLSX_MIME, f"{key}_xlsx")


def export_context(
    ctx: PageContext,
    title: str,
    *,
    filters: bool = True,
    edition: bool = True,
    simulated: bool = False,
    source: str | None = None,
    more_filters: Sequence[tuple[str, tuple[str, ...]]] = (),
) -> ExportContext:
    """What a table or chart of the page is about: its French title, the edition shown and the active filters.

    `filters=False` where the shared filters do not apply (a sheet, the framework ceiling), `edition=False` for
    data that span editions or are no panorama edition; `more_filters` are the page's own (« En glissement »);
    `simulated` says « Données simulées » in the files.
    """
    shared = selection_filters(ctx.selection, ctx.vocab) if filters else ()
    return ExportContext(
        title=title,
        edition=ctx.edition if edition else None,
        filters=(*shared, *more_filters),
        simulated=simulated,
        **({"source": source} if source else {}),
    )


def _legacy_context(title: str) -> ExportContext:
    """Edition and filters of the current selection, for the former entry points that only had a file name."""
    from pages.common.context import current_context  # imported late: the context module draws on this one

    selection = state.selection()
    vocab = current_context().vocab
    return ExportContext(
        title=title,
        edition=selection.resolved_edition(vocab),
        filters=selection_filters(selection, vocab),
    )


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
            border=not meeting_mode(),  # on a projector the figures stand alone, and a row is shorter
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
    **dataframe_options: Any,
) -> None:
    """Former entry point: the column lists become a display model (see `spec_from_formats`).

    A `pinned` column is unpinned: Streamlit 1.67 draws pinned cells in a faded grey below 4.5:1.
    """
    lists = {"money": money, "percent": percent, "years": years, "integers": integers, "months": months}
    spec = spec_from_formats(df.schema, drift=drift_threshold is not None, **lists)
    show_spec_table(
        df,
        spec,
        context=_legacy_context(name),
        download_key=download_key,
        threshold=drift_threshold,
        drop_options=("pinned",),
        alt=dataframe_options.pop("alt", None),  # a file name is no accessible name
        **dataframe_options,
    )
