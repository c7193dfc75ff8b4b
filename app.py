"""Panorama explorer: entry point. Declares the pages and renders the shared filters once for all of them."""

from __future__ import annotations

import streamlit as st

from pages.common import state
from pages.common.data import panorama
from pages.common.sidebar import render_filters, render_link_controls

MEETING_CSS = """
<style>
[data-testid="stMetricValue"] { font-size: 3.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem; }
</style>
"""

snapshot = state.take_snapshot()
meeting = [v.lower() for v in snapshot.get("mode", [])[:1]] == ["reunion"] or st.session_state.get("f_meeting", False)
st.set_page_config(
    page_title="Panorama des grands projets numériques de l'État",
    page_icon=":material/account_balance:",
    layout="wide",
    initial_sidebar_state="collapsed" if meeting else "expanded",
)

# Page scripts live in pages/views/: top-level scripts of pages/ are legacy-mode entries (see pages/__init__.py).
PAGES = [
    st.Page(
        "pages/views/overview.py",
        title="Vue d'ensemble",
        icon=":material/dashboard:",
        url_path="vue-ensemble",
        default=True,
    ),
    st.Page("pages/views/projects.py", title="Projets", icon=":material/table_view:", url_path="projets"),
    st.Page("pages/views/drift.py", title="Dérives", icon=":material/trending_up:", url_path="derives"),
    st.Page("pages/views/contracts.py", title="Marchés subséquents", icon=":material/contract:", url_path="marches"),
    st.Page("pages/views/simulations.py", title="Simulations", icon=":material/tune:", url_path="simulations"),
    st.Page("pages/views/data_method.py", title="Données et méthode", icon=":material/menu_book:", url_path="donnees"),
]
navigation = st.navigation(PAGES, position="sidebar")

view = panorama()
selection = render_filters(view.vocab)
state.set_current_selection(selection)
render_link_controls(selection, view.vocab)

for notice in state.pop_notices():
    st.warning(notice, icon=":material/link_off:")
if selection.meeting_mode:
    st.html(MEETING_CSS)

navigation.run()
state.write_url(state.current_selection(), view.vocab)
