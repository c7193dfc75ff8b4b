"""Real DECP: AIFE's 2019 JSON (4 530 records) read by our reader, checked against figures computed here from the raw
JSON with the json module only (no code shared with the reader)."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from analytics.decp.readers import read_decp
from analytics.decp.spend import countable

ARCHIVE = Path(__file__).parent / "fixtures" / "decp-real" / "data.gouv.fr_aife_json_2019-04-04.zip"
MEMBER = "data.gouv.fr_aife.json"
MARKER = 12_311_111_111


@pytest.fixture(scope="module")
def raw() -> bytes:
    with zipfile.ZipFile(ARCHIVE) as archive:
        return archive.read(MEMBER)


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _independent_figures(content: bytes) -> tuple[int, float, int]:
    """Contracts, summed current amount and excluded amounts, by the rules the page states: one contract per buyer
    SIRET + id (the first record wins), concessions set aside, the amount after the last modification that gives
    one, amounts absent, not positive, from 1 Md€ or the marker value left out of the sum."""
    records = json.loads(content.decode("utf-8"))["marches"]
    first: dict[str, dict] = {}
    for record in records:
        if "concession" in str(record.get("_type", "")).lower():
            continue
        buyer, number = _text((record.get("acheteur") or {}).get("id")), _text(record.get("id"))
        if buyer and number:
            first.setdefault(buyer + number, record)
    total, excluded = 0.0, 0
    for record in first.values():
        changed = [m["montant"] for m in record.get("modifications") or [] if m.get("montant") is not None]
        amount = changed[-1] if changed else record.get("montant")
        if amount is None or amount <= 0 or amount >= 1e9 or amount == MARKER:
            excluded += 1
        else:
            total += amount
    return len(first), total, excluded


def test_the_archive_is_the_published_one(raw: bytes) -> None:
    records = json.loads(raw.decode("utf-8"))["marches"]
    assert len(records) == 4530
    natures = [record.get("nature") for record in records]
    assert (natures.count("Marché"), natures.count("Accord-cadre"), natures.count("Marché subséquent")) == (
        2711,
        1251,
        540,
    )
    assert sum("concession" in record["_type"].lower() for record in records) == 22


def test_reader_count_and_total_equal_the_independent_figures(raw: bytes) -> None:
    contracts, report = read_decp(raw, MEMBER, as_of=date(2019, 4, 4))
    assert report.errors == [] and report.source_format == "json-2019"
    assert report.rows_read == 4508  # concessions set aside
    assert "22 contrat(s) de concession ignoré(s) (hors marchés)." in report.notes
    expected_contracts, expected_total, expected_excluded = _independent_figures(raw)
    assert contracts.height == report.contracts_kept == expected_contracts
    assert report.flagged_amounts == expected_excluded
    assert countable(contracts).get_column("amount_eur").sum() == pytest.approx(expected_total, abs=0.01)
