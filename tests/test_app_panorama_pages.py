"""Overview, projects, drift and data pages: what they show equals what the analytics compute."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.formatting import format_meur, format_number, format_pct
from analytics.panorama.drift import with_drift
from analytics.panorama.loading import load_panorama
from analytics.panorama.movements import compute_movements, exit_watch
from analytics.panorama.portfolio import summarise_portfolio
from analytics.selection import Selection, apply_selection
from tests.app_helpers import key, metrics, open_app, query, texts
from tests.import_steps import check_file, click

DATA = Path(__file__).resolve().parents[1] / "data" / "panorama"


@pytest.fixture(scope="module")
def projects() -> pl.DataFrame:
    return with_drift(load_panorama(DATA).lazy()).collect()


def _summary(projects: pl.DataFrame, edition: date, **filters):
    selected = apply_selection(projects.lazy(), Selection(**filters)).collect()
    return summarise_portfolio(selected.filter(pl.col("edition") == edition), 0.20)


def test_first_edition_link_shows_its_published_table(projects):
    at = open_app("overview", {"edition": "2016-11"})
    assert not at.exception
    shown = metrics(at)
    assert shown["Projets suivis"] == "57"
    # Sum of the 2016-11 cost column, computed by hand from the raw file: 2 292,9 M€.
    assert shown["Coût total estimé"] == "2\u202f292,9\u00a0M€"
    assert shown["Projets interministériels"] == "18"
    assert shown["Écart budgétaire moyen"] == format_pct(0.0), "first publication is its own baseline"


def test_overview_metrics_equal_the_analytics_for_a_filtered_link(projects):
    at = open_app("overview", {"edition": "2019-03", "ministere": "interieur", "comparer": "2018-03"})
    expected = _summary(projects, date(2019, 3, 1), ministries=("interieur",))
    before = _summary(projects, date(2018, 3, 1), ministries=("interieur",))
    shown = metrics(at)
    assert shown["Projets suivis"] == format_number(expected.project_count, 0)
    assert shown["Coût total estimé"] == format_meur(expected.total_cost_meur)
    assert shown["Écart budgétaire moyen"] == format_pct(expected.budget_drift.mean)
    assert shown["Écart calendaire moyen"] == format_pct(expected.schedule_drift.mean)
    deltas = {m.label: m.delta for m in at.metric}
    difference = expected.project_count - before.project_count
    assert deltas["Projets suivis"] == ("+" if difference > 0 else "") + format_number(difference, 0)


def test_overview_names_entrants_and_leavers(projects):
    at = open_app("overview", {"edition": "2021-07", "comparer": "2019-03"})
    moves = compute_movements(projects, date(2019, 3, 1), date(2021, 7, 1))
    frames = [df.value for df in at.dataframe]
    shown_names = {name for frame in frames if "Projet" in frame.columns for name in frame["Projet"]}
    assert set(moves.entrants["project_name"]) <= shown_names
    assert set(moves.leavers["project_name"]) <= shown_names
    assert f"{moves.entrants.height} entrant(s)" in texts(at)


def test_search_filters_the_projects_table():
    at = open_app("projects", {"q": "franceconnect", "edition": "2018-07"})
    table = at.dataframe(key="projects_table").value
    assert len(table) >= 1
    assert all("france" in name.lower() for name in table["Projet"])


def test_project_link_opens_the_sheet_with_its_trajectory(projects):
    at = open_app("projects", {"projet": "si-samu"})
    assert not at.exception
    assert any("Fiche projet" in h.value for h in at.header)
    history = projects.filter(pl.col("project_id") == "si-samu")
    history_table = next(df.value for df in at.dataframe if "Édition" in df.value.columns)
    assert len(history_table) == history.height == 10
    assert query(at)["projet"] == "si-samu"


def test_closing_the_sheet_removes_the_project_from_the_url():
    at = open_app("projects", {"projet": "si-samu"})
    next(b for b in at.button if b.label == "Fermer la fiche").click().run()
    assert "projet" not in query(at)
    assert not any("Fiche projet" in h.value for h in at.header)


def test_drift_page_exit_watch_matches_analytics(projects):
    at = open_app("drift", {"seuil": "30"})
    exits = exit_watch(projects, 0.30, latest_edition=date(2021, 11, 1))
    assert f"{exits.height} projet(s) ont quitté le panorama" in texts(at)
    table = next(df.value for df in at.dataframe if "Dernière édition" in df.value.columns)
    assert list(table["Projet"]) == exits["project_name"].to_list()


def test_empty_selection_says_so_in_french():
    at = open_app("overview", {"q": "aucun-projet-ne-porte-ce-nom"})
    assert not at.exception
    assert metrics(at)["Projets suivis"] == "0"
    assert "Aucun projet ne correspond aux filtres" in texts(at)
    for page in ("projects", "drift"):
        other = open_app(page, {"q": "aucun-projet-ne-porte-ce-nom"})
        assert not other.exception
        assert "Aucun projet" in texts(other)


def test_data_page_lists_editions_and_imports_a_new_one(projects):
    at = open_app("data")
    inventory = next(df.value for df in at.dataframe if "Lignes (projets)" in df.value.columns)
    assert list(inventory["Lignes (projets)"]) == [57, 61, 61, 61, 61, 56, 54, 48, 49, 50]

    content = (DATA / "editions" / "panorama_2021-11.csv").read_bytes()
    check_file(at, "nouvelle.csv", content, date(2022, 7, 1))
    click(at, "Utiliser pour cette session")
    assert not at.exception
    used = "Édition 2022-07 (juillet 2022) utilisée pour cette session : 50 projet(s)"
    assert any(used in s.value for s in at.success)
    assert at.selectbox(key=key("edition")).options[0].startswith("2022-07")

    check_file(at, "vide.csv", b"")
    assert any("Import refusé" in e.value for e in at.error)
    assert at.selectbox(key=key("edition")).options[0].startswith("2022-07"), "a failed import changes nothing"
