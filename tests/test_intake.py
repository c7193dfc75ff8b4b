"""The intake guards on raw bytes, shared by both uploaders; the decompression bomb measured in a fresh process."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

from analytics.decp.readers import read_decp
from analytics.intake import (
    DECP_LIMITS,
    PANORAMA_LIMITS,
    IntakeLimits,
    Refusal,
    check_json_depth,
    check_parquet,
    check_zip,
    decode_text,
    json_depth,
    sniff,
)
from analytics.panorama.importing import import_edition

ROOT = Path(__file__).resolve().parents[1]


def workbook(rows: int = 3, columns: int = 2) -> bytes:
    buffer = io.BytesIO()
    pl.DataFrame({f"c{i}": [str(r) for r in range(rows)] for i in range(columns)}).write_excel(buffer)
    return buffer.getvalue()


def bomb(inflated_bytes: int) -> bytes:
    """An XLSX whose one sheet inflates to `inflated_bytes` of repeated rows: about 2 MB for 300 MB."""
    buffer = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * (1_000_000 // len(row))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b"<worksheet><sheetData>")
            for _ in range(inflated_bytes // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def lying_directory(content: bytes, declared: int) -> bytes:
    """The same zip with every member claiming to inflate to `declared` bytes (local and central headers)."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            struct.pack_into("<I", data, start + offset, declared)
            start = data.find(signature, start + 4)
    return bytes(data)


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (b"PK\x03\x04rest", "x.csv", "zip"),  # the signature wins over the extension
        (b"\xd0\xcf\x11\xe0rest", "x.xlsx", "xls"),
        (b"PAR1rest", "x.csv", "parquet"),
        (b"a;b\n1;2\n", "x.xlsx", "zip"),  # named a workbook: the zip check will say it is unreadable
        (b'  {"marches": []}', "x.txt", "json"),
        (b"a;b\n1;2\n", "x.csv", "text"),
    ],
)
def test_sniff_trusts_signatures_before_extensions(content: bytes, name: str, kind: str) -> None:
    assert sniff(content, name) == kind


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Projet;Coût\n".encode("utf-16"), "encodage UTF-16 non pris en charge"),
        ("Projet;Coût\n".encode("utf-16-le"), "encodage UTF-16 non pris en charge"),  # no byte order mark
        ("Projet;Coût\n".encode("utf-16-be"), "encodage UTF-16 non pris en charge"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "contenu binaire"),
    ],
)
def test_sniff_refuses_utf16_and_binary_clearly(content: bytes, reason: str) -> None:
    refusal = sniff(content, "x.csv")
    assert isinstance(refusal, Refusal) and refusal.reason.startswith(reason)


def test_decode_text_labels_encodings_and_refuses_undecodable_bytes() -> None:
    assert decode_text("Coût".encode()) == ("Coût", "UTF-8")
    assert decode_text(b"\xef\xbb\xbf" + "Coût".encode()) == ("Coût", "UTF-8 avec BOM")
    assert decode_text("Coût".encode("cp1252")) == ("Coût", "Windows-1252")
    refusal = decode_text(b"abc\x81")
    assert isinstance(refusal, Refusal) and "octet 0x81 en position 3" in refusal.reason
    assert isinstance(decode_text(b"\x01\x02\x03" * 100), Refusal)


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth('{"a": [1, {"b": "[[[[{{{{"}], "c": "\\"]"}') == 3
    assert json_depth("[" * 100_000 + "]" * 100_000) == 100_000
    assert json_depth("") == 0
    assert check_json_depth('{"marches": []}', DECP_LIMITS) is None
    refusal = check_json_depth("[" * 65, DECP_LIMITS)
    assert refusal == Refusal("JSON imbriqué sur 65 niveaux, au plus 64 attendus.")


