"""Spend analytics on a hand-checked set of five linked contracts (one with a flagged amount)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.decp import spend
from analytics.decp.normalise import NORMALISED_SCHEMA
from tests.framework_factory import make_framework, make_lot


def _framework(*, start: date | None = date(2024, 1, 1), estimate: float = 1000.0, maximum: float | None = 2000.0):
    end = date(2025, 1, 1) if start else None
    return make_framework(lots=[make_lot(start=start, end=end, estimate=estimate, maximum=maximum)])


@pytest.fixture
def linked() -> pl.DataFrame:
    rows = {
        "contract_uid": ["c1", "c2", "c3", "c4", "c5"],
        "buyer_id": ["B1", "B2", "B1", "B3", "B2"],
        "buyer_name": ["Alpha", "Bravo", "Alpha", "Charlie", "Bravo"],
        "notification_date": [
            date(2024, 1, 15),
            date(2024, 1, 20),
            date(2024, 3, 5),
            date(2024, 4, 10),
            date(2024, 4, 11),
        ],
        "amount_eur": [100.0, 200.0, 300.0, 400.0, 12_311_111_111.0],
        "amount_flag": [None, None, None, None, "valeur marqueur connue 12 311 111 111 €"],
        "holder_name": ["g1 sa", "g2", "g1", "Solo", "g2"],
        "awardee_group": ["G1", "G2", "G1", None, "G2"],
    }
    frame = pl.DataFrame(rows, schema={c: NORMALISED_SCHEMA.get(c, pl.String()) for c in rows})
    return frame.with_columns(
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in NORMALISED_SCHEMA.items() if name not in rows
    )


def test_burn_up_fills_empty_months(linked: pl.DataFrame) -> None:
    curve = spend.burn_up(linked, _framework(), as_of=date(2024, 4, 30))
    assert curve.rows() == [
        (date(2024, 1, 1), 300.0, 300.0, 1000.0, 2000.0),
        (date(2024, 2, 1), 0.0, 300.0, 1000.0, 2000.0),
        (date(2024, 3, 1), 300.0, 600.0, 1000.0, 2000.0),
        (date(2024, 4, 1), 400.0, 1000.0, 1000.0, 2000.0),
    ]


def test_breakdowns(linked: pl.DataFrame) -> None:
    assert spend.by_beneficiary(linked).rows() == [
        ("B1", "Alpha", 2, 400.0, 0.4),
        ("B3", "Charlie", 1, 400.0, 0.4),
        ("B2", "Bravo", 1, 200.0, 0.2),
    ]
    assert spend.by_contractor(linked).rows() == [
        ("G1", 2, 400.0, 0.4),
        ("Solo (hors registre)", 1, 400.0, 0.4),
        ("G2", 1, 200.0, 0.2),
    ]
    assert spend.by_quarter(linked).rows() == [
        (date(2024, 1, 1), "2024 T1", 3, 600.0),
        (date(2024, 4, 1), "2024 T2", 1, 400.0),
    ]


def test_concentration_sizes_largest(linked: pl.DataFrame) -> None:
    assert spend.concentration(linked) == spend.Concentration(
        contractors=3, top_contractor="G1", top1_share=0.4, top3_share=1.0
    )
    assert spend.contract_sizes(linked) == spend.ContractSizes(
        contracts=4, total_eur=1000.0, mean_eur=250.0, median_eur=250.0, excluded_flagged=1
    )
    assert spend.largest_contracts(linked, limit=2).get_column("contract_uid").to_list() == ["c4", "c3"]


def test_pace_projection_and_already_reached(linked: pl.DataFrame) -> None:
    result = spend.pace(linked, _framework(), as_of=date(2024, 4, 30))
    assert result.elapsed_months == pytest.approx(120 / 30.4375)
    assert result.monthly_pace_eur == pytest.approx(1000 / (120 / 30.4375))
    assert (result.estimate.status, result.estimate.reached_on, result.estimate.projected_date) == (
        "already_reached",
        date(2024, 4, 10),
        None,
    )
    # 1 000 € left at the same pace takes as long as the first 1 000 €: 120 days after as_of
    assert (result.maximum.status, result.maximum.projected_date, result.maximum.after_term) == (
        "projected",
        date(2024, 8, 28),
        False,
    )
    assert result.maximum.message_fr == "Montant maximum (0,0\u00a0M€) atteint vers le 28/08/2024 à ce rythme."


def test_pace_past_maximum_and_after_term(linked: pl.DataFrame) -> None:
    result = spend.pace(linked, _framework(maximum=500.0, estimate=5000.0), date(2024, 4, 30))
    assert (result.maximum.status, result.maximum.reached_on) == ("already_reached", date(2024, 3, 5))
    assert result.estimate.status == "projected" and result.estimate.after_term is True


def test_pace_zero_and_unknowns(linked: pl.DataFrame) -> None:
    flagged_only = linked.filter(pl.col("amount_flag").is_not_null())
    zero = spend.pace(flagged_only, _framework(), as_of=date(2024, 4, 30))
    assert (zero.monthly_pace_eur, zero.estimate.status, zero.estimate.projected_date) == (0.0, "zero_pace", None)
    assert zero.estimate.message_fr == "Rythme nul : montant estimé (0,0\u00a0M€) jamais atteint à ce rythme."
    undated = spend.pace(linked, _framework(start=None, maximum=None), as_of=date(2024, 4, 30))
    assert (undated.estimate.status, undated.maximum.status) == ("already_reached", "target_unknown")
    assert undated.elapsed_months is None
    not_started = spend.pace(linked.head(0), _framework(), as_of=date(2023, 6, 1))
    assert not_started.estimate.status == "pace_unknown"
