"""Panorama explorer: entry point. Declares the pages, builds the page context once per run, draws the shared
filters and navigation, runs the page, then writes the view into the URL."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from analytics.briefing import PRINT_STYLE
from analytics.params.pages import PAGES
from pages.common import state
from pages.common.briefing_panel import render_briefing_downloads
from pages.common.context import PageContext, set_context
from pages.common.contracts_data import url_vocabulary
from pages.common.data import loading_failed, panorama
from pages.common.framework_view import sources_version
from pages.common.french_ui import install_french_ui
from pages.common.navigation import declare_pages, render_menu
from pages.common.presenter import render_controls
from pages.common.sidebar import render_filters, render_link_controls


def main() -> None:
    pages = declare_pages()
    navigation = st.navigation(list(pages.values()), position="hidden")
    info = next(p for p in PAGES if pages[p.id].url_path == navigation.url_path)
    try:
        view = panorama()
        vocab = url_vocabulary(view.vocab)
    except Exception as error:  # a missing or broken shipped file: French, not Streamlit's English error page
        loading_failed(error)
    notices = state.begin_run(info.id, vocab)
    st.set_page_config(
        page_title="Panorama des grands projets numériques de l'État",
        page_icon=":material/account_balance:",
        layout="wide",
        initial_sidebar_state="collapsed" if state.selection().meeting_mode else "auto",  # auto: folded on a phone
    )
    install_french_ui()
    render_menu(pages, vocab)
    render_filters(vocab)
    link_slot = st.sidebar.empty()
    view_key = f"{info.id}?{urlencode(state.query(info.id, vocab, pin_editions=True), doseq=True)}"
    data_version = f"{view.version}|{sources_version()}"
    ctx = PageContext(info, view, vocab, state.selection(), state.params(info.id), pages, view_key, data_version)
    set_context(ctx)
    for notice in notices:
        st.warning(notice, icon=":material/link_off:")
    st.html(PRINT_STYLE)
    if ctx.meeting:
        render_controls(ctx)
    navigation.run()
    render_link_controls(link_slot, info, vocab)
    render_briefing_downloads(ctx, vocab)
    state.write_url(info.id, vocab)


main()
