"""Property: whatever is done to a valid file, both readers return a report and never raise.

Valid CSV, XLSX and JSON files are truncated, spliced with random bytes, nested deeper, and given cells or values of
the wrong type. A reader may refuse the result (the report says why) or accept it (then in the canonical schema).
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.decp.normalise import NORMALISED_SCHEMA
from analytics.decp.readers import read_decp
from analytics.panorama.importing import import_edition
from analytics.panorama.schema import PROJECT_EDITION_SCHEMA
from tests.official_formats import datagouv_csv, shipped_table

FIXTURES = Path(__file__).parent / "fixtures" / "decp"
AS_OF = date(2026, 10, 31)
EDITION = date(2022, 7, 1)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _xlsx(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_excel(buffer)
    return buffer.getvalue()


PANORAMA_TABLE = shipped_table("2021-11").head(6)
PANORAMA_FILES = {
    "edition.csv": PANORAMA_TABLE.write_csv(separator=";").encode(),
    "edition.xlsx": _xlsx(PANORAMA_TABLE),
    "export.csv": datagouv_csv("2016-11", "2016-11-03")[:20_000].rsplit(b"\n", 1)[0] + b"\n",
}
JSON_2022 = {
    "marches": {
        "marche": [
            {
                "id": "2022A",
                "acheteur": {"id": "23350001600040"},
                "objet": "Service",
                "codeCPV": "72000000-5",
                "dureeMois": "NC",
                "dateNotification": "2022-03-01",
                "datePublicationDonnees": "2022-03-05",
                "montant": 100000,
                "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": "81223113200034"}}],
                "modifications": [{"modification": {"dateNotificationModification": "2022-06-01", "montant": 1}}],
            }
        ]
    }
}
JSON_2019 = {
    "marches": [
        {
            "id": "19-1",
            "acheteur.id": "23350001600040",
            "dateNotification": "2019-05-02",
            "montant": 50000.5,
            "titulaires": [{"typeIdentifiant": "SIRET", "id": "81223113200034"}],
            "modifications": {"modification": {"dateNotificationModification": "2019-10-01", "montant": 6}},
        }
    ]
}
DECP_FILES = {
    "decp.csv": (FIXTURES / "exemples_exemple-valide.csv").read_bytes(),
    "decp.xlsx": (FIXTURES / "exemples_exemple-valide.xlsx").read_bytes(),
    "decp-2022.json": json.dumps(JSON_2022).encode(),
    "decp-2019.json": json.dumps(JSON_2019).encode(),
}

ODD_CELLS = st.sampled_from(
    ["", "NaN", "inf", "-inf", "1e400", "-0", "0,0001", "12,500.50", "1.234,5", "En cadrage", "NC", "\u202f", "=1+1",
     '"', "\x00", "x" * 5000, "juillet 99999", "2099-13-45", "[clic](javascript:alert(1))", "Oui;Non", "\n\n"]
)  # fmt: skip


@st.composite
def byte_mutation(draw: st.DrawFn, content: bytes) -> bytes:
    """Truncate, splice random bytes in, or repeat a slice of the file."""
    kind = draw(st.sampled_from(["truncate", "splice", "repeat"]))
    cut = draw(st.integers(0, len(content)))
    if kind == "truncate":
        return content[:cut]
    if kind == "splice":
        junk = draw(st.binary(min_size=1, max_size=64))
        end = draw(st.integers(cut, min(len(content), cut + 64)))
        return content[:cut] + junk + content[end:]
    end = draw(st.integers(cut, min(len(content), cut + 2000)))
    return content[:end] + content[cut:end] * draw(st.integers(1, 50)) + content[end:]


@st.composite
def cell_mutation(draw: st.DrawFn, table: pl.DataFrame) -> bytes:
    """One to five cells of a valid table replaced by odd values (wrong types, withheld forms, markup)."""
    rows = [list(row) for row in table.rows()]
    for _ in range(draw(st.integers(1, 5))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, table.width - 1))
        rows[row][column] = draw(st.one_of(ODD_CELLS, st.text(max_size=30)))
    mutated = pl.DataFrame(rows, schema=table.columns, orient="row")
    return mutated.write_csv(separator=draw(st.sampled_from([",", ";", "\t"]))).encode()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def json_mutation(draw: st.DrawFn, document: dict) -> bytes:
    """A value of the document replaced by one of another type, or the document nested deeper."""
    if draw(st.booleans()):
        depth = draw(st.integers(1, 5000))
        return (b'{"marches": ' * depth) + json.dumps(document).encode() + b"}" * depth
    copy = json.loads(json.dumps(document))
    path = draw(st.sampled_from(_paths(copy)[1:]))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = draw(JSON_VALUES)
    return json.dumps(copy).encode()


def _check_panorama(content: bytes, name: str) -> None:
    result = import_edition(content, name, EDITION)
    assert result.report.file == name
    if result.frame is None:
        assert result.report.errors
    else:
        assert result.frame.schema == pl.Schema(PROJECT_EDITION_SCHEMA)


def _check_decp(content: bytes, name: str) -> None:
    contracts, report = read_decp(content, name, as_of=AS_OF)
    assert report.file == name
    if contracts is None:
        assert report.errors
    else:
        assert contracts.schema == pl.Schema(NORMALISED_SCHEMA)


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(PANORAMA_FILES)))
def test_panorama_import_survives_damaged_files(data: st.DataObject, name: str) -> None:
    _check_panorama(data.draw(byte_mutation(PANORAMA_FILES[name])), name)


@FUZZ
@given(content=cell_mutation(PANORAMA_TABLE))
def test_panorama_import_survives_odd_cells(content: bytes) -> None:
    _check_panorama(content, "cellules.csv")


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(DECP_FILES)))
def test_decp_reader_survives_damaged_files(data: st.DataObject, name: str) -> None:
    _check_decp(data.draw(byte_mutation(DECP_FILES[name])), name)


@FUZZ
@given(content=cell_mutation(pl.read_csv(FIXTURES / "exemples_exemple-valide.csv", infer_schema=False)))
def test_decp_reader_survives_odd_cells(content: bytes) -> None:
    _check_decp(content, "cellules.csv")


@FUZZ
@given(data=st.data(), document=st.sampled_from([JSON_2022, JSON_2019]))
def test_decp_reader_survives_json_of_the_wrong_shape(data: st.DataObject, document: dict) -> None:
    _check_decp(data.draw(json_mutation(document)), "decp.json")
