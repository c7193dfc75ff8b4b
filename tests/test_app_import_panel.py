"""The edition import panel (« Données et méthode »): check, report, overlap question, names, session use, keeping
for everyone, removal; a hostile file shown as text; loading errors ending in French. Each test has its own store."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.panorama.store import EditionStore
from pages.common import data
from pages.common.import_panel import CHOICE_KEY, PENDING_KEY, REPLACE, SEPARATE
from tests.app_helpers import open_app
from tests.import_steps import answer_overlap, check_file, click, labels, sidebar_editions, view_version
from tests.official_formats import datagouv_csv, shipped_table

ROOT = Path(__file__).resolve().parents[1]
JULY_2022 = date(2022, 7, 1)
MARCH_2018 = date(2018, 3, 1)
SHIPPED_NEWEST = "2021-11 (novembre 2021)"
LINK = "[clic](javascript:alert(1))"
IMAGE = "![x](http://exemple.invalid/x.png)"
TAG = "<img src=x onerror=alert(1)>"
HOSTILE_NAME = f"**{LINK}** {TAG}.csv"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EditionStore:
    """An empty store of this test's own, which the app reads through PANORAMA_STORE_DIR."""
    monkeypatch.setenv("PANORAMA_STORE_DIR", str(tmp_path / "magasin"))
    return EditionStore(tmp_path / "magasin")


def later_edition(**renamed: str) -> bytes:
    """The 2021-11 table as a later edition (chosen month), with projects renamed {old: new}."""
    table = shipped_table("2021-11")
    for old, new in renamed.items():
        table = table.with_columns(pl.col("Projet").replace(old, new))
    return table.write_csv().encode()


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if path.is_file():
            sha.update(str(path.relative_to(folder)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def markdown_bodies(at: AppTest) -> list[str]:
    """What the page renders through Markdown: markdown, captions, alerts, headers."""
    parts = [*at.markdown, *at.caption, *at.warning, *at.info, *at.error, *at.success, *at.header, *at.subheader]
    return [str(p.value) for p in parts]


def report_table(at: AppTest):
    return next(df.value for df in at.dataframe if "Message" in df.value.columns)


# ---------------------------------------------------------------- refused


def test_a_refused_hostile_file_is_reported_as_plain_text_and_changes_nothing(store: EditionStore) -> None:
    table = shipped_table("2021-11")
    cost = "Coût complet estimé"
    hostile = table.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(IMAGE)).otherwise(pl.col(cost)).alias(cost),
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit(LINK))
        .otherwise(pl.col("Durée du projet en années"))
        .alias("Durée du projet en années"),
    )
    before = digest(ROOT / "data")
    at = open_app("data")
    check_file(at, HOSTILE_NAME, hostile.write_csv().encode(), JULY_2022)
    assert not at.exception
    assert any(e.value == "Import refusé : 2 erreur(s) ; rien n'est modifié." for e in at.error)

    report = report_table(at)
    assert list(report.columns) == ["Niveau", "Fichier", "Ligne", "Colonne", "Valeur", "Message"]
    errors = report[report["Niveau"] == "Erreur"]
    assert set(errors["Valeur"]) == {IMAGE, LINK}  # verbatim cells, shown by the grid as text
    assert set(errors["Fichier"]) == {HOSTILE_NAME}
    assert sorted(errors["Ligne"]) == [2, 3] and set(errors["Colonne"]) == {cost, "Durée du projet en années"}
    assert any(HOSTILE_NAME in t.value for t in at.text), "the file name is plain text"
    rendered = "\n".join(markdown_bodies(at))
    for raw in (LINK, IMAGE, TAG, HOSTILE_NAME, "javascript:", "exemple.invalid"):
        assert raw not in rendered, f"{raw!r} went through Markdown"
    downloads = [d.proto.id for d in at.get("download_button")]
    assert any("dl_import_report_csv" in d for d in downloads) and any("dl_import_report_xlsx" in d for d in downloads)

    assert "Utiliser pour cette session" not in labels(at) and "Conserver pour tous" not in labels(at)
    assert sidebar_editions(at)[0] == SHIPPED_NEWEST
    assert store.editions() == [] and not store.root.exists()
    assert digest(ROOT / "data") == before
    click(at, "Fermer le rapport")
    assert PENDING_KEY not in at.session_state and not any("Message" in df.value.columns for df in at.dataframe)


