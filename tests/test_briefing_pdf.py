"""The briefing PDF of the shipped data, read back with pypdf: pages, stamps, key figures, tables, labels.

Expected figures are computed here with the analytics functions directly, not read from the briefing
models. PDFs and `pdftoppm` pictures of their pages go to test-artifacts/briefing/ for a look.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from pypdf import PdfReader

from analytics.briefing import PAGE_TITLES, PRESENTER_ORDER, build_briefing
from analytics.formatting import format_meur, format_pct
from analytics.panorama.drift import exceeds_threshold, with_drift
from analytics.panorama.movements import exit_watch
from analytics.panorama.portfolio import summarise_portfolio
from analytics.panorama.schema import HEADLINE_SCHEMA
from analytics.params.vocabulary import Vocabulary
from analytics.selection import Selection, apply_selection
from tests.briefing_inputs import scenario_contracts, shipped_view
from tests.panorama_frames import make_panorama_frame

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "briefing"
PRODUCED_AT = datetime(2026, 5, 12, 14, 3)
FILTERED = Selection(
    ministries=("economie-finances", "justice"),
    edition=date(2021, 7, 1),
    compare=date(2019, 3, 1),
    drift_threshold=0.25,
)
FILTERED_LINK = (
    "https://panorama.numerique.gouv.fr/derives?edition=2021-07&comparer=2019-03"
    "&ministere=economie-finances&ministere=justice&seuil=25"
)
ALL_LINK = "https://panorama.numerique.gouv.fr/vue-ensemble?edition=2021-11"
# A build is a few seconds (the issue asks for "a few seconds"); the bound is generous for a shared CI machine.
MAX_SECONDS = 30.0


def _flat(text: str) -> str:
    """Whitespace of any kind (line breaks, no-break spaces) as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")).strip()


def _timed_build(selection: Selection, pages: list[str], link: str) -> tuple[bytes, float]:
    start = time.perf_counter()
    pdf = build_briefing(
        shipped_view(),
        selection,
        pages,
        link,
        PRODUCED_AT,
        contracts=scenario_contracts(),
        ceiling_contracts=scenario_contracts(for_ceiling=True),
    )
    return pdf, time.perf_counter() - start


def _save(pdf: bytes, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)


