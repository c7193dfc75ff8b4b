"""Ministry sheet on a hand-made panorama, then on the real data.

E0: p1 m1 100
A : p1 m1 100, p2 m1 50, p4 m2 20, p5 m2 40                 State: 4 projects, 210 M€
B : p1 m1 120, p3 m1 30 (new), p4 m1 22 (from m2), p5 m2 withheld   State: 4 projects, 172 M€
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.panorama.changes import change_sentences
from analytics.panorama.drift import with_drift
from analytics.panorama.ministry import ministry_sheet, ministry_trajectory
from analytics.panorama.portfolio import summarise_portfolio
from tests.panorama_frames import make_panorama_frame, real_panorama_with_drift

E0, A, B = date(2020, 11, 1), date(2021, 7, 1), date(2021, 11, 1)
LABELS = {"m1": "M1", "m2": "M2"}


@pytest.fixture(scope="module")
def panorama() -> pl.DataFrame:
    points = [
        (E0, "p1", "m1", 100.0),
        (A, "p1", "m1", 100.0),
        (A, "p2", "m1", 50.0),
        (A, "p4", "m2", 20.0),
        (A, "p5", "m2", 40.0),
        (B, "p1", "m1", 120.0),
        (B, "p3", "m1", 30.0),
        (B, "p4", "m1", 22.0),
        (B, "p5", "m2", None),
    ]
    rows = [
        {"edition": e, "project_id": p, "project_name": p.upper(), "ministry_id": m, "ministry_label": LABELS[m],
         "ministry_name": f"Ministère {m} ({e:%Y})", "cost_meur": c}
        for e, p, m, c in points
    ]  # fmt: skip
    return with_drift(make_panorama_frame(rows).lazy()).collect()


def test_trajectory_counts_costs_drifts_and_shares(panorama: pl.DataFrame) -> None:
    m1 = ministry_trajectory(panorama, "m1")
    assert m1.select("edition", "projects", "cost_meur", "state_projects", "state_cost_meur").rows() == [
        (E0, 1, 100.0, 1, 100.0),
        (A, 2, 150.0, 4, 210.0),
        (B, 3, 172.0, 4, 172.0),
    ]
    assert m1["cost_share"].to_list() == [1.0, pytest.approx(150 / 210), 1.0]
    assert m1["project_share"].to_list() == [1.0, 0.5, 0.75]
    # B: p1 +20 %, p3 0 (first publication), p4 +10 % (first published in A, under m2).
    assert m1["mean_budget_drift"][-1] == pytest.approx(0.3 / 3)
    assert m1["weighted_budget_drift"][-1] == pytest.approx((24 + 2.2) / 172)


def test_trajectory_of_an_absent_or_withheld_ministry(panorama: pl.DataFrame) -> None:
    m2 = ministry_trajectory(panorama, "m2")
    assert m2.select("edition", "projects", "cost_meur", "projects_withheld_cost", "cost_share").rows() == [
        (E0, 0, 0.0, 0, 0.0),
        (A, 2, 60.0, 0, pytest.approx(60 / 210)),
        (B, 1, None, 1, None),
    ]
    assert m2["mean_budget_drift"].to_list()[0] is None


def test_sheet_lists_projects_entrants_leavers_and_transfers(panorama: pl.DataFrame) -> None:
    sheet = ministry_sheet(panorama, "m1", B, comparison_edition=A)
    assert sheet is not None
    assert sheet.projects["project_id"].to_list() == ["p1", "p3", "p4"]
    assert "slipping" in sheet.projects.columns
    assert sheet.summary.project_count == 3 and sheet.summary.total_cost_meur == 172.0
    assert sheet.cost_share == 1.0
    assert sheet.published_names == ("Ministère m1 (2020)", "Ministère m1 (2021)")
    comparison = sheet.comparison
    assert comparison is not None
    assert comparison.entrants.select("project_id", "transfer_ministry_label").rows() == [("p3", None), ("p4", "M2")]
    assert comparison.leavers["project_id"].to_list() == ["p2"]
    texts = [s.text for s in change_sentences(comparison, limit=None)]
    assert "P4 (M1) : transféré depuis M2 en novembre 2021, 22,0\u00a0M€" in texts
    other = ministry_sheet(panorama, "m2", B, comparison_edition=A)
    assert other is not None and other.comparison is not None
    assert other.comparison.leavers.select("project_id", "transfer_ministry_label").rows() == [("p4", "M1")]


def test_sheet_of_an_unknown_ministry_is_none_and_comparison_is_optional(panorama: pl.DataFrame) -> None:
    assert ministry_sheet(panorama, "nowhere", B) is None
    sheet = ministry_sheet(panorama, "m2", E0)
    assert sheet is not None and sheet.projects.is_empty() and sheet.comparison is None
    assert sheet.summary.project_count == 0


def test_real_sheets_agree_with_the_portfolio_summary_and_shares_add_up() -> None:
    projects = real_panorama_with_drift()
    ministries = projects["ministry_id"].unique().to_list()
    trajectories = pl.concat([ministry_trajectory(projects, m).with_columns(ministry_id=pl.lit(m)) for m in ministries])
    shares = trajectories.group_by("edition").agg(pl.col("cost_share").sum(), pl.col("projects").sum())
    assert shares["cost_share"].to_list() == pytest.approx([1.0] * shares.height)
    assert (
        shares.join(trajectories.select("edition", "state_projects").unique(), on="edition")
        .select((pl.col("projects") == pl.col("state_projects")).all())
        .item()
    )
    interior = trajectories.filter(pl.col("ministry_id") == "interieur")
    for row in interior.iter_rows(named=True):
        summary = summarise_portfolio(
            projects.filter((pl.col("edition") == row["edition"]) & (pl.col("ministry_id") == "interieur")), 0.2
        )
        assert row["mean_budget_drift"] == pytest.approx(summary.budget_drift.mean, abs=1e-12)
        assert row["weighted_budget_drift"] == pytest.approx(summary.budget_drift.cost_weighted, abs=1e-12)
        assert row["weighted_schedule_drift"] == pytest.approx(summary.schedule_drift.cost_weighted, abs=1e-12)
    sheet = ministry_sheet(projects, "transformation-fonction-publiques", date(2021, 11, 1), date(2021, 7, 1))
    assert sheet is not None and sheet.comparison is not None
    assert sheet.comparison.entrants.select("project_name", "transfer_ministry_label").rows() == [
        ("DSN FPE (CONCENTRATEUR)", "Économie et Finances")
    ]
