"""Downloads opened back as a spreadsheet would: formulas neutralised, numbers and dates intact."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import polars as pl
import pytest

from analytics.exports import FORMULA_PREFIXES, neutralise_formulas, to_csv_bytes, to_xlsx_bytes
from analytics.panorama.schema import PhaseEnum

DANGEROUS = ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\r=cmd", '=HYPERLINK("http://x")']
SAFE = ["Intérieur", "a=b", "1 234,5", " =espace d'abord", "", "l'État"]


def sample() -> pl.DataFrame:
    texts = DANGEROUS + SAFE + [None]
    n = len(texts)
    return pl.DataFrame(
        {
            "texte": texts,
            "montant": [-1.5, 2.25, -1234.5, 0.0, *[1.0] * (n - 4)],
            "nombre": [-3, *range(1, n)],
            "edition": [date(2021, 11, 1)] * n,
            "phase": ["Cadrage", "Terminé", None, *["Déploiement"] * (n - 3)],
            "programmes": [["P129", "P302"], ["=P1"], [], None, *[["P1"]] * (n - 4)],
        },
        schema_overrides={"phase": PhaseEnum},
    )


def read_csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx_rows(data: bytes) -> list[list[openpyxl.cell.cell.Cell]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows()]
    for cell in (cell for row in rows for cell in row if isinstance(cell.value, str)):
        cell.value = cell.value.replace("_x000D_", "\r")  # xlsx escapes CR; openpyxl does not decode it
    return rows


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def test_neutralise_formulas_on_text_columns_only():
    out = neutralise_formulas(sample())
    assert out.get_column("texte").to_list() == [*(f"'{t}" for t in DANGEROUS), *SAFE, None]
    assert out.get_column("programmes").to_list()[:4] == ["P129, P302", "'=P1", "", None]
    assert out.get_column("phase").to_list()[:3] == ["Cadrage", "Terminé", None]
    assert out.get_column("montant").dtype == pl.Float64
    assert out.get_column("nombre").to_list()[0] == -3


def test_csv_bom_separator_and_header():
    data = to_csv_bytes(sample())
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_csv_rows(data)[0] == ["texte", "montant", "nombre", "edition", "phase", "programmes"]


def test_csv_cells_are_neutralised_and_values_survive():
    rows = read_csv_rows(to_csv_bytes(sample()))[1:]
    texts = [row[0] for row in rows]
    assert texts == [*(f"'{t}" for t in DANGEROUS), *SAFE, ""]
    for row in rows:
        assert not any(is_dangerous(cell) for column, cell in enumerate(row) if column not in (1, 2)), row
    assert [row[1] for row in rows[:4]] == ["-1,5", "2,25", "-1234,5", "0,0"]  # decimal comma, no prefix
    assert [row[2] for row in rows[:2]] == ["-3", "1"]
    assert {row[3] for row in rows} == {"2021-11-01"}
    assert [row[5] for row in rows[:4]] == ["P129, P302", "'=P1", "", ""]


def test_xlsx_cells_are_neutralised_numbers_stay_numbers_dates_survive():
    rows = read_xlsx_rows(to_xlsx_bytes(sample()))
    assert [cell.value for cell in rows[0]] == ["texte", "montant", "nombre", "edition", "phase", "programmes"]
    body = rows[1:]
    assert [row[0].value for row in body] == [*(f"'{t}" for t in DANGEROUS), *SAFE[:4], None, "l'État", None]
    assert all(cell.data_type != "f" for row in rows for cell in row)  # no formula anywhere
    assert not any(isinstance(cell.value, str) and is_dangerous(cell.value) for row in body for cell in row)
    assert [row[1].value for row in body[:4]] == [-1.5, 2.25, -1234.5, 0]
    assert {row[1].data_type for row in body} == {"n"}
    assert [row[2].value for row in body[:2]] == [-3, 1]
    assert {row[3].value.date() for row in body} == {date(2021, 11, 1)}
    assert [row[4].value for row in body[:3]] == ["Cadrage", "Terminé", None]
    assert [row[5].value for row in body[:2]] == ["P129, P302", "'=P1"]


def test_xlsx_sheet_name_is_cut_to_excel_limit():
    data = to_xlsx_bytes(pl.DataFrame({"a": [1]}), sheet_name="Projets " + "x" * 40)
    assert openpyxl.load_workbook(io.BytesIO(data)).active.title == ("Projets " + "x" * 40)[:31]


def test_lists_of_numbers_are_joined():
    frame = pl.DataFrame({"valeurs": [[1, -2], [3]]})
    assert neutralise_formulas(frame).get_column("valeurs").to_list() == ["1, -2", "3"]


@pytest.mark.parametrize("export", [to_csv_bytes, to_xlsx_bytes])
def test_empty_frame_exports_headers(export):
    assert export(pl.DataFrame(schema={"texte": pl.String, "montant": pl.Float64}))
