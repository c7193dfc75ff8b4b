"""The shared selection: resolved editions, canonical and pinned forms, search terms, and filtering."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.params.pages import PageId
from analytics.params.query import read_query
from analytics.params.vocabulary import Vocabulary, zone_choices
from analytics.selection import Selection, apply_selection, search_terms
from tests.panorama_frames import make_panorama_frame

ED_2019 = date(2019, 11, 1)
ED_2020 = date(2020, 11, 1)
ED_2021 = date(2021, 11, 1)

VOCAB = Vocabulary(
    editions=(ED_2019, ED_2020, ED_2021),
    ministries={"interieur": "Intérieur", "armees": "Armées", "justice": "Justice"},
    zones=zone_choices(["Santé", "Sécurité", "Justice et état civil"]),
    projects={"franceconnect": "FranceConnect", "pnr": "PNR", "sirhius": "SIRHIUS"},
)


def parse(**params: list[str]) -> tuple[Selection, list[str]]:
    view = read_query(params, PageId.DRIFT, VOCAB)
    return view.selection, list(view.notices)


def test_resolved_editions():
    assert Selection().resolved_edition(VOCAB) == ED_2021
    assert Selection().resolved_compare(VOCAB) == ED_2020
    assert Selection(edition=ED_2019).resolved_compare(VOCAB) is None


def test_canonical_forgets_default_editions_and_pinned_makes_them_explicit():
    explicit = Selection(edition=ED_2021, compare=ED_2020)
    assert explicit.canonical(VOCAB) == Selection()
    assert Selection().pinned(VOCAB) == explicit
    assert Selection(edition=ED_2020).pinned(VOCAB) == Selection(edition=ED_2020, compare=ED_2019)
    assert Selection(edition=ED_2019).pinned(VOCAB) == Selection(edition=ED_2019)


def test_filter_count_and_unfiltered():
    assert Selection().is_unfiltered
    assert Selection(edition=ED_2019, drift_threshold=0.5, meeting_mode=True).is_unfiltered
    assert Selection(ministries=("justice",), query="x", interministerial_only=True).filter_count == 3


def test_zone_choices_slug_names_and_drop_empty():
    assert zone_choices(["Santé", "Sécurité", "Santé", "", "—"]) == {"sante": "Santé", "securite": "Sécurité"}


# --- search terms and filtering ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("", []),
        ("  Sécurité   PNR ", ["securite", "pnr"]),
        ("« État civil » x", ["etat civil", "x"]),
        ('"France  Connect" «\u00a0l’État\u00a0»', ["france connect", "l'etat"]),  # one fold for text and terms
        ('"etat civil', ["etat", "civil"]),  # unclosed quote: plain words
        ('"" a', ["a"]),
        (".* (", [".*", "("]),
    ],
)
def test_search_terms(query: str, terms: list[str]):
    assert search_terms(query) == terms


PROJECTS = make_panorama_frame(
    [
        {
            "edition": ED_2021,
            "project_id": "franceconnect",
            "project_name": "FranceConnect",
            "ministry_id": "interieur",
            "ministry_label": "Intérieur",
            "description": "Identité numérique de l’État pour le service civil",
            "phase": "Déploiement",
            "cost_meur": 50.0,
            "functional_zone": "Sécurité",
            "interministerial": True,
        },
        {
            "edition": ED_2021,
            "project_id": "pnr",
            "project_name": "PNR",
            "ministry_id": "armees",
            "ministry_label": "Armées",
            "description": "Passenger name record (.*) données",
            "phase": "Cadrage",
            "cost_meur": 5.0,
            "functional_zone": "Santé",
        },
        {
            "edition": ED_2021,
            "project_id": "sirhius",
            "project_name": "SIRHIUS",
            "ministry_id": "justice",
            "ministry_label": "Justice",
            "description": "Ressources humaines : « état civil » des agents",
            "phase": "Terminé",
            "cost_meur": 150.0,
        },
        {
            "edition": ED_2021,
            "project_id": "etat-civil",
            "project_name": "ÉTAT CIVIL dématérialisé",
            "ministry_id": "interieur",
            "ministry_label": "Intérieur",
            "description": "Registre (communes)",
            "functional_zone": "Justice et état civil",
            "interministerial": True,
        },
    ]
)


def selected(selection: Selection) -> set[str]:
    return set(apply_selection(PROJECTS.lazy(), selection).collect().get_column("project_id"))


def test_empty_selection_keeps_every_row():
    assert_frame = apply_selection(PROJECTS.lazy(), Selection()).collect()
    assert assert_frame.equals(PROJECTS)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(ministries=("interieur",)), {"franceconnect", "etat-civil"}),
        (Selection(ministries=("armees", "justice")), {"pnr", "sirhius"}),
        (Selection(phases=("Cadrage", "Terminé")), {"pnr", "sirhius"}),
        (Selection(brackets=("20–100 M€",)), {"franceconnect"}),
        (Selection(brackets=("< 9 M€", "> 100 M€")), {"pnr", "sirhius"}),
        (Selection(zones=("Santé",)), {"pnr"}),
        (Selection(zones=("Justice et état civil", "Sécurité")), {"etat-civil", "franceconnect"}),
        (Selection(interministerial_only=True), {"franceconnect", "etat-civil"}),
        (Selection(ministries=("interieur",), phases=("Déploiement",), interministerial_only=True), {"franceconnect"}),
        (Selection(ministries=("justice",), interministerial_only=True), set()),
    ],
)
def test_dimension_filters(selection: Selection, expected: set[str]):
    assert selected(selection) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("etat", {"franceconnect", "sirhius", "etat-civil"}),  # accent- and case-insensitive
        ("ÉTAT", {"franceconnect", "sirhius", "etat-civil"}),
        ("civil etat", {"franceconnect", "sirhius", "etat-civil"}),  # every word, any order
        ("etat civil agents", {"sirhius"}),
        ("« état civil »", {"sirhius", "etat-civil"}),  # exact phrase
        ('"civil etat"', set()),
        ("«\u00a0etat civil\u00a0»", {"sirhius", "etat-civil"}),
        ("l’etat", {"franceconnect"}),
        ("PnR", {"pnr"}),  # project name and id
        ("armees", {"pnr"}),  # ministry label
        ("etat-civil", {"etat-civil"}),  # project id
        (".*", {"pnr"}),  # literal, not a regular expression
        ("(", {"pnr", "etat-civil"}),
        ("[", set()),
        ("\\", set()),
        ("inexistant", set()),
    ],
)
def test_text_search(query: str, expected: set[str]):
    assert selected(Selection(query=query)) == expected


def test_text_search_reads_the_url_query():
    selection, _ = parse(q=["«\u00a0état civil\u00a0»"], ministere=["interieur"])
    assert selected(selection) == {"etat-civil"}


def test_filter_keeps_the_schema():
    assert apply_selection(PROJECTS.lazy(), Selection(query="x", zones=("Santé",))).collect_schema() == (
        PROJECTS.schema
    )


def test_null_interministerial_is_not_interministerial():
    frame = PROJECTS.with_columns(pl.lit(None, pl.Boolean).alias("interministerial"))
    assert apply_selection(frame.lazy(), Selection(interministerial_only=True)).collect().height == 0
