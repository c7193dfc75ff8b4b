"""The consolidated national DECP (decp.info / decp-processing output) names the holder `titulaire_nom`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.decp.readers import contracts_from_scan, read_decp, scan_decp_table

AS_OF = date(2026, 10, 31)
BUYER = "23350001600040"
HOLDER_A = "81223113200034"
HOLDER_B = "82379887100013"


def consolidated() -> pl.DataFrame:
    """Typed columns as the consolidated Parquet has them (booleans, dates, floats), a co-holder, two departments."""
    return pl.DataFrame(
        {
            "uid": [f"{BUYER}2026A", f"{BUYER}2026A", f"{BUYER}2026B"],
            "id": ["2026A", "2026A", "2026B"],
            "objet": ["Équipe produit", "Équipe produit", "Autre"],
            "acheteur_id": [BUYER] * 3,
            "acheteur_nom": ["Ministère A"] * 3,
            "titulaire_id": [HOLDER_A, HOLDER_B, HOLDER_B],
            "titulaire_nom": ["Alpha SA", "Beta SAS", "Beta SAS"],
            "titulaire_typeIdentifiant": ["SIRET"] * 3,
            "montant": [500_000.0, 500_000.0, 80_000.5],
            "dateNotification": [date(2026, 6, 1), date(2026, 6, 1), date(2026, 7, 2)],
            "dureeMois": [24, 24, 12],
            "donneesActuelles": [True, True, True],
            "idAccordCadre": ["25_BAM_044_AC02", "25_BAM_044_AC02", None],
            "acheteur_departement_code": ["75"] * 3,
            "titulaire_departement_code": ["92", "69", "69"],
        }
    )


def _check(contracts: pl.DataFrame, report) -> None:
    assert report.errors == []
    assert report.columns_used["titulaire_denominationSociale"] == "titulaire_nom"
    assert contracts.sort("contract_uid").select("holder_name", "holder_count", "amount_eur").rows() == [
        ("Alpha SA", 2, 500_000.0),
        ("Beta SAS", 1, 80_000.5),
    ]
    unknown = next(w for w in report.warnings if "inconnue(s)" in w)
    assert unknown.endswith("ignorée(s) : acheteur_departement_code, titulaire_departement_code.")


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_upload_reads_titulaire_nom(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"decp.{suffix}"
    table = consolidated()
    table.write_parquet(path) if suffix == "parquet" else table.write_csv(path)
    contracts, report = read_decp(path.read_bytes(), path.name, as_of=AS_OF)
    _check(contracts, report)


def test_national_scan_reads_titulaire_nom(tmp_path: Path) -> None:
    path = tmp_path / "decp.parquet"
    consolidated().write_parquet(path)
    scan = scan_decp_table(path, framework_ids=["25_BAM_044_AC02"])
    assert "titulaire_nom" in scan.collect_schema()
    contracts, report = contracts_from_scan(lambda _lossy: scan, path.name, AS_OF)
    assert report.errors == [] and report.columns_used["titulaire_denominationSociale"] == "titulaire_nom"
    assert contracts.select("holder_name", "framework_id").rows() == [("Alpha SA", "25_BAM_044_AC02")]


def test_schema_name_first_then_titulaire_nom_row_by_row(tmp_path: Path) -> None:
    table = consolidated().with_columns(titulaire_denominationSociale=pl.Series(["Alpha officiel", None, ""]))
    contracts, report = read_decp(table.write_csv().encode(), "mixte.csv", as_of=AS_OF)
    assert report.columns_used["titulaire_denominationSociale"] == "titulaire_denominationSociale puis titulaire_nom"
    assert contracts.sort("contract_uid").get_column("holder_name").to_list() == ["Alpha officiel", "Beta SAS"]
