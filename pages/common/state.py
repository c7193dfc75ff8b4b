"""The view store: what this session is looking at, and its round trip through the URL.

The store (one object in the session) holds the shared selection and each page's own parameters; it is the only
truth. Widgets are views of it: user edits reach it through their callbacks, programmatic changes (a click on a
chart, a reset, a followed link) by `update`, which also makes the widgets concerned take the new value.

When the URL wins: on a session's first run (a shared link), on the browser's Back and Forward (Streamlit flags
those runs), and on arrival on another page (the navigation links carry the target view). Otherwise the store
wins and the URL is rewritten from it at the end of the run, which adds one history entry per change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics.params.pages import PAGES, PARAMS_MODEL, PageId, PageInfo, PageParams
from analytics.params.query import read_query, write_query
from analytics.params.table import PARAMS, ParamSpec
from analytics.params.vocabulary import Vocabulary
from analytics.selection import Selection

STORE_KEY = "_view_store"
WIDGET_PREFIX = "w:"


@dataclass
class ViewStore:
    selection: Selection = field(default_factory=Selection)
    params: dict[PageId, PageParams] = field(default_factory=dict)
    page: PageId | None = None  # the page of the previous run

    def params_of(self, page: PageId) -> PageParams:
        return self.params.get(page) or PARAMS_MODEL[page]()


def _store() -> ViewStore:
    if STORE_KEY not in st.session_state:
        st.session_state[STORE_KEY] = ViewStore()
    return st.session_state[STORE_KEY]


def widget_key(page: PageId | None, name: str) -> str:
    """Session key of the widget bound to a field (`page` None: a shared filter)."""
    return f"{WIDGET_PREFIX}{page or 'global'}:{name}"


def _forget_widgets() -> None:
    """Every bound widget takes its value from the store again when next drawn."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(WIDGET_PREFIX)]:
        del st.session_state[key]


def _is_history_navigation() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def begin_run(page: PageId, vocab: Vocabulary) -> list[str]:
    """Follow the URL when it names the view (see the module docstring); the French notices of what it ignored."""
    store = _store()
    follow = store.page != page or _is_history_navigation()
    store.page = page
    if not follow:
        return []
    view = read_query(url_params(), page, vocab)
    store.selection = view.selection
    store.params[page] = view.params
    _forget_widgets()
    return list(view.notices)


def selection() -> Selection:
    return _store().selection


def params(page: PageId) -> PageParams:
    return _store().params_of(page)


def value(page: PageId | None, name: str) -> object:
    return getattr(selection() if page is None else params(page), name)


def set_value(page: PageId | None, name: str, new: object) -> None:
    """A widget's edit (its own display already shows it)."""
    store = _store()
    if page is None:
        store.selection = store.selection.model_copy(update={name: new})
    else:
        store.params[page] = store.params_of(page).model_copy(update={name: new})


def update(page: PageId | None, **changes: object) -> None:
    """A programmatic change (chart click, button): stored, and the widgets concerned redrawn with it."""
    for name, new in changes.items():
        set_value(page, name, new)
        st.session_state.pop(widget_key(page, name), None)


def reset() -> None:
    """Back to defaults: every filter and every page's parameters (a button callback)."""
    store = _store()
    store.selection = Selection()
    store.params.clear()
    _forget_widgets()


def query(page: PageId, vocab: Vocabulary, *, pin_editions: bool = False) -> dict[str, list[str]]:
    """The canonical URL parameters of `page` as the store holds it."""
    return write_query(selection(), params(page), page, vocab, pin_editions=pin_editions)


def write_url(page: PageId, vocab: Vocabulary) -> None:
    """Rewrite the address only when it differs, so that the history gets one entry per change."""
    wanted = query(page, vocab)
    if url_params() != wanted:
        st.query_params.from_dict(wanted)


def _app_root() -> str:
    """The app's base address, whatever page the browser reported it from."""
    parts = urlsplit(st.context.url or "")
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if last and last in {p.url_path for p in PAGES if p.url_path}:
        path = path[: -len(last) - 1]
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.netloc else path


def permalink(page: PageInfo, vocab: Vocabulary) -> str:
    """The full address of the view on screen, editions pinned so that the link survives a new edition."""
    encoded = urlencode(query(page.id, vocab, pin_editions=True), doseq=True)
    address = f"{_app_root()}/{page.url_path}"
    return f"{address}?{encoded}" if encoded else address


def spec_of(page: PageId | None, name: str) -> ParamSpec:
    return next(spec for spec in PARAMS if spec.page == page and spec.field == name)


def link_params(
    target: PageId, vocab: Vocabulary, shared: Mapping[str, object] | None = None, **changes: object
) -> Mapping[str, list[str]]:
    """The URL parameters of `target` as the store holds it, with `changes` to its own parameters and `shared`
    changes to the filters (a ministry's name links to its sheet: the `ministere` filter set to it)."""
    own = params(target).model_copy(update=changes) if changes else params(target)
    filters = selection().model_copy(update=dict(shared)) if shared else selection()
    return write_query(filters, own, target, vocab)
