"""One intake for every uploaded file (panorama edition import and DECP upload).

Everything a hostile or broken file can do to the server is checked here, on the raw bytes and before any parser
runs: size, container (XLSX/ODS zip directory, Parquet metadata), text encoding, header width, JSON depth. The limits
live in `IntakeLimits`, once; both readers report with the same `Issue` model. A check returns a `Refusal` (a French
reason without the file name, which each reader's report adds) or None.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal, Protocol

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.formatting import NBSP, format_number

# The one upload limit, in MB of 10^6 bytes: `server.maxUploadSize` in .streamlit/config.toml must carry this
# number. Streamlit's frontend counts a MB as 10^6 bytes (2^20 on Windows) and its server as 2^20: counting in
# 10^6 bytes here makes the app the strictest of the three, so that a file the frontend accepts and the app refuses
# is told why in French, and a file the app accepts is never refused by the frontend.
UPLOAD_LIMIT_MB = 50
MEGABYTE = 1_000_000
UPLOAD_LIMIT_NOTE_FR = f"{UPLOAD_LIMIT_MB} Mo au plus par fichier (1 Mo = 1 000 000 octets)."

Level = Literal["error", "warning", "note"]
FileKind = Literal["text", "zip", "xls", "parquet", "json"]


class IntakeLimits(BaseModel):
    """Bounds on an uploaded file, checked before parsing; generous for real files, cheap to check."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = UPLOAD_LIMIT_MB * MEGABYTE
    max_rows: int
    max_columns: int = 200  # the widest known format has 33 columns
    max_header_chars: int = 20_000
    max_json_depth: int = 64  # DECP JSON is 6 levels deep
    max_unzipped_bytes: int = 200 * MEGABYTE  # what calamine may inflate; a real edition XLSX is under 1 MB
    max_zip_members: int = 1_000  # an XLSX or ODS holds a few dozen


# A published edition lists 46 to 61 projects (2 000 also bounds the name review to about 2 s); a DECP upload is an
# extract (national files go through PANORAMA_DECP_PATH).
PANORAMA_LIMITS = IntakeLimits(max_rows=2_000)
DECP_LIMITS = IntakeLimits(max_rows=1_000_000)


class Issue(BaseModel):
    """One problem found in a file; `message` is the complete French sentence, locator included."""

    model_config = ConfigDict(frozen=True)

    level: Level
    file: str
    row: int | None = None  # spreadsheet row (header = 1) when the reader knows it
    column: str | None = None  # header as written in the file
    value: str | None = None  # the offending cell, verbatim
    message: str


class IntakeReport(Protocol):
    """What both readers' reports offer to the one report panel of the UI."""

    @property
    def file(self) -> str: ...

    @property
    def issues(self) -> list[Issue]: ...

    @property
    def ok(self) -> bool: ...


@dataclass(frozen=True)
class Refusal:
    """Why a file is refused before parsing, in French, without the file name; `row` when it is one line."""

    reason: str
    row: int | None = None


def megabytes(size: int) -> str:
    """French size in Mo of 10^6 bytes, to a tenth: "52,4 Mo", "50 Mo"."""
    return f"{format_number(size / MEGABYTE, 1).removesuffix(',0')}{NBSP}Mo"


def check_size(content: bytes, limits: IntakeLimits) -> Refusal | None:
    if len(content) <= limits.max_bytes:
        return None
    return Refusal(
        f"fichier de {megabytes(len(content))}, au-delà de la limite de {megabytes(limits.max_bytes)} par fichier."
    )


_UTF16 = Refusal("encodage UTF-16 non pris en charge : enregistrez le fichier en CSV UTF-8.")
_BINARY = Refusal("contenu binaire : ce n'est ni un fichier texte (CSV, JSON) ni un classeur (XLSX, ODS).")


def sniff(content: bytes, file_name: str) -> FileKind | Refusal:
    """What the bytes are, from their signature first (an extension can lie), then from the extension."""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:8]
    if content.startswith(b"PK\x03\x04"):
        return "zip"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if content.startswith(b"PAR1"):
        return "parquet"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _UTF16
    sample = content[:65536]
    if b"\x00" in sample:
        # UTF-16 without a byte order mark: every other byte of ASCII text is NUL.
        nuls = max(sample[0::2].count(0), sample[1::2].count(0))
        return _UTF16 if nuls > 0.4 * len(sample) / 2 else _BINARY
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    # Named as a container but without its signature: the container's own check says it is unreadable.
    if suffix in ("xlsx", "xlsm", "ods"):
        return "zip"
    if suffix in ("parquet", "pq"):
        return "parquet"
    if suffix == "json" or head[:1] in (b"{", b"["):
        return "json"
    return "text"


ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "cp1252": "Windows-1252"}


