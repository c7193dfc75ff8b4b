"""Bounded load test: N concurrent browser sessions loop over the pages and filters of a local server.

    uv run python -m benchmarks.load_test --sessions 20 --duration 60

One Chromium, one context per session, a server of our own on a free loopback port; each session stops at
the deadline or after --max-iterations pages. Reports the time to a rendered page (title drawn, run over),
errors (Streamlit exceptions, timeouts) and the server's resident memory before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, rss_kib, running_app

VIEWS = [
    "/?edition=2021-11",
    "/projets?ministere=interieur",
    "/derives?seuil=30",
    "/marches",
    "/simulations",
    "/donnees",
    "/?edition=2018-03&phase=deploiement",
    "/?q=identite",
    "/projets?tranche=plus-100&inter=1",
    "/derives?edition=2019-03&ministere=armees",
]
RENDER_TIMEOUT_MS = 60_000


@dataclass
class Outcome:
    timings: list[float] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)


async def _session(browser, base_url: str, index: int, deadline: float, max_iterations: int, out: Outcome) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    try:
        for iteration in range(max_iterations):
            if time.monotonic() >= deadline:
                break
            view = VIEWS[(index + iteration) % len(VIEWS)]
            started = time.perf_counter()
            try:
                await page.goto(base_url + view, timeout=RENDER_TIMEOUT_MS)
                await page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=RENDER_TIMEOUT_MS)
                await expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=RENDER_TIMEOUT_MS)
            except (PlaywrightTimeout, AssertionError):
                out.timeouts.append(view)
                continue
            out.timings.append(time.perf_counter() - started)
            if await page.get_by_test_id("stException").count():
                out.exceptions.append(view)
    finally:
        await context.close()


async def run(sessions: int, duration: float, max_iterations: int) -> dict[str, float | int | None]:
    from playwright.async_api import async_playwright

    with running_app() as (base_url, pid):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                warm = await browser.new_page()  # first run loads and caches the data: not part of the figures
                await warm.goto(base_url + VIEWS[0])
                await warm.locator("[data-testid='stMain'] h1").first.wait_for(timeout=120_000)
                await warm.close()
                rss_before = rss_kib(pid)
                out = Outcome()
                deadline = time.monotonic() + duration
                started = time.monotonic()
                await asyncio.gather(
                    *(_session(browser, base_url, i, deadline, max_iterations, out) for i in range(sessions))
                )
                elapsed = time.monotonic() - started
                rss_after = rss_kib(pid)
            finally:
                await browser.close()
    timings = sorted(out.timings)
    return {
        "sessions": sessions,
        "elapsed_s": round(elapsed, 1),
        "pages_rendered": len(timings),
        "median_s": round(statistics.median(timings), 2) if timings else None,
        "p95_s": round(timings[min(len(timings) - 1, int(0.95 * len(timings)))], 2) if timings else None,
        "max_s": round(timings[-1], 2) if timings else None,
        "exceptions": len(out.exceptions),
        "timeouts": len(out.timeouts),
        "rss_before_mib": rss_before and round(rss_before / 1024),
        "rss_after_mib": rss_after and round(rss_after / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Test de charge borné de l'application (serveur local).")
    parser.add_argument("--sessions", type=int, default=20, help="sessions de navigateur simultanées")
    parser.add_argument("--duration", type=float, default=60.0, help="durée en secondes")
    parser.add_argument("--max-iterations", type=int, default=200, help="pages au plus par session")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} absent : installez chromium (apt-get install chromium).")
    figures = asyncio.run(run(args.sessions, args.duration, args.max_iterations))
    for key, value in figures.items():
        print(f"{key:>16} : {value}")


if __name__ == "__main__":
    main()
