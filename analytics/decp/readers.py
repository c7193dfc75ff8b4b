"""Read DECP files (flat table CSV/XLSX/ODS/Parquet, JSON 2019 and 2022) into the contract-level model.

`read_decp` is for uploads and small files; `scan_decp_table` + `contracts_from_scan` are for national
files of millions of rows, filtered lazily before anything is collected.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from pydantic_settings import BaseSettings, SettingsConfigDict

from analytics.decp.json_formats import json_records, json_to_raw
from analytics.decp.normalise import to_contracts
from analytics.decp.report import DecpReport, FileReport
from analytics.decp.table_format import SCANNED_COLUMNS, check_table_columns, table_to_raw
from analytics.intake import (
    DECP_LIMITS,
    ENCODING_LABELS,
    SEPARATORS,
    UNREADABLE_WORKBOOK,
    FileKind,
    IntakeLimits,
    Refusal,
    check_header,
    check_json_depth,
    check_parquet,
    check_shape,
    check_size,
    check_zip,
    decode_text,
    sniff,
)

_REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIO_PATH = _REPO_ROOT / "data" / "decp" / "scenario_marches_subsequents.csv"
ORDERS_SCENARIO_PATH = _REPO_ROOT / "data" / "decp" / "scenario_bons_de_commande.csv"
DECP_SIZE_HINT = " ; pour un fichier national, utilisez PANORAMA_DECP_PATH"
FRAMEWORKS_PATH = _REPO_ROOT / "data" / "frameworks.toml"


class DecpSettings(BaseSettings):
    """Where the app reads DECP data; `PANORAMA_DECP_PATH` points it at a full national file."""

    model_config = SettingsConfigDict(env_prefix="PANORAMA_")

    decp_path: Path | None = None  # national Parquet/CSV; the simulated scenario is used when unset
    frameworks_path: Path = FRAMEWORKS_PATH


def _separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    return max(counts, key=lambda sep: counts[sep])


def _refused(report: FileReport, refusal: Refusal | None, hint: str = "") -> bool:
    """Record the intake's refusal, if any; True when the file is refused."""
    if refusal is not None:
        report.refuse(refusal, hint)
    return refusal is not None


def decoded_text(content: bytes, report: FileReport) -> str | None:
    """The file's text, or None with the reason in the report (undecodable, binary or empty)."""
    decoded = decode_text(content)
    if isinstance(decoded, Refusal):
        report.refuse(decoded)
        return None
    text, encoding = decoded
    if encoding == ENCODING_LABELS["cp1252"]:
        report.notes.append("Fichier lu en Windows-1252 (il n'est pas en UTF-8).")
    if not text.strip():
        report.errors.append(f"{report.file_name} : fichier vide.")
        return None
    return text


def _read_csv(content: bytes, report: FileReport, limits: IntakeLimits) -> pl.DataFrame | None:
    text = decoded_text(content, report)
    if text is None or _refused(report, check_header(text.lstrip(), limits)):
        return None
    header = text.lstrip().split("\n", 1)[0]
    try:
        return pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=_separator(header),
            infer_schema=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        report.errors.append(f"{report.file_name} : CSV illisible ({str(exc).splitlines()[0]}).")
        return None


def _read_excel(content: bytes, report: FileReport, limits: IntakeLimits, zipped: bool) -> pl.DataFrame | None:
    if zipped and _refused(report, check_zip(content, limits)):
        return None
    try:
        return pl.read_excel(io.BytesIO(content), infer_schema_length=0, raise_if_empty=False)
    except Exception:  # calamine raises its own types for corrupt workbooks
        report.refuse(UNREADABLE_WORKBOOK)
        return None


def _read_parquet(content: bytes, report: FileReport, limits: IntakeLimits) -> pl.DataFrame | None:
    if _refused(report, check_parquet(content, limits)):
        return None
    try:
        return pl.read_parquet(io.BytesIO(content))
    except Exception as exc:  # corrupt Parquet surfaces as several exception types
        report.errors.append(f"{report.file_name} : fichier Parquet illisible ({type(exc).__name__}).")
        return None


