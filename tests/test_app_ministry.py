"""The ministry sheet opened from ministry names, the « en glissement » filter and the project's drift ledger,
checked against the published rows and the ledger's own rule."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.formatting import escape_markdown as md
from analytics.formatting import format_meur, format_month, format_number, format_pct
from analytics.panorama.ledger import is_slipping, with_ledger
from analytics.params.pages import PageId
from tests.app_helpers import (
    dataframe_with,
    follow_link,
    key,
    link_labels,
    metrics,
    open_app,
    open_panel,
    query,
    texts,
)
from tests.panorama_frames import real_panorama_with_drift

NOVEMBER = date(2021, 11, 1)


def _in_november(**filters: object) -> pl.DataFrame:
    projects = real_panorama_with_drift().filter(pl.col("edition") == NOVEMBER)
    for column, value in filters.items():
        projects = projects.filter(pl.col(column) == value)
    return projects


def test_ministry_sheet_opens_from_the_project_sheet_link() -> None:
    at = open_app("projects", {"projet": "astrea"})
    assert "Fiche ministère : Justice" in link_labels(at)
    sheet = follow_link(at, "Fiche ministère : Justice")
    assert not sheet.exception, [e.value for e in sheet.exception]
    assert query(sheet) == {"ministere": "justice"}
    assert [t.value for t in sheet.title] == ["Fiche ministère : Justice"]
    justice, state = _in_november(ministry_id="justice"), _in_november()
    shown = metrics(sheet)
    assert shown["Projets"] == format_number(justice.height, 0)
    assert shown["Part du coût de l'État"] == format_pct(justice["cost_meur"].sum() / state["cost_meur"].sum())
    projects = dataframe_with(sheet, "Projet", "En glissement")
    assert set(projects["Projet"]) == set(justice["project_name"])
    editions = dataframe_with(sheet, "Édition", "Part du coût de l'État (%)")
    assert len(editions) == real_panorama_with_drift()["edition"].n_unique()


def test_overview_ministry_breakdown_links_to_each_sheet() -> None:
    at = open_app("overview")
    assert "Intérieur" not in link_labels(at), "folded: the links are drawn once the panel is opened"
    labels = link_labels(open_panel(at, "ministry_links_overview"))
    assert {md(label) for label in _in_november()["ministry_label"]} <= set(labels)
    sheet = follow_link(at, "Intérieur")
    assert [t.value for t in sheet.title] == ["Fiche ministère : Intérieur"]


def test_without_a_single_ministry_the_sheet_offers_a_choice() -> None:
    at = open_app("ministry")
    assert "aucun ministère n'est sélectionné" in texts(at)
    at.selectbox(key="ministry_choice").set_value("armees").run()
    assert [t.value for t in at.title] == ["Fiche ministère : Armées"]
    assert query(at) == {"ministere": "armees"}
    assert at.multiselect(key=key("ministries")).value == ["armees"]


@pytest.mark.parametrize("filters", [{}, {"ministere": "interieur"}])
def test_slippage_filter_keeps_the_projects_the_rule_flags(filters) -> None:
    at = open_app("projects", {"glissement": "1", **filters})
    assert not at.exception
    assert at.toggle(key=key("slipping_only", PageId.PROJECTS)).value is True
    flagged = with_ledger(real_panorama_with_drift().lazy()).filter(pl.col("edition") == NOVEMBER, is_slipping())
    if filters:
        flagged = flagged.filter(pl.col("ministry_id") == "interieur")
    expected = set(flagged.collect()["project_name"])
    assert 0 < len(expected) < _in_november().height
    table = at.dataframe(key="projects_table").value
    assert set(table["Projet"]) == expected
    assert (table["En glissement"] == "oui").all()
    at.toggle(key=key("slipping_only", PageId.PROJECTS)).set_value(False).run()
    assert "glissement" not in query(at)
    assert len(at.dataframe(key="projects_table").value) > len(expected)


def test_project_sheet_shows_the_ledger_and_the_signal() -> None:
    at = open_app("projects", {"projet": "astrea"})
    history = real_panorama_with_drift().filter(pl.col("project_id") == "astrea").sort("edition")
    ledger = dataframe_with(at, "Édition", "Variation du coût (M€)", "Coût comparé à")
    assert len(ledger) == history.height
    costs = history["cost_meur"].drop_nulls()
    # each increment is shown to 0,1 M€: their sum is the total within the rounding of each
    assert ledger["Variation du coût (M€)"].sum() == pytest.approx(costs[-1] - costs[0], abs=0.05 * len(ledger))
    assert any("En glissement en novembre 2021" in w.value for w in at.warning)
    assert "En glissement : projet dont le coût" in texts(at), "the rule is shown"
    first = history.drop_nulls("cost_meur").row(0, named=True)
    expected = f"Premier coût publié : {format_meur(first['cost_meur'])} ({format_month(first['edition'])})"
    assert any(t.value.startswith(expected) for t in at.text)
