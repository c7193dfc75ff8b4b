"""« Dossier de séance » in the sidebar: the PDF of this page or of every page, built only on click."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from analytics.briefing import PRESENTER_ORDER, FrameworkBriefing, build_briefing
from analytics.briefing.model import DataSource, briefing_id
from analytics.exports import ExportContext, selection_filters
from analytics.params.pages import PAGES, PageId
from analytics.params.vocabulary import Vocabulary
from pages.common import state
from pages.common.context import PageContext
from pages.common.contracts_data import current_framework_id, frameworks
from pages.common.framework_view import FrameworkView, framework_view

PDF_MIME = "application/pdf"


def framework_briefing(view: FrameworkView) -> FrameworkBriefing:
    """The pure part of a framework's page view, with the dates of both sources."""

    def source(label: str, what: str, as_of, simulated: bool) -> DataSource:
        return DataSource(label=f"{what} : {label}", date=f"arrêtés au {as_of:%d/%m/%Y}", simulated=simulated)

    return FrameworkBriefing(
        framework=view.framework,
        previous=view.previous,
        spend=view.spend,
        frames=view.frames,
        simulated_by_lot=view.simulated_by_lot,
        sources=(
            source(
                view.contracts.label_fr, "Marchés subséquents (DECP)", view.contracts.as_of, view.contracts.simulated
            ),
            source(view.orders.label_fr, "Bons de commande (registre)", view.orders.as_of, view.orders.simulated),
        ),
    )


def _framework(*, include_probable: bool, ministries: tuple[str, ...]) -> FrameworkBriefing | None:
    """The framework the « Accords-cadres agiles » page shows (its own parameters, the store's filters)."""
    registry = frameworks()
    framework_id = state.params(PageId.CONTRACTS).framework_id or current_framework_id(registry)
    framework = next((f for f in registry if f.id == framework_id), None)
    if framework is None:
        return None
    return framework_briefing(framework_view(framework, registry, include_probable, ministries))


def _pdf(ctx: PageContext, pages: list[str], link: str) -> bytes:
    contracts_params = state.params(PageId.CONTRACTS)
    return build_briefing(
        ctx.view,
        ctx.selection,
        pages,
        link,
        datetime.now(),
        contracts=_framework(include_probable=contracts_params.include_probable, ministries=ctx.selection.ministries),
        ceiling_contracts=_framework(include_probable=True, ministries=()),
        scenario=state.params(PageId.SIMULATIONS),
        project=state.params(PageId.PROJECTS).project,
        changes=state.params(PageId.CHANGES).period(ctx.edition, ctx.compare),
    )


def render_briefing_downloads(ctx: PageContext, vocab: Vocabulary) -> None:
    """Two downloads: this page, or all pages in presenter order, each with the current filters."""
    link = state.permalink(ctx.page, vocab)
    filters = selection_filters(ctx.selection, vocab)
    this_page = briefing_id(ctx.page)

    def file_name(title: str) -> str:
        return ExportContext(title=title, edition=ctx.edition, filters=filters).file_name("pdf")

    with st.sidebar.expander("Dossier de séance (PDF)", icon=":material/picture_as_pdf:"):
        st.caption(
            "PDF de la vue affichée, avec les filtres, les sources, la date et le lien qui la reproduit ; "
            "produit au clic, en quelques secondes."
        )
        if this_page in PRESENTER_ORDER:
            st.download_button(
                "Cette page",
                data=lambda: _pdf(ctx, [this_page], link),
                file_name=file_name(f"Dossier de séance {ctx.page.title}"),
                mime=PDF_MIME,
                icon=":material/download:",
                on_click="ignore",
                width="stretch",
                key="briefing_page",
            )
        all_pages = [briefing_id(p) for p in PAGES if briefing_id(p) in PRESENTER_ORDER]
        st.download_button(
            "Toutes les pages",
            data=lambda: _pdf(ctx, all_pages, link),
            file_name=file_name("Dossier de séance complet"),
            mime=PDF_MIME,
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
            key="briefing_all",
        )
