"""URL <-> session state: the only place that reads or writes `st.query_params`.

At each run the URL is read once into a snapshot. Widgets are seeded from it only when the session does
not know them yet (a new visit, a shared link, after a reset); afterwards the widgets are authoritative
and the URL is rewritten from them at the end of the run, so the address bar always names the view.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from analytics.selection import Selection, Vocabulary, parse_query, to_query

SNAPSHOT_KEY = "_url_snapshot"
PAGE_QUERY_KEY = "_page_query"
NOTICES_KEY = "_url_notices"
SELECTION_KEY = "_selection"
SEEDED_KEY = "_seeded"


def take_snapshot() -> dict[str, list[str]]:
    """Freeze this run's URL parameters; called once, first thing in `app.py`."""
    snapshot = {key: st.query_params.get_all(key) for key in st.query_params}
    st.session_state[SNAPSHOT_KEY] = snapshot
    st.session_state[PAGE_QUERY_KEY] = {}
    return snapshot


def url_snapshot() -> Mapping[str, list[str]]:
    return st.session_state.get(SNAPSHOT_KEY, {})


def needs_seeding() -> bool:
    return not st.session_state.get(SEEDED_KEY, False)


def selection_from_url(vocab: Vocabulary) -> Selection:
    """Parse the snapshot and remember what was ignored, to show it on this run."""
    selection, notices = parse_query(url_snapshot(), vocab)
    st.session_state[NOTICES_KEY] = notices
    st.session_state[SEEDED_KEY] = True
    return selection


def pop_notices() -> list[str]:
    return st.session_state.pop(NOTICES_KEY, [])


def seed(key: str, value: object) -> None:
    """Give a page widget its value from the URL unless the session already holds one."""
    if key not in st.session_state:
        st.session_state[key] = value


def set_current_selection(selection: Selection) -> None:
    st.session_state[SELECTION_KEY] = selection


def current_selection() -> Selection:
    """The selection that `app.py` built from the sidebar for this run."""
    return st.session_state.get(SELECTION_KEY, Selection())


def set_page_query(params: Mapping[str, list[str]]) -> None:
    """A page's own URL parameters (scenario settings, ...), merged into the URL at the end of the run."""
    st.session_state[PAGE_QUERY_KEY] = {**st.session_state.get(PAGE_QUERY_KEY, {}), **params}


def full_query(selection: Selection, vocab: Vocabulary, explicit_edition: bool = False) -> dict[str, list[str]]:
    return {**to_query(selection, vocab, explicit_edition), **st.session_state.get(PAGE_QUERY_KEY, {})}


def write_url(selection: Selection, vocab: Vocabulary) -> None:
    """Rewrite the address bar only when it differs, so the browser history stays clean."""
    wanted = full_query(selection, vocab)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def permalink(selection: Selection, vocab: Vocabulary) -> str:
    """The full address of this view, edition pinned so the link survives a new edition."""
    query = urlencode(full_query(selection, vocab, explicit_edition=True), doseq=True)
    base = st.context.url or ""
    return f"{base}?{query}" if query else base


def reset(widget_keys: list[str]) -> None:
    """Back to defaults: forget widgets and the URL (used as a button callback)."""
    for key in widget_keys:
        st.session_state.pop(key, None)
    st.session_state[SEEDED_KEY] = False
    st.query_params.clear()
