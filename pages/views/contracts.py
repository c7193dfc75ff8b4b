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
from analytics.params.pages import PageId
from pages.common import contracts_sections as sections
from pages.common import ui, widgets
from pages.common.context import PageContext, run_page
from pages.common.contracts_data import (
    ContractSource,
    contract_source,
    default_framework_id,
    filter_ministries,
    framework_linked,
    frameworks,
    render_upload_panel,
    simulated_banner,
    with_ministry,
)


def render(ctx: PageContext) -> None:
    source = contract_source()
    registry = frameworks()
    st.title("Marchés subséquents")
    st.caption(f"Source : {md(source.label_fr)} · date d'arrêt {source.as_of:%d/%m/%Y} · montants notifiés, pas payés.")
    simulated_banner(source)
    by_id: dict[str, Framework] = {f.id: f for f in registry}
    if not by_id:
        ui.empty_notice("Aucun accord-cadre dans le registre : rien à analyser.")
        return
    default_id = default_framework_id(source, registry)
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    widgets.selectbox(
        PageId.CONTRACTS,
        "framework_id",
        "Accord-cadre",
        list(by_id),
        to_widget=lambda i: i or default_id,
        from_widget=lambda i: None if i == default_id else i,
        format_func=lambda i: by_id[i].title,
        container=left,
    )
    widgets.toggle(
        PageId.CONTRACTS,
        "include_probable",
        "Compter les rattachements probables",
        container=right,
        help="Marchés sans identifiant d'accord-cadre mais dont l'acheteur, le titulaire, le code CPV et la date "
        "correspondent (voir la règle en bas de page).",
    )
    framework = by_id[ctx.params.framework_id or default_id]
    _framework(ctx, source, registry, framework, ctx.params.include_probable)
    if not ctx.meeting:
        with st.expander("Règles de calcul"):
            st.markdown(
                f"- **Montants** : {md(AMOUNT_RULE_FR)}\n- **Rattachement** : {md(LINK_RULE_FR)}\n"
                f"- **Rythme** : {md(PACE_METHOD_FR)}"
            )
        with st.expander("Charger un fichier DECP", icon=":material/upload:"):
            render_upload_panel()


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


def _framework(
    ctx: PageContext, source: ContractSource, registry: list[Framework], framework: Framework, include_probable: bool
) -> None:
    _facts(framework)
    linked = with_ministry(framework_linked(source, framework, include_probable), framework)
    unmapped = linked.get_column("ministry_id").is_null().sum()
    linked = filter_ministries(linked, ctx.selection.ministries)
    if ctx.selection.ministries:
        st.info(
            f"Filtre ministères appliqué par le bénéficiaire du registre : {unmapped} marché(s) dont l'acheteur "
            "n'est rattaché à aucun ministère sont écartés (ils ne sont comptés que sans filtre ministères).",
            icon=":material/filter_alt:",
        )
    sections.kpis(linked, framework, meeting=ctx.meeting)
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
                with_ministry(framework_linked(source, previous, include_probable), previous), ctx.selection.ministries
            )
        sections.pace_block(linked, framework, previous, previous_linked, source, meeting=ctx.meeting)
        st.subheader("Répartition")
        sections.breakdowns(linked, meeting=ctx.meeting)
        if not ctx.meeting:
            sections.largest(linked)
        sections.quality(linked, source, meeting=ctx.meeting)


run_page(render)
