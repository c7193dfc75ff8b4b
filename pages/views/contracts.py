"""Accords-cadres agiles: how much of each lot's estimate and maximum is committed, by whom, how fast, from where."""

from __future__ import annotations

import streamlit as st

from analytics.decp.frameworks import Framework
from analytics.decp.lot_figures import meeting_table, series_figures, series_ids
from analytics.decp.lot_spend import TOTAL_ID, TOTAL_LABEL_FR
from analytics.exports import ExportContext
from analytics.formatting import escape_markdown as md
from analytics.params.pages import PAGE_BY_ID, PageId
from pages.common import contracts_sections as sections
from pages.common import presenter, state, ui, widgets
from pages.common.context import PageContext, run_page
from pages.common.contracts_data import current_framework_id, frameworks, simulated_banner
from pages.common.framework_view import FrameworkView, framework_view

PAGE = PageId.CONTRACTS
SOURCE_FR = "DECP (marchés subséquents), registre des bons de commande, documents de l'accord-cadre"
LOAD_BELOW_FR = " Vos fichiers se chargent dans la section « Charger des données », en bas de page."


def _framework(ctx: PageContext, by_id: dict[str, Framework], current: str) -> Framework:
    """The framework the URL names, else the one of the lot it names, else the current one.

    A lot of another framework than the one named is dropped with a notice; the store then holds a coherent view.
    """
    lot, framework_id = ctx.params.lot, ctx.params.framework_id
    owner = ctx.vocab.framework_lots.get(lot) if lot else None
    if owner is not None and framework_id is None and owner != current:
        state.update(PAGE, framework_id=owner)
        framework_id = owner
    chosen = by_id.get(framework_id or current, by_id[current])
    if lot is not None and owner != chosen.id:
        st.warning(
            f"Le lot {md(lot)} n'appartient pas à « {md(chosen.title)} » (paramètre « lot ») : l'ensemble de "
            "l'accord-cadre est affiché.",
            icon=":material/link_off:",
        )
        state.update(PAGE, lot=None)
    return chosen


def _controls(by_id: dict[str, Framework], current: str) -> None:
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    widgets.selectbox(
        PAGE,
        "framework_id",
        "Accord-cadre",
        list(by_id),
        to_widget=lambda i: i or current,
        from_widget=lambda i: None if i == current else i,
        format_func=lambda i: f"{by_id[i].contract_number} — {by_id[i].title}",
        then=lambda: state.update(PAGE, lot=None),
        container=left,
    )
    widgets.toggle(
        PAGE,
        "include_probable",
        "Compter les rattachements probables",
        container=right,
        help="Marchés subséquents sans identifiant d'accord-cadre mais dont l'acheteur, le titulaire, le code CPV et "
        "la date correspondent au lot (voir les règles de calcul en bas de page).",
    )


def _series(view: FrameworkView, lot: str | None, context: ExportContext) -> None:
    """One series at a time (the `lot` parameter): the whole framework or one of its lots."""
    st.header("Consommation, titulaires et bénéficiaires")
    ids = series_ids(view.framework)
    if len(ids) == 1:
        sections.series_detail(view, ids[0], context)
        return
    labels = {None: TOTAL_LABEL_FR, **{lot_.id: lot_.label_fr for lot_ in view.framework.lots}}
    tabs = widgets.tabs(PAGE, "lot", labels)
    with tabs[lot]:
        sections.series_detail(view, lot or TOTAL_ID, context)


def _export_context(ctx: PageContext, framework: Framework) -> ExportContext:
    """Downloads of the page: the framework, the ministry filter (the only shared one that applies here), sources."""
    ministries = tuple(ctx.vocab.ministries.get(m, m) for m in ctx.selection.ministries)
    return ui.export_context(
        ctx,
        framework.title,
        filters=False,
        edition=False,
        source=SOURCE_FR,
        more_filters=(("Ministère bénéficiaire", ministries),) if ministries else (),
    )


def render(ctx: PageContext) -> None:
    st.title(PAGE_BY_ID[PAGE].title)
    registry = frameworks()
    by_id = {f.id: f for f in registry}
    current = current_framework_id(registry)
    if current is None:
        ui.empty_notice("Aucun accord-cadre dans le registre : rien à analyser.")
        return
    framework = _framework(ctx, by_id, current)
    view = ctx.memo(
        f"framework_view:{framework.id}",
        lambda: framework_view(framework, registry, ctx.params.include_probable, ctx.selection.ministries),
    )
    if ctx.meeting:
        _presentation(ctx, view)
        return
    # the page itself is where real data are loaded: no instructions in the banner
    simulated_banner(view.contracts, view.orders, how=LOAD_BELOW_FR)
    _controls(by_id, current)
    sections.heading(view)
    if ctx.selection.ministries:
        st.info(
            f"Filtre ministères appliqué par le bénéficiaire du registre : {view.filtered_out} engagement(s) d'autres "
            "ministères, ou dont le bénéficiaire n'est rattaché à aucun ministère, sont écartés ; les parts sont "
            "celles de la sélection.",
            icon=":material/filter_alt:",
        )
    sections.key_figures(view)
    sections.comparison(view)
    context = _export_context(ctx, framework)
    sections.published(framework, context)
    _series(view, state.params(PAGE).lot, context)
    sections.sources(framework, context)
    sections.loading()
    sections.quality_and_configuration(view, context)


def _presentation(ctx: PageContext, view: FrameworkView) -> None:
    """One screen for a meeting: which framework, whether the data are simulated, and each lot's consumption,
    shares of its ceilings and the day its maximum would be reached."""
    simulated_banner(view.contracts, view.orders, how="", short=True)
    framework = view.framework
    scope = " · bénéficiaires des ministères filtrés" if ctx.selection.ministries else ""
    st.markdown(f"**{md(framework.title)}** — {md(framework.contract_number)}{scope}")
    series = series_figures(framework, view.spend, view.simulated_by_lot)
    presenter.presentation_table("Consommation par lot", meeting_table(series), "Aucun lot dans le registre.")


run_page(render)
