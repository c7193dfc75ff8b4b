"""Kept editions: overlap with what is loaded, the persistent store, the name review, the shipped files untouched."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.panorama.edition_import import (
    answered_month,
    keep_import,
    load_crosswalks_with_store,
    load_projects,
    plan_import,
    session_edition,
)
from analytics.panorama.loading import load_crosswalks, load_panorama
from analytics.panorama.overlap import find_overlaps
from analytics.panorama.store import EditionStore, StoreError
from tests.official_formats import DATA_DIR, datagouv_csv, datagouv_xlsx, shipped_table

ROOT = Path(__file__).resolve().parents[1]
MARCH_2018 = date(2018, 3, 1)


@pytest.fixture(scope="module")
def shipped() -> pl.DataFrame:
    return load_panorama(DATA_DIR)


@pytest.fixture(scope="module")
def crosswalks():
    return load_crosswalks(DATA_DIR)


def digest(folder: Path) -> str:
    """Names and bytes of every file under `folder`."""
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(folder)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def new_edition_csv(cost_growth: float = 0.0) -> bytes:
    """The 2021-07 table as a later edition with one genuinely new project: shares few figures with 2021-11.

    `cost_growth` raises every cost (0.01: +1 %), so that two such files are two editions, not one repeated."""
    table = shipped_table("2021-07")
    extra = table.head(1).with_columns(
        pl.lit("PORTAIL DES AIDES AGRICOLES").alias("Projet"),
        pl.lit("Un nouveau portail").alias("Description et objectifs"),
        pl.lit("janvier 22").alias("Début"),
    )
    cost = "Coût complet estimé"
    grown = (pl.col(cost).cast(pl.Float64) * (1 + cost_growth)).round(3).cast(pl.String)
    return pl.concat([table, extra]).with_columns(grown.alias(cost)).write_csv().encode()


# ---------------------------------------------------------------- overlap


def test_no_shipped_edition_overlaps_another(shipped: pl.DataFrame) -> None:
    for edition in shipped.get_column("edition").unique().sort():
        one = shipped.filter(pl.col("edition") == edition)
        assert find_overlaps(one, shipped.filter(pl.col("edition") != edition)) == [], edition


@pytest.mark.parametrize("to_bytes", [datagouv_xlsx, datagouv_csv], ids=["xlsx", "csv"])
def test_official_2018_file_dated_february_28_overlaps_the_shipped_march_edition(to_bytes, shipped, crosswalks) -> None:
    content = to_bytes("2018-03", "2018-02-28")
    plan = plan_import(content, "export_2018", loaded=shipped, crosswalks=crosswalks)
    assert plan.edition == date(2018, 2, 1)
    assert plan.status == "overlap"
    assert plan.proposed_replacement == MARCH_2018
    first = plan.overlaps[0]
    assert (first.reason, first.months_apart, first.shared_projects, first.same_figures) == ("close_dates", 1, 61, 1.0)
    assert first.message == (
        "L'édition importée (2018-02, 61 projets) ressemble à l'édition 2018-03 déjà chargée (61 projets) : 1 mois "
        "d'écart, 61 projets en commun, chiffres inchangés pour 100 % d'entre eux. Remplacer l'édition 2018-03 par "
        "le fichier importé ?"
    )


def test_a_republished_table_months_later_overlaps_by_its_figures(shipped, crosswalks) -> None:
    plan = plan_import(datagouv_csv("2018-03", "2018-06-20"), "x.csv", loaded=shipped, crosswalks=crosswalks)
    assert plan.proposed_replacement == MARCH_2018
    assert plan.overlaps[0].reason == "same_figures"


def test_a_genuinely_new_edition_is_ready_and_named(shipped, crosswalks) -> None:
    plan = plan_import(
        new_edition_csv(), "nouvelle.csv", loaded=shipped, crosswalks=crosswalks, edition=date(2022, 7, 1)
    )
    assert plan.status == "ready" and plan.overlaps == ()
    assert plan.edition == date(2022, 7, 1)
    assert plan.summary().startswith("Édition 2022-07 (juillet 2022) : 50 projet(s), ")


# ---------------------------------------------------------------- the store


def test_kept_edition_is_found_by_a_new_process_and_shipped_files_never_change(
    tmp_path: Path, shipped, crosswalks
) -> None:
    before = digest(DATA_DIR)
    store = EditionStore(tmp_path / "magasin")
    content = new_edition_csv()
    plan = plan_import(content, "nouvelle.csv", loaded=shipped, crosswalks=crosswalks, edition=date(2022, 7, 1))
    kept = keep_import(plan, content, store)
    assert (kept.edition, kept.rows, kept.file_name, kept.file_format) == (
        date(2022, 7, 1),
        50,
        "nouvelle.csv",
        "panorama",
    )
    assert kept.sha256 == hashlib.sha256(content).hexdigest()
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from pathlib import Path; "
            "from analytics.panorama.store import EditionStore; "
            "from analytics.panorama.edition_import import load_projects; "
            "store = EditionStore.from_settings(); "
            "projects = load_projects(Path('data/panorama'), store); "
            "print(json.dumps([[str(e.edition), e.sha256] for e in store.editions()] "
            "+ [sorted({str(d) for d in projects['edition']})]))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PANORAMA_STORE_DIR": str(tmp_path / "magasin"), "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=120,
    )
    *entries, editions = json.loads(probe.stdout)
    assert entries == [["2022-07-01", kept.sha256]]
    assert "2022-07-01" in editions and len(editions) == 11
    assert digest(DATA_DIR) == before


def test_a_bad_file_changes_nothing_in_the_store(tmp_path: Path, shipped, crosswalks) -> None:
    store = EditionStore(tmp_path)
    good = new_edition_csv()
    keep_import(
        plan_import(good, "a.csv", loaded=shipped, crosswalks=crosswalks, edition=date(2022, 7, 1)), good, store
    )
    before = digest(tmp_path)
    for content in (b"\x00\x01 binaire", b"Projet;Ministere\nA;B\n", good.replace(b"Oui", b"Peut-etre", 1)):
        plan = plan_import(content, "mauvais.csv", loaded=shipped, crosswalks=crosswalks, edition=date(2022, 11, 1))
        assert plan.status == "refused"
        with pytest.raises(StoreError, match=r"^Import refusé : 1 erreur\(s\) ; rien n'est conservé\.$"):
            keep_import(plan, content, store)
    assert digest(tmp_path) == before


def test_an_overlap_is_kept_only_once_answered(tmp_path: Path, shipped, crosswalks) -> None:
    before = digest(DATA_DIR)
    store = EditionStore(tmp_path)
    content = datagouv_csv("2018-03", "2018-02-28")
    plan = plan_import(content, "export_2018.csv", loaded=shipped, crosswalks=crosswalks)
    with pytest.raises(StoreError, match=r"Choisissez : remplacer l'édition 2018-03, ou annuler\.$"):
        keep_import(plan, content, store)
    assert store.editions() == []
    kept = keep_import(plan, content, store, replace=MARCH_2018)
    assert (kept.edition, kept.read_as, kept.file_format) == (MARCH_2018, date(2018, 2, 1), "data.gouv.fr")
    projects = load_projects(DATA_DIR, store)
    assert projects.get_column("edition").n_unique() == 10  # replaced, not an 11th edition
    march = projects.filter(pl.col("edition") == MARCH_2018)
    assert march.height == 61
    assert march.get_column("cost_meur").sum() == pytest.approx(
        shipped.filter(pl.col("edition") == MARCH_2018).get_column("cost_meur").sum()
    )
    store.remove(MARCH_2018)
    assert load_projects(DATA_DIR, store).equals(shipped)
    assert digest(DATA_DIR) == before


def test_replace_list_and_remove(tmp_path: Path, shipped, crosswalks) -> None:
    store = EditionStore(tmp_path)
    first = new_edition_csv()
    plan = plan_import(first, "a.csv", loaded=shipped, crosswalks=crosswalks, edition=date(2022, 7, 1))
    keep_import(plan, first, store)
    with pytest.raises(StoreError, match="L'édition 2022-07 est déjà conservée"):
        store.keep(plan.result.frame, file_name="a.csv", content=first)
    loaded = load_projects(DATA_DIR, store)
    second = first.replace(b"PORTAIL DES AIDES AGRICOLES", b"PORTAIL DES AIDES")
    again = plan_import(second, "b.csv", loaded=loaded, crosswalks=crosswalks, edition=date(2022, 7, 1))
    assert again.status == "overlap" and again.overlaps[0].reason == "same_month"
    keep_import(again, second, store, replace=date(2022, 7, 1))
    assert [(e.edition, e.file_name) for e in store.editions()] == [(date(2022, 7, 1), "b.csv")]
    assert len(list((tmp_path / "editions").glob("*.parquet"))) == 1  # the replaced file is gone
    assert store.remove(date(2022, 7, 1)).file_name == "b.csv"
    assert store.editions() == []
    with pytest.raises(StoreError, match=r"Aucune édition 2022-07 conservée \(éditions conservées : aucune\)"):
        store.remove(date(2022, 7, 1))


def test_two_simultaneous_imports_do_not_corrupt_the_store(tmp_path: Path) -> None:
    """Two maintainers' imports at the same time, each in its own process, each keeping three editions."""
    files = []
    for number, month in enumerate(("2022-07", "2023-03", "2023-09", "2024-02", "2024-07", "2025-01"), start=1):
        path = tmp_path / f"edition_{month}.csv"
        path.write_bytes(new_edition_csv(cost_growth=number / 100))
        files.append((path, month))
    script = (
        "import subprocess, sys\n"
        "for path, month in zip(sys.argv[1::2], sys.argv[2::2]):\n"
        "    subprocess.run([sys.executable, '-m', 'scripts.import_edition', path, '--edition', month], check=True,"
        " capture_output=True)\n"
    )
    env = {"PANORAMA_STORE_DIR": str(tmp_path / "magasin"), "PATH": "/usr/bin:/bin"}
    workers = [
        subprocess.Popen([sys.executable, "-c", script, *[str(a) for pair in half for a in pair]], cwd=ROOT, env=env)
        for half in (files[0::2], files[1::2])
    ]
    assert [worker.wait(timeout=600) for worker in workers] == [0, 0]
    store = EditionStore(tmp_path / "magasin")
    assert [f"{e.edition:%Y-%m}" for e in store.editions()] == [month for _, month in files]
    assert store.load().get_column("edition").n_unique() == 6
    leftovers = [p.name for p in (tmp_path / "magasin").rglob("*.tmp")]
    assert leftovers == []


