"""Inputs of the briefing as the pages hold them: the shipped panorama view and the simulated contracts."""

from __future__ import annotations

from datetime import date
from functools import cache

from analytics.briefing import ContractsView
from analytics.decp.frameworks import load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.readers import FRAMEWORKS_PATH, SCENARIO_PATH, read_decp
from analytics.panorama.loading import load_headlines, load_panorama
from pages.common.data import PANORAMA_DIR, SHIPPED_VERSION, PanoramaView, build_view

SCENARIO_AS_OF = date(2026, 10, 31)  # the scenario's fixed as-of date (data/decp/SCENARIO.md)
SCENARIO_LABEL = "Données simulées (scénario embarqué)"


@cache
def shipped_view() -> PanoramaView:
    return build_view(load_panorama(PANORAMA_DIR), load_headlines(PANORAMA_DIR), SHIPPED_VERSION)


@cache
def scenario_contracts(for_ceiling: bool = False) -> ContractsView:
    """The Marchés page's default view (latest framework with identified links), or the Simulations page's
    ceiling input (first framework with a published estimate and term, probable links included)."""
    contracts, _ = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=SCENARIO_AS_OF)
    registry = load_frameworks(FRAMEWORKS_PATH)
    if for_ceiling:
        framework = next(f for f in registry if f.estimated_amount_eur and f.start_date and f.end_date)
        linked = link_to_framework(contracts, framework, True)
    else:
        framework = next(f for f in reversed(registry) if not link_to_framework(contracts, f, False).is_empty())
        linked = link_to_framework(contracts, framework, False)
    return ContractsView(
        linked=linked, framework=framework, source_label=SCENARIO_LABEL, as_of=SCENARIO_AS_OF, simulated=True
    )
