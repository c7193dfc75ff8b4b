"""The display helpers and the French interface in Chromium, on a small app of their own (tests/e2e/helpers_app.py).

What the grid's accessible layer holds is measured here: Streamlit 1.67 reads a cell's data, not its display
text, for screen readers and for sorting, so the helper hands it the figures as shown (`-41.7` under
« Écart budgétaire », `2019-05-01`, `oui`) and sorting stays numeric.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.server import CHROMIUM, REPO_ROOT, running_app, sized_context_page
from tests.e2e.test_rgaa_axe import wait_settled

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]

GRID_ROWS = (
    "() => [...document.querySelectorAll('table[role=grid] tr')].map(r => [...r.children].map(c => c.textContent))"
)
UI_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    if (text) texts.push(text);
  }
  const labels = [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
    .flatMap(e => ['aria-label', 'placeholder', 'title'].map(a => e.getAttribute(a)).filter(Boolean));
  return [...texts, ...labels];
}"""
ENGLISH = ("Skip to main content", "Collapse sidebar", "Help for", "Show/hide columns", "Download as CSV", "Decrement")


@pytest.fixture(scope="module")
def helpers_page(browser) -> Iterator[object]:
    log = REPO_ROOT / "test-artifacts" / "streamlit-helpers.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    script = REPO_ROOT / "tests" / "e2e" / "helpers_app.py"
    with running_app(log_path=log, script=script) as (url, _pid), sized_context_page(browser, 1400, 1600) as page:
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        wait_settled(page)
        page.locator("table[role=grid] tbody tr").first.wait_for(state="attached")
        yield page


def test_grid_accessible_layer_holds_the_shown_figures(helpers_page) -> None:
    rows = helpers_page.evaluate(GRID_ROWS)
    assert rows[0] == ["Projet", "Écart budgétaire", "Début", "Interministériel"]
    assert rows[1:] == [
        ["Search", "-41.7", "2019-05-01", "oui"],
        ["<img src=x onerror=alert(1)>", "15.1", "2016-01-01", "non"],
        ["**gras**", "120", "2021-12-01", "oui"],
        ["Zeta", "5.1", "2018-11-01", "non"],
    ]


def test_sorting_a_drift_column_stays_numeric(helpers_page) -> None:
    grid = helpers_page.get_by_test_id("stDataFrame").bounding_box()
    helpers_page.mouse.click(grid["x"] + 200 + 80, grid["y"] + 17)  # the « Écart budgétaire » header
    helpers_page.wait_for_function("() => document.querySelector('table[role=grid] tbody tr td:nth-child(2)')")
    helpers_page.wait_for_timeout(500)
    column = [row[1] for row in helpers_page.evaluate(GRID_ROWS)[1:]]
    assert column == ["-41.7", "5.1", "15.1", "120"]  # as numbers (as text, « 120 » would come before « 15.1 »)


def test_interface_is_french_and_user_data_is_left_alone(helpers_page) -> None:
    assert helpers_page.evaluate("document.documentElement.lang") == "fr"
    texts = helpers_page.evaluate(UI_TEXTS)
    assert "Aller au contenu principal" in texts
    assert "Aide : Seuil" in texts
    assert not [t for t in texts if t.startswith(ENGLISH)]
    assert "Search" in texts  # a Markdown text and a cell named « Search » stay as written
    assert helpers_page.locator("img[src='x']").count() == 0 and helpers_page.dialogs == []


def test_chart_is_named_by_its_sentence_and_has_a_data_table(helpers_page) -> None:
    chart = helpers_page.get_by_test_id("stVegaLiteChart").first
    assert chart.get_attribute("aria-label").startswith("Écart par projet : **gras** en tête avec +120,0")
    helpers_page.get_by_text("Voir les données").click()
    table = helpers_page.get_by_test_id("stTable")
    table.wait_for()
    assert "**gras**" in table.inner_text()  # Markdown in data stays text
    assert "+120,0\u00a0%" in table.inner_text()


def test_french_survives_reruns_and_page_changes(helpers_page, tmp_path) -> None:
    helpers_page.get_by_role("button", name="Relancer").click()
    wait_settled(helpers_page)
    assert "Aide : Seuil" in helpers_page.evaluate(UI_TEXTS)
    helpers_page.get_by_test_id("stSidebarNav").get_by_role("link", name="Autre").click()
    helpers_page.get_by_role("heading", name="Autre page").wait_for()
    helpers_page.get_by_test_id("stFileUploaderDropzoneInstructions").wait_for()
    texts = helpers_page.evaluate(UI_TEXTS)
    assert "50\u00a0Mo par fichier" in texts and "Choisir un fichier" in texts
    assert not [t for t in texts if t.startswith((*ENGLISH, "Upload", "Drag and drop"))]
    assert helpers_page.evaluate("document.documentElement.lang") == "fr"
    wrong = tmp_path / "notes.txt"
    wrong.write_text("x")
    helpers_page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(wrong))
    helpers_page.get_by_text("Fichiers de type text/plain non acceptés.").wait_for()
    texts = helpers_page.evaluate(UI_TEXTS)
    assert "Erreur :" in texts and "notes.txt, 1,0\u00a0o" in texts and "Retirer notes.txt" in texts


def test_a_table_is_exported_from_its_menu(helpers_page) -> None:
    """One « Exporter » button per table: opening it offers the files, and the CSV is the table as shown."""
    helpers_page.get_by_test_id("stSidebarNav").get_by_role("link", name="Tableau").click()
    helpers_page.get_by_test_id("stPopoverButton").first.wait_for()
    assert helpers_page.get_by_test_id("stDownloadButton").count() == 0, "files are offered once the menu is open"
    helpers_page.get_by_test_id("stPopoverButton").first.click()
    csv = helpers_page.get_by_test_id("stDownloadButton").filter(has_text="CSV").first
    csv.wait_for()
    with helpers_page.expect_download() as download:
        csv.click()
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert "Projet" in lines[0] and "Écart budgétaire" in lines[0]
    assert len(lines) == 5 and "Zeta" in lines[4]
