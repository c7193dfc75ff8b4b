"""Presenter mode (`mode=reunion`): large type, « précédent / suivant » between pages, the keyboard arrows.

The controls are page links that carry the view, so the filters stay as they are from page to page and Back
works. The arrows click those links from a small same-origin script (a constant: no data reaches it).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.formatting import format_month
from analytics.params.pages import PAGES, PageInfo
from pages.common.context import PageContext

PREVIOUS_KEY = "presenter_previous"
NEXT_KEY = "presenter_next"
KEYS_KEY = "presenter_keys"  # the invisible frame of the keyboard script

# Text of at least 18 px everywhere (captions and deltas included), no toolbars, tables at their full height.
MEETING_CSS = """<style>
[data-testid="stMain"] { font-size: 20px; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th,
[data-testid="stMain"] label, [data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stMetricDelta"], [data-testid="stMain"] [data-testid="stMetricLabel"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { font-size: max(18px, 1em) !important; }
[data-testid="stMain"] .block-container { padding-top: 3.4rem; padding-bottom: 0.5rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.55rem; }
[data-testid="stMain"] h1 { font-size: 2rem; padding: 0; line-height: 1.2; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 1.4rem; padding: 0.2rem 0; }
[data-testid="stMetric"] { padding: 0.35rem 0.9rem !important; }
[data-testid="stMetric"] * { margin-block: 0 !important; line-height: 1.25; }
[data-testid="stMetric"] > div { gap: 0.1rem !important; }
[data-testid="stMetricValue"] { font-size: 2.2rem; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea, [data-testid="stMain"] pre,
[data-testid="stMain"] code { font-size: 18px !important; }
[data-testid="stMain"] td, [data-testid="stMain"] th { padding-block: 0.2rem !important; }
[data-testid="stElementToolbar"], .vega-embed .vega-actions, .vega-embed details { display: none !important; }
.st-key-presenter_keys { display: none; }
</style>
"""

# Left and right arrows follow the presenter links; typing in a field is never hijacked. Registered once per tab.
KEYBOARD_SCRIPT = """<script>
const host = window.parent;
if (!host.__panoramaPresenterKeys) {
  host.__panoramaPresenterKeys = true;
  host.document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    const key = { ArrowLeft: "presenter_previous", ArrowRight: "presenter_next" }[event.key];
    const link = key && host.document.querySelector(".st-key-" + key + " a");
    if (link) { event.preventDefault(); link.click(); }
  });
}
</script>
"""


def presented_pages() -> list[PageInfo]:
    """The pages of the presentation: the menu's, in its order (a sheet opened by link is no step of it)."""
    return [p for p in PAGES if p.in_menu]


def neighbours(page: PageInfo) -> tuple[PageInfo | None, PageInfo | None]:
    """The pages before and after `page` in presenter order (none past either end; none for a sheet)."""
    pages = presented_pages()
    if page not in pages:
        return None, None
    index = pages.index(page)
    return (pages[index - 1] if index > 0 else None, pages[index + 1] if index + 1 < len(pages) else None)


def render_controls(ctx: PageContext) -> None:
    """« Précédent / Suivant » above the page, with its position in the presentation."""
    st.html(MEETING_CSS)
    previous, following = neighbours(ctx.page)
    left, middle, right = st.columns([3, 4, 3], vertical_alignment="center")
    if previous is not None:
        with left, st.container(key=PREVIOUS_KEY):
            ctx.link(previous.id, f"Précédent : {previous.title}", ":material/arrow_back:")
    pages = presented_pages()
    compared = f" (comparée à {format_month(ctx.compare)})" if ctx.compare else ""
    position = f" · {pages.index(ctx.page) + 1} / {len(pages)}" if ctx.page in pages else ""
    middle.caption(f"Édition {format_month(ctx.edition)}{compared}{position} · touches ← →")
    if following is not None:
        with right, st.container(key=NEXT_KEY):
            ctx.link(following.id, f"Suivant : {following.title}", ":material/arrow_forward:")
    with st.container(key=KEYS_KEY):
        st.iframe(KEYBOARD_SCRIPT, height=1)


def presentation_table(title: str, frame: pl.DataFrame, empty_fr: str) -> None:
    """A short, already formatted table drawn whole (never a scrolling grid that a projector would cut)."""
    st.markdown(f"**{title}**")
    if frame.is_empty():
        st.caption(empty_fr)
    else:
        st.table(frame, hide_index=True)
