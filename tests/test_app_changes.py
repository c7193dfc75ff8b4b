"""« Évolutions » in the app: the two editions from the filters or from `de` / `a`, the projects that moved, the
sentences, and a decomposition that adds up, checked against independent computations on the shipped data."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.formatting import format_points
from analytics.panorama.composition import decompose_drift_change
from analytics.panorama.loading import load_headlines
from analytics.panorama.portfolio import summarise_portfolio
from analytics.params.pages import PageId
from tests.app_helpers import dataframe_with, key, metrics, open_app, query, texts
from tests.panorama_frames import PANORAMA_DATA_DIR, real_panorama_with_drift

JULY, NOVEMBER = date(2021, 7, 1), date(2021, 11, 1)
ENTRANTS = {"PPN", "SIV", "INTELLIGENCE EMPLOI", "GEOPLATEFORME", "FRANCE SESAME"}
LEAVERS = {"OSHIMAE", "FRANCE CONNECT PHASE II", "ADAMANT", "SCRIBE"}
PARTS = ("Effet des entrants (pt)", "Effet des sortants (pt)", "À périmètre constant (pt)")


@pytest.fixture(scope="module")
def july_to_november():
    """Both editions named by the page's own parameters while the shared edition is elsewhere (2018-03)."""
    at = open_app("changes", {"edition": "2018-03", "de": "2021-07", "a": "2021-11"})
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_entrants_and_leavers_of_july_to_november_2021(july_to_november) -> None:
    at = july_to_november
    entrants = dataframe_with(at, "Projet", "Première publication")
    leavers = dataframe_with(at, "Projet", "Dernier coût publié (M€)")
    assert set(entrants["Projet"]) == ENTRANTS
    assert set(leavers["Projet"]) == LEAVERS
    shown = metrics(at)
    assert (shown["Entrants"], shown["Sortants"]) == ("5", "4")
    assert "De juillet 2021 à novembre 2021 (4 mois)" in texts(at)
    assert query(at)["de"] == "2021-07" and query(at)["a"] == "2021-11"


def test_continuing_projects_are_sorted_by_euro_impact(july_to_november) -> None:
    continuing = dataframe_with(july_to_november, "Projet", "Variation du coût (M€)", "Coût de départ (M€)")
    changes = continuing["Variation du coût (M€)"].dropna().abs().tolist()
    assert changes == sorted(changes, reverse=True)
    # PC STORM published 68,52 then 17,1 M€ (raw files of both editions): the largest move among continuing projects.
    assert continuing["Projet"].iloc[0] == "PC STORM"


def test_sentences_are_plain_text_to_copy(july_to_november) -> None:
    sentences = july_to_november.code[0].value.splitlines()
    assert len(sentences) == 10
    assert (
        sentences[0]
        == "PPN (Justice) entre au panorama en novembre 2021 : 121,7\u00a0M€, phase « Conception / Réalisation »"
    )
    assert any(line.startswith("OSHIMAE (Agriculture et Alimentation) quitte le panorama") for line in sentences)


def test_decomposition_adds_up_to_the_change_of_the_averages(july_to_november) -> None:
    """The page shows the analytics' split rounded as shown (0,1 point); the exact parts add up to the total."""
    table = dataframe_with(july_to_november, "Variation totale (pt)", "Effet de composition (pt)")
    projects = real_panorama_with_drift()
    before = summarise_portfolio(projects.filter(pl.col("edition") == JULY), 0.2)
    after = summarise_portfolio(projects.filter(pl.col("edition") == NOVEMBER), 0.2)
    budget = table[table["Dérive"] == "Dérive budgétaire"].set_index("Moyenne")
    assert budget.loc["Moyenne", "Moyenne juillet 2021"] == round(before.budget_drift.mean * 100, 1)
    assert budget.loc["Moyenne", "Moyenne novembre 2021"] == round(after.budget_drift.mean * 100, 1)
    assert budget.loc["Moyenne pondérée par le coût", "Moyenne novembre 2021"] == round(
        after.budget_drift.cost_weighted * 100, 1
    )
    split = decompose_drift_change(projects, JULY, NOVEMBER)
    exact = split.budget_mean
    parts = exact.like_for_like + exact.entrants_effect + exact.leavers_effect
    assert exact.total_change == pytest.approx(parts, abs=1e-12)
    assert budget.loc["Moyenne", "Variation totale (pt)"] == round(exact.total_change * 100, 1)
    assert budget.loc["Moyenne", "À périmètre constant (pt)"] == round(exact.like_for_like * 100, 1)
    for _, row in table.iterrows():  # rounded parts: within the rounding of three figures
        assert sum(row[part] for part in PARTS) == pytest.approx(row["Variation totale (pt)"], abs=0.15)
    assert f"soit {format_points(exact.total_change, signed=True)}, dont" in texts(july_to_november)


