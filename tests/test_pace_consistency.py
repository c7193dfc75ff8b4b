"""The Marchés subséquents page (spend.pace) and the Simulations page (framework ceiling) project the same dates."""

from datetime import date, timedelta

import pytest

from analytics.decp.frameworks import framework_by_id, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.readers import FRAMEWORKS_PATH, SCENARIO_PATH, read_decp
from analytics.decp.spend import pace
from analytics.simulations import FrameworkCeilingParams, simulate_framework_ceiling

AS_OF = date(2026, 10, 31)


def test_observed_pace_projections_agree_on_the_scenario():
    contracts, _ = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=AS_OF)
    framework = framework_by_id(load_frameworks(FRAMEWORKS_PATH), "agile-2026-impact")
    linked = link_to_framework(contracts, framework, include_probable=True)
    observed = pace(linked, framework, AS_OF)
    simulated = simulate_framework_ceiling(
        FrameworkCeilingParams(
            framework_id=framework.id,
            start_date=framework.start_date,
            end_date=framework.end_date,
            as_of=AS_OF,
            estimated_eur=framework.estimated_amount_eur,
            maximum_eur=framework.maximum_amount_eur,
            consumed_eur=observed.notified_eur,
            observed_pace_eur_per_month=observed.monthly_pace_eur,
        )
    )
    assert observed.notified_eur == pytest.approx(6_000_000, abs=0.005)  # lot 2's simulated subsequent contracts
    # 6 M€ in the 244 days since 01/03/2026; the 194 M€ left to the 200 M€ estimate at that pace
    days_left = 194_000_000 / (observed.notified_eur / 244)
    expected = AS_OF + timedelta(days=round(days_left))
    assert simulated.estimate.reached_on == observed.estimate.projected_date == expected
    assert simulated.maximum.reached_on == observed.maximum.projected_date
