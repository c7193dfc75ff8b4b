"""The Marchés subséquents page (spend.pace) and the Simulations page (framework ceiling) project the same dates."""

from datetime import date

from analytics.decp.frameworks import framework_by_id, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.readers import FRAMEWORKS_PATH, SCENARIO_PATH, read_decp
from analytics.decp.spend import contract_sizes, pace
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
    # 16 M€ calibrated, less the modifications the scenario dates after its own date (see test_decp_scenario)
    assert observed.notified_eur == contract_sizes(linked).total_eur
    assert observed.estimate.projected_date is not None
    assert simulated.estimate.reached_on == observed.estimate.projected_date
    assert simulated.maximum.reached_on == observed.maximum.projected_date
