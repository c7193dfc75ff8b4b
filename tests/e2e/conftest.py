"""One Streamlit server and one Chromium for the whole e2e session; a fresh browser context per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, running_app

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} absent : tests de bout en bout ignorés (apt-get install chromium).")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with running_app(log_path=SCREENSHOTS.parent / "streamlit-e2e.log") as (url, _pid):
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the session, shared by the tests of the app and of the small helpers app."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} absent : tests de bout en bout ignorés (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, app_url: str) -> Iterator[object]:
    """A new visitor (own cookies, own Streamlit session), dialogs recorded in `page.dialogs`."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshots() -> Path:
    return SCREENSHOTS
