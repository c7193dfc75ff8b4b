"""Importing an edition: formats, encodings, broken files, absurd values, merging."""

import io
from datetime import date

import polars as pl
import pytest

from analytics.panorama.importing import EditionMergeError, import_edition, merge_edition
from analytics.panorama.loading import Crosswalks, load_crosswalks
from analytics.panorama.schema import PROJECT_EDITION_SCHEMA
from tests.official_formats import DATA_DIR, datagouv_csv, datagouv_xlsx, shipped_edition, shipped_table

PANORAMA_ROWS = {
    "Projet": ["FRANCE CONNECT", "NOUVEAU SI"],
    "Ministère porteur": ["Premier ministre", "Ministère de la Culture"],
    "Projet inter-ministériel": ["Oui", "Non"],
    "Description et objectifs": ["Se connecter &amp; s'identifier", "Un SI"],
    "Début": ["juillet 13", "janvier 2021"],
    "Durée du projet en années": ["5,25", "NA"],
    "Phase du projet en cours": ["Déploiement", "En cadrage"],
    "Coût complet estimé": ["19,5", ""],
    "Zone fonctionnelle principale": ["Gestion et contrôle des accès", ""],
    "Programme de financement": ["Coordination du travail gouvernemental (P129)", "Programmes 175/224"],
}
DATAGOUV_ROWS = {
    "Ministère porteur": ["Premier ministre"],
    "Ministère nom complet": ["Premier ministre"],
    "Nom du projet": ["FRANCE CONNECT"],
    "Projet interministériel": ["Oui"],
    "Description et objectifs du projet": ["Se connecter"],
    "En savoir plus sur le projet": ["https://franceconnect.gouv.fr"],
    "Début": ["2013-07-01"],
    "Durée prévisionnelle en année": ["5.25"],
    "Phase du projet en cours": ["Déploiement"],
    "Coût estimé": ["19.5"],
    "Coût estimé par tranche": ["9–20 M€"],
    "Zone fonctionnelle": ["Gestion et contrôle des accès"],
    "Financement [programme(s)]": ["Coordination du travail gouvernemental"],
    "Lien vers les Projets Annuels de Performances": ["https://x/pap/pdf/DBGPGMPGM129.pdf"],
    "Date de publication": ["2022-07-04"],
}
EDITION = date(2022, 7, 1)


@pytest.fixture
def panorama_crosswalks() -> Crosswalks:
    return Crosswalks(
        projects=pl.DataFrame(
            {
                "edition": ["2021-11"],
                "ministry_name": ["Premier ministre"],
                "project_name": ["FRANCE CONNECT"],
                "project_id": ["franceconnect"],
                "match_note": ["test"],
            }
        ),
        ministries=pl.DataFrame(
            {"ministry_name": ["Premier ministre"], "ministry_id": ["spm"], "ministry_label": ["PM"]}
        ),
    )


def csv_bytes(rows: dict[str, list[str]], separator: str = ",", encoding: str = "utf-8") -> bytes:
    return pl.DataFrame(rows).write_csv(separator=separator).encode(encoding)


def xlsx_bytes(rows: dict[str, list[str]]) -> bytes:
    buffer = io.BytesIO()
    pl.DataFrame(rows).write_excel(buffer)
    return buffer.getvalue()


def messages(result) -> list[str]:
    return [issue.message for issue in result.report.errors]


def expected_values(frame: pl.DataFrame) -> list[tuple]:
    return frame.select(
        "project_id", "ministry_id", "ministry_label", "interministerial", "start_date", "duration_years",
        "phase", "cost_meur", "funding_programmes", "description",
    ).rows()  # fmt: skip


