"""Loading: a small hand-built data directory, then the shipped editions."""

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.panorama.loading import (
    PanoramaDataError,
    load_crosswalks,
    load_headlines,
    load_panorama,
    load_panorama_data,
)
from analytics.panorama.schema import PROJECT_EDITION_SCHEMA

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "panorama"
HEADER_OLD = (
    "Projet,Ministère porteur,Projet inter-ministériel,Description et objectifs,Début,"
    "Durée du projet en années,Phase du projet en cours,Coût estimé,Zone fonctionnelle principale,"
    "Programme de financement"
)
HEADER_NEW = HEADER_OLD.replace("Coût estimé", "Coût complet estimé")
WITHHELD = (
    "Les éléments chiffrés des projets en cours d’appel d’offres ou dont la trajectoire est en cours de "
    "révision ne sont volontairement pas publiés par la DINSIC afin de ne pas interférer avec les "
    "procédures en cours"
)


def write_small_data_dir(root: Path) -> Path:
    editions = root / "editions"
    editions.mkdir(parents=True)
    (editions / "panorama_2016-11.csv").write_text(
        HEADER_OLD + "\n"
        'FRANCE CONNECT,Premier ministre,Oui,"Se connecter. (<a href=""https://x"" title=""en savoir plus"">'
        'en savoir plus</a>)",juillet 2013,3.75,Déploiement,7,Gestion et contrôle des accès,'
        '"<a href=""https://x/DBGPGMPGM129.pdf"">Coordination du travail gouvernemental (P129)</a>"\n'
        "SIRHEN,Ministère de l'Education Nationale,Non,Paie,janvier 2007,12,Conception / Réalisation,"
        "320.4,Ressources Humaines,Programme 214\n",
        encoding="utf-8",
    )
    (editions / "panorama_2019-03.csv").write_text(
        HEADER_NEW + "\n"
        f"SIRHEN,Ministère de l'Éducation nationale,Non,Paie,,,{WITHHELD},,Ressources humaines,P214\n"
        "FRANCECONNECT,Premier ministre,Oui,Se connecter,juillet 13,5.5,NA,19.99,,\n",
        encoding="utf-8",
    )
    (root / "crosswalk_projects.csv").write_text(
        "edition,ministry_name,project_name,project_id,match_note\n"
        "2016-11,Premier ministre,FRANCE CONNECT,franceconnect,première apparition\n"
        "2016-11,Ministère de l'Education Nationale,SIRHEN,sirhen,première apparition\n"
        "2019-03,Ministère de l'Éducation nationale,SIRHEN,sirhen,même nom\n"
        "2019-03,Premier ministre,FRANCECONNECT,franceconnect,espace retiré\n",
        encoding="utf-8",
    )
    (root / "crosswalk_ministries.csv").write_text(
        "ministry_name,ministry_id,ministry_label\n"
        "Premier ministre,spm,Services du Premier ministre\n"
        "Ministère de l'Education Nationale,education,Éducation nationale\n"
        "Ministère de l'Éducation nationale,education,Éducation nationale\n",
        encoding="utf-8",
    )
    (root / "crosswalk_zones.csv").write_text(
        "functional_zone_published,functional_zone,review_note\n"
        "Gestion et contrôle des accès,Gestion et contrôle des accès,identique\n"
        "Ressources Humaines,Ressources Humaines,identique\n"
        "Ressources humaines,Ressources Humaines,casse\n",
        encoding="utf-8",
    )
    return root


def test_small_directory_loads_to_the_canonical_schema_and_values(tmp_path: Path) -> None:
    frame = load_panorama(write_small_data_dir(tmp_path))
    assert frame.schema == pl.Schema(PROJECT_EDITION_SCHEMA)
    rows = frame.select(
        "edition", "project_id", "ministry_id", "start_date", "duration_years", "phase", "cost_meur",
        "withheld_reason", "funding_programmes", "cost_bracket", "cost_definition", "description",
        "functional_zone", "functional_zone_published",
    ).rows()  # fmt: skip
    assert rows == [
        (date(2016, 11, 1), "sirhen", "education", date(2007, 1, 1), 12.0, "Conception / Réalisation", 320.4,
         None, ["P214"], "> 100 M€", "Coût estimé", "Paie", "Ressources Humaines", "Ressources Humaines"),
        (date(2016, 11, 1), "franceconnect", "spm", date(2013, 7, 1), 3.75, "Déploiement", 7.0,
         None, ["P129"], "< 9 M€", "Coût estimé", "Se connecter.", "Gestion et contrôle des accès",
         "Gestion et contrôle des accès"),
        (date(2019, 3, 1), "sirhen", "education", None, None, None, None,
         WITHHELD, ["P214"], None, "Coût complet estimé", "Paie", "Ressources Humaines", "Ressources humaines"),
        (date(2019, 3, 1), "franceconnect", "spm", date(2013, 7, 1), 5.5, None, 19.99,
         None, [], "9–20 M€", "Coût complet estimé", "Se connecter", None, None),
    ]  # fmt: skip


