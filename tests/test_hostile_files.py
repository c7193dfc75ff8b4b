"""Hostile files on both upload paths (panorama edition import, DECP): each refused or flagged in French.

A refused file must say which file, and where (row, column) when it can; nothing loaded before may change.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import time
import tomllib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.decp.readers import read_decp
from analytics.exports import to_csv_bytes
from analytics.intake import DECP_LIMITS, PANORAMA_LIMITS, UPLOAD_LIMIT_MB, IntakeLimits
from analytics.panorama.importing import import_edition
from tests.app_helpers import key, open_app
from tests.import_steps import check_file, click

ROOT = Path(__file__).resolve().parents[1]
DECP_VALID = ROOT / "tests" / "fixtures" / "decp" / "exemples_exemple-valide.csv"
DECP_VALID_XLSX = ROOT / "tests" / "fixtures" / "decp" / "exemples_exemple-valide.xlsx"
EDITION = date(2022, 7, 1)
AS_OF = date(2024, 1, 1)
FORMULA = '=HYPERLINK("http://exemple.invalid/x","clic")'
JUNK = random.Random(7).randbytes(4096)
MILLION_COLUMNS = b";" * 1_000_000 + b"\n"


def panorama_rows(**overrides: list[str]) -> pl.DataFrame:
    """Two projects in the published 10-column format; `overrides` replace whole columns."""
    rows = {
        "Projet": ["FRANCE CONNECT", "NOUVEAU SI"],
        "Ministère porteur": ["Premier ministre", "Ministère de la Culture"],
        "Projet inter-ministériel": ["Oui", "Non"],
        "Description et objectifs": ["Se connecter", "Un SI"],
        "Début": ["juillet 13", "janvier 2021"],
        "Durée du projet en années": ["5,25", "3"],
        "Phase du projet en cours": ["Déploiement", "Cadrage"],
        "Coût complet estimé": ["19,5", "12"],
        "Zone fonctionnelle principale": ["Gestion et contrôle des accès", "Culture"],
        "Programme de financement": ["P129", "P175"],
    }
    return pl.DataFrame({**rows, **overrides})


def panorama_csv(frame: pl.DataFrame | None = None, encoding: str = "utf-8") -> bytes:
    text = (frame if frame is not None else panorama_rows()).write_csv(separator=";")
    return text.encode(encoding)


def panorama_errors(content: bytes, name: str = "edition.csv") -> list[str]:
    result = import_edition(content, name, EDITION)
    assert result.frame is None, "a hostile file must be refused"
    assert result.report.errors
    return [issue.message for issue in result.report.errors]


def decp_errors(content: bytes, name: str = "decp.csv") -> list[str]:
    contracts, report = read_decp(content, name, as_of=AS_OF)
    assert contracts is None, "a hostile file must be refused"
    assert report.errors
    return report.errors


def decp_text(**replacements: str) -> bytes:
    text = DECP_VALID.read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text.encode("utf-8")


# ---------------------------------------------------------------- refused, with a located French message


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "vide.csv", "le fichier est vide"),
        (b"  \r\n", "blanc.csv", "le fichier est vide"),
        (JUNK, "bruit.csv", "contenu binaire"),
        (DECP_VALID_XLSX.read_bytes()[:3000], "tronque.xlsx", "classeur illisible"),
        (b"a;b;c\n1;2;3\n", "colonnes.csv", "format non reconnu"),
        (panorama_csv(encoding="utf-16"), "utf16.csv", "encodage UTF-16 non pris en charge"),
        (MILLION_COLUMNS, "large.csv", "en-tête de 1000001 colonnes, au plus 200 attendues"),
        (b"x" * 100_000 + b"\n1\n", "longue.csv", "ligne d'en-tête de 100000 caractères"),
    ],
)
def test_panorama_import_refuses_with_the_file_name(content: bytes, name: str, expected: str) -> None:
    messages = panorama_errors(content, name)
    assert any(expected in m for m in messages), messages
    assert all(m.startswith(f"Fichier « {name} »") for m in messages)


def test_panorama_duplicated_header_names_the_header_and_row_1() -> None:
    content = panorama_csv().replace(b"Description et objectifs", b"Projet", 1)
    assert panorama_errors(content, "double.csv") == [
        "Fichier « double.csv », ligne 1 : en-tête « Projet » présent plusieurs fois."
    ]


def test_panorama_wrong_columns_lists_what_is_missing() -> None:
    (message,) = panorama_errors(b"Nom;Montant\nA;1\n", "autre.csv")
    assert message.startswith("Fichier « autre.csv », ligne 1 : format non reconnu")
    assert "« Projet »" in message and "colonne(s) inattendue(s) : « Nom », « Montant »" in message


def test_panorama_absurd_amount_and_future_start_are_located() -> None:
    frame = panorama_rows(**{"Coût complet estimé": ["19,5", "5000000"], "Début": ["juillet 2040", "janvier 2021"]})
    messages = panorama_errors(panorama_csv(frame), "absurde.csv")
    assert (
        "Fichier « absurde.csv », ligne 3, colonne « Coût complet estimé » : valeur « 5000000 » : coût supérieur à "
        "100 000 M€, absurde : le coût est attendu en millions d'euros." in messages
    )
    assert any(
        m.startswith(
            "Fichier « absurde.csv », ligne 2, colonne « Début » : valeur « juillet 2040 » : date de début "
            "postérieure de plus de 5 ans à l'édition 2022-07"
        )
        for m in messages
    )


def test_one_million_columns_is_refused_quickly_on_both_paths() -> None:
    started = time.perf_counter()
    panorama = panorama_errors(MILLION_COLUMNS, "large.csv")
    decp = decp_errors(MILLION_COLUMNS, "large.csv")
    elapsed = time.perf_counter() - started
    assert panorama == ["Fichier « large.csv », ligne 1 : en-tête de 1000001 colonnes, au plus 200 attendues."]
    assert decp == ["large.csv, ligne 1 : en-tête de 1000001 colonnes, au plus 200 attendues."]
    # Not a timing limit on the machine: before the guard this took about 20 s and 2 GB; now it is a string count.
    assert elapsed < 60


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "vide.csv", "vide.csv : fichier vide."),
        (b"\xef\xbb\xbf \n", "bom.csv", "bom.csv : fichier vide."),
        (JUNK, "bruit.csv", "bruit.csv : contenu binaire : ce n'est ni un fichier texte (CSV, JSON) ni un classeur"),
        (DECP_VALID_XLSX.read_bytes()[:3000], "tronque.xlsx", "tronque.xlsx : classeur illisible"),
        (b"a;b;c\n1;2;3\n", "colonnes.csv", "colonnes.csv : colonne(s) obligatoire(s) absente(s) : id, acheteur_id"),
        (DECP_VALID.read_text().encode("utf-16"), "utf16.csv", "utf16.csv : encodage UTF-16 non pris en charge"),
        (b"x" * 100_000 + b"\n1\n", "longue.csv", "longue.csv, ligne 1 : ligne d'en-tête de 100000 caractères"),
        (b'{"marches": [', "coupe.json", "coupe.json : JSON invalide ligne 1"),
    ],
)
def test_decp_refuses_with_the_file_name(content: bytes, name: str, expected: str) -> None:
    messages = decp_errors(content, name)
    assert any(m.startswith(expected) for m in messages), messages


def test_decp_duplicated_header_is_refused() -> None:
    content = DECP_VALID.read_bytes().replace(b"id,uid,", b"id,id,", 1)
    assert decp_errors(content, "double.csv") == [
        "double.csv, ligne 1 : en-tête : colonne(s) présente(s) plusieurs fois : « id »."
    ]


def test_oversize_content_is_refused_by_both_readers() -> None:
    """The guard itself, with the limit lowered to 1 MB so that the test does not allocate 50 MB."""
    small = IntakeLimits(max_rows=100, max_bytes=1_000_000)
    big = panorama_csv() + b" " * 1_700_000
    result = import_edition(big, "gros.csv", EDITION, limits=small)
    assert [e.message for e in result.report.errors] == [
        "Fichier « gros.csv » : fichier de 1,7\u00a0Mo, au-delà de la limite de 1\u00a0Mo par fichier."
    ]
    contracts, report = read_decp(big, "gros.csv", as_of=AS_OF, limits=small)
    assert contracts is None
    assert report.errors == [
        "gros.csv : fichier de 1,7\u00a0Mo, au-delà de la limite de 1\u00a0Mo par fichier ; pour un fichier "
        "national, utilisez PANORAMA_DECP_PATH."
    ]


def test_upload_limits_match_the_server_configuration() -> None:
    """One limit: the frontend counts 10^6 bytes per MB (2^20 on Windows), the server 2^20, the app 10^6."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit_mb = config["server"]["maxUploadSize"]
    assert limit_mb == UPLOAD_LIMIT_MB
    assert PANORAMA_LIMITS.max_bytes == DECP_LIMITS.max_bytes == limit_mb * 1_000_000
    frontend_strictest = min(limit_mb * 1_000_000, limit_mb * 1024 * 1024)
    assert PANORAMA_LIMITS.max_bytes <= frontend_strictest  # what the app accepts, the frontend never refuses


