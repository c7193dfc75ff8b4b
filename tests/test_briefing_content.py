"""What the briefing says, before typesetting: the view in words, printed tables, sections and their sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import pytest

from analytics.briefing import PRESENTER_ORDER, briefing_content, presenter_pages
from analytics.briefing.model import Chart, KeyFigures, Note, Stamp, Table
from analytics.briefing.tables import frame_table
from analytics.briefing.words import NO_FILTER_FR, edition_words, filters_in_words, production_words
from analytics.formatting import NARROW_NBSP, NBSP, format_eur_as_meur
from analytics.panorama.drift import with_drift
from analytics.panorama.schema import HEADLINE_SCHEMA
from analytics.params.vocabulary import Vocabulary, zone_choices
from analytics.selection import Selection
from tests.briefing_inputs import scenario_contracts, shipped_view
from tests.panorama_frames import ED_2016, ED_2017, make_panorama_frame

VOCAB = Vocabulary(
    editions=(ED_2016, ED_2017),
    ministries={"interieur": "Intérieur", "justice": "Justice"},
    zones=zone_choices(["Sécurité"]),
    projects={"p1": "Projet un", "p2": "Projet deux"},
)


def test_default_view_in_words() -> None:
    assert edition_words(Selection(), VOCAB) == "édition novembre 2017, comparée à novembre 2016"
    assert filters_in_words(Selection(), VOCAB) == (NO_FILTER_FR, f"seuil d'alerte de dérive : 20{NBSP}%")


def test_every_filter_in_words() -> None:
    selection = Selection(
        edition=ED_2016,
        ministries=("justice", "interieur"),
        phases=("Déploiement",),
        brackets=("9–20 M€", "> 100 M€"),
        zones=("Sécurité",),
        interministerial_only=True,
        query="« état civil »",
        drift_threshold=0.35,
    )
    assert edition_words(selection, VOCAB) == "édition novembre 2016"
    assert filters_in_words(selection, VOCAB, project="p2") == (
        "ministères : Justice, Intérieur",
        "phase : Déploiement",
        "tranches de coût : 9–20 M€, > 100 M€",
        "zone fonctionnelle : Sécurité",
        "projets interministériels seulement",
        "recherche : « « état civil » »",
        f"seuil d'alerte de dérive : 35{NBSP}%",
        "fiche ouverte : Projet deux",
    )


def test_production_date_in_words() -> None:
    assert production_words(datetime(2026, 5, 2, 9, 5)) == "2 mai 2026 à 9 h 05"


def test_only_web_links_are_clickable() -> None:
    stamp = dict(edition="e", filters=(), produced_at="p")
    assert Stamp(link="https://panorama.gouv.fr/derives?seuil=30", **stamp).linkable
    assert not Stamp(link="javascript:alert(1)", **stamp).linkable
    assert not Stamp(link="?edition=2021-11", **stamp).linkable


def test_frame_table_formats_in_french_and_flags_drifts_over_threshold() -> None:
    frame = pl.DataFrame(
        {
            "Projet": ["A", "B", "C"],
            "Coût": [1234.56, None, 0.0],
            "Écart": [0.2, 0.2000001, -0.05],
            "Début": [date(2020, 1, 1), None, date(2021, 7, 1)],
            "Inter": [True, False, None],
        }
    )
    table = frame_table(
        frame, "T", {"Coût": "money", "Écart": "percent", "Début": "month", "Inter": "yes_no"}, alert_threshold=0.2
    )
    assert [c.label for c in table.columns] == ["Projet", "Coût", "Écart", "Début", "Inter"]
    assert [c.numeric for c in table.columns] == [False, True, True, False, False]
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["A", f"1{NARROW_NBSP}234,6{NBSP}M€", f"+20,0{NBSP}%", "01/2020", "oui"],
        ["B", "–", f"+20,0{NBSP}%", "–", "non"],
        ["C", f"0,0{NBSP}M€", f"-5,0{NBSP}%", "07/2021", "–"],
    ]
    # 0.2 equals the threshold (not over it); 0.2000001 is over it
    assert [[cell.alert for cell in row] for row in table.rows] == [
        [False, False, False, False, False],
        [False, False, True, False, False],
        [False, False, False, False, False],
    ]


def test_frame_table_refuses_a_format_for_a_missing_column() -> None:
    with pytest.raises(ValueError, match="Tableau « T » : colonnes à formater absentes \\(Durée\\)"):
        frame_table(pl.DataFrame({"Projet": ["A"]}), "T", {"Durée": "years"})


def test_pages_in_presenter_order_each_once() -> None:
    assert presenter_pages(["donnees", "derives", "derives", "vue-ensemble"]) == ("vue-ensemble", "derives", "donnees")
    assert presenter_pages(list(reversed(PRESENTER_ORDER))) == PRESENTER_ORDER
    with pytest.raises(ValueError, match="page\\(s\\) inconnue\\(s\\) 'accueil'"):
        presenter_pages(["accueil"])
    with pytest.raises(ValueError, match="aucune page"):
        presenter_pages([])


@dataclass(frozen=True)
class SmallView:
    projects: pl.DataFrame
    headlines: pl.DataFrame
    vocab: Vocabulary


@pytest.fixture(scope="module")
def small_view() -> SmallView:
    """p1 (Intérieur) 10 -> 30 M€ (+200 %), p2 (Justice) 100 -> 90 M€; p3 (Justice) leaves after 2016 at +50 %."""
    rows = [
        {"edition": ED_2016, "project_id": "p1", "ministry_id": "interieur", "cost_meur": 10.0, "duration_years": 2.0},
        {"edition": ED_2016, "project_id": "p2", "ministry_id": "justice", "cost_meur": 100.0, "duration_years": 4.0},
        {"edition": ED_2016, "project_id": "p3", "ministry_id": "justice", "cost_meur": 8.0, "duration_years": 2.0},
        {"edition": ED_2017, "project_id": "p1", "ministry_id": "interieur", "cost_meur": 30.0, "duration_years": 3.0},
        {"edition": ED_2017, "project_id": "p2", "ministry_id": "justice", "cost_meur": 90.0, "duration_years": 4.0},
    ]
    earlier = date(2016, 6, 1)
    rows.insert(0, {"edition": earlier, "project_id": "p3", "ministry_id": "justice", "cost_meur": 5.0})
    frame = make_panorama_frame(rows).with_columns(
        pl.col("ministry_id").replace_strict({"interieur": "Intérieur", "justice": "Justice"}).alias("ministry_label")
    )
    vocab = VOCAB.model_copy(update={"editions": (earlier, ED_2016, ED_2017)})
    headlines = pl.DataFrame(schema=HEADLINE_SCHEMA)
    return SmallView(with_drift(frame.lazy()).collect(), headlines, vocab)


def _blocks(section, kind):
    return [block for block in section.blocks if isinstance(block, kind)]


def test_overview_shows_largest_drifts_ministries_and_leavers(small_view: SmallView) -> None:
    content = briefing_content(
        small_view, Selection(compare=ED_2016), ["vue-ensemble"], "https://x.gouv.fr/", datetime(2026, 1, 1)
    )
    (overview,) = content.sections
    figures = {f.label: f.value for f in _blocks(overview, KeyFigures)[0].figures}
    assert figures["Projets suivis"] == "2"
    assert figures["Coût total estimé"] == f"120,0{NBSP}M€"
    top, ministries = _blocks(overview, Chart)
    assert [v["project_name"] for v in top.spec["data"]["values"]] == ["p1", "p2"]  # +20 M€, then -10 M€
    carried = {v["ministry_label"]: v["budget_drift_meur"] for v in ministries.spec["data"]["values"]}
    assert carried == {"Intérieur": 20.0}  # Justice's -10 M€ carries no drift
    (leavers,) = _blocks(overview, Table)
    assert [row[0].text for row in leavers.rows] == ["p3"]
    assert leavers.rows[0][3].text == f"+60,0{NBSP}%" and leavers.rows[0][3].alert  # 8 / 5 - 1


def test_sections_follow_presenter_order_and_stamp_simulated_data(small_view: SmallView) -> None:
    content = briefing_content(
        small_view,
        Selection(),
        list(PRESENTER_ORDER),
        "https://x.gouv.fr/",
        datetime(2026, 1, 1),
        contracts=scenario_contracts(),
        ceiling_contracts=scenario_contracts(for_ceiling=True),
    )
    assert [s.page for s in content.sections] == list(PRESENTER_ORDER)
    simulated = {s.page: s.simulated for s in content.sections}
    assert simulated == {
        "vue-ensemble": False,
        "projets": False,
        "derives": False,
        "evolutions": False,
        "marches": True,
        "simulations": True,
        "donnees": False,
    }
    assert content.simulated_sections == ("Accords-cadres agiles", "Simulations")
    marches = content.sections[list(PRESENTER_ORDER).index("marches")]
    assert _blocks(marches, Note)[0].tone == "simulated"
    assert all(chart.simulated for chart in _blocks(marches, Chart))


def test_contracts_section_without_contracts_says_so(small_view: SmallView) -> None:
    content = briefing_content(small_view, Selection(), ["marches"], "https://x.gouv.fr/", datetime(2026, 1, 1))
    (section,) = content.sections
    assert not section.simulated
    assert "non transmises" in _blocks(section, Note)[0].text


def test_frameworks_section_says_each_lot_from_its_source() -> None:
    """The briefing's figures are the page's: lot 1 from the orders ledger, lot 2 from DECP, and the whole."""
    view = scenario_contracts()
    section = briefing_content(
        shipped_view(), Selection(), ["marches"], "https://x.gouv.fr/", datetime(2026, 1, 1), contracts=view
    ).sections[0]
    figures = _blocks(section, KeyFigures)
    lots = [lot.committed_eur for lot in view.spend.lots]
    committed = [block.figures[0].value for block in figures[: len(lots) + 1]]
    assert committed[: len(lots)] == [format_eur_as_meur(amount) for amount in lots]
    assert committed[len(lots)] == format_eur_as_meur(view.spend.total.committed_eur)
    assert "registre des bons de commande" in figures[0].caption.lower() and "DECP" in figures[1].caption
    assert any("Montants publiés" in table.title for table in _blocks(section, Table))


def test_changes_section_lists_the_moves_and_the_split() -> None:
    july, november = date(2021, 7, 1), date(2021, 11, 1)
    section = briefing_content(
        shipped_view(),
        Selection(),
        ["evolutions"],
        "https://x.gouv.fr/",
        datetime(2026, 1, 1),
        changes=(july, november),
    ).sections[0]
    tables = {table.title: table for table in _blocks(section, Table)}
    entrants = {row[0].text for row in tables["Entrants"].rows}
    assert entrants == {"PPN", "SIV", "INTELLIGENCE EMPLOI", "GEOPLATEFORME", "FRANCE SESAME"}
    assert {row[0].text for row in tables["Sortants"].rows} == {
        "OSHIMAE",
        "FRANCE CONNECT PHASE II",
        "ADAMANT",
        "SCRIBE",
    }
    assert "PPN (Justice) entre au panorama en novembre 2021" in _blocks(section, Note)[0].text
