"""Edition comparison and its sentences, on a hand-made pair of editions (June -> December 2024) and the real data.

fe     Économie  231 -> 259, 7.5 -> 8 years, Conception / Réalisation -> Déploiement
down   Intérieur  50 ->  40
new    Justice         -> 12, Cadrage (entrant)
back   Justice     9 (2023-06), absent 2023-12 and 2024-06 -> 9.9 (returning entrant)
gone   Culture    25 (2023-06), 30 (2023-12), withheld in 2024-06, absent 2024-12 (leaver)
moved  Intérieur  20 -> Économie 20 (ministry move, same cost)
same   Culture    15 -> 15 (nothing to say)
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.panorama.changes import (
    CHANGE_COLUMNS,
    change_sentences,
    compare_editions,
    format_months,
    months_between,
)
from analytics.panorama.drift import with_drift
from tests.panorama_frames import (
    HAND_A,
    HAND_B,
    HAND_E1,
    HAND_E2,
    hand_comparison_rows,
    make_panorama_frame,
    real_panorama_with_drift,
)
from tests.panorama_frames import hand_row as _row

E1, E2, A, B = HAND_E1, HAND_E2, HAND_A, HAND_B


@pytest.fixture(scope="module")
def comparison():
    return compare_editions(with_drift(make_panorama_frame(hand_comparison_rows()).lazy()).collect(), A, B)


def test_months_between_editions() -> None:
    assert months_between(date(2021, 7, 1), date(2021, 11, 1)) == 4
    assert months_between(date(2019, 3, 1), date(2021, 7, 1)) == 28
    assert months_between(date(2016, 11, 1), date(2017, 2, 1)) == 3
    assert format_months(28) == "28 mois"


def test_every_project_once_sorted_by_absolute_impact(comparison) -> None:
    changes = comparison.changes
    assert changes.columns == list(CHANGE_COLUMNS)
    assert changes.select("project_id", "kind", "impact_meur").rows() == [
        ("fe", "continuing", 28.0),
        ("new", "entrant", 12.0),
        ("down", "continuing", -10.0),
        ("back", "entrant", 9.9),
        ("moved", "continuing", 0.0),
        ("same", "continuing", 0.0),
        ("gone", "leaver", None),
    ]
    assert comparison.months == 6
    assert comparison.entrants["project_id"].to_list() == ["new", "back"]
    assert comparison.leavers["project_id"].to_list() == ["gone"]
    assert comparison.phase_moves["project_id"].to_list() == ["fe"]


def test_continuing_rows_carry_both_sides_and_their_source_keys(comparison) -> None:
    fe = comparison.continuing.row(0, named=True)
    assert (fe["cost_from_meur"], fe["cost_to_meur"], fe["cost_change"]) == (231.0, 259.0, pytest.approx(28 / 231))
    assert fe["duration_change_years"] == pytest.approx(0.5)
    assert (fe["from_edition"], fe["ministry_name_from"], fe["project_name_from"]) == (
        A,
        "Ministère Économie et Finances (2024-06)",
        "FE",
    )
    assert (fe["to_edition"], fe["ministry_name_to"]) == (B, "Ministère Économie et Finances (2024-12)")
    assert (fe["baseline_cost_meur"], fe["baseline_cost_edition"]) == (231.0, A)
    moved = comparison.changes.filter(pl.col("project_id") == "moved").row(0, named=True)
    assert (moved["ministry_changed"], moved["ministry_label"], moved["ministry_label_from"]) == (
        True,
        "Économie et Finances",
        "Intérieur",
    )


def test_leaver_keeps_its_last_published_cost_and_drift(comparison) -> None:
    gone = comparison.leavers.row(0, named=True)
    assert (gone["cost_from_meur"], gone["last_known_cost_meur"], gone["last_known_cost_edition"]) == (None, 30.0, E2)
    assert gone["last_known_budget_drift"] == pytest.approx(0.2)


def test_sentences_in_impact_order(comparison) -> None:
    texts = [sentence.text for sentence in change_sentences(comparison, limit=None)]
    nbsp = "\u00a0"
    assert texts == [
        f"FE (Économie et Finances) : +28,0{nbsp}M€ en 6 mois, coût porté à 259,0{nbsp}M€ ; durée portée de "
        f"7,5{nbsp}ans à 8,0{nbsp}ans ; passe de la phase « Conception / Réalisation » à « Déploiement »",
        f"NEW (Justice) entre au panorama en décembre 2024 : 12,0{nbsp}M€, phase « Cadrage »",
        f"DOWN (Intérieur) : -10,0{nbsp}M€ en 6 mois, coût ramené à 40,0{nbsp}M€",
        f"BACK (Justice) revient au panorama en décembre 2024 : 9,9{nbsp}M€, déjà publié à partir de juin 2023",
        "MOVED (Économie et Finances) : porté auparavant par Intérieur",
        f"GONE (Culture) quitte le panorama en décembre 2024 : dernier coût publié 30,0{nbsp}M€ (décembre 2023), "
        f"dérive budgétaire depuis la 1re publication +20,0{nbsp}%",
    ]


def test_sentences_are_limited_and_traceable(comparison) -> None:
    sentences = change_sentences(comparison, limit=2)
    assert [(s.project_id, s.kind, s.impact_meur) for s in sentences] == [
        ("fe", "continuing", 28.0),
        ("new", "entrant", 12.0),
    ]
    assert {(s.from_edition, s.to_edition) for s in sentences} == {(A, B)}
    leavers = change_sentences(comparison, keep=lambda c: c.filter(pl.col("kind") == "leaver"))
    assert [s.project_id for s in leavers] == ["gone"]


def test_withheld_cost_in_one_edition_is_said_not_counted() -> None:
    rows = [_row(A, "w", "int", 80.0), _row(B, "w", "int", None), _row(A, "v", "int", None), _row(B, "v", "int", 5.0)]
    comparison = compare_editions(with_drift(make_panorama_frame(rows).lazy()).collect(), A, B)
    assert comparison.changes["impact_meur"].to_list() == [None, None]
    assert [s.text for s in change_sentences(comparison)] == [
        "V (Intérieur) : coût publié à 5,0\u00a0M€ (non publié en juin 2024)",
        "W (Intérieur) : coût non publié en décembre 2024 (80,0\u00a0M€ auparavant)",
    ]


def test_real_2021_07_to_2021_11() -> None:
    projects = real_panorama_with_drift()
    comparison = compare_editions(projects, date(2021, 7, 1), date(2021, 11, 1))
    assert sorted(comparison.entrants["project_name"]) == sorted(
        ["PPN", "SIV", "INTELLIGENCE EMPLOI", "GEOPLATEFORME", "FRANCE SESAME"]
    )
    assert sorted(comparison.leavers["project_name"]) == sorted(
        ["OSHIMAE", "FRANCE CONNECT PHASE II", "ADAMANT", "SCRIBE"]
    )
    # Every figure goes back to its published row: (edition, ministry, project) as published.
    for side in ("from", "to"):
        rows = comparison.changes.drop_nulls(f"project_name_{side}").select(
            pl.col(f"{side}_edition").alias("edition"),
            pl.col(f"ministry_name_{side}").alias("ministry_name"),
            pl.col(f"project_name_{side}").alias("project_name"),
            pl.col(f"cost_{side}_meur").alias("cost"),
        )
        joined = rows.join(projects, on=["edition", "ministry_name", "project_name"], how="left")
        assert joined.height == rows.height
        assert joined.select((pl.col("cost").eq_missing(pl.col("cost_meur"))).all()).item()
    first = change_sentences(comparison, limit=1)[0]
    assert first.text.startswith("PPN (Justice) entre au panorama en novembre 2021 : 121,7")
