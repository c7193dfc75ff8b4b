"""Read DECP files (flat table CSV/XLSX/ODS/Parquet, JSON 2019 and 2022) into the contract-level model.

`read_decp` is for uploads and small files; `scan_decp_table` + `contracts_from_scan` are for national
files of millions of rows, filtered lazily before anything is collected.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from pydantic_settings import BaseSettings, SettingsConfigDict

from analytics.decp.json_formats import json_records, json_to_raw
from analytics.decp.normalise import to_contracts
from analytics.decp.report import DecpReport, FileReport
from analytics.decp.table_format import SCANNED_COLUMNS, TABLE_COLUMNS, check_table_columns, table_to_raw

_REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIO_PATH = _REPO_ROOT / "data" / "decp" / "scenario_marches_subsequents.csv"
ORDERS_SCENARIO_PATH = _REPO_ROOT / "data" / "decp" / "scenario_bons_de_commande.csv"
FRAMEWORKS_PATH = _REPO_ROOT / "data" / "frameworks.toml"

_EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")

# Guards against hostile uploads, checked before parsing: the app's upload limit (server.maxUploadSize), and a
# header far wider than the 33 columns of the DECP 2.0 table, which would otherwise cost minutes and gigabytes.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 20_000
DECP_COLUMNS_HINT = f"le format DECP 2.0 en compte {len(TABLE_COLUMNS)}"
DECP_SIZE_HINT = " ; pour un fichier national, utilisez PANORAMA_DECP_PATH"


class DecpSettings(BaseSettings):
    """Where the app reads DECP data; `PANORAMA_DECP_PATH` points it at a full national file."""

    model_config = SettingsConfigDict(env_prefix="PANORAMA_")

    decp_path: Path | None = None  # national Parquet/CSV; the simulated scenario is used when unset
    frameworks_path: Path = FRAMEWORKS_PATH


def detect_kind(content: bytes, file_name: str) -> str:
    """ "csv", "excel", "parquet" or "json", from the extension, else from the first bytes."""
    suffix = Path(file_name).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in _EXCEL_EXTENSIONS:
        return "excel"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".json":
        return "json"
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:4]
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK"):
        return "excel"
    if head[:1] in (b"{", b"["):
        return "json"
    return "csv"


def _decode(content: bytes, report: FileReport) -> str | None:
    """UTF-8 (with or without BOM) first, then Windows-1252; binary content is refused."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.errors.append(
            f"{report.file_name} : encodage UTF-16 non pris en charge ; enregistrez le fichier en UTF-8."
        )
        return None
    if b"\x00" in content[:65536]:
        report.errors.append(
            f"{report.file_name} : contenu binaire ou encodage non pris en charge (octets nuls trouvés) ; "
            "attendu : texte UTF-8 ou Windows-1252."
        )
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # A UTF-8 byte order mark on a file that is not UTF-8 (saved by a confused tool) is dropped.
        text = content.removeprefix(b"\xef\xbb\xbf").decode("cp1252")
    except UnicodeDecodeError as exc:
        report.errors.append(
            f"{report.file_name} : encodage non reconnu (octet 0x{content[exc.start]:02x} en position "
            f"{exc.start}) ; attendu : UTF-8 ou Windows-1252."
        )
        return None
    report.notes.append("Fichier lu en Windows-1252 (il n'est pas en UTF-8).")
    return text


def _separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def decoded_text(content: bytes, report: FileReport) -> str | None:
    """The file's text, or None with the reason in the report (undecodable or empty)."""
    text = _decode(content, report)
    if text is not None and not text.strip():
        report.errors.append(f"{report.file_name} : fichier vide.")
        return None
    return text


def _read_csv(content: bytes, report: FileReport, columns_hint: str) -> pl.DataFrame | None:
    text = decoded_text(content, report)
    if text is None:
        return None
    header = text.lstrip().split("\n", 1)[0]
    widest = max(header.count(sep) for sep in (";", ",", "\t")) + 1
    if widest > MAX_COLUMNS:
        report.errors.append(
            f"{report.file_name} : ligne 1 (en-tête) de {widest} colonnes ; au plus {MAX_COLUMNS} attendues "
            f"({columns_hint})."
        )
        return None
    if len(header) > MAX_HEADER_CHARS:
        report.errors.append(
            f"{report.file_name} : ligne 1 (en-tête) de {len(header)} caractères ; au plus {MAX_HEADER_CHARS} attendus."
        )
        return None
    try:
        return pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=_separator(header),
            infer_schema=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        report.errors.append(f"{report.file_name} : CSV illisible ({exc}).")
        return None


def _read_excel(content: bytes, report: FileReport) -> pl.DataFrame | None:
    try:
        return pl.read_excel(io.BytesIO(content), infer_schema_length=0, raise_if_empty=False)
    except Exception as exc:  # calamine raises its own types for corrupt workbooks
        report.errors.append(f"{report.file_name} : classeur illisible ({type(exc).__name__} : {exc}).")
        return None


def _read_parquet(content: bytes, report: FileReport) -> pl.DataFrame | None:
    try:
        return pl.read_parquet(io.BytesIO(content))
    except Exception as exc:  # corrupt Parquet surfaces as several exception types
        report.errors.append(f"{report.file_name} : fichier Parquet illisible ({type(exc).__name__} : {exc}).")
        return None


