"""The registry encodes the facts of the primary documents (CCAPs, beta.gouv.fr pages) and the press figures apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics.decp.frameworks import (
    Fact,
    FrameworkRegistryError,
    facts_of,
    facts_table,
    framework_by_id,
    load_frameworks,
    lots_by_id,
    previous_of,
)
from analytics.decp.readers import FRAMEWORKS_PATH

MEUR = 1_000_000


@pytest.fixture(scope="module")
def registry():
    return load_frameworks(FRAMEWORKS_PATH)


def test_25_bam_044_has_two_lots_of_100_and_200_meur(registry) -> None:
    impact = framework_by_id(registry, "agile-2026-impact")
    lot1, lot2 = impact.lots
    assert (lot1.id, lot2.id) == ("25_BAM_044_AC01", "25_BAM_044_AC02")
    assert (lot1.execution.value, lot2.execution.value) == ("bons de commande", "marchés subséquents")
    assert (lot1.max_holders.value, lot2.max_holders.value) == (3, 5)
    for lot in (lot1, lot2):
        assert (lot.estimate_eur.value, lot.maximum_eur.value) == (100 * MEUR, 200 * MEUR)
        assert lot.ends_at_maximum.value is True
        assert (lot.term.notified.value, lot.term.notified.precision) == (date(2026, 3, 1), "month")
        assert (lot.term.firm_months.value, lot.term.renewals.value, lot.term.max_months.value) == (24, 2, 48)
        assert (lot.term.start, lot.term.firm_end, lot.term.end) == (
            date(2026, 3, 1),
            date(2028, 3, 1),
            date(2030, 3, 1),
        )
    assert [h.name for h in lot1.named_holders] == [
        "OCTO Technology / Crème de la Crème / Frontier",
        "THEODO / MALT Community",
        "DOCAPOSTE La manufacture / COBER LA FABRIQUE / THIGA",
    ]
    assert len(lot1.named_beneficiaries) == 14 and lot1.beneficiaries.value.complete is False
    # lot 2's holders and beneficiaries are not published: unknown, with the reason
    assert lot2.holders.value is None and "ne nomme que les titulaires du lot 1" in lot2.holders.why_none
    assert lot2.beneficiaries.value is None and "annexe 1" in lot2.beneficiaries.why_none
    # only lot 2 can appear in DECP, with an unverified identifier
    assert (lot1.decp.expected_id, lot2.decp.expected_id, lot2.decp.verified) == (None, "25_BAM_044_AC02", False)
    assert impact.decp_framework_ids == ["25_BAM_044_AC02"]
    assert (impact.estimated_amount_eur, impact.maximum_amount_eur, impact.max_contractors) == (
        200 * MEUR,
        400 * MEUR,
        8,
    )


def test_first_tender_press_figures_are_kept_apart_and_differ(registry) -> None:
    impact = framework_by_id(registry, "agile-2026-impact")
    first = impact.figures("premier-appel-d-offres")
    assert (first.estimate_eur, first.maximum_eur, first.max_holders, first.beneficiary_count, first.period_months) == (
        195 * MEUR,
        495 * MEUR,
        7,
        31,
        48,
    )
    assert impact.source(first.source).kind == "presse"
    assert (first.estimate_eur, first.maximum_eur) != (impact.estimated_amount_eur, impact.maximum_amount_eur)


def test_21_bam_048_one_lot_by_orders_without_maximum(registry) -> None:
    beta = framework_by_id(registry, "agile-2021-beta")
    (lot,) = beta.lots
    assert (beta.contract_number, lot.id, lot.number) == ("21_BAM_048", "21_BAM_048", None)
    assert (lot.execution.value, lot.max_holders.value) == ("bons de commande", 4)
    assert lot.maximum_eur.value is None and "sans montant minimum, ni montant maximum" in lot.maximum_eur.why_none
    assert lot.estimate_eur.value is None
    assert (lot.term.firm_months.value, lot.term.renewals.value, lot.term.max_months.value) == (12, 3, 48)
    # the notification date is not published: unknown, bounded, and said so
    assert lot.term.notified.value is None and lot.term.notified.why_none
    assert (lot.term.start, lot.term.end) == (date(2021, 1, 1), date(2026, 2, 16))
    names = [b.name for b in lot.named_beneficiaries]
    assert len(names) == beta.beneficiary_count == 24 and lot.beneficiaries.value.complete
    assert {"Direction interministérielle du numérique", "Ministère des Armées", "Institut national du cancer"} <= set(
        names
    )
    assert [h.name for h in lot.named_holders] == ["La Zone", "OCTO / Malt", "Benext", "Inetum / Little Big Connection"]
    assert lot.named_holders[0].lead == "/ut7" and len(lot.named_holders[0].members) == 8
    assert lot.named_holders[2].until == date(2022, 3, 31)
    assert beta.decp_framework_ids == [] and "aucune trace" in lot.decp.why
    spent = beta.figures("depense-publiee")
    assert (spent.spent_eur, spent.period_months, spent.approximate) == (66 * MEUR, 48, True)
    assert beta.source(spent.source).kind == "presse" and beta.spent_eur == 66 * MEUR


def test_every_fact_has_an_openable_source_and_no_internal_reference(registry) -> None:
    text = FRAMEWORKS_PATH.read_text(encoding="utf-8")
    assert "Issue" not in text and "issue-" not in text
    for framework in registry:
        ids = {source.id for source in framework.sources}
        assert all(source.url.startswith("https://") for source in framework.sources)
        facts = facts_of(framework)
        assert len(facts) >= 3 + 12 * len(framework.lots)  # framework facts, then lot, term and lists
        assert all(fact.source in ids for fact in facts)
        assert all(fact.value is not None or fact.why_none for fact in facts)
    assert set(lots_by_id(registry)) == {"21_BAM_048", "25_BAM_044_AC01", "25_BAM_044_AC02"}


def test_a_value_without_source_or_reason_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="valeur absente sans raison"):
        Fact(source="x")
    text = FRAMEWORKS_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "frameworks.toml"
    broken.write_text(
        text.replace('source = "ccap-21-bam-048", at = "article 2.3', 'source = "inconnue", at = "article 2.3')
    )
    with pytest.raises(
        FrameworkRegistryError, match=r"source\(s\) citée\(s\) absente\(s\) de sources : \['inconnue'\]"
    ):
        load_frameworks(broken)


def test_facts_table_lists_every_fact_with_its_source_and_previous_framework(registry) -> None:
    impact = framework_by_id(registry, "agile-2026-impact")
    table = facts_table(impact)
    assert table.height == len(facts_of(impact)) + len(impact.published)
    assert table.filter(table["url"].str.starts_with("https://").not_()).is_empty()
    lot2 = table.filter((table["lot"] == "Lot 2 (25_BAM_044_AC02)") & (table["fact"] == "Montant maximum (€ HT)"))
    assert lot2.select("value", "at").row(0) == ("200\u202f000\u202f000", "article 4, page 11")
    holders = table.filter((table["lot"] == "Lot 2 (25_BAM_044_AC02)") & (table["fact"] == "Titulaires"))
    assert holders.item(0, "value").startswith("Non publiés")
    assert previous_of(registry, impact).id == "agile-2021-beta"
    assert previous_of(registry, framework_by_id(registry, "agile-2021-beta")) is None
