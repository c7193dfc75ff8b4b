"""Small registry frameworks for unit tests: one source, lots built from a few keyword arguments."""

from __future__ import annotations

from datetime import date

from analytics.decp.frameworks import (
    Beneficiary,
    BeneficiaryList,
    DateFact,
    DecpLink,
    ExecutionMode,
    Fact,
    Framework,
    Holder,
    Lot,
    PublishedFigures,
    Source,
    Term,
)

SOURCE = Source(
    id="test", title="Document de test", publisher="Test", url="https://example.org/test", kind="documentation"
)


def fact(value: object, why: str = "non publié dans le document de test") -> Fact:
    return Fact(value=value, source="test") if value is not None else Fact(source="test", why_none=why)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def make_lot(
    lot_id: str = "TEST_AC01",
    *,
    number: int | None = 1,
    execution: ExecutionMode = "marchés subséquents",
    start: date | None = date(2026, 3, 1),
    end: date | None = date(2030, 3, 1),
    estimate: float | None = None,
    maximum: float | None = None,
    holders: list[Holder] | None = None,
    beneficiaries: list[Beneficiary] | None = None,
    complete: bool = False,
    decp_id: str | None = None,
    firm_months: int | None = None,
) -> Lot:
    months = months_between(start, end) if start and end else None
    notified = DateFact(value=start, source="test") if start else DateFact(source="test", why_none="inconnue")
    return Lot(
        id=lot_id,
        number=number,
        title=fact(f"Lot {lot_id}"),
        execution=fact(execution),
        max_holders=fact(3),
        estimate_eur=fact(estimate),
        maximum_eur=fact(maximum),
        holders=fact(holders),
        beneficiaries=fact(BeneficiaryList(named=beneficiaries, complete=complete) if beneficiaries else None),
        term=Term(
            notified=notified,
            firm_months=fact(firm_months or months),
            renewals=fact(0),
            renewal_months=fact(12),
            max_months=fact(months),
        ),
        decp=DecpLink(expected_id=decp_id, why="test"),
    )


def make_framework(
    framework_id: str = "test", *, lots: list[Lot] | None = None, published: list[PublishedFigures] | None = None
) -> Framework:
    return Framework(
        id=framework_id,
        consultation=fact("TEST"),
        official_title=fact(framework_id),
        buyer=fact("Acheteur de test"),
        lots=lots or [make_lot()],
        published=published or [],
        sources=[SOURCE],
    )
