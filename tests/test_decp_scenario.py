"""The simulated default: reproducible byte for byte, the real structure of each lot, calibrated on published facts.

Expected figures are computed here from the generated files with the csv module, not with the app's readers.
"""

from __future__ import annotations

import csv
import importlib.util
import io
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from analytics.decp.frameworks import framework_by_id, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.lot_spend import framework_spend
from analytics.decp.orders import read_orders
from analytics.decp.readers import FRAMEWORKS_PATH, ORDERS_SCENARIO_PATH, SCENARIO_PATH, read_decp

SCRIPT = Path(__file__).parents[1] / "scripts" / "generate_decp_scenario.py"
AS_OF = date(2026, 10, 31)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_decp_scenario", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ledger_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(ORDERS_SCENARIO_PATH.read_text(encoding="utf-8-sig")), delimiter=";"))


def _decp_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(SCENARIO_PATH.read_text(encoding="utf-8"))))


def _eur(text: str) -> float:
    return float(text.replace(" ", "").replace(",", "."))


def test_same_seed_same_bytes_and_committed_files_are_current(tmp_path: Path) -> None:
    generator = _generator()
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        generator.write(generator.generate(), folder / "ms.csv", folder / "bc.csv")
    assert (first / "ms.csv").read_bytes() == (second / "ms.csv").read_bytes() == SCENARIO_PATH.read_bytes()
    assert (first / "bc.csv").read_bytes() == (second / "bc.csv").read_bytes() == ORDERS_SCENARIO_PATH.read_bytes()
    other = generator.generate(seed=1)
    assert generator.ledger_bytes(other.orders) != ORDERS_SCENARIO_PATH.read_bytes()


def test_each_kind_of_spend_lives_where_it_really_lives() -> None:
    ids = {row["idAccordCadre"] for row in _decp_rows()}
    assert ids == {"25_BAM_044_AC02", ""}  # subsequent contracts of lot 2 only; two without identifier
    assert {row["nature"] for row in _decp_rows()} == {"Marché subséquent"}
    assert {row["Lot"] for row in _ledger_rows()} == {"21_BAM_048", "25_BAM_044_AC01"}  # bons de commande lots only


def test_calibration_on_the_published_facts() -> None:
    counted: dict[str, float] = defaultdict(float)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    days: dict[str, list[date]] = defaultdict(list)
    for row in _ledger_rows():
        counts[row["Lot"], row["Statut"] == "annulé"] += 1
        days[row["Lot"]].append(datetime.strptime(row["Date du bon de commande"], "%d/%m/%Y").date())
        if row["Statut"] != "annulé":
            counted[row["Lot"]] += _eur(row["Montant HT (€)"])
    assert counted["21_BAM_048"] == pytest.approx(66_000_000, abs=0.005)  # published: about 66 M€ in 4 years
    assert counted["25_BAM_044_AC01"] == pytest.approx(66_000_000 / 48 * 8, abs=0.005)  # 8 months at that pace
    assert (counts["21_BAM_048", False], counts["21_BAM_048", True]) == (347, 10)
    assert (counts["25_BAM_044_AC01", False], counts["25_BAM_044_AC01", True]) == (58, 2)
    assert date(2021, 9, 1) <= min(days["21_BAM_048"]) and max(days["21_BAM_048"]) <= date(2025, 8, 31)
    assert date(2026, 3, 1) <= min(days["25_BAM_044_AC01"]) and max(days["25_BAM_044_AC01"]) <= AS_OF
    current = {
        row["id"]: _eur(row["montant"])
        for row in _decp_rows()
        if row["idAccordCadre"] and row["donneesActuelles"] == "oui" and float(row["montant"]) < 1e9
    }
    assert len(current) == 6 and sum(current.values()) == pytest.approx(6_000_000, abs=0.005)


def test_the_default_page_figures() -> None:
    """What the frameworks page shows by default, from the app's readers and spend functions."""
    registry = load_frameworks(FRAMEWORKS_PATH)
    contracts, decp_report = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=AS_OF)
    orders, orders_report = read_orders(ORDERS_SCENARIO_PATH, ORDERS_SCENARIO_PATH.name, registry)
    assert decp_report.errors == orders_report.errors == orders_report.warnings == []
    assert (decp_report.invalid_siret, decp_report.flagged_amounts) == (2, 1)
    impact, beta = framework_by_id(registry, "agile-2026-impact"), framework_by_id(registry, "agile-2021-beta")
    linked = link_to_framework(contracts, impact, include_probable=True)
    spend = framework_spend(impact, linked, orders, AS_OF, previous=beta)
    lot1, lot2 = spend.lots
    assert (lot1.committed_eur, lot1.items) == (pytest.approx(11_000_000, abs=0.005), 58)
    assert (lot2.committed_eur, lot2.items) == (pytest.approx(6_000_000, abs=0.005), 6)
    assert (lot1.share_of_estimate, lot1.share_of_maximum) == (pytest.approx(0.11), pytest.approx(0.055))
    assert (spend.total.share_of_estimate, spend.total.share_of_maximum) == (
        pytest.approx(0.085),
        pytest.approx(0.0425),
    )
    # at the observed pace every ceiling is reached after the term (01/03/2030)
    assert all(lot.pace.estimate.after_term and lot.pace.maximum.after_term for lot in [*spend.lots, spend.total])
    assert spend.comparison.monthly_pace_eur == 66_000_000 / 48
    assert spend.comparison.ratio == pytest.approx(17_000_000 / (244 / (365.25 / 12)) / (66_000_000 / 48))
    holders = {order["awardee_group"] for order in orders.filter(orders["lot_id"] == "21_BAM_048").to_dicts()}
    assert holders == {h.name for h in beta.lots[0].named_holders}
    benext = orders.filter((orders["awardee_group"] == "Benext") & (orders["order_date"] > date(2022, 3, 31)))
    assert benext.is_empty()
