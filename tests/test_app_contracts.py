"""« Accords-cadres agiles » page through AppTest: figures per lot and in total equal the lot spend analytics run
directly on the same files; uploads of a ledger and of a DECP file change them by the files' amounts."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import timedelta

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.decp.frameworks import Framework, framework_by_id, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.lot_figures import published_difference_fr
from analytics.decp.lot_spend import FrameworkSpend, framework_spend
from analytics.decp.orders import read_orders
from analytics.decp.readers import FRAMEWORKS_PATH, ORDERS_SCENARIO_PATH, SCENARIO_PATH, read_decp
from analytics.formatting import MISSING, format_eur_as_meur, format_pct
from analytics.formatting import escape_markdown as md
from analytics.params.pages import PageId
from pages.common.contracts_data import SCENARIO_AS_OF, UPLOADED_KEY
from pages.common.orders_data import UPLOADED_ORDERS_KEY
from tests.app_helpers import key, metrics, open_app, query, texts
from tests.test_decp_consolidated import consolidated

BANNER = "Données simulées"
LOT1, LOT2, TOTAL = "lot 1", "lot 2", "ensemble"
HEADER = "Date du bon de commande;Bénéficiaire;Titulaire;Lot;Référence du bon de commande;Montant HT (€);Statut"
GOOD_LEDGER = "\r\n".join(
    [
        HEADER,
        "02/04/2026;DINUM;OCTO Technology;25_BAM_044_AC01;BC-A;2 400 000,00;émis",
        "10/06/2026;Agence bio;THEODO;25_BAM_044 AC01;BC-B;600 000;terminé",
        "11/06/2026;Agence bio;THEODO;25_BAM_044_AC01;BC-C;999 999;annulé",  # kept, not counted
        "15/03/2022;Ministère de la Culture;La Zone;21_BAM_048;BC-D;50 000;terminé",  # another framework
    ]
).encode("utf-8-sig")
GOOD_LEDGER_LOT1_EUR = 3_000_000.0


@pytest.fixture(scope="module")
def registry() -> list[Framework]:
    return load_frameworks(FRAMEWORKS_PATH)


@pytest.fixture(scope="module")
def impact(registry: list[Framework]) -> Framework:
    return framework_by_id(registry, "agile-2026-impact")


@pytest.fixture(scope="module")
def default_spend(registry: list[Framework], impact: Framework) -> FrameworkSpend:
    """What the page should show by default, computed here from the shipped files by the analytics alone."""
    contracts, _ = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=SCENARIO_AS_OF)
    orders, _ = read_orders(ORDERS_SCENARIO_PATH, ORDERS_SCENARIO_PATH.name, registry)
    linked = link_to_framework(contracts, impact, include_probable=False)
    previous = framework_by_id(registry, "agile-2021-beta")
    return framework_spend(impact, linked, orders, SCENARIO_AS_OF, previous=previous)


def open_contracts(params: Mapping[str, str] | None = None) -> AppTest:
    """A visitor following a link to the page."""
    at = open_app("contracts", params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def committed(at: AppTest, series: str) -> str:
    return metrics(at)[f"Engagé · {series}"]


def banner(at: AppTest) -> str | None:
    return next((str(w.value) for w in at.warning if str(w.value).startswith(BANNER)), None)


def upload(at: AppTest, uploader: str, name: str, content: bytes) -> None:
    at.file_uploader(key=uploader).set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def plain_texts(at: AppTest) -> list[str]:
    return [str(t.value) for t in at.text]


def table_with(at: AppTest, column: str) -> pl.DataFrame:
    for element in at.dataframe:
        frame = element.value.data if hasattr(element.value, "data") else element.value
        if column in frame.columns:
            return pl.from_pandas(frame)
    raise AssertionError(f"no table with a column « {column} »")


def test_opens_on_the_current_framework_with_each_lot_and_the_total(default_spend: FrameworkSpend) -> None:
    at = open_contracts()
    shown = metrics(at)
    assert banner(at)
    assert "accord" not in query(at) and "lot" not in query(at)  # the defaults stay out of the URL
    lot1, lot2 = default_spend.lots
    for series, spend in ((LOT1, lot1), (LOT2, lot2), (TOTAL, default_spend.total)):
        assert shown[f"Engagé · {series}"] == format_eur_as_meur(spend.committed_eur)
        assert shown[f"Part de l'estimation · {series}"] == format_pct(spend.share_of_estimate)
        assert shown[f"Part du maximum · {series}"] == format_pct(spend.share_of_maximum)
        assert shown[f"Estimation atteinte · {series}"] == f"{spend.pace.estimate.projected_date:%d/%m/%Y}"
        assert shown[f"Maximum atteint · {series}"] == f"{spend.pace.maximum.projected_date:%d/%m/%Y}"
    # the simulated default's calibration (data/decp/SCENARIO.md): 11 M€ of orders, 6 M€ of subsequent contracts
    assert [shown[f"Engagé · {s}"] for s in (LOT1, LOT2, TOTAL)] == [format_eur_as_meur(v) for v in (11e6, 6e6, 17e6)]
    assert shown["Part de l'estimation · lot 1"] == format_pct(11e6 / 100e6)
    assert shown["Part du maximum · ensemble"] == format_pct(17e6 / 400e6)
    # 89 M€ left to lot 1's estimate at 11 M€ per 244 days (01/03 to 31/10/2026)
    expected = SCENARIO_AS_OF + timedelta(days=round(89e6 / (11e6 / 244)))
    assert shown["Estimation atteinte · lot 1"] == f"{expected:%d/%m/%Y}"
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Maximum atteint · lot 2"] == "après la fin au plus tard (01/03/2030)"
    assert not [label for label, value in shown.items() if MISSING in value]


def test_the_previous_framework_and_both_published_sets_are_shown_with_their_sources(impact: Framework) -> None:
    at = open_contracts()
    shown = metrics(at)
    assert any("accord-cadre précédent (21\\_BAM\\_048)" in str(h.value) for h in at.subheader)
    assert shown["Dépense publiée de 21_BAM_048"] == f"≈ {format_eur_as_meur(66e6, 0)}"
    assert next(m.delta for m in at.metric if m.label == "Dépense publiée de 21_BAM_048") == "en 4 ans (48 mois)"
    assert shown["Rythme publié de 21_BAM_048"] == f"≈ {format_eur_as_meur(66e6 / 48, 2)} / mois"
    published = table_with(at, "Montant maximum (HT)")
    rows = {row["Chiffres"]: row for row in published.iter_rows(named=True)}
    assert rows["Lot 1 (25_BAM_044_AC01) — CCAP"]["Montant estimatif (HT)"] == format_eur_as_meur(100e6, 0)
    assert rows["Lot 2 (25_BAM_044_AC02) — CCAP"]["Montant maximum (HT)"] == format_eur_as_meur(200e6, 0)
    press = rows["Premier appel d'offres (presse, août 2025)"]
    assert (press["Montant estimatif (HT)"], press["Montant maximum (HT)"]) == tuple(
        format_eur_as_meur(v, 0) for v in (195e6, 495e6)
    )
    assert press["Lien"].startswith("https://www.cio-online.com/")
    assert md(published_difference_fr(impact)) in [str(i.value) for i in at.info]
    facts = table_with(at, "Document")
    assert facts.filter(pl.col("Lien").is_null() | ~pl.col("Lien").str.starts_with("https://")).is_empty()
    assert "Montant maximum (€ HT)" in facts.get_column("Fait").to_list()


def test_a_lot_link_opens_its_framework_and_says_what_is_unpublished() -> None:
    at = open_contracts({"lot": "21_BAM_048"})
    shown = metrics(at)
    assert query(at) == {"accord": "agile-2021-beta", "lot": "21_BAM_048"}
    assert shown["Engagé · lot unique"] == format_eur_as_meur(66e6)  # the simulated ledger of the 2021 framework
    assert shown["Part du maximum · lot unique"] == "sans maximum (CCAP art. 2.4.1)"
    assert shown["Part de l'estimation · lot unique"] == "sans montant estimatif (CCAP art. 2.4.1)"
    assert not [label for label, value in shown.items() if MISSING in value]
    holders = table_with(at, "Titulaire")
    assert set(holders.get_column("Titulaire")) == {
        "La Zone",
        "OCTO / Malt",
        "Benext",
        "Inetum / Little Big Connection",
    }


def test_invalid_link_values_give_french_notices_once() -> None:
    at = open_contracts({"accord": "accord-inconnu", "probables": "peut-etre", "lot": "LOT_X"})
    notices = [str(w.value) for w in at.warning if "aramètre" in str(w.value)]
    assert len(notices) == 3, notices
    assert any("« accord-inconnu » inconnu du registre" in n for n in notices)
    assert any("« probables » = « peut-etre » non compris" in n for n in notices)
    assert any("Lot « LOT\\_X » inconnu du registre" in n for n in notices)
    assert committed(at, TOTAL) == format_eur_as_meur(17e6)  # the current framework
    at.run()
    assert not any("inconnu du registre" in str(w.value) for w in at.warning)


def test_a_lot_of_another_framework_is_dropped_with_a_notice() -> None:
    at = open_contracts({"accord": "agile-2026-impact", "lot": "21_BAM_048"})
    assert any("n'appartient pas" in str(w.value) for w in at.warning)
    assert query(at) == {"accord": "agile-2026-impact"}
    assert committed(at, TOTAL) == format_eur_as_meur(17e6)


def test_choosing_another_framework_forgets_the_lot() -> None:
    at = open_contracts({"lot": "25_BAM_044_AC02"})
    assert query(at) == {"lot": "25_BAM_044_AC02"}
    at.selectbox(key=key("framework_id", PageId.CONTRACTS)).set_value("agile-2021-beta").run()
    assert query(at) == {"accord": "agile-2021-beta"}
    assert committed(at, "lot unique") == format_eur_as_meur(66e6)


def test_a_ledger_upload_replaces_the_simulated_ledger_by_its_amounts() -> None:
    at = open_contracts()
    upload(at, "orders_file_0", "registre.csv", GOOD_LEDGER)
    assert any("Registre « registre\\.csv » chargé" in str(s.value) for s in at.success)
    assert committed(at, LOT1) == format_eur_as_meur(GOOD_LEDGER_LOT1_EUR)  # the cancelled order is not counted
    assert committed(at, LOT2) == format_eur_as_meur(6e6)  # DECP, unchanged
    assert committed(at, TOTAL) == format_eur_as_meur(GOOD_LEDGER_LOT1_EUR + 6e6)
    assert metrics(at)["Part de l'estimation · lot 1"] == format_pct(GOOD_LEDGER_LOT1_EUR / 100e6)
    simulated = banner(at).split("Pour des données réelles")[0]
    assert "marchés subséquents du lot 2" in simulated and "bons de commande" not in simulated  # only DECP now
    assert "Colonnes utilisées" in texts(at)

    next(b for b in at.button if b.label == "Revenir au registre simulé").click().run()
    assert committed(at, LOT1) == format_eur_as_meur(11e6)
    assert UPLOADED_ORDERS_KEY not in at.session_state


def test_a_bad_ledger_gives_located_french_errors_and_changes_nothing() -> None:
    at = open_contracts()
    upload(at, "orders_file_0", "registre.csv", GOOD_LEDGER)
    bad = "\r\n".join(
        [
            HEADER,
            "31/02/2026;DINUM;OCTO Technology;25_BAM_044_AC01;BC-1;1 000;émis",
            "02/04/2026;DINUM;OCTO Technology;25_BAM_044_AC01;BC-2;**1** [x](https://exemple.org);émis",
            "02/04/2026;DINUM;OCTO Technology;LOT_X;BC-3;1 000;perdu",
        ]
    ).encode("utf-8")
    upload(at, "orders_file_0", "mauvais.csv", bad)
    errors = " ".join(str(e.value) for e in at.error)
    assert "Registre « mauvais\\.csv » refusé" in errors and "rien de ce qui est chargé ne change" in errors
    messages = plain_texts(at)
    assert any(
        "mauvais.csv, ligne 2, colonne « Date du bon de commande », valeur « 31/02/2026 » : n'est pas une date" in m
        for m in messages
    ), messages
    # the cell is shown as written, as plain text: no Markdown emphasis or link made of it
    assert any("ligne 3, colonne « Montant HT (€) », valeur « **1** [x](https://exemple.org) »" in m for m in messages)
    assert any("ligne 4, colonne « Lot », valeur « LOT_X » : lot inconnu du registre" in m for m in messages)
    assert any("ligne 4, colonne « Statut », valeur « perdu » : statut inconnu" in m for m in messages)
    assert committed(at, LOT1) == format_eur_as_meur(GOOD_LEDGER_LOT1_EUR)  # the good ledger stays
    assert at.session_state[UPLOADED_ORDERS_KEY].report.file_name == "registre.csv"


def test_a_decp_upload_replaces_lot_2_by_the_amounts_of_the_file() -> None:
    lines = SCENARIO_PATH.read_text(encoding="utf-8").splitlines()
    extract = "\n".join(lines[:7]).encode("utf-8")  # header + the first 6 rows
    # its current lot 2 contracts, counted once each (a co-holder repeats a row), computed from the raw text
    rows = list(csv.DictReader(io.StringIO(extract.decode("utf-8"))))
    current = {r["id"]: float(r["montant"]) for r in rows if r["donneesActuelles"] == "oui"}
    file_eur = sum(current.values())
    assert len(current) == 4 and file_eur == pytest.approx(3_470_994.84)

    at = open_contracts()
    upload(at, "decp_file_0", "extrait.csv", extract)
    loaded = "Fichier « extrait.csv » chargé : 4 marché(s)"  # shown Markdown-escaped: compared without backslashes
    assert any(str(s.value).replace("\\", "").startswith(loaded) for s in at.success)
    in_expanders = [str(s.value).replace("\\", "") for expander in at.expander for s in expander.success]
    assert not any(m.startswith(loaded) for m in in_expanders), "the verdict stays visible with its expander closed"
    assert committed(at, LOT2) == format_eur_as_meur(file_eur)
    assert committed(at, LOT1) == format_eur_as_meur(11e6)  # the ledger, unchanged
    assert committed(at, TOTAL) == format_eur_as_meur(file_eur + 11e6)
    assert "bons de commande du lot 1" in banner(at)  # the ledger is still simulated, and said so
    next(b for b in at.button if b.label == "Revenir au scénario simulé").click().run()
    assert committed(at, LOT2) == format_eur_as_meur(6e6)
    assert UPLOADED_KEY not in at.session_state


def test_a_consolidated_file_with_titulaire_nom_gives_holder_names() -> None:
    at = open_contracts()
    upload(at, "decp_file_0", "decp-consolide.csv", consolidated().write_csv().encode("utf-8"))
    assert "titulaire_denominationSociale ← titulaire_nom" in " ".join(plain_texts(at))
    assert committed(at, LOT2) == format_eur_as_meur(5e5)  # the one contract with lot 2 identifier, two holders
    holders = table_with(at, "Titulaire")
    lot2 = holders.filter(pl.col("Lot") == "Lot 2 (25_BAM_044_AC02)")
    assert lot2.select("Titulaire", "Nommé par les documents").rows() == [("Alpha SA", "non (nom lu dans le fichier)")]


def test_a_configured_national_file_feeds_lot_2(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "decp-national.parquet"
    consolidated().with_columns(codeCPV=pl.lit("72212000")).write_parquet(path)  # the national filter reads it
    monkeypatch.setenv("PANORAMA_DECP_PATH", str(path))
    at = open_contracts()
    assert committed(at, LOT2) == format_eur_as_meur(5e5)
    assert committed(at, TOTAL) == format_eur_as_meur(5e5 + 11e6)
    assert "Fichier configuré PANORAMA\\_DECP\\_PATH" in texts(at)
    assert "bons de commande du lot 1" in banner(at)  # the ledger is still the simulated one
    assert "Alpha SA" in table_with(at, "Titulaire").get_column("Titulaire").to_list()


def test_a_configured_national_csv_in_cp1252_is_read_and_said(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "decp-national.csv"
    table = consolidated().with_columns(codeCPV=pl.lit("72212000"), titulaire_nom=pl.lit("Société Alpha"))
    path.write_bytes(table.write_csv().encode("cp1252"))  # « é » as one byte that is not UTF-8
    monkeypatch.setenv("PANORAMA_DECP_PATH", str(path))
    at = open_contracts()
    assert committed(at, LOT2) == format_eur_as_meur(5e5)
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # the message is escaped as Markdown
    assert "decp-national.csv : des octets ne sont pas de l'UTF-8 valide (fichier mal encodé ?)" in warnings


@pytest.mark.parametrize(("name", "content"), [("vide.csv", b""), ("binaire.csv", b"PK\x03\x04\x00\x00\xff\xfe" * 64)])
def test_a_bad_decp_upload_keeps_the_scenario(name: str, content: bytes) -> None:
    at = open_contracts()
    upload(at, "decp_file_0", name, content)
    errors = " ".join(str(e.value) for e in at.error)
    assert name.replace(".", "\\.") in errors and "refusé" in errors
    assert banner(at)
    assert committed(at, LOT2) == format_eur_as_meur(6e6)


def test_meeting_mode_shows_no_quality_counts_nor_configuration() -> None:
    standard, meeting = open_contracts(), open_contracts({"mode": "reunion"})
    assert "PANORAMA_DECP_PATH" in texts(standard) and "SIRET invalide" in texts(standard)
    said = texts(meeting)
    assert "PANORAMA_DECP_PATH" not in said and "SIRET" not in said and "ligne(s) lue(s)" not in said
    assert not meeting.get("file_uploader")
    assert not metrics(meeting) and not meeting.main.dataframe, "one table of lots, no cards nor grids"
    (table,) = [t.value for t in meeting.main.table]
    cards = metrics(standard)
    assert table["Lot"].tolist() == ["Lot 1 (25_BAM_044_AC01)", "Lot 2 (25_BAM_044_AC02)", "Ensemble de l'accord-cadre"]
    assert table["Engagé"].tolist() == [cards["Engagé · lot 1"], cards["Engagé · lot 2"], cards["Engagé · ensemble"]]
    assert table["Part du maximum"].tolist()[0] == cards["Part du maximum · lot 1"]
    assert banner(meeting)


def test_ministry_filter_keeps_the_commitments_of_that_ministrys_beneficiaries(
    registry: list[Framework], impact: Framework
) -> None:
    orders, _ = read_orders(ORDERS_SCENARIO_PATH, ORDERS_SCENARIO_PATH.name, registry)
    names = {b.name for b in impact.beneficiaries if b.ministry_id == "premier-ministre"}
    expected = orders.filter(
        pl.col("counted") & (pl.col("lot_id") == "25_BAM_044_AC01") & pl.col("beneficiary_registry").is_in(names)
    )
    assert 0 < expected.height < 58
    at = open_contracts({"ministere": "premier-ministre"})
    assert committed(at, LOT1) == format_eur_as_meur(float(expected.get_column("amount_eur").sum()))
    # lot 2's beneficiaries are not published: none of its contracts maps to a ministry
    assert committed(at, LOT2) == format_eur_as_meur(0.0)
    assert any("Filtre ministères appliqué" in str(i.value) for i in at.info)


def test_malformed_registry_gives_a_french_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "frameworks.toml"
    registry.write_text('[[frameworks]]\nid = "Mauvais Id"\n', encoding="utf-8")
    monkeypatch.setenv("PANORAMA_FRAMEWORKS_PATH", str(registry))
    at = open_contracts()
    errors = " ".join(str(e.value) for e in at.error)
    assert "Registre des accords-cadres inutilisable" in errors and "frameworks\\.toml" in errors
    assert any("Aucun accord-cadre dans le registre" in str(i.value) for i in at.info)
