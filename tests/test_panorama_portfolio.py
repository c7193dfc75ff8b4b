"""Portfolio aggregates on a five-project panorama whose figures are checked by hand.

2016 -> 2017 (cost M€, duration years):
  p1 m1 Intérieur  10, 2 -> 20, 3   budget drift 1.0, schedule 0.5, Déploiement, interministerial
  p2 m1 Intérieur 100, 4 -> 110, 4  budget drift 0.1, schedule 0.0, Cadrage
  p3 m2 Justice     4, - ->  4, -   budget drift 0.0, schedule -,   Cadrage
  p4 m2 Justice         -> withheld, 5   (2017 only) schedule 0.0, no phase, no zone
  p5 m3 Armées          ->  6, 2    (2017 only) budget 0.0, schedule 0.0, Terminé, interministerial
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from analytics.panorama.drift import with_drift
from analytics.panorama.portfolio import (
    COMPUTED_SERIES_FR,
    OFFICIAL_SERIES_FR,
    average_drift_history,
    breakdown,
    drift_by_ministry,
    largest_drifts,
    ministry_phase_counts,
    summarise_portfolio,
    trajectory,
    trajectory_with_official,
)
from analytics.panorama.schema import HEADLINE_SCHEMA
from tests.panorama_frames import (
    ED_2016,
    ED_2017,
    ED_2018,
    PANORAMA_DATA_DIR,
    make_panorama_frame,
    real_panorama_with_drift,
)

LABELS = {"m1": "Intérieur", "m2": "Justice", "m3": "Armées"}
DEFINITIONS = {ED_2016: "Coût estimé", ED_2017: "Coût complet estimé"}


def _row(
    edition: Any, project: str, ministry: str, cost: float | None, duration: float | None, **rest: Any
) -> dict[str, Any]:
    return {
        "edition": edition,
        "project_id": project,
        "ministry_id": ministry,
        "ministry_label": LABELS[ministry],
        "cost_meur": cost,
        "duration_years": duration,
        "cost_definition": DEFINITIONS[edition],
        **rest,
    }


@pytest.fixture(scope="module")
def panorama() -> pl.DataFrame:
    rows = [
        _row(ED_2016, "p1", "m1", 10.0, 2.0, phase="Cadrage", interministerial=True),
        _row(ED_2016, "p2", "m1", 100.0, 4.0, phase="Cadrage"),
        _row(ED_2016, "p3", "m2", 4.0, None, phase="Cadrage"),
        _row(ED_2017, "p1", "m1", 20.0, 3.0, phase="Déploiement", interministerial=True),
        _row(ED_2017, "p2", "m1", 110.0, 4.0, phase="Cadrage", functional_zone="Social"),
        _row(ED_2017, "p3", "m2", 4.0, None, phase="Cadrage", functional_zone="Fiscalité"),
        _row(ED_2017, "p4", "m2", None, 5.0),
        _row(ED_2017, "p5", "m3", 6.0, 2.0, phase="Terminé", interministerial=True, functional_zone="Social"),
    ]
    rows[3]["functional_zone"] = "Fiscalité"
    return with_drift(make_panorama_frame(rows).lazy()).collect()


@pytest.fixture(scope="module")
def edition_2017(panorama: pl.DataFrame) -> pl.DataFrame:
    return panorama.filter(pl.col("edition") == ED_2017)


def test_summary_counts_costs_and_withheld(edition_2017: pl.DataFrame) -> None:
    summary = summarise_portfolio(edition_2017, drift_threshold=0.05)
    assert summary.edition == ED_2017
    assert summary.cost_definition == "Coût complet estimé"
    assert summary.project_count == 5
    assert summary.interministerial_count == 2
    assert summary.total_cost_meur == 140.0
    assert summary.projects_with_cost == 4
    assert summary.projects_withheld_cost == 1
    assert summary.mean_duration_years == 3.5


def test_cost_weighted_drift_differs_from_mean(edition_2017: pl.DataFrame) -> None:
    budget = summarise_portfolio(edition_2017, drift_threshold=0.05).budget_drift
    assert budget.mean == pytest.approx(1.1 / 4)  # (1.0 + 0.1 + 0 + 0) / 4
    assert budget.median == pytest.approx(0.05)  # between 0.0 and 0.1
    assert budget.cost_weighted == pytest.approx(31 / 140)  # (20 x 1.0 + 110 x 0.1) / 140


def test_schedule_drift_weights_ignore_withheld_costs(edition_2017: pl.DataFrame) -> None:
    schedule = summarise_portfolio(edition_2017, drift_threshold=0.05).schedule_drift
    assert schedule.known_count == 4  # p1, p2, p4, p5; p3 never published a duration
    assert schedule.mean == pytest.approx(0.5 / 4)
    assert schedule.median == 0.0
    assert schedule.cost_weighted == pytest.approx(10 / 136)  # p4 has no cost: 20 x 0.5 / (20 + 110 + 6)


def test_threshold_share_is_over_projects_with_known_drift(edition_2017: pl.DataFrame) -> None:
    summary = summarise_portfolio(edition_2017, drift_threshold=0.05)
    assert (summary.budget_drift.over_threshold_count, summary.budget_drift.known_count) == (2, 4)
    assert summary.budget_drift.over_threshold_share == 0.5
    assert (summary.schedule_drift.over_threshold_count, summary.schedule_drift.known_count) == (1, 4)
    assert summary.schedule_drift.over_threshold_share == 0.25


def test_drift_equal_to_threshold_does_not_exceed_it(edition_2017: pl.DataFrame) -> None:
    budget = summarise_portfolio(edition_2017, drift_threshold=0.1).budget_drift
    assert budget.over_threshold_count == 1
    assert budget.over_threshold_share == 0.25


def test_empty_subset_gives_zero_count_and_none_means(panorama: pl.DataFrame) -> None:
    summary = summarise_portfolio(panorama.filter(pl.col("edition") == ED_2018).lazy(), drift_threshold=0.2)
    assert summary.project_count == 0
    assert summary.edition is None
    assert summary.total_cost_meur is None
    assert summary.mean_duration_years is None
    assert summary.budget_drift.model_dump() == {
        "mean": None,
        "median": None,
        "cost_weighted": None,
        "known_count": 0,
        "over_threshold_count": 0,
        "over_threshold_share": None,
    }


def test_summary_refuses_several_editions(panorama: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"il en contient 2 \(2016-11-01, 2017-11-01\)"):
        summarise_portfolio(panorama, drift_threshold=0.2)


def test_summary_refuses_a_frame_without_drift_columns() -> None:
    frame = make_panorama_frame([{"edition": ED_2017, "project_id": "x", "cost_meur": 1.0}])
    with pytest.raises(ValueError, match="colonnes de dérive absentes"):
        summarise_portfolio(frame, drift_threshold=0.2)


def test_breakdown_by_phase_follows_lifecycle_with_unknown_last(edition_2017: pl.DataFrame) -> None:
    assert breakdown(edition_2017, "phase").rows() == [
        ("Cadrage", 2, 114.0, 0),
        ("Déploiement", 1, 20.0, 0),
        ("Terminé", 1, 6.0, 0),
        (None, 1, None, 1),
    ]


def test_breakdown_by_cost_bracket_follows_bracket_order(edition_2017: pl.DataFrame) -> None:
    assert breakdown(edition_2017, "cost_bracket").rows() == [
        ("< 9 M€", 2, 10.0, 0),
        ("20–100 M€", 1, 20.0, 0),
        ("> 100 M€", 1, 110.0, 0),
        (None, 1, None, 1),
    ]


def test_breakdown_by_ministry_and_zone_sorted_by_cost(edition_2017: pl.DataFrame) -> None:
    assert breakdown(edition_2017, "ministry").rows() == [
        ("m1", "Intérieur", 2, 130.0, 0),
        ("m3", "Armées", 1, 6.0, 0),
        ("m2", "Justice", 2, 4.0, 1),
    ]
    assert breakdown(edition_2017, "functional_zone").rows() == [
        ("Social", 2, 116.0, 0),
        ("Fiscalité", 2, 24.0, 0),
        (None, 1, None, 1),
    ]


def test_breakdown_of_empty_subset_is_empty(panorama: pl.DataFrame) -> None:
    assert breakdown(panorama.filter(pl.col("edition") == ED_2018), "phase").height == 0


def test_ministry_phase_counts_largest_ministries_first(edition_2017: pl.DataFrame) -> None:
    assert ministry_phase_counts(edition_2017).rows() == [
        ("m1", "Intérieur", "Cadrage", 1, 110.0, 2),
        ("m1", "Intérieur", "Déploiement", 1, 20.0, 2),
        ("m2", "Justice", "Cadrage", 1, 4.0, 2),
        ("m2", "Justice", None, 1, None, 2),
        ("m3", "Armées", "Terminé", 1, 6.0, 1),
    ]


def test_drift_by_ministry(edition_2017: pl.DataFrame) -> None:
    result = drift_by_ministry(edition_2017)
    assert result["ministry_id"].to_list() == ["m1", "m3", "m2"]
    m1 = result.row(0, named=True)
    assert m1["projects"] == 2
    assert m1["cost_meur"] == 130.0
    assert m1["projects_with_budget_drift"] == 2
    assert m1["mean_budget_drift"] == pytest.approx(0.55)
    assert m1["weighted_budget_drift"] == pytest.approx(31 / 130)
    assert m1["mean_schedule_drift"] == pytest.approx(0.25)
    m2 = result.row(2, named=True)
    assert (m2["projects_with_budget_drift"], m2["projects_with_schedule_drift"]) == (1, 1)
    assert (m2["mean_budget_drift"], m2["mean_schedule_drift"]) == (0.0, 0.0)


def test_trajectory_fills_editions_where_the_subset_is_absent(panorama: pl.DataFrame) -> None:
    result = trajectory(panorama, editions=[ED_2016, ED_2017, ED_2018])
    assert result.columns == [
        "edition",
        "projects",
        "interministerial_projects",
        "total_cost_meur",
        "projects_withheld_cost",
        "avg_duration_years",
        "avg_budget_drift",
        "avg_schedule_drift",
        "cost_definition",
    ]
    rows = result.rows()
    assert rows[0] == (ED_2016, 3, 1, 114.0, 0, 3.0, 0.0, 0.0, "Coût estimé")
    assert rows[1][:6] == (ED_2017, 5, 2, 140.0, 1, 3.5)
    assert rows[1][6:8] == (pytest.approx(0.275), pytest.approx(0.125))
    assert rows[1][8] == "Coût complet estimé"
    assert rows[2] == (ED_2018, 0, 0, None, 0, None, None, None, None)


def test_trajectory_without_editions_lists_only_editions_present(panorama: pl.DataFrame) -> None:
    result = trajectory(panorama.filter(pl.col("ministry_id") == "m3"))
    assert result.select("edition", "projects").rows() == [(ED_2017, 1)]


def _headlines() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "edition_no": [1],
            "edition": [ED_2016],
            "published": ["2016-11"],
            "projects": [3],
            "interministerial_projects": [None],
            "total_cost_meur": [120.0],
            "avg_duration_years": [6.0],
            "avg_schedule_drift": [0.3],
            "avg_budget_drift": [0.4],
            "source": ["test"],
            "note": [None],
        },
        schema=HEADLINE_SCHEMA,
    )


def test_trajectory_with_official_keeps_series_apart(panorama: pl.DataFrame) -> None:
    long = trajectory_with_official(trajectory(panorama), _headlines())
    assert long.columns == ["edition", "series", "metric", "metric_label", "value"]
    assert long.filter(pl.col("metric") == "projects").select("edition", "series", "value").rows() == [
        (ED_2016, COMPUTED_SERIES_FR, 3.0),
        (ED_2017, COMPUTED_SERIES_FR, 5.0),
        (ED_2016, OFFICIAL_SERIES_FR, 3.0),
    ]
    official = long.filter(pl.col("series") == OFFICIAL_SERIES_FR)
    assert dict(official.select("metric", "value").rows()) == {
        "avg_budget_drift": 0.4,
        "avg_duration_years": 6.0,
        "avg_schedule_drift": 0.3,
        "projects": 3.0,
        "total_cost_meur": 120.0,
    }  # the unpublished interministerial count is dropped, not drawn as 0
    assert long.filter(pl.col("metric") == "avg_budget_drift")["metric_label"].unique().to_list() == [
        "Dérive budgétaire moyenne"
    ]


def test_trajectory_with_official_names_missing_headline_columns(panorama: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="colonnes absentes \\(avg_budget_drift\\)"):
        trajectory_with_official(trajectory(panorama), _headlines().drop("avg_budget_drift"))


def test_real_trajectory_counts_match_the_official_value_boxes() -> None:
    """An independent cross-check: counts from the project tables against the published headline boxes."""
    from analytics.panorama.loading import load_headlines

    computed = trajectory(real_panorama_with_drift())
    official = load_headlines(PANORAMA_DATA_DIR)
    both = computed.join(official, on="edition", suffix="_official")
    assert both.height == computed.height
    assert both["interministerial_projects"].to_list() == both["interministerial_projects_official"].to_list()
    # The 2019-03 box counts 46 projects while its table lists 48 (noted in headline_figures.csv).
    differing = both.filter(pl.col("projects") != pl.col("projects_official"))
    assert differing.select("edition", "projects", "projects_official").rows() == [(date(2019, 3, 1), 48, 46)]


def test_drift_by_ministry_carries_drift_in_meur(edition_2017: pl.DataFrame) -> None:
    carried = dict(drift_by_ministry(edition_2017).select("ministry_id", "budget_drift_meur").iter_rows())
    # m1: p1 20 - 10, p2 110 - 100; m2: p3 4 - 4, p4 withheld (not 0); m3: p5 first publication
    assert carried == {"m1": 20.0, "m2": 0.0, "m3": 0.0}


def test_drift_by_ministry_without_known_drift_is_null(edition_2017: pl.DataFrame) -> None:
    withheld_only = edition_2017.filter(pl.col("project_id") == "p4")
    assert drift_by_ministry(withheld_only).item(0, "budget_drift_meur") is None


def test_largest_drifts_rank_known_drifts_with_stable_ties(edition_2017: pl.DataFrame) -> None:
    by_meur = largest_drifts(edition_2017, "budget_drift_meur", 3)
    assert by_meur["project_id"].to_list() == ["p1", "p2", "p3"]  # 10, 10 (tie by name), then 0
    by_pct = largest_drifts(edition_2017, "budget_drift", 10)
    assert by_pct["project_id"].to_list() == ["p1", "p2", "p3", "p5"]  # p4's cost withheld: no drift
    assert largest_drifts(edition_2017.head(0), "schedule_drift", 5).is_empty()


def test_average_drift_history_drops_unknown_means(panorama: pl.DataFrame) -> None:
    history = average_drift_history(panorama, [ED_2016, ED_2017, ED_2018])
    assert history.columns == ["edition", "indicator", "value"]
    rows = {(edition, indicator): value for edition, indicator, value in history.iter_rows()}
    assert rows == {
        (ED_2016, "Écart budgétaire moyen"): 0.0,
        (ED_2016, "Écart calendaire moyen"): 0.0,
        (ED_2017, "Écart budgétaire moyen"): pytest.approx(0.275),
        (ED_2017, "Écart calendaire moyen"): pytest.approx(0.125),
    }  # 2018: no project, no row (not a 0)