def test_uncovered_rows_raise_with_the_missing_keys(tmp_path: Path) -> None:
    root = write_small_data_dir(tmp_path)
    crosswalk = root / "crosswalk_projects.csv"
    crosswalk.write_text("\n".join(crosswalk.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(PanoramaDataError, match=r"2019-03 / « Premier ministre » / « FRANCECONNECT »"):
        load_panorama(root)


def test_uncovered_ministry_raises_with_its_name(tmp_path: Path) -> None:
    root = write_small_data_dir(tmp_path)
    ministries = root / "crosswalk_ministries.csv"
    ministries.write_text(ministries.read_text(encoding="utf-8").replace("Premier ministre,spm", "PM,spm"))
    with pytest.raises(PanoramaDataError, match=r"crosswalk_ministries.csv » : « Premier ministre »"):
        load_panorama(root)


def test_uncovered_zone_raises_with_its_published_spelling(tmp_path: Path) -> None:
    root = write_small_data_dir(tmp_path)
    zones = root / "crosswalk_zones.csv"
    zones.write_text(zones.read_text(encoding="utf-8").replace("Ressources humaines,", "Ressources humaine,"))
    with pytest.raises(
        PanoramaDataError,
        match=r"1 zone\(s\) fonctionnelle\(s\) absente\(s\) de « crosswalk_zones"
        r"\.csv » : « Ressources humaines »",
    ):
        load_panorama(root)


def test_missing_zone_crosswalk_is_named(tmp_path: Path) -> None:
    root = write_small_data_dir(tmp_path)
    (root / "crosswalk_zones.csv").unlink()
    with pytest.raises(PanoramaDataError, match=r"« crosswalk_zones\.csv » introuvable"):
        load_crosswalks(root)


def test_duplicated_crosswalk_key_is_refused(tmp_path: Path) -> None:
    root = write_small_data_dir(tmp_path)
    with (root / "crosswalk_projects.csv").open("a", encoding="utf-8") as handle:
        handle.write("2016-11,Premier ministre,FRANCE CONNECT,autre,doublon\n")
    with pytest.raises(PanoramaDataError, match="clé\\(s\\) en double"):
        load_crosswalks(root)


def test_unexpected_header_is_refused(tmp_path: Path) -> None:
    root = write_small_data_dir(tmp_path)
    path = root / "editions" / "panorama_2016-11.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Début", "Start"), encoding="utf-8")
    with pytest.raises(PanoramaDataError, match=r"panorama_2016-11\.csv » : en-tête inattendu"):
        load_panorama(root)


def test_headlines_convert_percent_and_billions() -> None:
    headlines = load_headlines(SHIPPED)
    assert headlines.height == 17
    first = headlines.row(0, named=True)
    assert first["edition"] == date(2016, 11, 1)
    assert (first["projects"], first["interministerial_projects"]) == (57, 18)
    assert first["total_cost_meur"] == 2290.0
    assert (first["avg_schedule_drift"], first["avg_budget_drift"]) == (0.38, 0.32)
    assert headlines.filter(pl.col("edition") == date(2018, 3, 1))["avg_budget_drift"].item() == 0.264


# Hand-computed from the raw files: rows and sum of the cost column per edition (M€, 0.1).
EXPECTED_EDITIONS = {
    date(2016, 11, 1): (57, 2292.9),
    date(2017, 2, 1): (61, 2505.2),
    date(2017, 6, 1): (61, 2561.1),
    date(2017, 11, 1): (61, 2633.8),
    date(2018, 3, 1): (61, 2808.8),
    date(2018, 7, 1): (56, 2553.6),
    date(2018, 11, 1): (54, 1775.6),
    date(2019, 3, 1): (48, 1636.4),
    date(2021, 7, 1): (49, 1881.8),
    date(2021, 11, 1): (50, 2511.9),
}


