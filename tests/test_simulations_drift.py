"""Drift alert levels and drift cap on a hand-checked selection of five projects."""

from __future__ import annotations

import re

import polars as pl
import pytest
from pydantic import ValidationError

from analytics.simulations import (
    DriftAlertParams,
    DriftCapParams,
    simulate_drift_alerts,
    simulate_drift_cap,
)

SCHEMA = {
    "project_id": pl.String,
    "project_name": pl.String,
    "ministry_id": pl.String,
    "ministry_label": pl.String,
    "cost_meur": pl.Float64,
    "baseline_cost_meur": pl.Float64,
    "budget_drift": pl.Float64,
    "budget_drift_meur": pl.Float64,
    "schedule_drift": pl.Float64,
}


def projects() -> pl.DataFrame:
    """P1 drifts exactly 20\u00a0% (budget) and 10\u00a0% (schedule); P3 exactly 10\u00a0% (budget)."""
    return pl.DataFrame(
        {
            "project_id": ["p1", "p2", "p3", "p4", "p5"],
            "project_name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
            "ministry_id": ["m1", "m1", "m2", "m2", "m3"],
            "ministry_label": ["Intérieur", "Intérieur", "Justice", "Justice", "Culture"],
            "cost_meur": [12.0, 30.0, 11.0, None, 5.0],
            "baseline_cost_meur": [10.0, 20.0, 10.0, 8.0, 6.0],
            "budget_drift": [0.2, 0.5, 0.1, None, -1 / 6],
            "budget_drift_meur": [2.0, 10.0, 1.0, None, -1.0],
            "schedule_drift": [0.1, 0.5, None, 0.25, 0.0],
        },
        schema=SCHEMA,
    )


# ---- alert levels -----------------------------------------------------------------------------------


def test_levels_flag_strictly_above_and_sum_stakes() -> None:
    result = simulate_drift_alerts(projects())
    assert result.levels.with_columns(pl.col("dimension").cast(pl.String)).rows() == [
        ("Budget", 0.1, 2, 12.0, 42.0),  # P1, P2; P3 at exactly 10\u00a0% is not flagged
        ("Budget", 0.2, 1, 10.0, 30.0),  # P2; P1 at exactly 20\u00a0% is not flagged
        ("Budget", 0.3, 1, 10.0, 30.0),
        ("Calendrier", 0.1, 2, 10.0, 30.0),  # P2, P4 (unknown cost adds nothing); P1 at 10\u00a0% is not
        ("Calendrier", 0.2, 2, 10.0, 30.0),
        ("Calendrier", 0.3, 1, 10.0, 30.0),
    ]


def test_flagged_lists_each_level_and_project() -> None:
    flagged = simulate_drift_alerts(projects()).flagged
    pairs = flagged.select(pl.col("dimension").cast(pl.String), "level", "project_id").rows()
    assert pairs == [
        ("Budget", 0.1, "p2"),
        ("Budget", 0.1, "p1"),
        ("Budget", 0.2, "p2"),
        ("Budget", 0.3, "p2"),
        ("Calendrier", 0.1, "p2"),
        ("Calendrier", 0.1, "p4"),
        ("Calendrier", 0.2, "p2"),
        ("Calendrier", 0.2, "p4"),
        ("Calendrier", 0.3, "p2"),
    ]


def test_by_ministry_groups_flags() -> None:
    by_ministry = simulate_drift_alerts(projects()).by_ministry
    first_levels = by_ministry.filter(pl.col("level") == 0.1).select(
        pl.col("dimension").cast(pl.String), "ministry_id", "projects", "drift_meur", "cost_meur"
    )
    assert first_levels.rows() == [
        ("Budget", "m1", 2, 12.0, 42.0),
        ("Calendrier", "m1", 1, 10.0, 30.0),
        ("Calendrier", "m2", 1, 0.0, 0.0),
    ]


def test_unknown_drifts_are_counted_and_announced() -> None:
    result = simulate_drift_alerts(projects())
    assert (result.projects_without_budget_drift, result.projects_without_schedule_drift) == (1, 1)
    assert result.notices == [
        "1 projet sans dérive budgétaire (coût actuel ou coût initial inconnu) : jamais signalé à ce titre.",
        "1 projet sans dérive calendaire (durée actuelle ou durée initiale inconnue) : jamais signalé à ce titre.",
    ]


def test_float_noise_at_a_level_is_not_flagged() -> None:
    frame = projects().with_columns(
        budget_drift=pl.col("cost_meur") / pl.col("baseline_cost_meur") - 1  # Gamma: 0.10000000000000009
    )
    result = simulate_drift_alerts(frame, DriftAlertParams(budget_levels=(0.1,)))
    assert frame["budget_drift"][2] > 0.1
    assert result.flagged.filter(pl.col("dimension") == "Budget")["project_id"].to_list() == ["p2", "p1"]


def test_custom_levels_are_sorted_and_deduplicated() -> None:
    params = DriftAlertParams(budget_levels=[0.3, 0.05, 0.3], schedule_levels=(2,))
    assert params.budget_levels == (0.05, 0.3)
    assert params.schedule_levels == (2.0,)
    result = simulate_drift_alerts(projects(), params)
    assert result.levels.select("level", "projects").rows() == [(0.05, 3), (0.3, 1), (2.0, 0)]


