"""Links from a ministry's name to its sheet: the « Fiche ministère » page with the `ministere` filter set to it.

The sheet is its own page, so every such link is a page change: the browser records it (Back returns) and the
address it opens is the shareable one.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.formatting import escape_markdown as md
from analytics.params.pages import PageId
from pages.common.context import PageContext

ICON = ":material/account_balance:"
COLUMNS = 4


def ministry_link(ctx: PageContext, ministry_id: str, label: str, prefix: str = "Fiche ministère : ") -> None:
    ctx.link(PageId.MINISTRY, f"{prefix}{md(label)}", ICON, shared={"ministries": (ministry_id,)})


def ministry_links(
    ctx: PageContext, ministries: pl.DataFrame, title: str = "Fiches ministère", *, by_name: bool = False
) -> None:
    """A folded panel of links, one per ministry of `ministries` (`ministry_id`, `ministry_label`), in its order
    or, `by_name`, alphabetically.

    The links are drawn once the panel is opened (a rerun): a page view no longer sends a link per ministry."""
    pairs = ctx.memo(
        f"ministry_links:{title}",
        lambda: (
            (ministries.sort("ministry_label") if by_name else ministries)
            .select("ministry_id", "ministry_label")
            .drop_nulls()
            .unique(maintain_order=True)
            .rows()
        ),
    )
    if not pairs:
        return
    panel = st.expander(f"{title} ({len(pairs)})", icon=ICON, key=f"ministry_links_{ctx.page.id}", on_change="rerun")
    if not panel.open:
        return
    with panel:
        cells = st.columns(COLUMNS)
        for index, (ministry_id, label) in enumerate(pairs):
            with cells[index % COLUMNS]:
                ministry_link(ctx, ministry_id, label, prefix="")