# ---------------------------------------------------------------- accepted, but neutralised or flagged


def test_panorama_formula_cell_stays_text_and_is_neutralised_on_export() -> None:
    frame = panorama_rows(Projet=["FRANCE CONNECT", FORMULA])
    result = import_edition(panorama_csv(frame), "formule.csv", EDITION)
    assert result.frame is not None
    names = result.frame.get_column("project_name").to_list()
    assert FORMULA in names  # kept as text, never evaluated
    exported = to_csv_bytes(result.frame.select("project_name")).decode("utf-8-sig")
    assert f"'{FORMULA}".replace('"', '""') in exported
    assert f"\n{FORMULA}" not in exported and f'\n"{FORMULA}' not in exported


def test_decp_formula_cell_stays_text_and_is_neutralised_on_export() -> None:
    content = decp_text(**{"\"Impression d'affiches": f'"{FORMULA.replace(chr(34), chr(34) * 2)} affiches'})
    contracts, report = read_decp(content, "formule.csv", as_of=AS_OF)
    assert contracts is not None, report.errors
    objects = contracts.get_column("object").to_list()
    assert any(o.startswith("=HYPERLINK(") for o in objects)
    exported = to_csv_bytes(contracts.select("object")).decode("utf-8-sig")
    assert all(not line.lstrip('"').startswith("=") for line in exported.splitlines())
    assert "'=HYPERLINK(" in exported


