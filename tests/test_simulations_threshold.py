"""Oversight threshold scenario on a hand-checked selection of seven projects."""

from __future__ import annotations

import math
import re

import polars as pl
import pytest
from pydantic import ValidationError

from analytics.simulations import (
    BELOW_BASELINE_NOTICE_FR,
    THRESHOLD_PRESETS_MEUR,
    THRESHOLD_RULE_FR,
    ThresholdParams,
    simulate_threshold,
)
from analytics.simulations.threshold import meeting_table

SCHEMA = {
    "project_id": pl.String,
    "project_name": pl.String,
    "ministry_id": pl.String,
    "ministry_label": pl.String,
    "cost_meur": pl.Float64,
}


def projects() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "project_id": ["p1", "p2", "p3", "p4", "p5", "p6", "p7"],
            "project_name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta"],
            "ministry_id": ["m1", "m1", "m2", "m2", "m3", "m3", "m1"],
            "ministry_label": [
                "Intérieur",
                "Intérieur",
                "Justice",
                "Justice",
                "Culture",
                "Culture",
                "Intérieur",
            ],
            "cost_meur": [120.0, 9.0, 8.5, 5.0, 4.99, None, 20.0],
            "phase": ["Cadrage"] * 7,  # extra columns are ignored
        },
        schema_overrides=SCHEMA,
    )


def ids(frame: pl.DataFrame) -> list[str]:
    return sorted(frame["project_id"].to_list())


def test_senate_threshold_counts_equal_cost_inside_and_lists_entering_projects() -> None:
    result = simulate_threshold(projects(), ThresholdParams(threshold_meur=5, margin_meur=1))
    assert result.projects_total == 7
    assert (result.projects_inside, result.cost_inside_meur) == (5, pytest.approx(162.5))
    assert ids(result.inside) == ["p1", "p2", "p3", "p4", "p7"]  # Delta at exactly 5 M€ is inside
    assert (result.projects_outside, result.cost_outside_meur) == (1, pytest.approx(4.99))
    assert result.projects_withheld == 1
    assert ids(result.withheld) == ["p6"]
    assert (result.projects_entering, result.cost_entering_meur) == (2, pytest.approx(13.5))
    assert ids(result.entering) == ["p3", "p4"]
    assert (result.projects_leaving, result.cost_leaving_meur) == (0, 0.0)
    assert (result.projects_watched, result.cost_watched_meur) == (1, pytest.approx(4.99))
    assert ids(result.watched) == ["p5"]
    assert result.notices == [
        BELOW_BASELINE_NOTICE_FR,
        "1 projet au coût non publié n'est compté ni dans ni hors du périmètre : il est décompté à part.",
    ]


def test_baseline_threshold_keeps_nine_exactly_inside_and_watches_just_below() -> None:
    result = simulate_threshold(projects(), ThresholdParams(threshold_meur=9, margin_meur=0.5))
    assert ids(result.inside) == ["p1", "p2", "p7"]
    assert result.cost_inside_meur == pytest.approx(149.0)
    assert ids(result.watched) == ["p3"]  # 8.5 <= cost < 9
    assert result.projects_entering == result.projects_leaving == 0


def test_higher_threshold_lists_leaving_projects_and_wide_watch() -> None:
    result = simulate_threshold(projects(), ThresholdParams(threshold_meur=20, margin_meur=12))
    assert ids(result.inside) == ["p1", "p7"]
    assert result.cost_outside_meur == pytest.approx(9 + 8.5 + 5 + 4.99)
    assert ids(result.leaving) == ["p2"]
    assert result.leaving["project_name"].to_list() == ["Beta"]
    assert result.cost_leaving_meur == pytest.approx(9.0)
    assert ids(result.watched) == ["p2", "p3"]  # 8 <= cost < 20; Delta (5) and Epsilon (4.99) below 8
    assert result.cost_watched_meur == pytest.approx(17.5)


def test_zero_margin_watches_nothing() -> None:
    result = simulate_threshold(projects(), ThresholdParams(threshold_meur=9, margin_meur=0))
    assert result.projects_watched == 0
    assert result.cost_watched_meur == 0.0


def test_by_ministry_splits_inside_outside_withheld() -> None:
    result = simulate_threshold(projects(), ThresholdParams(threshold_meur=5, margin_meur=1))
    assert result.by_ministry.select(
        "ministry_id", "projects_inside", "cost_inside_meur", "projects_outside", "projects_withheld"
    ).rows() == [
        ("m1", 3, 149.0, 0, 0),
        ("m2", 2, 13.5, 0, 0),
        ("m3", 0, 0.0, 1, 1),
    ]