@pytest.fixture(scope="module")
def filtered() -> tuple[PdfReader, list[str]]:
    pdf, seconds = _timed_build(FILTERED, ["derives"], FILTERED_LINK)
    print(f"\nDossier de séance, vue filtrée (Dérives) : {seconds:.2f} s, {len(pdf) / 1024:.0f} Kio")
    assert seconds < MAX_SECONDS
    _save(pdf, "vue-filtree-derives")
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [_flat(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def all_pages() -> tuple[PdfReader, list[str]]:
    pdf, seconds = _timed_build(Selection(), list(PRESENTER_ORDER), ALL_LINK)
    print(f"\nDossier de séance, toutes les pages : {seconds:.2f} s, {len(pdf) / 1024:.0f} Kio")
    assert seconds < MAX_SECONDS
    _save(pdf, "toutes-les-pages")
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [_flat(page.extract_text()) for page in reader.pages]


def _links(reader: PdfReader, index: int) -> list[str]:
    annotations = reader.pages[index].get("/Annots") or []
    return [a.get_object()["/A"]["/URI"] for a in annotations if "/A" in a.get_object()]


def _check_stamps(reader: PdfReader, texts: list[str], edition: str, filters: list[str], link: str) -> None:
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"page {number} / {total}" in text
        assert edition in text
        assert "Filtres : " + " ; ".join(filters) in text
        assert "Produit le 12 mai 2026 à 14 h 03" in text
        assert "Sources : " in text
        assert link in _links(reader, number - 1)


def test_filtered_view_is_stamped_on_every_page(filtered) -> None:
    reader, texts = filtered
    assert len(texts) >= 3  # cover, then the Dérives section over several pages
    _check_stamps(
        reader,
        texts,
        "édition juillet 2021, comparée à mars 2019",
        ["ministères : Économie et Finances, Justice", "seuil d'alerte de dérive : 25 %"],
        FILTERED_LINK,
    )
    source = "Sources : Panorama des grands projets numériques de l'État (DINUM), édition juillet 2021"
    assert all(source in text for text in texts)
    assert "publication : 2021-07-20" in texts[0]
    assert not any("DONNÉES SIMULÉES" in text for text in texts)


def test_filtered_view_figures_and_exit_watch_last_row(filtered) -> None:
    _, texts = filtered
    view = shipped_view()
    selected = apply_selection(view.projects.lazy(), FILTERED).collect()
    current = selected.filter(pl.col("edition") == FILTERED.edition)
    measurable = current.filter(pl.col("budget_drift").is_not_null() | pl.col("schedule_drift").is_not_null())
    over = measurable.filter(
        (exceeds_threshold(pl.col("budget_drift"), 0.25) | exceeds_threshold(pl.col("schedule_drift"), 0.25)).fill_null(
            False
        )
    )
    drift_pages = " ".join(texts[1:])
    assert f"Projets au-delà du seuil {over.height} / {measurable.height}" in drift_pages
    summary = summarise_portfolio(current, 0.25)
    assert _flat(f"Écart budgétaire moyen {format_pct(summary.budget_drift.mean)}") in drift_pages
    exits = exit_watch(selected, 0.25, latest_edition=view.vocab.latest)
    assert exits.height >= 5
    last = exits.row(exits.height - 1, named=True)
    last_row = _flat(f"{last['project_name']} {last['ministry_label']} {last['last_edition']:%m/%Y}")
    assert last_row in drift_pages
    assert _flat(format_pct(last["last_known_budget_drift"], 1, signed=True)) in drift_pages.split(last_row)[1]
    # The table's header is repeated on each page it runs over.
    header = "Projet Ministère Dernière édition"
    pages_with_rows = [t for t in texts[1:] if last["project_name"] in t or exits.item(0, "project_name") in t]
    assert all(header in t for t in pages_with_rows)


def test_all_pages_sections_in_presenter_order(all_pages) -> None:
    reader, texts = all_pages
    assert len(reader.pages) >= 1 + len(PRESENTER_ORDER)
    _check_stamps(
        reader,
        texts,
        "édition novembre 2021, comparée à juillet 2021",
        ["aucun filtre : tout le panorama", "seuil d'alerte de dérive : 20 %"],
        ALL_LINK,
    )
    titles = list(PAGE_TITLES.values())
    assert titles == [
        "Vue d'ensemble",
        "Projets",
        "Dérives",
        "Évolutions",
        "Accords-cadres agiles",
        "Simulations",
        "Données et méthode",
    ]
    starts = [next(i for i, t in enumerate(texts) if f"Dossier de séance · {title} " in t) for title in titles]
    assert starts == sorted(starts) and starts[0] == 1
    cover = texts[0]
    assert all(title in cover for title in titles)  # the table of contents


def test_all_pages_key_figures_and_projects_table(all_pages) -> None:
    _, texts = all_pages
    view = shipped_view()
    edition, compare = view.vocab.latest, view.vocab.previous(view.vocab.latest)
    summary = summarise_portfolio(view.projects.filter(pl.col("edition") == edition), 0.2)
    before = summarise_portfolio(view.projects.filter(pl.col("edition") == compare), 0.2)
    overview = texts[1]
    assert f"Projets suivis {summary.project_count} +{summary.project_count - before.project_count}" in overview
    assert _flat(f"Coût total estimé {format_meur(summary.total_cost_meur)}") in overview
    assert _flat(f"Écart budgétaire moyen {format_pct(summary.budget_drift.mean)}") in overview
    assert "Les 5 plus fortes dérives budgétaires (M€)" in overview
    # Projects table: every project of the edition, the last one (smallest published cost) included.
    projects = view.projects.filter(pl.col("edition") == edition).sort(
        ["cost_meur", "project_name"], descending=[True, False], nulls_last=True
    )
    project_pages = " ".join(t for t in texts if "Dossier de séance · Projets " in t)
    last = projects.row(projects.height - 1, named=True)
    assert f"{last['project_name']} {last['ministry_label']}" in project_pages
    assert all(name in project_pages for name in projects.get_column("project_name"))


def test_simulated_label_exactly_where_due(all_pages) -> None:
    _, texts = all_pages
    for text in texts[1:]:
        section = re.search(r"Dossier de séance · (.+?) (DONNÉES SIMULÉES )?édition", text)
        assert section is not None
        simulated = section[1] in ("Accords-cadres agiles", "Simulations")
        assert (section[2] is not None) == simulated, section[1]
    assert "DONNÉES SIMULÉES" in texts[0]  # the cover says which sections hold simulated data
    assert "données simulées, générées par un script à graine fixe" in texts[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm absent (apt-get install poppler-utils)")
def test_page_pictures_saved_as_artifacts(filtered, all_pages) -> None:
    for name in ("vue-filtree-derives", "toutes-les-pages"):
        for old in ARTIFACTS.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
            check=True,
            timeout=120,
        )
    assert len(list(ARTIFACTS.glob("vue-filtree-derives-*.png"))) == len(filtered[0].pages)
    assert len(list(ARTIFACTS.glob("toutes-les-pages-*.png"))) == len(all_pages[0].pages)


HOSTILE_NAME = '"); #panic("injecté") ] #set page(fill: red) $x$ *gras* <b> @ref \\ // fin'
HOSTILE_QUERY = '#text(fill: red)[rouge] "fin'


@dataclass(frozen=True)
class HandView:
    projects: pl.DataFrame
    headlines: pl.DataFrame
    vocab: Vocabulary


def test_hostile_texts_are_printed_verbatim() -> None:
    rows = [
        {"edition": date(2020, 1, 1), "project_id": "p1", "project_name": HOSTILE_NAME, "cost_meur": 10.0},
        {"edition": date(2021, 1, 1), "project_id": "p1", "project_name": HOSTILE_NAME, "cost_meur": 12.0},
    ]
    frame = with_drift(make_panorama_frame(rows).lazy()).collect()
    vocab = Vocabulary(
        editions=(date(2020, 1, 1), date(2021, 1, 1)), ministries={}, zones={}, projects={"p1": HOSTILE_NAME}
    )
    view = HandView(frame, pl.DataFrame(schema=HEADLINE_SCHEMA), vocab)
    selection = Selection(query=HOSTILE_QUERY)
    pdf = build_briefing(view, Selection(), ["projets"], 'javascript:alert("x")', PRODUCED_AT, project="p1")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(_flat(page.extract_text()) for page in reader.pages)
    assert HOSTILE_NAME in text
    assert f"Fiche projet : {HOSTILE_NAME}" in text
    assert 'javascript:alert("x")' in text
    assert not any(_links(reader, i) for i in range(len(reader.pages)))  # not a web address: not a link
    filtered = build_briefing(view, selection, ["derives"], "https://x.gouv.fr/", PRODUCED_AT)
    assert f"recherche : « {HOSTILE_QUERY} »" in _flat(PdfReader(io.BytesIO(filtered)).pages[0].extract_text())