PANORAMA_EXPECTED = [
    ("nouveau-si", "ministere-de-la-culture", "Ministère de la Culture", False, date(2021, 1, 1), None, "Cadrage",
     None, ["P175", "P224"], "Un SI"),
    ("franceconnect", "spm", "PM", True, date(2013, 7, 1), 5.25, "Déploiement", 19.5, ["P129"],
     "Se connecter & s'identifier"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "encoding", "separator"),
    [
        (csv_bytes(PANORAMA_ROWS), "UTF-8", "virgule"),
        (b"\xef\xbb\xbf" + csv_bytes(PANORAMA_ROWS), "UTF-8 avec BOM", "virgule"),
        (csv_bytes(PANORAMA_ROWS, ";", "cp1252"), "Windows-1252", "point-virgule"),
        (csv_bytes({**PANORAMA_ROWS, "": ["", ""], " ": ["", ""]}, ";"), "UTF-8", "point-virgule"),
        (xlsx_bytes(PANORAMA_ROWS), "XLSX", None),
    ],
    ids=["utf8", "bom", "cp1252-semicolon", "trailing-empty-columns", "xlsx"],
)
def test_panorama_format_in_every_encoding(
    content: bytes, encoding: str, separator: str | None, panorama_crosswalks: Crosswalks
) -> None:
    result = import_edition(content, "edition.csv", date(2022, 7, 14), panorama_crosswalks)
    assert result.report.errors == []
    assert (result.report.encoding, result.report.separator) == (encoding, separator)
    assert (result.report.file_format, result.report.edition, result.report.rows) == ("panorama", EDITION, 2)
    assert result.frame is not None
    assert result.frame.schema == pl.Schema(PROJECT_EDITION_SCHEMA)
    assert expected_values(result.frame) == PANORAMA_EXPECTED
    assert result.frame["cost_definition"].unique().to_list() == ["Coût complet estimé"]
    warnings = [issue.message for issue in result.report.warnings]
    assert (
        "Fichier « edition.csv », ligne 3, colonne « Projet » : valeur « NOUVEAU SI » : nouveau projet, "
        "identité à valider (identifiant provisoire « nouveau-si »)." in warnings
    )


def test_datagouv_format_takes_edition_from_publication_date(panorama_crosswalks: Crosswalks) -> None:
    result = import_edition(csv_bytes(DATAGOUV_ROWS, ";"), "export.csv", None, panorama_crosswalks)
    assert result.report.errors == []
    assert (result.report.file_format, result.report.edition) == ("data.gouv.fr", EDITION)
    assert result.frame is not None
    assert expected_values(result.frame) == [
        ("franceconnect", "spm", "PM", True, date(2013, 7, 1), 5.25, "Déploiement", 19.5, ["P129"], "Se connecter")
    ]
    assert result.report.warnings == []


def test_datagouv_chosen_edition_wins_over_publication_date_with_warning(panorama_crosswalks: Crosswalks) -> None:
    result = import_edition(csv_bytes(DATAGOUV_ROWS), "export.csv", date(2022, 6, 1), panorama_crosswalks)
    assert result.report.edition == date(2022, 6, 1)
    assert [w.column for w in result.report.warnings] == ["Date de publication"]


def test_missing_edition_is_an_error() -> None:
    result = import_edition(csv_bytes(PANORAMA_ROWS), "edition.csv", None)
    assert result.frame is None
    assert messages(result) == [
        "Fichier « edition.csv » : date d'édition inconnue : choisissez le mois de l'édition importée."
    ]


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "vide.csv", "Fichier « vide.csv » : le fichier est vide."),
        (b"  \r\n ", "vide.csv", "Fichier « vide.csv » : le fichier est vide."),
        (bytes(range(256)) * 40, "junk.csv", "contenu binaire"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.csv", "contenu binaire"),
        (xlsx_bytes(PANORAMA_ROWS)[:300], "tronque.xlsx", "classeur illisible"),
        (b"PK\x03\x04garbage", "faux.xlsx", "classeur illisible"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "ancien.xls", "(.xls) non pris en charge"),
    ],
    ids=["empty", "blank", "binary", "png", "truncated-xlsx", "fake-xlsx", "xls"],
)
def test_unreadable_files_give_a_french_error(content: bytes, name: str, expected: str) -> None:
    result = import_edition(content, name, EDITION)
    assert result.frame is None
    assert len(result.report.errors) == 1
    assert expected in result.report.errors[0].message
    assert result.report.errors[0].message.startswith(f"Fichier « {name} »")


