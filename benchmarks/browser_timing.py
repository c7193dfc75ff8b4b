"""In a real browser: seconds from navigation to each page's key figures visible, on a warm server.

    uv run python -m benchmarks.browser_timing [--rounds 3] [--backends 2]

Debian's Chromium through Playwright (never a downloaded browser), loopback servers of our own only. For each
page and round, a new browser context opens a link (a new visitor: empty browser cache), then a second link of
the same page with other filters (the browser cache now warm, a new Streamlit session still).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field

from benchmarks.ws_load_test import FILTER_SETS, PAGES, require_loopback, serving, view_label, warm_up
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS

# What a visitor comes for on each page: a metric's label, or the first table.
KEY_FIGURES: dict[str, tuple[str, str]] = {
    "": ("metric", "Projets suivis"),
    "projets": ("table", ""),
    "derives": ("metric", "Projets au-delà du seuil"),
    "marches": ("metric", "Engagé · ensemble"),
    "simulations": ("metric", "Projets dans le périmètre (référence)"),
    "donnees": ("table", ""),
}
TIMEOUT_MS = 60_000


@dataclass
class BrowserTimings:
    cold_s: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    warm_s: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})


def _open(page, base_url: str, page_name: str, query: str) -> float:
    """Seconds from `goto` to the key figure visible."""
    kind, label = KEY_FIGURES[page_name]
    started = time.perf_counter()
    page.goto(base_url + view_label(page_name, query), timeout=TIMEOUT_MS)
    metrics, tables = page.get_by_test_id("stMetric"), page.get_by_test_id("stDataFrame")
    figure = metrics.filter(has_text=label) if kind == "metric" else tables
    figure.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def measure(base_url: str, rounds: int) -> BrowserTimings:
    from playwright.sync_api import sync_playwright

    require_loopback(base_url)
    timings = BrowserTimings()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for round_index in range(rounds):
                first, second = FILTER_SETS[(2 * round_index) % len(FILTER_SETS)], FILTER_SETS[2 * round_index + 1]
                for page_name in PAGES:
                    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
                    try:
                        page = context.new_page()
                        timings.cold_s[page_name].append(_open(page, base_url, page_name, first))
                        timings.warm_s[page_name].append(_open(page, base_url, page_name, second))
                    finally:
                        context.close()
        finally:
            browser.close()
    return timings


def _s(values: list[float], pick) -> str:
    return f"{pick(values):.2f}".replace(".", ",") if values else "—"


def markdown(timings: BrowserTimings) -> str:
    lines = [
        "| Page | chiffre clé attendu | nouveau visiteur, médiane (s) | max (s) | cache chaud, médiane (s) | max (s) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for page_name in PAGES:
        kind, label = KEY_FIGURES[page_name]
        what = f"indicateur « {label} »" if kind == "metric" else "premier tableau"
        cold, warm = timings.cold_s[page_name], timings.warm_s[page_name]
        lines.append(
            f"| `{view_label(page_name)}` | {what} | {_s(cold, statistics.median)} | {_s(cold, max)} "
            f"| {_s(warm, statistics.median)} | {_s(warm, max)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Navigation → chiffres clés affichés, dans Chromium (local).")
    parser.add_argument("--rounds", type=int, default=3, help="liens par page (chacun dans un nouveau contexte)")
    parser.add_argument("--backends", type=int, default=0, help="processus Streamlit derrière nginx (0 : sans nginx)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} absent : installez chromium (apt-get install chromium).")
    with serving(args.backends) as (url, _pids):
        asyncio.run(warm_up(url))
        print(markdown(measure(url, args.rounds)))


if __name__ == "__main__":
    main()
