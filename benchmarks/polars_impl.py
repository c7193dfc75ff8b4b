"""The computations behind each page, run through OUR analytics, and the parameters every engine shares.

Each function returns comparable outputs (name -> polars DataFrame) so that `benchmarks.compare` can check
pandas and DuckDB against them; the page-level work (pydantic models, sorting, labels) is included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from analytics.decp.frameworks import Framework, framework_by_id, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.national import national_filter, probable_windows
from analytics.decp.readers import FRAMEWORKS_PATH, contracts_from_scan, scan_decp_table
from analytics.decp.spend import (
    burn_up,
    by_beneficiary,
    by_contractor,
    by_quarter,
    concentration,
    contract_sizes,
    largest_contracts,
    pace,
)
from analytics.engine import IN_MEMORY
from analytics.panorama.drift import with_drift
from analytics.panorama.movements import compute_movements, exit_watch
from analytics.panorama.portfolio import breakdown, summarise_portfolio, trajectory
from analytics.selection import Selection, apply_selection
from analytics.simulations import (
    DriftAlertParams,
    DriftCapParams,
    FrameworkCeilingParams,
    ThresholdParams,
    simulate_drift_alerts,
    simulate_drift_cap,
    simulate_framework_ceiling,
    simulate_threshold,
)
from benchmarks.generate import BENCHMARK_FRAMEWORK_ID, DECP_FILE_DATE

Outputs = dict[str, pl.DataFrame]

AS_OF = DECP_FILE_DATE  # lot 2 of the benchmark framework runs from 03/2026
DRIFT_THRESHOLD = 0.20
THRESHOLD_MEUR = 20.0
DRIFT_CAP = 0.10
ALERT_LEVELS = (0.10, 0.20, 0.30)
SELECTION = Selection(
    ministries=("interieur", "economie-finances", "armees", "justice"),
    phases=("Conception / Réalisation", "Déploiement"),
    query="donnees",
)


@dataclass(frozen=True)
class BenchFramework:
    """The registry framework the DECP computations follow, and its DECP identifiers."""

    framework: Framework
    ids: tuple[str, ...]


def bench_framework() -> BenchFramework:
    framework = framework_by_id(load_frameworks(FRAMEWORKS_PATH), BENCHMARK_FRAMEWORK_ID)
    return BenchFramework(framework, tuple(framework.decp_framework_ids))


def latest_two(projects: pl.DataFrame) -> tuple[date, date]:
    editions = projects.get_column("edition").unique().sort()
    return editions[-2], editions[-1]


def overview(projects: pl.DataFrame) -> Outputs:
    """Overview page: filtered KPIs of the latest edition, breakdowns, trajectory over editions."""
    _, latest = latest_two(projects)
    selected = apply_selection(projects.lazy(), SELECTION).collect(engine=IN_MEMORY)  # once, as the page does
    current = selected.filter(pl.col("edition") == latest)
    summary = summarise_portfolio(current, DRIFT_THRESHOLD)
    drift = summary.budget_drift
    return {
        "summary": pl.DataFrame(
            {
                "project_count": [summary.project_count],
                "total_cost_meur": [summary.total_cost_meur],
                "mean_budget_drift": [drift.mean],
                "median_budget_drift": [drift.median],
                "weighted_budget_drift": [drift.cost_weighted],
                "over_threshold": [drift.over_threshold_count],
            }
        ),
        "by_ministry": breakdown(current, "ministry").select("ministry_id", "projects", "cost_meur"),
        "by_phase": breakdown(current, "phase").select(pl.col("phase").cast(pl.String), "projects", "cost_meur"),
        "trajectory": trajectory(selected).select("edition", "projects", "total_cost_meur", "avg_budget_drift"),
    }


DRIFT_COLUMNS = [
    "project_id",
    "edition",
    "baseline_cost_meur",
    "budget_drift",
    "schedule_drift",
    "previous_edition",
    "cost_change_meur",
    "budget_drift_change",
]


def drift(raw_projects: pl.DataFrame) -> Outputs:
    """Drift per project over every edition (the computation the app caches once per data set)."""
    return {"drift": with_drift(raw_projects.lazy()).collect().select(DRIFT_COLUMNS)}


def movements(projects: pl.DataFrame) -> Outputs:
    """Drift page: entrants, leavers and continuing projects between the last two editions, exit watch."""
    previous, latest = latest_two(projects)
    moves = compute_movements(projects, previous, latest)
    watch = exit_watch(projects, DRIFT_THRESHOLD)
    return {
        "entrants": moves.entrants.select("project_id", "cost_meur"),
        "leavers": moves.leavers.select("project_id", "last_known_cost_meur"),
        "continuing": moves.continuing.select("project_id", "cost_change_meur"),
        "exit_watch": watch.select("project_id", "last_edition", "last_known_budget_drift"),
    }


def simulations(projects: pl.DataFrame) -> Outputs:
    """Simulations page on the latest edition: threshold, drift alerts, drift cap."""
    _, latest = latest_two(projects)
    current = projects.filter(pl.col("edition") == latest)
    threshold = simulate_threshold(current, ThresholdParams(threshold_meur=THRESHOLD_MEUR))
    alerts = simulate_drift_alerts(current, DriftAlertParams(budget_levels=ALERT_LEVELS, schedule_levels=ALERT_LEVELS))
    cap = simulate_drift_cap(current, DriftCapParams(cap=DRIFT_CAP))
    return {
        "threshold": pl.DataFrame(
            {
                "inside": [threshold.projects_inside],
                "cost_inside_meur": [threshold.cost_inside_meur],
                "entering": [threshold.projects_entering],
                "withheld": [threshold.projects_withheld],
            }
        ),
        "alerts": alerts.levels.select(pl.col("dimension").cast(pl.String), "level", "projects", "drift_meur"),
        "cap": cap.by_ministry.select("ministry_id", "projects_capped", "avoided_meur"),
    }


def framework_ceiling() -> Outputs:
    """Ceiling scenario: parameters only, no data set (timed for polars alone); figures are SIMULATED."""
    params = FrameworkCeilingParams(
        start_date=date(2026, 3, 1),
        end_date=date(2030, 3, 1),
        estimated_eur=195_000_000.0,
        consumed_eur=30_000_000.0,
        as_of=date(2027, 3, 1),
        observed_pace_eur_per_month=2_500_000.0,
    )
    result = simulate_framework_ceiling(params)
    return {"projection": pl.DataFrame({"notices": [len(result.notices)]})}


def decp_contracts(path: Path, bench: BenchFramework) -> pl.DataFrame:
    """Marchés subséquents page, data part: scan the national file, keep the framework, normalise, link."""
    contracts, _ = contracts_from_scan(
        lambda lossy: scan_decp_table(path, framework_ids=list(bench.ids), lossy=lossy), path.name, as_of=AS_OF
    )
    if contracts is None:
        raise ValueError(f"{path.name} : aucun marché lisible.")
    return link_to_framework(contracts, bench.framework, include_probable=True)


def page_scan(path: Path) -> int:
    """The national file read as the Marchés subséquents page reads it (cached there per file version)."""

    registry = load_frameworks(FRAMEWORKS_PATH)
    ids = sorted({i for f in registry for i in f.decp_framework_ids})
    where = national_filter(ids, probable_windows(registry))
    contracts, _ = contracts_from_scan(
        lambda lossy: scan_decp_table(path, lossy=lossy).filter(where), path.name, as_of=AS_OF
    )
    return 0 if contracts is None else contracts.height


def decp(path: Path, bench: BenchFramework) -> Outputs:
    """Marchés subséquents page: burn-up, breakdowns, concentration, sizes, largest contracts, pace."""
    linked = decp_contracts(path, bench)
    framework = bench.framework
    top = concentration(linked)
    sizes = contract_sizes(linked)
    largest_contracts(linked)
    spent = pace(linked, framework, AS_OF)
    return {
        "burn_up": burn_up(linked, framework, AS_OF).select("month", "notified_eur", "cumulative_eur"),
        "by_beneficiary": by_beneficiary(linked).select("buyer_id", "contracts", "notified_eur"),
        "by_contractor": by_contractor(linked).select("contractor", "contracts", "notified_eur"),
        "by_quarter": by_quarter(linked).select("quarter_start", "contracts", "notified_eur"),
        "totals": pl.DataFrame(
            {
                "contracts": [sizes.contracts],
                "total_eur": [sizes.total_eur],
                "median_eur": [sizes.median_eur],
                "top1_share": [top.top1_share],
                "top3_share": [top.top3_share],
                "pace_notified_eur": [spent.notified_eur],
            }
        ),
    }
