"""No cut text at 1280, 1440 and 390 px: labels, captions, legends, chart texts, measured from the DOM.

A text element is cut when its content is wider than its box and the box hides the overflow (or ends it with
an ellipsis), or when it runs past the window's edge. In charts (SVG), a text is cut when Vega shortened it
(« … ») or when it is drawn outside the chart. The grid's cells are drawn on a canvas: their widths come from
the display model (`pages.common.tables.column_widths`), checked by the unit tests.
"""

from __future__ import annotations

import pytest

from tests.e2e.server import CHROMIUM, sized_context_page
from tests.e2e.test_rgaa_axe import VIEWS, wait_settled

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]

WIDTHS = (1280, 1440, 390)
TOLERANCE_PX = 2  # anti-aliasing and sub-pixel rounding

CUT_TEXTS = """(tolerance) => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const scrollable = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if ((x === "auto" || x === "scroll") && p.scrollWidth > p.clientWidth) return true;
    }
    return false;
  };
  const label = (el) => {
    const owner = el.closest("[data-testid]")?.dataset.testid ?? "";
    return `${el.tagName.toLowerCase()}[${owner}] « ${el.textContent.trim().slice(0, 60)} »`;
  };
  const ignored = "table[role='grid'], svg, script, style, [aria-hidden='true'], "
    + "[data-testid='stSidebar'][aria-expanded='false']";
  for (const el of document.querySelectorAll("body *")) {
    if (!ownText(el) || el.closest(ignored)) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    // skipped: hidden, and visually hidden on purpose (the skip link is a 1 px box until focused)
    if (style.visibility === "hidden" || box.width <= 2 || box.height <= 2) continue;
    const wider = el.scrollWidth > el.clientWidth + tolerance && el.clientWidth > 0;
    const past = box.right > width + tolerance || box.left < -tolerance;
    const hides = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
    if (wider && hides) found.push("coupé : " + label(el));
    else if (past && !scrollable(el)) found.push("hors écran : " + label(el));
  }
  for (const svg of document.querySelectorAll("[data-testid='stVegaLiteChart'] svg.marks")) {
    const frame = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const box = text.getBoundingClientRect();
      if (!box.width || text.closest("[opacity='0']")) continue;
      const outside = box.left < frame.left - tolerance || box.right > frame.right + tolerance
        || box.top < frame.top - tolerance || box.bottom > frame.bottom + tolerance;
      if (text.textContent.endsWith("…")) found.push("graphique, coupé : « " + text.textContent + " »");
      else if (outside) found.push("graphique, hors cadre : « " + text.textContent + " »");
    }
  }
  return found;
}"""


PHONE = 390
# Meeting mode is for a projector (1280 × 720 and wider: tests/e2e/test_presenter.py): 18 px chart text cannot fit
# a 390 px chart beside 18 px ministry names, and a phone reads the standard views, checked at 390 px.
CASES = [(width, view) for width in WIDTHS for view in VIEWS if not (width == PHONE and view.startswith("reunion-"))]


def close_sidebar_on_small_screens(page) -> None:
    """On a phone the sidebar covers the page until closed: check the page as it is read."""
    if page.viewport_size["width"] < 640:
        button = page.get_by_test_id("stSidebarCollapseButton").locator("button")
        if button.count() and button.is_visible():
            button.click()
            page.get_by_test_id("stSidebar").wait_for(state="hidden")


@pytest.mark.parametrize(("width", "view"), CASES, ids=[f"{width}px-{view}" for width, view in CASES])
def test_no_text_is_cut(browser, app_url: str, width: int, view: str) -> None:
    with sized_context_page(browser, width, 2400) as page:
        page.goto(f"{app_url}/{VIEWS[view]}")
        wait_settled(page)
        close_sidebar_on_small_screens(page)
        found = page.evaluate(CUT_TEXTS, TOLERANCE_PX)
    assert not found, "\n".join(found)


def test_ledger_template_columns_fit_a_phone(browser, app_url: str) -> None:
    """The template's columns sit in closed expanders, unseen by the test above: opened, they fit at 390 px."""
    with sized_context_page(browser, PHONE, 2400) as page:
        page.goto(f"{app_url}/marches")
        wait_settled(page)
        close_sidebar_on_small_screens(page)
        for name in ("Registre des bons de commande", "Colonnes du modèle"):
            page.locator("summary", has_text=name).click()
        page.get_by_text("Référence du bon de commande", exact=True).first.wait_for()
        found = page.evaluate(CUT_TEXTS, TOLERANCE_PX)
        assert not found, "\n".join(found)
