"""Drift since first publication: hand-checked trajectories, then invariants on the shipped data."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from analytics.panorama.drift import exceeds_threshold, with_drift
from analytics.panorama.schema import DRIFT_SCHEMA, PROJECT_EDITION_SCHEMA
from tests.panorama_frames import (
    ED_2016,
    ED_2017,
    ED_2018,
    ED_2019,
    make_panorama_frame,
    real_panorama_with_drift,
)


def _drifted(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return with_drift(make_panorama_frame(rows).lazy()).collect().sort("project_id", "edition")


def _column(frame: pl.DataFrame, project_id: str, column: str) -> list[Any]:
    return frame.filter(pl.col("project_id") == project_id)[column].to_list()


def _approx(values: list[float | None]) -> list[Any]:
    return [None if value is None else pytest.approx(value) for value in values]


def test_baseline_is_first_published_figure_when_first_edition_withheld() -> None:
    frame = _drifted(
        [
            {"edition": ED_2016, "project_id": "a", "cost_meur": None, "duration_years": None},
            {"edition": ED_2017, "project_id": "a", "cost_meur": 10.0, "duration_years": 2.0},
            {"edition": ED_2018, "project_id": "a", "cost_meur": 15.0, "duration_years": 3.0},
            {"edition": ED_2019, "project_id": "a", "cost_meur": 12.0, "duration_years": None},
        ]
    )
    assert _column(frame, "a", "baseline_cost_meur") == [None, 10.0, 10.0, 10.0]
    assert _column(frame, "a", "baseline_cost_edition") == [None, ED_2017, ED_2017, ED_2017]
    assert _column(frame, "a", "budget_drift") == _approx([None, 0.0, 0.5, 0.2])
    assert _column(frame, "a", "budget_drift_meur") == [None, 0.0, 5.0, 2.0]
    assert _column(frame, "a", "previous_edition") == [None, ED_2016, ED_2017, ED_2018]
    assert _column(frame, "a", "cost_change_meur") == [None, None, 5.0, -3.0]
    assert _column(frame, "a", "budget_drift_change") == _approx([None, None, 0.5, -0.3])
    assert _column(frame, "a", "baseline_duration_years") == [None, 2.0, 2.0, 2.0]
    assert _column(frame, "a", "baseline_duration_edition") == [None, ED_2017, ED_2017, ED_2017]
    assert _column(frame, "a", "schedule_drift") == _approx([None, 0.0, 0.5, None])
    assert _column(frame, "a", "duration_change_years") == [None, None, 1.0, None]
    assert _column(frame, "a", "schedule_drift_change") == _approx([None, None, 0.5, None])


def test_withheld_mid_trajectory_is_null_and_next_edition_compares_to_baseline() -> None:
    frame = _drifted(
        [
            {"edition": ED_2016, "project_id": "b", "cost_meur": 20.0},
            {"edition": ED_2017, "project_id": "b", "cost_meur": None},
            {"edition": ED_2018, "project_id": "b", "cost_meur": 30.0},
        ]
    )
    assert _column(frame, "b", "baseline_cost_meur") == [20.0, 20.0, 20.0]
    assert _column(frame, "b", "budget_drift") == _approx([0.0, None, 0.5])
    assert _column(frame, "b", "budget_drift_meur") == [0.0, None, 10.0]
    assert _column(frame, "b", "cost_change_meur") == [None, None, None]
    assert _column(frame, "b", "budget_drift_change") == [None, None, None]


def test_zero_baseline_gives_null_drift_not_infinity() -> None:
    frame = _drifted(
        [
            {"edition": ED_2016, "project_id": "c", "cost_meur": 0.0},
            {"edition": ED_2017, "project_id": "c", "cost_meur": 5.0},
        ]
    )
    assert _column(frame, "c", "baseline_cost_meur") == [0.0, 0.0]
    assert _column(frame, "c", "budget_drift") == [None, None]
    assert _column(frame, "c", "budget_drift_meur") == [0.0, 5.0]
    assert _column(frame, "c", "cost_change_meur") == [None, 5.0]


def test_previous_appearance_skips_editions_where_the_project_was_absent() -> None:
    frame = _drifted(
        [
            {"edition": ED_2016, "project_id": "d", "cost_meur": 10.0},
            {"edition": ED_2018, "project_id": "d", "cost_meur": 12.0},
        ]
    )
    assert _column(frame, "d", "previous_edition") == [None, ED_2016]
    assert _column(frame, "d", "cost_change_meur") == [None, 2.0]
    assert _column(frame, "d", "budget_drift_change") == _approx([None, 0.2])


def test_row_order_and_other_projects_do_not_change_a_project_trajectory() -> None:
    rows = [
        {"edition": ED_2018, "project_id": "e", "cost_meur": 8.0},
        {"edition": ED_2016, "project_id": "f", "cost_meur": 100.0},
        {"edition": ED_2016, "project_id": "e", "cost_meur": 4.0},
        {"edition": ED_2017, "project_id": "f", "cost_meur": 50.0},
        {"edition": ED_2017, "project_id": "e", "cost_meur": 5.0},
    ]
    frame = _drifted(rows)
    assert _column(frame, "e", "budget_drift") == _approx([0.0, 0.25, 1.0])
    assert _column(frame, "e", "cost_change_meur") == [None, 1.0, 3.0]
    assert _column(frame, "f", "budget_drift") == _approx([0.0, -0.5])
    assert _column(frame, "f", "previous_edition") == [None, ED_2016]


def test_schema_is_canonical_plus_drift_columns_even_when_empty() -> None:
    result = with_drift(make_panorama_frame([]).lazy())
    assert isinstance(result, pl.LazyFrame)
    assert dict(result.collect_schema()) == {**PROJECT_EDITION_SCHEMA, **DRIFT_SCHEMA}
    assert result.collect().height == 0


def test_exceeds_threshold_is_strict_despite_float_noise() -> None:
    drifts = pl.DataFrame({"drift": [110 / 100 - 1, 0.11, None]})
    assert drifts.select(exceeds_threshold(pl.col("drift"), 0.1))["drift"].to_list() == [False, True, None]


def test_real_panorama_drift_invariants() -> None:
    frame = real_panorama_with_drift()
    assert frame.select("edition", "project_id").is_duplicated().sum() == 0
    nonzero_baseline = pl.col("baseline_cost_meur") != 0
    at_baseline = frame.filter(pl.col("edition") == pl.col("baseline_cost_edition"), nonzero_baseline)
    assert at_baseline.height == frame.filter(nonzero_baseline)["project_id"].n_unique()
    assert at_baseline["budget_drift"].to_list() == [0.0] * at_baseline.height
    assert frame.filter(pl.col("cost_meur").is_null(), pl.col("budget_drift").is_not_null()).height == 0
    assert frame.filter(pl.col("baseline_cost_edition") > pl.col("edition")).height == 0
    assert frame.filter(pl.col("previous_edition") >= pl.col("edition")).height == 0
