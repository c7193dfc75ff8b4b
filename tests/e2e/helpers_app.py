"""A small app for the browser tests of the display helpers and of the French interface (not the product)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `streamlit run` puts only this folder on the path

import polars as pl
import streamlit as st

from analytics.charts import bar_chart
from analytics.display import Column, Kind, TableSpec
from analytics.exports import ExportContext
from pages.common import ui
from pages.common.french_ui import install_french_ui

FRAME = pl.DataFrame(
    {
        "name": ["Search", "<img src=x onerror=alert(1)>", "**gras**", "Zeta"],
        "drift": [-0.4171647727272728, 0.15105837075048112, 1.2, 0.0512],
        "start": [date(2019, 5, 1), date(2016, 1, 1), date(2021, 12, 1), date(2018, 11, 1)],
        "inter": [True, False, True, False],
    }
)
SPEC = TableSpec.of(
    Column(field="name", header="Projet"),
    Column(field="drift", header="Écart budgétaire", kind=Kind.SIGNED_PERCENT, drift=True, help="Aide de l'écart"),
    Column(field="start", header="Début", kind=Kind.DATE),
    Column(field="inter", header="Interministériel", kind=Kind.BOOL),
)
WIDTHS = {"Projet": 200, "Écart budgétaire": 160, "Début": 120, "Interministériel": 140}


def table_page() -> None:
    st.title("Tableau")
    st.markdown("Search")
    st.number_input("Seuil", value=20, help="Seuil d'alerte")
    ui.show_spec_table(
        FRAME,
        SPEC,
        context=ExportContext(title="Essai"),
        download_key="dl",
        threshold=0.2,
        key="grid",
        column_config={header: {"width": width} for header, width in WIDTHS.items()},
    )
    chart = bar_chart(FRAME, "name", "drift", category_title="Projet", value_title="Écart", value_format="+.1%")
    ui.show_accessible_chart(chart, context=ExportContext(title="Écarts"), key="chart", data=FRAME)
    st.button("Relancer")


def other_page() -> None:
    st.title("Autre page")
    st.file_uploader("Fichier", type=["csv", "xlsx"])


navigation = st.navigation(
    [st.Page(table_page, title="Tableau", url_path="tableau", default=True), st.Page(other_page, title="Autre")]
)
install_french_ui()
navigation.run()
