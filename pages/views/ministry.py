"""Fiche ministère (`/ministere?ministere=<id>`, outside the menu, opened from ministry names): the ministry's
portfolio in each edition and its share of the State's, its projects, its entrants and leavers."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.display import spec_from_formats
from analytics.exports import ExportContext
from analytics.formatting import escape_markdown as md
from analytics.formatting import format_month
from analytics.panorama.drift import DRIFT_METHOD_FR
from analytics.panorama.ministry import MINISTRY_SHARE_METHOD_FR, MinistrySheet, ministry_sheet
from analytics.panorama.ministry_report import ministry_key_figures, projects_table, sheet_formats, trajectory_table
from pages.common import state, ui
from pages.common.change_tables import movement_tables
from pages.common.context import PageContext, run_page
from pages.common.project_picker import TABLE_HINT_FR, choose, link_picker

CHOICE_KEY = "ministry_choice"
PROJECTS_KEY = "ministry_projects"
PICKER_KEY = "ministry_project_choice"
ROW_IDS_KEY = "_ministry_project_ids"


def render(ctx: PageContext) -> None:
    chosen = ctx.selection.ministries
    sheet = None
    if len(chosen) == 1:
        sheet = ministry_sheet(
            ctx.view.projects, chosen[0], ctx.edition, ctx.compare, drift_threshold=ctx.selection.drift_threshold
        )
    if sheet is None:
        _chooser(ctx, chosen)
        return
    st.title(f"Fiche ministère : {md(sheet.ministry_label)}")
    comparison = f" · comparée à {format_month(ctx.compare)}" if ctx.compare else ""
    st.caption(f"Édition {format_month(ctx.edition)}{comparison} · tout le portefeuille du ministère")
    if not ctx.meeting:
        st.caption("Noms publiés du ministère : " + " ; ".join(md(name) for name in sheet.published_names))
        if ctx.selection.filter_count > 1:
            st.caption(
                "Les autres filtres (phase, tranche, zone, recherche…) ne s'appliquent pas à la fiche : elle porte "
                "sur tout le portefeuille du ministère. Ils restent actifs sur les autres pages."
            )
    ui.key_figures(ministry_key_figures(sheet, ctx.compare), columns=3)
    # the sheet covers the ministry's whole portfolio: its exports name the ministry, not the other filters
    _trajectory(ctx, sheet)
    _projects(ctx, sheet)
    _movements(ctx, sheet)
    if not ctx.meeting:
        st.caption(MINISTRY_SHARE_METHOD_FR + " " + DRIFT_METHOD_FR)


def _choose() -> None:
    choice = st.session_state[CHOICE_KEY]
    if choice is not None:
        state.update(None, ministries=(choice,))


def _chooser(ctx: PageContext, chosen: tuple[str, ...]) -> None:
    """No single ministry in the filters: say so and offer them (the choice sets the `ministere` filter)."""
    st.title("Fiche ministère")
    options = list(chosen) if len(chosen) > 1 else list(ctx.vocab.ministries)
    why = "plusieurs ministères sont sélectionnés" if len(chosen) > 1 else "aucun ministère n'est sélectionné"
    ui.empty_notice(f"La fiche porte sur un seul ministère et {why} : choisissez-en un.")
    st.selectbox(
        "Ministère",
        options,
        index=None,
        format_func=lambda m: ctx.vocab.ministries.get(m, m),
        placeholder="Choisir un ministère",
        key=CHOICE_KEY,
        on_change=_choose,
    )


def sheet_context(ctx: PageContext, sheet: MinistrySheet, title: str, *, edition: bool = True) -> ExportContext:
    """Exports of the sheet: filtered on its ministry only (the other filters do not apply to it)."""
    ministry = (("Ministère", (sheet.ministry_label,)),)
    return ui.export_context(ctx, title, filters=False, edition=edition, more_filters=ministry)


def _trajectory(ctx: PageContext, sheet: MinistrySheet) -> None:
    st.header("Portefeuille du ministère à chaque édition")
    table = trajectory_table(sheet, detailed=not ctx.meeting)
    points = sheet.trajectory.select("edition", pl.col("cost_share").alias("value")).drop_nulls("value")
    if not points.is_empty():
        title = f"Part du coût de l'État : {sheet.ministry_label}, toutes éditions"
        ui.show_accessible_chart(
            lambda: charts.line_chart(
                points,
                "edition",
                "value",
                x_title="Édition",
                y_title="Part du coût de l'État",
                y_format=charts.PCT_FORMAT,
                title=title,
            ),
            context=sheet_context(ctx, sheet, title, edition=False),
            key="chart_ministry_share",
            data=points,
        )
    ui.show_spec_table(
        table,
        spec_from_formats(table.schema, **sheet_formats(table)),
        context=sheet_context(ctx, sheet, f"Portefeuille du ministère {sheet.ministry_label}", edition=False),
        download_key="dl_ministry_trajectory",
    )


def _remember_clicked_project() -> None:
    rows = st.session_state[PROJECTS_KEY]["selection"]["rows"]
    choose(PICKER_KEY, st.session_state[ROW_IDS_KEY][rows[0]] if rows else None)


def _projects(ctx: PageContext, sheet: MinistrySheet) -> None:
    st.header(f"Ses {sheet.projects.height} projet(s) en {format_month(ctx.edition)}")
    if sheet.projects.is_empty():
        ui.empty_notice(f"Le ministère n'a aucun projet dans l'édition {format_month(ctx.edition)}.")
        return
    st.session_state[ROW_IDS_KEY] = sheet.projects.get_column("project_id").to_list()
    table = projects_table(sheet)
    ui.show_spec_table(
        table,
        spec_from_formats(table.schema, drift=True, **sheet_formats(table)),
        context=sheet_context(ctx, sheet, f"Projets du ministère {sheet.ministry_label}"),
        download_key="dl_ministry_projects",
        threshold=ctx.selection.drift_threshold,
        key=PROJECTS_KEY,
        on_select=_remember_clicked_project,
        selection_mode="single-row",
    )
    if not ctx.meeting:
        st.caption(TABLE_HINT_FR)
    link_picker(ctx, sheet.projects, PICKER_KEY)


def _movements(ctx: PageContext, sheet: MinistrySheet) -> None:
    if sheet.comparison is None:
        return
    start, end = format_month(sheet.comparison.from_edition), format_month(sheet.comparison.to_edition)
    st.header(f"Entrants et sortants du ministère entre {start} et {end}")
    movement_tables(
        ctx, sheet.comparison, sheet_context(ctx, sheet, f"du ministère {sheet.ministry_label}", edition=False)
    )


run_page(render)