def test_an_empty_choice_says_what_to_do() -> None:
    at = open_app("data")
    click(at, "Vérifier le fichier")
    assert any(e.value == "Choisissez d'abord un fichier CSV ou XLSX." for e in at.error)


# ---------------------------------------------------------------- overlap


def test_an_overlap_asks_and_both_answers_are_honoured(store: EditionStore) -> None:
    content = datagouv_csv("2018-03", "2018-02-28")
    at = open_app("data")
    check_file(at, "export_2018.csv", content)
    assert any(
        w.value.startswith("L'édition importée (2018-02, 61 projets) ressemble à l'édition 2018-03") for w in at.warning
    )
    assert at.radio(key=CHOICE_KEY).options == ["Remplacer l'édition 2018-03", "Garder à part"]
    assert at.radio(key=CHOICE_KEY).value is None
    actions = {b.label: b.disabled for b in at.button}
    assert actions["Utiliser pour cette session"] and actions["Conserver pour tous"], "nothing before an answer"

    answer_overlap(at, SEPARATE)
    click(at, "Utiliser pour cette session")
    assert any(
        s.value.startswith("Édition 2018-02 (février 2018) utilisée pour cette session : 61 projet(s).")
        for s in at.success
    )
    editions = sidebar_editions(at)
    assert len(editions) == 11 and "2018-02 (février 2018)" in editions and "2018-03 (mars 2018)" in editions
    assert view_version(at).startswith("session:")
    assert store.editions() == [], "session use writes nothing"
    other = open_app("data")
    assert len(sidebar_editions(other)) == 10, "another session does not see it"

    click(at, "Revenir aux éditions partagées")
    assert len(sidebar_editions(at)) == 10 and view_version(at).startswith("store:")

    check_file(at, "export_2018.csv", content)
    answer_overlap(at, REPLACE)
    click(at, "Conserver pour tous")
    assert any(
        s.value.startswith(
            "Édition 2018-03 (mars 2018) conservée pour tous : 61 projet(s), à la place de l'édition "
            "2018-03 chargée (le fichier porte 2018-02)."
        )
        for s in at.success
    )
    assert len(sidebar_editions(at)) == 10, "replaced, not an 11th edition"
    (kept,) = store.editions()
    assert (kept.edition, kept.read_as, kept.file_name) == (MARCH_2018, date(2018, 2, 1), "export_2018.csv")

    check_file(at, "export_2018.csv", content, MARCH_2018)
    assert at.radio(key=CHOICE_KEY).options == ["Remplacer l'édition 2018-03"], "its own month: replace or cancel"
    click(at, "Annuler")
    assert any(s.value == "Import annulé : rien n'a changé." for s in at.success)
    assert PENDING_KEY not in at.session_state and len(store.editions()) == 1


# ---------------------------------------------------------------- keeping, names, removal


def test_a_kept_edition_is_in_every_sessions_sidebar_until_removed(store: EditionStore) -> None:
    at = open_app("data")
    check_file(at, "panorama_2022-07.csv", later_edition(PAYSAGE="PAYSAGE 2"), JULY_2022)
    assert any(i.value.startswith("Édition 2022-07 (juillet 2022) : 50 projet(s), ") for i in at.info)
    names = next(df.value for df in at.dataframe if "Projet publié" in df.value.columns)
    assert names[["Projet publié", "Identifiant proposé"]].values.tolist() == [["PAYSAGE 2", "paysage"]]
    click(at, "Accepter les identités proposées")
    assert "Ne pas accepter les identités" in labels(at)
    click(at, "Conserver pour tous")
    assert not at.exception
    assert any(
        s.value.startswith("Édition 2022-07 (juillet 2022) conservée pour tous : 50 projet(s).") for s in at.success
    )
    assert any("SHA-256 : " in t.value for t in at.text), "the outcome stays on the panel"
    assert sidebar_editions(at)[0] == "2022-07 (juillet 2022)"
    assert view_version(at) == f"store:{store.revision()}"

    visitor = open_app("overview")
    assert sidebar_editions(visitor)[0] == "2022-07 (juillet 2022)", "every session sees a kept edition"
    projects = visitor.session_state["_page_context"].view.projects
    assert projects.filter(pl.col("project_name") == "PAYSAGE 2").get_column("project_id").unique().to_list() == [
        "paysage"
    ], "the accepted identity links the renamed project to its history"

    listed = next(df.value for df in at.dataframe if "SHA-256" in df.value.columns)
    (entry,) = store.editions()
    assert listed.values.tolist() == [
        ["2022-07", "panorama_2022-07.csv", "panorama", None, 50, f"{entry.imported_at:%d/%m/%Y %H:%M}", entry.sha256]
    ]
    click(at, "Retirer…")
    assert any(w.value.startswith("Retirer l'édition 2022-07 (juillet 2022) pour tous ?") for w in at.warning)
    assert store.editions() != [], "nothing removed before the confirmation"
    click(at, "Annuler le retrait")
    assert len(store.editions()) == 1
    click(at, "Retirer…")
    click(at, "Confirmer le retrait")
    assert any(s.value.startswith("Édition 2022-07 (juillet 2022) retirée du magasin pour tous") for s in at.success)
    assert store.editions() == [] and sidebar_editions(at)[0] == SHIPPED_NEWEST
    visitor.run()
    assert sidebar_editions(visitor)[0] == SHIPPED_NEWEST


