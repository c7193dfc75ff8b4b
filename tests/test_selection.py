"""URL vocabulary of the selection: reading, writing, round trips, French notices, and filtering."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.selection import (
    URL_PARAMS,
    Selection,
    Vocabulary,
    apply_selection,
    parse_query,
    search_terms,
    to_query,
    zone_choices,
)
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
    return parse_query(params, VOCAB)


def only_notice(**params: list[str]) -> str:
    """The single notice a parameter produced (and the selection left at its defaults)."""
    selection, notices = parse(**params)
    assert selection == Selection()
    assert len(notices) == 1, notices
    return notices[0]


# --- parse_query: each parameter ---------------------------------------------------------------------


def test_empty_query_is_the_default_selection_without_notice():
    assert parse_query({}, VOCAB) == (Selection(), [])


def test_unknown_keys_are_left_to_pages_without_notice():
    assert parse(utm_source=["mail"], scenario=["x"]) == (Selection(), [])


@pytest.mark.parametrize(("raw", "expected"), [("2020-11", ED_2020), (" 2019-11 ", ED_2019), ("2021-11", ED_2021)])
def test_edition_and_comparer_read_known_editions(raw: str, expected: date):
    assert parse(edition=[raw], comparer=[raw]) == (Selection(edition=expected, compare=expected), [])


@pytest.mark.parametrize("raw", ["2022-11", "2021-13", "2021-00", "0000-01", "abc", "2021/11", "", "٢٠٢١-١١"])
def test_unknown_edition_is_ignored_with_notice(raw: str):
    assert only_notice(edition=[raw]) == (
        f"Édition « {raw} » inconnue (paramètre « edition ») : ignorée, édition par défaut utilisée."
    )


def test_unknown_comparison_edition_names_its_parameter():
    assert "(paramètre « comparer »)" in only_notice(comparer=["2015-11"])


def test_repeated_single_valued_key_keeps_the_first_value():
    selection, notices = parse(edition=["2019-11", "2020-11"], seuil=["30", "40"])
    assert selection == Selection(edition=ED_2019, drift_threshold=0.30)
    assert notices == [
        "Paramètre « edition » répété : seule la première valeur est prise en compte.",
        "Paramètre « seuil » répété : seule la première valeur est prise en compte.",
    ]


def test_list_parameters_accept_repeated_keys_commas_case_and_spaces_and_deduplicate():
    selection, notices = parse(ministere=["interieur", " ARMEES , interieur", ",,"], phase=["cadrage,termine"])
    assert notices == []
    assert selection.ministries == ("interieur", "armees")
    assert selection.phases == ("Cadrage", "Terminé")


def test_each_list_parameter_maps_url_slugs_to_model_values():
    selection, notices = parse(
        phase=["conception-realisation", "experimentation", "deploiement"],
        tranche=["moins-9", "9-20", "20-100", "plus-100"],
        zone=["sante", "justice-et-etat-civil"],
    )
    assert notices == []
    assert selection.phases == ("Conception / Réalisation", "Expérimentation", "Déploiement")
    assert selection.brackets == ("< 9 M€", "9–20 M€", "20–100 M€", "> 100 M€")
    assert selection.zones == ("Santé", "Justice et état civil")


def test_unknown_ministry_is_dropped_and_the_known_ones_kept():
    selection, notices = parse(ministere=["interieur,finances"])
    assert selection.ministries == ("interieur",)
    assert notices == ["Ministère inconnu(e) ignoré(e) : « finances »."]


@pytest.mark.parametrize(
    ("key", "label"),
    [("phase", "Phase"), ("tranche", "Tranche de coût"), ("zone", "Zone fonctionnelle")],
)
def test_unknown_list_value_notice_names_the_parameter(key: str, label: str):
    assert only_notice(**{key: ["inconnue"]}) == f"{label} inconnu(e) ignoré(e) : « inconnue »."


def test_many_unknown_values_show_five_and_count_the_rest():
    notice = only_notice(ministere=[",".join(f"m{i}" for i in range(7))])
    assert notice == "Ministère inconnu(e) ignoré(e) : « m0 », « m1 », « m2 », « m3 », « m4 » et 2 autre(s)."


def test_more_than_200_values_are_cut_with_a_notice():
    selection, notices = parse(ministere=["interieur"] * 10_000)
    assert selection.ministries == ("interieur",)
    assert notices == ["Paramètre « ministere » : 10000 valeurs, seules les 200 premières sont lues."]


@pytest.mark.parametrize("raw", ["1", "oui", "TRUE", " 1 "])
def test_inter_true(raw: str):
    assert parse(inter=[raw]) == (Selection(interministerial_only=True), [])


@pytest.mark.parametrize("raw", ["0", "non", "false", ""])
def test_inter_false_without_notice(raw: str):
    assert parse(inter=[raw]) == (Selection(), [])


def test_inter_not_understood():
    assert only_notice(inter=["2"]) == "Paramètre « inter » = « 2 » non compris (attendu : 1) : ignoré."


def test_query_is_stripped_and_control_characters_removed():
    selection, notices = parse(q=["  État\x00 civil\x1b  "])
    assert (selection.query, notices) == ("État civil", [])


def test_query_no_break_spaces_become_spaces():
    selection, _ = parse(q=["«\u00a0état\u202fcivil\u00a0»"])
    assert selection.query == "« état civil »"


def test_long_query_is_truncated_without_trailing_space():
    selection, notices = parse(q=["a" * 199 + " " + "b" * 100])
    assert selection.query == "a" * 199
    assert notices == ["Recherche tronquée à 200 caractères."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("35", 0.35),
        ("20,5", 0.205),
        ("12.5%", 0.125),
        ("0", 0.0),
        ("-0", 0.0),
        ("1000", 10.0),
        ("1e3", 10.0),
        ("12.3456", 0.1235),  # two decimals of percent are kept
    ],
)
def test_threshold_valid_values(raw: str, expected: float):
    selection, notices = parse(seuil=[raw])
    assert notices == []
    assert selection.drift_threshold == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("raw", ["abc", "-5", "1e9", "nan", "inf", "-inf", "", "1001", "20 pourcents"])
def test_threshold_invalid_values_fall_back_to_default(raw: str):
    assert only_notice(seuil=[raw]) == (
        f"Seuil d'alerte « {raw} » invalide (attendu : un pourcentage entre 0 et 1000) : "
        "seuil par défaut de 20\u00a0% utilisé."
    )


@pytest.mark.parametrize("raw", ["reunion", "réunion", "REUNION", " reunion "])
def test_meeting_mode(raw: str):
    assert parse(mode=[raw]) == (Selection(meeting_mode=True), [])


def test_standard_mode_is_silent_and_unknown_mode_noticed():
    assert parse(mode=["standard"]) == (Selection(), [])
    assert only_notice(mode=["turbo"]) == "Mode « turbo » inconnu (attendu : reunion) : ignoré."


def test_project_known_and_unknown():
    assert parse(projet=["pnr"]) == (Selection(project="pnr"), [])
    assert (
        only_notice(projet=["n-existe-pas"])
        == "Projet « n-existe-pas » introuvable dans les données : fiche non ouverte."
    )


def test_echoed_values_are_shortened():
    notice = only_notice(projet=["x" * 500])
    assert notice == f"Projet « {'x' * 39}… » introuvable dans les données : fiche non ouverte."


def test_echoed_values_cannot_smuggle_html_or_markdown():
    _, notices = parse(ministere=["<script>alert(1)</script>"], mode=["[x](javascript:alert(1))"], projet=["![i](u)"])
    assert notices == [
        r"Ministère inconnu(e) ignoré(e) : « \<script\>alert\(1\)\</script\> ».",
        r"Mode « \[x\]\(javascript\:alert\(1\)\) » inconnu (attendu : reunion) : ignoré.",
        r"Projet « \!\[i\]\(u\) » introuvable dans les données : fiche non ouverte.",
    ]


# --- to_query and round trips ------------------------------------------------------------------------


def test_url_vocabulary_is_the_documented_one():
    assert set(URL_PARAMS) == {
        "edition",
        "comparer",
        "ministere",
        "phase",
        "tranche",
        "zone",
        "inter",
        "q",
        "seuil",
        "mode",
        "projet",
    }
    assert all(description for description in URL_PARAMS.values())


def test_defaults_are_left_out_of_the_url():
    assert to_query(Selection(), VOCAB) == {}
    assert to_query(Selection(edition=ED_2021, compare=ED_2020, drift_threshold=0.2), VOCAB) == {}


FULL = Selection(
    edition=ED_2020,
    compare=ED_2021,
    ministries=("justice", "interieur"),
    phases=("Conception / Réalisation",),
    brackets=("> 100 M€", "< 9 M€"),
    zones=("Justice et état civil",),
    interministerial_only=True,
    query="« état civil » numérique",
    drift_threshold=0.355,
    meeting_mode=True,
    project="sirhius",
)


def test_full_selection_url():
    query = to_query(FULL, VOCAB)
    assert query == {
        "edition": ["2020-11"],
        "comparer": ["2021-11"],
        "ministere": ["justice", "interieur"],
        "phase": ["conception-realisation"],
        "tranche": ["plus-100", "moins-9"],
        "zone": ["justice-et-etat-civil"],
        "inter": ["1"],
        "q": ["« état civil » numérique"],
        "seuil": ["35.5"],
        "mode": ["reunion"],
        "projet": ["sirhius"],
    }
    assert set(query) <= set(URL_PARAMS)


@pytest.mark.parametrize(
    "selection",
    [
        Selection(),
        FULL,
        Selection(edition=ED_2019),
        Selection(compare=ED_2019),
        Selection(drift_threshold=0.0),
        Selection(drift_threshold=10.0),
        Selection(drift_threshold=0.125),
        Selection(phases=("Terminé", "Cadrage"), zones=("Sécurité", "Santé")),
        Selection(query='"PNR" armees'),
    ],
)
def test_round_trip_gives_the_same_selection(selection: Selection):
    assert parse_query(to_query(selection, VOCAB), VOCAB) == (selection, [])


def test_default_editions_come_back_as_defaults():
    explicit = Selection(edition=ED_2021, compare=ED_2020)
    assert parse_query(to_query(explicit, VOCAB), VOCAB) == (Selection(), [])


def test_threshold_with_many_decimals_is_stable_after_one_trip():
    once, _ = parse_query(to_query(Selection(drift_threshold=0.123456789), VOCAB), VOCAB)
    assert once.drift_threshold == pytest.approx(0.1235, abs=1e-12)
    assert parse_query(to_query(once, VOCAB), VOCAB) == (once, [])


def test_permalink_pins_the_editions_and_survives_a_new_edition():
    selection = Selection(edition=ED_2021, compare=ED_2020, ministries=("armees",))
    link = to_query(selection, VOCAB, explicit_edition=True)
    assert link == {"edition": ["2021-11"], "comparer": ["2020-11"], "ministere": ["armees"]}
    grown = VOCAB.model_copy(update={"editions": (*VOCAB.editions, date(2022, 11, 1))})
    reopened, notices = parse_query(link, grown)
    assert notices == []
    assert reopened.resolved_edition(grown) == ED_2021
    assert reopened.resolved_compare(grown) == ED_2020


def test_permalink_of_default_selection_pins_only_the_edition():
    assert to_query(Selection(), VOCAB, explicit_edition=True) == {"edition": ["2021-11"]}


def test_resolved_editions():
    assert Selection().resolved_edition(VOCAB) == ED_2021
    assert Selection().resolved_compare(VOCAB) == ED_2020
    assert Selection(edition=ED_2019).resolved_compare(VOCAB) is None


# --- search terms and filtering ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("", []),
        ("  Sécurité   PNR ", ["securite", "pnr"]),
        ("« État civil » x", ["etat civil", "x"]),
        ('"France  Connect" «\u00a0l’État\u00a0»', ["france  connect", "l’etat"]),
        ('"etat civil', ["etat", "civil"]),  # unclosed quote: plain words
        ('"" a', ["a"]),
        (".* (", [".*", "("]),
    ],
)
def test_search_terms(query: str, terms: list[str]):
    assert search_terms(query) == terms


def test_zone_choices_slug_names_and_drop_empty():
    assert zone_choices(["Santé", "Sécurité", "Santé", "", "—"]) == {"sante": "Santé", "securite": "Sécurité"}


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


def test_active_filters_count_only_what_narrows_the_projects() -> None:
    assert Selection(edition=ED_2019, drift_threshold=0.5, meeting_mode=True, project="pnr").is_unfiltered
    selection = Selection(ministries=("interieur",), interministerial_only=True, query="etat")
    assert selection.active_filter_count == 3
    assert not selection.is_unfiltered
