"""Navigation between pages that carries the view: each link holds the filters and the target page's parameters.

Streamlit's own menu drops query parameters on a page change, so it is hidden and these links replace it; the
browser then records one history entry per page change, with the full view in it.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from analytics.params.pages import PAGES, PageId
from analytics.params.vocabulary import Vocabulary
from pages.common import state


def declare_pages() -> dict[PageId, st.Page]:
    """The app's pages for `st.navigation`; the overview is the root (`/vue-ensemble` is reserved, not served)."""
    return {
        info.id: st.Page(
            info.script,
            title=info.title,
            icon=info.icon,
            url_path=info.url_path or "vue-ensemble",
            default=not info.url_path,
        )
        for info in PAGES
    }


def page_link(
    pages: dict[PageId, st.Page],
    target: PageId,
    vocab: Vocabulary,
    *,
    label: str | None = None,
    icon=None,
    shared: Mapping[str, object] | None = None,
    **changes: object,
) -> None:
    """A link to `target` with the current filters (`shared` applied to them) and its own parameters (`changes`)."""
    st.page_link(
        pages[target],
        label=label,
        icon=icon,
        query_params=state.link_params(target, vocab, shared, **changes),
        width="stretch",
    )


def render_menu(pages: dict[PageId, st.Page], vocab: Vocabulary) -> None:
    with st.sidebar:
        for info in PAGES:
            if info.in_menu:
                page_link(pages, info.id, vocab)