def test_decp_absurd_amount_and_future_date_are_flagged_with_the_contract() -> None:
    contracts, report = read_decp(
        decp_text(**{"21800.10": "5000000000000", "2019-04-27": "2099-04-27"}), "absurde.csv", as_of=AS_OF
    )
    assert contracts is not None and contracts.height == 1
    assert report.flagged_amounts == 1 and report.future_dates == 1
    assert any(
        w.startswith("absurde.csv, marché « 23350001600040201900056462301 » : colonne « montant »")
        and "supérieur ou égal à 1 Md€" in w
        for w in report.warnings
    )
    assert any("colonne « dateNotification », valeur « 2099-04-27 » postérieure" in w for w in report.warnings)


def test_latin1_file_with_a_lying_utf8_bom_is_read_as_windows_1252() -> None:
    lying = b"\xef\xbb\xbf" + panorama_csv(panorama_rows(Projet=["SIRHIUS ÉTÉ", "NOUVEAU SI"]), "latin-1")
    result = import_edition(lying, "bom.csv", EDITION)
    assert result.frame is not None, [i.message for i in result.report.errors]
    assert result.report.encoding == "Windows-1252"
    assert "SIRHIUS ÉTÉ" in result.frame.get_column("project_name").to_list()

    decp = b"\xef\xbb\xbf" + DECP_VALID.read_text().replace("Rennes", "Rennes-Été").encode("latin-1")
    contracts, report = read_decp(decp, "bom.csv", as_of=AS_OF)
    assert contracts is not None, report.errors
    assert "Fichier lu en Windows-1252 (il n'est pas en UTF-8)." in report.notes


# ---------------------------------------------------------------- the app keeps what was loaded


