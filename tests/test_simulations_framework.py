"""Framework ceiling projections, dates hand-counted from 30.4375-day average months.

The term 2020-01-01 → 2024-01-01 is 1461 days, i.e. exactly 48 average months.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from analytics.simulations import FrameworkCeilingParams, simulate_framework_ceiling

DAYS_PER_MONTH = 30.4375


def params(**overrides: Any) -> FrameworkCeilingParams:
    fields: dict[str, Any] = {
        "framework_id": "AC-TEST",
        "start_date": date(2020, 1, 1),
        "end_date": date(2024, 1, 1),
        "estimated_eur": 1_000_000,
        "maximum_eur": 2_000_000,
        "consumed_eur": 400_000,
        "as_of": date(2022, 1, 1),
        "observed_pace_eur_per_month": 30_000,
    }
    return FrameworkCeilingParams(**(fields | overrides))


def test_midterm_projection_dates_and_required_paces() -> None:
    result = simulate_framework_ceiling(params())
    remaining_months = 730 / DAYS_PER_MONTH  # 2022-01-01 → 2024-01-01
    assert result.term_months == pytest.approx(48.0)
    assert result.remaining_months == pytest.approx(remaining_months)
    assert result.elapsed_months == pytest.approx(731 / DAYS_PER_MONTH)
    assert result.term_elapsed_share == pytest.approx(731 / 1461)
    assert result.pace_source == "Rythme observé"
    # Estimate: 600 000\u00a0€ left at 30 000\u00a0€/month = 20 months = 608.75 days → 609 days.
    assert result.estimate.consumed_share == pytest.approx(0.4)
    assert result.estimate.reached_on == date(2023, 9, 2)
    assert result.estimate.reached_before_end is True
    assert result.estimate.required_pace_eur_per_month == pytest.approx(600_000 / remaining_months)
    # Maximum: 1 600 000\u00a0€ left = 53.33 months = 1623.33 days → 1623 days.
    assert result.maximum is not None
    assert result.maximum.consumed_share == pytest.approx(0.2)
    assert result.maximum.reached_on == date(2026, 6, 12)
    assert result.maximum.reached_before_end is False
    assert result.maximum.required_pace_eur_per_month == pytest.approx(1_600_000 / remaining_months)
    assert result.ceiling_reached_before_end is False
    assert result.projected_at_end_eur == pytest.approx(400_000 + 30_000 * remaining_months)
    assert result.notices == []
    assert result.summary == (
        "Terme écoulé : 50\u00a0% ; montant estimé consommé : 40\u00a0% ; montant maximum consommé : 20\u00a0%."
    )


def test_projection_table_runs_monthly_to_the_end() -> None:
    projection = simulate_framework_ceiling(params()).projection
    assert projection.height == 25  # 2022-01-01 … 2024-01-01
    assert projection.row(0) == (date(2022, 1, 1), 400_000.0, 1_000_000.0, 2_000_000.0)
    assert projection["month"][1] == date(2022, 2, 1)
    assert projection["projected_consumed_eur"][1] == pytest.approx(400_000 + 30_000 * 31 / DAYS_PER_MONTH)
    assert projection["month"][-1] == date(2024, 1, 1)
    assert simulate_framework_ceiling(params()).tables()["Projection mensuelle"].columns == [
        "Mois",
        "Consommation projetée (€)",
        "Montant estimé (€)",
        "Montant maximum (€)",
    ]


def test_user_pace_replaces_observed_pace() -> None:
    result = simulate_framework_ceiling(params(user_pace_eur_per_month=60_000))
    assert (result.pace_eur_per_month, result.pace_source) == (60_000, "Rythme saisi")
    assert result.estimate.reached_on == date(2022, 11, 1)  # 10 months = 304.375 days → 304 days


def test_zero_pace_never_reaches_but_still_gives_required_pace() -> None:
    result = simulate_framework_ceiling(params(observed_pace_eur_per_month=0))
    assert result.estimate.reached_on is None
    assert result.estimate.reached_on_reason == "Rythme nul : le montant ne serait jamais atteint."
    assert result.estimate.reached_before_end is False
    assert result.estimate.required_pace_eur_per_month == pytest.approx(600_000 / (730 / DAYS_PER_MONTH))
    assert result.projected_at_end_eur == 400_000
    assert result.notices == ["Rythme nul : aucune consommation supplémentaire n'est projetée."]


def test_framework_already_past_its_maximum() -> None:
    result = simulate_framework_ceiling(params(consumed_eur=2_500_000))
    assert result.maximum is not None
    for projection in (result.estimate, result.maximum):
        assert projection.already_reached is True
        assert projection.reached_on is None
        assert projection.reached_on_reason == (
            "Montant déjà atteint au 01/01/2022 : la date exacte de franchissement n'est pas connue."
        )
        assert projection.reached_before_end is True
        assert projection.required_pace_eur_per_month is None
        assert projection.remaining_eur == 0
    assert result.maximum.consumed_share == pytest.approx(1.25)
    assert result.notices == [
        "Le montant consommé (2\u202f500\u202f000\u00a0€) dépasse le montant maximum (2\u202f000\u202f000\u00a0€) "
        "de 500\u202f000\u00a0€."
    ]


def test_estimate_reached_but_not_maximum() -> None:
    result = simulate_framework_ceiling(params(consumed_eur=1_000_000))
    assert result.estimate.already_reached is True
    assert result.maximum is not None
    assert result.maximum.already_reached is False
    assert result.notices == [
        "Le montant consommé (1\u202f000\u202f000\u00a0€) a déjà atteint "
        "le montant estimé (1\u202f000\u202f000\u00a0€)."
    ]


def test_as_of_after_the_end_projects_nothing() -> None:
    result = simulate_framework_ceiling(params(as_of=date(2025, 3, 1)))
    assert (result.term_elapsed_share, result.remaining_months) == (1.0, 0.0)
    assert result.elapsed_months == pytest.approx(48.0)
    assert result.estimate.reached_on is None
    assert result.estimate.reached_on_reason == (
        "L'accord-cadre a pris fin le 01/01/2024 : aucune consommation n'est projetée au-delà."
    )
    assert result.estimate.reached_before_end is False
    assert result.estimate.required_pace_eur_per_month is None
    assert result.projection.rows() == [(date(2025, 3, 1), 400_000.0, 1_000_000.0, 2_000_000.0)]
    assert result.notices == [
        "La date d'observation (01/03/2025) n'est pas antérieure à la fin de l'accord-cadre (01/01/2024) : "
        "le terme est échu, aucune consommation n'est projetée."
    ]


def test_as_of_before_the_start_projects_from_the_start() -> None:
    result = simulate_framework_ceiling(params(as_of=date(2019, 6, 1), consumed_eur=0))
    assert (result.term_elapsed_share, result.elapsed_months) == (0.0, 0.0)
    assert result.remaining_months == pytest.approx(48.0)
    # 1 000 000\u00a0€ at 30 000\u00a0€/month = 33.33 months = 1014.58 days → 1015 days after 2020-01-01.
    assert result.estimate.reached_on == date(2022, 10, 12)
    assert result.estimate.required_pace_eur_per_month == pytest.approx(1_000_000 / 48)
    assert result.projection["month"][0] == date(2020, 1, 1)
    assert result.notices[0] == (
        "La date d'observation (01/06/2019) précède le début de l'accord-cadre (01/01/2020) : "
        "la projection part du début de l'accord-cadre."
    )


def test_without_maximum_the_estimate_is_the_ceiling() -> None:
    result = simulate_framework_ceiling(params(maximum_eur=None))
    assert result.maximum is None
    assert result.ceiling_reached_before_end is True
    assert result.projection["maximum_eur"].null_count() == result.projection.height
    assert result.notices == ["Montant maximum non renseigné : seul le montant estimé est projeté."]
    assert result.summary == "Terme écoulé : 50\u00a0% ; montant estimé consommé : 40\u00a0%."


def test_tiny_pace_beyond_the_calendar_is_explained() -> None:
    result = simulate_framework_ceiling(params(observed_pace_eur_per_month=1e-6))
    assert result.estimate.reached_on is None
    assert result.estimate.reached_on_reason is not None
    assert "pas atteint avant l'an 9999" in result.estimate.reached_on_reason


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"end_date": date(2020, 1, 1)},
            "La date de fin de l'accord-cadre (01/01/2020) doit être postérieure à sa date de début (01/01/2020).",
        ),
        ({"consumed_eur": -1}, "Le montant consommé : valeur attendue supérieure ou égale à 0\u00a0€, reçu -1\u00a0€."),
        (
            {"estimated_eur": 0},
            "Le montant estimé de l'accord-cadre : valeur attendue strictement supérieure à 0\u00a0€",
        ),
        (
            {"observed_pace_eur_per_month": -5},
            "Le rythme observé : valeur attendue supérieure ou égale à 0\u00a0€",
        ),
        ({"as_of": "2022-01-01"}, "La date d'observation : une date est attendue, reçu '2022-01-01'."),
    ],
)
def test_invalid_inputs_are_rejected_in_french(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        params(**overrides)
