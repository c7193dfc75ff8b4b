"""Downloads opened back as a spreadsheet would: what the screen shows, formulas neutralised, values intact."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import altair as alt
import openpyxl
import polars as pl
import pytest

from analytics.charts import bar_chart, chart_table_spec
from analytics.display import DRIFT_COLOURS, DRIFT_MARK, PROJECTS_TABLE, Column, DriftClass, Kind, TableSpec
from analytics.exports import (
    FORMULA_PREFIXES,
    ExportContext,
    export_file_name,
    neutralise_formulas,
    selection_filters,
    table_to_csv_bytes,
    table_to_xlsx_bytes,
    to_csv_bytes,
    to_xlsx_bytes,
)
from analytics.formatting import MISSING, format_number, format_pct
from analytics.panorama.portfolio import breakdown
from analytics.panorama.schema import PhaseEnum
from analytics.selection import Selection, Vocabulary
from pages.common.tables import styled_table
from tests.panorama_frames import real_panorama_with_drift
from tests.sent_tables import display_values, sent

SUCCESS_GREEN = "#18753C"  # DSFR success: what the app shows for a falling cost

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


# ---- exports as shown: the projects table and a chart's data, cell by cell against the screen -----------------

LATEST = date(2021, 11, 1)
THRESHOLD = 0.20


def latest_projects() -> pl.DataFrame:
    projects = real_panorama_with_drift()
    return projects.filter(pl.col("edition") == LATEST).sort("cost_meur", descending=True, nulls_last=True)


def screen_texts(df: pl.DataFrame, spec: TableSpec, threshold: float | None) -> list[list[str]]:
    """What the grid draws: the display values Streamlit sends to the browser with the table."""
    styler, _ = styled_table(df, spec, threshold)
    return display_values(sent(styler))


def excel_text(cell: openpyxl.cell.cell.Cell, number_format: str) -> str:
    """A cell as a French Excel shows it, for the formats the display model writes."""
    value = cell.value
    if value is None:
        return MISSING
    if number_format in ("mm/yyyy", "dd/mm/yyyy"):
        return value.strftime("%m/%Y" if number_format == "mm/yyyy" else "%d/%m/%Y")
    if number_format.startswith("#,##0"):
        places = len(number_format.partition(".")[2])
        return format_number(value, places)
    if number_format.endswith("%") or "%;" in number_format:
        places = len(number_format.split(";")[0].partition(".")[2].rstrip("%"))
        return format_pct(value, places, signed=number_format.startswith("+"))
    return str(value)


def drift_rules(sheet) -> dict[str, list[tuple[str, float, str | None, str | None]]]:
    rules = {}
    for cells, rule_list in sheet.conditional_formatting._cf_rules.items():
        rules[str(cells.sqref)] = [
            (r.operator, float(r.formula[0]), r.dxf.font.color.rgb, r.dxf.numFmt.formatCode if r.dxf.numFmt else None)
            for r in sorted(rule_list, key=lambda r: r.priority)
        ]
    return rules


def test_projects_csv_holds_what_the_table_shows_cell_by_cell() -> None:
    projects = latest_projects()
    rows = read_csv_rows(table_to_csv_bytes(projects, PROJECTS_TABLE, THRESHOLD))
    assert rows[0] == PROJECTS_TABLE.headers
    assert rows[1:] == screen_texts(projects, PROJECTS_TABLE, THRESHOLD)
    assert len(rows) - 1 == projects.height == 50
    drifts = [row[4] for row in rows[1:]]
    assert any(d.startswith("-") for d in drifts)  # a falling cost stays a plain signed figure
    assert not any(re.search(r"\d\.\d", cell) for row in rows[1:] for cell in row)  # no raw float anywhere
    assert {row[8] for row in rows[1:]} == {"oui", "non"}
    assert all(re.fullmatch(r"\d{2}/\d{4}", row[7]) for row in rows[1:])


def test_projects_xlsx_shows_the_same_figures_with_real_formats() -> None:
    projects = latest_projects()
    screen = screen_texts(projects, PROJECTS_TABLE, THRESHOLD)
    data = table_to_xlsx_bytes(projects, PROJECTS_TABLE, threshold=THRESHOLD)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Données"]
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == PROJECTS_TABLE.headers
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in rows[0])
    formats = {c.header: c.excel_format for c in PROJECTS_TABLE.columns}
    rules = drift_rules(sheet)
    for column, header in enumerate(PROJECTS_TABLE.headers):
        letter = openpyxl.utils.get_column_letter(column + 1)
        for row, cells in enumerate(rows[1:]):
            cell = cells[column]
            shown = screen[row][column]
            if formats[header] is None:
                assert cell.value == shown, (header, row)
                continue
            assert cell.number_format == formats[header]
            text = excel_text(cell, formats[header])
            drift_rule = rules.get(f"{letter}2:{letter}{len(rows)}")
            if drift_rule and cell.value is not None and cell.value > drift_rule[0][1]:
                text = f"{DRIFT_MARK} {text}"  # the first conditional format's number format
            assert text == shown, (header, row)


def test_xlsx_drift_colours_match_the_app() -> None:
    frame = pl.DataFrame({"d": [-0.42, 0.1, 0.35]})
    spec = TableSpec.of(Column(field="d", header="Écart", kind=Kind.SIGNED_PERCENT, drift=True))
    sheet = openpyxl.load_workbook(io.BytesIO(table_to_xlsx_bytes(frame, spec, threshold=0.3))).active
    assert drift_rules(sheet) == {
        "A2:A4": [
            ("greaterThan", 0.3, "FF" + DRIFT_COLOURS[DriftClass.ABOVE][1:], '"⚠ "+0.0%;"⚠ "-0.0%;"⚠ "0.0%'),
            ("greaterThan", 0.0, "FF" + DRIFT_COLOURS[DriftClass.RISING][1:], None),
            ("lessThanOrEqual", 0.0, "FF" + DRIFT_COLOURS[DriftClass.FALLING][1:], None),  # falling cost: green
        ]
    }
    assert DRIFT_COLOURS[DriftClass.FALLING] == SUCCESS_GREEN
    assert [cell.value for (cell,) in sheet.iter_rows(min_row=2)] == [-0.42, 0.1, 0.35]


def test_xlsx_information_sheet_says_what_the_table_is() -> None:
    context = ExportContext(title="Projets", edition=LATEST, filters=(("Ministère", ("Intérieur", "Justice")),))
    book = openpyxl.load_workbook(io.BytesIO(table_to_xlsx_bytes(latest_projects(), PROJECTS_TABLE, context=context)))
    assert [row[0] for row in book["Informations"].values] == [
        "Projets",
        "Édition novembre 2021 · Ministère : Intérieur, Justice",
        "Source : DINUM, panorama des grands projets numériques de l'État",
    ]


def test_chart_data_exports_hold_the_data_table_and_tooltip_texts() -> None:
    by_ministry = breakdown(latest_projects(), "ministry")
    chart = bar_chart(
        by_ministry,
        "ministry_label",
        "cost_meur",
        category_title="Ministère",
        value_title="Coût estimé (M€)",
        tooltip=[alt.Tooltip("projects:Q", title="Projets")],
    )
    spec = chart_table_spec(chart)
    assert spec.headers == ["Ministère", "Coût estimé (M€)", "Projets"]
    shown = spec.texts(by_ministry).rows()  # the « Voir les données » table
    rows = read_csv_rows(table_to_csv_bytes(by_ministry, spec))
    assert rows[0] == ["Ministère", "Coût estimé (M€)", "Projets"]
    assert [tuple(row) for row in rows[1:]] == shown
    tooltips = [tuple(record[f"{c.field}__fr"] for c in spec.columns) for record in chart.to_dict()["data"]["values"]]
    assert tooltips == shown
    sheet = openpyxl.load_workbook(io.BytesIO(table_to_xlsx_bytes(by_ministry, spec))).active
    body = list(sheet.iter_rows(min_row=2))
    assert [(cells[0].value, excel_text(cells[1], "#,##0.0"), excel_text(cells[2], "#,##0")) for cells in body] == shown


def test_table_csv_neutralises_text_cells_only() -> None:
    frame = pl.DataFrame({"t": ["=1+1", "-2+3", "@SUM(A1)", "ok"], "d": [-0.5, 0.5, 0.0, None]})
    spec = TableSpec.of(Column(field="t", header="Texte"), Column(field="d", header="Écart", kind=Kind.SIGNED_PERCENT))
    rows = read_csv_rows(table_to_csv_bytes(frame, spec))[1:]
    assert rows == [
        ["'=1+1", "-50,0\u00a0%"],
        ["'-2+3", "+50,0\u00a0%"],
        ["'@SUM(A1)", "0,0\u00a0%"],
        ["ok", MISSING],
    ]
    xlsx = openpyxl.load_workbook(io.BytesIO(table_to_xlsx_bytes(frame, spec))).active
    assert [row[0].value for row in xlsx.iter_rows(min_row=2)] == ["'=1+1", "'-2+3", "'@SUM(A1)", "ok"]
    assert all(cell.data_type != "f" for row in xlsx.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("description", "extension", "expected"),
    [
        ("Projets, édition 2021-11, ministère : Intérieur", "csv", "projets-edition-2021-11-ministere-interieur.csv"),
        ("../../etc/passwd", "png", "etc-passwd.png"),
        ("« Écart » / coût?*<>|", "XLSX", "ecart-cout.xlsx"),
        ("", "svg", "export.svg"),
    ],
)
def test_export_file_name_is_safe(description: str, extension: str, expected: str) -> None:
    assert export_file_name(description, extension) == expected


def test_long_file_names_are_cut_at_a_word() -> None:
    name = export_file_name("projets " + " ".join(f"ministere{i}" for i in range(40)), "csv")
    assert len(name) <= 124 and name.endswith(".csv") and not name.endswith("-.csv")
    assert name.removesuffix(".csv").split("-")[-1].startswith("ministere")


def test_context_names_the_file_after_edition_and_filters() -> None:
    context = ExportContext(
        title="Coût par ministère",
        edition=LATEST,
        filters=(("Ministère", ("Intérieur",)), ("Phase", ("Déploiement", "Terminé"))),
        simulated=True,
    )
    assert (
        context.file_name("png")
        == "cout-par-ministere-edition-2021-11-ministere-interieur-phase-deploiement-termine.png"
    )
    assert context.source_fr.endswith("· Données simulées")
    assert ExportContext(title="Projets").subtitle_fr == "aucun filtre"


def test_selection_filters_names_the_active_filters() -> None:
    vocab = Vocabulary(editions=(LATEST,), ministries={"interieur": "Intérieur"}, zones={}, projects={})
    selection = Selection(ministries=("interieur",), phases=("Déploiement",), interministerial_only=True, query="sirh")
    assert selection_filters(selection, vocab) == (
        ("Ministère", ("Intérieur",)),
        ("Phase", ("Déploiement",)),
        ("Interministériel", ("oui",)),
        ("Recherche", ("« sirh »",)),
    )
    assert selection_filters(Selection(), vocab) == ()
