"""The shared view cache: one computation per (data version, view, name), never a result of another view or of
another session's own data, and pages identical with and without it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics.formatting import format_eur_as_meur
from pages.common import view_cache
from pages.common.import_panel import REPLACE
from tests.app_helpers import PAGES, metrics, open_app
from tests.import_steps import answer_overlap, check_file, click
from tests.official_formats import shipped_table
from tests.test_app_contracts import GOOD_LEDGER, GOOD_LEDGER_LOT1_EUR, LOT1, committed, upload

NOVEMBER = date(2021, 11, 1)


@pytest.fixture(autouse=True)
def empty_cache():
    view_cache.clear()
    yield
    view_cache.clear()


def _counter() -> tuple[list[str], object]:
    calls: list[str] = []

    def compute(label: str):
        def run() -> str:
            calls.append(label)
            return label

        return run

    return calls, compute


def test_a_view_is_computed_once_and_each_key_part_separates_results() -> None:
    calls, compute = _counter()
    assert view_cache.memo("shipped", "overview?edition=2021-11", "spec:a", compute("first")) == "first"
    assert view_cache.memo("shipped", "overview?edition=2021-11", "spec:a", compute("again")) == "first"
    assert view_cache.memo("session:1", "overview?edition=2021-11", "spec:a", compute("own data")) == "own data"
    assert view_cache.memo("shipped", "overview?edition=2021-07", "spec:a", compute("other view")) == "other view"
    assert view_cache.memo("shipped", "overview?edition=2021-11", "spec:b", compute("other chart")) == "other chart"
    assert calls == ["first", "own data", "other view", "other chart"]


def test_sessions_asking_at_the_same_moment_compute_once_and_a_failure_is_not_kept() -> None:
    started, release, calls = threading.Event(), threading.Event(), []

    def slow() -> str:
        calls.append("computed")
        started.set()
        release.wait(5)
        return "figures"

    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(view_cache.memo, "shipped", "overview", "kpi", slow)
        started.wait(5)
        others = [pool.submit(view_cache.memo, "shipped", "overview", "kpi", slow) for _ in range(3)]
        release.set()
        assert [first.result(), *(f.result() for f in others)] == ["figures"] * 4
    assert calls == ["computed"]

    def broken() -> str:
        raise ValueError("no data")

    with pytest.raises(ValueError):
        view_cache.memo("shipped", "overview", "broken", broken)
    assert view_cache.memo("shipped", "overview", "broken", lambda: "recovered") == "recovered"


def test_entries_are_bounded_least_recently_used_first(monkeypatch) -> None:
    monkeypatch.setattr(view_cache, "MAX_ENTRIES", 2)
    calls, compute = _counter()
    view_cache.memo("shipped", "a", "x", compute("a"))
    view_cache.memo("shipped", "b", "x", compute("b"))
    view_cache.memo("shipped", "a", "x", compute("a again"))  # used: b is now the oldest
    view_cache.memo("shipped", "c", "x", compute("c"))
    view_cache.memo("shipped", "a", "x", compute("a kept"))
    view_cache.memo("shipped", "b", "x", compute("b evicted"))
    assert calls == ["a", "b", "c", "b evicted"]


def test_the_switch_turns_the_cache_off(monkeypatch) -> None:
    monkeypatch.setenv(view_cache.ENV_SWITCH, "0")
    calls, compute = _counter()
    view_cache.memo("shipped", "overview", "spec:a", compute("one"))
    view_cache.memo("shipped", "overview", "spec:a", compute("two"))
    assert calls == ["one", "two"]


def _shown(at: AppTest) -> dict[str, object]:
    """What a visitor reads: figures, texts, the tables' cells and the charts' specs."""
    assert not at.exception
    charts = [str(element.proto) for element in at.get("vega_lite_chart")]
    tables = [frame.value.to_csv() for frame in (*at.dataframe, *at.table)]
    assert charts and tables, "the views compared show charts and tables"
    words = [str(element.value) for element in (*at.markdown, *at.caption, *at.subheader)]
    return {"metrics": metrics(at), "texts": words, "tables": tables, "charts": charts}


VIEWS = [
    ("overview", {"edition": "2021-11", "ministere": "interieur"}),
    ("overview", {"edition": "2021-11", "ministere": "justice"}),
    ("drift", {"edition": "2019-03", "seuil": "15"}),
    ("drift", {"edition": "2019-03"}),
]


def test_pages_are_the_same_with_and_without_the_cache_and_views_never_mix(monkeypatch) -> None:
    monkeypatch.setenv(view_cache.ENV_SWITCH, "0")
    uncached = [_shown(open_app(page, params)) for page, params in VIEWS]
    monkeypatch.setenv(view_cache.ENV_SWITCH, "1")
    cached = [_shown(open_app(page, params)) for page, params in VIEWS]
    served_again = [_shown(open_app(page, params)) for page, params in VIEWS]
    assert cached == uncached
    assert served_again == uncached
    assert uncached[0]["metrics"] != uncached[1]["metrics"], "two ministries, two portfolios"
    assert uncached[2]["tables"] != uncached[3]["tables"], "two thresholds, two tables"


def test_an_edition_imported_by_one_session_is_never_served_to_another(tmp_path, monkeypatch) -> None:
    """Session A replaces 2021-11 by a 20-project table for itself; B, on the same link, sees the shipped one."""
    monkeypatch.setenv("PANORAMA_STORE_DIR", str(tmp_path / "magasin"))
    link = {"edition": "2021-11"}
    monkeypatch.setenv(view_cache.ENV_SWITCH, "0")
    shipped = _shown(open_app("overview", link))
    monkeypatch.setenv(view_cache.ENV_SWITCH, "1")
    assert _shown(open_app("overview", link)) == shipped, "the shared view is cached"

    own = open_app("data")
    check_file(own, "panorama_reduit.csv", shipped_table("2021-11").head(20).write_csv().encode(), NOVEMBER)
    answer_overlap(own, REPLACE)
    click(own, "Utiliser pour cette session")
    for name, value in link.items():
        own.query_params[name] = value
    own.switch_page(PAGES["overview"]).run()
    assert metrics(own)["Projets suivis"] == "20", "the session's own edition"

    assert _shown(open_app("overview", link)) == shipped, "another session still sees the shipped edition"


def test_an_orders_ledger_uploaded_by_one_session_is_never_served_to_another(monkeypatch) -> None:
    """The frameworks page is shared while its sources are; a session's own ledger makes its own version."""
    monkeypatch.setenv(view_cache.ENV_SWITCH, "1")
    shared = _shown(open_app("contracts"))
    own = open_app("contracts")
    upload(own, "orders_file_0", "registre.csv", GOOD_LEDGER)
    assert committed(own, LOT1) == format_eur_as_meur(GOOD_LEDGER_LOT1_EUR), "the session's own ledger"
    other = open_app("contracts")
    assert _shown(other) == shared and committed(other, LOT1) != committed(own, LOT1)
