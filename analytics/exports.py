"""Downloads that say what the screen says, and that a spreadsheet opens safely.

`table_to_csv_bytes` writes the French text of every cell exactly as the table shows it (the display model of
`analytics.display`); `table_to_xlsx_bytes` writes the same figures as numbers and dates with Excel formats that
show them the same way, drift colours included. Text cells that a spreadsheet could run as a formula are
neutralised in both. `to_csv_bytes` / `to_xlsx_bytes` remain for raw frames (import reports).
"""

from __future__ import annotations

import io
from datetime import date

import polars as pl
from pydantic import BaseModel, ConfigDict
from xlsxwriter import Workbook

from analytics.display import DRIFT_COLOURS, DRIFT_MARK, PERCENT_KINDS, DriftClass, Kind, TableSpec
from analytics.formatting import format_month
from analytics.params.vocabulary import Vocabulary
from analytics.selection import Selection
from analytics.text import slugify

# A cell starting with one of these may be run as a formula by a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
MAX_EXPORT_ROWS = 1_000_000
MAX_FILE_NAME = 120  # characters before the extension: safe on every file system and in a mail
DATA_SHEET = "Données"
ABOUT_SHEET = "Informations"


def _is_text(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum | pl.List)


def _neutralised(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.contains(_FORMULA_PATTERN)).then(pl.lit("'") + expr).otherwise(expr)


