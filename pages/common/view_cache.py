"""Results computed once per view and shared by every session that looks at the same view.

What a page shows is a pure function of the data version (the panorama's and the framework sources', see
`PageContext.data_version`) and of the view's canonical parameters (the permanent link of the view: editions
pinned, defaults left out). A result is cached under (data version, view key, name): twenty people opening the
same link in a meeting compute the page once. A session's own data (an imported edition, an uploaded DECP file
or orders ledger) carries its own version, so it is never served to anyone else. Entries are bounded;
cached objects are shared and must never be changed in place (pages only read them).

`PANORAMA_VIEW_CACHE=0` turns the cache off: the tests compare cached and uncached pages with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
MAX_ENTRIES = 4096  # a few per chart and table of a view: some hundreds of views, tens of MB at most
ENV_SWITCH = "PANORAMA_VIEW_CACHE"


# The data page shows this session's import reports, which no data version names: its displays are never shared.
UNSHARED_PAGES = frozenset({"data"})


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") != "0"


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def _shared(data_version: str, view_key: str, name: str, _compute: Callable[[], object]) -> object:
    """Keyed on the three strings only (`_compute` is not hashed): the caller guarantees they determine it."""
    return _compute()


def memo(data_version: str, view_key: str, name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per (data version, view, name) across sessions; uncached when the switch is off."""
    if not enabled():
        return compute()
    return _shared(data_version, view_key, name, compute)  # type: ignore[return-value]
