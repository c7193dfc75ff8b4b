"""Functional zones: the reviewed table, how loading and importing apply it, and its checks."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.panorama.importing import import_edition
from analytics.panorama.loading import load_crosswalks, load_panorama
from analytics.panorama.zones import attach_zones, missing_zones, validate_zone_crosswalk
from tests.panorama_frames import PANORAMA_DATA_DIR

CROSSWALK = pl.DataFrame(
    {
        "functional_zone_published": ["Ressources et support", "Ressources et Support", "Police aux fontières"],
        "functional_zone": ["Ressources et support", "Ressources et support", "Police aux frontières"],
        "review_note": ["identique", "casse", "faute de frappe"],
    }
)


def _zones(published: list[str | None], *, fold_unknown: bool = False) -> list[tuple[str | None, str | None]]:
    rows = pl.LazyFrame({"functional_zone": published}, schema={"functional_zone": pl.String})
    return (
        attach_zones(rows, CROSSWALK, fold_unknown=fold_unknown)
        .select("functional_zone_published", "functional_zone")
        .collect()
        .rows()
    )


def test_exact_spelling_gets_its_canonical_zone_and_keeps_the_published_one() -> None:
    assert _zones(["Ressources et Support", "Police aux fontières", None]) == [
        ("Ressources et Support", "Ressources et support"),
        ("Police aux fontières", "Police aux frontières"),
        (None, None),
    ]


def test_unknown_spelling_is_null_for_shipped_data_and_reported() -> None:
    rows = pl.LazyFrame({"functional_zone": ["Achats", "Ressources et support"]})
    frame = attach_zones(rows, CROSSWALK).collect()
    assert frame["functional_zone"].to_list() == [None, "Ressources et support"]
    assert missing_zones(frame) == ["Achats"]


def test_imported_spelling_folds_onto_a_reviewed_zone_or_stays_as_published() -> None:
    assert _zones(["RESSOURCES ET SUPPORT ", "Police aux fontieres", "Achats"], fold_unknown=True) == [
        ("RESSOURCES ET SUPPORT ", "Ressources et support"),
        ("Police aux fontieres", "Police aux frontières"),
        ("Achats", "Achats"),
    ]


def test_imported_spelling_with_an_ambiguous_fold_stays_as_published() -> None:
    crosswalk = pl.DataFrame(
        {
            "functional_zone_published": ["Zone A", "zone a"],
            "functional_zone": ["Zone A", "Zone a bis"],
            "review_note": ["identique", "gardée à part"],
        }
    )
    rows = pl.LazyFrame({"functional_zone": ["ZONE A"]})
    assert attach_zones(rows, crosswalk, fold_unknown=True).collect()["functional_zone"].to_list() == ["ZONE A"]


def test_validation_lists_every_kind_of_problem() -> None:
    crosswalk = pl.DataFrame(
        {
            "functional_zone_published": ["A", "A", "B", "C", "Z"],
            "functional_zone": ["A", "A", "C", "D", ""],
            "review_note": ["identique", "identique", "casse", "casse", "x"],
        }
    )
    problems = validate_zone_crosswalk(crosswalk, pl.Series(["A", "B", "C", "E", None]))
    assert problems == [
        "crosswalk_zones.csv : la zone publiée « E » n'a pas de ligne.",
        "crosswalk_zones.csv : la zone « Z » n'apparaît dans aucune édition.",
        "crosswalk_zones.csv : la zone publiée « A » figure plusieurs fois.",
        "crosswalk_zones.csv : la zone publiée « Z » doit avoir une zone canonique et une note de revue.",
        "crosswalk_zones.csv : « B » renvoie à « C », qui renvoie lui-même à « D » : "
        "une zone canonique publiée doit renvoyer à elle-même.",
    ]


@pytest.fixture(scope="module")
def shipped() -> pl.DataFrame:
    return load_panorama(PANORAMA_DATA_DIR)


def test_every_shipped_zone_maps_to_exactly_one_canonical_zone(shipped: pl.DataFrame) -> None:
    crosswalk = load_crosswalks(PANORAMA_DATA_DIR).zones
    assert validate_zone_crosswalk(crosswalk, shipped["functional_zone_published"]) == []
    per_spelling = (
        shipped.drop_nulls("functional_zone_published")
        .group_by("functional_zone_published")
        .agg(
            pl.col("functional_zone").n_unique().alias("canonical"),
            pl.col("functional_zone").null_count().alias("null"),
        )
    )
    assert per_spelling["canonical"].to_list() == [1] * per_spelling.height
    assert per_spelling["null"].sum() == 0
    assert shipped.filter(pl.col("functional_zone_published").is_null())["functional_zone"].null_count() == 13


def test_shipped_zones_merge_the_reviewed_variants_only(shipped: pl.DataFrame) -> None:
    variants = (
        shipped.group_by("functional_zone")
        .agg(pl.col("functional_zone_published").unique().sort())
        .filter(pl.col("functional_zone_published").list.len() > 1)
        .sort("functional_zone")
    )
    assert dict(variants.rows()) == {
        "Contentieux de l'administration": [
            "Contentieux de l'administation",
            "Contentieux de l'administration",
            "Contentieux de l’administration",
        ],
        "Emploi et Formation Professionnelle": [
            "Emploi et Formation Professionnelle",
            "Emploi et formation professionnelle",
        ],
        "Gestion des Systèmes d'Information et de Communication": [
            "Gestion des Systèmes d'Information et de Communication",
            "Gestion des systèmes d’information et de communication.",
        ],
        "Ressources Humaines": ["RH", "Ressources Humaines", "Ressources Humaines RH"],
        "Ressources et support": ["Ressources et Support", "Ressources et support"],
        "Échanges & Relations": ["Echanges & Relations", "Échanges & Relations"],
    }
    typo = shipped.filter(pl.col("project_id") == "kiosques")
    assert typo["functional_zone"].unique().to_list() == ["Police aux frontières - Gestion des voyageurs"]
    assert typo["functional_zone_published"].unique().to_list() == ["Police aux fontières - Gestion des voyageurs"]
    # 70 published spellings and 62 canonical zones (from the review table), plus the null zone.
    assert (shipped["functional_zone_published"].n_unique(), shipped["functional_zone"].n_unique()) == (71, 63)


def test_an_imported_edition_gets_the_shipped_canonical_zones() -> None:
    rows = {
        "Projet": ["KIOSQUES", "NOUVEAU"],
        "Ministère porteur": ["Ministère de l'Intérieur", "Ministère de l'Intérieur"],
        "Projet inter-ministériel": ["Non", "Non"],
        "Description et objectifs": ["Bornes", "Nouveau SI"],
        "Début": ["janvier 2020", "janvier 2022"],
        "Durée du projet en années": ["3", "2"],
        "Phase du projet en cours": ["Déploiement", "Cadrage"],
        "Coût complet estimé": ["10", "12"],
        "Zone fonctionnelle principale": ["Police aux fontières - Gestion des voyageurs", "ressources et SUPPORT"],
        "Programme de financement": ["P216", "P216"],
    }
    content = pl.DataFrame(rows).write_csv().encode()
    result = import_edition(content, "edition.csv", date(2022, 7, 1), load_crosswalks(PANORAMA_DATA_DIR))
    assert result.frame is not None, [issue.message for issue in result.report.errors]
    assert result.frame.sort("project_name").select("functional_zone", "functional_zone_published").rows() == [
        ("Police aux frontières - Gestion des voyageurs", "Police aux fontières - Gestion des voyageurs"),
        ("Ressources et support", "ressources et SUPPORT"),
    ]
