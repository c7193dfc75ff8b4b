"""Identity of panorama projects and ministries: normalisation, matching, reviewed crosswalks, script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from analytics.panorama.identity import (
    PROJECT_KEY,
    acronym,
    attach_identity,
    best_candidates,
    compact,
    normalise_name,
    read_ministry_crosswalk,
    read_project_crosswalk,
    score_candidates,
    start_key,
    validate_ministry_crosswalk,
    validate_project_crosswalk,
)
from analytics.text import match_key_expr

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "panorama"
SCRIPT = ROOT / "scripts" / "build_crosswalks.py"
EDITIONS = (
    "2016-11",
    "2017-02",
    "2017-06",
    "2017-11",
    "2018-03",
    "2018-07",
    "2018-11",
    "2019-03",
    "2021-07",
    "2021-11",
)


def _apply(expr, values: list[str]) -> list[str]:
    return pl.DataFrame({"v": values}).select(expr(pl.col("v")))["v"].to_list()


def test_match_key_unifies_case_accents_apostrophes_and_punctuation() -> None:
    assert _apply(
        match_key_expr,
        [
            "Ministère de l’Economie , des Finances et de la Relance",
            "Ministère de l'Économie des Finances et de la Relance",
            "Paysage\xa0: Modernisation iso fonctionnelle de PAY",
            "MCIC²",
            "OPER@",
        ],
    ) == [
        "ministere de l economie des finances et de la relance",
        "ministere de l economie des finances et de la relance",
        "paysage modernisation iso fonctionnelle de pay",
        "mcic2",
        "opera",
    ]


def test_normalise_name_removes_noise_only_where_it_is_noise() -> None:
    assert _apply(
        normalise_name,
        [
            "FRANCECONNECT PHASE II",
            'SI-Samu  (étape "Construction & Pilote")',
            "SIRHIUS V1",
            "RESYTAL CYCLE 1",
            "NexSIS Version 1",
            "PROJET SOLDE GENDARMERIE",
            "MISTR@L",
            "Montée de version du SIRH",
            "EXPADON 2",
            "SSLD-II",
        ],
    ) == [
        "franceconnect",
        "si samu",
        "sirhius",
        "resytal",
        "nexsis",
        "solde gendarmerie",
        "mistral",
        "montee de version du sirh",
        "expadon 2",
        "ssld ii",
    ]


def test_compact_acronym_and_start_key() -> None:
    assert _apply(lambda e: compact(normalise_name(e)), ["FRANCE CONNECT", "FranceConnect", "MCIC-2"]) == [
        "franceconnect",
        "franceconnect",
        "mcic2",
    ]
    assert _apply(lambda e: acronym(match_key_expr(e)), ["Réseau Interministériel de l'Etat"]) == ["rie"]
    assert _apply(lambda e: acronym(match_key_expr(e)), ["Compte Personnel d'Activité"]) == ["cpa"]
    assert _apply(start_key, ["juillet 2013", "juillet 13", "décembre 2015"]) == [
        "juillet 13",
        "juillet 13",
        "decembre 15",
    ]


def _project_rows(**columns: list[str]) -> pl.LazyFrame:
    return pl.LazyFrame(columns, schema={c: pl.String() for c in columns})


def test_score_candidates_weights_name_ministry_start_and_description() -> None:
    new = _project_rows(
        edition=["2017-11"],
        ministry_name=["Services du Premier Ministre"],
        project_name=["RIE"],
        ministry_id=["premier-ministre"],
        start=["mai 2011"],
        description=["Le réseau interministériel de l'État"],
    )
    known = _project_rows(
        project_id=["rie", "vitam"],
        project_name=["Réseau Interministériel de l'Etat", "VITAM"],
        ministry_id=["premier-ministre", "premier-ministre"],
        start=["mai 2011", "juillet 2013"],
        description=["Le réseau interministériel de l’Etat", "Archivage numérique"],
    )
    scored = score_candidates(new, known).sort("candidate_project_id").collect()
    # RIE: acronym 0.8 * 0.5 + ministry 0.15 + start 0.15 + same words {reseau, interministeriel, etat} 0.2
    # VITAM: no common word 0 + ministry 0.15 + other start 0 + no common description word 0
    assert scored.select("candidate_project_id", "name_score", "description_score", "confidence").rows() == [
        ("rie", 0.8, 1.0, 0.9),
        ("vitam", 0.0, 0.0, 0.15),
    ]


def test_best_candidates_gives_a_candidate_to_one_row_only() -> None:
    scored = pl.LazyFrame(
        {
            "edition": ["2017-02", "2017-02", "2017-02"],
            "ministry_name": ["M", "M", "M"],
            "project_name": ["A bis", "A ter", "A ter"],
            "candidate_project_id": ["a", "a", "b"],
            "confidence": [0.9, 0.7, 0.3],
            "name_score": [0.9, 0.8, 0.0],
            "description_score": [1.0, 0.5, 0.0],
        }
    )
    best = best_candidates(scored, list(PROJECT_KEY)).sort("project_name").collect()
    # "A ter" loses "a" to the better "A bis" and gets no candidate: a project appears once per edition.
    assert best.select("project_name", "candidate_project_id", "confidence").rows() == [
        ("A bis", "a", 0.9),
        ("A ter", None, None),
    ]


def test_validators_report_missing_duplicate_and_extra_rows() -> None:
    published = pl.DataFrame(
        {"edition": ["2017-02", "2017-02"], "ministry_name": ["M", "M"], "project_name": ["A", "B"]}
    )
    crosswalk = pl.DataFrame(
        {
            "edition": ["2017-02", "2017-02"],
            "ministry_name": ["M", "M"],
            "project_name": ["A", "C"],
            "project_id": ["x", "x"],
            "match_note": ["identique", "identique"],
        }
    )
    assert validate_project_crosswalk(crosswalk, published) == [
        "crosswalk_projects.csv : édition 2017-02, le projet « B » (« M ») n'a pas de ligne.",
        "crosswalk_projects.csv : édition 2017-02, le projet « C » (« M ») n'existe pas dans cette édition.",
        "crosswalk_projects.csv : édition 2017-02, project_id « x » est donné à plusieurs projets de la même édition.",
    ]
    ministries = pl.DataFrame({"ministry_name": ["M"], "ministry_id": ["Bad Id"], "ministry_label": ["M"]})
    assert validate_ministry_crosswalk(ministries, pl.Series(["M", "N"])) == [
        "crosswalk_ministries.csv : le ministère publié « N » n'a pas de ligne.",
        "crosswalk_ministries.csv : ministry_id « Bad Id » de « M » n'est pas un identifiant ASCII "
        "en minuscules séparé par des tirets.",
    ]


# --- reviewed crosswalks against the real editions -------------------------------------------------------


@pytest.fixture(scope="module")
def published() -> pl.DataFrame:
    frames = []
    for edition in EDITIONS:
        path = DATA / "editions" / f"panorama_{edition}.csv"
        frames.append(
            pl.read_csv(path, infer_schema=False).select(
                pl.lit(edition).alias("edition"),
                pl.col("Ministère porteur").alias("ministry_name"),
                pl.col("Projet").alias("project_name"),
            )
        )
    return pl.concat(frames)


@pytest.fixture(scope="module")
def identified(published: pl.DataFrame) -> pl.DataFrame:
    projects = read_project_crosswalk(DATA / "crosswalk_projects.csv")
    ministries = read_ministry_crosswalk(DATA / "crosswalk_ministries.csv")
    return attach_identity(published.lazy(), projects.lazy(), ministries.lazy()).collect()


def test_every_published_row_maps_to_one_project_and_one_ministry(
    published: pl.DataFrame, identified: pl.DataFrame
) -> None:
    assert published.height == 558
    assert identified.height == 558
    assert identified.filter(pl.col("project_id").is_null() | pl.col("ministry_id").is_null()).height == 0
    projects = read_project_crosswalk(DATA / "crosswalk_projects.csv")
    assert validate_project_crosswalk(projects, published) == []
    assert identified.select("edition", "project_id").is_duplicated().sum() == 0


def test_every_ministry_name_maps(published: pl.DataFrame) -> None:
    ministries = read_ministry_crosswalk(DATA / "crosswalk_ministries.csv")
    assert validate_ministry_crosswalk(ministries, published["ministry_name"]) == []
    assert ministries.height == 34
    assert ministries["ministry_id"].n_unique() == 13


def _trajectory(identified: pl.DataFrame, project_id: str) -> list[str]:
    return identified.filter(pl.col("project_id") == project_id)["edition"].sort().to_list()


# Verified by hand against the raw files (names, start month, cost, description); see CROSSWALK_REVIEW.md.
HAND_VERIFIED = {
    # 2016-11 "FRANCE CONNECT" (start 07/2013, 7 M€) is not its "PHASE II" (start 01/2017, 23.9 M€).
    "franceconnect": ["2016-11"],
    "franceconnect-phase-2": [
        "2017-02",
        "2017-06",
        "2017-11",
        "2018-03",
        "2018-07",
        "2018-11",
        "2019-03",
        "2021-07",
    ],
    # PIB/MISTRAL -> MISTR@L -> Mistral -> MISTRAL, start 06/2014 throughout, 2016-11 through 2019-03.
    "mistral": ["2016-11", "2017-02", "2017-06", "2017-11", "2018-03", "2018-07", "2018-11", "2019-03"],
    # 3PA-S -> 3-PAS-S_DAE -> APPACH: same four purchasing functions, start 01/2016; not "PAS" (income tax).
    "appach": ["2017-06", "2017-11", "2018-03", "2018-07", "2018-11", "2019-03"],
    "pas": ["2017-02", "2017-06", "2017-11", "2018-03", "2018-07", "2018-11", "2019-03"],
    # "REHUCIT" in 2017-11 only, same description and start 10/2016 as "Montée de version (du) SIRH".
    "montee-version-sirh": [
        "2016-11",
        "2017-02",
        "2017-06",
        "2017-11",
        "2018-03",
        "2018-07",
        "2018-11",
        "2019-03",
    ],
    # "NEXSIS" in 2018-11 and "NexSIS Version 1" in 2021-11: start 02/2016, 52.7 M€ until 2021-07.
    "nexsis": ["2018-11", "2019-03", "2021-07", "2021-11"],
    # GENESIS (deployment since 2007) and GENESIS V2 (scoping, no figures) are two projects.
    "genesis": ["2016-11", "2017-02"],
    "genesis-v2": ["2017-06", "2017-11"],
    # OSHIMAE, carried by the combined "Transition écologique et solidaire / Agriculture" row in 2018-07.
    "oshimae": ["2018-03", "2018-07", "2018-11", "2019-03", "2021-07"],
    # Three RenoiRH projects: Bercy's offer, social ministries' roll-out (3 names), Agriculture's switch.
    "renoirh": ["2016-11", "2017-02", "2017-06", "2017-11", "2018-03", "2018-07", "2018-11", "2019-03"],
    "renoirh-affaires-sociales": [
        "2016-11",
        "2017-02",
        "2017-06",
        "2017-11",
        "2018-03",
        "2018-07",
        "2018-11",
    ],
    "bascule-sirh-renoirh": ["2018-11", "2019-03"],
    "si-samu": list(EDITIONS),
    "pnij": ["2016-11", "2017-02", "2017-06", "2017-11", "2018-03"],
    "pnij-ng": ["2021-07", "2021-11"],
}


@pytest.mark.parametrize("project_id", sorted(HAND_VERIFIED))
def test_hand_verified_trajectories(identified: pl.DataFrame, project_id: str) -> None:
    assert _trajectory(identified, project_id) == HAND_VERIFIED[project_id]


def test_combined_ministry_row_goes_to_the_first_named_ministry(identified: pl.DataFrame) -> None:
    oshimae = identified.filter(pl.col("project_id") == "oshimae").sort("edition")
    assert oshimae.select("edition", "ministry_id").rows() == [
        ("2018-03", "agriculture"),
        ("2018-07", "transition-ecologique"),
        ("2018-11", "transition-ecologique"),
        ("2019-03", "agriculture"),
        ("2021-07", "agriculture"),
    ]


def test_reshuffled_ministries_share_an_id(identified: pl.DataFrame) -> None:
    dsn = identified.filter(pl.col("project_id") == "dsn-fpe").sort("edition")
    assert dsn.select("ministry_id").to_series().to_list() == ["economie-finances"] * 7 + [
        "transformation-fonction-publiques"
    ]
    sirhius = identified.filter(pl.col("project_id") == "sirhius").sort("edition")
    assert sirhius["ministry_label"].unique().to_list() == ["Économie et Finances"]
    assert sirhius["ministry_name"].n_unique() == 4


def test_distinct_projects_count(identified: pl.DataFrame) -> None:
    assert identified["project_id"].n_unique() == 108


# --- script end to end --------------------------------------------------------------------------------------


def _write_edition(directory: Path, edition: str, rows: list[tuple[str, str, str, str]]) -> None:
    pl.DataFrame(
        {
            "Projet": [r[0] for r in rows],
            "Ministère porteur": [r[1] for r in rows],
            "Description et objectifs": [r[3] for r in rows],
            "Début": [r[2] for r in rows],
            "Coût estimé": ["1" for _ in rows],
        }
    ).write_csv(directory / f"panorama_{edition}.csv")


def test_script_keeps_reviewed_rows_and_proposes_renames(tmp_path: Path) -> None:
    editions, crosswalks = tmp_path / "editions", tmp_path / "crosswalks"
    editions.mkdir()
    crosswalks.mkdir()
    bercy, pm, acp = (
        "Ministère de l'Économie et des Finances",
        "Premier ministre",
        ("Ministère de l'Action et des Comptes Publics"),
    )
    sirh = "Système d'information des ressources humaines unique des directions de Bercy"
    _write_edition(
        editions,
        "2016-11",
        [("SIRHIUS V1", bercy, "janvier 2007", sirh), ("FRANCE CONNECT", pm, "juillet 2013", "Identité")],
    )
    _write_edition(
        editions,
        "2017-02",
        [
            ("SIRHIUS", acp, "janvier 2007", sirh),
            ("FRANCE CONNECT", pm, "juillet 2013", "Identité"),
            ("ADAMANT", "Ministère de la Culture", "avril 2015", "Archives nationales"),
        ],
    )
    ministries = "ministry_name,ministry_id,ministry_label\n"
    ministries += f"{bercy},economie-finances,Économie et Finances\n"
    ministries += f"{pm},premier-ministre,Services du Premier ministre\n"
    (crosswalks / "crosswalk_ministries.csv").write_text(ministries, encoding="utf-8")
    reviewed = (
        "edition,ministry_name,project_name,project_id,match_note\n"
        f"2016-11,{bercy},SIRHIUS V1,sirhius,première apparition\n"
        f"2016-11,{pm},FRANCE CONNECT,franceconnect,première apparition\n"
    )
    (crosswalks / "crosswalk_projects.csv").write_text(reviewed, encoding="utf-8")
    output, ministry_output = tmp_path / "candidates.csv", tmp_path / "ministry_candidates.csv"
    subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--editions-dir",
            str(editions),
            "--crosswalk-dir",
            str(crosswalks),
            "--output",
            str(output),
            "--ministry-output",
            str(ministry_output),
        ],
        check=True,
        capture_output=True,
    )
    candidates = pl.read_csv(output, infer_schema=False).sort("project_name")
    assert candidates.select(
        "edition", "project_name", "project_id", "match_note", "candidate_project_name", "confidence"
    ).rows() == [
        ("2017-02", "ADAMANT", "adamant", "nouveau projet", None, None),
        # same text 1.0 * 0.5 + same ministry 0.15 + same start 0.15 + same description 0.2
        ("2017-02", "FRANCE CONNECT", "franceconnect", "identique", "FRANCE CONNECT", "1.0"),
        # noise-free name 0.9 * 0.5 + other (unknown) ministry 0 + same start 0.15 + same description 0.2
        (
            "2017-02",
            "SIRHIUS",
            "sirhius",
            "proposé : renommé « SIRHIUS V1 » → « SIRHIUS »",
            "SIRHIUS V1",
            "0.8",
        ),
    ]
    assert (crosswalks / "crosswalk_projects.csv").read_text(encoding="utf-8") == reviewed
    assert pl.read_csv(ministry_output).rows() == [
        (acp, "ministere-de-l-action-et-des-comptes-publics", acp, 0.0, None),
        ("Ministère de la Culture", "ministere-de-la-culture", "Ministère de la Culture", 0.0, None),
    ]
