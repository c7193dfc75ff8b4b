"""Results computed once per view and shared by every session that looks at the same view.

What a page shows is a pure function of the data version (the panorama's and the framework sources', see
`PageContext.data_version`) and of the view's canonical parameters (the permanent link of the view: editions
pinned, defaults left out). A result is cached under (data version, view key, name): twenty people opening the
same link in a meeting compute the page once. A session's own data (an imported edition, an uploaded DECP file
or orders ledger) carries its own version, so it is never served to anyone else. Entries are bounded;
cached objects are shared and must never be changed in place (pages only read them). What a session uploads
but has not loaded (an import report, a refused file) is named by no data version: it is drawn directly, never
through this cache (`tests/test_architecture.py` checks the modules that draw it).

`PANORAMA_VIEW_CACHE=0` turns the cache off: the tests compare cached and uncached pages with it.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
Key = tuple[str, str, str]
MAX_ENTRIES = 4096  # a few per chart and table of a view: some hundreds of views, tens of MB at most
ENV_SWITCH = "PANORAMA_VIEW_CACHE"

# A dictionary and a lock rather than `st.cache_resource`: a page asks for some thirty results per run, and
# Streamlit's hashing of the three keys cost more than a page's remaining polars work (py-spy, --gil).
_entries: OrderedDict[Key, object] = OrderedDict()  # least recently used first
_computing: dict[Key, threading.Lock] = {}  # one lock per result being computed: twenty visitors, one computation
_lock = threading.Lock()


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") != "0"


def _cached(key: Key) -> tuple[bool, object]:
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return True, _entries[key]
        return False, None


def _shared(key: Key, compute: Callable[[], object]) -> object:
    """The result for `key`, computed once even when several sessions ask for it at the same moment."""
    found, value = _cached(key)
    if found:
        return value
    with _lock:
        computing = _computing.setdefault(key, threading.Lock())
    with computing:
        found, value = _cached(key)  # computed by the session this one waited for
        if found:
            return value
        try:
            value = compute()
        except BaseException:
            with _lock:
                _computing.pop(key, None)
            raise
        with _lock:  # stored before its lock is dropped: a session arriving now finds it
            _entries[key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
            _computing.pop(key, None)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()


def memo(data_version: str, view_key: str, name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per (data version, view, name) across sessions; uncached when the switch is off.

    The caller guarantees that the three strings determine the result."""
    if not enabled():
        return compute()
    return _shared((data_version, view_key, name), compute)  # type: ignore[return-value]
