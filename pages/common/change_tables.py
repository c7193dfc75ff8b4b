"""Titled tables of an edition comparison (entrants, leavers…), shared by « Évolutions » and the ministry sheet."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.display import spec_from_formats
from analytics.exports import ExportContext
from analytics.formatting import format_month
from analytics.panorama.change_report import entrants_table, leavers_table, table_formats
from analytics.panorama.changes import EditionComparison
from pages.common import ui
from pages.common.context import PageContext

TRANSFER_NOTE_FR = "« Transféré » : le projet a changé de ministère sans quitter le panorama (filtre par ministère)."


def titled_table(
    ctx: PageContext, title: str, table: pl.DataFrame, empty_fr: str, context: ExportContext, key: str
) -> None:
    """A bold title, then the table in French formats with its downloads (`context`), or the French empty state."""
    st.markdown(f"**{title}**")
    if table.is_empty():
        ui.empty_notice(empty_fr)
        return
    ui.show_spec_table(
        table,
        spec_from_formats(table.schema, drift=True, **table_formats(table)),
        context=context,
        download_key=key,
        threshold=ctx.selection.drift_threshold,
        height=min(560, 38 + 35 * table.height),
    )


def span_fr(comparison: EditionComparison) -> str:
    """« entre juillet 2021 et novembre 2021 »."""
    return f"entre {format_month(comparison.from_edition)} et {format_month(comparison.to_edition)}"


def movement_tables(ctx: PageContext, comparison: EditionComparison, context: ExportContext) -> None:
    """Entrants then leavers of `comparison` (fewer columns in meeting mode); `context` names their downloads,
    its title saying whose movements they are (« du ministère Intérieur », or empty)."""
    detailed, span = not ctx.meeting, span_fr(comparison)
    entrants, leavers = entrants_table(comparison, detailed), leavers_table(comparison, detailed)
    for kind, table, key in (("Entrants", entrants, "dl_entrants"), ("Sortants", leavers, "dl_leavers")):
        titled_table(
            ctx,
            f"{table.height} {kind.lower().removesuffix('s')}(s)",
            table,
            f"Aucun {kind.lower().removesuffix('s')} {span}.",
            context.model_copy(update={"title": " ".join(p for p in (kind, context.title, span) if p)}),
            key,
        )
    if detailed:
        st.caption(
            "Sortants : dernier coût et dernier écart publiés, même s'ils datent d'une édition antérieure. "
            + TRANSFER_NOTE_FR
        )
