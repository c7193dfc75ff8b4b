"""The shared filter panel and the link controls, drawn once by `app.py` for every page."""

from __future__ import annotations

import streamlit as st

from analytics.formatting import format_edition_label, format_pct
from analytics.panorama.schema import COST_BRACKETS, PHASES
from analytics.params.pages import PageInfo
from analytics.params.vocabulary import Vocabulary
from analytics.selection import DEFAULT_DRIFT_THRESHOLD, MAX_DRIFT_THRESHOLD_PCT, MAX_QUERY_LENGTH
from pages.common import state, widgets


def _edition_changed(vocab: Vocabulary) -> None:
    """A comparison left at its default keeps following the edition; one equal to the new edition is dropped."""
    selection = state.selection()
    if selection.compare is not None and selection.compare == selection.resolved_edition(vocab):
        state.set_value(None, "compare", None)
    st.session_state.pop(state.widget_key(None, "compare"), None)


def _edition_filters(vocab: Vocabulary) -> None:
    editions = list(reversed(vocab.editions))
    widgets.selectbox(
        None,
        "edition",
        "Édition",
        editions,
        to_widget=lambda e: e or vocab.latest,
        then=lambda: _edition_changed(vocab),
        format_func=format_edition_label,
        help="Édition du panorama publiée par la DINUM.",
    )
    edition = state.selection().resolved_edition(vocab)
    # The first edition has nothing before it: no comparison unless the user picks a later one.
    others = [e for e in editions if e != edition]
    options = others if vocab.previous(edition) else [None, *others]
    widgets.selectbox(
        None,
        "compare",
        "Comparer à",
        options,
        to_widget=lambda c: c or vocab.previous(edition),
        from_widget=lambda c: None if c == vocab.previous(state.selection().resolved_edition(vocab)) else c,
        format_func=lambda e: "Aucune comparaison" if e is None else format_edition_label(e),
        help="Édition de référence pour les variations et les mouvements (entrants, sortants).",
    )


def render_filters(vocab: Vocabulary) -> None:
    with st.sidebar:
        st.markdown("### Filtres")
        _edition_filters(vocab)
        widgets.multiselect(
            None,
            "ministries",
            "Ministères",
            list(vocab.ministries),
            format_func=lambda m: vocab.ministries.get(m, m),
            placeholder="Tous les ministères",
        )
        widgets.multiselect(None, "phases", "Phases", list(PHASES), placeholder="Toutes les phases")
        widgets.multiselect(
            None, "brackets", "Tranches de coût", list(COST_BRACKETS), placeholder="Toutes les tranches"
        )
        widgets.multiselect(
            None, "zones", "Zones fonctionnelles", sorted(vocab.zones.values()), placeholder="Toutes les zones"
        )
        widgets.toggle(None, "interministerial_only", "Projets interministériels seulement")
        widgets.text(
            None,
            "query",
            "Rechercher",
            placeholder="mots ou « expression exacte »",
            help="Tous les mots sont requis ; sans accents ni majuscules. "
            "Une expression entre guillemets est cherchée telle quelle.",
            max_chars=MAX_QUERY_LENGTH,
        )
        widgets.number(
            None,
            "drift_threshold",
            "Seuil d'alerte de dérive (%)",
            unit="%",
            lower=0.0,
            upper=MAX_DRIFT_THRESHOLD_PCT,
            decimals=2,
            scale=0.01,
            help="Un projet dont l'écart dépasse strictement ce seuil est signalé "
            f"(défaut {format_pct(DEFAULT_DRIFT_THRESHOLD, 0)}). Décimales avec une virgule : 12,5.",
        )
        widgets.toggle(None, "meeting_mode", "Mode réunion", help="Grands chiffres, sans détails.")


def render_link_controls(slot, page: PageInfo, vocab: Vocabulary) -> None:
    """In `slot` (reserved in the sidebar before the page ran): the link of the view as the page left it."""
    with slot.container():
        st.divider()
        with st.popover("Copier le lien de cette vue", icon=":material/link:", width="stretch"):
            st.caption("Lien complet de la vue affichée (édition figée) : copiez-le avec l'icône à droite.")
            st.code(state.permalink(page, vocab), language=None, wrap_lines=True)
        st.button("Réinitialiser les filtres", icon=":material/restart_alt:", on_click=state.reset, width="stretch")
