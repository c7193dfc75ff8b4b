"""The keyboard way to a project sheet: a select box of the projects a table or chart shows, next to it.

The grid opens a row with a click, or from the keyboard with Shift+Space, which nobody guesses; a chart's bubble
cannot be reached by keyboard at all. The select box is reached with Tab, searched by typing, and says what it
does; the hint under the table names both ways.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.formatting import escape_markdown as md
from analytics.params.pages import PageId
from pages.common import widgets
from pages.common.context import PageContext
from pages.common.tables import KEYBOARD_HINT_FR

PICKER_LABEL_FR = "Ouvrir la fiche d'un projet"
NONE_FR = "Choisir un projet"
TABLE_HINT_FR = (
    "Ouvrir la fiche d'un projet : cliquez sa ligne ; au clavier, "
    + KEYBOARD_HINT_FR.removeprefix("Au clavier : ").rstrip(".")
    + f", ou choisissez-le dans la liste « {PICKER_LABEL_FR} »."
)
PICKER_HELP_FR = "Tapez quelques lettres du nom pour chercher, Entrée pour choisir."


def _ids(projects: pl.DataFrame) -> list[str]:
    return projects.get_column("project_id").unique(maintain_order=True).to_list()


def sheet_picker(ctx: PageContext, projects: pl.DataFrame) -> None:
    """On the Projets page: the select box is the `projet` parameter (choosing opens the sheet, « Choisir un
    projet » closes it), so a row click, a link and the box always agree."""
    ids = _ids(projects)
    opened = ctx.params.project
    if opened is not None and opened not in ids:  # a project opened by link, outside the table's rows
        ids.insert(0, opened)
    widgets.selectbox(
        PageId.PROJECTS,
        "project",
        PICKER_LABEL_FR,
        [None, *ids],
        format_func=lambda p: NONE_FR if p is None else ctx.vocab.projects.get(p, p),
        help=PICKER_HELP_FR,
    )


def link_picker(ctx: PageContext, projects: pl.DataFrame, key: str) -> None:
    """Elsewhere: a select box of the projects shown, then the link to the chosen one's sheet (another page)."""
    ids = _ids(projects)
    if st.session_state.get(key) not in ids:
        st.session_state[key] = None
    st.selectbox(
        PICKER_LABEL_FR,
        ids,
        key=key,
        format_func=lambda p: ctx.vocab.projects.get(p, p),
        placeholder=NONE_FR,
        help=PICKER_HELP_FR,
    )
    chosen = st.session_state[key]
    if chosen is not None:
        ctx.link(
            PageId.PROJECTS,
            f"Ouvrir la fiche : {md(ctx.vocab.projects.get(chosen, chosen))}",
            ":material/open_in_new:",
            project=chosen,
        )


def choose(key: str, project_id: str | None) -> None:
    """A click on a row or a bubble (a callback) chooses that project in the picker drawn with `key`."""
    st.session_state[key] = project_id
