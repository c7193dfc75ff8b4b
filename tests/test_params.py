"""The one parameter table: each key read and written, French notices for what is ignored, round trips, docs."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from analytics.params.levels import format_levels, parse_levels
from analytics.params.pages import PAGES, PARAMS_MODEL, PageId, SimulationsParams
from analytics.params.query import documentation_rows, read_query, write_query
from analytics.params.table import PARAMS, specs_for
from analytics.params.vocabulary import Vocabulary, zone_choices
from analytics.selection import Selection

ED_2019 = date(2019, 11, 1)
ED_2020 = date(2020, 11, 1)
ED_2021 = date(2021, 11, 1)
VOCAB = Vocabulary(
    editions=(ED_2019, ED_2020, ED_2021),
    ministries={"interieur": "Intérieur", "armees": "Armées", "justice": "Justice"},
    zones=zone_choices(["Santé", "Sécurité", "Justice et état civil"]),
    projects={"franceconnect": "FranceConnect", "pnr": "PNR", "sirhius": "SIRHIUS"},
    frameworks={"agile-2021": "Accord 2021", "agile-2026": "Accord 2026"},
    simulable_frameworks=("agile-2026",),
)
README = Path(__file__).resolve().parents[1] / "README.md"


def shared(**params: list[str]) -> tuple[Selection, list[str]]:
    """The shared filters a URL gives on a page without parameters of its own."""
    view = read_query(params, PageId.DRIFT, VOCAB)
    return view.selection, list(view.notices)


def only_notice(page: PageId = PageId.DRIFT, **params: list[str]) -> str:
    """The single notice a parameter produced, the view left at its defaults."""
    view = read_query(params, page, VOCAB)
    assert view.selection == Selection()
    assert view.params == PARAMS_MODEL[page]()
    assert len(view.notices) == 1, view.notices
    return view.notices[0]


# --- the table ----------------------------------------------------------------------------------------------


def test_every_row_names_a_field_of_its_model_and_each_page_key_once():
    for spec in PARAMS:
        assert spec.field in spec.model.model_fields, spec
        assert spec.values_fr and spec.default_fr
    for page in PageId:
        keys = [spec.key for spec in specs_for(page)]
        assert len(keys) == len(set(keys)), page


def test_every_page_model_field_is_in_the_url():
    for page, model in PARAMS_MODEL.items():
        assert set(model.model_fields) == {s.field for s in PARAMS if s.page == page}, page
    assert set(Selection.model_fields) == {s.field for s in PARAMS if s.page is None}


def _readme_rows() -> set[tuple[str, ...]]:
    rows = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        shared_row = len(cells) == 3 and cells[0].startswith("`")
        page_row = len(cells) == 4 and cells[1].startswith("`")
        if line.startswith("|") and (shared_row or page_row):
            rows.add(tuple(cells))
    return rows


def test_readme_documents_the_table_exactly():
    """The README's two tables are the table's documentation rows, nothing more, nothing less."""
    expected = {(f"`{key}`", values, default) for key, values, default in documentation_rows(None)}
    titles = {p.id: p.title for p in PAGES}
    expected |= {(titles[spec.page], f"`{spec.key}`", spec.values_fr, spec.default_fr) for spec in PARAMS if spec.page}
    assert _readme_rows() == expected


# --- shared filters -----------------------------------------------------------------------------------------


def test_empty_query_is_the_default_view_without_notice():
    assert read_query({}, PageId.SIMULATIONS, VOCAB) == read_query({}, PageId.SIMULATIONS, VOCAB)
    view = read_query({}, PageId.SIMULATIONS, VOCAB)
    assert (view.selection, view.params, view.notices) == (Selection(), SimulationsParams(), ())


@pytest.mark.parametrize(
    ("raw", "expected"), [("2020-11", ED_2020), (" 2019-11 ", ED_2019), ("2021-11", ED_2021), ("2021-11\x00", ED_2021)]
)
def test_edition_and_comparer_read_known_editions(raw: str, expected: date):
    assert shared(edition=[raw], comparer=[raw]) == (Selection(edition=expected, compare=expected), [])


@pytest.mark.parametrize("raw", ["2022-11", "2021-13", "2021-00", "0000-01", "abc", "2021/11", "٢٠٢١-١١"])
def test_unknown_edition_is_ignored_with_notice(raw: str):
    assert only_notice(edition=[raw]) == (
        f"Édition « {raw} » inconnue (paramètre « edition ») : ignorée, édition par défaut utilisée."
    )


def test_repeated_single_valued_key_keeps_the_first_value():
    selection, notices = shared(edition=["2019-11", "2020-11"], seuil=["30", "40"], inter=["1", "1"])
    assert selection == Selection(edition=ED_2019, drift_threshold=0.30, interministerial_only=True)
    assert notices == [
        "Paramètre « edition » répété : seule la première valeur « 2019-11 » est prise en compte.",
        "Paramètre « seuil » répété : seule la première valeur « 30 » est prise en compte.",
    ]


def test_list_parameters_accept_repeated_keys_commas_case_and_spaces_and_deduplicate():
    selection, notices = shared(ministere=["interieur", " ARMEES , interieur", ",,"], phase=["cadrage,termine"])
    assert notices == []
    assert selection.ministries == ("interieur", "armees")
    assert selection.phases == ("Cadrage", "Terminé")


def test_each_list_parameter_maps_url_slugs_to_model_values():
    selection, notices = shared(
        phase=["conception-realisation", "experimentation", "deploiement"],
        tranche=["moins-9", "9-20", "20-100", "plus-100"],
        zone=["sante", "justice-et-etat-civil"],
    )
    assert notices == []
    assert selection.phases == ("Conception / Réalisation", "Expérimentation", "Déploiement")
    assert selection.brackets == ("< 9 M€", "9–20 M€", "20–100 M€", "> 100 M€")
    assert selection.zones == ("Santé", "Justice et état civil")


def test_unknown_values_are_dropped_the_known_kept_five_shown():
    selection, notices = shared(ministere=["interieur,finances"])
    assert (selection.ministries, notices) == (("interieur",), ["Ministère inconnu(e) ignoré(e) : « finances »."])
    assert only_notice(ministere=[",".join(f"m{i}" for i in range(7))]) == (
        "Ministère inconnu(e) ignoré(e) : « m0 », « m1 », « m2 », « m3 », « m4 » et 2 autre(s)."
    )
    assert only_notice(zone=["inconnue"]) == "Zone fonctionnelle inconnu(e) ignoré(e) : « inconnue »."


def test_more_than_200_values_are_cut_with_a_notice():
    selection, notices = shared(ministere=["interieur"] * 10_000)
    assert selection.ministries == ("interieur",)
    assert notices == ["Paramètre « ministere » : 10000 valeurs, seules les 200 premières sont lues."]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("oui", True), (" TRUE ", True), ("0", False), ("", False)])
def test_inter(raw: str, expected: bool):
    assert shared(inter=[raw]) == (Selection(interministerial_only=expected), [])


def test_inter_not_understood():
    assert only_notice(inter=["2"]) == "Paramètre « inter » = « 2 » non compris (attendu : 1) : ignoré."


def test_query_is_cleaned_and_bounded():
    assert shared(q=["  État\x00 civil\x1b  "]) == (Selection(query="État civil"), [])
    assert shared(q=["«\u00a0état\u202fcivil\u00a0»"])[0].query == "« état civil »"
    selection, notices = shared(q=["a" * 199 + " " + "b" * 100])
    assert (selection.query, notices) == ("a" * 199, ["Recherche tronquée à 200 caractères."])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("35", 0.35), ("20,5", 0.205), ("12.5%", 0.125), ("0", 0.0), ("-0", 0.0), ("1000", 10.0), ("12.3456", 0.1235)],
)
def test_threshold_valid_values(raw: str, expected: float):
    selection, notices = shared(seuil=[raw])
    assert notices == []
    assert selection.drift_threshold == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("raw", ["abc", "1e9", "nan", "inf", "20 pourcents", "12,5,25"])
def test_unreadable_threshold_is_ignored(raw: str):
    assert only_notice(seuil=[raw]) == f"Paramètre « seuil » : valeur « {raw} » illisible, ignorée (nombre attendu)."


@pytest.mark.parametrize("raw", ["-5", "1001"])
def test_out_of_range_threshold_is_ignored(raw: str):
    assert only_notice(seuil=[raw]) == (
        f"Paramètre « seuil » : valeur « {raw} » ignorée, elle doit être comprise entre 0\u00a0% et 1\u202f000\u00a0%."
    )


@pytest.mark.parametrize("raw", ["reunion", "réunion", "REUNION", " reunion "])
def test_meeting_mode(raw: str):
    assert shared(mode=[raw]) == (Selection(meeting_mode=True), [])


def test_standard_mode_is_silent_and_unknown_mode_noticed():
    assert shared(mode=["standard"]) == (Selection(), [])
    assert only_notice(mode=["turbo"]) == (
        "Paramètre « mode » : mode « turbo » inconnu(e) (attendu : reunion, standard) : ignoré."
    )


def test_echoed_values_are_shortened_and_inert():
    assert only_notice(PageId.PROJECTS, projet=["x" * 500]) == (
        f"Projet « {'x' * 39}… » introuvable dans les données (paramètre « projet ») : fiche non ouverte."
    )
    notices = read_query(
        {"ministere": ["<script>alert(1)</script>"], "mode": ["[x](javascript:alert(1))"]}, PageId.DRIFT, VOCAB
    ).notices
    assert notices == (
        r"Ministère inconnu(e) ignoré(e) : « \<script\>alert\(1\)\</script\> ».",
        r"Paramètre « mode » : mode « \[x\]\(javascript\:alert\(1\)\) » inconnu(e) (attendu : reunion, standard) : "
        "ignoré.",
    )


def test_unknown_keys_and_other_pages_keys_are_said():
    assert only_notice(utm_source=["mail"]) == "Paramètre « utm\\_source » inconnu : ignoré."
    assert only_notice(seuil_revue=["5"]) == (
        "Paramètre « seuil\\_revue » propre à la page Simulations : ignoré sur cette page."
    )
    assert only_notice(accord=["x"]) == (
        "Paramètre « accord » propre à la page Accords-cadres agiles / Simulations : ignoré sur cette page."
    )


# --- page parameters ----------------------------------------------------------------------------------------


def test_projects_page_reads_a_known_project():
    assert read_query({"projet": ["pnr"]}, PageId.PROJECTS, VOCAB).params.project == "pnr"


def test_contracts_page_parameters():
    view = read_query({"accord": ["agile-2021"], "probables": ["1"]}, PageId.CONTRACTS, VOCAB)
    assert (view.params.framework_id, view.params.include_probable, view.notices) == ("agile-2021", True, ())
    assert only_notice(PageId.CONTRACTS, accord=["inconnu"]) == (
        "Accord-cadre « inconnu » inconnu du registre (paramètre « accord ») : l'accord-cadre par défaut est affiché."
    )


def test_simulations_accord_must_be_simulable():
    assert read_query({"accord": ["agile-2026"]}, PageId.SIMULATIONS, VOCAB).params.framework_id == "agile-2026"
    assert "non simulable" in only_notice(PageId.SIMULATIONS, accord=["agile-2021"])


def test_simulation_numbers_are_read_the_french_way_and_written_plainly():
    view = read_query(
        {
            "seuil_revue": ["12,5"],
            "marge": ["0.5"],
            "rythme": ["3 000 000"],
            "plafond": ["12,5"],
            "alertes_budget": ["10,12.5,30"],
            "alertes_calendrier": ["5 ; 7,5"],
            "scenario": ["alertes"],
        },
        PageId.SIMULATIONS,
        VOCAB,
    )
    assert view.notices == ()
    params = view.params
    assert (params.threshold_meur, params.margin_meur, params.pace_eur_per_month) == (12.5, 0.5, 3_000_000.0)
    assert (params.cap, params.budget_levels, params.schedule_levels) == (0.125, (0.1, 0.125, 0.3), (0.05, 0.075))
    assert write_query(Selection(), params, PageId.SIMULATIONS, VOCAB) == {
        "scenario": ["alertes"],
        "seuil_revue": ["12.5"],
        "marge": ["0.5"],
        "alertes_budget": ["10,12.5,30"],
        "alertes_calendrier": ["5,7.5"],
        "plafond": ["12.5"],
        "rythme": ["3000000"],
    }


def test_simulation_values_out_of_bounds_are_clamped_or_ignored_with_named_notices():
    view = read_query(
        {"seuil_revue": ["0"], "plafond": ["5000"], "alertes_budget": ["abc,-3"], "rythme": ["1e20"]},
        PageId.SIMULATIONS,
        VOCAB,
    )
    assert view.params == SimulationsParams(cap=10.0)
    assert view.notices == (
        "Paramètre « seuil\\_revue » : valeur « 0 » ignorée, elle doit être strictement supérieure à 0\u00a0M€.",
        "Paramètre « plafond » : valeur « 5000 » ramenée au maximum de 1\u202f000\u00a0%.",
        "Paramètre « alertes\\_budget » : valeur « abc » illisible, ignorée (nombre attendu) ; "
        "1 autre(s) niveau(x) ignoré(s).",
        "Paramètre « alertes\\_budget » : aucun niveau valide dans « abc,-3 », niveaux par défaut.",
        "Paramètre « rythme » : valeur « 1e20 » illisible, ignorée (nombre attendu).",
    )


def test_too_many_levels_keep_the_lowest_ten():
    levels = ",".join(str(level) for level in range(1, 13))
    view = read_query({"alertes_budget": [levels]}, PageId.SIMULATIONS, VOCAB)
    assert view.params.budget_levels == tuple(level / 100 for level in range(1, 11))
    assert view.notices == (
        "Paramètre « alertes\\_budget » : 12 niveaux distincts, seuls les 10 plus bas sont retenus.",
    )


# --- writing ------------------------------------------------------------------------------------------------

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
)


def test_defaults_are_left_out_of_the_url():
    for page in PageId:
        assert write_query(Selection(), PARAMS_MODEL[page](), page, VOCAB) == {}
    explicit = Selection(edition=ED_2021, compare=ED_2020, drift_threshold=0.2)
    assert write_query(explicit, PARAMS_MODEL[PageId.DRIFT](), PageId.DRIFT, VOCAB) == {}


def test_full_selection_url():
    assert write_query(FULL, PARAMS_MODEL[PageId.DRIFT](), PageId.DRIFT, VOCAB) == {
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
    }


def test_permalink_pins_the_editions_and_survives_a_new_edition():
    selection = Selection(edition=ED_2021, compare=ED_2020, ministries=("armees",))
    link = write_query(selection, PARAMS_MODEL[PageId.DRIFT](), PageId.DRIFT, VOCAB, pin_editions=True)
    assert link == {"edition": ["2021-11"], "comparer": ["2020-11"], "ministere": ["armees"]}
    grown = VOCAB.model_copy(update={"editions": (*VOCAB.editions, date(2022, 11, 1))})
    reopened = read_query(link, PageId.DRIFT, grown)
    assert reopened.notices == ()
    assert reopened.selection.resolved_edition(grown) == ED_2021
    assert reopened.selection.resolved_compare(grown) == ED_2020


def test_page_parameters_are_written_only_on_their_page():
    params = SimulationsParams(threshold_meur=5.0)
    assert write_query(Selection(), params, PageId.SIMULATIONS, VOCAB) == {"seuil_revue": ["5"]}


# --- the levels field ---------------------------------------------------------------------------------------


def test_levels_field_uses_semicolons_and_decimal_commas():
    assert parse_levels("10 ; 12,5 ; 30") == (0.1, 0.125, 0.3)
    assert parse_levels("30;10;10 %") == (0.1, 0.3)
    assert format_levels((0.1, 0.125, 0.3)) == "10 ; 12,5 ; 30"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("12,5,25", "plusieurs virgules.*Séparez les niveaux par « ; »"),
        ("", "Aucun niveau saisi"),
        ("0 ; 10", "hors limites"),
        ("2000", "hors limites"),
        (" ; ".join(str(i) for i in range(1, 12)), "Au plus 10 niveaux"),
    ],
)
def test_levels_field_refuses_rather_than_reinterprets(typed: str, why: str):
    with pytest.raises(ValueError, match=re.compile(why)):
        parse_levels(typed)


def test_old_zone_links_still_select_their_zone():
    """Links written before the zones were cleaned name a published spelling: it reads as its canonical zone."""
    vocab = VOCAB.model_copy(
        update={"zones": {"ressources-humaines": "Ressources humaines"}, "zone_aliases": {"rh": "Ressources humaines"}}
    )
    view = read_query({"zone": ["rh"]}, PageId.DRIFT, vocab)
    assert (view.selection.zones, view.notices) == (("Ressources humaines",), ())
    assert write_query(view.selection, PARAMS_MODEL[PageId.DRIFT](), PageId.DRIFT, vocab) == {
        "zone": ["ressources-humaines"]
    }