def _data_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "data").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_a_hostile_edition_after_a_good_one_changes_nothing() -> None:
    before = _data_digest()
    at = open_app("data")
    good = (ROOT / "data" / "panorama" / "editions" / "panorama_2021-11.csv").read_bytes()
    check_file(at, "bonne.csv", good, date(2022, 7, 1))
    click(at, "Utiliser pour cette session")
    assert any("Édition 2022-07 (juillet 2022) utilisée pour cette session" in s.value for s in at.success)

    for name, content in [("large.csv", MILLION_COLUMNS), ("bruit.csv", JUNK)]:
        check_file(at, name, content)
        assert not at.exception
        assert any("Import refusé : 1 erreur(s)" in e.value for e in at.error)
        assert any(f"Fichier : {name}" in t.value for t in at.text)
        assert at.selectbox(key=key("edition")).options[0].startswith("2022-07"), "the good import stays"
    assert _data_digest() == before


def test_a_hostile_decp_file_after_a_good_one_changes_nothing() -> None:
    from pages.common.contracts_data import UPLOADED_KEY

    before = _data_digest()
    at = open_app("contracts")
    uploader = at.get("file_uploader")[0]
    uploader.set_value(("bon.csv", DECP_VALID.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    assert at.session_state[UPLOADED_KEY].report.file_name == "bon.csv"

    for name, content in [("large.csv", MILLION_COLUMNS), ("bruit.csv", JUNK)]:
        at.get("file_uploader")[0].set_value((name, content, "text/csv"))
        at.run()
        assert not at.exception
        shown = [e.value.replace("\\", "") for e in at.error]  # the page escapes Markdown
        assert any(f"Fichier « {name} » refusé" in e for e in shown), shown
        assert at.session_state[UPLOADED_KEY].report.file_name == "bon.csv"
    assert _data_digest() == before


def test_xlsx_with_a_formula_cell_is_read_as_text() -> None:
    buffer = io.BytesIO()
    panorama_rows(Projet=["FRANCE CONNECT", FORMULA]).write_excel(buffer)
    result = import_edition(buffer.getvalue(), "formule.xlsx", EDITION)
    assert result.frame is not None, [i.message for i in result.report.errors]
    assert FORMULA in result.frame.get_column("project_name").to_list()


# ---------------------------------------------------------------- DECP: never a silently wrong number (issue #11)

DECP_HEADER = (
    "id,uid,acheteur_id,acheteur_nom,objet,codeCPV,procedure,idAccordCadre,dureeMois,dateNotification,"
    "datePublicationDonnees,montant,titulaire_id,titulaire_typeIdentifiant,titulaire_denominationSociale,"
    "objetModification,donneesActuelles"
)
BUYER = "23350001600040"
HOLDER_A = "81223113200034"
HOLDER_B = "82379887100013"


def decp_csv(*rows: str) -> bytes:
    return "\n".join([DECP_HEADER, *rows]).encode()


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ('"12,500.50"', 12500.5),
        ('"1.234,5"', 1234.5),
        ("3 000 000", 3_000_000.0),
        ('"3 000 000,25"', 3_000_000.25),
        ("1.234.567", 1_234_567.0),
        ("21800.10", 21800.1),
        ('"12,5"', 12.5),
    ],
)
def test_decp_amount_forms_are_read_right(amount: str, expected: float) -> None:
    content = decp_csv(f"M1,,{BUYER},R,O,72000000,P,,3,2022-04-27,2022-05-01,{amount},{HOLDER_A},SIRET,A,,oui")
    contracts, report = read_decp(content, "montants.csv", as_of=AS_OF)
    assert contracts is not None, report.errors
    assert contracts.item(0, "amount_eur") == expected


@pytest.mark.parametrize("amount", ['"1,2,3"', '"12.500,50.1"', "NaN", "inf", '"12,500.5.0"'])
def test_decp_ambiguous_or_not_a_number_amount_is_refused_not_guessed(amount: str) -> None:
    content = decp_csv(f"M1,,{BUYER},R,O,72000000,P,,3,2022-04-27,2022-05-01,{amount},{HOLDER_A},SIRET,A,,oui")
    contracts, report = read_decp(content, "montants.csv", as_of=AS_OF)
    assert contracts is not None
    assert contracts.select("amount_eur", "amount_flag").row(0) == (None, "montant absent ou illisible")
    assert any("colonne « montant »" in w and "n'est pas un nombre" in w for w in report.warnings)


