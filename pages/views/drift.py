"""Dérives: which projects drift, by how much, where, since when, and which left the panorama drifting."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.display import spec_from_formats
from analytics.formatting import format_meur_expr, format_month, format_pct, format_pct_expr
from analytics.panorama.drift import DRIFT_METHOD_FR, exceeds_threshold
from analytics.panorama.editions import cost_definition_break
from analytics.panorama.movements import exit_watch
from analytics.panorama.portfolio import average_drift_history, drift_by_ministry, largest_drifts
from pages.common import presenter, ui
from pages.common.context import PageContext, run_page
from pages.common.project_picker import choose, link_picker

TOP_N = 15
PRESENTED_ROWS = 7
SCATTER_KEY = "drift_scatter"
PICKER_KEY = "drift_project_choice"


def render(ctx: PageContext) -> None:
    threshold = ctx.selection.drift_threshold
    st.title("Dérives")
    if not ctx.meeting:  # the presenter bar names the edition
        st.caption(
            f"Édition {format_month(ctx.edition)} · seuil d'alerte {format_pct(threshold, 0)} (panneau de gauche) · "
            "dérive mesurée depuis la 1re publication de chaque projet."
        )
    selected = ctx.selected_projects()
    current = ctx.current_projects()
    ui.selection_caption(ctx.selection, current.height)
    measured = ctx.memo(
        "measured",
        lambda: current.filter(pl.col("budget_drift").is_not_null() | pl.col("schedule_drift").is_not_null()),
    )
    if ctx.meeting:
        _presentation(ctx, selected, measured)
        return
    if measured.is_empty():
        ui.empty_notice(
            "Aucun projet de la sélection n'a de dérive mesurable dans cette édition (il faut au moins deux "
            "éditions avec un chiffre publié)."
        )
    else:
        _over_threshold(ctx, measured, threshold)
        _scatter(ctx, measured)
        _rankings(ctx, measured)
        _by_ministry(ctx, current)
    _history(ctx, selected)
    _exit_watch(ctx, selected)
    if not ctx.meeting:
        st.caption(DRIFT_METHOD_FR)


def _presentation(ctx: PageContext, selected: pl.DataFrame, measured: pl.DataFrame) -> None:
    """One screen for a meeting: how many drift, the largest drifts in M€, the projects that left drifting."""
    threshold = ctx.selection.drift_threshold
    _over_threshold(ctx, measured, threshold)
    left, right = st.columns(2)
    with left:
        ranked = largest_drifts(measured, "budget_drift_meur", PRESENTED_ROWS)
        presenter.presentation_table(
            f"Les {ranked.height} plus fortes dérives budgétaires",
            ranked.select(
                pl.col("project_name").alias("Projet"),
                format_meur_expr(pl.col("budget_drift_meur")).alias("Dérive"),
                format_pct_expr(pl.col("budget_drift"), signed=True).alias("Écart"),
            ),
            "Aucune dérive budgétaire mesurable dans cette sélection.",
        )
    with right:
        exits = exit_watch(selected, threshold, latest_edition=ctx.vocab.latest)
        shown = exits.sort("last_known_cost_meur", descending=True, nulls_last=True).head(PRESENTED_ROWS)
        presenter.presentation_table(
            f"Sortis du panorama en dérive : {exits.height} projet(s)"
            + (f", les {shown.height} plus coûteux" if exits.height > shown.height else ""),
            shown.select(
                pl.col("project_name").alias("Projet"),
                pl.col("last_edition").dt.strftime("%m/%Y").alias("Sorti après"),
                format_pct_expr(pl.col("last_known_budget_drift"), signed=True).alias("Dernier écart"),
            ),
            f"Aucun projet sorti au-delà de {format_pct(threshold, 0)}.",
        )


def _over_threshold(ctx: PageContext, measured: pl.DataFrame, threshold: float) -> None:
    over = ctx.memo(
        "over_threshold",
        lambda: (
            measured.filter(
                exceeds_threshold(pl.col("budget_drift"), threshold)
                | exceeds_threshold(pl.col("schedule_drift"), threshold)
            ).height
        ),
    )
    st.metric(
        "Projets au-delà du seuil",
        f"{over} / {measured.height}",
        help="Projets dont l'écart budgétaire ou calendaire dépasse strictement le seuil, parmi ceux dont un écart "
        "est connu.",
        border=True,
    )


def _remember_clicked_project() -> None:
    points = st.session_state[SCATTER_KEY]["selection"].get("projet_clic") or []
    choose(PICKER_KEY, points[0].get("project_id") if points else None)


def _scatter(ctx: PageContext, measured: pl.DataFrame) -> None:
    title = "Écart budgétaire et écart calendaire"
    st.header(title)
    scatter_data = ctx.memo("scatter_data", lambda: charts.drift_scatter_frame(measured))
    ui.show_accessible_chart(
        lambda: charts.drift_scatter(
            scatter_data, threshold=ctx.selection.drift_threshold, selection_name="projet_clic", title=title
        ),
        context=ui.export_context(ctx, title),
        key=SCATTER_KEY,
        data=scatter_data,
        on_select=_remember_clicked_project,
    )
    if not ctx.meeting:
        st.caption(
            "Taille des bulles : coût ; couleur et forme : ministère ; lignes rouges : seuil d'alerte. "
            "Un écart inconnu est placé sur l'axe (0 %). Cliquez une bulle, ou choisissez le projet dans la liste "
            "ci-dessous (au clavier), pour ouvrir sa fiche."
        )
    link_picker(ctx, ctx.memo("scatter_picker", lambda: scatter_data.sort("project_name")), PICKER_KEY)


def _rankings(ctx: PageContext, measured: pl.DataFrame) -> None:
    st.header(f"Les {TOP_N} plus fortes dérives budgétaires")
    in_meur, in_pct = st.columns(2)
    for column, value, value_title, fmt, unit in (
        (in_meur, "budget_drift_meur", "Dérive (M€)", charts.MEUR_FORMAT, "en M€"),
        (in_pct, "budget_drift", "Dérive (%)", charts.PCT_FORMAT, "en %"),
    ):
        ranked = ctx.memo(
            f"ranked:{value}", lambda v=value: measured.drop_nulls(v).sort(v, descending=True).head(TOP_N)
        )
        title = f"Les {ranked.height} plus fortes dérives budgétaires, {unit}"
        with column:
            ui.show_accessible_chart(
                lambda ranked=ranked, value=value, value_title=value_title, fmt=fmt, title=title: charts.bar_chart(
                    ranked.select("project_name", value, "ministry_label"),
                    "project_name",
                    value,
                    category_title="Projet",
                    value_title=value_title,
                    value_format=fmt,
                    tooltip=[charts.alt.Tooltip("ministry_label:N", title="Ministère")],
                    color=charts.RED_MARIANNE,
                    title=title,
                ),
                context=ui.export_context(ctx, title),
                key=f"chart_{value}",
                data=ranked,
            )


def _by_ministry(ctx: PageContext, current: pl.DataFrame) -> None:
    title = "Dérive budgétaire par ministère, pondérée par le coût"
    st.header("Dérive par ministère")
    per_ministry = ctx.memo("drift_by_ministry", lambda: drift_by_ministry(current).drop_nulls("weighted_budget_drift"))
    if per_ministry.is_empty():
        ui.empty_notice("Aucun ministère de la sélection n'a de dérive budgétaire mesurable.")
        return
    ui.show_accessible_chart(
        lambda: charts.bar_chart(
            per_ministry,
            "ministry_label",
            "weighted_budget_drift",
            category_title="Ministère",
            value_title="Dérive budgétaire pondérée par le coût",
            value_format=charts.PCT_FORMAT,
            tooltip=[
                charts.alt.Tooltip("mean_budget_drift:Q", title="Dérive moyenne", format=charts.PCT_FORMAT),
                charts.alt.Tooltip("projects_with_budget_drift:Q", title="Projets mesurés"),
            ],
            title=title,
        ),
        context=ui.export_context(ctx, title),
        key="chart_drift_ministry",
        data=per_ministry,
    )


def _history(ctx: PageContext, selected: pl.DataFrame) -> None:
    st.header("Dérive moyenne au fil des éditions")
    history = ctx.memo("drift_history", lambda: average_drift_history(selected, ctx.vocab.editions))
    if history.is_empty():
        ui.empty_notice("Aucune dérive mesurable pour cette sélection, quelle que soit l'édition.")
        return
    cost_break = ctx.memo("cost_break", lambda: cost_definition_break(ctx.view.projects))
    title = "Dérive moyenne depuis la 1re publication, toutes éditions"
    ui.show_accessible_chart(
        lambda: charts.drift_history_chart(
            history,
            break_date=cost_break.edition if cost_break else None,
            break_label=cost_break.label_fr if cost_break else "",
            title=title,
        ),
        context=ui.export_context(ctx, title, edition=False),
        key="chart_drift_history",
        data=history,
    )


def _exit_watch(ctx: PageContext, selected: pl.DataFrame) -> None:
    threshold = ctx.selection.drift_threshold
    st.header("Veille des sorties : projets sortis du panorama en dérive")
    exits = ctx.memo("exit_watch", lambda: exit_watch(selected, threshold, latest_edition=ctx.vocab.latest))
    if exits.is_empty():
        st.success(
            f"Aucun projet de la sélection n'a quitté le panorama avec une dérive au-delà de "
            f"{format_pct(threshold, 0)}.",
            icon=":material/check_circle:",
        )
        return
    st.warning(
        f"{exits.height} projet(s) ont quitté le panorama alors que leur dernier écart connu dépassait "
        f"{format_pct(threshold, 0)}.",
        icon=":material/warning:",
    )
    exits_table = exits.select(
        pl.col("project_name").alias("Projet"),
        pl.col("ministry_label").alias("Ministère"),
        pl.col("last_edition").alias("Dernière édition"),
        pl.col("last_phase").cast(pl.String).alias("Dernière phase"),
        pl.col("last_known_cost_meur").alias("Dernier coût connu (M€)"),
        pl.col("last_known_budget_drift").alias("Dernier écart budgétaire"),
        pl.col("last_known_schedule_drift").alias("Dernier écart calendaire"),
    )
    ui.show_spec_table(
        exits_table,
        spec_from_formats(
            exits_table.schema,
            money=["Dernier coût connu (M€)"],
            percent=["Dernier écart budgétaire", "Dernier écart calendaire"],
            months=["Dernière édition"],
            drift=True,
        ),
        context=ui.export_context(ctx, "Projets sortis du panorama en dérive", edition=False),
        download_key="dl_exits",
        threshold=threshold,
    )


run_page(render)
