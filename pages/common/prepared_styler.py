"""Styled tables marshalled once, then sent as they are by every session that shows them.

`st.dataframe(styler)` redoes pandas' per-cell work on every run: `Styler._compute`, `_translate`, then one
string per cell for the display values, all serialised again (a fifth of a page's server time under the load
test, py-spy). A table shared by the view cache is the same Styler object for every session, so its marshalled
part (`ArrowData.styler`: uuid, caption, CSS, display values) is worked out once by Streamlit's own function when
the table is prepared, and the `st.dataframe` of each run copies it.

This replaces `marshall_styler` in Streamlit's dataframe module, a private name: Streamlit is pinned by
`uv.lock`, and `tests/test_prepared_elements.py` checks that a prepared table gives byte for byte the element
Streamlit builds itself, and that the replacement is in place. Stylers that were not prepared go through
Streamlit's function unchanged.
"""

from __future__ import annotations

import threading
import weakref

from pandas.io.formats.style import Styler
from streamlit.elements import arrow
from streamlit.elements.lib.pandas_styler_utils import marshall_styler as streamlit_marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

_MARSHALLED: weakref.WeakKeyDictionary[Styler, bytes] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()  # WeakKeyDictionary is not safe for concurrent writes


def prepare(styler: Styler) -> Styler:
    """Marshal `styler` now; `st.dataframe` then sends that result. It must not be changed afterwards."""
    proto = ArrowData()  # the styler's uuid is pandas' random one: two tables' CSS selectors never meet
    streamlit_marshall_styler(proto, styler, default_uuid=styler.uuid)
    with _LOCK:
        _MARSHALLED[styler] = proto.styler.SerializeToString()
    return styler


def marshall_styler(proto: ArrowData, styler: Styler, default_uuid: str) -> None:
    """Streamlit's signature: a prepared styler's saved result, else Streamlit's own marshalling."""
    marshalled = _MARSHALLED.get(styler)
    if marshalled is None:
        streamlit_marshall_styler(proto, styler, default_uuid)
    else:
        proto.styler.ParseFromString(marshalled)


arrow.marshall_styler = marshall_styler
