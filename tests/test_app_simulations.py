"""Simulations page: a link reproduces what the widgets show, both equal the analytics, bad input never raises."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.decp.frameworks import Framework, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.lot_spend import framework_spend
from analytics.decp.orders import read_orders
from analytics.decp.readers import FRAMEWORKS_PATH, ORDERS_SCENARIO_PATH, SCENARIO_PATH, read_decp
from analytics.formatting import format_eur_as_meur, format_meur, format_number
from analytics.panorama.drift import with_drift
from analytics.panorama.loading import load_panorama
from analytics.params.pages import PageId
from analytics.params.query import read_query
from analytics.simulations import (
    DriftAlertParams,
    DriftCapParams,
    FrameworkCeilingParams,
    FrameworkCeilingResult,
    ThresholdParams,
    simulate_drift_alerts,
    simulate_drift_cap,
    simulate_framework_ceiling,
    simulate_threshold,
)
from analytics.simulations import charts as sim_charts
from pages.common.contracts_data import SCENARIO_AS_OF
from pages.common.simulation_inputs import PRESET_KEY
from tests.app_helpers import APP, PAGES, key, metrics, query, texts

PANORAMA_DIR = Path(__file__).resolve().parents[1] / "data" / "panorama"
LINK = {"seuil_revue": "20", "marge": "2", "alertes_budget": "10,30", "plafond": "5"}


def open_simulations(params: Mapping[str, str] | None = None) -> AppTest:
    """Land directly on the page, as a visitor following a link to it (its own parameters kept)."""
    at = AppTest.from_file(APP, default_timeout=90)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.switch_page(PAGES["simulations"]).run()
    assert not at.exception
    return at


@cache
def latest_projects() -> pl.DataFrame:
    projects = with_drift(load_panorama(PANORAMA_DIR).lazy()).collect()
    return projects.filter(pl.col("edition") == projects.get_column("edition").max())


@cache
def ceiling_inputs() -> tuple[Framework, FrameworkCeilingParams]:
    """The page's default framework (first with an estimate) and its observed ceiling scenario, computed here:
    the whole framework, each lot from its own source (DECP for lot 2, the orders ledger for lot 1)."""
    registry = load_frameworks(FRAMEWORKS_PATH)
    framework = next(f for f in registry if f.estimated_amount_eur is not None)
    contracts, _ = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=SCENARIO_AS_OF)
    orders, _ = read_orders(ORDERS_SCENARIO_PATH, ORDERS_SCENARIO_PATH.name, registry)
    linked = link_to_framework(contracts, framework, include_probable=True)
    total = framework_spend(framework, linked, orders, SCENARIO_AS_OF).total
    assert total.committed_eur == pytest.approx(17e6, abs=0.01)  # 11 M€ of lot 1 orders + 6 M€ of lot 2 contracts
    params = FrameworkCeilingParams(
        framework_id=framework.id,
        start_date=framework.start_date,
        end_date=framework.end_date,
        estimated_eur=framework.estimated_amount_eur,
        maximum_eur=framework.maximum_amount_eur,
        consumed_eur=total.committed_eur,
        as_of=SCENARIO_AS_OF,
        observed_pace_eur_per_month=total.pace.monthly_pace_eur,
    )
    return framework, params


def count(value: int) -> str:
    return format_number(value, 0)


def reached(result: FrameworkCeilingResult) -> str:
    day = result.estimate.reached_on
    return "jamais" if day is None else f"{day:%d/%m/%Y}"


def tables(at: AppTest) -> list[pl.DataFrame]:
    return [pl.from_pandas(frame.value.data if hasattr(frame.value, "data") else frame.value) for frame in at.dataframe]


SIM = PageId.SIMULATIONS


def field(name: str) -> str:
    return key(name, SIM)


@pytest.fixture(scope="module")
def linked_app() -> AppTest:
    return open_simulations(LINK)


def test_threshold_link_equals_the_analytics(linked_app: AppTest) -> None:
    shown = metrics(linked_app)
    projects = latest_projects()
    scenario = simulate_threshold(projects, ThresholdParams(threshold_meur=20, margin_meur=2))
    reference = simulate_threshold(projects, ThresholdParams(margin_meur=2))
    assert shown["Projets dans le périmètre (référence)"] == count(reference.projects_inside)
    assert shown["Projets dans le périmètre (scénario)"] == count(scenario.projects_inside)
    assert shown["Sorties du périmètre"] == count(scenario.projects_leaving)
    assert shown["Sous veille au fractionnement"] == count(scenario.projects_watched)
    assert scenario.projects_inside != reference.projects_inside  # the link changes something visible
    delta = next(m.delta for m in linked_app.metric if m.label == "Projets dans le périmètre (scénario)")
    assert delta == str(scenario.projects_inside - reference.projects_inside)
    assert linked_app.text_input(key=field("threshold_meur")).value == "20"
    assert query(linked_app) == LINK  # the URL keeps exactly the link's parameters


def test_alerts_link_equals_the_analytics() -> None:
    at = open_simulations({**LINK, "scenario": "alertes"})
    shown = metrics(at)
    projects = latest_projects()
    alerts = simulate_drift_alerts(projects, DriftAlertParams(budget_levels=(0.10, 0.30)))
    budget = dict(alerts.levels.filter(pl.col("dimension") == "Budget").select("level", "projects").iter_rows())
    assert shown["Budget > 10\u00a0%"] == count(budget[0.10])
    assert shown["Budget > 30\u00a0%"] == count(budget[0.30])
    assert "Budget > 20\u00a0%" not in shown  # the default levels are replaced, not added to
    assert shown["Calendrier > 20\u00a0%"]  # schedule levels keep their defaults
    capped = simulate_drift_cap(projects, DriftCapParams(cap=0.05))
    assert shown["Montant évité avec le plafond"] == format_meur(capped.avoided_meur)
    assert shown["Projets écrêtés"] == count(capped.projects_capped)
    assert at.text_input(key=field("budget_levels")).value == "10 ; 30"
    assert at.text_input(key=field("cap")).value == "5"


def test_widgets_set_by_hand_show_the_same_as_the_link(linked_app: AppTest) -> None:
    at = open_simulations({"alertes_budget": "10,30", "plafond": "5"})
    assert query(at) == {"alertes_budget": "10,30", "plafond": "5"}
    at.text_input(key=field("threshold_meur")).set_value("20").run()
    at.text_input(key=field("margin_meur")).set_value("2").run()
    assert not at.exception
    assert metrics(at) == metrics(linked_app)
    assert [m.delta for m in at.metric] == [m.delta for m in linked_app.metric]
    by_hand, by_link = tables(at), tables(linked_app)
    assert len(by_hand) == len(by_link) > 0
    for mine, theirs in zip(by_hand, by_link, strict=True):
        assert mine.equals(theirs)
    assert query(at) == LINK


def test_alert_fields_set_by_hand_show_the_same_as_the_link() -> None:
    linked = open_simulations({**LINK, "scenario": "alertes"})
    at = open_simulations({"seuil_revue": "20", "marge": "2", "scenario": "alertes"})
    at.text_input(key=field("budget_levels")).set_value("10 ; 30").run()
    at.text_input(key=field("cap")).set_value("5").run()
    assert metrics(at) == metrics(linked)
    assert query(at) == {**LINK, "scenario": "alertes"}


@pytest.mark.parametrize(
    ("typed", "shown", "in_url"),
    [("12,5", "12,5", "12.5"), ("12.5", "12,5", "12.5"), ("9", "9", None), (" 30 M€ ", "30", "30")],
)
def test_numbers_typed_the_french_way(typed: str, shown: str, in_url: str | None) -> None:
    at = open_simulations()
    at.text_input(key=field("threshold_meur")).set_value(typed).run()
    assert not at.error
    assert at.text_input(key=field("threshold_meur")).value == shown
    assert query(at).get("seuil_revue") == in_url


def test_pace_typed_with_spaces_and_euro_sign() -> None:
    at = open_simulations({"scenario": "accord"})
    at.text_input(key=field("pace_eur_per_month")).set_value("3 000 000 €").run()
    assert at.text_input(key=field("pace_eur_per_month")).value == "3\u202f000\u202f000"
    assert query(at) == {"scenario": "accord", "rythme": "3000000"}
    at.text_input(key=field("pace_eur_per_month")).set_value("").run()
    assert query(at) == {"scenario": "accord"}, "an empty pace means the observed pace"


def test_unreadable_numbers_are_refused_never_reinterpreted() -> None:
    at = open_simulations({"seuil_revue": "20"})
    at.text_input(key=field("threshold_meur")).set_value("12,5,25").run()
    assert any("« 12,5,25 » n'est pas un nombre lisible" in e.value for e in at.error)
    assert any("Valeur précédente conservée : 20" in e.value for e in at.error)
    assert query(at) == {"seuil_revue": "20"}
    at.text_input(key=field("threshold_meur")).set_value("0").run()
    assert any("hors limites" in e.value for e in at.error)
    at.text_input(key=field("threshold_meur")).set_value("12,5").run()
    assert not at.error
    assert query(at) == {"seuil_revue": "12.5"}


def test_alert_levels_are_separated_by_semicolons() -> None:
    at = open_simulations({"scenario": "alertes"})
    at.text_input(key=field("budget_levels")).set_value("12,5 ; 25").run()
    assert query(at)["alertes_budget"] == "12.5,25"
    assert "Budget > 12,5\u00a0%" in metrics(at)
    at.text_input(key=field("budget_levels")).set_value("12,5,25").run()
    assert any("Séparez les niveaux par « ; »" in e.value for e in at.error)
    assert query(at)["alertes_budget"] == "12.5,25", "the refused text changes nothing"


def test_section_and_pace_are_restored_and_written() -> None:
    at = open_simulations({"scenario": "accord", "rythme": "4000000"})
    assert at.session_state[field("section")] == "Plafond de l'accord-cadre"
    _, params = ceiling_inputs()
    user = simulate_framework_ceiling(params.model_copy(update={"user_pace_eur_per_month": 4_000_000.0}))
    shown = metrics(at)
    assert shown["Rythme mensuel (simulé)"] == f"{format_eur_as_meur(4_000_000.0, 2)} / mois"
    assert shown["Montant estimé atteint le (simulé)"] == reached(user)
    observed = simulate_framework_ceiling(params)
    assert shown["Montant estimé atteint le (observé)"] == reached(observed)
    assert shown["Projeté à la fin du terme (observé)"] == format_eur_as_meur(observed.projected_at_end_eur)
    assert "Données simulées" in texts(at)
    assert at.text_input(key=field("pace_eur_per_month")).value == "4\u202f000\u202f000"
    assert query(at) == {"scenario": "accord", "rythme": "4000000"}


def test_threshold_preset_sets_the_field_and_the_url() -> None:
    at = open_simulations()
    at.pills(key=PRESET_KEY).set_value(50.0).run()
    assert at.text_input(key=field("threshold_meur")).value == "50"
    assert query(at) == {"seuil_revue": "50"}


def test_garbage_parameters_give_french_notices_once() -> None:
    garbage = {
        "seuil_revue": "abc",
        "marge": "-3",
        "alertes_budget": "x,,-5",
        "plafond": "1e9",
        "rythme": "nan",
        "accord": "inconnu",
        "scenario": "zzz",
    }
    at = open_simulations(garbage)
    expected = read_query({k: [v] for k, v in garbage.items()}, SIM, at_vocabulary()).notices
    shown = [w.value for w in at.warning]
    assert len(expected) >= len(garbage)
    for notice in expected:
        assert notice in shown
    assert at.text_input(key=field("threshold_meur")).value == "9"
    assert query(at) == {}  # the garbage is gone from the URL (« plafond » 1e9 is unreadable, not clamped)
    at.run()
    assert not at.exception
    assert not [w for w in at.warning if "Paramètre" in w.value]  # shown only on the run that parsed them


def test_threshold_above_every_project_is_explained() -> None:
    at = open_simulations({"seuil_revue": "5000"})
    expected = simulate_threshold(latest_projects(), ThresholdParams(threshold_meur=5000)).notices
    assert any("dépasse le coût du plus gros projet" in notice for notice in expected)
    assert set(expected) <= {i.value for i in at.info}
    assert metrics(at)["Projets dans le périmètre (scénario)"] == "0"


def test_empty_selection_says_so() -> None:
    at = open_simulations({"q": "zzzz introuvable qqqq"})
    assert any("Aucun projet ne correspond aux filtres" in i.value for i in at.info)
    assert "Projets dans le périmètre (scénario)" not in metrics(at)
    ceiling = open_simulations({"q": "zzzz introuvable qqqq", "scenario": "accord"})
    assert "Rythme mensuel (observé)" in metrics(ceiling)  # the framework ceiling does not depend on the panorama


def test_alert_levels_frame_labels_levels_in_french() -> None:
    levels = pl.DataFrame(
        {"dimension": ["Calendrier", "Budget", "Budget"], "level": [0.2, 0.125, 0.1], "projects": [1, 2, 3]},
        schema_overrides={"projects": pl.UInt32},
    ).with_columns(drift_meur=pl.lit(0.0))
    frame = sim_charts.alert_levels_frame(levels)
    assert frame.select("dimension", "level_label", "projects").rows() == [
        ("Budget", "> 10\u00a0%", 3),
        ("Budget", "> 12,5\u00a0%", 2),
        ("Calendrier", "> 20\u00a0%", 1),
    ]


def test_scope_by_ministry_counts_each_scope() -> None:
    projects = pl.DataFrame(
        {
            "project_id": ["a", "b", "c", "d"],
            "project_name": ["A", "B", "C", "D"],
            "ministry_id": ["m1", "m1", "m1", "m2"],
            "ministry_label": ["M1", "M1", "M1", "M2"],
            "cost_meur": [30.0, 8.0, None, 25.0],
        }
    )
    result = simulate_threshold(projects, ThresholdParams(threshold_meur=20))
    frame = sim_charts.scope_by_ministry(result.projects)
    assert frame.select("ministry_label", "scope", "projects").rows() == [
        ("M1", "Dans le périmètre", 1),
        ("M1", "Hors périmètre", 1),
        ("M1", "Coût non publié", 1),
        ("M2", "Dans le périmètre", 1),
    ]


def test_ceiling_series_puts_observed_and_projection_in_meur() -> None:
    burn = pl.DataFrame({"month": [date(2026, 3, 1), date(2026, 4, 1)], "cumulative_eur": [1e6, 3e6]})
    projection = pl.DataFrame({"month": [date(2026, 4, 1)], "projected_consumed_eur": [3.5e6]})
    frame = sim_charts.ceiling_series(burn, {"Projection": projection})
    assert frame.rows() == [
        (date(2026, 3, 1), sim_charts.OBSERVED_SERIES_FR, 1.0),
        (date(2026, 4, 1), sim_charts.OBSERVED_SERIES_FR, 3.0),
        (date(2026, 4, 1), "Projection", 3.5),
    ]


def at_vocabulary():
    """The URL vocabulary the app builds (panorama and framework registry)."""
    from analytics.decp.frameworks import load_frameworks
    from analytics.params.vocabulary import build_vocabulary
    from analytics.simulations.framework_ceiling import can_simulate

    registry = load_frameworks(FRAMEWORKS_PATH)
    return build_vocabulary(
        load_panorama(PANORAMA_DIR), {f.id: f.title for f in registry}, [f.id for f in registry if can_simulate(f)]
    )


def test_meeting_mode_shows_the_cards_numbers_in_one_table(linked_app: AppTest) -> None:
    at = open_simulations({**LINK, "mode": "reunion"})
    assert len(at.dataframe) == 0 and not metrics(at), "no grid, no card: one table that fits a projector"
    (table,) = [t.value for t in at.main.table]
    cards = metrics(linked_app)
    inside = table.set_index(table.columns[0]).loc["Projets dans le périmètre"]
    assert inside["Référence : 9\u00a0M€"].startswith(cards["Projets dans le périmètre (référence)"] + " (")
    assert inside["Scénario : 20\u00a0M€"].startswith(cards["Projets dans le périmètre (scénario)"] + " (")
    leaving = table.set_index(table.columns[0]).loc["Sorties du périmètre"]
    assert leaving["Scénario : 20\u00a0M€"].startswith(cards["Sorties du périmètre"] + " (")
