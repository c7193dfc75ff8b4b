"""Projets: the searchable table of the edition (`glissement=1`: slipping projects only), and the sheet of the
selected project (`projet=`) with its drift ledger and slippage signal."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.display import PROJECTS_TABLE, Column, Kind, TableSpec, spec_from_formats
from analytics.formatting import escape_markdown as md
from analytics.formatting import format_meur, format_meur_expr, format_month, format_pct, format_pct_expr, format_years
from analytics.panorama.drift import DRIFT_METHOD_FR
from analytics.panorama.ledger import LEDGER_METHOD_FR, SLIPPAGE_RULE_FR, is_slipping, project_ledger, with_ledger
from analytics.panorama.ledger_report import (
    ledger_formats,
    ledger_table,
    slippage_status,
    summary_lines,
)
from analytics.params.pages import PageId
from analytics.selection import apply_selection
from pages.common import presenter, state, ui, widgets
from pages.common.context import PageContext, run_page
from pages.common.ministry_links import ministry_link, ministry_links
from pages.common.project_picker import TABLE_HINT_FR, sheet_picker

TABLE_KEY = "projects_table"
PRESENTED_ROWS = 8
ROW_IDS_KEY = "_projects_row_ids"
TABLE_SPEC = TableSpec(
    columns=(
        *PROJECTS_TABLE.columns,
        Column(field="slipping", header="En glissement", kind=Kind.BOOL, help=SLIPPAGE_RULE_FR),
    )
)
"""The projects table: the display model of the Projets page with the slippage signal."""


def render(ctx: PageContext) -> None:
    st.title("Projets")
    if not ctx.meeting:  # the presenter bar names the edition
        st.caption(
            f"Édition {format_month(ctx.edition)} · recherche et filtres dans le panneau de gauche · "
            "sélectionnez une ligne pour ouvrir la fiche du projet."
        )
    widgets.toggle(
        PageId.PROJECTS,
        "slipping_only",
        "En glissement seulement",
        help=SLIPPAGE_RULE_FR,
    )
    in_edition = ctx.memo("in_edition", lambda: _in_edition(ctx))
    ui.selection_caption(ctx.selection, in_edition.height)
    if in_edition.is_empty():
        ui.empty_notice(
            "Aucun projet en glissement dans la sélection pour cette édition."
            if ctx.params.slipping_only
            else ui.EMPTY_SELECTION_FR
        )
    elif ctx.meeting and ctx.params.project is None:
        _presentation(in_edition)
    elif not ctx.meeting:
        _table(ctx, in_edition)
        ministry_links(ctx, in_edition, by_name=True)
    if ctx.params.slipping_only and not ctx.meeting:
        st.caption(SLIPPAGE_RULE_FR)
    if ctx.params.project is not None:
        _sheet(ctx, ctx.params.project)


def _presentation(in_edition: pl.DataFrame) -> None:
    """For a projector: the largest projects, whole, in French formats (the full table outside meeting mode)."""
    shown = in_edition.head(PRESENTED_ROWS)
    title = f"Les {shown.height} projets les plus coûteux" + (
        f" sur {in_edition.height}" if in_edition.height > shown.height else ""
    )
    presenter.presentation_table(
        title,
        shown.select(
            pl.col("project_name").alias("Projet"),
            pl.col("ministry_label").alias("Ministère"),
            pl.col("phase").cast(pl.String).fill_null("Non publiée").alias("Phase"),
            format_meur_expr(pl.col("cost_meur")).alias("Coût"),
            format_pct_expr(pl.col("budget_drift"), signed=True).alias("Écart budgétaire"),
        ),
        "",
    )


def _in_edition(ctx: PageContext) -> pl.DataFrame:
    """The selected projects of the edition, largest cost first, with the slippage signal as of the edition.

    The ledger needs each project's whole history: it is computed before the filters.
    """
    rows = apply_selection(with_ledger(ctx.view.projects.lazy()), ctx.selection).filter(
        pl.col("edition") == ctx.edition
    )
    if ctx.params.slipping_only:
        rows = rows.filter(is_slipping())
    return rows.sort("cost_meur", descending=True, nulls_last=True).collect()


def _open_selected_row() -> None:
    rows = st.session_state[TABLE_KEY]["selection"]["rows"]
    if rows:
        state.update(PageId.PROJECTS, project=st.session_state[ROW_IDS_KEY][rows[0]])


def _table(ctx: PageContext, in_edition: pl.DataFrame) -> None:
    st.session_state[ROW_IDS_KEY] = in_edition.get_column("project_id").to_list()
    slipping = (("En glissement", ("oui",)),) if ctx.params.slipping_only else ()
    ui.show_spec_table(
        in_edition,
        TABLE_SPEC,
        context=ui.export_context(ctx, "Projets", more_filters=slipping),
        download_key="dl_projects",
        threshold=ctx.selection.drift_threshold,
        key=TABLE_KEY,
        on_select=_open_selected_row,
        selection_mode="single-row",
        height=min(600, 38 + 35 * in_edition.height),
        column_config={"Projet": {"width": "medium"}},
    )
    st.caption(TABLE_HINT_FR)
    sheet_picker(ctx, in_edition)


def _sheet(ctx: PageContext, project_id: str) -> None:
    history = ctx.view.projects.filter(pl.col("project_id") == project_id).sort("edition")
    latest = history.row(history.height - 1, named=True)
    st.divider()
    head, close = st.columns([5, 1])
    head.header(f"Fiche projet : {md(latest['project_name'])}")
    close.button(
        "Fermer la fiche",
        icon=":material/close:",
        on_click=state.update,
        args=(PageId.PROJECTS,),
        kwargs={"project": None},
    )
    if latest["edition"] != ctx.edition:
        st.info(
            f"Ce projet ne figure pas dans l'édition {format_month(ctx.edition)} : "
            f"dernière apparition en {format_month(latest['edition'])}.",
            icon=":material/history:",
        )
    facts, description = st.columns([1, 2])
    with facts:
        _facts(latest)
        ministry_link(ctx, latest["ministry_id"], latest["ministry_label"])
    with description:
        st.markdown("**Description et objectifs**")
        st.text(latest["description"] or "Non renseignée.")
    _trajectory(ctx, latest["project_name"], history)
    _ledger(ctx, project_id, history, latest["project_name"])
    st.caption(DRIFT_METHOD_FR)


def _ledger(ctx: PageContext, project_id: str, history: pl.DataFrame, name: str) -> None:
    """First published figures, the step each edition added, the total since, and the slippage signal."""
    st.subheader("Registre des dérives")
    ledger = project_ledger(ctx.view.projects, project_id)
    if ledger is None:
        return
    slipping, status = slippage_status(ledger, ctx.edition)
    (st.warning if slipping else st.info)(status, icon=":material/trending_up:" if slipping else ":material/check:")
    st.caption(SLIPPAGE_RULE_FR)
    for line in summary_lines(ledger.summary):
        st.text(line)
    table = ledger_table(ledger, history, detailed=not ctx.meeting)
    ui.show_spec_table(
        table,
        spec_from_formats(table.schema, drift=True, **ledger_formats(table)),
        context=ui.export_context(ctx, f"Registre des dérives : {name}", filters=False, edition=False),
        download_key="dl_project_history",
        threshold=ctx.selection.drift_threshold,
    )
    if not ctx.meeting:
        st.caption(
            "Chaque ligne : le chiffre publié dans l'édition et la variation qu'elle a ajoutée par rapport au chiffre "
            "publié précédemment (« Coût comparé à »). " + LEDGER_METHOD_FR
        )


def _facts(latest: dict[str, object]) -> None:
    st.markdown(f"**Ministère** : {md(latest['ministry_label'])}  \n*{md(latest['ministry_name'])}*")
    st.markdown(f"**Phase** : {latest['phase'] or 'non publiée'}")
    st.markdown(f"**Interministériel** : {'oui' if latest['interministerial'] else 'non'}")
    st.markdown(f"**Début** : {format_month(latest['start_date'])}")
    st.markdown(f"**Zone fonctionnelle** : {md(latest['functional_zone'] or 'non renseignée')}")
    programmes = latest["funding_programmes"] or []
    st.markdown(f"**Programmes de financement** : {md(', '.join(programmes) or 'non renseignés')}")
    st.markdown(
        f"**Coût** : {format_meur(latest['cost_meur'])} · **écart budgétaire** : "
        f"{format_pct(latest['budget_drift'], signed=True)}  \n"
        f"**Durée** : {format_years(latest['duration_years'])} · **écart calendaire** : "
        f"{format_pct(latest['schedule_drift'], signed=True)}"
    )
    if latest["withheld_reason"]:
        st.caption(md(latest["withheld_reason"]))


def _trajectory(ctx: PageContext, name: str, history: pl.DataFrame) -> None:
    st.subheader("Trajectoire du projet, édition par édition")
    trajectory = history.select(
        "edition",
        pl.col("cost_meur").alias("Coût (M€)"),
        pl.col("duration_years").alias("Durée (ans)"),
    ).unpivot(index="edition", variable_name="indicator", value_name="value")
    cost_col, duration_col = st.columns(2)
    for column, indicator, measure, fmt, slug in (
        (cost_col, "Coût (M€)", "Coût publié", charts.MEUR_FORMAT, "cout"),
        (duration_col, "Durée (ans)", "Durée publiée", ",.1f", "duree"),
    ):
        points = trajectory.filter(pl.col("indicator") == indicator).drop_nulls("value")
        title = f"{measure} de {name}, édition par édition"
        with column:
            if points.is_empty():
                ui.empty_notice(f"{indicator} : jamais publié pour ce projet.")
            else:
                ui.show_accessible_chart(
                    lambda points=points, indicator=indicator, fmt=fmt, title=title: charts.line_chart(
                        points, "edition", "value", x_title="Édition", y_title=indicator, y_format=fmt, title=title
                    ),
                    context=ui.export_context(ctx, title, filters=False, edition=False),
                    key=f"chart_project_{slug}",
                    data=points,
                )


run_page(render)
