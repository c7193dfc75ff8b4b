"""Framework registry, SIRET checks and linking contracts to a framework."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.decp.frameworks import Beneficiary, Framework, FrameworkRegistryError, Holder, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.normalise import NORMALISED_SCHEMA
from analytics.decp.siret import fake_siret, siren_is_valid, siret_is_valid
from tests.framework_factory import make_framework, make_lot


def test_malformed_registry_messages_are_french(tmp_path: Path) -> None:
    broken = tmp_path / "frameworks.toml"
    broken.write_text('[[frameworks]]\nid = "Pas un slug"\ntitle = "X"\n', encoding="utf-8")
    with pytest.raises(FrameworkRegistryError, match=r"frameworks\.toml : registre invalide — champ frameworks → 0"):
        load_frameworks(broken)
    broken.write_text("[[frameworks]\n", encoding="utf-8")
    with pytest.raises(FrameworkRegistryError, match=r"frameworks\.toml : TOML invalide"):
        load_frameworks(broken)
    with pytest.raises(FrameworkRegistryError, match="fichier introuvable"):
        load_frameworks(tmp_path / "absent.toml")


def test_siret_rules() -> None:
    values = pl.Series(
        ["81223113200034", "81223113200035", "35600000000048", "35600000000047", "35600000000049", "1234", None]
    )
    frame = pl.DataFrame({"s": values})
    assert frame.select(siret_is_valid(pl.col("s"))).to_series().to_list() == [
        True,
        False,
        True,  # La Poste head office: ordinary Luhn
        True,  # La Poste establishment: digit sum 25, multiple of 5
        False,
        False,
        None,
    ]
    fake = fake_siret("00012345", "0001")
    assert fake == "00012345500016"
    assert pl.select(siret_is_valid(pl.lit(fake)).alias("siret"), siren_is_valid(pl.lit(fake[:9])).alias("siren")).row(
        0
    ) == (
        True,
        True,
    )


def _framework(beneficiaries: list[Beneficiary], *, orders_lot: bool = False) -> Framework:
    """Lot AC01 by marchés subséquents (id 21BAM048), optionally a lot AC02 by bons de commande with the same names."""
    holders = [Holder(name="OCTO / Frontier", lead="OCTO", members=["Frontier"])]
    subsequent = make_lot("TEST_AC01", holders=holders, beneficiaries=beneficiaries, decp_id="21BAM048")
    orders = make_lot("TEST_AC02", number=2, execution="bons de commande", holders=holders, beneficiaries=beneficiaries)
    return make_framework(lots=[orders, subsequent] if orders_lot else [subsequent])


def _contracts(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={c: NORMALISED_SCHEMA[c] for c in rows[0]}).with_columns(
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in NORMALISED_SCHEMA.items() if name not in rows[0]
    )


BASE = {
    "contract_uid": "u",
    "buyer_id": "00000001800010",
    "buyer_name": "HAUTE AUTORITÉ DE SANTÉ",
    "framework_id": None,
    "holder_id": "00000002600013",
    "holder_name": "Octo Technology",
    "cpv_code": "72212000",
    "notification_date": date(2026, 5, 4),
}


def test_identifier_beats_probable_and_probable_needs_every_condition() -> None:
    framework = _framework([Beneficiary(name="Haute Autorité de santé", aliases=["HAS"])])
    contracts = _contracts(
        [
            BASE | {"contract_uid": "id", "framework_id": " 21bam048"},
            BASE | {"contract_uid": "probable"},
            BASE | {"contract_uid": "member", "holder_name": "FRONTIER SAS"},
            BASE | {"contract_uid": "alias", "buyer_name": "HAS"},
            BASE | {"contract_uid": "cpv", "cpv_code": "79311000"},
            BASE | {"contract_uid": "date", "notification_date": date(2025, 12, 31)},
            BASE | {"contract_uid": "buyer", "buyer_name": "Ministère des Armées"},
            BASE | {"contract_uid": "holder", "holder_name": "Octopus"},
        ]
    )
    linked = link_to_framework(contracts, framework, include_probable=True)
    assert dict(linked.select("contract_uid", "link").iter_rows()) == {
        "id": "identifiant",
        "probable": "probable",
        "member": "probable",
        "alias": "probable",
    }
    assert linked.filter(pl.col("contract_uid") == "member").item(0, "awardee_group") == "OCTO / Frontier"
    assert linked.filter(pl.col("contract_uid") == "probable").item(0, "link_reason_fr") == (
        "acheteur « HAUTE AUTORITÉ DE SANTÉ » parmi les bénéficiaires (Haute Autorité de santé) ; "
        "titulaire « Octo Technology » parmi les titulaires du lot TEST_AC01 (OCTO / Frontier) ; "
        "CPV 72212000 (services informatiques) ; notifié le 2026-05-04, pendant la durée du lot"
    )
    strict = link_to_framework(contracts, framework, include_probable=False)
    assert strict.get_column("contract_uid").to_list() == ["id"]
    assert strict.item(0, "link_reason_fr") == "idAccordCadre «  21bam048 » : identifiant attendu du lot TEST_AC01"
    assert set(linked.get_column("lot_id")) == {"TEST_AC01"}


def test_beneficiary_matched_by_siren() -> None:
    framework = _framework([Beneficiary(name="Cour des comptes", siren="000000018")])
    linked = link_to_framework(_contracts([BASE]), framework, include_probable=True)
    assert linked.select("beneficiary", "link").row(0) == ("Cour des comptes", "probable")


def test_no_beneficiary_list_means_no_probable_link() -> None:
    linked = link_to_framework(_contracts([BASE]), _framework([]), include_probable=True)
    assert linked.is_empty()


def test_identifier_ignores_separators_and_orders_lots_never_link() -> None:
    framework = _framework([Beneficiary(name="Haute Autorité de santé", aliases=["HAS"])], orders_lot=True)
    contracts = _contracts(
        [
            BASE | {"contract_uid": "separators", "framework_id": "21_bam-048"},
            BASE | {"contract_uid": "probable"},  # holder and buyer named in both lots
            BASE | {"contract_uid": "other", "framework_id": "21BAM049", "holder_name": "Autre SA"},
        ]
    )
    linked = link_to_framework(contracts, framework, include_probable=True)
    # the probable contract goes to the lot executed by marchés subséquents, never to the bons de commande lot
    assert linked.select("contract_uid", "lot_id", "link").rows() == [
        ("separators", "TEST_AC01", "identifiant"),
        ("probable", "TEST_AC01", "probable"),
    ]


def test_holder_group_is_matched_within_the_contracts_lot_only() -> None:
    by_orders = make_lot(
        "TEST_AC01", execution="bons de commande", holders=[Holder(name="OCTO / Frontier", members=["OCTO"])]
    )
    unnamed = make_lot("TEST_AC02", number=2, decp_id="TEST_AC02")  # holders not published
    framework = make_framework(lots=[by_orders, unnamed])
    linked = link_to_framework(_contracts([BASE | {"framework_id": "TEST_AC02"}]), framework, include_probable=True)
    assert linked.select("lot_id", "awardee_group").row(0) == ("TEST_AC02", None)
