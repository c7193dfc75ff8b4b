"""« Évolutions » and the ministry sheet in a real browser: reached by links, their view is the link, Back returns."""

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


def sentences(page) -> str:
    """The copyable sentences of « Évolutions » (the page's own code block, not the link popover's)."""
    block = page.get_by_test_id("stMain").get_by_test_id("stCode").first
    block.wait_for(timeout=RENDER_TIMEOUT_MS)
    return block.inner_text().strip()


def test_changes_view_reached_by_a_link_is_the_copied_link(page, browser, app_url) -> None:
    page.goto(f"{app_url}/")
    wait_rendered(page)
    sidebar_link(page, "Évolutions").click()
    wait_for_address(page, r"/evolutions$")
    expect()(page.get_by_role("heading", name="Évolutions", exact=True)).to_be_visible()
    assert "PPN (Justice) entre au panorama en novembre 2021" in sentences(page)
    assert metric_values(page)["Entrants"] == "5"

    page.get_by_role("combobox", name="Édition de départ").click()
    page.get_by_role("option", name="2019-03 (mars 2019)", exact=True).click()
    wait_for_address(page, r"de=2019-03")
    expect()(page.get_by_text("De mars 2019 à novembre 2021 (32 mois)")).to_be_visible()
    widgets = stable_value(lambda: widget_state(page))
    shown = stable_value(lambda: metric_values(page))
    said = sentences(page)
    assert shown["Entrants"] != "5"
    link = copied_link(page)
    assert "/evolutions?" in link and "edition=2021-11" in link and "de=2019-03" in link, link

    fresh = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR").new_page()
    try:
        fresh.goto(link)
        wait_rendered(fresh)
        expect()(fresh.get_by_role("heading", name="Évolutions", exact=True)).to_be_visible()
        assert settled_value(lambda: metric_values(fresh), shown) == shown
        assert settled_value(lambda: widget_state(fresh), widgets) == widgets
        assert sentences(fresh) == said
        assert fresh.get_by_test_id("stAlert").filter(has_text="ignoré").count() == 0
    finally:
        fresh.context.close()


def test_ministry_sheet_opens_from_ministry_names_and_back_returns(page, app_url) -> None:
    page.goto(f"{app_url}/")
    wait_rendered(page)
    page.get_by_text(re.compile(r"^Fiches ministère \(\d+\)$")).click()
    page.get_by_test_id("stMain").get_by_role("link", name="Intérieur", exact=True).click()
    wait_for_address(page, r"/ministere\?ministere=interieur$")
    expect()(page.get_by_role("heading", name="Fiche ministère : Intérieur")).to_be_visible()
    expect()(page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first).to_contain_text("Intérieur")
    assert metric_values(page)["Projets"] == "12"  # 12 Intérieur rows in panorama_2021-11.csv

    page.go_back()
    wait_for_address(page, re.escape(app_url) + r"/$")
    expect()(page.get_by_role("heading", name="Vue d'ensemble", exact=True)).to_be_visible()

    page.goto(f"{app_url}/projets?projet=astrea")
    wait_rendered(page)
    page.get_by_role("link", name="Fiche ministère : Justice").click()
    wait_for_address(page, r"/ministere\?ministere=justice$")
    expect()(page.get_by_role("heading", name="Fiche ministère : Justice")).to_be_visible()
    page.go_back()
    wait_for_address(page, r"/projets\?projet=astrea$")
    expect()(page.get_by_role("heading", name=re.compile("Fiche projet : ASTREA"))).to_be_visible()
    assert "ministere" not in address(page)
