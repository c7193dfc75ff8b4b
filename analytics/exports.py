"""Downloads that a spreadsheet can open safely: formulas neutralised, French separators."""

from __future__ import annotations

import io

import polars as pl

# A cell starting with one of these may be run as a formula by a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
MAX_EXPORT_ROWS = 1_000_000


def _is_text(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum | pl.List)


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
        pl.when(pl.col(name).str.contains(_FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in df.schema.items()
        if _is_text(dtype)
    )


def to_csv_bytes(df: pl.DataFrame) -> bytes:
    """CSV as French spreadsheets expect: UTF-8 with BOM, `;` separator, decimal comma."""
    safe = neutralise_formulas(df.head(MAX_EXPORT_ROWS))
    return "\ufeff".encode() + safe.write_csv(separator=";", decimal_comma=True).encode()


def to_xlsx_bytes(df: pl.DataFrame, sheet_name: str = "Données") -> bytes:
    buffer = io.BytesIO()
    neutralise_formulas(df.head(MAX_EXPORT_ROWS)).write_excel(buffer, worksheet=sheet_name[:31], autofit=True)
    return buffer.getvalue()
