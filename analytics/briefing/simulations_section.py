"""Briefing section of the Simulations page, behind one function (`simulations_section`).

The scenarios run on the real panorama figures (they are what-ifs, said as such); the framework ceiling
runs on contract data, stamped « Données simulées » when those are the shipped scenario. The scenario
models are being reworked: this module is the only place to adapt.
"""

from __future__ import annotations

import polars as pl

from analytics.briefing.contracts_section import FrameworkBriefing
from analytics.briefing.model import PAGE_TITLES, Chart, DataSource, Heading, KeyFigures, Note, Section
from analytics.formatting import format_eur_as_meur, format_meur, format_number, format_pct
from analytics.key_figures import KeyFigure, signed_delta
from analytics.params.pages import SimulationsParams
from analytics.simulations import (
    BASELINE_THRESHOLD_MEUR,
    CAP_RULE_FR,
    DRIFT_RULE_FR,
    THRESHOLD_RULE_FR,
    DriftCapParams,
    ThresholdParams,
    simulate_drift_alerts,
    simulate_drift_cap,
    simulate_framework_ceiling,
    simulate_threshold,
)
from analytics.simulations import charts as sim_charts
from analytics.simulations.framework_ceiling import can_simulate, ceiling_scenario

SCENARIO_NOTE_FR = (
    "Scénarios : chiffres recalculés sur les projets réels de la sélection avec des règles hypothétiques ; "
    "ce sont des simulations de règles, pas des faits constatés."
)


def _count(value: float) -> str:
    return format_number(value, 0)


def _threshold_blocks(projects: pl.DataFrame, params: ThresholdParams) -> list:
    reference = simulate_threshold(projects, ThresholdParams(margin_meur=params.margin_meur))
    result = simulate_threshold(projects, params)
    figures = (
        KeyFigure(
            label=f"Projets dans le périmètre (seuil {format_meur(params.threshold_meur, 1)})",
            value=_count(result.projects_inside),
            delta=signed_delta(result.projects_inside, reference.projects_inside, _count),
            help=f"Coût total : {format_meur(result.cost_inside_meur)}.",
        ),
        KeyFigure(
            label="Projets hors périmètre",
            value=_count(result.projects_outside),
            delta=signed_delta(result.projects_outside, reference.projects_outside, _count),
        ),
        KeyFigure(label="Entrées dans le périmètre", value=_count(result.projects_entering)),
        KeyFigure(label="Sorties du périmètre", value=_count(result.projects_leaving)),
        KeyFigure(label="Sous veille au fractionnement", value=_count(result.projects_watched)),
    )
    caption = f"Variations par rapport au seuil de référence de {format_meur(BASELINE_THRESHOLD_MEUR, 0)}."
    spec = sim_charts.scope_chart(sim_charts.scope_by_ministry(result.projects)).to_dict(validate=False)
    return [
        Heading(text="Seuil de revue"),
        KeyFigures(figures=figures, caption=caption),
        Chart(title="Périmètre par ministère au seuil simulé", spec=spec, caption=THRESHOLD_RULE_FR),
    ]


def _alert_blocks(projects: pl.DataFrame, params: SimulationsParams) -> list:
    alerts = simulate_drift_alerts(projects, params.alerts())
    levels = sim_charts.alert_levels_frame(alerts.levels)
    capped = simulate_drift_cap(projects, params.drift_cap())
    uncapped = simulate_drift_cap(projects, DriftCapParams(cap=0.0))
    share = capped.avoided_meur / uncapped.avoided_meur if uncapped.avoided_meur else None
    cap_figures = (
        KeyFigure(label="Dépassement des coûts initiaux", value=format_meur(uncapped.avoided_meur)),
        KeyFigure(
            label=f"Montant évité avec un plafond de {format_pct(params.cap)}",
            value=format_meur(capped.avoided_meur),
            delta=None if share is None else f"{format_pct(share)} du dépassement",
        ),
        KeyFigure(label="Projets écrêtés", value=_count(capped.projects_capped)),
    )
    return [
        Heading(text="Alertes et plafond de dérive"),
        Chart(
            title="Projets signalés par niveau d'alerte",
            spec=sim_charts.alert_levels_chart(levels).to_dict(validate=False),
            caption=DRIFT_RULE_FR,
        ),
        KeyFigures(figures=cap_figures, caption=CAP_RULE_FR),
    ]


def _ceiling_blocks(view: FrameworkBriefing, params: SimulationsParams) -> list:
    framework, total = view.framework, view.spend.total
    blocks: list = [Heading(text=f"Plafond de l'accord-cadre : {framework.contract_number or framework.id}")]
    if view.simulated:
        blocks.append(Note(text="Engagements de ce scénario : données simulées (scénario embarqué).", tone="simulated"))
    if not can_simulate(framework) or total.committed_eur is None or total.pace is None:
        blocks.append(Note(text="Montant estimé, dates ou engagements de l'accord-cadre inconnus : rien à simuler."))
        return blocks
    ceiling = ceiling_scenario(
        framework, total.committed_eur, total.pace.monthly_pace_eur or 0.0, view.spend.as_of, params.pace_eur_per_month
    )
    result = simulate_framework_ceiling(ceiling)
    reached = result.estimate.reached_on
    figures = (
        KeyFigure(
            label=f"Rythme mensuel ({result.pace_source})",
            value=f"{format_eur_as_meur(result.pace_eur_per_month, 2)} / mois",
        ),
        KeyFigure(
            label="Montant estimé atteint",
            value=f"{reached:%d/%m/%Y}" if reached else (result.estimate.reached_on_reason or "jamais"),
        ),
        KeyFigure(label="Projeté à la fin du terme", value=format_eur_as_meur(result.projected_at_end_eur)),
    )
    blocks.append(KeyFigures(figures=figures, caption=result.summary))
    return blocks


def simulations_section(
    projects: pl.DataFrame,
    params: SimulationsParams,
    panorama_source: DataSource,
    contracts: FrameworkBriefing | None,
) -> Section:
    """`projects`: the selection in the edition shown (as the page passes them to the scenarios)."""
    blocks: list = [Note(text=SCENARIO_NOTE_FR)]
    if projects.is_empty():
        blocks.append(Note(text="Aucun projet dans la sélection : pas de scénario sur les projets.", tone="warning"))
    else:
        blocks.extend(_threshold_blocks(projects, params.threshold()))
        blocks.extend(_alert_blocks(projects, params))
    sources = (panorama_source,)
    if contracts is not None:
        blocks.extend(_ceiling_blocks(contracts, params))
        sources += contracts.sources
    return Section(
        page="simulations",
        title=PAGE_TITLES["simulations"],
        subtitle="Scénarios aux paramètres de la vue",
        sources=sources,
        blocks=tuple(blocks),
    )
