"""Movements between editions on a six-project panorama, hand-checked.

cost M€ per edition   2016   2017   2018            2019
  a                   10     12     15 (drift 0.5)  -          leaves after 2018, over 30 %
  b                   20     -      22              24         leaves in 2017 and comes back in 2018
  c                   -      5      5.5 (0.1)       -          leaves after 2018, under 30 %
  d (duration 2/2/2.5) 8     12     withheld        -          leaves withheld, last known drift 0.5
  e                   -      -      -               30         enters in 2019
  f                   50     50     50              50         always there
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import polars as pl
import pytest

from analytics.panorama.drift import with_drift
from analytics.panorama.movements import compute_movements, exit_watch
from tests.panorama_frames import (
    ED_2016,
    ED_2017,
    ED_2018,
    ED_2019,
    make_panorama_frame,
    real_panorama_with_drift,
)


def _trajectory(project: str, costs: dict[date, float | None], **by_edition: dict[date, Any]) -> list[dict[str, Any]]:
    return [
        {
            "edition": edition,
            "project_id": project,
            "cost_meur": cost,
            **{column: values[edition] for column, values in by_edition.items() if edition in values},
        }
        for edition, cost in costs.items()
    ]


@pytest.fixture(scope="module")
def panorama() -> pl.DataFrame:
    rows = [
        *_trajectory("a", {ED_2016: 10.0, ED_2017: 12.0, ED_2018: 15.0}, phase={ED_2018: "Déploiement"}),
        *_trajectory("b", {ED_2016: 20.0, ED_2018: 22.0, ED_2019: 24.0}, phase={ED_2016: "Cadrage"}),
        *_trajectory("c", {ED_2017: 5.0, ED_2018: 5.5}),
        *_trajectory(
            "d",
            {ED_2016: 8.0, ED_2017: 12.0, ED_2018: None},
            duration_years={ED_2016: 2.0, ED_2017: 2.0, ED_2018: 2.5},
            phase={ED_2018: "Conception / Réalisation"},
        ),
        *_trajectory("e", {ED_2019: 30.0}),
        *_trajectory("f", {ED_2016: 50.0, ED_2017: 50.0, ED_2018: 50.0, ED_2019: 50.0}),
    ]
    return with_drift(make_panorama_frame(rows).lazy()).collect()


def test_consecutive_editions(panorama: pl.DataFrame) -> None:
    moves = compute_movements(panorama, ED_2016, ED_2017)
    assert (moves.from_edition, moves.to_edition) == (ED_2016, ED_2017)
    assert moves.entrants.select("project_id", "cost_meur", "first_edition", "returning").rows() == [
        ("c", 5.0, ED_2017, False)
    ]
    assert moves.leavers.select(
        "project_id", "last_phase", "cost_meur", "last_known_cost_meur", "last_known_budget_drift"
    ).rows() == [("b", "Cadrage", 20.0, 20.0, 0.0)]
    assert moves.continuing.select(
        "project_id", "cost_from_meur", "cost_to_meur", "cost_change_meur", "cost_change"
    ).rows() == [
        ("d", 8.0, 12.0, 4.0, 0.5),
        ("a", 10.0, 12.0, 2.0, pytest.approx(0.2)),
        ("f", 50.0, 50.0, 0.0, 0.0),
    ]


def test_re_entrant_project_counts_as_entrant_and_is_flagged_returning(panorama: pl.DataFrame) -> None:
    moves = compute_movements(panorama, ED_2017, ED_2018)
    assert moves.entrants.select("project_id", "first_edition", "returning").rows() == [("b", ED_2016, True)]
    assert moves.leavers.height == 0
    assert moves.continuing["project_id"].to_list() == ["a", "c", "f", "d"]  # d's withheld change last
    d = moves.continuing.row(3, named=True)
    assert (d["cost_to_meur"], d["cost_change_meur"], d["budget_drift_to"]) == (None, None, None)


def test_non_consecutive_editions_compare_only_the_two(panorama: pl.DataFrame) -> None:
    moves = compute_movements(panorama, ED_2016, ED_2018)
    assert moves.entrants.select("project_id", "returning").rows() == [("c", False)]
    assert moves.leavers.height == 0
    assert sorted(moves.continuing["project_id"].to_list()) == ["a", "b", "d", "f"]


def test_leaver_with_withheld_cost_keeps_its_last_published_figures(panorama: pl.DataFrame) -> None:
    moves = compute_movements(panorama, ED_2018, ED_2019)
    assert moves.entrants["project_id"].to_list() == ["e"]
    leavers = moves.leavers.select(
        "project_id",
        "cost_meur",
        "last_known_cost_meur",
        "last_known_cost_edition",
        "last_known_budget_drift",
        "last_known_schedule_drift",
    ).rows()
    assert leavers == [
        ("a", 15.0, 15.0, ED_2018, 0.5, None),
        ("d", None, 12.0, ED_2017, 0.5, 0.25),
        ("c", 5.5, 5.5, ED_2018, pytest.approx(0.1), None),
    ]


def test_movements_need_an_earlier_then_later_edition(panorama: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"l'édition de départ \(2018-11-01\) doit précéder"):
        compute_movements(panorama, ED_2018, ED_2017)


def test_movements_of_an_empty_subset_are_empty(panorama: pl.DataFrame) -> None:
    moves = compute_movements(panorama.clear(), ED_2016, ED_2017)
    assert (moves.entrants.height, moves.leavers.height, moves.continuing.height) == (0, 0, 0)


def test_exit_watch_lists_leavers_over_threshold_only(panorama: pl.DataFrame) -> None:
    result = exit_watch(panorama, threshold=0.3)
    assert result.select(
        "project_id",
        "last_edition",
        "last_phase",
        "cost_withheld_at_exit",
        "last_known_cost_meur",
        "last_known_budget_drift",
        "last_known_schedule_drift",
    ).rows() == [
        ("a", ED_2018, "Déploiement", False, 15.0, 0.5, None),
        ("d", ED_2018, "Conception / Réalisation", True, 12.0, 0.5, 0.25),
    ]  # c left at 10 % drift, under the threshold; b came back


def test_exit_watch_threshold_is_strict(panorama: pl.DataFrame) -> None:
    assert exit_watch(panorama, threshold=0.5).height == 0


def test_exit_watch_of_a_subset_needs_the_panorama_latest_edition(panorama: pl.DataFrame) -> None:
    subset = panorama.filter(pl.col("project_id").is_in(["a", "c", "d"]))
    assert exit_watch(subset, threshold=0.3).height == 0  # the subset itself ends in 2018
    assert exit_watch(subset, threshold=0.3, latest_edition=ED_2019)["project_id"].to_list() == ["a", "d"]


def test_exit_watch_of_an_empty_frame_is_empty(panorama: pl.DataFrame) -> None:
    assert exit_watch(panorama.clear(), threshold=0.3).height == 0


def test_real_movements_balance_between_consecutive_editions() -> None:
    frame = real_panorama_with_drift()
    editions = frame["edition"].unique().sort().to_list()
    sizes = dict(frame.group_by("edition").len().rows())
    for earlier, later in pairwise(editions):
        moves = compute_movements(frame, earlier, later)
        assert moves.continuing.height + moves.leavers.height == sizes[earlier]
        assert moves.continuing.height + moves.entrants.height == sizes[later]


def test_real_exit_watch_lists_only_projects_absent_from_the_latest_edition() -> None:
    frame = real_panorama_with_drift()
    latest = frame["edition"].max()
    watched = exit_watch(frame, threshold=0.2)
    still_there = frame.filter(pl.col("edition") == latest)["project_id"]
    assert watched.height > 0
    assert watched.filter(pl.col("project_id").is_in(still_there.implode())).height == 0
    assert watched.filter(pl.col("last_edition") >= latest).height == 0
    assert (
        watched.filter((pl.col("last_known_budget_drift") > 0.2) | (pl.col("last_known_schedule_drift") > 0.2)).height
        == watched.height
    )