def _table_contracts(table: Table, report: DecpReport, as_of: date) -> pl.DataFrame | None:
    report.source_format = "table-2.0"
    frame = table.frame
    if frame.height == 0 and frame.width == 0:
        report.errors.append(f"{report.file_name} : fichier vide.")
        return None
    if not check_table_columns(frame.columns, report):
        return None
    if frame.height == 0:
        report.errors.append(f"{report.file_name} : fichier vide (en-tête seul, aucune ligne de données).")
        return None
    raw = table_to_raw(frame, report, table.row_label, table.first_row_number, as_of)
    return to_contracts(raw, report, as_of)


def _json_contracts(content: bytes, report: DecpReport, as_of: date, limits: IntakeLimits) -> pl.DataFrame | None:
    text = decoded_text(content, report)
    if text is None or _refused(report, check_json_depth(text, limits)):
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        report.errors.append(f"{report.file_name} : JSON invalide ligne {exc.lineno}, colonne {exc.colno} ({exc.msg}).")
        return None
    records = json_records(document, report)
    if records is None or _refused(report, check_shape(len(records), 0, limits)):
        return None
    if not records:
        report.errors.append(f"{report.file_name} : fichier vide (aucun marché).")
        return None
    return to_contracts(json_to_raw(records, report, as_of), report, as_of)


@dataclass(frozen=True)
class Table:
    """A flat file read as text columns, and how its rows are named in messages."""

    frame: pl.DataFrame
    row_label: str  # "ligne" (line 1 is the header) or "enregistrement"
    first_row_number: int


def admit(content: bytes, report: FileReport, size_hint: str = "", limits: IntakeLimits = DECP_LIMITS) -> bool:
    """Guards checked before any parsing: an empty file, a file over the upload limit; False with the reason."""
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        report.errors.append(f"{report.file_name} : fichier vide.")
        return False
    return not _refused(report, check_size(content, limits), size_hint)


def detect_kind(content: bytes, report: FileReport) -> FileKind | None:
    """What the bytes are (signature first); None with the reason when they are no file we read."""
    kind = sniff(content, report.file_name)
    return None if _refused(report, kind if isinstance(kind, Refusal) else None) else kind


def read_table(content: bytes, kind: FileKind, report: FileReport, limits: IntakeLimits = DECP_LIMITS) -> Table | None:
    """The flat table of a CSV, workbook or Parquet file, all columns as text, shape checked."""
    if kind in ("zip", "xls"):
        frame = _read_excel(content, report, limits, zipped=kind == "zip")
    elif kind == "parquet":
        frame = _read_parquet(content, report, limits)
    else:
        frame = _read_csv(content, report, limits)
    if frame is None or _refused(report, check_shape(frame.height, frame.width, limits)):
        return None
    # polars renames a repeated header "x" to "x_duplicated_0": which of the two holds the data is unknown.
    repeated = sorted({c.rsplit("_duplicated_", 1)[0] for c in frame.columns if "_duplicated_" in c})
    if repeated:
        listed = ", ".join(f"« {name} »" for name in repeated)
        report.add("error", f"en-tête : colonne(s) présente(s) plusieurs fois : {listed}.", row=1)
        return None
    label, first = ("enregistrement", 1) if kind == "parquet" else ("ligne", 2)
    return Table(frame.with_columns(pl.col(c).cast(pl.String) for c in frame.columns), label, first)


def read_decp(
    content: bytes | Path, file_name: str, as_of: date | None = None, limits: IntakeLimits = DECP_LIMITS
) -> tuple[pl.DataFrame | None, DecpReport]:
    """Contracts (CONTRACT_SCHEMA + quality flags) and a French report; None when the file is unusable.

    `as_of` (default: today) is the day after which notification dates are reported as future. Every check of the
    intake (size, container, encoding, header, depth, shape) runs before the file is parsed.
    """
    report = DecpReport(file_name=file_name)
    if isinstance(content, Path):
        content = content.read_bytes()
    as_of = as_of or date.today()
    if not admit(content, report, DECP_SIZE_HINT, limits):
        return None, report
    kind = detect_kind(content, report)
    if kind is None:
        return None, report
    if kind == "json":
        return _json_contracts(content, report, as_of, limits), report
    table = read_table(content, kind, report, limits)
    if table is None:
        return None, report
    return _table_contracts(table, report, as_of), report


