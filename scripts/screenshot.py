"""Write docs/screenshot-overview.png (shown in the README): the overview page at 1400×900, latest edition.

uv run python -m scripts.screenshot
"""

from __future__ import annotations

from playwright.sync_api import expect, sync_playwright

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, running_app

OUTPUT = REPO_ROOT / "docs" / "screenshot-overview.png"


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with running_app() as (url, _pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url + "/")
            page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
            page.locator("[data-testid='stVegaLiteChart'], [data-testid='stArrowVegaLiteChart']").first.wait_for(
                timeout=120_000
            )
            page.screenshot(path=str(OUTPUT))
        finally:
            browser.close()
    print(f"{OUTPUT.relative_to(REPO_ROOT)} : {OUTPUT.stat().st_size // 1024} Ko")


if __name__ == "__main__":
    main()