def decode_text(content: bytes) -> tuple[str, str] | Refusal:
    """Text and encoding label: UTF-8 (with or without BOM), else Windows-1252; control characters refused."""
    try:
        text = content.decode("utf-8-sig")
        label = ENCODING_LABELS["utf-8-sig" if content.startswith(b"\xef\xbb\xbf") else "utf-8"]
    except UnicodeDecodeError:
        try:
            # A UTF-8 byte order mark on a file that is not UTF-8 (saved by a confused tool) is dropped.
            text = content.removeprefix(b"\xef\xbb\xbf").decode("cp1252")
            label = ENCODING_LABELS["cp1252"]
        except UnicodeDecodeError as error:
            return Refusal(
                f"encodage illisible (octet 0x{content[error.start]:02x} en position {error.start}) : "
                "ni UTF-8 ni Windows-1252."
            )
    sample = text[:20_000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\r\n\t")
    if controls > 0.01 * len(sample):
        return _BINARY
    return text, label


SEPARATORS = (";", ",", "\t")


def check_header(text: str, limits: IntakeLimits) -> Refusal | None:
    """Refuse a first line wider or longer than any plausible header (a million separators cost minutes)."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    widest = max(first_line.count(separator) for separator in SEPARATORS) + 1
    if widest > limits.max_columns:
        return Refusal(f"en-tête de {widest} colonnes, au plus {limits.max_columns} attendues.", row=1)
    if len(first_line) > limits.max_header_chars:
        return Refusal(
            f"ligne d'en-tête de {len(first_line)} caractères, au plus {limits.max_header_chars} attendus.", row=1
        )
    return None


def check_shape(rows: int, columns: int, limits: IntakeLimits) -> Refusal | None:
    """Refuse more data rows or columns than the limits (rows: data rows, header excluded)."""
    if columns > limits.max_columns:
        return Refusal(f"{columns} colonnes, au plus {limits.max_columns} attendues.", row=1)
    if rows > limits.max_rows:
        most = format_number(limits.max_rows, 0)
        return Refusal(f"{format_number(rows, 0)} lignes de données, au plus {most} attendues.")
    return None


UNREADABLE_WORKBOOK = Refusal("classeur illisible (fichier tronqué, corrompu ou protégé par mot de passe).")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+:([A-Z]+)(\d+)\"")
_CHUNK = 1 << 20


def _column_number(letters: bytes) -> int:
    return sum((byte - 64) * 26**power for power, byte in enumerate(reversed(letters)))


def _too_big(size: int, limits: IntakeLimits) -> Refusal:
    return Refusal(
        f"classeur qui se décompresse en au moins {megabytes(size)}, au-delà de la limite de "
        f"{megabytes(limits.max_unzipped_bytes)} : refusé avant lecture (classeur trop volumineux ou piégé)."
    )


def _first_sheet_shape(archive: zipfile.ZipFile, limits: IntakeLimits) -> Refusal | None:
    """Rows and columns declared by the first worksheet's <dimension>, read from its first 64 KB only."""
    sheets = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    if not sheets:
        return None
    with archive.open(sheets[0]) as stream:
        match = _DIMENSION.search(stream.read(65536))
    if match is None:
        return None
    return check_shape(int(match[2]) - 1, _column_number(match[1]), limits)


def check_zip(content: bytes, limits: IntakeLimits) -> Refusal | None:
    """XLSX/ODS guard, from the zip directory before any parser: members, declared then real inflated size.

    The declared sizes refuse a decompression bomb at once; inflating in 1 MB chunks then checks that no member
    inflates to more than it declares (Python stops at the declared size and checks the CRC), with bounded memory.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > limits.max_zip_members:
                return Refusal(f"classeur de {len(members)} éléments, au plus {limits.max_zip_members} attendus.")
            declared = sum(member.file_size for member in members)
            if declared > limits.max_unzipped_bytes:
                return _too_big(declared, limits)
            for member in members:
                with archive.open(member) as stream:
                    while stream.read(_CHUNK):
                        pass
            return _first_sheet_shape(archive, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError):
        return UNREADABLE_WORKBOOK


def check_parquet(content: bytes, limits: IntakeLimits) -> Refusal | None:
    """Rows and columns from the Parquet footer, before any column is decoded."""
    try:
        scan = pl.scan_parquet(io.BytesIO(content))
        columns = len(scan.collect_schema())
        rows = scan.select(pl.len()).collect().item()
    except Exception:  # a corrupt footer surfaces as several exception types
        return Refusal("fichier Parquet illisible (tronqué ou corrompu).")
    return check_shape(rows, columns, limits)


_JSON_ESCAPE = re.compile(r"\\.", re.DOTALL)
_JSON_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """Deepest nesting of arrays and objects, strings ignored; linear, no recursion (json.loads recurses)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", _JSON_ESCAPE.sub("", text)))
    return max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)


def check_json_depth(text: str, limits: IntakeLimits) -> Refusal | None:
    depth = json_depth(text)
    if depth <= limits.max_json_depth:
        return None
    return Refusal(f"JSON imbriqué sur {depth} niveaux, au plus {limits.max_json_depth} attendus.")