def neutralise_formulas(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix dangerous text cells with an apostrophe; numbers stay numbers; lists become text."""
    as_text = df.with_columns(
        pl.col(name).list.eval(pl.element().cast(pl.String)).list.join(", ")
        if isinstance(dtype, pl.List)
        else pl.col(name).cast(pl.String)
        for name, dtype in df.schema.items()
        if _is_text(dtype)
    )
    return as_text.with_columns(
        _neutralised(pl.col(name)).alias(name) for name, dtype in df.schema.items() if _is_text(dtype)
    )


def to_csv_bytes(df: pl.DataFrame) -> bytes:
    """CSV as French spreadsheets expect: UTF-8 with BOM, `;` separator, decimal comma."""
    safe = neutralise_formulas(df.head(MAX_EXPORT_ROWS))
    return "\ufeff".encode() + safe.write_csv(separator=";", decimal_comma=True).encode()


def to_xlsx_bytes(df: pl.DataFrame, sheet_name: str = DATA_SHEET) -> bytes:
    buffer = io.BytesIO()
    neutralise_formulas(df.head(MAX_EXPORT_ROWS)).write_excel(buffer, worksheet=sheet_name[:31], autofit=True)
    return buffer.getvalue()


class ExportContext(BaseModel):
    """What a download is about: it titles the PNG/SVG, names the file and fills the XLSX « Informations » sheet."""

    model_config = ConfigDict(frozen=True)

    title: str  # « Coût par ministère »
    edition: date | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (French label, chosen values), active filters only
    source: str = "DINUM, panorama des grands projets numériques de l'État"
    simulated: bool = False  # « Données simulées » is then said wherever the export is shown

    @property
    def filters_fr(self) -> str:
        return " · ".join(f"{label} : {', '.join(values)}" for label, values in self.filters) or "aucun filtre"

    @property
    def subtitle_fr(self) -> str:
        edition = f"Édition {format_month(self.edition)} · " if self.edition else ""
        return f"{edition}{self.filters_fr}"

    @property
    def source_fr(self) -> str:
        return f"Source : {self.source}" + (" · Données simulées" if self.simulated else "")

    def lines(self) -> list[str]:
        """Title, edition and filters, source: the header of every export."""
        return [self.title, self.subtitle_fr, self.source_fr]

    def file_name(self, extension: str) -> str:
        parts = [self.title, f"edition {self.edition:%Y-%m}" if self.edition else ""]
        parts += [" ".join([label, *values]) for label, values in self.filters]
        return export_file_name(" ".join(p for p in parts if p), extension)


def export_file_name(description: str, extension: str) -> str:
    """`Projets, édition 2021-11, ministère : Intérieur` -> `projets-edition-2021-11-ministere-interieur.csv`.

    ASCII, lower case, dashes only (no path separator, no dot but the extension's), cut at a word boundary so that
    a long list of filters still gives a name every system accepts.
    """
    stem = slugify(description)
    if len(stem) > MAX_FILE_NAME:
        stem = stem[:MAX_FILE_NAME].rsplit("-", 1)[0]
    return f"{stem or 'export'}.{slugify(extension) or 'txt'}"


def selection_filters(selection: Selection, vocab: Vocabulary) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The active filters of a selection as (French label, values) pairs, in the sidebar's order."""
    pairs = [
        ("Ministère", tuple(vocab.ministries.get(m, m) for m in selection.ministries)),
        ("Phase", selection.phases),
        ("Tranche de coût", selection.brackets),
        ("Zone fonctionnelle", selection.zones),
        ("Interministériel", ("oui",) if selection.interministerial_only else ()),
        ("Recherche", (f"« {selection.query} »",) if selection.query else ()),
    ]
    return tuple((label, tuple(values)) for label, values in pairs if values)


def _text_kinds(spec: TableSpec) -> list[str]:
    return [c.header for c in spec.columns if c.kind is Kind.TEXT]


def table_to_csv_bytes(df: pl.DataFrame, spec: TableSpec, threshold: float | None = None) -> bytes:
    """The table's cells as shown (`-41,7 %`, `05/2019`, `oui`), French headers, `;`, UTF-8 with BOM.

    Only text columns can hold a formula-looking value: the display model writes numbers itself, so a
    signed drift (`-41,7 %`) stays as it reads.
    """
    texts = spec.texts(df.head(MAX_EXPORT_ROWS), threshold)
    safe = texts.with_columns(_neutralised(pl.col(h)).alias(h) for h in _text_kinds(spec))
    return "\ufeff".encode() + safe.write_csv(separator=";").encode()


def _excel_values(df: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Figures and dates as values Excel formats (fractions for percentages: its format multiplies by 100);
    text and oui/non cells as the screen's text, empty ones included (« Non publiée », « – »)."""
    frame = df.head(MAX_EXPORT_ROWS)
    values, texts, _ = spec.on_screen(frame)  # one query
    return values.with_columns(
        *(
            (pl.col(c.header) / 100).round(c.places + 2).alias(c.header)
            for c in spec.columns
            if c.kind in PERCENT_KINDS
        ),
        *(
            _neutralised(texts.get_column(c.header)).alias(c.header)
            if c.kind is Kind.TEXT
            else texts.get_column(c.header)
            for c in spec.columns
            if c.kind in (Kind.TEXT, Kind.BOOL)
        ),
    )


def _drift_rules(spec: TableSpec, threshold: float) -> dict[str, list[dict[str, object]]]:
    """Excel conditional formats with the app's drift colours; the first matching rule wins."""
    rules: dict[str, list[dict[str, object]]] = {}
    for column in spec.drift_columns:
        number_format = column.excel_format or "General"
        level = round(threshold * column.scale, 6) / column.scale
        rules[column.header] = [
            {
                "type": "cell",
                "criteria": ">",
                "value": level,
                "format": {
                    "font_color": DRIFT_COLOURS[DriftClass.ABOVE],
                    "bold": True,
                    "num_format": ";".join(f'"{DRIFT_MARK} "{part}' for part in number_format.split(";")),
                },
            },
            {"type": "cell", "criteria": ">", "value": 0, "format": {"font_color": DRIFT_COLOURS[DriftClass.RISING]}},
            {"type": "cell", "criteria": "<=", "value": 0, "format": {"font_color": DRIFT_COLOURS[DriftClass.FALLING]}},
        ]
    return rules


def table_to_xlsx_bytes(
    df: pl.DataFrame,
    spec: TableSpec,
    *,
    threshold: float | None = None,
    context: ExportContext | None = None,
    sheet_name: str = DATA_SHEET,
) -> bytes:
    """Numbers and dates with the formats of the screen, drift colours, frozen French header row.

    With a `context`, a second sheet says what the table is (title, edition, filters, source).
    """
    values = _excel_values(df, spec)
    formats = {c.header: c.excel_format for c in spec.columns if c.excel_format}
    buffer = io.BytesIO()
    with Workbook(buffer) as workbook:
        values.write_excel(
            workbook,
            worksheet=sheet_name[:31],
            column_formats=formats,
            conditional_formats=_drift_rules(spec, threshold) if threshold is not None else None,
            header_format={"bold": True, "text_wrap": True},
            freeze_panes=(1, 0),
            autofit=True,
        )
        if context is not None:
            about = workbook.add_worksheet(ABOUT_SHEET)
            for row, line in enumerate(context.lines()):
                about.write_string(row, 0, line)
    return buffer.getvalue()
