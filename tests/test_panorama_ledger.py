"""Drift ledger and slippage signal on hand-made trajectories (editions E0 … E6)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.panorama.drift import with_drift
from analytics.panorama.ledger import LEDGER_SCHEMA, is_slipping, project_ledger, with_ledger
from tests.panorama_frames import make_panorama_frame, real_panorama_with_drift

E = [date(y, m, 1) for y, m in ((2016, 11), (2017, 2), (2017, 6), (2017, 11), (2018, 3), (2018, 7), (2018, 11))]


def frame(trajectories: dict[str, list[tuple[int, dict]]]) -> pl.DataFrame:
    """{project: [(edition index, columns), ...]} -> canonical frame with drift columns."""
    rows = [
        {"edition": E[index], "project_id": project, "ministry_id": "m", **columns}
        for project, points in trajectories.items()
        for index, columns in points
    ]
    return with_drift(make_panorama_frame(rows).lazy()).collect()


def costs(*values: float | None) -> list[tuple[int, dict]]:
    return [(index, {"cost_meur": value}) for index, value in enumerate(values)]


def ledger_of(trajectories: dict[str, list[tuple[int, dict]]], project: str) -> pl.DataFrame:
    return with_ledger(frame(trajectories).lazy()).filter(pl.col("project_id") == project).sort("edition").collect()


def test_two_successive_rises_make_a_slip_a_stable_edition_resets_a_withheld_one_does_not() -> None:
    ledger = ledger_of({"up": costs(10, 11, 12.5, 12.5, None, 13, 14)}, "up")
    assert ledger["cost_step_meur"].to_list() == [None, 1.0, 1.5, 0.0, None, 0.5, 1.0]
    assert ledger["cost_step_since"].to_list() == [None, E[0], E[1], E[2], None, E[3], E[5]]
    assert ledger["cost_rise_streak"].to_list() == [0, 1, 2, 0, 0, 1, 2]
    assert ledger["slipping"].to_list() == [False, False, True, False, False, False, True]


def test_a_rise_counts_from_five_hundredths_of_a_million() -> None:
    ledger = ledger_of({"tiny": costs(10, 10.04, 10.09, 10.1, 10.2)}, "tiny")
    assert ledger["cost_rise_streak"].to_list() == [0, 0, 1, 0, 1]


def test_end_date_is_start_plus_duration_and_moves_with_either() -> None:
    points = [
        (0, {"start_date": date(2020, 1, 1), "duration_years": 2.0}),
        (1, {"start_date": date(2020, 1, 1), "duration_years": 2.5}),
        (2, {"start_date": date(2020, 3, 1), "duration_years": 2.5}),
        (3, {"start_date": date(2019, 9, 1), "duration_years": 3.0}),
        (4, {"start_date": date(2019, 9, 1), "duration_years": 3.75}),
        (5, {"start_date": None, "duration_years": 5.0}),
        (6, {"start_date": date(2019, 9, 1), "duration_years": 4.0}),
    ]
    ledger = ledger_of({"late": points}, "late")
    ends = [date(2022, 1, 1), date(2022, 7, 1), date(2022, 9, 1), date(2022, 9, 1), date(2023, 6, 1), None]
    assert ledger["end_date"].to_list() == [*ends, date(2023, 9, 1)]
    assert ledger["end_step_months"].to_list() == [None, 6, 2, 0, 9, None, 3]
    assert ledger["end_step_since"].to_list() == [None, E[0], E[1], E[2], E[3], None, E[4]]
    assert ledger["end_rise_streak"].to_list() == [0, 1, 2, 0, 1, 1, 2]
    assert ledger["duration_step_years"].to_list() == [None, 0.5, 0.0, 0.5, 0.75, 1.25, -1.0]
    assert ledger["slipping"].to_list() == [False, False, True, False, False, False, True]


def test_successive_appearances_are_compared_across_an_absence() -> None:
    ledger = ledger_of({"gap": [(0, {"cost_meur": 10.0}), (1, {"cost_meur": 11.0}), (3, {"cost_meur": 12.0})]}, "gap")
    assert ledger["cost_step_since"].to_list() == [None, E[0], E[1]]
    assert ledger["slipping"].to_list() == [False, False, True]


def test_falling_or_flat_projects_never_slip_and_rows_keep_their_order() -> None:
    projects = frame({"down": costs(20, 18, 18, 15), "up": costs(10, 11, 12, 13)})
    shuffled = projects.sample(fraction=1.0, shuffle=True, seed=7)
    ledger = with_ledger(shuffled.lazy()).collect()
    assert ledger.select("project_id", "edition").equals(shuffled.select("project_id", "edition"))
    assert ledger.filter(pl.col("project_id") == "down")["slipping"].any() is False
    assert dict(ledger.schema) == {**dict(projects.schema), **LEDGER_SCHEMA}


def test_slipping_filters_the_project_table_of_one_edition() -> None:
    projects = with_ledger(frame({"down": costs(20, 18, 18), "up": costs(10, 11, 12), "new": [(2, {})]}).lazy())
    table = projects.filter(pl.col("edition") == E[2])
    assert table.filter(is_slipping()).collect()["project_id"].to_list() == ["up"]
    assert projects.filter(pl.col("edition") == E[1]).filter(is_slipping()).collect().is_empty()


def test_project_ledger_steps_add_up_to_the_drift_since_first_publication() -> None:
    points = [
        (0, {"cost_meur": None, "duration_years": 3.0}),
        (1, {"cost_meur": 40.0, "duration_years": 3.0}),
        (2, {"cost_meur": 46.0, "duration_years": 4.0}),
        (3, {"cost_meur": 44.5, "duration_years": 4.5}),
        (4, {"cost_meur": None, "duration_years": None}),
    ]
    ledger = project_ledger(frame({"p": points}), "p")
    assert ledger is not None
    summary = ledger.summary
    assert (summary.first_cost_meur, summary.first_cost_edition) == (40.0, E[1])
    assert (summary.first_duration_years, summary.first_duration_edition) == (3.0, E[0])
    assert (summary.latest_edition, summary.latest_cost_meur, summary.latest_cost_edition) == (E[4], 44.5, E[3])
    assert summary.total_cost_change_meur == pytest.approx(4.5)
    assert summary.total_cost_change_meur == pytest.approx(ledger.entries["cost_step_meur"].sum())
    assert summary.total_budget_drift == pytest.approx(4.5 / 40)
    assert summary.total_duration_change_years == pytest.approx(1.5)
    assert summary.slipping is False
    assert ledger.entries["edition"].to_list() == E[:5]


def test_project_ledger_of_an_unknown_project_is_none() -> None:
    assert project_ledger(frame({"p": costs(1, 2)}), "absent") is None


def test_real_ledgers_add_up_for_every_project() -> None:
    projects = real_panorama_with_drift()
    ledger = with_ledger(projects.lazy()).collect()
    totals = ledger.group_by("project_id").agg(
        pl.col("cost_step_meur").sum().alias("steps"),
        pl.col("budget_drift_meur").drop_nulls().last().alias("drift"),
        pl.col("cost_meur").count().alias("published"),
    )
    published = totals.filter(pl.col("published") > 0)
    assert (published["steps"] - published["drift"]).abs().max() < 1e-9
    astrea = project_ledger(projects, "astrea")
    assert astrea is not None and astrea.summary.slipping


def test_nothing_leaks_from_one_project_to_the_next() -> None:
    """Sorted by project, "b" follows "a": its first published figures must not be compared with a's last."""
    projects = frame({"a": costs(10, 11, 12), "b": costs(None, 13, 14)})
    ledger = with_ledger(projects.lazy()).filter(pl.col("project_id") == "b").sort("edition").collect()
    assert ledger["cost_step_meur"].to_list() == [None, None, 1.0]
    assert ledger["cost_step_since"].to_list() == [None, None, E[1]]
    assert ledger["cost_rise_streak"].to_list() == [0, 0, 1]
