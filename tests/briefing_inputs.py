"""Inputs of the briefing as the pages hold them: the shipped panorama view and the simulated contracts."""

from __future__ import annotations

from datetime import date
from functools import cache

from analytics.briefing import FrameworkBriefing
from analytics.briefing.model import DataSource
from analytics.decp.frameworks import load_frameworks, previous_of
from analytics.decp.linking import link_to_framework
from analytics.decp.lot_spend import burn_up_frames, commitments, framework_spend
from analytics.decp.orders import read_orders
from analytics.decp.readers import FRAMEWORKS_PATH, ORDERS_SCENARIO_PATH, SCENARIO_PATH, read_decp
from analytics.panorama.loading import load_headlines, load_panorama
from pages.common.data import PANORAMA_DIR, SHIPPED_VERSION, PanoramaView, build_view

SCENARIO_AS_OF = date(2026, 10, 31)  # the scenario's fixed as-of date (data/decp/SCENARIO.md)
SCENARIO_LABEL = "Données simulées (scénario embarqué)"


@cache
def shipped_view() -> PanoramaView:
    return build_view(load_panorama(PANORAMA_DIR), load_headlines(PANORAMA_DIR), SHIPPED_VERSION)


@cache
def scenario_contracts(for_ceiling: bool = False) -> FrameworkBriefing:
    """What the « Accords-cadres agiles » page shows by default (the current framework, both simulated sources), or
    the Simulations page's ceiling input (the same framework, probable links included)."""
    registry = load_frameworks(FRAMEWORKS_PATH)
    framework = registry[-1]
    contracts, _ = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=SCENARIO_AS_OF)
    orders, _ = read_orders(ORDERS_SCENARIO_PATH, ORDERS_SCENARIO_PATH.name, registry)
    linked = link_to_framework(contracts, framework, for_ceiling)
    previous = previous_of(registry, framework)
    spend = framework_spend(framework, linked, orders, SCENARIO_AS_OF, previous=previous)
    sources = (
        DataSource(
            label=f"Marchés subséquents (DECP) : {SCENARIO_LABEL}", date="arrêtés au 31/10/2026", simulated=True
        ),
        DataSource(
            label=f"Bons de commande (registre) : {SCENARIO_LABEL}", date="arrêtés au 31/10/2026", simulated=True
        ),
    )
    return FrameworkBriefing(
        framework=framework,
        previous=previous,
        spend=spend,
        frames=burn_up_frames(spend, commitments(framework, linked, orders)),
        simulated_by_lot={lot.id: True for lot in framework.lots},
        sources=sources,
    )
