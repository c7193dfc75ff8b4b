"""The page context: built once per run by `app.py`, handed to the page's `render(ctx)`.

A page is a function of its context: the loaded data, the URL vocabulary, the shared selection and the page's own
parameters as the store holds them at the start of the run (widget callbacks have already run by then). Pages change
state only through `pages.common.state` (callbacks) or by navigating with `link`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import polars as pl
import streamlit as st

from analytics.engine import IN_MEMORY
from analytics.params.pages import PageId, PageInfo, PageParams
from analytics.params.vocabulary import Vocabulary
from analytics.selection import Selection, apply_selection
from pages.common import view_cache
from pages.common.data import PanoramaView
from pages.common.navigation import page_link

CONTEXT_KEY = "_page_context"
T = TypeVar("T")
LOG = logging.getLogger("panorama.pages")


@dataclass(frozen=True)
class PageContext:
    page: PageInfo
    view: PanoramaView
    vocab: Vocabulary  # the panorama's, with the framework registry
    selection: Selection
    params: PageParams
    pages: Mapping[PageId, st.Page]  # as declared to st.navigation, for links
    view_key: str  # the view's canonical parameters (its permanent link), for the shared result cache
    # Which data the page shows: the panorama's version and the framework sources', the shared ones or this
    # session's own uploads (never shared). Uploads are read in widget callbacks, before the run: it holds for it.
    data_version: str

    @property
    def edition(self) -> date | None:
        return self.selection.resolved_edition(self.vocab)

    @property
    def compare(self) -> date | None:
        return self.selection.resolved_compare(self.vocab)

    @property
    def meeting(self) -> bool:
        return self.selection.meeting_mode

    def link(
        self,
        target: PageId,
        label: str,
        icon: str | None = None,
        shared: Mapping[str, object] | None = None,
        **changes: object,
    ) -> None:
        """A link to another view: the current filters with `shared` changes, `target`'s parameters with `changes`."""
        page_link(self.pages, target, self.vocab, label=label, icon=icon, shared=shared, **changes)

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()` once for this view and data across sessions (see `pages.common.view_cache`)."""
        return view_cache.memo(self.data_version, self.view_key, name, compute)

    def selected_projects(self) -> pl.DataFrame:
        """Every edition of the selected projects; drift was computed before filtering, on full histories."""
        return self.memo(
            "selected", lambda: apply_selection(self.view.projects.lazy(), self.selection).collect(engine=IN_MEMORY)
        )

    def current_projects(self) -> pl.DataFrame:
        """The selected projects as the displayed edition shows them."""
        return self.memo("current", lambda: self.selected_projects().filter(pl.col("edition") == self.edition))


def set_context(ctx: PageContext) -> None:
    st.session_state[CONTEXT_KEY] = ctx


def current_context() -> PageContext:
    return st.session_state[CONTEXT_KEY]


def context_if_any() -> PageContext | None:
    """The page context, or None outside the app's frame (a test app drawing the shared components alone)."""
    return st.session_state.get(CONTEXT_KEY)


ERROR_FR = (
    "Cette vue n'a pas pu être affichée à cause d'une erreur inattendue de l'application (elle a été consignée "
    "dans le journal du serveur). Vos filtres sont conservés : essayez une autre édition ou d'autres filtres, "
    "ou réinitialisez les filtres dans le panneau de gauche. Si l'erreur persiste, transmettez le lien de cette "
    "vue à l'équipe."
)


def run_page(render: Callable[[PageContext], None]) -> None:
    """Draw the page; an unexpected error becomes a French message, never Streamlit's English error page."""
    ctx = current_context()
    try:
        render(ctx)
    except Exception:  # the boundary: Streamlit's control-flow exceptions are BaseExceptions and pass through
        LOG.exception("Page %s failed", ctx.page.id)
        st.error(ERROR_FR, icon=":material/error:")