def test_wrong_columns_list_missing_and_unexpected() -> None:
    rows = {k: v for k, v in PANORAMA_ROWS.items() if k not in ("Début", "Coût complet estimé")}
    result = import_edition(csv_bytes({**rows, "Budget": ["1", "2"]}), "x.csv", EDITION)
    assert messages(result) == [
        "Fichier « x.csv », ligne 1 : format non reconnu (ni tableau du panorama à 10 colonnes, ni export "
        "data.gouv.fr à 15 colonnes) ; le format le plus proche (panorama) demande aussi : « Début », "
        "« Coût estimé ou Coût complet estimé » ; colonne(s) inattendue(s) : « Budget »."
    ]


def test_duplicated_header_is_refused() -> None:
    content = "Projet,Projet,Ministère porteur\nA,B,C\n".encode()
    result = import_edition(content, "x.csv", EDITION)
    assert messages(result) == ["Fichier « x.csv », ligne 1 : en-tête « Projet » présent plusieurs fois."]


def test_header_only_file_has_no_data_rows() -> None:
    content = ",".join(PANORAMA_ROWS).encode() + b"\n"
    result = import_edition(content, "x.csv", EDITION)
    assert messages(result) == ["Fichier « x.csv » : aucune ligne de données sous l'en-tête."]


def test_absurd_and_unreadable_values_are_errors_with_row_and_column() -> None:
    rows = {key: [values[0]] * 7 for key, values in PANORAMA_ROWS.items()}
    rows["Projet"] = [f"P{i}" for i in range(7)]
    rows["Coût complet estimé"] = ["abc", "-3", "150000", "10", "10", "10", "10"]
    rows["Durée du projet en années"] = ["2", "2", "2", "0", "60", "2", "2"]
    rows["Début"] = ["mai 19", "mai 19", "mai 19", "mai 19", "mai 19", "janvier 2030", "brumaire 2"]
    result = import_edition(csv_bytes(rows), "x.csv", EDITION)
    assert result.frame is None
    assert sorted(messages(result)) == sorted(
        [
            "Fichier « x.csv », ligne 2, colonne « Coût complet estimé » : valeur « abc » illisible, "
            "nombre attendu (en M€, ex. « 12,5 »), ou « En cadrage », « NC » si non publié.",
            "Fichier « x.csv », ligne 3, colonne « Coût complet estimé » : valeur « -3 » : coût négatif, impossible.",
            "Fichier « x.csv », ligne 4, colonne « Coût complet estimé » : valeur « 150000 » : coût supérieur "
            "à 100 000 M€, absurde : le coût est attendu en millions d'euros.",
            "Fichier « x.csv », ligne 5, colonne « Durée du projet en années » : valeur « 0 » : durée absurde : "
            "entre 1 mois (0,083 an) et 50 ans attendus, en années.",
            "Fichier « x.csv », ligne 6, colonne « Durée du projet en années » : valeur « 60 » : durée "
            "absurde : entre 1 mois (0,083 an) et 50 ans attendus, en années.",
            "Fichier « x.csv », ligne 7, colonne « Début » : valeur « janvier 2030 » : date de début "
            "postérieure de plus de 5 ans à l'édition 2022-07, absurde.",
            "Fichier « x.csv », ligne 8, colonne « Début » : valeur « brumaire 2 » illisible, mois et année "
            "attendus (ex. « octobre 2014 » ou « octobre 14 »).",
        ]
    )


