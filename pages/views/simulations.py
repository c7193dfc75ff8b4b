"""Simulations: what a review threshold, drift alert levels, a drift cap or a spending pace would change."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.decp.linking import LINK_RULE_FR
from analytics.decp.lot_spend import SOURCE_DECP, SOURCE_LEDGER, SPEND_RULE_FR
from analytics.decp.spend import PACE_METHOD_FR, monthly_running_total
from analytics.formatting import escape_markdown as md
from analytics.formatting import format_eur_as_meur, format_meur, format_month, format_pct
from analytics.panorama.drift import DRIFT_METHOD_FR
from analytics.params.pages import PageId
from analytics.simulations import (
    BASELINE_THRESHOLD_MEUR,
    CAP_RULE_FR,
    DIMENSION_BUDGET,
    DIMENSION_SCHEDULE,
    DRIFT_RULE_FR,
    FRACTIONATION_RULE_FR,
    THRESHOLD_RULE_FR,
    DriftAlertParams,
    DriftCapParams,
    ThresholdParams,
    simulate_drift_alerts,
    simulate_drift_cap,
    simulate_framework_ceiling,
    simulate_threshold,
)
from analytics.simulations import charts as sim_charts
from analytics.simulations.framework_ceiling import can_simulate
from analytics.simulations.threshold import meeting_table as threshold_meeting_table
from pages.common import presenter, ui, widgets
from pages.common import simulation_inputs as inputs
from pages.common.context import PageContext, run_page
from pages.common.contracts_data import contract_source, frameworks, simulated_banner
from pages.common.framework_view import framework_view
from pages.common.orders_data import orders_source

CEILING_SOURCE_FR = "DECP (marchés subséquents) et registre des bons de commande de l'accord-cadre"
SECTIONS: dict[str, str] = {
    "seuil": "Seuil de revue",
    "alertes": "Alertes et plafond de dérive",
    "accord": "Plafond de l'accord-cadre",
}


def render(ctx: PageContext) -> None:
    st.title("Simulations")
    if not ctx.meeting:  # the presenter bar names the edition
        st.caption(
            f"Édition {format_month(ctx.edition)} · scénarios recalculés à chaque modification · "
            "les paramètres sont dans le lien de la page."
        )
    projects = ctx.current_projects()
    ui.selection_caption(ctx.selection, projects.height)
    tabs = widgets.tabs(PageId.SIMULATIONS, "section", SECTIONS)
    # Only the open tab is computed: the others are drawn when opened.
    with tabs[ctx.params.section]:
        {"seuil": threshold_section, "alertes": alerts_section, "accord": ceiling_section}[ctx.params.section](
            ctx, projects
        )


def threshold_section(ctx: PageContext, projects: pl.DataFrame) -> None:
    params = inputs.threshold_inputs(ctx.params)
    if params is None:
        return
    if projects.is_empty():
        ui.empty_notice()
        return
    reference = ctx.memo(
        "threshold:reference", lambda: simulate_threshold(projects, ThresholdParams(margin_meur=params.margin_meur))
    )
    result = ctx.memo("threshold:result", lambda: simulate_threshold(projects, params))
    if ctx.meeting:  # one table instead of seven cards and a chart: the comparison fits a projector's screen
        presenter.presentation_table("Référence et scénario", threshold_meeting_table(reference, result), "")
        return
    left, right = st.columns(2)
    left.markdown(f"**Référence : seuil de {format_meur(BASELINE_THRESHOLD_MEUR, 0)}** (décret n° 2014-879)")
    right.markdown(f"**Scénario : seuil de {format_meur(params.threshold_meur, 2, trim=True)}**")
    for label, count, cost in (
        ("Projets dans le périmètre", "projects_inside", "cost_inside_meur"),
        ("Projets hors périmètre", "projects_outside", "cost_outside_meur"),
    ):
        for column, run, suffix in ((left, reference, "référence"), (right, result, "scénario")):
            delta = None
            if run is result:
                delta = inputs.signed(getattr(result, count) - getattr(reference, count), inputs.count_text)
            column.metric(
                f"{label} ({suffix})",
                inputs.count_text(getattr(run, count)),
                delta=delta,
                delta_color="off",
                help=f"Coût total : {format_meur(getattr(run, cost))}.",
                border=True,
            )
    moves = st.columns(3)
    for column, label, count, cost in (
        (moves[0], "Entrées dans le périmètre", result.projects_entering, result.cost_entering_meur),
        (moves[1], "Sorties du périmètre", result.projects_leaving, result.cost_leaving_meur),
        (moves[2], "Sous veille au fractionnement", result.projects_watched, result.cost_watched_meur),
    ):
        column.metric(label, inputs.count_text(count), help=f"Coût total : {format_meur(cost)}.", border=True)
    inputs.show_notices(result.notices)
    by_scope = ctx.memo("threshold:by_scope", lambda: sim_charts.scope_by_ministry(result.projects))
    title = f"Projets par ministère au seuil de {format_meur(params.threshold_meur, 2, trim=True)}"
    ui.show_accessible_chart(
        lambda: sim_charts.scope_chart(by_scope, title),
        context=ui.export_context(ctx, title),
        key="chart_sim_threshold",
        data=by_scope,
    )
    st.caption(f"{THRESHOLD_RULE_FR} {FRACTIONATION_RULE_FR}")
    inputs.result_tables(
        ctx.memo("threshold:tables", result.tables),
        "seuil",
        True,
        ui.export_context(ctx, "Simulation du seuil de revue"),
    )


def alerts_section(ctx: PageContext, projects: pl.DataFrame) -> None:
    alerts, cap = inputs.alert_inputs(ctx.params)
    if projects.is_empty():
        ui.empty_notice()
        return
    _alerts(ctx, projects, alerts)
    if cap is not None:
        _cap(ctx, projects, cap)


def _alerts(ctx: PageContext, projects: pl.DataFrame, alerts: DriftAlertParams) -> None:
    details = not ctx.meeting
    result = ctx.memo("alerts:result", lambda: simulate_drift_alerts(projects, alerts))
    threshold = ctx.selection.drift_threshold
    app_levels = DriftAlertParams(budget_levels=(threshold,), schedule_levels=(threshold,)) if threshold > 0 else None
    reference = ctx.memo(
        "alerts:reference", lambda: simulate_drift_alerts(projects, app_levels) if app_levels else None
    )
    st.markdown(
        f"**Projets signalés par niveau**, comparés au seuil d'alerte de l'application "
        f"({format_pct(threshold)}, réglable dans le panneau de gauche)"
    )
    for dimension in (DIMENSION_BUDGET, DIMENSION_SCHEDULE):
        inputs.alert_metrics(result, reference, dimension)
    inputs.show_notices(result.notices)
    levels = ctx.memo("alerts:levels", lambda: sim_charts.alert_levels_frame(result.levels))
    ui.show_accessible_chart(
        lambda: sim_charts.alert_levels_chart(levels),
        context=ui.export_context(ctx, sim_charts.ALERT_LEVELS_TITLE_FR),
        key="chart_sim_alerts",
        data=levels,
    )
    if details:
        st.caption(f"{DRIFT_RULE_FR} {DRIFT_METHOD_FR}")
    inputs.result_tables(
        ctx.memo("alerts:tables", result.tables),
        "alertes",
        details,
        ui.export_context(ctx, "Simulation des alertes de dérive"),
    )


def _cap(ctx: PageContext, projects: pl.DataFrame, cap: DriftCapParams) -> None:
    details = not ctx.meeting
    st.header(f"Plafond de dérive à {format_pct(cap.cap, trim=True)}")
    capped = ctx.memo("cap:capped", lambda: simulate_drift_cap(projects, cap))
    uncapped = ctx.memo("cap:uncapped", lambda: simulate_drift_cap(projects, DriftCapParams(cap=0.0)))
    share = capped.avoided_meur / uncapped.avoided_meur if uncapped.avoided_meur else None
    cells = st.columns(3)
    cells[0].metric(
        "Dépassement des coûts initiaux",
        format_meur(uncapped.avoided_meur),
        help=f"Plafond de 0 % : {inputs.count_text(uncapped.projects_capped)} projet(s) au-dessus "
        "de leur coût initial.",
        border=True,
    )
    cells[1].metric(
        "Montant évité avec le plafond",
        format_meur(capped.avoided_meur),
        delta=None if share is None else f"{format_pct(share)} du dépassement",
        delta_color="off",
        border=True,
    )
    cells[2].metric("Projets écrêtés", inputs.count_text(capped.projects_capped), border=True)
    inputs.show_notices(capped.notices)
    if details:
        st.caption(CAP_RULE_FR)
    inputs.result_tables(
        ctx.memo("cap:tables", capped.tables),
        "plafond",
        details,
        ui.export_context(ctx, "Simulation d'un plafond de dérive"),
    )


def ceiling_section(ctx: PageContext, projects: pl.DataFrame) -> None:
    details = not ctx.meeting
    registry = frameworks()
    simulable = [f for f in registry if can_simulate(f)]
    contracts, orders = contract_source(), orders_source()
    simulated_banner(contracts, orders)
    st.caption(
        f"Engagements de tous les lots, chacun depuis sa source comme sur la page « Accords-cadres agiles » : "
        f"marchés subséquents — {md(contracts.label_fr)} ; bons de commande — {md(orders.label_fr)}. "
        "Les filtres du panorama ne s'appliquent pas ici."
    )
    others = [f.title for f in registry if f not in simulable]
    if others and details:
        st.caption(f"Non simulables (montant estimé ou dates non publiés) : {' ; '.join(others)}.")
    if not simulable:
        ui.empty_notice("Aucun accord-cadre du registre n'a de montant estimé publié : rien à simuler.")
        return
    framework = inputs.framework_inputs(ctx.params, simulable)
    user_pace = ctx.params.pace_eur_per_month
    view = ctx.memo(
        f"framework_view:{framework.id}", lambda: framework_view(framework, registry, include_probable=True)
    )
    observed_params = inputs.ceiling_params(framework, view.spend.total, view.as_of, None)
    if observed_params is None:
        return
    observed = simulate_framework_ceiling(observed_params)
    runs = {"observé": observed}
    if user_pace is not None:
        runs["simulé"] = simulate_framework_ceiling(
            observed_params.model_copy(update={"user_pace_eur_per_month": user_pace})
        )
    sources = view.rows.get_column("source")
    contracts_count, orders_count = (inputs.count_text((sources == s).sum()) for s in (SOURCE_DECP, SOURCE_LEDGER))
    st.markdown(
        f"Au {view.as_of:%d/%m/%Y} : {contracts_count} marché(s) subséquent(s) (DECP, rattachés par identifiant ou "
        f"de façon probable) et {orders_count} bon(s) de commande (registre) · montant engagé : "
        f"{format_eur_as_meur(observed_params.consumed_eur)} · {observed.summary}"
    )
    for column, (suffix, run) in zip(st.columns(len(runs)), runs.items(), strict=True):
        inputs.ceiling_metrics(column, run, suffix)
    inputs.show_notices([n for run in runs.values() for n in run.notices])
    series = sim_charts.ceiling_series(
        monthly_running_total(
            view.rows.select("day", "amount_eur"), framework.start_date, framework.end_date, view.as_of
        ),
        {f"Projection au rythme {suffix}": run.projection for suffix, run in runs.items()},
    )
    rules = [(observed_params.estimated_eur / 1e6, "Montant estimé")]
    if observed_params.maximum_eur is not None:
        rules.append((observed_params.maximum_eur / 1e6, "Montant maximum"))
    title = f"Montant engagé cumulé et projeté : {framework.title}"
    simulated = contracts.simulated or orders.simulated
    ceiling_context = ui.export_context(
        ctx, title, filters=False, edition=False, simulated=simulated, source=CEILING_SOURCE_FR
    )
    ui.show_accessible_chart(
        lambda: charts.line_chart(
            series,
            "month",
            "amount_meur",
            x_title="Mois",
            y_title="Montant engagé cumulé (M€)",
            series="series",
            series_title="Série",
            rules=rules,
            title=title,
        ),
        context=ceiling_context,
        key="chart_sim_ceiling",
        data=series,
    )
    if details:
        st.caption(f"{SPEND_RULE_FR} {PACE_METHOD_FR} Rattachement des marchés : {LINK_RULE_FR}")
    tables = {
        f"Projection mensuelle au rythme {suffix}": run.tables()["Projection mensuelle"] for suffix, run in runs.items()
    }
    inputs.result_tables(tables, "accord", details, ceiling_context.model_copy(update={"title": framework.title}))


run_page(render)