def test_threshold_above_largest_project_is_valid_with_notice() -> None:
    result = simulate_threshold(projects(), ThresholdParams(threshold_meur=200))
    assert result.projects_inside == 0
    assert result.cost_inside_meur == 0.0
    assert result.projects_outside == 6
    assert result.cost_outside_meur == pytest.approx(167.49)
    assert result.notices[0] == (
        "Le seuil de 200\u00a0M€ dépasse le coût du plus gros projet de la sélection (120\u00a0M€) : "
        "aucun projet n'est dans le périmètre de revue."
    )
    assert ids(result.leaving) == ["p1", "p2", "p7"]


def test_empty_selection_gives_zeros_and_notice() -> None:
    result = simulate_threshold(pl.DataFrame(schema=SCHEMA).lazy(), ThresholdParams(threshold_meur=50))
    assert (result.projects_total, result.projects_inside, result.projects_outside) == (0, 0, 0)
    assert (result.cost_inside_meur, result.cost_outside_meur, result.projects_withheld) == (0.0, 0.0, 0)
    assert result.projects.height == 0
    assert result.notices == [
        "Aucun projet dans la sélection : le périmètre de revue est vide et tous les totaux valent 0."
    ]


def test_only_withheld_costs_are_never_counted_inside_or_outside() -> None:
    frame = projects().filter(pl.col("project_id") == "p6")
    result = simulate_threshold(frame)
    assert (result.projects_inside, result.projects_outside, result.projects_withheld) == (0, 0, 1)
    assert result.notices[0] == (
        "Aucun projet de la sélection n'a de coût publié : le périmètre de revue ne peut pas être évalué."
    )


def test_missing_column_is_named_in_french() -> None:
    with pytest.raises(ValueError, match="colonnes absentes du tableau des projets : cost_meur"):
        simulate_threshold(projects().drop("cost_meur"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"threshold_meur": -3},
            "Le seuil de revue : valeur attendue strictement supérieure à 0\u00a0M€, reçu -3\u00a0M€.",
        ),
        (
            {"threshold_meur": 0},
            "Le seuil de revue : valeur attendue strictement supérieure à 0\u00a0M€, reçu 0\u00a0M€.",
        ),
        (
            {"threshold_meur": 1e6},
            "Le seuil de revue : valeur attendue inférieure ou égale à 100\u202f000\u00a0M€",
        ),
        ({"threshold_meur": math.nan}, "Le seuil de revue : un nombre fini est attendu"),
        ({"threshold_meur": "9"}, "Le seuil de revue : un nombre est attendu, reçu '9'"),
        ({"threshold_meur": True}, "Le seuil de revue : un nombre est attendu"),
        (
            {"margin_meur": -0.5},
            "La marge de veille au fractionnement : valeur attendue supérieure ou égale à 0\u00a0M€",
        ),
    ],
)
def test_invalid_parameters_are_rejected_in_french(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        ThresholdParams(**fields)


def test_presets_and_rule_are_exposed() -> None:
    assert tuple(THRESHOLD_PRESETS_MEUR) == (5.0, 9.0, 20.0, 50.0, 100.0)
    assert "supérieur ou égal au seuil" in THRESHOLD_RULE_FR


def test_tables_have_french_headers() -> None:
    tables = simulate_threshold(projects(), ThresholdParams(threshold_meur=5)).tables()
    entering = tables["Entrées dans le périmètre"]
    assert entering.select("Projet", "Coût actuel (M€)").rows() == [("Gamma", 8.5), ("Delta", 5.0)]
    assert entering["Changement par rapport à 9 M€"].cast(pl.String).to_list() == ["Entre dans le périmètre"] * 2


def test_meeting_table_puts_reference_and_scenario_side_by_side_with_the_difference() -> None:
    reference = simulate_threshold(projects(), ThresholdParams(margin_meur=1))
    scenario = simulate_threshold(projects(), ThresholdParams(threshold_meur=5, margin_meur=1))
    table = meeting_table(reference, scenario)
    assert table.columns == ["", "Référence : 9\u00a0M€", "Scénario : 5\u00a0M€", "Écart (projets)"]
    assert table.row(0) == ("Projets dans le périmètre", "3 (149,0\u00a0M€)", "5 (162,5\u00a0M€)", "+2")
    assert table.row(2) == ("Entrées dans le périmètre", "–", "2 (13,5\u00a0M€)", "–")
    assert table.row(3)[2] == "0 (0,0\u00a0M€)"