def test_doubtful_values_are_warnings(panorama_crosswalks: Crosswalks) -> None:
    rows = {key: [values[0]] for key, values in PANORAMA_ROWS.items()}
    rows["Coût complet estimé"] = ["2500"]
    rows["Début"] = ["septembre 22"]
    result = import_edition(csv_bytes(rows), "x.csv", EDITION, panorama_crosswalks)
    assert result.frame is not None
    assert sorted(issue.message for issue in result.report.warnings) == [
        "Fichier « x.csv », ligne 2, colonne « Coût complet estimé » : valeur « 2500 » : coût supérieur à "
        "1 000 M€, inhabituel : vérifiez l'unité (M€).",
        "Fichier « x.csv », ligne 2, colonne « Début » : valeur « septembre 22 » : date de début "
        "postérieure à l'édition 2022-07 : projet planifié ? À vérifier.",
    ]


def test_duplicated_project_and_unknown_phase_are_errors() -> None:
    rows = {key: [values[0]] * 2 for key, values in PANORAMA_ROWS.items()}
    rows["Phase du projet en cours"] = ["Déploiement", "Abandonné"]
    result = import_edition(csv_bytes(rows), "x.csv", EDITION)
    assert sorted(messages(result)) == [
        "Fichier « x.csv », ligne 3, colonne « Phase du projet en cours » : valeur « Abandonné » : phase "
        "inconnue, valeurs attendues : Cadrage, Conception / Réalisation, Expérimentation, Déploiement, Terminé.",
        "Fichier « x.csv », ligne 3, colonne « Projet » : valeur « FRANCE CONNECT » : même projet que la ligne 2 "
        "(identifiant « france-connect », nom identique à la casse, aux accents ou aux espaces près), avec "
        "d'autres chiffres : lequel retenir ? Corrigez le fichier.",
    ]


def test_row_numbers_follow_the_spreadsheet_with_multiline_cells_and_blank_lines() -> None:
    header = ",".join(PANORAMA_ROWS)
    good = 'A,Premier ministre,Oui,"ligne 1\nligne 2",mai 19,2,Cadrage,10,,'
    bad = "B,Premier ministre,Oui,x,mai 19,2,Cadrage,dix,,"
    content = f"{header}\n{good}\n\n{bad}\n".encode()
    result = import_edition(content, "x.csv", EDITION)
    assert [(issue.row, issue.value) for issue in result.report.errors] == [(4, "dix")]


def test_failed_import_and_refused_merge_leave_loaded_frame_unchanged(panorama_crosswalks: Crosswalks) -> None:
    loaded = import_edition(csv_bytes(PANORAMA_ROWS), "a.csv", date(2021, 11, 1), panorama_crosswalks).frame
    assert loaded is not None
    snapshot = loaded.clone()
    failed = import_edition(b"\x00\x01garbage", "b.csv", date(2021, 11, 1), panorama_crosswalks)
    assert failed.frame is None
    same_edition = import_edition(csv_bytes(PANORAMA_ROWS), "c.csv", date(2021, 11, 1), panorama_crosswalks)
    assert same_edition.frame is not None
    with pytest.raises(EditionMergeError, match=r"L'édition 2021-11 est déjà chargée \(2 projets\)"):
        merge_edition(loaded, same_edition.frame)
    assert loaded.equals(snapshot)


def test_merge_adds_or_replaces_an_edition(panorama_crosswalks: Crosswalks) -> None:
    loaded = import_edition(csv_bytes(PANORAMA_ROWS), "a.csv", date(2021, 11, 1), panorama_crosswalks).frame
    new = import_edition(csv_bytes(DATAGOUV_ROWS), "b.csv", None, panorama_crosswalks).frame
    assert loaded is not None and new is not None
    merged = merge_edition(loaded, new)
    assert merged.group_by("edition").len().sort("edition").rows() == [(date(2021, 11, 1), 2), (EDITION, 1)]
    assert loaded.height == 2
    replacement = new.with_columns(pl.lit(date(2021, 11, 1)).alias("edition"))
    replaced = merge_edition(loaded, replacement, replace=True)
    assert replaced.select("edition", "project_id").rows() == [(date(2021, 11, 1), "franceconnect")]


# ---------------------------------------------------------------- official formats as published (issue #11)