def json_contract(*modifications: dict, published: str = "2022-03-05") -> bytes:
    record = {
        "id": "2022A",
        "acheteur": {"id": BUYER},
        "objet": "Service numérique",
        "codeCPV": "72000000",
        "dureeMois": 12,
        "dateNotification": "2022-03-01",
        "datePublicationDonnees": published,
        "montant": 100000,
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER_A}}],
        "modifications": [{"modification": m} for m in modifications],
    }
    return json.dumps({"marches": {"marche": [record]}}).encode()


def test_decp_modification_dated_2099_is_flagged_and_not_applied() -> None:
    content = json_contract(
        {"dateNotificationModification": "2022-09-01", "datePublicationDonneesModification": "2022-09-10",
         "montant": 120000},
        {"dateNotificationModification": "2099-01-01", "datePublicationDonneesModification": "2022-10-01",
         "montant": 900000},
    )  # fmt: skip
    contracts, report = read_decp(content, "futur.json", as_of=AS_OF)
    assert contracts is not None
    row = contracts.row(0, named=True)
    assert (row["amount_eur"], row["modification_count"]) == (120000.0, 1)
    assert row["date_flag"] == (
        "modification du 2099-01-01 non appliquée : postérieure à la date du fichier (2022-10-01)"
    )
    assert (
        "futur.json, marché « 233500016000402022A » : modification du 2099-01-01 non appliquée : postérieure à la "
        "date du fichier (2022-10-01) ; état antérieur retenu." in report.warnings
    )


def test_decp_modification_after_the_files_date_is_flagged_and_not_applied() -> None:
    content = json_contract({"dateNotificationModification": "2023-06-01", "montant": 900000}, published="2023-01-15")
    contracts, _ = read_decp(content, "tardif.json", as_of=AS_OF)
    assert contracts is not None
    assert contracts.select("amount_eur", "date_flag").row(0) == (
        100000.0,
        "modification du 2023-06-01 non appliquée : postérieure à la date du fichier (2023-01-15)",
    )


def test_decp_table_modification_in_the_future_falls_back_to_the_previous_state() -> None:
    superseded = f"M100,,{BUYER},R,O,72000000,P,,12,2022-01-10,2022-01-12,100000,{HOLDER_A},SIRET,A,,non"
    future = f"M101,,{BUYER},R,O,72000000,P,,24,2099-06-01,2022-07-01,900000,{HOLDER_A},SIRET,A,Avenant,oui"
    contracts, report = read_decp(decp_csv(superseded, future), "futur.csv", as_of=AS_OF)
    assert contracts is not None
    row = contracts.row(0, named=True)
    assert (row["amount_eur"], row["duration_months"], row["amount_flag"]) == (100000.0, 12, None)
    assert row["date_flag"] == (
        "modification du 2099-06-01 non appliquée : postérieure à la date du fichier (2022-07-01)"
    )

    alone, report = read_decp(decp_csv(future), "seul.csv", as_of=AS_OF)
    assert alone is not None
    assert alone.select("amount_eur", "amount_flag").row(0) == (
        900000.0,
        "modification postérieure à la date du fichier, état antérieur absent : montant non vérifiable",
    )
    assert report.flagged_amounts == 1


def test_decp_json_nested_100000_levels_is_refused_in_french() -> None:
    deep = b'{"marches": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    messages = decp_errors(deep, "profond.json")
    assert messages == ["profond.json : JSON imbriqué sur 100001 niveaux, au plus 64 attendus."]


