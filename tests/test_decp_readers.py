"""DECP readers: every format, current state, co-holders, quality report, unreadable files."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.decp.normalise import NORMALISED_SCHEMA
from analytics.decp.readers import contracts_from_scan, read_decp, scan_decp_table

FIXTURES = Path(__file__).parent / "fixtures" / "decp"
AS_OF = date(2026, 10, 31)
HEADER = (
    "id,uid,acheteur_id,acheteur_nom,objet,codeCPV,procedure,idAccordCadre,dureeMois,dateNotification,"
    "montant,titulaire_id,titulaire_typeIdentifiant,titulaire_denominationSociale,objetModification,"
    "donneesActuelles"
)
BUYER = "23350001600040"
HOLDER_A = "81223113200034"
HOLDER_B = "82379887100013"


def _csv(tmp_path: Path, lines: list[str], name: str = "marches.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "ods"])
def test_official_example_keeps_current_state_once(suffix: str) -> None:
    name = f"exemples_exemple-valide.{suffix}"
    contracts, report = read_decp(FIXTURES / name, name, as_of=AS_OF)
    assert report.errors == []
    assert (report.rows_read, report.superseded_rows_dropped, report.contracts_kept) == (4, 2, 1)
    row = contracts.row(0, named=True)
    assert row["contract_uid"] == "23350001600040201900056462301"
    assert row["amount_eur"] == 21800.10
    assert row["initial_amount_eur"] == 21800.10
    assert row["duration_months"] == 6  # the modification extended 3 → 6 months
    assert row["notification_date"] == date(2019, 4, 27)  # from the initial "…00" state
    assert row["modification_count"] == 1
    assert row["holder_id"] == HOLDER_A
    assert row["holder_count"] == 2
    assert row["co_holder_ids"] == [HOLDER_A, HOLDER_B]
    assert contracts.schema == pl.Schema(NORMALISED_SCHEMA)


def test_header_only_file_is_an_empty_file_error() -> None:
    contracts, report = read_decp(FIXTURES / "fichiers-vides_fichier-vide.csv", "vide.csv")
    assert contracts is None
    assert report.errors == ["vide.csv : fichier vide (en-tête seul, aucune ligne de données)."]


def test_zero_byte_file_is_empty() -> None:
    contracts, report = read_decp(b"", "rien.csv")
    assert contracts is None
    assert report.errors == ["rien.csv : fichier vide."]


def test_modification_amount_and_co_holders_counted_once(tmp_path: Path) -> None:
    lines = [
        HEADER,
        f"M100,,{BUYER},R,Objet,72000000-5,P,AC1,12,2023-01-10,100000,{HOLDER_A},SIRET,A,,non",
        f"M100,,{BUYER},R,Objet,72000000-5,P,AC1,12,2023-01-10,100000,{HOLDER_B},SIRET,B,,non",
        f"M101,,{BUYER},R,Objet,72000000-5,P,AC1,NC,2023-06-01,130000,{HOLDER_A},SIRET,A,Avenant,oui",
        f"M101,,{BUYER},R,Objet,72000000-5,P,AC1,NC,2023-06-01,130000,{HOLDER_B},SIRET,B,Avenant,oui",
        f"X200,,{BUYER},Région,Autre,72000000,Procédure adaptée,,6,2023-02-01,50000,{HOLDER_B},SIRET,B,,1",
    ]
    contracts, report = read_decp(_csv(tmp_path, lines), "marches.csv", as_of=AS_OF)
    assert report.errors == []
    assert contracts.get_column("amount_eur").sum() == 180000.0  # 130 000 once + 50 000, never doubled
    modified = contracts.filter(pl.col("contract_id") == "M101").row(0, named=True)
    assert modified["initial_amount_eur"] == 100000.0
    assert modified["amount_eur"] == 130000.0
    assert modified["notification_date"] == date(2023, 1, 10)
    assert modified["duration_months"] is None
    assert modified["contract_uid"] == BUYER + "M101"
    assert modified["cpv_code"] == "72000000"
    assert modified["holder_name"] == "A"
    assert modified["co_holder_ids"] == [HOLDER_A, HOLDER_B]
    # one contract with two holder rows: counted once
    assert "1 code(s) CPV ramené(s) à 8 chiffres (chiffre de contrôle retiré)." in report.notes
    assert "1 durée(s) « NC » remplacée(s) par une valeur vide (durée inconnue)." in report.notes


def test_semicolon_cp1252_decimal_comma(tmp_path: Path) -> None:
    lines = [
        HEADER.replace(",", ";"),
        f"M1;;{BUYER};Région Île-de-France;Étude;72000000;P;;3;27/04/2022;21 800,10;{HOLDER_A};SIRET;Société;;oui",
    ]
    contracts, report = read_decp(_csv(tmp_path, lines, encoding="cp1252"), "marches.csv", as_of=AS_OF)
    assert report.errors == []
    assert "Fichier lu en Windows-1252 (il n'est pas en UTF-8)." in report.notes
    row = contracts.row(0, named=True)
    assert (row["buyer_name"], row["amount_eur"], row["notification_date"]) == (
        "Région Île-de-France",
        21800.10,
        date(2022, 4, 27),
    )


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    lines = [HEADER, f"M1,,{BUYER},Région,Objet,72000000,P,,3,2022-04-27,10,{HOLDER_A},SIRET,A,,oui"]
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    contracts, report = read_decp(path, "bom.csv", as_of=AS_OF)
    assert report.errors == [] and contracts.height == 1


def test_invalid_siret_reported_and_kept(tmp_path: Path) -> None:
    lines = [HEADER, f"M1,,{BUYER},Région,Objet,72000000,P,,3,2022-04-27,10,81223113200035,SIRET,A,,oui"]
    contracts, report = read_decp(_csv(tmp_path, lines), "marches.csv", as_of=AS_OF)
    assert report.invalid_siret == 1
    assert report.warnings == [
        "marches.csv, ligne 2 : colonne « titulaire_id », SIRET « 81223113200035 » invalide "
        "(14 chiffres et clé de Luhn attendus) ; ligne conservée."
    ]
    assert contracts.item(0, "siret_flag") == "SIRET titulaire invalide (81223113200035)"


def test_absurd_amounts_flagged_and_future_date(tmp_path: Path) -> None:
    lines = [
        HEADER,
        f"M1,,{BUYER},R,O,72000000,P,,3,2022-04-27,12311111111,{HOLDER_A},SIRET,A,,oui",
        f"M2,,{BUYER},R,O,72000000,P,,3,2022-04-27,0,{HOLDER_A},SIRET,A,,oui",
        f"M3,,{BUYER},R,O,72000000,P,,3,2022-04-27,2000000000,{HOLDER_A},SIRET,A,,oui",
        f"M4,,{BUYER},R,O,72000000,P,,3,2030-01-01,1000,{HOLDER_A},SIRET,A,,oui",
    ]
    contracts, report = read_decp(_csv(tmp_path, lines), "marches.csv", as_of=AS_OF)
    flags = dict(contracts.select("contract_id", "amount_flag").iter_rows())
    assert flags == {
        "M1": "valeur marqueur connue 12 311 111 111 €",
        "M2": "montant nul ou négatif",
        "M3": "montant supérieur ou égal à 1 Md€, invraisemblable",
        "M4": None,
    }
    assert report.flagged_amounts == 3
    assert report.future_dates == 1
    assert contracts.filter(pl.col("contract_id") == "M4").item(0, "date_flag") == (
        "date de notification future (2030-01-01)"
    )


def test_unknown_column_is_a_warning_missing_required_an_error(tmp_path: Path) -> None:
    good = [HEADER + ",colonneMaison", f"M1,,{BUYER},R,O,72000000,P,,3,2022-04-27,10,{HOLDER_A},SIRET,A,,oui,x"]
    contracts, report = read_decp(_csv(tmp_path, good), "extra.csv", as_of=AS_OF)
    assert contracts is not None
    assert "extra.csv : colonne(s) inconnue(s) du schéma DECP 2.0, ignorée(s) : colonneMaison." in report.warnings
    bad = ["id,objet,montant", "M1,O,10"]
    contracts, report = read_decp(_csv(tmp_path, bad, "court.csv"), "court.csv")
    assert contracts is None
    assert report.errors[0].startswith(
        "court.csv : colonne(s) obligatoire(s) absente(s) : acheteur_id, dateNotification, titulaire_id."
    )


def test_binary_and_undecodable_content_are_errors() -> None:
    contracts, report = read_decp(b"\x00\x01\x02binaire", "data.csv")
    assert contracts is None
    assert report.errors[0].startswith("data.csv : contenu binaire : ce n'est ni un fichier texte")
    contracts, report = read_decp(HEADER.encode() + b"\n\x81\x8d", "data.csv")
    assert contracts is None
    assert report.errors[0].startswith("data.csv : encodage illisible (octet 0x81 en position")


def test_parquet_table(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "id": ["P1", "P1"],
            "acheteur_id": [BUYER, BUYER],
            "dateNotification": [date(2024, 2, 1), date(2024, 2, 1)],
            "montant": [1500.5, 1500.5],
            "titulaire_id": [HOLDER_A, HOLDER_A],
            "donneesActuelles": [True, True],
        }
    )
    path = tmp_path / "t.parquet"
    frame.write_parquet(path)
    contracts, report = read_decp(path.read_bytes(), "t.parquet", as_of=AS_OF)
    assert report.duplicates_collapsed == 1
    assert contracts.select("contract_uid", "amount_eur", "notification_date").row(0) == (
        BUYER + "P1",
        1500.5,
        date(2024, 2, 1),
    )


JSON_2022 = {
    "marches": {
        "marche": [
            {
                "id": "2022A",
                "acheteur": {"id": BUYER},
                "objet": "Service numérique",
                "codeCPV": "72000000-5",
                "procedure": "Appel d'offres ouvert",
                "dureeMois": "NC",
                "dateNotification": "2022-03-01",
                "montant": 100000,
                "idAccordCadre": "21BAM048",
                "techniques": {"technique": ["Accord-cadre"]},
                "titulaires": [
                    {"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER_A}},
                    {"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER_B}},
                ],
                "modifications": [
                    # listed out of order on purpose: the later one must win
                    {"modification": {"id": 2, "dateNotificationModification": "2022-09-01", "montant": 150000}},
                    {
                        "modification": {
                            "id": 1,
                            "dateNotificationModification": "2022-06-01",
                            "montant": 120000,
                            "dureeMois": 18,
                            "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER_B}}],
                        }
                    },
                ],
            }
        ]
    }
}


def test_json_2022_applies_modifications_in_date_order(tmp_path: Path) -> None:
    contracts, report = read_decp(json.dumps(JSON_2022).encode(), "decp.json", as_of=AS_OF)
    assert report.errors == [] and report.source_format == "json-2022"
    row = contracts.row(0, named=True)
    assert row["initial_amount_eur"] == 100000.0
    assert row["amount_eur"] == 150000.0
    assert row["duration_months"] == 18
    assert row["modification_count"] == 2
    assert row["co_holder_ids"] == [HOLDER_B]  # holders replaced by the first modification
    assert (row["contract_uid"], row["framework_id"], row["cpv_code"]) == (BUYER + "2022A", "21BAM048", "72000000")


def test_json_2019_nested_holders_and_flat_buyer() -> None:
    document = {
        "marches": [
            {
                "id": "19-1",
                "acheteur.id": BUYER,
                "objet": "Étude",
                "codeCPV": "72000000",
                "dureeMois": 12,
                "dateNotification": "2019-05-02",
                "montant": 50000.5,
                "titulaires": [
                    {"typeIdentifiant": "SIRET", "id": HOLDER_A, "denominationSociale": "Alpha"},
                    {"typeIdentifiant": "SIRET", "id": HOLDER_B, "denominationSociale": "Beta"},
                ],
                "modifications": [
                    {
                        "objetModification": "Avenant 1",
                        "dateNotificationModification": "2019-10-01",
                        "montant": 60000,
                        "titulaires": [[{"typeIdentifiant": "SIRET", "id": HOLDER_A, "denominationSociale": "Alpha"}]],
                    }
                ],
            },
            {"_type": "Contrat de concession", "id": "C1"},
            {
                "id": "19-2",
                "acheteur": {"id": BUYER, "nom": "Région"},
                "dateNotification": "2019-07-01",
                "montant": "7000",
                "titulaires": [],
            },
        ]
    }
    contracts, report = read_decp(json.dumps(document).encode(), "2019.json", as_of=AS_OF)
    assert report.source_format == "json-2019"
    assert "1 contrat(s) de concession ignoré(s) (hors marchés)." in report.notes
    first = contracts.filter(pl.col("contract_id") == "19-1").row(0, named=True)
    assert (first["amount_eur"], first["initial_amount_eur"], first["holder_name"]) == (60000.0, 50000.5, "Alpha")
    assert first["co_holder_ids"] == [HOLDER_A]
    second = contracts.filter(pl.col("contract_id") == "19-2").row(0, named=True)
    assert (second["buyer_name"], second["holder_count"], second["amount_eur"]) == ("Région", 0, 7000.0)


def test_invalid_json_is_an_error() -> None:
    contracts, report = read_decp(b'{"marches": [', "x.json")
    assert contracts is None
    assert report.errors[0].startswith("x.json : JSON invalide ligne 1")


def test_scan_filters_before_collect(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "exemples_exemple-valide.csv", tmp_path / "national.csv")
    lines = (tmp_path / "national.csv").read_text().splitlines()
    other = lines[1].replace("201900056119900", "AUTRE")
    (tmp_path / "national.csv").write_text("\n".join([*lines, other]) + "\n")
    frame = pl.read_csv(tmp_path / "national.csv", infer_schema=False)
    frame.write_parquet(tmp_path / "national.parquet")
    for name in ("national.csv", "national.parquet"):
        scan = scan_decp_table(
            tmp_path / name,
            framework_ids=["201900056119900"],
            date_from=date(2019, 5, 1),
            date_to=date(2019, 5, 30),
            cpv_prefixes=["79"],
        )
        assert scan.collect().height == 2  # the two current rows of the modified contract
        contracts, _ = contracts_from_scan(lambda _lossy, scan=scan: scan, name, as_of=AS_OF)
        assert contracts.select("amount_eur", "holder_count").row(0) == (21800.10, 2)


def test_national_scan_falls_back_on_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    clean = (FIXTURES / "exemples_exemple-valide.csv").read_bytes()
    path = tmp_path / "national.csv"
    path.write_bytes(clean)
    calls: list[bool] = []

    def scan(lossy: bool) -> pl.LazyFrame:
        calls.append(lossy)
        return scan_decp_table(path, framework_ids=["201900056119900"], lossy=lossy)

    contracts, report = contracts_from_scan(scan, path.name, as_of=AS_OF)
    assert calls == [False] and report.warnings == []
    names = contracts["holder_name"].to_list()
    path.write_bytes(clean.replace(names[0].encode(), names[0].encode() + b" \xe9"))  # a cp1252 « é »
    calls.clear()
    contracts, report = contracts_from_scan(scan, path.name, as_of=AS_OF)
    assert calls == [False, True]
    assert contracts["holder_name"].to_list()[0] == names[0] + " \ufffd"
    assert report.warnings[0].startswith("national.csv : des octets ne sont pas de l'UTF-8 valide")