def test_zip_guard_passes_a_real_workbook_and_refuses_a_truncated_one() -> None:
    content = workbook()
    assert check_zip(content, PANORAMA_LIMITS) is None
    refusal = check_zip(content[: len(content) // 2], PANORAMA_LIMITS)
    assert refusal is not None and refusal.reason.startswith("classeur illisible")


def test_zip_guard_refuses_a_member_inflating_beyond_what_it_declares() -> None:
    content = lying_directory(bomb(5_000_000), declared=1_000)
    refusal = check_zip(content, PANORAMA_LIMITS)
    assert refusal is not None and refusal.reason.startswith("classeur illisible")


def test_zip_guard_refuses_too_many_members_and_too_many_declared_rows() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(1_001):
            archive.writestr(f"x{i}", b"")
    refusal = check_zip(buffer.getvalue(), PANORAMA_LIMITS)
    assert refusal == Refusal("classeur de 1001 éléments, au plus 1000 attendus.")
    limits = IntakeLimits(max_rows=10)
    assert check_zip(workbook(rows=10), limits) is None
    refusal = check_zip(workbook(rows=11), limits)
    assert refusal is not None and refusal.reason == "11 lignes de données, au plus 10 attendues."


def test_parquet_guard_reads_rows_from_the_footer() -> None:
    buffer = io.BytesIO()
    pl.DataFrame({"a": range(11)}).write_parquet(buffer)
    assert check_parquet(buffer.getvalue(), IntakeLimits(max_rows=11)) is None
    assert check_parquet(buffer.getvalue(), IntakeLimits(max_rows=10)) == Refusal(
        "11 lignes de données, au plus 10 attendues."
    )
    broken = Refusal("fichier Parquet illisible (tronqué ou corrompu).")
    assert check_parquet(b"PAR1 broken PAR1", DECP_LIMITS) == broken


def test_a_csv_edition_with_more_rows_than_the_limit_is_refused() -> None:
    content = ("Projet;Ministère porteur\n" + "A;B\n" * 11).encode()
    result = import_edition(content, "long.csv", limits=IntakeLimits(max_rows=10))
    assert [e.message for e in result.report.errors] == [
        "Fichier « long.csv » : 11 lignes de données, au plus 10 attendues."
    ]


def test_both_readers_report_with_the_one_issue_model() -> None:
    panorama = import_edition(b"\x00\x01binaire", "x.csv").report
    _, decp = read_decp(b"\x00\x01binaire", "x.csv")
    for report in (panorama, decp):
        (issue,) = report.issues
        assert (issue.level, issue.file, issue.row) == ("error", "x.csv", None)
        assert "contenu binaire" in issue.message
    _, wide = read_decp(b";" * 300 + b"\n", "large.csv")
    assert [(i.level, i.row) for i in wide.issues] == [("error", 1)]


# ---------------------------------------------------------------- the decompression bomb, in a fresh process

PROBE = """
import json, sys, time
from analytics.decp.readers import read_decp
from analytics.panorama.importing import import_edition

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6

def peak_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1e3 for line in f if line.startswith("VmHWM"))

content = open(sys.argv[1], "rb").read()
small = open(sys.argv[2], "rb").read()
import_edition(small, "petit.xlsx")  # load every library before measuring
read_decp(small, "petit.xlsx")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak (VmHWM) to the current size
before = rss_mb()
started = time.perf_counter()
panorama = import_edition(content, "bombe.xlsx")
panorama_s = time.perf_counter() - started
started = time.perf_counter()
_, decp = read_decp(content, "bombe.xlsx")
decp_s = time.perf_counter() - started
print(json.dumps({
    "panorama_s": panorama_s, "decp_s": decp_s, "before_mb": before, "after_mb": rss_mb(), "peak_mb": peak_mb(),
    "messages": [i.message for i in panorama.report.issues] + decp.errors,
}))
"""


def test_a_decompression_bomb_is_refused_fast_with_bounded_memory(tmp_path: Path) -> None:
    """2 MB that inflate to 300 MB: refused from the zip directory in under 2 s (the issue's bound; it takes
    milliseconds, the parse it avoids took 59 s), memory within 100 MB of where it was, peak included."""
    content = bomb(300_000_000)
    assert len(content) < 2_500_000
    (tmp_path / "bombe.xlsx").write_bytes(content)
    (tmp_path / "petit.xlsx").write_bytes(workbook())
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "bombe.xlsx"), str(tmp_path / "petit.xlsx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    measured = json.loads(probe.stdout)
    print(measured)
    assert measured["panorama_s"] < 2 and measured["decp_s"] < 2
    assert measured["after_mb"] - measured["before_mb"] < 100
    assert measured["peak_mb"] - measured["before_mb"] < 100
    assert measured["messages"] == [
        "Fichier « bombe.xlsx » : classeur qui se décompresse en au moins 300\u00a0Mo, au-delà de la limite de "
        "200\u00a0Mo : refusé avant lecture (classeur trop volumineux ou piégé).",
        "bombe.xlsx : classeur qui se décompresse en au moins 300\u00a0Mo, au-delà de la limite de 200\u00a0Mo : "
        "refusé avant lecture (classeur trop volumineux ou piégé).",
    ]
