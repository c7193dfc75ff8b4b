"""The browser timing waits for each page's key figure by its label: the labels must be the ones the pages show,
or the load report would wait a minute and fail (it did once, after the frameworks page was rebuilt)."""

from __future__ import annotations

import pytest

from benchmarks.browser_timing import KEY_FIGURES
from tests.app_helpers import metrics, open_app

PAGE_OF_PATH = {
    "": "overview",
    "projets": "projects",
    "derives": "drift",
    "marches": "contracts",
    "simulations": "simulations",
    "donnees": "data",
}


@pytest.mark.parametrize("path", [p for p, (kind, _) in KEY_FIGURES.items() if kind == "metric"])
def test_each_awaited_key_figure_is_on_its_page(path: str) -> None:
    at = open_app(PAGE_OF_PATH[path])
    assert KEY_FIGURES[path][1] in metrics(at)


@pytest.mark.parametrize("path", [p for p, (kind, _) in KEY_FIGURES.items() if kind == "table"])
def test_each_awaited_table_is_on_its_page(path: str) -> None:
    assert open_app(PAGE_OF_PATH[path]).dataframe
