"""RGAA in a real browser: axe-core on every page, a project sheet and meeting mode; the page speaks French.

Fails on any violation of impact « serious » or « critical » (contrast, names of controls, ARIA misuse…), so a
new one cannot slip in. Lesser impacts are printed (moderate: heading order) but do not fail.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.server import CHROMIUM, sized_context_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]

RENDER_TIMEOUT_MS = 90_000
FAILING_IMPACTS = {"serious", "critical"}
PAGE_VIEWS = {
    "vue-ensemble": "",
    "projets": "projets",
    "fiche-projet": "projets?projet=franceconnect",
    "derives": "derives",
    "evolutions": "evolutions",
    "fiche-ministere": "ministere?ministere=interieur",
    "marches": "marches",
    "simulations": "simulations",
    "simulations-alertes": "simulations?scenario=alertes",
    "simulations-accord": "simulations?scenario=accord",
    "donnees": "donnees",
}
MEETING_VIEWS = {
    f"reunion-{name}": path + ("&" if "?" in path else "?") + "mode=reunion"
    for name, path in PAGE_VIEWS.items()
    if not name.startswith("simulations-")
}
VIEWS = PAGE_VIEWS | MEETING_VIEWS


def wait_settled(page) -> None:
    """Title drawn, script run over, every visible chart drawn (axe must see the charts, not their placeholders).

    Charts of tabs not shown are not drawn until their tab is chosen: they are not waited for.
    """
    from playwright.sync_api import expect

    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function(
        """() => !document.querySelector("[data-testid='stSkeleton'], [data-testid='stAppSkeleton']")
              && [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
                   .filter((e) => e.getClientRects().length).every((e) => e.querySelector("svg"))""",
        timeout=RENDER_TIMEOUT_MS,
    )


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def summary(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} élément(s)) : {v['help']} — "
        + json.dumps([n["target"] for n in v["nodes"][:3]], ensure_ascii=False)
        for v in violations
    ]


@pytest.fixture
def tall_page(browser, app_url: str):
    """Tall enough for every element to be in view: axe skips the contrast of what it cannot see."""
    with sized_context_page(browser, 1440, 3000) as page:
        yield page


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_or_critical_axe_violation_and_french_document(tall_page, app_url: str, view: str) -> None:
    tall_page.goto(f"{app_url}/{VIEWS[view]}")
    wait_settled(tall_page)
    violations = axe_violations(tall_page)
    print(view, "\n".join(summary(violations)) or "aucune violation")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, "\n".join(summary(failing))
    assert tall_page.evaluate("document.documentElement.lang") == "fr"
