"""Titled tables of an edition comparison (entrants, leavers…), shared by « Évolutions » and the ministry sheet."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.formatting import format_month
from analytics.panorama.change_report import entrants_table, leavers_table, table_formats
from analytics.panorama.changes import EditionComparison
from pages.common import ui
from pages.common.context import PageContext

TRANSFER_NOTE_FR = "« Transféré » : le projet a changé de ministère sans quitter le panorama (filtre par ministère)."


def titled_table(ctx: PageContext, title: str, table: pl.DataFrame, empty_fr: str, name: str, key: str) -> None:
    """A bold title, then the table in French formats with its downloads, or the French empty state."""
    st.markdown(f"**{title}**")
    if table.is_empty():
        ui.empty_notice(empty_fr)
        return
    ui.show_table(
        table,
        name,
        key,
        **table_formats(table),
        drift_threshold=ctx.selection.drift_threshold,
        height=min(560, 38 + 35 * table.height),
        column_config={"Projet": st.column_config.TextColumn(pinned=True)},
    )


def comparison_slug(comparison: EditionComparison) -> str:
    return f"{comparison.from_edition:%Y-%m}-{comparison.to_edition:%Y-%m}"


def movement_tables(ctx: PageContext, comparison: EditionComparison, name: str) -> None:
    """Entrants then leavers of `comparison` (fewer columns in meeting mode), files named `name`-entrants-…"""
    detailed, slug = not ctx.meeting, comparison_slug(comparison)
    span = f"entre {format_month(comparison.from_edition)} et {format_month(comparison.to_edition)}"
    entrants, leavers = entrants_table(comparison, detailed), leavers_table(comparison, detailed)
    titled_table(
        ctx,
        f"{entrants.height} entrant(s)",
        entrants,
        f"Aucun entrant {span}.",
        f"{name}entrants-{slug}",
        "dl_entrants",
    )
    titled_table(
        ctx, f"{leavers.height} sortant(s)", leavers, f"Aucun sortant {span}.", f"{name}sortants-{slug}", "dl_leavers"
    )
    if detailed:
        st.caption(
            "Sortants : dernier coût et dernier écart publiés, même s'ils datent d'une édition antérieure. "
            + TRANSFER_NOTE_FR
        )