@pytest.fixture(scope="module")
def panorama_shipped() -> pl.DataFrame:
    if not (SHIPPED / "crosswalk_projects.csv").exists():
        pytest.skip("data/panorama/crosswalk_projects.csv n'existe pas encore (produit par un autre chantier)")
    return load_panorama(SHIPPED)


def test_shipped_editions_row_counts_and_cost_sums(panorama_shipped: pl.DataFrame) -> None:
    per_edition = (
        panorama_shipped.group_by("edition").agg(pl.len(), pl.col("cost_meur").sum().round(1)).sort("edition").rows()
    )
    assert {edition: (n, cost) for edition, n, cost in per_edition} == EXPECTED_EDITIONS


def test_shipped_first_edition_matches_its_headline(panorama_shipped: pl.DataFrame) -> None:
    first = panorama_shipped.filter(pl.col("edition") == date(2016, 11, 1))
    assert first.height == 57
    assert first["interministerial"].sum() == 18


def test_shipped_withheld_rows(panorama_shipped: pl.DataFrame) -> None:
    withheld = panorama_shipped.filter(pl.col("withheld_reason").is_not_null())
    assert withheld.select(pl.col("edition").dt.strftime("%Y-%m"), "project_name").sort(pl.all()).rows() == [
        ("2019-03", "SI SAMU"),
        ("2019-03", "SIRHEN"),
        ("2021-07", "SI SAMU"),
    ]
    assert withheld["phase"].null_count() == 3
    assert withheld["cost_meur"].null_count() == 3


def test_shipped_cost_definition_changes_in_2018_07(panorama_shipped: pl.DataFrame) -> None:
    definitions = panorama_shipped.select("edition", "cost_definition").unique().sort("edition")
    assert definitions.filter(pl.col("edition") <= date(2018, 3, 1))["cost_definition"].unique().to_list() == [
        "Coût estimé"
    ]
    assert definitions.filter(pl.col("edition") >= date(2018, 7, 1))["cost_definition"].unique().to_list() == [
        "Coût complet estimé"
    ]


def test_shipped_text_has_no_html(panorama_shipped: pl.DataFrame) -> None:
    texts = panorama_shipped.select("description", "functional_zone", "withheld_reason")
    assert texts.select(pl.all().str.contains(r"</?[A-Za-z][^<>]*>|&[#a-z0-9]+;").any()).row(0) == (
        False,
        False,
        False,
    )


def test_shipped_sorted_and_data_container(panorama_shipped: pl.DataFrame) -> None:
    assert panorama_shipped.equals(panorama_shipped.sort("edition", "ministry_name", "project_name"))
    data = load_panorama_data(SHIPPED)
    assert data.editions == tuple(sorted(EXPECTED_EDITIONS))
    assert data.projects.equals(panorama_shipped)


def test_shipped_editions_parse_without_crosswalks(tmp_path: Path) -> None:
    """Counts and sums hold on the raw editions whatever the crosswalks say (identity scaffolding)."""
    shutil.copytree(SHIPPED / "editions", tmp_path / "editions")
    shutil.copy(SHIPPED / "crosswalk_zones.csv", tmp_path / "crosswalk_zones.csv")
    keys = pl.concat(
        pl.read_csv(path, infer_schema=False).select(
            pl.lit(path.stem.removeprefix("panorama_")).alias("edition"),
            pl.col("Ministère porteur").alias("ministry_name"),
            pl.col("Projet").alias("project_name"),
        )
        for path in sorted((tmp_path / "editions").glob("*.csv"))
    )
    keys.with_columns(project_id=pl.col("project_name"), match_note=pl.lit("test")).write_csv(
        tmp_path / "crosswalk_projects.csv"
    )
    keys.select("ministry_name").unique().with_columns(
        ministry_id=pl.col("ministry_name"), ministry_label=pl.col("ministry_name")
    ).write_csv(tmp_path / "crosswalk_ministries.csv")
    frame = load_panorama(tmp_path)
    per_edition = frame.group_by("edition").agg(pl.len(), pl.col("cost_meur").sum().round(1)).rows()
    assert {edition: (n, cost) for edition, n, cost in per_edition} == EXPECTED_EDITIONS
