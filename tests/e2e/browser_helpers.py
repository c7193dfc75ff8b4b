"""What browser tests share: waiting for a rendered page, reading its figures, widgets and address."""

from __future__ import annotations

import time

RENDER_TIMEOUT_MS = 90_000
PAGES = {
    "": "Vue d'ensemble",
    "projets": "Projets",
    "derives": "Dérives",
    "evolutions": "Évolutions",
    "marches": "Accords-cadres agiles",
    "simulations": "Simulations",
    "donnees": "Données et méthode",
}


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def wait_rendered(page) -> None:
    """A page title is drawn, the script run is over and the page has stopped changing.

    Streamlit marks its root with the run state; a run starts shortly after a click or a Back, so the state must
    stay « notRunning » with the same DOM for half a second before the test reads the view. A fresh browser also
    shows skeletons while it loads the widgets' code: none may be left.
    """
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function(
        """() => new Promise((resolve) => {
            const snapshot = () => {
                const app = document.querySelector("[data-testid=stApp]");
                const loading = document.querySelector("[data-testid^=stSkeleton], [data-testid=stAppSkeleton]");
                const state = app && !loading ? app.getAttribute("data-test-script-state") : "loading";
                return state + ":" + document.body.innerHTML.length;
            };
            const first = snapshot();
            setTimeout(() => resolve(first.startsWith("notRunning:") && first === snapshot()), 500);
        })""",
        timeout=RENDER_TIMEOUT_MS,
        polling=100,
    )


def metric_values(page) -> dict[str, str]:
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    cells = page.get_by_test_id("stMetric").all()
    return {
        cell.get_by_test_id("stMetricLabel").inner_text().strip(): cell.get_by_test_id("stMetricValue")
        .inner_text()
        .strip()
        for cell in cells
    }


def filter_widgets(page) -> list[str]:
    """What the sidebar filters show (selected edition, ministries, ...), one text per widget."""
    sidebar = page.get_by_test_id("stSidebar")
    chosen = [box.get_by_role("combobox").input_value() for box in sidebar.get_by_test_id("stSelectbox").all()]
    chips = sidebar.get_by_test_id("stMultiSelect").all_inner_texts()
    return chosen + [" ".join(text.split()) for text in chips]


def widget_state(page) -> dict[str, object]:
    """Every widget's shown value on the page and in the sidebar, by its accessible label."""
    return page.evaluate(
        """() => {
        const state = {};
        const label = (el) => el.getAttribute("aria-label") || el.closest("[data-testid]")?.innerText || "";
        document.querySelectorAll("input[type=text], input:not([type]), textarea").forEach((el) => {
            state["text:" + label(el)] = el.value;
        });
        document.querySelectorAll("input[type=checkbox]").forEach((el) => {
            state["check:" + label(el).trim()] = el.checked;
        });
        document.querySelectorAll("[data-testid=stMultiSelect]").forEach((el, i) => {
            state["multi:" + i] = el.innerText.split(/\\s+/).join(" ");
        });
        document.querySelectorAll("[role=tab][aria-selected=true]").forEach((el, i) => {
            state["tab:" + i] = el.innerText;
        });
        document.querySelectorAll("[role=radio][aria-checked=true]").forEach((el, i) => {
            state["radio:" + i] = el.innerText;
        });
        return state;
    }"""
    )


def address(page) -> str:
    """The address bar as the document has it (Playwright's `page.url` can lag behind `history.pushState`)."""
    return page.evaluate("location.href")


def sidebar_link(page, title: str):
    return page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True)


def settled_value(read, expected, timeout_s: float = 30.0):
    """`read()` once it equals `expected`, or its last value after `timeout_s` (for the assertion to show).

    A fresh browser loads each widget's code on first use: what a page shows fills in over a few seconds, as
    Playwright's own assertions allow for.
    """
    deadline = time.monotonic() + timeout_s
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.25)
        value = read()
    return value


def stable_value(read, timeout_s: float = 30.0):
    """`read()` once two readings half a second apart agree (a page still filling in keeps changing)."""
    deadline = time.monotonic() + timeout_s
    previous = read()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = read()
        if current == previous:
            return current
        previous = current
    return previous


def wait_for_address(page, pattern: str) -> None:
    """The address matches `pattern` (a regular expression) and the page is rendered."""
    page.wait_for_function("pattern => new RegExp(pattern).test(location.href)", arg=pattern, timeout=RENDER_TIMEOUT_MS)
    wait_rendered(page)


def copied_link(page) -> str:
    """The link « Copier le lien de cette vue » shows (its popover's code block, not a page's own)."""
    page.get_by_text("Copier le lien de cette vue").click()
    code = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode")
    code.wait_for(timeout=RENDER_TIMEOUT_MS)
    link = code.inner_text().strip().replace("\n", "")
    page.keyboard.press("Escape")
    return link