def test_empty_selection_keeps_every_level_at_zero() -> None:
    result = simulate_drift_alerts(pl.DataFrame(schema=SCHEMA))
    assert result.levels["projects"].to_list() == [0] * 6
    assert result.levels["drift_meur"].to_list() == [0.0] * 6
    assert result.flagged.height == 0
    assert result.notices == ["Aucun projet dans la sélection : aucune alerte, tous les totaux valent 0."]


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([0.1, 0], "valeur attendue strictement supérieure à 0, reçu 0."),
        ([-0.2], "valeur attendue strictement supérieure à 0, reçu -0,2."),
        ([10.5], "valeur attendue inférieure ou égale à 10, reçu 10,5."),
        ([], "au moins un niveau est attendu."),
        ("0.1", "une liste de niveaux est attendue"),
        ([0.1, "a"], "un nombre est attendu, reçu 'a'."),
        ([i / 100 for i in range(1, 12)], "au plus 10 niveaux distincts (reçu : 11)."),
        ([1e-9], "valeur attendue strictement supérieure à 0, reçu 0."),  # below 0.0001 point
    ],
)
def test_invalid_levels_are_rejected_in_french(levels: object, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(f"Les niveaux d'alerte de dérive budgétaire : {message}")):
        DriftAlertParams(budget_levels=levels)


def test_french_tables() -> None:
    tables = simulate_drift_alerts(projects()).tables()
    assert list(tables) == ["Alertes par niveau", "Alertes par ministère", "Projets signalés"]
    assert tables["Alertes par niveau"].columns == [
        "Dérive",
        "Niveau d'alerte",
        "Projets",
        "Dérive budgétaire en jeu (M€)",
        "Coût actuel (M€)",
    ]


# ---- cap --------------------------------------------------------------------------------------------


def test_cap_at_zero_avoids_every_overrun() -> None:
    result = simulate_drift_cap(projects(), DriftCapParams(cap=0))
    assert (result.projects_total, result.projects_assessed, result.projects_capped) == (5, 4, 3)
    assert result.avoided_meur == pytest.approx(13.0)  # 2 + 10 + 1; Epsilon under baseline avoids 0
    assert result.cost_assessed_meur == pytest.approx(58.0)
    assert result.projects.select("project_id", "capped_cost_meur", "avoided_meur").rows() == [
        ("p2", 20.0, 10.0),
        ("p1", 10.0, 2.0),
        ("p3", 10.0, 1.0),
    ]
    assert result.by_ministry.rows() == [
        ("m1", "Intérieur", 2, 2, 12.0),
        ("m2", "Justice", 1, 1, 1.0),
        ("m3", "Culture", 1, 0, 0.0),
    ]
    assert result.notices == ["1 projet sans coût actuel ou sans coût initial connu n'est pas évalué."]


def test_cap_at_twenty_percent_keeps_only_the_excess() -> None:
    result = simulate_drift_cap(projects(), DriftCapParams(cap=0.2))
    assert result.avoided_meur == pytest.approx(6.0)  # Beta: 30 − 20 × 1.2; Alpha at exactly +20\u00a0% avoids 0
    assert result.projects["project_id"].to_list() == ["p2"]
    assert result.projects["capped_cost_meur"].to_list() == [pytest.approx(24.0)]


def test_cap_exactly_met_is_not_counted_as_capped() -> None:
    # 3 × 1.2 is 3.5999999999999996 in floats: Gamma at 3.6\u00a0M€ meets the +20\u00a0% cap exactly.
    frame = projects().with_columns(
        cost_meur=pl.when(pl.col("project_id") == "p3").then(3.6).otherwise("cost_meur"),
        baseline_cost_meur=pl.when(pl.col("project_id") == "p3").then(3.0).otherwise("baseline_cost_meur"),
    )
    result = simulate_drift_cap(frame, DriftCapParams(cap=0.2))
    assert result.projects["project_id"].to_list() == ["p2"]
    assert result.projects_capped == 1
    assert result.avoided_meur == pytest.approx(6.0)


def test_cap_that_avoids_nothing_says_so() -> None:
    result = simulate_drift_cap(projects(), DriftCapParams(cap=1))
    assert (result.avoided_meur, result.projects_capped, result.projects.height) == (0.0, 0, 0)
    assert result.notices[-1] == (
        "Aucun projet évalué ne dépasse son coût initial de plus de 100\u00a0% : le plafond n'aurait rien évité."
    )


def test_cap_on_empty_selection() -> None:
    result = simulate_drift_cap(pl.DataFrame(schema=SCHEMA).lazy())
    assert (result.projects_total, result.projects_assessed, result.avoided_meur) == (0, 0, 0.0)
    assert result.by_ministry.height == 0
    assert result.notices == ["Aucun projet dans la sélection : aucun montant évité, tous les totaux valent 0."]


@pytest.mark.parametrize(
    ("cap", "message"),
    [
        (-0.1, "Le plafond de dérive budgétaire : valeur attendue supérieure ou égale à 0, reçu -0,1."),
        (float("inf"), "Le plafond de dérive budgétaire : un nombre fini est attendu"),
        (None, "Le plafond de dérive budgétaire : un nombre est attendu, reçu None."),
    ],
)
def test_invalid_cap_is_rejected_in_french(cap: object, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        DriftCapParams(cap=cap)
