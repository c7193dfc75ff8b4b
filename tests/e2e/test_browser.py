"""The app in a real browser: shared links, the address bar, the link popover, every page, import, hostile links.

Streamlit renders asynchronously: every wait is on a locator (never a sleep), with generous timeouts.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.formatting import format_edition_label, format_number
from analytics.panorama.loading import load_panorama
from analytics.selection import Selection, apply_selection
from tests.e2e.browser_helpers import (
    PAGES,
    RENDER_TIMEOUT_MS,
    expect,
    filter_widgets,
    metric_values,
    wait_rendered,
)
from tests.e2e.server import CHROMIUM, REPO_ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]


def expected_project_count(edition: date, ministries: tuple[str, ...]) -> int:
    projects = load_panorama(REPO_ROOT / "data" / "panorama")
    selection = Selection(edition=edition, ministries=ministries)
    selected = apply_selection(projects.lazy(), selection).filter(pl.col("edition") == edition)
    return selected.select(pl.col("project_id").n_unique()).collect().item()


def test_first_visit_of_a_fresh_server_on_a_page_link(page, app_url: str) -> None:
    """Runs first: the server's first script run uses Streamlit's legacy pages/ mode (see pages/__init__.py)."""
    page.goto(f"{app_url}/derives?ministere=justice")
    wait_rendered(page)
    expect()(page.get_by_role("heading", name="Dérives", exact=True)).to_be_visible()
    expect()(page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first).to_contain_text("Justice")
    expect()(page.get_by_text("Page not found")).to_have_count(0)


def test_shared_link_opens_its_view(page, app_url: str) -> None:
    page.goto(f"{app_url}/?edition=2016-11&ministere=interieur")
    wait_rendered(page)
    count = expected_project_count(date(2016, 11, 1), ("interieur",))
    assert count > 0
    expect()(page.get_by_test_id("stMetricValue").first).to_have_text(format_number(count, 0))
    assert metric_values(page)["Projets suivis"] == format_number(count, 0)
    sidebar = page.get_by_test_id("stSidebar")
    edition = sidebar.get_by_role("combobox", name="Édition")
    expect()(edition).to_have_value(format_edition_label(date(2016, 11, 1)))
    expect()(sidebar.get_by_test_id("stMultiSelect").first).to_contain_text("Intérieur")
    assert page.dialogs == []


def test_address_bar_follows_the_filters(page, app_url: str) -> None:
    page.goto(f"{app_url}/?edition=2019-03")
    wait_rendered(page)
    search = page.get_by_role("textbox", name="Rechercher")
    search.fill("identite numerique")
    search.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=identite\+numerique"), timeout=RENDER_TIMEOUT_MS)
    wait_rendered(page)

    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name="Intérieur", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]ministere=interieur"), timeout=RENDER_TIMEOUT_MS)
    assert "q=identite+numerique" in page.url and "edition=2019-03" in page.url


def test_copied_link_opens_the_same_view(page, browser, app_url: str) -> None:
    page.goto(f"{app_url}/?edition=2018-03&ministere=interieur&phase=deploiement")
    wait_rendered(page)
    expect()(page.get_by_test_id("stMetric")).to_have_count(6, timeout=RENDER_TIMEOUT_MS)
    before = metric_values(page)
    widgets = filter_widgets(page)
    page.get_by_text("Copier le lien de cette vue").click()
    code = page.get_by_test_id("stCode").first
    code.wait_for(timeout=RENDER_TIMEOUT_MS)
    link = code.inner_text().strip()
    assert link.startswith(app_url) and "edition=2018-03" in link and "ministere=interieur" in link

    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    try:
        other.goto(link)
        wait_rendered(other)
        expect()(other.get_by_test_id("stMetric")).to_have_count(len(before), timeout=RENDER_TIMEOUT_MS)
        assert metric_values(other) == before
        assert filter_widgets(other) == widgets
    finally:
        other.context.close()


def test_every_page_by_address_and_by_navigation(page, app_url: str, screenshots: Path) -> None:
    for path, title in PAGES.items():
        page.goto(f"{app_url}/{path}")
        wait_rendered(page)
        expect()(page.get_by_test_id("stException")).to_have_count(0)
        page.screenshot(path=str(screenshots / f"url-{path or 'vue-ensemble'}.png"), full_page=True)
        assert page.dialogs == [], title

    nav = page.get_by_test_id("stSidebar")
    for path, title in PAGES.items():
        nav.get_by_role("link", name=title, exact=True).click()
        page.wait_for_url(re.compile(rf"{re.escape(app_url)}/{path}(\?.*)?$"), timeout=RENDER_TIMEOUT_MS)
        wait_rendered(page)
        expect()(page.get_by_test_id("stException")).to_have_count(0)
        page.screenshot(path=str(screenshots / f"nav-{path or 'vue-ensemble'}.png"), full_page=True)


def test_upload_of_an_edition_on_the_data_page(page, app_url: str, tmp_path: Path, screenshots: Path) -> None:
    source = REPO_ROOT / "data" / "panorama" / "editions" / "panorama_2021-11.csv"
    upload = tmp_path / "panorama_nouvelle-edition.csv"
    upload.write_bytes(source.read_bytes())
    page.goto(f"{app_url}/donnees")
    wait_rendered(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    chip = page.get_by_test_id("stFileChipName")
    expect()(chip).to_have_attribute("title", "panorama_nouvelle-edition.csv", timeout=RENDER_TIMEOUT_MS)
    expect()(page.get_by_test_id("stFileChipIconSpinner")).to_have_count(0, timeout=RENDER_TIMEOUT_MS)
    page.get_by_text("Choisir le mois").click()
    page.get_by_text("Mois de l'édition").wait_for(timeout=RENDER_TIMEOUT_MS)
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect()(page.get_by_text("Fichier : panorama_nouvelle-edition.csv")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    keep_apart = page.get_by_text("Garder à part", exact=True)
    if keep_apart.count():  # the same projects as 2021-11: the panel asks before anything is used
        keep_apart.click()
    use = page.get_by_role("button", name="Utiliser pour cette session")
    expect()(use).to_be_enabled(timeout=RENDER_TIMEOUT_MS)
    use.click()
    success = page.get_by_test_id("stAlert").filter(has_text="utilisée pour cette session")
    expect()(success).to_contain_text("50 projet(s)", timeout=RENDER_TIMEOUT_MS)
    page.screenshot(path=str(screenshots / "import.png"), full_page=True)


def test_hostile_link_is_shown_as_text(page, app_url: str) -> None:
    page.goto(f"{app_url}/?edition=2099-01&ministere=<script>alert(1)</script>&seuil=abc")
    wait_rendered(page)
    alerts = page.get_by_test_id("stAlert")
    expect()(alerts.filter(has_text="Édition « 2099-01 » inconnue")).to_have_count(1)
    expect()(alerts.filter(has_text="Paramètre « seuil » : valeur « abc » illisible")).to_have_count(1)
    injected = alerts.filter(has_text="<script>alert(1)</script>")
    expect()(injected).to_have_count(1)
    expect()(injected).to_contain_text("Ministère inconnu")
    scripts = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stMain'] script, [data-testid='stSidebar'] script")]
              .filter((s) => !s.closest(".stElementContainer:has(.panorama-french-ui)")).length"""
    )
    assert scripts == 0  # the French interface's own script is the only one
    assert page.dialogs == []
