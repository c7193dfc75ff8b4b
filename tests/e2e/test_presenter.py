"""Presenter mode on a projector (1280×720): arrows and « précédent / suivant » through every page, filters kept,
each page on one screen with nothing cut or overflowing, no toolbar nor download; the briefing from the sidebar.

Screenshots of every page are saved in test-artifacts/presenter/ to be looked at.
"""

from __future__ import annotations

import io
import re

import pytest

from analytics.params.pages import PAGES
from tests.e2e.browser_helpers import RENDER_TIMEOUT_MS, address, expect, stable_value, wait_rendered, widget_state
from tests.e2e.server import CHROMIUM, REPO_ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]

ARTIFACTS = REPO_ROOT / "test-artifacts" / "presenter"
PRESENTED = [page for page in PAGES if page.in_menu]
VIEWPORT = {"width": 1280, "height": 720}

# Every visible element of the main area: its right edge within the window, its text not clipped by its box.
OVERFLOWS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of main.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (box.right > width + 1) found.push('dépasse à droite : ' + (el.getAttribute('data-testid') || el.tagName));
    const text = el.children.length === 0 ? (el.innerText || '').trim() : '';
    if (text && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible') {
      found.push('coupé : « ' + text.slice(0, 60) + ' »');
    }
  }
  return [...new Set(found)];
}"""

SMALL_TEXT = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const small = [];
  for (const el of main.querySelectorAll('p, li, td, th, label, span, h1, h2, h3')) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!text || !el.getBoundingClientRect().width || el.closest('[aria-hidden=true]')) continue;  // icons
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18) small.push(size + ' px : « ' + text.slice(0, 40) + ' »');
  }
  return small;
}"""


def shown_filters(page) -> dict[str, object]:
    return {k: v for k, v in widget_state(page).items() if k.startswith(("text:Édition", "multi:"))}


@pytest.fixture
def presenter(browser, app_url: str):
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


def test_arrows_and_controls_go_through_every_page_with_the_filters_kept(presenter, app_url: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = presenter
    page.goto(f"{app_url}/?mode=reunion&ministere=interieur&edition=2021-07")
    wait_rendered(page)
    for index, info in enumerate(PRESENTED):
        expect()(page.get_by_role("heading", name=info.title, exact=True)).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        stable_value(lambda: widget_state(page))
        assert "ministere=interieur" in address(page) and "edition=2021-07" in address(page), address(page)
        assert "mode=reunion" in address(page)
        page.screenshot(path=str(ARTIFACTS / f"{index + 1:02d}-{info.url_path or 'vue-ensemble'}.png"))
        main = page.get_by_test_id("stMain")
        assert main.get_by_test_id("stDownloadButton").count() == 0, info.title
        assert main.locator(".vega-embed details, [data-testid=stElementToolbar]:visible").count() == 0, info.title
        assert page.evaluate(OVERFLOWS) == [], info.title
        assert page.evaluate(SMALL_TEXT) == [], info.title
        if index + 1 < len(PRESENTED):
            # alternately the keyboard and the control, so that both are exercised on every step
            if index % 2 == 0:
                page.get_by_role("heading", name=info.title, exact=True).click()  # focus on the page, not a field
                page.keyboard.press("ArrowRight")
            else:
                page.locator(".st-key-presenter_next a").click()
            page.wait_for_function(
                "path => location.pathname.endsWith(path)",
                arg="/" + PRESENTED[index + 1].url_path,
                timeout=RENDER_TIMEOUT_MS,
            )
            wait_rendered(page)
    for info in reversed(PRESENTED[:-1]):
        page.locator(".st-key-presenter_previous a").click()
        expect()(page.get_by_role("heading", name=info.title, exact=True)).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        wait_rendered(page)
    assert "ministere=interieur" in address(page)


def test_typing_in_a_field_never_moves_the_presentation(presenter, app_url: str) -> None:
    page = presenter
    page.goto(f"{app_url}/simulations?mode=reunion")
    wait_rendered(page)
    field = page.get_by_role("textbox", name="Seuil de revue simulé (M€)", exact=True)
    field.click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    wait_rendered(page)
    assert re.search(r"/simulations\?", address(page))


def test_briefing_of_the_current_view_downloads_from_the_sidebar(presenter, app_url: str) -> None:
    from pypdf import PdfReader

    page = presenter
    page.goto(f"{app_url}/derives?ministere=interieur")
    wait_rendered(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Dossier de séance (PDF)").click()
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download:
        sidebar.get_by_role("button", name="Cette page").click()
    assert download.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Dérives" in text and "Intérieur" in text and "ministere=interieur" in text.replace("\n", "")
