"""The print stylesheet in Chromium: a scratch Streamlit page printed to PDF keeps its content, loses its chrome.

The page holds what the app's pages hold (sidebar filters, buttons, a download button, a chart, a metric,
a 120-row table); Chromium prints it with `page.pdf()`, and the PDF is read back with pypdf.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from analytics.briefing.print_css import PRINT_STYLE
from tests.e2e.server import CHROMIUM, REPO_ROOT, running_app

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]

ARTIFACTS = REPO_ROOT / "test-artifacts" / "print"
ROWS = 120
HIDDEN_TEXTS = ["Bouton de la page", "Télécharger CSV", "Réinitialiser les filtres", "Filtres de la barre latérale"]
SCRATCH_PAGE = f"""
import altair as alt
import pandas as pd
import streamlit as st

PRINT_STYLE = {PRINT_STYLE!r}

st.set_page_config(page_title="Impression", layout="wide")
st.html(PRINT_STYLE)
with st.sidebar:
    st.markdown("Filtres de la barre latérale")
    st.multiselect("Ministère", ["Intérieur", "Justice"], key="ministeres")
    st.button("Réinitialiser les filtres")
st.title("Page à imprimer")
st.metric("Projets suivis", "50", delta="+1", border=True)
left, right = st.columns(2)
left.button("Bouton de la page")
right.download_button("Télécharger CSV", data="a;b", file_name="x.csv")
chart = alt.Chart(pd.DataFrame({{"x": ["A", "B"], "y": [1, 2]}})).mark_bar().encode(x="x:N", y="y:Q")
st.altair_chart(chart, width="stretch")
st.table(pd.DataFrame({{
    "Projet": [f"Ligne {{i:03d}}" for i in range(1, {ROWS} + 1)],
    "Ministère": ["Économie et Finances"] * {ROWS},
    "Coût (M€)": [f"{{i * 1.5:.1f}}" for i in range(1, {ROWS} + 1)],
}}))
st.markdown("Fin de la page")
"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, browser) -> tuple[bytes, dict[str, object]]:
    """The session's Chromium (a second Playwright in the same process would refuse to start)."""
    script = tmp_path_factory.mktemp("print") / "scratch_page.py"
    script.write_text(SCRATCH_PAGE, encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_app(log_path=ARTIFACTS / "streamlit-print.log", script=str(script)) as (url, _pid):
        context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
        try:
            page = context.new_page()
            page.set_default_timeout(90_000)
            page.goto(url)
            page.get_by_text("Fin de la page").wait_for()
            page.get_by_text(f"Ligne {ROWS:03d}").wait_for()
            page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for()
            page.emulate_media(media="print")
            styles = page.evaluate(
                """() => ({
                    sidebar: getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display,
                    buttons: [...document.querySelectorAll('button')].filter(b => b.offsetParent !== null).length,
                    download: getComputedStyle(document.querySelector('[data-testid="stDownloadButton"]')).display,
                    rowBreak: getComputedStyle(document.querySelector('[data-testid="stTable"] tbody tr')).breakInside,
                    headerGroup: getComputedStyle(document.querySelector('[data-testid="stTable"] thead')).display,
                })"""
            )
            pdf = page.pdf(format="A4", print_background=True)
        finally:
            context.close()
    (ARTIFACTS / "page-imprimee.pdf").write_bytes(pdf)
    return pdf, styles


def test_print_media_hides_chrome_and_keeps_rows_whole(printed) -> None:
    _, styles = printed
    assert styles == {
        "sidebar": "none",
        "buttons": 0,
        "download": "none",
        "rowBreak": "avoid",
        "headerGroup": "table-header-group",
    }


def test_printed_pdf_has_content_without_buttons(printed) -> None:
    pdf, _ = printed
    reader = PdfReader(io.BytesIO(pdf))
    texts = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    everything = " ".join(texts)
    assert len(texts) >= 2  # the table runs over pages
    for label in ("Page à imprimer", "Projets suivis", "Ligne 001", f"Ligne {ROWS:03d}", "Fin de la page"):
        assert label in everything
    for label in HIDDEN_TEXTS:
        assert label not in everything
    assert all(everything.count(f"Ligne {i:03d}") == 1 for i in range(1, ROWS + 1))
    # The header row is printed again on every page the table runs over.
    table_pages = [text for text in texts if re.search(r"Ligne \d{3}", text)]
    assert len(table_pages) >= 2
    assert all("Projet Ministère Coût (M€)" in text for text in table_pages)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm absent (apt-get install poppler-utils)")
def test_printed_pages_saved_as_pictures(printed) -> None:
    for old in ARTIFACTS.glob("page-imprimee-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(ARTIFACTS / "page-imprimee.pdf"), str(ARTIFACTS / "page-imprimee")],
        check=True,
        timeout=120,
    )
    assert list(Path(ARTIFACTS).glob("page-imprimee-*.png"))
