"""The shared filter panel, rendered once by `app.py` for every page."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.formatting import format_edition_label, format_pct
from analytics.panorama.schema import COST_BRACKETS, PHASES
from analytics.selection import DEFAULT_DRIFT_THRESHOLD, Selection, Vocabulary
from pages.common import state

KEYS = {
    "edition": "f_edition",
    "compare": "f_compare",
    "ministries": "f_ministries",
    "phases": "f_phases",
    "brackets": "f_brackets",
    "zones": "f_zones",
    "interministerial_only": "f_inter",
    "query": "f_query",
    "drift_threshold": "f_threshold_pct",
    "meeting_mode": "f_meeting",
    "project": "f_project",
}


def _seed_widgets(selection: Selection, vocab: Vocabulary) -> None:
    values = {
        "edition": selection.resolved_edition(vocab),
        "compare": selection.resolved_compare(vocab),
        "ministries": list(selection.ministries),
        "phases": list(selection.phases),
        "brackets": list(selection.brackets),
        "zones": list(selection.zones),
        "interministerial_only": selection.interministerial_only,
        "query": selection.query,
        "drift_threshold": round(selection.drift_threshold * 100, 1),
        "meeting_mode": selection.meeting_mode,
        "project": selection.project,
    }
    for field, key in KEYS.items():
        st.session_state[key] = values[field]


LAST_EDITION_KEY = "_last_edition"


def _follow_edition(vocab: Vocabulary) -> None:
    """A comparison left at its default follows the edition: it stays « the previous one »."""
    old = st.session_state.get(LAST_EDITION_KEY)
    if st.session_state.get(KEYS["compare"]) == vocab.previous(old):
        st.session_state[KEYS["compare"]] = vocab.previous(st.session_state[KEYS["edition"]])


def render_filters(vocab: Vocabulary) -> Selection:
    """Draw the filters and return what they say; seed them from the URL on a new visit."""
    if state.needs_seeding():
        _seed_widgets(state.selection_from_url(vocab), vocab)

    editions = list(reversed(vocab.editions))
    with st.sidebar:
        st.markdown("### Filtres")
        edition: date = st.selectbox(
            "Édition",
            editions,
            key=KEYS["edition"],
            format_func=format_edition_label,
            on_change=_follow_edition,
            args=(vocab,),
            help="Édition du panorama publiée par la DINUM.",
        )
        st.session_state[LAST_EDITION_KEY] = edition
        # The first edition has nothing before it: no comparison unless the user picks a later one.
        others: list[date | None] = [e for e in editions if e != edition]
        compare_options = others if vocab.previous(edition) else [None, *others]
        if st.session_state.get(KEYS["compare"]) not in compare_options:
            st.session_state[KEYS["compare"]] = vocab.previous(edition)
        compare: date | None = st.selectbox(
            "Comparer à",
            compare_options,
            key=KEYS["compare"],
            format_func=lambda e: "Aucune comparaison" if e is None else format_edition_label(e),
            placeholder="Aucune comparaison",
            help="Édition de référence pour les variations et les mouvements (entrants, sortants).",
        )
        ministries = st.multiselect(
            "Ministères",
            list(vocab.ministries),
            key=KEYS["ministries"],
            format_func=lambda m: vocab.ministries.get(m, m),
            placeholder="Tous les ministères",
        )
        phases = st.multiselect("Phases", list(PHASES), key=KEYS["phases"], placeholder="Toutes les phases")
        brackets = st.multiselect(
            "Tranches de coût", list(COST_BRACKETS), key=KEYS["brackets"], placeholder="Toutes les tranches"
        )
        zones = st.multiselect(
            "Zones fonctionnelles",
            sorted(vocab.zones.values()),
            key=KEYS["zones"],
            placeholder="Toutes les zones",
        )
        interministerial_only = st.toggle("Projets interministériels seulement", key=KEYS["interministerial_only"])
        query = st.text_input(
            "Rechercher",
            key=KEYS["query"],
            placeholder="mots ou « expression exacte »",
            help="Tous les mots sont requis ; sans accents ni majuscules. "
            "Une expression entre guillemets est cherchée telle quelle.",
            max_chars=200,
        )
        threshold_pct = st.number_input(
            "Seuil d'alerte de dérive (%)",
            min_value=0.0,
            max_value=1000.0,
            step=5.0,
            key=KEYS["drift_threshold"],
            help="Un projet dont l’écart dépasse ce seuil est signalé "
            f"(défaut {format_pct(DEFAULT_DRIFT_THRESHOLD, 0)}).",
        )
        meeting_mode = st.toggle("Mode réunion", key=KEYS["meeting_mode"], help="Grands chiffres, sans détails.")

    return Selection(
        edition=edition,
        compare=compare,
        ministries=tuple(ministries),
        phases=tuple(phases),
        brackets=tuple(brackets),
        zones=tuple(zones),
        interministerial_only=interministerial_only,
        query=query.strip(),
        drift_threshold=threshold_pct / 100,
        meeting_mode=meeting_mode,
        project=st.session_state.get(KEYS["project"]),
    )


def render_link_controls(selection: Selection, vocab: Vocabulary) -> None:
    with st.sidebar:
        st.divider()
        with st.popover("Copier le lien de cette vue", icon=":material/link:", width="stretch"):
            st.caption("Lien complet de la vue affichée (édition figée) : copiez-le avec l'icône à droite.")
            st.code(state.permalink(selection, vocab), language=None, wrap_lines=True)
        st.button(
            "Réinitialiser les filtres",
            icon=":material/restart_alt:",
            on_click=state.reset,
            args=(list(KEYS.values()),),
            width="stretch",
        )