@dataclass(frozen=True)
class Table:
    """A flat file read as text columns, and how its rows are named in messages."""

    frame: pl.DataFrame
    row_label: str  # "ligne" (line 1 is the header) or "enregistrement"
    first_row_number: int


def admit(content: bytes, report: FileReport, size_hint: str = "") -> bool:
    """Guards checked before any parsing: an empty file, a file over MAX_FILE_BYTES; False with the reason."""
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        report.errors.append(f"{report.file_name} : fichier vide.")
        return False
    if len(content) > MAX_FILE_BYTES:
        report.errors.append(
            f"{report.file_name} : fichier de {len(content) / 1024 / 1024:.0f} Mo, au-delà de la limite de "
            f"{MAX_FILE_BYTES // 1024 // 1024} Mo{size_hint}."
        )
        return False
    return True


def read_table(content: bytes, kind: str, report: FileReport, columns_hint: str) -> Table | None:
    """A CSV, Excel/ODS or Parquet file as text columns; None with the reason in the report.

    CSV is decoded as UTF-8 (BOM or not), else Windows-1252; `;`, `,` or tab separated. A header repeating a
    column name is refused: which of the two columns holds the data is unknown.
    """
    if kind == "csv":
        frame, table = _read_csv(content, report, columns_hint), ("ligne", 2)
    elif kind == "excel":
        frame, table = _read_excel(content, report), ("ligne", 2)
    else:
        frame, table = _read_parquet(content, report), ("enregistrement", 1)
    if frame is None:
        return None
    # polars renames a repeated header "x" to "x_duplicated_0"
    repeated = sorted({c.rsplit("_duplicated_", 1)[0] for c in frame.columns if "_duplicated_" in c})
    if repeated:
        listed = ", ".join(f"« {name} »" for name in repeated)
        report.errors.append(
            f"{report.file_name} : ligne 1 (en-tête) : colonne(s) présente(s) plusieurs fois : {listed}."
        )
        return None
    if frame.height == 0 and frame.width == 0:
        report.errors.append(f"{report.file_name} : fichier vide.")
        return None
    return Table(frame.with_columns(pl.col(c).cast(pl.String) for c in frame.columns), *table)


def _table_contracts(table: Table, report: DecpReport, as_of: date) -> pl.DataFrame | None:
    report.source_format = "table-2.0"
    if not check_table_columns(table.frame.columns, report):
        return None
    if table.frame.height == 0:
        report.errors.append(f"{report.file_name} : fichier vide (en-tête seul, aucune ligne de données).")
        return None
    raw = table_to_raw(table.frame, report, table.row_label, table.first_row_number)
    return to_contracts(raw, report, as_of)


def _json_contracts(content: bytes, report: DecpReport, as_of: date) -> pl.DataFrame | None:
    text = decoded_text(content, report)
    if text is None:
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        report.errors.append(f"{report.file_name} : JSON invalide ligne {exc.lineno}, colonne {exc.colno} ({exc.msg}).")
        return None
    records = json_records(document, report)
    if records is None:
        return None
    if not records:
        report.errors.append(f"{report.file_name} : fichier vide (aucun marché).")
        return None
    return to_contracts(json_to_raw(records, report), report, as_of)


def read_decp(
    content: bytes | Path, file_name: str, as_of: date | None = None
) -> tuple[pl.DataFrame | None, DecpReport]:
    """Contracts (CONTRACT_SCHEMA + quality flags) and a French report; None when the file is unusable.

    `as_of` (default: today) is the day after which notification dates are reported as future.
    """
    report = DecpReport(file_name=file_name)
    if isinstance(content, Path):
        content = content.read_bytes()
    as_of = as_of or date.today()
    if not admit(content, report, DECP_SIZE_HINT):
        return None, report
    kind = detect_kind(content, file_name)
    if kind == "json":
        return _json_contracts(content, report, as_of), report
    table = read_table(content, kind, report, DECP_COLUMNS_HINT)
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
) -> pl.LazyFrame:
    """Lazy, filtered view of a national flat DECP file (Parquet or UTF-8 CSV): only the used columns.

    Filters are applied before any collection so that Parquet row groups are skipped and CSV rows never
    materialised; a row passes when it matches every filter given (framework ids OR-ed together, etc.).
    """
    if path.suffix.lower() in (".parquet", ".pq"):
        frame = pl.scan_parquet(path)
    else:
        with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        frame = pl.scan_csv(path, separator=_separator(header), infer_schema=False, encoding="utf8-lossy")
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
    scan: pl.LazyFrame, file_name: str, as_of: date | None = None
) -> tuple[pl.DataFrame | None, DecpReport]:
    """Collect a filtered `scan_decp_table` view and build contracts, as `read_decp` does for a file."""
    report = DecpReport(file_name=file_name, source_format="table-2.0")
    table = scan.select(pl.all().cast(pl.String)).collect()
    if not check_table_columns(table.columns, report):
        return None, report
    if table.height == 0:
        report.warnings.append(f"{file_name} : aucune ligne ne correspond aux filtres.")
    raw = table_to_raw(table, report, "enregistrement filtré", 1)
    return to_contracts(raw, report, as_of or date.today()), report
