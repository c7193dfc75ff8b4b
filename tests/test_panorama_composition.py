"""Like-for-like decomposition of the change of the average drift, on hand-computed frames.

Editions: 2016 (baselines), A = 2017, B = 2018. Budget drift = cost / first published cost - 1.
  p1  100 -> 120 (0.2) -> 130 (0.3)      continuing
  p2   50 ->  50 (0.0) ->  60 (0.2)      continuing
  p3             -     ->  40 (0.0)      entrant, first publication
  p4   10 ->     -     ->  17 (0.7)      entrant, returning
  p5   20 ->  30 (0.5) ->   -            leaver
  p6   10 ->  12 (0.2) ->  withheld      present in both, leaves the measured set
  p7   40 ->  withheld ->  44 (0.1)      present in both, enters the measured set
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import polars as pl
import pytest

from analytics.panorama.composition import (
    DriftChangeSplit,
    decompose_drift_change,
    decomposition_table,
    split_drift_change,
)
from analytics.panorama.drift import with_drift
from analytics.panorama.loading import load_headlines
from analytics.panorama.portfolio import OFFICIAL_SERIES_FR, summarise_portfolio
from tests.panorama_frames import (
    ED_2016,
    ED_2017,
    ED_2018,
    PANORAMA_DATA_DIR,
    make_panorama_frame,
    real_panorama_with_drift,
)

A, B = ED_2017, ED_2018
HISTORIES: dict[str, dict[date, float | None]] = {
    "p1": {ED_2016: 100, A: 120, B: 130},
    "p2": {ED_2016: 50, A: 50, B: 60},
    "p3": {B: 40},
    "p4": {ED_2016: 10, B: 17},
    "p5": {ED_2016: 20, A: 30},
    "p6": {ED_2016: 10, A: 12, B: None},
    "p7": {ED_2016: 40, A: None, B: 44},
}


def panorama(*projects: str) -> pl.DataFrame:
    rows = [
        {"edition": edition, "project_id": project, "ministry_id": "m", "cost_meur": cost}
        for project in projects
        for edition, cost in HISTORIES[project].items()
    ]
    return with_drift(make_panorama_frame(rows).lazy()).collect()


def split(frame: pl.DataFrame, statistic: str = "mean") -> DriftChangeSplit:
    return split_drift_change(frame, A, B, "budget_drift", statistic)


def assert_parts_sum(result: DriftChangeSplit) -> None:
    assert result.composition == pytest.approx(result.entrants_effect + result.leavers_effect, abs=1e-12)
    assert result.total_change == pytest.approx(result.like_for_like + result.composition, abs=1e-12)


def test_entrants_only_mean() -> None:
    result = split(panorama("p1", "p2", "p3", "p4"))
    assert result.from_value == pytest.approx(0.1)
    assert result.to_value == pytest.approx((0.3 + 0.2 + 0.0 + 0.7) / 4)
    assert result.total_change == pytest.approx(0.2)
    assert result.like_for_like == pytest.approx(0.25 - 0.1)
    assert result.entrants_effect == pytest.approx(0.3 - 0.25)
    assert result.leavers_effect == pytest.approx(0.0)
    assert (result.continuing_count, result.entrants_count, result.leavers_count) == (2, 2, 0)
    assert_parts_sum(result)


def test_entrants_only_cost_weighted() -> None:
    result = split(panorama("p1", "p2", "p3", "p4"), "cost_weighted")
    assert result.from_value == pytest.approx(24 / 170)
    assert result.to_value == pytest.approx((39 + 12 + 0 + 11.9) / (130 + 60 + 40 + 17))
    assert result.like_for_like == pytest.approx(51 / 190 - 24 / 170)
    assert result.entrants_effect == pytest.approx(62.9 / 247 - 51 / 190)
    assert result.leavers_effect == pytest.approx(0.0)
    assert_parts_sum(result)


def test_leavers_only_mean() -> None:
    result = split(panorama("p1", "p2", "p5"))
    assert result.from_value == pytest.approx(0.7 / 3)
    assert result.to_value == pytest.approx(0.25)
    assert result.like_for_like == pytest.approx(0.15)
    assert result.entrants_effect == pytest.approx(0.0)
    # p5 (0.5) left: without it the 2017 average would have been 0.1, so its exit lowered the mean.
    assert result.leavers_effect == pytest.approx(0.1 - 0.7 / 3)
    assert (result.continuing_count, result.entrants_count, result.leavers_count) == (2, 0, 1)
    assert_parts_sum(result)


def test_leavers_only_cost_weighted() -> None:
    result = split(panorama("p1", "p2", "p5"), "cost_weighted")
    assert result.from_value == pytest.approx((24 + 15) / 200)
    assert result.leavers_effect == pytest.approx(24 / 170 - 39 / 200)
    assert result.like_for_like == pytest.approx(51 / 190 - 24 / 170)
    assert_parts_sum(result)


def test_entrants_and_leavers_with_withheld_figures_mean() -> None:
    result = split(panorama("p1", "p2", "p3", "p4", "p5", "p6", "p7"))
    # Measured in A: p1 0.2, p2 0, p5 0.5, p6 0.2; in B: p1 0.3, p2 0.2, p3 0, p4 0.7, p7 0.1.
    assert result.from_value == pytest.approx(0.9 / 4)
    assert result.to_value == pytest.approx(1.3 / 5)
    assert (result.continuing_from, result.continuing_to) == (pytest.approx(0.1), pytest.approx(0.25))
    assert result.entrants_effect == pytest.approx(1.3 / 5 - 0.25)
    assert result.leavers_effect == pytest.approx(0.1 - 0.9 / 4)
    assert result.total_change == pytest.approx(1.3 / 5 - 0.9 / 4)
    assert result.model_dump(include={name for name in DriftChangeSplit.model_fields if name.endswith("_count")}) == {
        "continuing_count": 2,
        "entrants_count": 3,
        "newly_measured_count": 1,
        "leavers_count": 2,
        "no_longer_measured_count": 1,
    }
    assert_parts_sum(result)


def test_entrants_and_leavers_cost_weighted() -> None:
    result = split(panorama("p1", "p2", "p3", "p4", "p5", "p6", "p7"), "cost_weighted")
    from_sums = (24 + 0 + 15 + 2.4, 120 + 50 + 30 + 12)
    to_sums = (39 + 12 + 0 + 11.9 + 4.4, 130 + 60 + 40 + 17 + 44)
    assert result.from_value == pytest.approx(from_sums[0] / from_sums[1])
    assert result.to_value == pytest.approx(to_sums[0] / to_sums[1])
    assert result.like_for_like == pytest.approx(51 / 190 - 24 / 170)
    assert result.entrants_effect == pytest.approx(to_sums[0] / to_sums[1] - 51 / 190)
    assert result.leavers_effect == pytest.approx(24 / 170 - from_sums[0] / from_sums[1])
    assert_parts_sum(result)


def test_no_continuing_project_makes_the_whole_change_composition() -> None:
    result = split(panorama("p3", "p5"))
    assert (result.from_value, result.to_value) == (pytest.approx(0.5), pytest.approx(0.0))
    assert result.composition == pytest.approx(-0.5)
    assert (result.like_for_like, result.entrants_effect, result.leavers_effect) == (None, None, None)


def test_an_edition_without_measured_project_has_no_change() -> None:
    result = split(panorama("p3"))
    assert (result.from_value, result.total_change, result.composition) == (None, None, None)
    assert result.to_value == pytest.approx(0.0)


def test_schedule_drift_weighted_needs_the_cost_but_the_mean_does_not() -> None:
    rows = [
        {"edition": ED_2016, "project_id": "q1", "ministry_id": "m", "cost_meur": 10.0, "duration_years": 2.0},
        {"edition": A, "project_id": "q1", "ministry_id": "m", "cost_meur": 10.0, "duration_years": 3.0},
        {"edition": B, "project_id": "q1", "ministry_id": "m", "cost_meur": 10.0, "duration_years": 4.0},
        {"edition": ED_2016, "project_id": "q2", "ministry_id": "m", "cost_meur": None, "duration_years": 4.0},
        {"edition": B, "project_id": "q2", "ministry_id": "m", "cost_meur": None, "duration_years": 6.0},
    ]
    frame = with_drift(make_panorama_frame(rows).lazy()).collect()
    mean = split_drift_change(frame, A, B, "schedule_drift", "mean")
    weighted = split_drift_change(frame, A, B, "schedule_drift", "cost_weighted")
    assert (mean.from_value, mean.to_value, mean.entrants_count) == (pytest.approx(0.5), pytest.approx(0.75), 1)
    assert (mean.like_for_like, mean.entrants_effect) == (pytest.approx(0.5), pytest.approx(-0.25))
    assert (weighted.to_value, weighted.entrants_count, weighted.like_for_like) == (pytest.approx(1.0), 0, 0.5)


def test_decomposition_needs_an_earlier_then_later_edition() -> None:
    with pytest.raises(ValueError, match="doit précéder"):
        decompose_drift_change(panorama("p1"), B, A)


def test_decomposition_table_has_one_labelled_row_per_split() -> None:
    table = decomposition_table(decompose_drift_change(panorama("p3", "p5"), A, B))
    assert table.height == 4
    assert table.select("drift_label", "statistic_label").row(1) == (
        "Dérive budgétaire",
        "Moyenne pondérée par le coût",
    )
    assert table.schema["like_for_like"] == pl.Float64
    assert table["like_for_like"].null_count() == 4


@pytest.fixture(scope="module")
def real_editions_with_drift() -> pl.DataFrame:
    return real_panorama_with_drift()


def test_real_averages_match_the_portfolio_summary_and_parts_sum(real_editions_with_drift: pl.DataFrame) -> None:
    editions = real_editions_with_drift["edition"].unique().sort().to_list()
    headlines = load_headlines(PANORAMA_DATA_DIR)
    for earlier, later in pairwise(editions):
        result = decompose_drift_change(real_editions_with_drift, earlier, later, headlines)
        for edition, attribute in ((earlier, "from_value"), (later, "to_value")):
            summary = summarise_portfolio(real_editions_with_drift.filter(pl.col("edition") == edition), 0.2)
            for split_, stats in (
                (result.budget_mean, summary.budget_drift.mean),
                (result.budget_cost_weighted, summary.budget_drift.cost_weighted),
                (result.schedule_mean, summary.schedule_drift.mean),
                (result.schedule_cost_weighted, summary.schedule_drift.cost_weighted),
            ):
                assert getattr(split_, attribute) == pytest.approx(stats, abs=1e-12)
        for split_ in result.splits:
            assert_parts_sum(split_)
        assert result.official is not None and result.official.label == OFFICIAL_SERIES_FR
    official = decompose_drift_change(real_editions_with_drift, editions[0], editions[-1], headlines).official
    assert (official.budget_from, official.budget_to) == (0.32, 0.135)
