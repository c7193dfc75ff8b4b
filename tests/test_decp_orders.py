"""The orders ledger: encodings, separators, French numbers, XLSX, the template, located errors, warnings."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest

from analytics.decp.frameworks import Beneficiary, Holder, load_frameworks
from analytics.decp.orders import (
    LEDGER_COLUMNS,
    NOT_COUNTED_CANCELLED,
    NOT_COUNTED_SUBSEQUENT,
    ORDER_SCHEMA,
    ledger_columns_fr,
    ledger_readme_fr,
    ledger_template_csv,
    ledger_template_xlsx,
    read_orders,
)
from analytics.decp.readers import FRAMEWORKS_PATH
from tests.framework_factory import make_framework, make_lot

HEADER = "Date du bon de commande;Bénéficiaire;Titulaire;Lot;Référence du bon de commande;Montant HT (€);Statut"


@pytest.fixture(scope="module")
def registry():
    """A lot by bons de commande (maximum 1 M€, two holders), a lot by marchés subséquents, and an older lot by bons
    de commande with an exhaustive beneficiary list and a holder who left on 31/12/2022."""
    current = make_lot(
        "NEW_AC01",
        execution="bons de commande",
        maximum=1_000_000.0,
        holders=[Holder(name="Alpha / Beta", members=["Alpha SA", "Beta"]), Holder(name="Gamma")],
        beneficiaries=[Beneficiary(name="Direction interministérielle du numérique", aliases=["DINUM"])],
    )
    subsequent = make_lot("NEW_AC02", number=2, decp_id="NEW_AC02")
    old = make_lot(
        "OLD_048",
        number=None,
        execution="bons de commande",
        start=date(2021, 1, 1),
        end=date(2025, 1, 1),
        holders=[Holder(name="Delta"), Holder(name="Epsilon", until=date(2022, 12, 31))],
        beneficiaries=[Beneficiary(name="Ministère de la Culture")],
        complete=True,
    )
    return [make_framework("old", lots=[old]), make_framework("new", lots=[current, subsequent])]


def csv(*rows: str, header: str = HEADER, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join([header, *rows]).encode(encoding)


def test_french_csv_with_bom_spaces_and_decimal_commas(registry) -> None:
    content = csv(
        "15/04/2026;DINUM;Alpha SA;NEW_AC01;BC-1;3 000;émis",
        "2026-04-16;Direction interministérielle du numérique;Gamma;new ac01;BC-2;1\u202f234,50;EN COURS",
        "2026-04-17T00:00:00;Ministère X;Alpha / Beta;New_Ac01;BC-3;1.234,50;soldé",
        "17/4/2026;Ministère X;Beta;NEW_AC01;BC-4;1234.5;Annulé",
    )
    orders, report = read_orders(content, "registre.csv", registry)
    assert report.errors == [] and report.warnings == []
    assert orders.schema == pl.Schema(ORDER_SCHEMA)
    assert orders.select("order_date", "amount_eur", "status", "awardee_group", "counted").rows() == [
        (date(2026, 4, 15), 3000.0, "émis", "Alpha / Beta", True),
        (date(2026, 4, 16), 1234.5, "en cours", "Gamma", True),
        (date(2026, 4, 17), 1234.5, "terminé", "Alpha / Beta", True),
        (date(2026, 4, 17), 1234.5, "annulé", "Alpha / Beta", False),
    ]
    assert orders.get_column("lot_id").unique().to_list() == ["NEW_AC01"]
    assert orders.get_column("beneficiary_registry").to_list()[:2] == ["Direction interministérielle du numérique"] * 2
    assert orders.item(3, "not_counted_reason") == NOT_COUNTED_CANCELLED
    assert (report.orders_kept, report.orders_counted, report.counted_eur) == (4, 3, 5469.0)
    assert report.columns_used["Montant HT (€)"] == "Montant HT (€)"


def test_windows_1252_comma_separated_with_header_aliases(registry) -> None:
    content = csv(
        '15/04/2026,Ministère X,Gamma,NEW_AC01,BC-1,"245 000,00",émis',
        header="date,bénéficiaire,titulaire,lot,référence,montant HT,état",
        encoding="cp1252",
    )
    orders, report = read_orders(content, "export.csv", registry)
    assert report.errors == []
    assert "Fichier lu en Windows-1252 (il n'est pas en UTF-8)." in report.notes
    assert orders.select("beneficiary", "amount_eur").row(0) == ("Ministère X", 245_000.0)
    assert report.columns_used == {
        "Date du bon de commande": "date",
        "Bénéficiaire": "bénéficiaire",
        "Titulaire": "titulaire",
        "Lot": "lot",
        "Référence du bon de commande": "référence",
        "Montant HT (€)": "montant HT",
        "Statut": "état",
    }


def test_xlsx_reads_like_the_same_csv(registry) -> None:
    rows = ["15/04/2026;DINUM;Alpha SA;NEW_AC01;BC-1;3 000;émis", "16/04/2026;DINUM;Gamma;NEW_AC01;BC-2;1234,5;émis"]
    from_csv, _ = read_orders(csv(*rows), "registre.csv", registry)
    table = pl.read_csv(csv(*rows), separator=";", infer_schema=False)
    buffer = io.BytesIO()
    table.with_columns(
        pl.col("Date du bon de commande").str.to_date("%d/%m/%Y"),  # a real date cell
        pl.col("Montant HT (€)").str.replace(" ", "").str.replace(",", ".").cast(pl.Float64),  # a number cell
    ).write_excel(buffer)
    from_xlsx, report = read_orders(buffer.getvalue(), "registre.xlsx", registry)
    assert report.errors == []
    assert from_xlsx.drop("row_ref").equals(from_csv.drop("row_ref"))


def test_templates_list_every_column_and_the_documented_example_is_valid() -> None:
    headers = [column.header for column in LEDGER_COLUMNS]
    assert ledger_template_csv() == ("\ufeff" + ";".join(headers) + "\r\n").encode("utf-8")
    readme = ledger_readme_fr()
    assert all(f"| {header} |" in readme for header in headers)
    workbook = ledger_template_xlsx()
    sheets = pl.read_excel(io.BytesIO(workbook), sheet_id=0, infer_schema_length=0)
    assert list(sheets) == ["Bons de commande", "Exemple", "Colonnes"]
    assert sheets["Bons de commande"].columns == headers and sheets["Bons de commande"].height == 0
    assert sheets["Colonnes"].get_column("Colonne").drop_nulls().to_list()[: len(headers)] == headers
    real = load_frameworks(FRAMEWORKS_PATH)
    empty, report = read_orders(workbook, "modele.xlsx", real)
    assert empty is None and report.errors == ["modele.xlsx : fichier vide (en-tête seul, aucun bon de commande)."]
    example = ";".join(column.example for column in LEDGER_COLUMNS)
    orders, report = read_orders(csv(example, header=";".join(headers)), "exemple.csv", real)
    assert report.errors == [] and report.counted_eur == 245_000.0
    assert orders.item(0, "awardee_group") == "OCTO Technology / Crème de la Crème / Frontier"


def test_page_lists_the_template_columns_one_item_each() -> None:
    items = ledger_columns_fr().split("\n")
    assert len(items) == len(LEDGER_COLUMNS) and all(item.startswith("- **") for item in items)
    assert items[0].startswith("- **Date du bon de commande** (obligatoire) : ")
    assert items[-1].startswith("- **Objet** (facultative) : ")
    assert "Exemple : « 25\\_BAM\\_044\\_AC01 »." in items[3]  # underscores stay text, not emphasis


def test_defects_are_located_and_refuse_the_whole_file(registry) -> None:
    content = csv(
        "15/04/2026;;Alpha SA;NEW_AC01;BC-1;3000;émis",
        "31/02/2026;DINUM;Alpha SA;NEW_AC01;BC-2;3000;émis",
        "15/04/2026;DINUM;Alpha SA;NEW_AC01;BC-3;trois mille;émis",
        "15/04/2026;DINUM;Alpha SA;NEW_AC01;BC-4;-5;émis",
        "15/04/2026;DINUM;Alpha SA;NEW_AC01;BC-5;12311111111;émis",
        "15/04/2026;DINUM;Alpha SA;NEW_AC01;BC-6;2 000 000;émis",
        "15/04/2026;DINUM;Alpha SA;NOPE;BC-7;3000;émis",
        "01/01/2025;DINUM;Alpha SA;NEW_AC01;BC-8;3000;émis",
        "15/04/2026;DINUM;Alpha SA;NEW_AC01;BC-9;3000;validé",
        "15/04/2026;DINUM;Alpha SA;NEW_AC01;bc-9;3000;émis",
    )
    orders, report = read_orders(content, "x.csv", registry)
    assert orders is None and report.orders_kept == 0
    prefix = "x.csv, ligne"
    assert report.errors == [
        f"{prefix} 2, colonne « Bénéficiaire », valeur «  » : valeur vide, la colonne est obligatoire.",
        f"{prefix} 3, colonne « Date du bon de commande », valeur « 31/02/2026 » : n'est pas une date "
        "(JJ/MM/AAAA ou AAAA-MM-JJ attendu).",
        f"{prefix} 4, colonne « Montant HT (€) », valeur « trois mille » : n'est pas un montant en euros "
        "(par exemple 3 000 000 ou 1234,50).",
        f"{prefix} 5, colonne « Montant HT (€) », valeur « -5 » : montant nul ou négatif ; un bon de commande annulé "
        "se signale par le statut « annulé ».",
        f"{prefix} 6, colonne « Montant HT (€) », valeur « 12311111111 » : montant invraisemblable (1 Md€ ou plus, "
        "ou valeur marqueur 12 311 111 111).",
        f"{prefix} 7, colonne « Montant HT (€) », valeur « 2 000 000 » : supérieur au montant maximum du lot "
        "NEW_AC01 (1000000 €).",
        f"{prefix} 8, colonne « Lot », valeur « NOPE » : lot inconnu du registre (lots connus : OLD_048, NEW_AC01, "
        "NEW_AC02).",
        f"{prefix} 9, colonne « Date du bon de commande », valeur « 01/01/2025 » : en dehors de la durée du lot "
        "NEW_AC01 (du 01/03/2026 au 01/03/2030).",
        f"{prefix} 10, colonne « Statut », valeur « validé » : statut inconnu (valeurs possibles : émis, en cours, "
        "terminé, annulé).",
        f"{prefix} 10, ligne 11, colonne « Référence du bon de commande », valeur « BC-9 » : référence en double pour "
        "le même bénéficiaire ; chaque bon de commande ne figure qu'une fois (un bon rectificatif a sa propre "
        "référence).",
    ]


def test_doubtful_rows_are_kept_with_warnings(registry) -> None:
    content = csv(
        "15/04/2026;Ministère X;Inconnu SARL;NEW_AC01;BC-1;1000;émis",
        "15/04/2026;Ministère X;Alpha SA;NEW_AC02;BC-2;500;émis",
        "15/06/2023;Ministère de la Culture;Epsilon;OLD_048;BC-1;200;terminé",
        "15/06/2022;Préfecture de police;Delta;OLD_048;BC-3;100;terminé",
    )
    orders, report = read_orders(content, "r.csv", registry)
    assert report.errors == []
    assert report.warnings == [
        "r.csv, ligne 2, colonne « Titulaire », valeur « Inconnu SARL » : titulaire absent des titulaires publiés du "
        "lot NEW_AC01 ; ligne comptée.",
        f"r.csv, ligne 3, colonne « Lot », valeur « NEW_AC02 » : {NOT_COUNTED_SUBSEQUENT}.",
        "r.csv, ligne 4, colonne « Titulaire », valeur « Epsilon » : Epsilon n'est plus titulaire depuis le 01/01/2023 "
        "; ligne comptée, à vérifier.",
        "r.csv, ligne 5, colonne « Bénéficiaire », valeur « Préfecture de police » : absent de la liste exhaustive des "
        "bénéficiaires du lot OLD_048 ; ligne comptée.",
    ]
    assert orders.select("order_ref", "counted", "not_counted_reason").rows() == [
        ("BC-1", True, None),
        ("BC-2", False, NOT_COUNTED_SUBSEQUENT),
        ("BC-1", True, None),  # same reference, other beneficiary: not a duplicate
        ("BC-3", True, None),
    ]
    assert report.counted_eur == 1300.0


def test_header_problems(registry) -> None:
    _, report = read_orders(b"Date;Montant\r\n15/04/2026;100\r\n", "court.csv", registry)
    assert report.errors == [
        "court.csv : ligne 1 (en-tête) : colonne(s) obligatoire(s) absente(s) : « Bénéficiaire », « Titulaire », "
        "« Lot », « Référence du bon de commande », « Statut ». Colonnes trouvées : Date, Montant (voir le modèle)."
    ]
    twice = csv("15/04/2026;DINUM;Gamma;NEW_AC01;BC-1;1;émis;2", header=HEADER + ";Montant")
    _, report = read_orders(twice, "double.csv", registry)
    assert report.errors == [
        "double.csv : ligne 1 (en-tête) : colonnes « Montant HT (€) » et « Montant » désignent toutes deux "
        "« Montant HT (€) »."
    ]
    extra = csv("15/04/2026;DINUM;Gamma;NEW_AC01;BC-1;1;émis;x", header=HEADER + ";Commentaire")
    orders, report = read_orders(extra, "extra.csv", registry)
    assert orders is not None and report.warnings == ["extra.csv : colonne(s) inconnue(s), ignorée(s) : Commentaire."]


def test_hostile_or_wrong_files_are_refused(registry) -> None:
    assert read_orders(b"", "vide.csv", registry)[1].errors == ["vide.csv : fichier vide."]
    assert read_orders(b"\x00\x01binaire", "b.csv", registry)[1].errors[0].startswith("b.csv : contenu binaire")
    assert read_orders(b'{"marches": []}', "r.json", registry)[1].errors == [
        "r.json : format non pris en charge pour un registre des bons de commande ; CSV ou XLSX attendu "
        "(téléchargez le modèle)."
    ]
    big = HEADER.encode() + b"\n" + b"15/04/2026;DINUM;Gamma;NEW_AC01;BC-1;1;\xc3\xa9mis\n" * 1_200_000
    (error,) = read_orders(big, "gros.csv", registry)[1].errors
    assert error.startswith("gros.csv : fichier de ") and "au-delà de la limite de 50\u00a0Mo" in error


def test_many_defects_are_capped(registry) -> None:
    content = csv(*[f"15/04/2026;DINUM;Gamma;NEW_AC01;BC-{i};zéro;émis" for i in range(25)])
    _, report = read_orders(content, "x.csv", registry)
    assert len(report.errors) == 11 and report.errors[-1] == "… et 15 autre(s) ligne(s) du même type."
