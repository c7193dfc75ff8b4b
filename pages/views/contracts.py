"""Marchés subséquents: what a DINUM agile framework agreement has notified so far, to whom, how fast."""

from __future__ import annotations

import streamlit as st

from analytics.decp.charts import burn_up_chart
from analytics.decp.frameworks import Framework
from analytics.decp.linking import LINK_RULE_FR
from analytics.decp.normalise import AMOUNT_RULE_FR
from analytics.decp.spend import PACE_METHOD_FR, burn_up
from analytics.formatting import escape_markdown as md
from analytics.formatting import format_eur_as_meur
from pages.common import contracts_sections as sections
from pages.common import state, ui
from pages.common.contracts_data import (
    contract_source,
    default_framework_id,
    filter_ministries,
    framework_linked,
    frameworks,
    render_upload_panel,
    simulated_banner,
    with_ministry,
)

ACCORD_KEY, PROBABLE_KEY, SEEDED_KEY = "contracts_accord", "contracts_probables", "contracts_seeded"
SHADOW = {ACCORD_KEY: "_contracts_accord", PROBABLE_KEY: "_contracts_probables"}  # survives page switches

selection = state.current_selection()
source = contract_source()
registry = frameworks()
by_id: dict[str, Framework] = {f.id: f for f in registry}
default_id = default_framework_id(source, registry)

st.title("Marchés subséquents")
st.caption(f"Source : {md(source.label_fr)} · date d'arrêt {source.as_of:%d/%m/%Y} · montants notifiés, pas payés.")
simulated_banner(source)


def _seed_from_url() -> None:
    """First visit: the URL names the framework and the probable links; each invalid value is said once."""
    if st.session_state.get(SEEDED_KEY):
        return
    st.session_state[SEEDED_KEY] = True
    snapshot = state.url_snapshot()
    accord, probables = snapshot.get("accord", [])[:1], snapshot.get("probables", [])[:1]
    st.session_state[SHADOW[ACCORD_KEY]] = default_id
    if accord and accord[0] in by_id:
        st.session_state[SHADOW[ACCORD_KEY]] = accord[0]
    elif accord:
        known = ", ".join(by_id)
        st.warning(
            f"Lien : accord-cadre « {md(accord[0])} » inconnu du registre (connus : {known}) ; "
            "l'accord-cadre par défaut est affiché.",
            icon=":material/link_off:",
        )
    st.session_state[SHADOW[PROBABLE_KEY]] = probables == ["1"]
    if probables and probables[0] not in ("0", "1"):
        st.warning(
            f"Lien : « probables={md(probables[0])} » ignoré (valeurs possibles : 0 ou 1).",
            icon=":material/link_off:",
        )


_seed_from_url()
for widget_key, shadow_key in SHADOW.items():
    state.seed(widget_key, st.session_state.get(shadow_key))
if st.session_state.get(ACCORD_KEY) not in by_id:
    st.session_state[ACCORD_KEY] = default_id

left, right = st.columns([3, 2], vertical_alignment="bottom")
framework_id = left.selectbox("Accord-cadre", list(by_id), key=ACCORD_KEY, format_func=lambda i: by_id[i].title)
include_probable = right.toggle(
    "Compter les rattachements probables",
    key=PROBABLE_KEY,
    help="Marchés sans identifiant d'accord-cadre mais dont l'acheteur, le titulaire, le code CPV et la date "
    "correspondent (voir la règle en bas de page).",
)
for widget_key, shadow_key in SHADOW.items():
    st.session_state[shadow_key] = st.session_state[widget_key]
page_query: dict[str, list[str]] = {}
if framework_id is not None and framework_id != default_id:
    page_query["accord"] = [framework_id]
if include_probable:
    page_query["probables"] = ["1"]
state.set_page_query(page_query)


def _facts(framework: Framework) -> None:
    term = (
        f"du {framework.start_date:%d/%m/%Y} au {framework.end_date:%d/%m/%Y}"
        if framework.start_date and framework.end_date
        else "dates non publiées"
    )
    parts = [
        f"Durée : {term}",
        f"montant estimé : {format_eur_as_meur(framework.estimated_amount_eur, 0)}",
        f"maximum : {format_eur_as_meur(framework.maximum_amount_eur, 0)}",
    ]
    if framework.spent_eur is not None:
        parts.append(f"montant publié : {format_eur_as_meur(framework.spent_eur, 0)}")
    notes = [md(note) for note in (framework.spent_note, framework.dates_note) if note]
    st.caption(" · ".join(parts) + (f" — {' '.join(notes)}" if notes else ""))


framework = by_id.get(framework_id) if framework_id else None
if framework is None:
    ui.empty_notice("Aucun accord-cadre dans le registre : rien à analyser.")
else:
    _facts(framework)
    linked = with_ministry(framework_linked(source, framework, include_probable), framework)
    unmapped = linked.get_column("ministry_id").is_null().sum()
    linked = filter_ministries(linked, selection.ministries)
    if selection.ministries:
        st.info(
            f"Filtre ministères appliqué par le bénéficiaire du registre : {unmapped} marché(s) dont l'acheteur "
            "n'est rattaché à aucun ministère sont écartés (ils ne sont comptés que sans filtre ministères).",
            icon=":material/filter_alt:",
        )
    sections.kpis(linked, framework, meeting=selection.meeting_mode)
    if not include_probable:
        later = registry[registry.index(framework) + 1 :]
        for other in (f for f in later if framework_linked(source, f, False).is_empty()):
            probable_count = framework_linked(source, other, True).height
            if probable_count:
                st.info(
                    f"« {md(other.title)} » : {probable_count} marché(s) rattaché(s) de façon probable seulement "
                    "(sans identifiant d'accord-cadre) ; choisissez-le et activez « Compter les rattachements "
                    "probables ».",
                    icon=":material/lightbulb:",
                )
    if linked.is_empty():
        hint = "" if include_probable else " Activez « Compter les rattachements probables » pour élargir."
        ui.empty_notice(f"Aucun marché rattaché à cet accord-cadre dans les données et les filtres choisis.{hint}")
    else:
        st.subheader("Consommation de l'accord-cadre")
        burn = burn_up(linked, framework, source.as_of)
        chart = burn_up_chart(
            burn,
            estimate_eur=framework.estimated_amount_eur,
            maximum_eur=framework.maximum_amount_eur,
            start=framework.start_date,
            end=framework.end_date,
        )
        ui.show_chart(chart, "consommation-accord-cadre", "contracts_burn_up", data=burn)
        index = registry.index(framework)
        previous = registry[index - 1] if index > 0 else None
        previous_linked = None
        if previous is not None:
            previous_linked = filter_ministries(
                with_ministry(framework_linked(source, previous, include_probable), previous), selection.ministries
            )
        sections.pace_block(linked, framework, previous, previous_linked, source, meeting=selection.meeting_mode)
        st.subheader("Répartition")
        sections.breakdowns(linked, meeting=selection.meeting_mode)
        if not selection.meeting_mode:
            sections.largest(linked)
        sections.quality(linked, source, meeting=selection.meeting_mode)

if not selection.meeting_mode:
    with st.expander("Règles de calcul"):
        st.markdown(
            f"- **Montants** : {md(AMOUNT_RULE_FR)}\n- **Rattachement** : {md(LINK_RULE_FR)}\n"
            f"- **Rythme** : {md(PACE_METHOD_FR)}"
        )
    with st.expander("Charger un fichier DECP", icon=":material/upload:"):
        render_upload_panel()
