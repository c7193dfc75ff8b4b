"""Marchés subséquents page through AppTest: figures equal the DECP analytics run directly on the same data."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.decp.frameworks import Framework, framework_by_id, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.readers import FRAMEWORKS_PATH, SCENARIO_PATH, read_decp
from analytics.decp.spend import concentration, contract_sizes
from analytics.formatting import format_eur_as_meur, format_number, format_pct
from analytics.params.pages import PageId
from pages.common.contracts_data import SCENARIO_AS_OF
from tests.app_helpers import key, metrics, open_app, query

BANNER = "Données simulées"
TOTAL = "Montant notifié cumulé"
LOT2_EUR = 6e6  # the simulated subsequent contracts of lot 2 (data/decp/SCENARIO.md)


@pytest.fixture(scope="module")
def registry() -> list[Framework]:
    return load_frameworks(FRAMEWORKS_PATH)


@pytest.fixture(scope="module")
def scenario() -> pl.DataFrame:
    contracts, report = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=SCENARIO_AS_OF)
    assert report.ok and contracts is not None
    return contracts


def open_contracts(params: Mapping[str, str] | None = None) -> AppTest:
    """A visitor following a link to the page."""
    at = open_app("contracts", params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def banner_shown(at: AppTest) -> bool:
    return any(str(w.value).startswith(BANNER) for w in at.warning)


def upload(at: AppTest, name: str, content: bytes) -> None:
    at.get("file_uploader")[0].set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_scenario_opens_with_banner_and_the_current_framework_figures(
    registry: list[Framework], scenario: pl.DataFrame
) -> None:
    at = open_contracts()
    linked = link_to_framework(scenario, framework_by_id(registry, "agile-2026-impact"), include_probable=False)
    sizes, top = contract_sizes(linked), concentration(linked)
    shown = metrics(at)
    assert banner_shown(at)
    assert shown[TOTAL] == format_eur_as_meur(sizes.total_eur) == format_eur_as_meur(LOT2_EUR)
    assert shown["Nombre de marchés"] == format_number(sizes.contracts, 0) == "6"
    assert shown["Taille moyenne / médiane"] == (
        f"{format_eur_as_meur(sizes.mean_eur, 2)} / {format_eur_as_meur(sizes.median_eur, 2)}"
    )
    assert shown["Part du 1er titulaire"] == format_pct(top.top1_share)
    assert shown["Part des 3 premiers titulaires"] == format_pct(top.top3_share)
    assert shown["Part de l'estimation"] == format_pct(LOT2_EUR / 200e6)  # both lots' estimates
    assert shown["Montants signalés (exclus des sommes)"] == "1"
    assert "accord" not in query(at)  # the default framework stays out of the URL


def test_link_selects_framework_and_probable_links(registry: list[Framework], scenario: pl.DataFrame) -> None:
    at = open_contracts({"accord": "agile-2021-beta", "probables": "1"})
    # executed by bons de commande: no contract of this framework can be in DECP, probable or not
    assert link_to_framework(scenario, framework_by_id(registry, "agile-2021-beta"), include_probable=True).is_empty()
    assert metrics(at)["Nombre de marchés"] == "0"
    assert query(at) == {"accord": "agile-2021-beta", "probables": "1"}

    at.toggle(key=key("include_probable", PageId.CONTRACTS)).set_value(False).run()
    assert "probables" not in query(at)
    assert any("Aucun marché rattaché" in str(i.value) for i in at.info)


def test_invalid_link_values_give_french_notices_once(scenario: pl.DataFrame) -> None:
    at = open_contracts({"accord": "accord-inconnu", "probables": "peut-etre"})
    notices = [str(w.value) for w in at.warning if "Paramètre" in str(w.value) or "Accord-cadre" in str(w.value)]
    assert len(notices) == 2
    assert "« accord-inconnu » inconnu du registre" in notices[0]
    assert "« probables » = « peut-etre » non compris" in notices[1]
    assert metrics(at)[TOTAL] == format_eur_as_meur(LOT2_EUR)  # the default framework
    at.run()
    assert not any("inconnu du registre" in str(w.value) for w in at.warning)


def test_valid_upload_replaces_the_scenario_for_the_session(registry: list[Framework]) -> None:
    lines = SCENARIO_PATH.read_text(encoding="utf-8").splitlines()
    extract = "\n".join(lines[:7]).encode("utf-8")  # header + the first 6 rows (three lot 2 contracts)
    contracts, report = read_decp(extract, "extrait.csv")
    assert report.ok and contracts is not None
    linked = link_to_framework(contracts, framework_by_id(registry, "agile-2026-impact"), include_probable=False)
    expected = format_eur_as_meur(contract_sizes(linked).total_eur)
    assert expected != format_eur_as_meur(LOT2_EUR)

    at = open_contracts()
    upload(at, "extrait.csv", extract)
    assert not banner_shown(at)
    assert metrics(at)[TOTAL] == expected
    assert any("extrait\\.csv" in str(s.value) and "chargé" in str(s.value) for s in at.success)

    next(b for b in at.button if b.label == "Revenir au scénario simulé").click().run()
    assert banner_shown(at)
    assert metrics(at)[TOTAL] == format_eur_as_meur(LOT2_EUR)


@pytest.mark.parametrize(("name", "content"), [("vide.csv", b""), ("binaire.csv", b"PK\x03\x04\x00\x00\xff\xfe" * 64)])
def test_bad_upload_keeps_the_scenario(name: str, content: bytes) -> None:
    at = open_contracts()
    upload(at, name, content)
    errors = " ".join(str(e.value) for e in at.error)
    assert name.replace(".", "\\.") in errors and "refusé" in errors
    assert banner_shown(at)
    assert metrics(at)[TOTAL] == format_eur_as_meur(LOT2_EUR)


def test_ministry_filter_keeps_only_that_ministrys_beneficiaries(
    registry: list[Framework], scenario: pl.DataFrame
) -> None:
    at = open_contracts()
    framework = framework_by_id(registry, "agile-2026-impact")
    linked = link_to_framework(scenario, framework, include_probable=False)
    # lot 2's beneficiaries are not published: no buyer maps to a ministry, the filter keeps nothing
    assert linked.filter(pl.col("beneficiary").is_not_null()).is_empty()

    at.sidebar.multiselect(key=key("ministries")).set_value(["premier-ministre"]).run()
    assert not at.exception
    shown = metrics(at)
    assert shown[TOTAL] == format_eur_as_meur(0.0)
    assert shown["Nombre de marchés"] == "0"
    assert any(
        f"Filtre ministères appliqué par le bénéficiaire du registre : {linked.height} marché(s)" in str(i.value)
        for i in at.info
    )


def test_malformed_registry_gives_a_french_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "frameworks.toml"
    registry.write_text('[[frameworks]]\nid = "Mauvais Id"\n', encoding="utf-8")
    monkeypatch.setenv("PANORAMA_FRAMEWORKS_PATH", str(registry))
    at = open_contracts()
    errors = " ".join(str(e.value) for e in at.error)
    assert "Registre des accords-cadres inutilisable" in errors and "frameworks\\.toml" in errors
    assert any("Aucun accord-cadre dans le registre" in str(i.value) for i in at.info)