# A new server process: AppTest in a fresh interpreter, with nothing cached but what the store holds.
RESTARTED_SIDEBAR = (
    "import json; from tests.app_helpers import open_app; from tests.import_steps import sidebar_editions; "
    "at = open_app('overview'); assert not at.exception; print(json.dumps(sidebar_editions(at)))"
)


def test_a_kept_edition_survives_a_restart_and_the_shipped_files_do_not_change(
    store: EditionStore, tmp_path: Path
) -> None:
    before = digest(ROOT / "data")
    at = open_app("data")
    check_file(at, "panorama_2022-07.csv", later_edition(), JULY_2022)
    click(at, "Conserver pour tous")
    assert sidebar_editions(at.run())[0] == "2022-07 (juillet 2022)", "a re-run keeps it"

    restarted = subprocess.run(
        [sys.executable, "-c", RESTARTED_SIDEBAR],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PANORAMA_STORE_DIR": str(store.root), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=180,
    )
    editions = json.loads(restarted.stdout.strip().splitlines()[-1])
    assert editions[0] == "2022-07 (juillet 2022)" and len(editions) == 11
    assert digest(ROOT / "data") == before, "the store lives outside the shipped data"


def test_hostile_names_of_an_accepted_file_stay_text_everywhere_on_the_page(store: EditionStore) -> None:
    at = open_app("data")
    content = later_edition(PAYSAGE=LINK, PORTALIS=IMAGE)
    check_file(at, HOSTILE_NAME, content, JULY_2022)
    names = next(df.value for df in at.dataframe if "Projet publié" in df.value.columns)
    assert {LINK, IMAGE} <= set(names["Projet publié"])
    click(at, "Utiliser pour cette session")
    assert not at.exception
    assert any(t.value == f"Fichier : {HOSTILE_NAME}" for t in at.text)
    rendered = "\n".join(markdown_bodies(at))
    for raw in (LINK, IMAGE, TAG, "javascript:", "exemple.invalid"):
        assert raw not in rendered, f"{raw!r} went through Markdown"
    assert sidebar_editions(at)[0] == "2022-07 (juillet 2022)"


# ---------------------------------------------------------------- loading errors


def test_an_unreadable_store_shows_the_shipped_editions_and_says_so(store: EditionStore) -> None:
    store.root.mkdir(parents=True)
    (store.root / "manifest.json").write_text("{ pas du json")
    at = open_app("data")
    assert not at.exception
    assert any(e.value.startswith("Les éditions conservées n'ont pas pu être lues") for e in at.error)
    assert len(sidebar_editions(at)) == 10 and view_version(at) == "shipped"
    assert any(e.value == "Le magasin des éditions conservées est illisible." for e in at.error)


def test_a_missing_shipped_file_ends_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "PANORAMA_DIR", tmp_path)  # no shipped file there
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception
    assert [e.value for e in at.error] == [data.LOAD_FAILED_FR]
    assert any("Fichier « crosswalk_projects.csv » introuvable" in t.value for t in at.text)