def scan_decp_table(
    path: Path,
    framework_ids: list[str] | None = None,
    buyer_ids: list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    cpv_prefixes: list[str] | None = None,
    lossy: bool = False,
) -> pl.LazyFrame:
    """Lazy, filtered view of a national flat DECP file (Parquet or UTF-8 CSV): only the used columns.

    Filters are applied before any collection so that Parquet row groups are skipped and CSV rows never
    materialised; a row passes when it matches every filter given (framework ids OR-ed together, etc.).
    A CSV is read as strict UTF-8 unless `lossy` (bytes that are not UTF-8 become « � »): strict decoding
    is about 1.4× faster on a national file, and `contracts_from_scan` falls back when it fails.
    """
    if path.suffix.lower() in (".parquet", ".pq"):
        frame = pl.scan_parquet(path)
    else:
        with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        frame = pl.scan_csv(
            path, separator=_separator(header), infer_schema=False, encoding="utf8-lossy" if lossy else "utf8"
        )
    schema = frame.collect_schema()
    frame = frame.select([c for c in SCANNED_COLUMNS if c in schema])
    conditions: list[pl.Expr] = []
    if framework_ids is not None:
        conditions.append(pl.col("idAccordCadre").cast(pl.String).is_in(framework_ids))
    if buyer_ids is not None:
        conditions.append(pl.col("acheteur_id").cast(pl.String).is_in(buyer_ids))
    if cpv_prefixes:
        cpv = pl.col("codeCPV").cast(pl.String)
        conditions.append(pl.any_horizontal([cpv.str.starts_with(prefix) for prefix in cpv_prefixes]))
    typed_dates = schema.get("dateNotification") in (pl.Date(), pl.Datetime())
    notified = pl.col("dateNotification")
    if date_from is not None:
        conditions.append(notified >= (pl.lit(date_from) if typed_dates else pl.lit(date_from.isoformat())))
    if date_to is not None:
        # an ISO text date with a time suffix still sorts before the next day
        conditions.append(notified <= (pl.lit(date_to) if typed_dates else pl.lit(f"{date_to.isoformat()}\uffff")))
    return frame.filter(pl.all_horizontal(conditions)) if conditions else frame


def contracts_from_scan(
    scan: Callable[[bool], pl.LazyFrame], file_name: str, as_of: date | None = None
) -> tuple[pl.DataFrame | None, DecpReport]:
    """Collect a filtered `scan_decp_table` view and build contracts, as `read_decp` does for a file.

    `scan(lossy)` builds the view; it is called again with `lossy=True` when the file holds bytes that are
    not UTF-8, and the report says so: a national file is too large to check its encoding beforehand.
    """
    report = DecpReport(file_name=file_name, source_format="table-2.0")
    try:
        table = scan(False).select(pl.all().cast(pl.String)).collect()
    except pl.exceptions.ComputeError as error:
        if "utf-8" not in str(error):
            raise
        table = scan(True).select(pl.all().cast(pl.String)).collect()
        report.add(
            "warning",
            "des octets ne sont pas de l'UTF-8 valide (fichier mal encodé ?) ; ils sont remplacés par « � » et "
            "les textes qui les contiennent (noms, objets) peuvent être altérés.",
        )
    if not check_table_columns(table.columns, report):
        return None, report
    if table.height == 0:
        report.warnings.append(f"{file_name} : aucune ligne ne correspond aux filtres.")
    as_of = as_of or date.today()
    raw = table_to_raw(table, report, "enregistrement filtré", 1, as_of)
    return to_contracts(raw, report, as_of), report