def test_reading_a_store_never_written_creates_nothing(tmp_path: Path) -> None:
    store = EditionStore(tmp_path / "absent")
    assert store.editions() == [] and store.load().is_empty() and store.overlay().projects.is_empty()
    assert store.revision() == EditionStore(tmp_path / "autre").revision()
    assert not (tmp_path / "absent").exists()


def test_a_write_waits_for_another_process_holding_the_lock(tmp_path: Path, shipped, crosswalks) -> None:
    holder = (
        "import sys, time; from pathlib import Path; from analytics.panorama.store import EditionStore\n"
        "with EditionStore(Path(sys.argv[1]))._locked(exclusive=True):\n"
        "    print('verrou', flush=True); time.sleep(1.5); (Path(sys.argv[1]) / 'fini').write_text('1')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", holder, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "verrou"
    content = new_edition_csv()
    plan = plan_import(content, "a.csv", loaded=shipped, crosswalks=crosswalks, edition=date(2022, 7, 1))
    keep_import(plan, content, EditionStore(tmp_path))
    assert (tmp_path / "fini").exists(), "the write must wait until the other process released the lock"
    assert process.wait(timeout=60) == 0


# ---------------------------------------------------------------- name review and the store's crosswalk overlay


def test_new_names_are_proposed_and_accepted_into_the_store_overlay(tmp_path: Path, shipped, crosswalks) -> None:
    table = shipped_table("2021-11")
    renamed = table.with_columns(
        pl.when(pl.col("Projet") == "PAYSAGE").then(pl.lit("PAYSAGE 2")).otherwise(pl.col("Projet")).alias("Projet"),
        pl.when(pl.col("Projet") == "PAYSAGE")
        .then(pl.lit("Ministère de l'Économie, des Finances et de la Souveraineté"))
        .otherwise(pl.col("Ministère porteur"))
        .alias("Ministère porteur"),
    )
    content = renamed.write_csv().encode()
    plan = plan_import(content, "x.csv", loaded=shipped, crosswalks=crosswalks, edition=date(2022, 7, 1))
    assert plan.names is not None
    proposal = plan.names.projects.row(0, named=True)
    assert (plan.names.projects.height, proposal["project_name"], proposal["project_id"]) == (1, "PAYSAGE 2", "paysage")
    assert proposal["candidate_project_name"] == "PAYSAGE" and proposal["confidence"] >= 0.6
    (ministry,) = plan.names.ministries.select("ministry_name", "ministry_id").rows()
    assert ministry == ("Ministère de l'Économie, des Finances et de la Souveraineté", "economie-finances")
    store = EditionStore(tmp_path)
    keep_import(plan, content, store)
    provisional = store.load().filter(pl.col("project_name") == "PAYSAGE 2")
    assert provisional.select("project_id", "ministry_id").row(0) != ("paysage", "economie-finances")

    store.accept(plan.names.accepted())
    accepted = store.load().filter(pl.col("project_name") == "PAYSAGE 2")
    assert accepted.select("project_id", "ministry_id").row(0) == ("paysage", "economie-finances")
    merged = load_crosswalks_with_store(DATA_DIR, store)
    assert merged.projects.filter(pl.col("project_name") == "PAYSAGE 2").item(0, "match_note").startswith("import : ")
    again = plan_import(content, "x.csv", loaded=shipped, crosswalks=merged, edition=date(2022, 11, 1))
    assert again.names is not None and again.names.empty  # the next import knows the accepted names


def test_a_replacement_keeps_accepted_names_under_the_month_it_replaces(tmp_path: Path, shipped, crosswalks) -> None:
    """The name review is made on the file's month (2018-02); the edition is kept as 2018-03, where the overlay
    must match it."""
    frame = pl.read_csv(datagouv_csv("2018-03", "2018-02-28"), infer_schema=False).filter(
        pl.col("Nom du projet").is_not_null()
    )
    original = "PAYSAGE"
    renamed = frame.with_columns(
        pl.when(pl.col("Nom du projet") == original)
        .then(pl.lit(f"{original} 2"))
        .otherwise(pl.col("Nom du projet"))
        .alias("Nom du projet")
    )
    content = renamed.write_csv().encode()
    plan = plan_import(content, "export_2018.csv", loaded=shipped, crosswalks=crosswalks)
    assert plan.proposed_replacement == MARCH_2018 and plan.edition == date(2018, 2, 1)
    assert plan.names is not None
    proposed = plan.names.projects.filter(pl.col("project_name") == f"{original} 2").item(0, "project_id")
    known = shipped.filter(pl.col("edition") == MARCH_2018, pl.col("project_name") == original).item(0, "project_id")
    assert proposed == known

    used = session_edition(plan, replace=MARCH_2018, accept_names=True)
    provisional = session_edition(plan, replace=MARCH_2018)
    store = EditionStore(tmp_path)
    keep_import(plan, content, store, replace=MARCH_2018, accept_names=True)
    stored = store.load()
    assert stored.get_column("edition").unique().to_list() == [MARCH_2018]
    row = pl.col("project_name") == f"{original} 2"
    assert stored.filter(row).item(0, "project_id") == known
    assert provisional.filter(row).item(0, "project_id") != known
    assert used.sort("project_name").equals(stored.sort("project_name")), "the session sees what the store keeps"


def test_the_overlap_answer_decides_the_month(shipped, crosswalks) -> None:
    plan = plan_import(datagouv_csv("2018-03", "2018-02-28"), "x.csv", loaded=shipped, crosswalks=crosswalks)
    assert answered_month(plan, replace=MARCH_2018) == MARCH_2018
    assert answered_month(plan, keep_separate=True) == date(2018, 2, 1)
    with pytest.raises(StoreError, match="Choisissez"):
        answered_month(plan)
    with pytest.raises(StoreError, match="L'édition 2018-07 ne recoupe pas le fichier importé"):
        answered_month(plan, replace=date(2018, 7, 1))
    same_month = plan_import(
        datagouv_csv("2018-03", "2018-03-15"), "x.csv", loaded=shipped, crosswalks=crosswalks, edition=MARCH_2018
    )
    assert same_month.overlaps[0].reason == "same_month"
    with pytest.raises(StoreError, match="Choisissez"):
        answered_month(same_month, keep_separate=True)  # two editions of one month cannot be kept apart
