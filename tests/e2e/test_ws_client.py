"""The websocket load-test client sees what a browser sees: same page, same figures, no exception.

No browser needed: the client speaks Streamlit's protocol to a server of our own on the loopback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.ws_load_test import MEETING_FILTERS, PAGES, RenderedPage, load_page, meeting
from tests.e2e.server import running_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_app() as (url, _pid):
        yield url


def _open(base_url: str, page_name: str, query_string: str) -> RenderedPage:
    # Playwright's sync API may still hold this thread's event loop (browser tests run first): own thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, load_page(base_url, page_name, query_string, timeout=120)).result()


def test_overview_of_first_edition_counts_its_57_projects(base_url: str) -> None:
    # November 2016 panorama: 57 projects, the figure a browser shows for `/?edition=2016-11`.
    overview = _open(base_url, "", "edition=2016-11")
    assert overview.headings[0] == "Vue d'ensemble"
    assert overview.metrics["Projets suivis"] == "57"
    assert overview.exceptions == []
    assert not overview.page_not_found


def test_page_name_selects_the_page_and_unknown_pages_are_reported(base_url: str) -> None:
    projects = _open(base_url, "projets", "ministere=interieur")
    assert projects.headings[0] == "Projets"
    assert not projects.page_not_found
    assert projects.exceptions == []
    assert _open(base_url, "nulle-part", "").page_not_found


def test_a_meeting_opens_every_link_together_and_everyone_gets_the_page(base_url: str) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        together = pool.submit(asyncio.run, meeting(base_url, sessions=3, timeout=120)).result()
    assert together.errors == [] and together.timeouts == [] and together.exceptions == []
    assert {page: len(times) for page, times in together.timings.items()} == {
        page: 3 * len(MEETING_FILTERS) for page in PAGES
    }
