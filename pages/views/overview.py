"""Vue d'ensemble: the official panorama's key figures for the selection, movements, breakdowns, history."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.display import spec_from_formats
from analytics.formatting import format_meur_expr, format_month, format_pct, format_pct_expr
from analytics.panorama.drift import DRIFT_METHOD_FR, exceeds_threshold
from analytics.panorama.editions import cost_definition_break, official_figures
from analytics.panorama.key_figures import comparison_note, overview_key_figures
from analytics.panorama.movements import compute_movements
from analytics.panorama.portfolio import (
    COMPUTED_SERIES_FR,
    OFFICIAL_SERIES_FR,
    breakdown,
    drift_by_ministry,
    largest_drifts,
    ministry_phase_counts,
    summarise_portfolio,
    trajectory,
    trajectory_with_official,
)
from analytics.panorama.schema import PHASES
from analytics.params.pages import PageId
from pages.common import presenter, state, ui, widgets
from pages.common.context import PageContext, run_page
from pages.common.ministry_links import ministry_links

MINISTRY_CHART_KEY = "chart_cost_by_ministry"
PRESENTED_ROWS = 5
INDICATORS_FR = {
    "total_cost_meur": "Coût total",
    "projects": "Nombre de projets",
    "avg_budget_drift": "Écart budgétaire moyen",
    "avg_schedule_drift": "Écart calendaire moyen",
}


def render(ctx: PageContext) -> None:
    st.title("Vue d'ensemble")
    if not ctx.meeting:  # the presenter bar names the edition
        st.caption(
            f"Panorama des grands projets numériques de l'État · édition {format_month(ctx.edition)}"
            + (f" · comparée à {format_month(ctx.compare)}" if ctx.compare else "")
        )
    selected = ctx.selected_projects()
    current = ctx.current_projects()
    _key_figures(ctx, selected, current)
    if ctx.meeting:
        _presentation(ctx, selected, current)
        return
    if current.is_empty():
        ui.empty_notice()
    else:
        if ctx.compare:
            _movements(ctx, selected)
        _breakdowns(ctx, current)
    _trajectory(ctx, selected)


def _key_figures(ctx: PageContext, selected: pl.DataFrame, current: pl.DataFrame) -> None:
    threshold = ctx.selection.drift_threshold

    def figures():
        summary = summarise_portfolio(current, threshold)
        compared = selected.filter(pl.col("edition") == ctx.compare) if ctx.compare else None
        before = summarise_portfolio(compared, threshold) if compared is not None else None
        official = official_figures(ctx.view.headlines, ctx.edition) if ctx.selection.is_unfiltered else None
        return summary.project_count, overview_key_figures(summary, before, official)

    count, key_figures = ctx.memo("key_figures", figures)
    ui.selection_caption(ctx.selection, count)
    ui.key_figures(key_figures, columns=3)
    if not ctx.meeting:
        st.caption(comparison_note(ctx.compare))


def _presentation(ctx: PageContext, selected: pl.DataFrame, current: pl.DataFrame) -> None:
    """One screen for a meeting: the largest drifts, the ministries carrying them, the leavers in drift."""
    threshold = ctx.selection.drift_threshold
    drifts = largest_drifts(current, "budget_drift_meur", PRESENTED_ROWS).select(
        pl.col("project_name").alias("Projet"),
        format_meur_expr(pl.col("budget_drift_meur")).alias("Dérive"),
        format_pct_expr(pl.col("budget_drift"), signed=True).alias("Écart"),
    )
    ministries = (
        drift_by_ministry(current)
        .drop_nulls("budget_drift_meur")
        .sort("budget_drift_meur", descending=True)
        .head(PRESENTED_ROWS)
        .select(
            pl.col("ministry_label").alias("Ministère"),
            format_meur_expr(pl.col("budget_drift_meur")).alias("Dérive"),
        )
    )
    leavers = pl.DataFrame()
    if ctx.compare:
        first, last = sorted((ctx.compare, ctx.edition))
        moved = compute_movements(selected, first, last).leavers
        leavers = (
            moved.filter(exceeds_threshold(pl.col("last_known_budget_drift"), threshold).fill_null(False))
            .sort("last_known_cost_meur", descending=True, nulls_last=True)
            .head(PRESENTED_ROWS)
            .select(
                pl.col("project_name").alias("Projet"),
                format_pct_expr(pl.col("last_known_budget_drift"), signed=True).alias("Dernier écart"),
            )
        )
    left, middle, right = st.columns(3)
    with left:
        presenter.presentation_table(
            f"Les {PRESENTED_ROWS} plus fortes dérives (M€)", drifts, "Aucune dérive mesurable."
        )
    with middle:
        presenter.presentation_table("Ministères portant le plus de dérive", ministries, "Aucune dérive mesurable.")
    with right:
        presenter.presentation_table(
            f"Sortis en dérive (au-delà de {format_pct(threshold, 0)})",
            leavers,
            "Aucun projet sorti en dérive." if ctx.compare else "Pas d'édition de comparaison.",
        )


def _movements(ctx: PageContext, selected: pl.DataFrame) -> None:
    first, last = sorted((ctx.compare, ctx.edition))
    span = f"entre {format_month(first)} et {format_month(last)}"
    st.header(f"Mouvements {span}")
    moves = ctx.memo("movements", lambda: compute_movements(selected, first, last))
    entrants = moves.entrants.select(
        pl.col("project_name").alias("Projet"),
        pl.col("ministry_label").alias("Ministère"),
        pl.col("cost_meur").alias("Coût (M€)"),
    )
    leavers = moves.leavers.select(
        pl.col("project_name").alias("Projet"),
        pl.col("ministry_label").alias("Ministère"),
        pl.col("last_known_cost_meur").alias("Dernier coût connu (M€)"),
        pl.col("last_known_budget_drift").alias("Dernier écart budgétaire"),
    )
    entrants_col, leavers_col = st.columns(2)
    with entrants_col:
        st.markdown(f"**{entrants.height} entrant(s)**")
        if entrants.height:
            ui.show_spec_table(
                entrants,
                spec_from_formats(entrants.schema, money=["Coût (M€)"]),
                context=ui.export_context(ctx, f"Entrants {span}"),
                download_key="dl_entrants",
            )
    with leavers_col:
        st.markdown(f"**{leavers.height} sortant(s)**")
        if leavers.height:
            ui.show_spec_table(
                leavers,
                spec_from_formats(
                    leavers.schema, money=["Dernier coût connu (M€)"], percent=["Dernier écart budgétaire"], drift=True
                ),
                context=ui.export_context(ctx, f"Sortants {span}"),
                download_key="dl_sortants",
                threshold=ctx.selection.drift_threshold,
            )


def _filter_on_clicked_ministry() -> None:
    points = st.session_state[MINISTRY_CHART_KEY]["selection"].get("ministere_clic") or []
    clicked = tuple(point["ministry_id"] for point in points if "ministry_id" in point)
    if clicked:
        state.update(None, ministries=clicked)


def _breakdowns(ctx: PageContext, current: pl.DataFrame) -> None:
    st.header(f"Répartition des projets en {format_month(ctx.edition)}")
    left, right = st.columns(2)
    with left:
        title = "Projets par ministère et phase"
        st.subheader(title)
        by_ministry_phase = ctx.memo(
            "ministry_phase",
            lambda: ministry_phase_counts(current).with_columns(
                pl.col("phase").cast(pl.String).fill_null("Non publiée")
            ),
        )
        ui.show_accessible_chart(
            lambda: charts.stacked_bar_chart(
                by_ministry_phase,
                "ministry_label",
                "phase",
                "projects",
                category_title="Ministère",
                stack_title="Phase",
                value_title="Nombre de projets",
                stack_order=[*PHASES, "Non publiée"],
                title=title,
            ),
            context=ui.export_context(ctx, title),
            key="chart_ministry_phase",
            data=by_ministry_phase,
        )
    with right:
        title = "Coût estimé par ministère"
        st.subheader(title)
        by_ministry = ctx.memo("by_ministry", lambda: breakdown(current, "ministry"))
        ui.show_accessible_chart(
            lambda: charts.bar_chart(
                by_ministry,
                "ministry_label",
                "cost_meur",
                category_title="Ministère",
                value_title="Coût estimé (M€)",
                tooltip=[charts.alt.Tooltip("projects:Q", title="Projets")],
                selection_name="ministere_clic",
                selection_field="ministry_id",
                title=title,
            ),
            context=ui.export_context(ctx, title),
            key=MINISTRY_CHART_KEY,
            data=by_ministry,
            on_select=_filter_on_clicked_ministry,
        )
        if not ctx.meeting:
            st.caption(
                "Cliquez sur un ministère pour filtrer toute l'application sur lui ; sa fiche s'ouvre depuis la "
                "liste ci-dessous."
            )
        ministry_links(ctx, by_ministry)
    left, right = st.columns(2)
    with left:
        st.subheader("Projets par tranche de coût")
        by_bracket = ctx.memo(
            "by_bracket",
            lambda: breakdown(current, "cost_bracket").with_columns(
                pl.col("cost_bracket").cast(pl.String).fill_null("Coût non publié")
            ),
        )
        _count_chart(ctx, by_bracket, "cost_bracket", "Tranche de coût", "chart_brackets", False)
    with right:
        st.subheader("Projets par zone fonctionnelle")
        by_zone = ctx.memo(
            "by_zone",
            lambda: breakdown(current, "functional_zone").with_columns(
                pl.col("functional_zone").fill_null("Non renseignée")
            ),
        )
        _count_chart(ctx, by_zone, "functional_zone", "Zone fonctionnelle", "chart_zones", True)


def _count_chart(
    ctx: PageContext, frame: pl.DataFrame, category: str, category_title: str, key: str, by_value: bool
) -> None:
    title = f"Projets par {category_title.lower()}"
    ui.show_accessible_chart(
        lambda: charts.bar_chart(
            frame,
            category,
            "projects",
            category_title=category_title,
            value_title="Nombre de projets",
            value_format=charts.COUNT_FORMAT,
            sort_by_value=by_value,
            tooltip=[charts.alt.Tooltip("cost_meur:Q", title="Coût (M€)", format=charts.MEUR_FORMAT)],
            title=title,
        ),
        context=ui.export_context(ctx, title),
        key=key,
        data=frame,
    )


def _trajectory(ctx: PageContext, selected: pl.DataFrame) -> None:
    st.header("Trajectoire du portefeuille, toutes éditions")
    official_shown = ctx.selection.is_unfiltered
    headlines = ctx.view.headlines if official_shown else ctx.view.headlines.clear()
    long = ctx.memo("trajectory", lambda: trajectory_with_official(trajectory(selected, ctx.vocab.editions), headlines))
    widgets.segmented(PageId.OVERVIEW, "indicator", "Indicateur", INDICATORS_FR)
    metric = ctx.params.indicator
    series_frame = ctx.memo(f"trajectory:{metric}", lambda: long.filter(pl.col("metric") == metric))
    if series_frame.is_empty():
        ui.empty_notice("Aucune valeur à tracer pour cet indicateur et cette sélection.")
    else:
        is_pct = metric in {"avg_budget_drift", "avg_schedule_drift"}
        cost_break = ctx.memo("cost_break", lambda: cost_definition_break(ctx.view.projects))
        title = f"{series_frame.item(0, 'metric_label')}, toutes éditions"
        ui.show_accessible_chart(
            lambda: charts.line_chart(
                series_frame,
                "edition",
                "value",
                x_title="Édition",
                y_title=series_frame.item(0, "metric_label"),
                series="series",
                series_title="Série",
                y_format=charts.PCT_FORMAT
                if is_pct
                else (charts.COUNT_FORMAT if metric == "projects" else charts.MEUR_FORMAT),
                dashed_series=OFFICIAL_SERIES_FR,
                break_date=cost_break.edition if cost_break else None,
                break_label=cost_break.label_fr if cost_break else "",
                title=title,
            ),
            context=ui.export_context(ctx, title, edition=False),
            key="chart_trajectory",
            data=series_frame,
        )
    if not ctx.meeting:
        st.caption(
            f"« {COMPUTED_SERIES_FR} » : calculé sur les tableaux publiés. "
            f"« {OFFICIAL_SERIES_FR} » : chiffres des éditions, affichés seulement sans filtre "
            "(ils portent sur tout le panorama). "
            + ("" if official_shown else "Filtres actifs : série officielle masquée. ")
            + DRIFT_METHOD_FR
        )
        st.caption(f"Éditions chargées : {', '.join(format_month(e) for e in ctx.vocab.editions)}.")


run_page(render)