@pytest.fixture(scope="module")
def shipped_crosswalks() -> Crosswalks:
    return load_crosswalks(DATA_DIR)


@pytest.mark.parametrize(
    ("edition", "published", "to_bytes"),
    [
        ("2016-11", "2016-11-03", datagouv_csv),
        ("2017-06", "2017-06-01", datagouv_csv),
        ("2017-06", "2017-06-01", datagouv_xlsx),
    ],
    ids=["2016-11-csv", "2017-06-csv", "2017-06-xlsx"],
)
def test_official_datagouv_export_imports_the_same_projects_and_total(
    edition: str, published: str, to_bytes, shipped_crosswalks: Crosswalks
) -> None:
    content = to_bytes(edition, published)
    assert b"En cadrage" in content or edition == "2017-06"  # the xlsx is binary
    result = import_edition(content, f"export_{edition}", None, shipped_crosswalks)
    assert result.report.errors == [], [i.message for i in result.report.errors[:5]]
    month = date(int(edition[:4]), int(edition[5:]), 1)
    assert (result.report.file_format, result.report.edition) == ("data.gouv.fr", month)
    shipped = shipped_edition(month)
    imported = result.frame
    assert imported is not None
    assert imported.height == shipped.height
    assert sorted(imported["project_id"]) == sorted(shipped["project_id"])
    assert imported["cost_meur"].sum() == pytest.approx(shipped["cost_meur"].sum())
    assert imported["cost_meur"].null_count() == shipped["cost_meur"].null_count()
    in_cadrage = imported.filter(pl.col("phase") == "Cadrage", pl.col("cost_meur").is_null())
    assert in_cadrage.height > 0
    assert in_cadrage["withheld_reason"].unique().to_list() == ["En cadrage"]
    assert in_cadrage["duration_years"].null_count() == in_cadrage.height


WITHHELD_SENTENCE = (
    "Les éléments chiffrés des projets en cours d'appel d'offres ou dont la trajectoire est en cours de révision "
    "ne sont volontairement pas publiés par la DINUM afin de ne pas interférer avec les procédures en cours."
)


@pytest.mark.parametrize(
    ("cost", "duration", "reason"),
    [
        ("En cadrage", "En cadrage", "En cadrage"),
        ("EN CADRAGE", "", "EN CADRAGE"),
        ("", "en cadrage", "en cadrage"),
        ("NC", "NC", "NC"),
        ("Non communiqué", "NA", "Non communiqué"),
        (WITHHELD_SENTENCE, WITHHELD_SENTENCE, WITHHELD_SENTENCE),
        ("N.C.", "12", "N.C."),
    ],
)
def test_withheld_forms_are_accepted_in_cost_and_duration_with_their_reason(
    cost: str, duration: str, reason: str
) -> None:
    rows = {key: [values[1]] for key, values in PANORAMA_ROWS.items()}
    rows["Coût complet estimé"] = [cost]
    rows["Durée du projet en années"] = [duration]
    result = import_edition(csv_bytes(rows), "x.csv", EDITION)
    assert result.report.errors == []
    assert result.frame is not None
    assert result.frame.select("cost_meur", "withheld_reason").row(0) == (None, reason)
    assert result.frame["duration_years"].to_list() == [12.0 if duration == "12" else None]


def test_a_project_listed_twice_up_to_case_and_blanks_is_counted_once(shipped_crosswalks: Crosswalks) -> None:
    table = shipped_table("2021-11")
    copy = table.filter(pl.col("Projet") == "PAYSAGE").with_columns(pl.lit(" Paysage  ").alias("Projet"))
    content = pl.concat([table, copy]).write_csv().encode()
    result = import_edition(content, "double.csv", date(2021, 11, 1), shipped_crosswalks)
    assert result.frame is not None, [i.message for i in result.report.errors]
    assert result.frame.height == 50
    assert round(result.frame["cost_meur"].sum(), 1) == 2511.9
    assert result.frame.filter(pl.col("project_id") == "paysage").height == 1
    assert [w.message for w in result.report.warnings if w.row == 52] == [
        "Fichier « double.csv », ligne 52, colonne « Projet » : valeur « Paysage » : même projet que la ligne 2 "
        "(identifiant « paysage », nom identique à la casse, aux accents ou aux espaces près), mêmes chiffres : "
        "ligne ignorée, projet compté une fois."
    ]


