"""The overview's six key figures, shared by the page and the briefing, on a hand-checked panorama.

2016 -> 2017 (cost M€, duration years):
  p1 10, 2 -> 20, 3 (interministerial)   budget drift 1.0, schedule 0.5
  p2 100, 4 -> 110, 4                      budget drift 0.1, schedule 0.0
  p3 absent -> withheld cost, 5           budget drift unknown, schedule 0.0 (first publication)
"""

from __future__ import annotations

import polars as pl
import pytest

from analytics.formatting import NBSP
from analytics.key_figures import signed_delta
from analytics.panorama.drift import with_drift
from analytics.panorama.editions import official_figures
from analytics.panorama.key_figures import overview_key_figures
from analytics.panorama.portfolio import summarise_portfolio
from tests.panorama_frames import ED_2016, ED_2017, make_panorama_frame


@pytest.fixture(scope="module")
def summaries():
    rows = [
        {"edition": ED_2016, "project_id": "p1", "cost_meur": 10.0, "duration_years": 2.0, "interministerial": True},
        {"edition": ED_2016, "project_id": "p2", "cost_meur": 100.0, "duration_years": 4.0},
        {"edition": ED_2017, "project_id": "p1", "cost_meur": 20.0, "duration_years": 3.0, "interministerial": True},
        {"edition": ED_2017, "project_id": "p2", "cost_meur": 110.0, "duration_years": 4.0},
        {"edition": ED_2017, "project_id": "p3", "cost_meur": None, "duration_years": 5.0},
    ]
    frame = with_drift(make_panorama_frame(rows).lazy()).collect()
    now = summarise_portfolio(frame.filter(pl.col("edition") == ED_2017), 0.2)
    before = summarise_portfolio(frame.filter(pl.col("edition") == ED_2016), 0.2)
    return now, before


def test_values_and_deltas(summaries) -> None:
    now, before = summaries
    figures = {f.label: (f.value, f.delta) for f in overview_key_figures(now, before, None)}
    assert figures == {
        "Projets suivis": ("3", "+1"),
        "Coût total estimé": (f"130,0{NBSP}M€", f"+20,0{NBSP}M€"),
        "Durée moyenne": (f"4,0{NBSP}ans", f"+1,0{NBSP}an"),
        "Écart budgétaire moyen": (f"55,0{NBSP}%", f"+55,0{NBSP}pt"),
        "Écart calendaire moyen": (f"16,7{NBSP}%", f"+16,7{NBSP}pt"),
        "Projets interministériels": ("1", "0"),
    }


def test_without_comparison_no_delta_and_withheld_cost_said(summaries) -> None:
    now, _ = summaries
    figures = overview_key_figures(now, None, None)
    assert all(f.delta is None for f in figures)
    assert "1 projet(s) sans coût publié" in figures[1].help


def test_official_figure_only_in_help(summaries) -> None:
    now, before = summaries
    headlines = pl.DataFrame({"edition": [ED_2017], "avg_budget_drift": [0.25], "avg_schedule_drift": [0.4]})
    official = official_figures(headlines, ED_2017)
    budget = overview_key_figures(now, before, official)[3]
    assert budget.value == f"55,0{NBSP}%"
    assert f"Chiffre officiel DINUM de l'édition : 25,0{NBSP}%" in budget.help
    assert official_figures(headlines, ED_2016) is None


def test_signed_delta_unknown_side() -> None:
    assert signed_delta(None, 1.0, str) is None
    assert signed_delta(2.0, None, str) is None
    assert signed_delta(1.0, 3.0, lambda d: f"{d:g}") == "-2"


def test_a_figure_no_project_publishes_reads_non_publie() -> None:
    frame = with_drift(make_panorama_frame([{"edition": ED_2016, "project_id": "p1", "cost_meur": None}]).lazy())
    summary = summarise_portfolio(frame.collect(), 0.2)
    shown = {f.label: f.value for f in overview_key_figures(summary, None, None)}
    assert shown["Coût total estimé"] == shown["Écart budgétaire moyen"] == "non publié"
    assert "–" not in shown.values()