def test_official_averages_beside_labelled_as_official(july_to_november) -> None:
    official = dataframe_with(july_to_november, "Chiffre officiel")
    headlines = load_headlines(PANORAMA_DATA_DIR).filter(pl.col("edition").is_in([JULY, NOVEMBER])).sort("edition")
    budget = official.iloc[0]
    assert "Officiel" in budget["Chiffre officiel"]
    expected = [round(value * 100, 1) for value in headlines["avg_budget_drift"].to_list()]
    assert [budget["Moyenne juillet 2021"], budget["Moyenne novembre 2021"]] == expected


def test_default_editions_follow_the_filters_and_the_pickers_write_the_url() -> None:
    at = open_app("changes", {"edition": "2021-11", "comparer": "2019-03"})
    start = at.selectbox(key=key("from_edition", PageId.CHANGES))
    assert start.value == date(2019, 3, 1) and at.selectbox(key=key("to_edition", PageId.CHANGES)).value == NOVEMBER
    assert "de" not in query(at)
    start.set_value(JULY).run()
    assert query(at)["de"] == "2021-07"
    assert set(dataframe_with(at, "Projet", "Première publication")["Projet"]) == ENTRANTS
    next(b for b in at.button if b.label == "Éditions des filtres").click().run()
    assert "de" not in query(at)
    assert at.selectbox(key=key("from_edition", PageId.CHANGES)).value == date(2019, 3, 1)


def test_a_ministry_filter_narrows_the_comparison_and_hides_the_official_averages() -> None:
    at = open_app("changes", {"ministere": "justice", "edition": "2021-11", "comparer": "2021-07"})
    assert set(dataframe_with(at, "Projet", "Première publication")["Projet"]) == {"PPN"}
    assert not any("Chiffre officiel" in df.value.columns for df in at.dataframe)
    assert "Moyennes officielles non affichées" in texts(at)


def test_meeting_mode_is_one_screen_of_figures_and_sentences_without_downloads() -> None:
    at = open_app("changes", {"mode": "reunion", "edition": "2021-11", "comparer": "2021-07"})
    assert not at.exception
    assert [d.key for d in at.get("download_button")] == ["briefing_page", "briefing_all"], "the sidebar's only"
    assert key("from_edition", PageId.CHANGES) not in [box.key for box in at.selectbox], "the caption names them"
    assert not at.main.dataframe and not at.main.code, "no table, no raw text block on a projector"
    assert [m.label for m in at.metric][:2] == ["Entrants", "Sortants"]
    sentences = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert len(sentences.splitlines()) == 5
    assert any(
        m.value.replace("\xa0", " ").startswith(
            "Dérive budgétaire, moyenne : 20,1 % en juillet 2021, 25,1 % en novembre 2021, soit +5,0 pt, dont +3,0 pt "
            "à périmètre constant"
        )
        for m in at.main.markdown
    ), "the decomposition in one sentence"


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"de": "2021-11", "a": "2021-11"}, "Les deux éditions sont identiques (novembre 2021)"),
        ({"edition": "2016-11"}, "Choisissez une édition de départ"),
    ],
)
def test_unusable_pairs_are_explained_in_french(params, said) -> None:
    at = open_app("changes", params)
    assert not at.exception
    assert said in texts(at)