@pytest.mark.parametrize(
    "holders",
    [
        [{"titulaire": [{"typeIdentifiant": "SIRET", "id": HOLDER_B}]}],
        {"titulaire": {"typeIdentifiant": "SIRET", "id": HOLDER_B}},
        {"titulaire": [{"typeIdentifiant": "SIRET", "id": HOLDER_B}]},
        [[{"typeIdentifiant": "SIRET", "id": HOLDER_B}]],
    ],
    ids=["list-of-wrapped-list", "wrapped-object", "wrapped-list", "list-of-lists"],
)
@pytest.mark.parametrize("wrapping", ["list", "object"])
def test_decp_2019_holders_nested_in_a_modification_are_kept(holders: object, wrapping: str) -> None:
    change = {"dateNotificationModification": "2019-10-01", "montant": 60000, "titulaires": holders}
    record = {
        "id": "19-1",
        "acheteur": {"id": BUYER},
        "dateNotification": "2019-05-02",
        "montant": 50000,
        "titulaires": [{"typeIdentifiant": "SIRET", "id": HOLDER_A}],
        "modifications": [change] if wrapping == "list" else {"modification": change},
    }
    contracts, report = read_decp(json.dumps({"marches": [record]}).encode(), "2019.json", as_of=AS_OF)
    assert contracts is not None, report.errors
    assert contracts.select("amount_eur", "co_holder_ids").row(0) == (60000.0, [HOLDER_B])


def test_decp_normalisations_are_counted_per_contract_not_per_holder_row() -> None:
    holders = [{"titulaire": {"typeIdentifiant": "SIRET", "id": h}} for h in (HOLDER_A, HOLDER_B, "81223113200035")]
    record = {
        "id": "2022B",
        "acheteur": {"id": "23350001600041"},  # invalid buyer SIRET, repeated on every holder row
        "codeCPV": "72000000-5",
        "dureeMois": "NC",
        "dateNotification": "2022-03-01",
        "montant": 1000,
        "titulaires": holders,
    }
    contracts, report = read_decp(json.dumps({"marches": {"marche": [record]}}).encode(), "x.json", as_of=AS_OF)
    assert contracts is not None and contracts.height == 1
    assert "1 durée(s) « NC » remplacée(s) par une valeur vide (durée inconnue)." in report.notes
    assert "1 code(s) CPV ramené(s) à 8 chiffres (chiffre de contrôle retiré)." in report.notes
    assert report.invalid_siret == 2  # the buyer once, the bad holder once
    assert sum("acheteur_id" in w for w in report.warnings) == 1


@pytest.mark.parametrize("duration", ["2147483648", "1e300", "-3", "NaN"])
def test_decp_duration_out_of_any_plausible_range_is_flagged_not_a_crash(duration: str) -> None:
    """Found by the property test: a duration beyond Int32 crashed the cast."""
    content = decp_csv(f"M1,,{BUYER},R,O,72000000,P,,{duration},2022-04-27,2022-05-01,10,{HOLDER_A},SIRET,A,,oui")
    contracts, report = read_decp(content, "duree.csv", as_of=AS_OF)
    assert contracts is not None and contracts.item(0, "duration_months") is None
    assert report.warnings == [
        f"duree.csv, ligne 2 : colonne « dureeMois », valeur « {duration} » n'est pas un nombre de mois plausible "
        "(0 à 1200)"
    ]


def test_a_49_mib_file_is_refused_in_french_as_the_frontend_refuses_it() -> None:
    """49 MiB is 51,4 Mo: beyond the 50 Mo limit the frontend applies (10^6 bytes per MB), so the app agrees."""
    content = b"a;b\n" * (49 * 1024 * 1024 // 4)
    assert panorama_errors(content, "gros.csv") == [
        "Fichier « gros.csv » : fichier de 51,4\u00a0Mo, au-delà de la limite de 50\u00a0Mo par fichier."
    ]
    assert decp_errors(content, "gros.csv") == [
        "gros.csv : fichier de 51,4\u00a0Mo, au-delà de la limite de 50\u00a0Mo par fichier ; pour un fichier "
        "national, utilisez PANORAMA_DECP_PATH."
    ]


def test_a_100000_row_edition_is_refused_before_it_reaches_the_pages() -> None:
    rows = panorama_rows().head(1).with_columns(pl.lit("X").alias("Projet"))
    big = pl.concat([rows] * 100_000).with_columns(pl.format("P{}", pl.int_range(pl.len())).alias("Projet"))
    assert panorama_errors(panorama_csv(big), "enorme.csv") == [
        "Fichier « enorme.csv » : 100\u202f000 lignes de données, au plus 2\u202f000 attendues."
    ]