def test_a_project_listed_twice_with_other_figures_is_refused(shipped_crosswalks: Crosswalks) -> None:
    table = shipped_table("2021-11")
    copy = table.filter(pl.col("Projet") == "PAYSAGE").with_columns(
        pl.lit("Paysage").alias("Projet"), pl.lit("60").alias("Coût complet estimé")
    )
    result = import_edition(pl.concat([table, copy]).write_csv().encode(), "double.csv", date(2021, 11, 1))
    assert result.frame is None
    assert [e.message for e in result.report.errors] == [
        "Fichier « double.csv », ligne 52, colonne « Projet » : valeur « Paysage » : même projet que la ligne 2 "
        "(identifiant « paysage », nom identique à la casse, aux accents ou aux espaces près), avec d'autres "
        "chiffres : lequel retenir ? Corrigez le fichier."
    ]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("Durée du projet en années", "0,0001", "durée absurde : entre 1 mois (0,083 an) et 50 ans attendus"),
        ("Durée du projet en années", "NaN", "illisible, nombre attendu (en années"),
        ("Durée du projet en années", "inf", "illisible, nombre attendu (en années"),
        ("Coût complet estimé", "NaN", "illisible, nombre attendu (en M€"),
        ("Coût complet estimé", "-inf", "illisible, nombre attendu (en M€"),
        ("Coût complet estimé", "1e400", "illisible, nombre attendu (en M€"),
        ("Coût complet estimé", "0,0001", "coût inférieur à 0,01 M€ (10 000 €), absurde"),
        ("Coût complet estimé", "1,2,3", "illisible, nombre attendu (en M€"),
    ],
)
def test_implausible_and_not_a_number_values_are_refused(column: str, value: str, expected: str) -> None:
    rows = {key: [values[0]] for key, values in PANORAMA_ROWS.items()}
    rows[column] = [value]
    result = import_edition(csv_bytes(rows), "x.csv", EDITION)
    assert result.frame is None
    (message,) = [e.message for e in result.report.errors]
    assert message.startswith(f"Fichier « x.csv », ligne 2, colonne « {column} » : valeur « {value} »")
    assert expected in message
    assert "supérieur à 100 000 M€" not in message


@pytest.mark.parametrize(
    "edition",
    ["2016-11", "2017-02", "2017-06", "2017-11", "2018-03", "2018-07", "2018-11", "2019-03", "2021-07", "2021-11"],
)
def test_every_shipped_edition_imports_as_it_loads(edition: str, shipped_crosswalks: Crosswalks) -> None:
    """Each edition's quirks (year forms, withheld sentence, HTML links, cost header) pass the import path too."""
    month = date(int(edition[:4]), int(edition[5:]), 1)
    content = (DATA_DIR / "editions" / f"panorama_{edition}.csv").read_bytes()
    result = import_edition(content, f"panorama_{edition}.csv", month, shipped_crosswalks)
    assert result.report.errors == []
    assert result.frame is not None
    assert result.frame.equals(shipped_edition(month))


def test_english_and_french_thousands_are_read_right() -> None:
    rows = {key: [values[0]] * 4 for key, values in PANORAMA_ROWS.items()}
    rows["Projet"] = ["A", "B", "C", "D"]
    rows["Coût complet estimé"] = ["1,234.5", "1.234,5", "1 234,5", "12,5"]
    result = import_edition(csv_bytes(rows), "x.csv", EDITION)
    assert result.frame is not None, messages(result)
    assert result.frame.sort("project_name")["cost_meur"].to_list() == [1234.5, 1234.5, 1234.5, 12.5]
