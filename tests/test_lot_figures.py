"""Key figures, published amounts and parties of a framework's lots, on hand-checked frames and registries."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.decp.frameworks import Fact, Framework, Holder, PublishedFigures, Source
from analytics.decp.lot_figures import (
    SeriesFigures,
    comparison_figures,
    meeting_table,
    published_amounts,
    published_difference_fr,
    series_figures,
    series_ids,
    where_fr,
)
from analytics.decp.lot_parties import parties, unnamed_note_fr
from analytics.decp.lot_spend import TOTAL_ID, commitments, framework_spend
from analytics.decp.normalise import NORMALISED_SCHEMA
from analytics.decp.orders import NOT_COUNTED_CANCELLED, ORDER_SCHEMA
from analytics.formatting import format_eur_as_meur
from analytics.key_figures import KeyFigure
from tests.framework_factory import SOURCE, make_framework, make_lot
from tests.test_lot_spend import order

AS_OF = date(2026, 9, 1)  # 184 days after the start
CCAP = Source(
    id="ccap", title="CCAP de test", publisher="Acheteur", url="https://example.org/ccap", kind="cahier des charges"
)


@pytest.fixture(scope="module")
def framework() -> Framework:
    orders_lot = make_lot(
        "F_AC01",
        execution="bons de commande",
        estimate=12e6,
        maximum=24e6,
        holders=[Holder(name="Alpha / Beta", members=["Alpha SA", "Beta"]), Holder(name="Gamma"), Holder(name="Delta")],
    )
    subsequent_lot = make_lot("F_AC02", number=2, estimate=10e6, maximum=20e6, decp_id="F_AC02")
    return make_framework("courant", lots=[orders_lot, subsequent_lot])


@pytest.fixture(scope="module")
def orders() -> pl.DataFrame:
    rows = [
        order("BC-1", date(2026, 3, 20), "Alpha / Beta", "F_AC01", 1.5e6, "émis"),
        order("BC-2", date(2026, 5, 2), "Gamma", "F_AC01", 4.5e6, "terminé"),
        order("BC-3", date(2026, 5, 3), "Gamma", "F_AC01", 9e6, "annulé", NOT_COUNTED_CANCELLED),
    ]
    return pl.DataFrame(rows, schema=ORDER_SCHEMA)


@pytest.fixture(scope="module")
def linked() -> pl.DataFrame:
    extra = {"lot_id": pl.String(), "link": pl.String(), "beneficiary": pl.String(), "awardee_group": pl.String()}
    rows = [
        {"contract_uid": "m1", "notification_date": date(2026, 4, 10), "amount_eur": 1e6, "holder_name": "Zeta SA"},
        {"contract_uid": "m2", "notification_date": date(2026, 6, 5), "amount_eur": 2e6, "holder_name": "Zeta SA"},
    ]
    frame = pl.DataFrame(rows, schema={k: NORMALISED_SCHEMA[k] for k in rows[0]})
    missing = {c: d for c, d in (NORMALISED_SCHEMA | extra).items() if c not in frame.columns}
    return frame.with_columns(pl.lit(None, dtype=d).alias(c) for c, d in missing.items()).with_columns(
        lot_id=pl.lit("F_AC02"), link=pl.lit("identifiant"), buyer_name=pl.lit("Ministère A")
    )


def figures_by_label(framework, linked, orders, simulated=None) -> dict[str, object]:
    spend = framework_spend(framework, linked, orders, AS_OF)
    series = series_figures(framework, spend, simulated or {})
    return {figure.label: figure for item in series for figure in item.figures(meeting=False)}


def test_each_lot_and_the_total_in_figures(framework, linked, orders) -> None:
    shown = figures_by_label(framework, linked, orders, {"F_AC01": True})
    values = {label: figure.value for label, figure in shown.items()}
    assert values["Engagé · lot 1"] == format_eur_as_meur(6e6)  # the cancelled order is not counted
    assert values["Part de l'estimation · lot 1"] == "50,0\u00a0%"
    assert values["Part du maximum · lot 1"] == "25,0\u00a0%"
    # 6 M€ in 184 days: the 6 M€ left to the estimate take 184 days more, the 18 M€ to the maximum 552
    assert values["Estimation atteinte · lot 1"] == "04/03/2027"
    assert values["Maximum atteint · lot 1"] == "06/03/2028"
    assert shown["Maximum atteint · lot 1"].delta == "avant la fin au plus tard (01/03/2030)"
    assert values["Engagé · lot 2"] == format_eur_as_meur(3e6)
    assert values["Part du maximum · lot 2"] == "15,0\u00a0%"
    assert values["Engagé · ensemble"] == format_eur_as_meur(9e6)
    assert values["Part de l'estimation · ensemble"] == "40,9\u00a0%"  # 9 of 22 M€
    assert shown["Engagé · lot 1"].help.endswith("Données simulées.")
    assert not shown["Engagé · lot 2"].help.endswith("Données simulées.")
    assert "2 bon(s) de commande compté(s)" in shown["Engagé · lot 1"].help


def test_meeting_mode_keeps_four_figures_per_series(framework, linked, orders) -> None:
    spend = framework_spend(framework, linked, orders, AS_OF)
    series = series_figures(framework, spend, {})
    assert [item.series_id for item in series] == ["F_AC01", "F_AC02", TOTAL_ID]
    assert series_ids(framework) == [TOTAL_ID, "F_AC01", "F_AC02"]  # the page's tabs: the whole first
    assert [f.label for f in series[0].figures(meeting=True)] == [
        "Engagé · lot 1",
        "Part de l'estimation · lot 1",
        "Part du maximum · lot 1",
        "Maximum atteint · lot 1",
    ]


def test_a_source_not_loaded_is_said_not_dashed(framework, linked) -> None:
    values = {label: f.value for label, f in figures_by_label(framework, linked, None).items()}
    assert values["Engagé · lot 1"] == values["Part du maximum · lot 1"] == "source non chargée"
    assert values["Maximum atteint · ensemble"] == "source non chargée"
    assert values["Engagé · lot 2"] == format_eur_as_meur(3e6)


def test_unpublished_ceilings_say_where_they_are_said() -> None:
    no_ceiling = make_lot("OLD_048", number=None, execution="bons de commande").model_copy(
        update={
            "estimate_eur": Fact(source="ccap", at="article 2.4.1, page 5", why_none="aucun montant estimatif"),
            "maximum_eur": Fact(source="ccap", at="article 2.4.1, page 5", why_none="« sans montant maximum »"),
        }
    )
    old = make_framework("ancien").model_copy(update={"lots": [no_ceiling], "sources": [SOURCE, CCAP]})
    orders = pl.DataFrame([order("BC-1", date(2026, 4, 1), "Delta", "OLD_048", 1e6, "émis")], schema=ORDER_SCHEMA)
    shown = figures_by_label(old, None, orders)
    assert shown["Part du maximum · lot unique"].value == "sans maximum (CCAP art. 2.4.1)"
    assert shown["Maximum atteint · lot unique"].value == "sans maximum (CCAP art. 2.4.1)"
    assert shown["Part de l'estimation · lot unique"].value == "sans montant estimatif (CCAP art. 2.4.1)"
    assert (
        shown["Part du maximum · lot unique"].help == "« sans montant maximum » (CCAP de test, article 2.4.1, page 5)"
    )
    assert series_ids(old) == ["OLD_048"]  # one lot: no separate total
    documented = make_lot("DOC_01")  # no estimate, sourced by a documentation page
    values = figures_by_label(make_framework("doc", lots=[documented]), None, None)
    assert values["Part de l'estimation · lot 1"].value == "non publié (documentation beta.gouv.fr)"


def test_where_a_fact_is_written() -> None:
    framework = make_framework().model_copy(update={"sources": [SOURCE, CCAP]})
    assert where_fr(framework, Fact(value=1, source="ccap", at="articles 1.1 et 1.2, page 8")) == "CCAP art. 1.1"
    assert where_fr(framework, Fact(value=1, source="ccap", at="page 1")) == "CCAP"
    assert where_fr(framework, Fact(value=1, source="ccap", at="page 1"), short=False) == "CCAP de test, page 1"


def test_published_sets_side_by_side_and_the_sentence_saying_they_differ() -> None:
    lots = [make_lot(f"N_AC0{n}", number=n, estimate=100e6, maximum=200e6) for n in (1, 2)]
    press = PublishedFigures(
        id="presse", label="Premier appel d'offres", source="test", estimate_eur=195e6, maximum_eur=495e6
    )
    framework = make_framework("neuf", lots=lots, published=[press])
    table = published_amounts(framework)
    assert table.select("series", "estimate", "maximum").rows() == [
        ("Lot 1 (N_AC01) — documentation beta.gouv.fr", "100\u00a0M€", "200\u00a0M€"),
        ("Lot 2 (N_AC02) — documentation beta.gouv.fr", "100\u00a0M€", "200\u00a0M€"),
        ("Ensemble des lots (somme) — documentation beta.gouv.fr", "200\u00a0M€", "400\u00a0M€"),
        ("Premier appel d'offres", "195\u00a0M€", "495\u00a0M€"),
    ]
    assert set(table.get_column("url")) == {SOURCE.url}
    sentence = published_difference_fr(framework)
    assert sentence.startswith("Les deux séries de chiffres publiés diffèrent")
    assert "fixe 200\u00a0M€ estimés et 400\u00a0M€ au plus" in sentence
    assert "annonçait 195\u00a0M€ estimés et jusqu'à 495\u00a0M€" in sentence
    same = press.model_copy(update={"estimate_eur": 200e6, "maximum_eur": 400e6})
    assert published_difference_fr(make_framework("neuf", lots=lots, published=[same])) is None


def test_the_previous_frameworks_published_spend_as_figures(framework, linked, orders) -> None:
    figures = PublishedFigures(
        id="depense", label="Dépense publiée.", source="test", spent_eur=48e6, period_months=48, approximate=True
    )
    previous = make_framework("precedent", lots=[make_lot("P_048")], published=[figures])
    spend = framework_spend(framework, linked, orders, AS_OF, previous=previous)
    shown = comparison_figures(spend.comparison, previous)
    assert [f.value for f in shown] == [
        f"≈ {format_eur_as_meur(48e6, 0)}",
        f"≈ {format_eur_as_meur(1e6, 2)} / mois",
        f"{9e6 / (184 / (365.25 / 12)) / 1e6:.1f} fois".replace(".", ","),
    ]
    assert (shown[0].label, shown[0].delta) == ("Dépense publiée de TEST", "en 4 ans (48 mois)")


def test_named_and_observed_parties_with_their_commitments(framework, linked, orders) -> None:
    rows = commitments(framework, linked, orders)
    holders = parties(framework, rows, "holder", ["F_AC01", "F_AC02"])
    assert holders.select("lot_id", "name", "in_registry", "items", "committed_eur", "share", "sources").rows() == [
        ("F_AC01", "Gamma", True, 1, 4.5e6, 0.75, "registre des bons de commande"),
        ("F_AC01", "Alpha / Beta", True, 1, 1.5e6, 0.25, "registre des bons de commande"),
        ("F_AC01", "Delta", True, 0, 0.0, 0.0, None),  # named by the documents, nothing committed yet
        ("F_AC02", "Zeta SA", False, 2, 3e6, 1.0, "DECP"),  # found in DECP only, under the file's name
    ]
    assert holders.item(1, "also_named") == "Alpha SA ; Beta"
    assert parties(framework, rows, "holder", ["F_AC02"]).get_column("name").to_list() == ["Zeta SA"]
    beneficiaries = parties(framework, rows, "beneficiary", ["F_AC01"])
    assert beneficiaries.select("name", "in_registry", "committed_eur").rows() == [("DINUM", False, 6e6)]


def test_what_the_documents_say_instead_of_names(framework) -> None:
    unnamed = make_lot("U_AC01").model_copy(
        update={"holders": Fact(source="test", why_none="Non publiés.", note="Mandataire non précisé.")}
    )
    assert unnamed_note_fr(make_framework("u", lots=[unnamed]), "holder", ["U_AC01"]) == [
        "Lot 1 (U_AC01) : Non publiés.",
        "Lot 1 (U_AC01) : Mandataire non précisé.",
    ]
    assert unnamed_note_fr(framework, "holder", ["F_AC01"]) == []


def test_meeting_table_has_a_row_per_series_and_the_cards_texts() -> None:
    def figure(label: str, value: str, delta: str | None = None) -> KeyFigure:
        return KeyFigure(label=label, value=value, delta=delta)

    def series(series_id: str, title: str, suffix: str, reached: str) -> SeriesFigures:
        return SeriesFigures(
            series_id=series_id,
            title_fr=title,
            execution_fr="bons de commande",
            source_fr="registre",
            committed=figure(f"Engagé · {suffix}", "11,0 M€"),
            share_of_estimate=figure(f"Part de l'estimation · {suffix}", "11,0 %"),
            share_of_maximum=figure(f"Part du maximum · {suffix}", "5,5 %"),
            pace=figure(f"Rythme · {suffix}", "1,37 M€/mois"),
            estimate_reached=figure(f"Estimation atteinte · {suffix}", "27/03/2032"),
            maximum_reached=figure(f"Maximum atteint · {suffix}", reached, "après la fin au plus tard (01/03/2030)"),
        )

    table = meeting_table([series("L1", "Lot 1", "lot 1", "23/04/2038"), series("TOTAL", "Ensemble", "ensemble", "–")])
    assert table.columns == ["Lot", "Exécution", "Engagé", "Part de l'estimation", "Part du maximum", "Maximum atteint"]
    assert table.row(0) == (
        "Lot 1",
        "bons de commande",
        "11,0 M€",
        "11,0 %",
        "5,5 %",
        "23/04/2038, après la fin au plus tard (01/03/2030)",
    )
    assert table.item(1, "Lot") == "Ensemble" and meeting_table([]).is_empty()
