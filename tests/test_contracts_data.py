"""Pure helpers of pages/common/contracts_data.py on small hand-checked frames."""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.decp.frameworks import Beneficiary, Framework
from analytics.decp.national import national_filter, probable_windows
from pages.common.contracts_data import filter_ministries, with_ministry
from tests.framework_factory import make_framework, make_lot


def _framework(
    framework_id: str, *, start: date | None = None, end: date | None = None, beneficiaries=None
) -> Framework:
    return make_framework(framework_id, lots=[make_lot(start=start, end=end, beneficiaries=beneficiaries)])


def test_national_filter_keeps_known_ids_and_it_contracts_within_terms() -> None:
    table = pl.DataFrame(
        {
            "idAccordCadre": ["21bam 048", "AUTRE", None, None, None, ""],
            "codeCPV": ["45000000", "72212000", "72212000-4", "72212000", "79311000", "72000000"],
            "dateNotification": ["2019-05-01", "2026-04-02", "2026-03-01T00:00:00", "2030-03-02", "2026-05-01", None],
        }
    )
    kept = table.filter(national_filter(["21BAM048"], [(date(2026, 3, 1), date(2030, 3, 1))]))
    # row 1: id (case and spaces ignored); rows 2, 3: CPV 72 in the term (time suffix ignored);
    # row 4: after the term; row 5: not IT services; row 6: no date
    assert kept.get_column("codeCPV").to_list() == ["45000000", "72212000", "72212000-4"]


def test_national_filter_on_typed_dates_and_without_windows() -> None:
    table = pl.DataFrame(
        {
            "idAccordCadre": ["X", "X"],
            "codeCPV": ["72212000", "72212000"],
            "dateNotification": [date(2026, 2, 28), date(2026, 3, 1)],
        }
    )
    assert table.filter(national_filter([], [(date(2026, 3, 1), date(2030, 3, 1))])).height == 1
    assert table.filter(national_filter(["X"], [])).height == 2
    assert table.filter(national_filter([], [])).height == 0


def test_probable_windows_only_for_frameworks_with_named_beneficiaries_and_dates() -> None:
    named = [Beneficiary(name="Cour des comptes")]
    registry = [
        _framework("sans-beneficiaires", start=date(2021, 1, 1), end=date(2025, 1, 1)),
        _framework("sans-dates", beneficiaries=named),
        _framework("complet", start=date(2026, 3, 1), end=date(2030, 3, 1), beneficiaries=named),
    ]
    assert probable_windows(registry) == [(date(2026, 3, 1), date(2030, 3, 1))]


def test_ministry_mapping_and_filter() -> None:
    framework = _framework(
        "f",
        beneficiaries=[
            Beneficiary(name="Ministère des Sports", ministry_id="sports"),
            Beneficiary(name="Service d'information du Gouvernement", ministry_id="premier-ministre"),
            Beneficiary(name="Cour des comptes"),
        ],
    )
    linked = pl.DataFrame(
        {
            "contract_uid": ["a", "b", "c", "d"],
            "beneficiary": ["Ministère des Sports", "Cour des comptes", None, "Service d'information du Gouvernement"],
        }
    )
    mapped = with_ministry(linked, framework)
    assert mapped.get_column("ministry_id").to_list() == ["sports", None, None, "premier-ministre"]
    assert filter_ministries(mapped, []).get_column("contract_uid").to_list() == ["a", "b", "c", "d"]
    kept = filter_ministries(mapped, ["premier-ministre", "justice"])
    assert kept.get_column("contract_uid").to_list() == ["d"]
