"""The view is the link, in a real browser: copied links, Back and Forward, page round trips, French numbers.

Each test acts as a user would (clicks, typing) and checks what the screen and the address bar then say.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser_helpers import (
    RENDER_TIMEOUT_MS,
    address,
    copied_link,
    expect,
    metric_values,
    settled_value,
    sidebar_link,
    stable_value,
    wait_for_address,
    wait_rendered,
    widget_state,
)
from tests.e2e.server import CHROMIUM

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]


def pick(page, label: str, option: str) -> None:
    """Choose an option in a sidebar multiselect, as a user does."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def type_in(page, label: str, text: str) -> None:
    field = page.get_by_role("textbox", name=label, exact=True)
    field.fill(text)
    field.press("Enter")


def ministries_shown(page) -> str:
    return " ".join(page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.inner_text().split())


def set_overview_indicator(page) -> None:
    page.get_by_role("radio", name="Nombre de projets", exact=True).click()
    wait_for_address(page, r"indicateur=projets")


def open_project_sheet(page) -> None:
    """Select the table's first row (its row marker), which opens that project's sheet."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for(timeout=RENDER_TIMEOUT_MS)
    grid.click(position={"x": 18, "y": 35 + 17})
    wait_for_address(page, r"projet=")
    expect()(page.get_by_role("heading", name=re.compile("Fiche projet"))).to_be_visible()


def set_contracts_probable(page) -> None:
    page.get_by_test_id("stCheckbox").filter(has_text="Compter les rattachements probables").click()
    wait_for_address(page, r"probables=1")


def set_simulation_threshold(page) -> None:
    type_in(page, "Seuil de revue simulé (M€)", "12,5")
    wait_for_address(page, r"seuil_revue=12\.5")


def set_drift_threshold(page) -> None:
    type_in(page, "Seuil d'alerte de dérive (%)", "12,5")
    wait_for_address(page, r"seuil=12\.5")


# path, the page parameter set by hand (or None), what it must put in the URL
PAGE_SETTINGS = [
    ("", set_overview_indicator, "indicateur=projets"),
    ("projets", open_project_sheet, "projet="),
    ("derives", set_drift_threshold, "seuil=12.5"),
    ("marches", set_contracts_probable, "probables=1"),
    ("simulations", set_simulation_threshold, "seuil_revue=12.5"),
    ("donnees", None, None),
]


@pytest.mark.parametrize(
    ("path", "setting", "in_url"), PAGE_SETTINGS, ids=[p or "vue-ensemble" for p, _, _ in PAGE_SETTINGS]
)
def test_copied_link_reproduces_the_view_in_a_fresh_browser(page, browser, app_url, path, setting, in_url) -> None:
    page.goto(f"{app_url}/{path}")
    wait_rendered(page)
    stable_value(lambda: widget_state(page))  # every widget drawn before the user acts
    pick(page, "Ministères", "Intérieur")
    wait_for_address(page, r"ministere=interieur")
    if setting is not None:
        setting(page)
    widgets = stable_value(lambda: widget_state(page))
    # Under a loaded machine the frontend has been seen to leave the sidebar's threshold field blank for a while
    # after a page widget's rerun (the value in the store and the URL is right): read it once it is drawn.
    threshold = "text:Seuil d'alerte de dérive (%)"
    if not widgets.get(threshold):
        widgets = settled_value(lambda: widget_state(page), {**widgets, threshold: "20"})
    shown = metric_values(page) if page.get_by_test_id("stMetric").count() else {}
    link = copied_link(page)
    assert "ministere=interieur" in link and "edition=" in link
    if in_url:
        assert in_url in link, link

    fresh = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR").new_page()
    try:
        fresh.goto(link)
        wait_rendered(fresh)
        if shown:
            expect()(fresh.get_by_test_id("stMetric")).to_have_count(len(shown), timeout=RENDER_TIMEOUT_MS)
            assert settled_value(lambda: metric_values(fresh), shown) == shown
        assert settled_value(lambda: widget_state(fresh), widgets) == widgets
        assert fresh.get_by_test_id("stAlert").filter(has_text="ignoré").count() == 0
    finally:
        fresh.context.close()


def test_back_and_forward_restore_each_view(page, app_url) -> None:
    page.goto(f"{app_url}/projets")
    wait_rendered(page)
    pick(page, "Ministères", "Intérieur")
    wait_for_address(page, r"ministere=interieur$")
    first_count = metric_values(page) if page.get_by_test_id("stMetric").count() else None
    pick(page, "Phases", "Déploiement")
    wait_for_address(page, r"ministere=interieur&phase=deploiement")

    page.go_back()
    wait_for_address(page, r"/projets\?ministere=interieur$")
    assert "Intérieur" in ministries_shown(page)
    expect()(page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").nth(1)).not_to_contain_text("Déploiement")
    assert (metric_values(page) if first_count is not None else None) == first_count
    page.go_back()
    wait_for_address(page, r"/projets$")
    assert ministries_shown(page) == "Ministères"
    page.go_forward()
    wait_for_address(page, r"/projets\?ministere=interieur$")
    assert "Intérieur" in ministries_shown(page)
    page.go_forward()
    wait_for_address(page, r"phase=deploiement")
    expect()(page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").nth(1)).to_contain_text("Déploiement")


def test_back_across_pages_returns_to_the_page_and_its_settings(page, app_url) -> None:
    page.goto(f"{app_url}/simulations?seuil_revue=5")
    wait_rendered(page)
    sidebar_link(page, "Dérives").click()
    wait_for_address(page, r"/derives$")
    expect()(page.get_by_role("heading", name="Dérives", exact=True)).to_be_visible()
    page.go_back()
    wait_for_address(page, r"/simulations\?seuil_revue=5$")
    expect()(page.get_by_role("textbox", name="Seuil de revue simulé (M€)", exact=True)).to_have_value("5")
    page.go_forward()
    wait_for_address(page, r"/derives$")
    expect()(page.get_by_role("heading", name="Dérives", exact=True)).to_be_visible()


@pytest.mark.parametrize(
    ("path", "setting", "in_url"),
    [s for s in PAGE_SETTINGS if s[1] is not None and s[0] != "derives"],
    ids=["vue-ensemble", "projets", "marches", "simulations"],
)
def test_a_page_round_trip_keeps_its_parameters(page, app_url, path, setting, in_url) -> None:
    page.goto(f"{app_url}/{path}")
    wait_rendered(page)
    stable_value(lambda: widget_state(page))  # every widget drawn before the user acts
    setting(page)
    before = stable_value(lambda: widget_state(page))
    sidebar_link(page, "Données et méthode").click()
    wait_for_address(page, r"/donnees")
    assert in_url not in address(page), "a page's own parameters are not written on another page"
    title = next(
        t
        for p, t in [
            ("", "Vue d'ensemble"),
            ("projets", "Projets"),
            ("marches", "Accords-cadres agiles"),
            ("simulations", "Simulations"),
        ]
        if p == path
    )
    sidebar_link(page, title).click()
    wait_for_address(page, re.escape(in_url))
    assert settled_value(lambda: widget_state(page), before) == before


@pytest.mark.parametrize(
    ("typed", "shown", "in_url"),
    [("12,5", "12,5", "seuil_revue=12.5"), ("9", "9", None), ("30 M€", "30", "seuil_revue=30")],
)
def test_french_numbers_in_the_threshold_field(page, app_url, typed, shown, in_url) -> None:
    page.goto(f"{app_url}/simulations?seuil_revue=20")
    wait_rendered(page)
    type_in(page, "Seuil de revue simulé (M€)", typed)
    if in_url:
        wait_for_address(page, re.escape(in_url) + "$")
    else:
        wait_for_address(page, r"/simulations$")
    expect()(page.get_by_role("textbox", name="Seuil de revue simulé (M€)", exact=True)).to_have_value(shown)


def test_french_pace_with_spaces(page, app_url) -> None:
    page.goto(f"{app_url}/simulations?scenario=accord")
    wait_rendered(page)
    type_in(page, "Rythme simulé (€ par mois, facultatif)", "3 000 000")
    wait_for_address(page, r"rythme=3000000")
    field = page.get_by_role("textbox", name="Rythme simulé (€ par mois, facultatif)", exact=True)
    expect()(field).to_have_value("3\u202f000\u202f000")
    expect()(page.get_by_test_id("stMetric").filter(has_text="Rythme mensuel (simulé)")).to_contain_text("3,00")


def test_an_unreadable_number_is_refused_in_french(page, app_url) -> None:
    page.goto(f"{app_url}/simulations?seuil_revue=20")
    wait_rendered(page)
    type_in(page, "Seuil de revue simulé (M€)", "12,5,25")
    error = page.get_by_test_id("stAlert").filter(has_text="n'est pas un nombre lisible")
    expect()(error).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect()(error).to_contain_text("Valeur précédente conservée : 20")
    assert address(page).endswith("seuil_revue=20")


def test_meeting_mode_link_collapses_the_sidebar(page, app_url) -> None:
    page.goto(f"{app_url}/?mode=réunion")
    wait_rendered(page)
    expect()(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    assert page.get_by_test_id("stMain").get_by_test_id("stDownloadButton").count() == 0
