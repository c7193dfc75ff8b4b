"""Two Streamlit processes behind nginx (scripts/serve_multi.py): sticky visitors, both backends serving pages.

No browser: the websocket client of benchmarks.ws_load_test speaks Streamlit's protocol, with or without the
sticky cookie; nginx names the backend that served each response (`backend_header`).
"""

from __future__ import annotations

import asyncio
import os
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.ws_load_test import RenderedPage, load_page
from scripts.serve_multi import BACKEND_HEADER, STICKY_COOKIE, Cluster, nginx_binary, running_cluster

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if nginx_binary() is None:
        pytest.skip("nginx absent (apt-get install nginx) : service à plusieurs processus non testé.")
    with running_cluster(2, backend_header=True) as running:
        yield running


def _get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(backend that answered, Set-Cookie header) of a plain HTTP request."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers[BACKEND_HEADER], response.headers.get("Set-Cookie")


def _open_all(base_url: str, visits: list[tuple[str, str, str]]) -> list[RenderedPage]:
    """Pages opened at the same time, one websocket session each: (page, query, cookie)."""

    async def together() -> list[RenderedPage]:
        pages = (load_page(base_url, page, query, 120, headers={"Cookie": cookie}) for page, query, cookie in visits)
        return await asyncio.gather(*pages)

    # Playwright's sync API may still hold this thread's event loop (browser tests run first): own thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, together()).result()


def test_a_new_visitor_gets_a_cookie_that_keeps_it_on_one_backend(cluster: Cluster) -> None:
    backend, set_cookie = _get(cluster.url + "/")
    assert set_cookie is not None and set_cookie.startswith(f"{STICKY_COOKIE}=")
    cookie = set_cookie.split(";", 1)[0]
    assert {_get(cluster.url + "/_stcore/health", cookie)[0] for _ in range(8)} == {backend}
    assert _get(cluster.url + "/", cookie)[1] is None  # no new cookie once the visitor has one
    (overview,) = _open_all(cluster.url, [("", "edition=2016-11", cookie)])
    assert overview.backend == backend  # the websocket follows the visitor's cookie
    assert overview.metrics["Projets suivis"] == "57"


def test_new_visitors_are_placed_in_turn_and_both_backends_serve(cluster: Cluster) -> None:
    cookies = {}
    for _ in range(4):  # least connections, ties in turn: two backends among four new visitors
        backend, set_cookie = _get(cluster.url + "/")
        cookies.setdefault(backend, set_cookie.split(";", 1)[0])
    assert set(cookies) == {url.removeprefix("http://") for url in cluster.backend_urls}
    (first, cookie_a), (second, cookie_b) = cookies.items()
    pages = _open_all(cluster.url, [("", "edition=2016-11", cookie_a), ("projets", "ministere=interieur", cookie_b)])
    assert [page.backend for page in pages] == [first, second]
    assert pages[0].metrics["Projets suivis"] == "57"
    assert pages[1].headings[0] == "Projets"
    assert all(page.exceptions == [] and not page.page_not_found for page in pages)


def test_sessions_open_at_once_are_split_evenly(cluster: Cluster) -> None:
    """Twenty sessions without a cookie (a meeting): least connections gives each backend ten, where a random
    spread gives 14 / 6 or worse one time in ten."""
    pages = _open_all(cluster.url, [("projets", "edition=2016-11", "")] * 20)
    counts = Counter(page.backend for page in pages)
    assert sorted(counts.values()) == [10, 10], counts


@pytest.mark.parametrize("cookie", [f"{STICKY_COOKIE}=backend_9", f"{STICKY_COOKIE}=127.0.0.1:1", f"{STICKY_COOKIE}="])
def test_a_cookie_naming_no_backend_is_a_new_visitor(cluster: Cluster, cookie: str) -> None:
    backend, set_cookie = _get(cluster.url + "/", cookie)
    assert backend in {url.removeprefix("http://") for url in cluster.backend_urls}
    assert set_cookie is not None and set_cookie.startswith(f"{STICKY_COOKIE}=backend_")
    assert {_get(cluster.url + "/_stcore/health", set_cookie.split(";", 1)[0])[0] for _ in range(4)} == {backend}


def test_shutdown_stops_every_process_and_removes_the_config() -> None:
    if nginx_binary() is None:
        pytest.skip("nginx absent (apt-get install nginx).")
    with running_cluster(1) as running:
        pids, run_dir = running.pids(), running.run_dir
        assert (run_dir / "nginx.conf").exists()
    assert not run_dir.exists()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
