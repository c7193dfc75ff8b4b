"""Spend by lot on hand-checked frames: one source per lot, never double counted, shares, projections, chart data."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.decp.charts import lot_burn_up_chart
from analytics.decp.frameworks import PublishedFigures
from analytics.decp.lot_spend import (
    SEGMENT_OBSERVED,
    SEGMENT_PROJECTION,
    SEGMENT_REFERENCE,
    SOURCE_DECP_FR,
    SOURCE_LEDGER_FR,
    TOTAL_ID,
    burn_up_frames,
    commitments,
    committed_by,
    framework_spend,
)
from analytics.decp.normalise import NORMALISED_SCHEMA
from analytics.decp.orders import NOT_COUNTED_CANCELLED, NOT_COUNTED_SUBSEQUENT, ORDER_SCHEMA
from tests.framework_factory import SOURCE, make_framework, make_lot

AS_OF = date(2026, 9, 1)  # six months after the start, 184 days


@pytest.fixture(scope="module")
def framework():
    orders_lot = make_lot(
        "F_AC01",
        execution="bons de commande",
        start=date(2026, 3, 1),
        end=date(2030, 3, 1),
        estimate=1200.0,
        maximum=2400.0,
        firm_months=24,
    )
    subsequent_lot = make_lot(
        "F_AC02",
        number=2,
        start=date(2026, 3, 1),
        end=date(2030, 3, 1),
        estimate=1000.0,
        maximum=2000.0,
        decp_id="F_AC02",
    )
    return make_framework("courant", lots=[orders_lot, subsequent_lot])


@pytest.fixture(scope="module")
def previous():
    figures = PublishedFigures(
        id="depense",
        label="Dépense publiée (presse)",
        source=SOURCE.id,
        spent_eur=4800.0,
        period_months=48,
        approximate=True,
    )
    return make_framework("precedent", lots=[make_lot("P_048", execution="bons de commande")], published=[figures])


def linked_contracts(rows: list[dict]) -> pl.DataFrame:
    schema = NORMALISED_SCHEMA | {
        "lot_id": pl.String(),
        "link": pl.String(),
        "beneficiary": pl.String(),
        "awardee_group": pl.String(),
    }
    given = {c for row in rows for c in row}
    frame = pl.DataFrame(rows, schema={c: d for c, d in schema.items() if c in given})
    return frame.with_columns(pl.lit(None, dtype=d).alias(c) for c, d in schema.items() if c not in given)


@pytest.fixture(scope="module")
def linked() -> pl.DataFrame:
    base = {"lot_id": "F_AC02", "link": "identifiant", "buyer_name": "Ministère A", "holder_name": "Titulaire T"}
    return linked_contracts(
        [
            base | {"contract_uid": "m1", "notification_date": date(2026, 4, 10), "amount_eur": 100.0},
            base
            | {"contract_uid": "m2", "notification_date": date(2026, 6, 5), "amount_eur": 200.0, "link": "probable"},
            base
            | {
                "contract_uid": "m3",
                "notification_date": date(2026, 6, 6),
                "amount_eur": 12_311_111_111.0,
                "amount_flag": "valeur marqueur connue 12 311 111 111 €",
            },
        ]
    )


def order(ref: str, day: date, holder: str, lot: str, amount: float, status: str, reason: str | None = None) -> dict:
    return {
        "row_ref": f"ligne {ref}",
        "order_ref": ref,
        "order_date": day,
        "beneficiary": "DINUM",
        "holder": holder,
        "awardee_group": holder,
        "framework_id": "courant",
        "lot_id": lot,
        "amount_eur": amount,
        "status": status,
        "counted": reason is None,
        "not_counted_reason": reason,
    }


@pytest.fixture(scope="module")
def orders() -> pl.DataFrame:
    rows = [
        order("BC-1", date(2026, 3, 20), "Alpha / Beta", "F_AC01", 150.0, "émis"),
        order("BC-2", date(2026, 5, 2), "Gamma", "F_AC01", 450.0, "terminé"),
        order("BC-3", date(2026, 5, 3), "Gamma", "F_AC01", 999.0, "annulé", NOT_COUNTED_CANCELLED),
        # an order placed under a subsequent contract: already inside m1 or m2, never added to lot 2
        order("BC-4", date(2026, 5, 4), "Titulaire T", "F_AC02", 80.0, "émis", NOT_COUNTED_SUBSEQUENT),
    ]
    return pl.DataFrame(rows, schema=ORDER_SCHEMA)


def test_each_lot_reads_its_own_source_only(framework, linked, orders) -> None:
    rows = commitments(framework, linked, orders)
    assert rows.select("lot_id", "reference", "amount_eur", "source").rows() == [
        ("F_AC02", "m1", 100.0, "decp"),
        ("F_AC02", "m2", 200.0, "decp"),
        ("F_AC01", "BC-1", 150.0, "registre"),
        ("F_AC01", "BC-2", 450.0, "registre"),
    ]
    # a DECP contract claiming the orders lot would not be counted either
    stray = linked_contracts(
        [{"contract_uid": "x", "lot_id": "F_AC01", "notification_date": date(2026, 4, 1), "amount_eur": 1.0}]
    )
    assert commitments(framework, stray, None).is_empty()


def test_committed_shares_and_sources_per_lot_and_total(framework, linked, orders) -> None:
    spend = framework_spend(framework, linked, orders, AS_OF)
    lot1, lot2 = spend.lots
    assert (lot1.source_fr, lot1.items, lot1.committed_eur) == (SOURCE_LEDGER_FR, 2, 600.0)
    assert (lot1.share_of_estimate, lot1.share_of_maximum) == (0.5, 0.25)
    assert (lot2.source_fr, lot2.items, lot2.committed_eur) == (SOURCE_DECP_FR, 2, 300.0)
    assert (lot2.share_of_estimate, lot2.share_of_maximum) == (0.3, 0.15)
    assert lot1.notes_fr == [
        "Aucune trace dans les DECP : les bons de commande n'y sont pas publiés.",
        "1 bon(s) de commande annulé(s) non compté(s) (0,0\u00a0M€).",
    ]
    assert lot2.notes_fr == [
        "1 marché(s) au montant signalé (absent, nul, invraisemblable) exclu(s) des sommes.",
        "Dont 1 marché(s) rattaché(s) de façon probable (sans identifiant).",
        "1 ligne(s) du registre des bons de commande rattachée(s) à ce lot (0,0\u00a0M€) non comptée(s) : la "
        "dépense du lot est celle de ses marchés subséquents (DECP).",
    ]
    total = spend.total
    assert (total.lot_id, total.committed_eur, total.estimate_eur, total.maximum_eur) == (
        TOTAL_ID,
        900.0,
        2200.0,
        4400.0,
    )
    assert total.share_of_estimate == pytest.approx(900 / 2200)
    assert total.source_fr == f"{SOURCE_DECP_FR} + {SOURCE_LEDGER_FR}"


def test_paces_and_projected_dates_against_the_term(framework, linked, orders) -> None:
    spend = framework_spend(framework, linked, orders, AS_OF)
    lot1 = spend.lots[0]
    months = 184 / (365.25 / 12)
    assert lot1.pace.monthly_pace_eur == pytest.approx(600 / months)
    # 600 € left to the estimate at the same pace: as long again as the first 600 €, 184 days
    assert (lot1.pace.estimate.projected_date, lot1.pace.estimate.after_term) == (date(2027, 3, 4), False)
    assert lot1.pace.maximum.projected_date == date(2028, 3, 6)  # 1 800 € left: three times 184 days
    assert (lot1.term_start, lot1.firm_end, lot1.term_end) == (date(2026, 3, 1), date(2028, 3, 1), date(2030, 3, 1))


def test_a_source_not_loaded_gives_no_figure_rather_than_zero(framework, linked) -> None:
    spend = framework_spend(framework, linked, None, AS_OF)
    lot1, lot2 = spend.lots
    assert (lot1.committed_eur, lot1.pace, lot1.share_of_estimate) == (None, None, None)
    assert "Aucun registre des bons de commande chargé : dépense inconnue." in lot1.notes_fr
    assert lot2.committed_eur == 300.0
    assert (spend.total.committed_eur, spend.total.share_of_estimate, spend.total.pace) == (300.0, None, None)
    assert spend.total.notes_fr == ["Hors Lot 1 (F_AC01) : dépense inconnue (source non chargée)."]
    empty = framework_spend(framework, linked, orders=pl.DataFrame(schema=ORDER_SCHEMA), as_of=AS_OF)
    assert empty.lots[0].committed_eur == 0.0  # a ledger without orders for the lot: nothing committed


def test_previous_framework_published_spend_is_the_comparison(framework, linked, orders, previous) -> None:
    spend = framework_spend(framework, linked, orders, AS_OF, previous=previous)
    comparison = spend.comparison
    assert (comparison.monthly_pace_eur, comparison.framework_id) == (100.0, "precedent")
    assert comparison.ratio == pytest.approx(spend.total.pace.monthly_pace_eur / 100.0)
    assert comparison.message_fr.endswith(
        "le rythme publié de l'accord-cadre précédent (TEST : environ 0\u00a0M€ en 48 mois, soit 0,00\u00a0M€ par "
        "mois ; source : Document de test)."
    )
    assert framework_spend(framework, linked, orders, AS_OF, previous=None).comparison is None


def test_burn_up_frames_draw_the_projection_to_the_maximum_and_the_ceilings(
    framework, linked, orders, previous
) -> None:
    spend = framework_spend(framework, linked, orders, AS_OF, previous=previous)
    frames = burn_up_frames(spend, commitments(framework, linked, orders))
    lot1 = frames.curve.filter(pl.col("series_id") == "F_AC01")
    observed = lot1.filter(pl.col("segment") == SEGMENT_OBSERVED)
    assert observed.select("day", "cumulative_eur").rows() == [
        (date(2026, 3, 1), 150.0),
        (date(2026, 4, 1), 150.0),
        (date(2026, 5, 1), 600.0),
        (date(2026, 6, 1), 600.0),
        (date(2026, 7, 1), 600.0),
        (date(2026, 8, 1), 600.0),
        (date(2026, 9, 1), 600.0),
    ]
    projection = lot1.filter(pl.col("segment") == SEGMENT_PROJECTION)
    # from the as-of date, bending where it reaches the estimate, stopping at the maximum (the lot then ends)
    assert projection.get_column("day").to_list() == [AS_OF, date(2027, 3, 4), date(2028, 3, 6)]
    assert projection.get_column("cumulative_eur").to_list() == pytest.approx([600.0, 1200.0, 2400.0], abs=0.01)
    assert frames.ceilings.filter(pl.col("series_id") == "F_AC01").select("ceiling", "amount_eur").rows() == [
        ("Estimation", 1200.0),
        ("Maximum", 2400.0),
    ]
    marks = dict(frames.marks.filter(pl.col("series_id") == "F_AC01").select("mark", "day").iter_rows())
    assert marks["Fin de la période ferme"] == date(2028, 3, 1)
    assert marks["Maximum atteint à ce rythme (projection)"] == date(2028, 3, 6)
    reference = frames.curve.filter(pl.col("segment") == SEGMENT_REFERENCE)
    assert reference.select("series_id", "day", "cumulative_eur").rows() == [
        (TOTAL_ID, date(2026, 3, 1), 0.0),
        (TOTAL_ID, date(2030, 3, 1), 4800.0),
    ]
    spec = lot_burn_up_chart(frames, "F_AC01").to_dict()
    drawn = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert drawn == ["line", "rule", "text", "rule", "text"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [SEGMENT_OBSERVED, SEGMENT_PROJECTION]


def test_no_projection_once_the_term_is_over_or_without_pace(framework) -> None:
    over = framework_spend(framework, None, pl.DataFrame(schema=ORDER_SCHEMA), date(2031, 1, 1))
    frames = burn_up_frames(over, commitments(framework, None, pl.DataFrame(schema=ORDER_SCHEMA)))
    assert frames.curve.filter(pl.col("segment") == SEGMENT_PROJECTION).is_empty()


def test_committed_by_holder_keeps_each_lot_and_names_the_source(framework, linked, orders) -> None:
    rows = commitments(framework, linked, orders)
    assert committed_by(rows, "holder").rows() == [
        ("F_AC01", "Gamma", 1, 450.0, "registre", 0.75),
        ("F_AC01", "Alpha / Beta", 1, 150.0, "registre", 0.25),
        ("F_AC02", "Titulaire T", 2, 300.0, "decp", 1.0),
    ]
