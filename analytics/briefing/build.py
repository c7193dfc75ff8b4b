"""The briefing document of a view: one function from the loaded data and the selection to PDF bytes.

Built only when asked (the page calls it from a download button's callable): a few seconds of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TypedDict, Unpack

from analytics.briefing.changes_section import changes_section
from analytics.briefing.contracts_section import FrameworkBriefing, contracts_section
from analytics.briefing.model import PAGE_TITLES, PRESENTER_ORDER, Briefing, PageId, Section, Stamp
from analytics.briefing.panorama_sections import (
    PanoramaData,
    PanoramaScope,
    data_method_section,
    drift_section,
    overview_section,
    panorama_scope,
    projects_section,
)
from analytics.briefing.render import render_pdf
from analytics.briefing.simulations_section import simulations_section
from analytics.briefing.words import edition_words, filters_in_words, production_words
from analytics.decp.linking import LINK_RULE_FR
from analytics.decp.normalise import AMOUNT_RULE_FR
from analytics.decp.spend import PACE_METHOD_FR
from analytics.params.pages import ChangesParams, SimulationsParams
from analytics.selection import Selection

TITLE_FR = "Dossier de séance"
SUBTITLE_FR = "Panorama des grands projets numériques de l'État"
CONTRACT_METHOD_NOTES = (
    f"Montants des marchés : {AMOUNT_RULE_FR}",
    f"Rattachement : {LINK_RULE_FR}",
    f"Rythme : {PACE_METHOD_FR}",
)


def presenter_pages(pages: Sequence[str]) -> tuple[PageId, ...]:
    """The asked pages, each once, in presenter order; an unknown page is refused with the known ones."""
    unknown = [page for page in pages if page not in PAGE_TITLES]
    if unknown:
        raise ValueError(
            f"Dossier de séance : page(s) inconnue(s) {', '.join(map(repr, unknown))} ; "
            f"pages possibles : {', '.join(PRESENTER_ORDER)}."
        )
    if not pages:
        raise ValueError("Dossier de séance : aucune page demandée.")
    return tuple(page for page in PRESENTER_ORDER if page in pages)


def _section(
    page: PageId,
    scope: PanoramaScope,
    contracts: FrameworkBriefing | None,
    ceiling_contracts: FrameworkBriefing | None,
    scenario: SimulationsParams,
    changes: tuple[date, date] | None,
) -> Section:
    if page == "vue-ensemble":
        return overview_section(scope)
    if page == "evolutions":
        return changes_section(scope, changes or ChangesParams().period(scope.edition, scope.compare))
    if page == "projets":
        return projects_section(scope)
    if page == "derives":
        return drift_section(scope)
    if page == "marches":
        return contracts_section(contracts)
    if page == "simulations":
        return simulations_section(scope.current, scenario, scope.source, ceiling_contracts)
    return data_method_section(scope, CONTRACT_METHOD_NOTES)


def briefing_content(
    view: PanoramaData,
    selection: Selection,
    pages: Sequence[str],
    link: str,
    produced_at: datetime,
    *,
    contracts: FrameworkBriefing | None = None,
    ceiling_contracts: FrameworkBriefing | None = None,
    scenario: SimulationsParams | None = None,
    project: str | None = None,
    changes: tuple[date, date] | None = None,
) -> Briefing:
    """What the PDF will hold, as models (tests and other renderers read it without typesetting).

    `contracts`: what the Marchés subséquents page shows; `ceiling_contracts`: the contracts the
    Simulations page's ceiling scenario uses (probable links included, no ministry filter); `scenario`:
    the Simulations page's parameters (defaults when None); `project`: the sheet open on the Projets page;
    `changes`: the two editions « Évolutions » compares (earlier first; default: the edition and its comparison).
    `link` reproduces the view; `produced_at` is printed as given (the caller's local time).
    """
    scope = panorama_scope(view, selection, project)
    sections = tuple(
        _section(page, scope, contracts, ceiling_contracts, scenario or SimulationsParams(), changes)
        for page in presenter_pages(pages)
    )
    stamp = Stamp(
        edition=edition_words(selection, view.vocab),
        filters=filters_in_words(selection, view.vocab, scope.project),
        produced_at=production_words(produced_at),
        link=link,
    )
    return Briefing(title=TITLE_FR, subtitle=SUBTITLE_FR, stamp=stamp, sections=sections)


class BriefingExtras(TypedDict, total=False):
    """What the non-panorama pages need (see `briefing_content`)."""

    contracts: FrameworkBriefing | None
    ceiling_contracts: FrameworkBriefing | None
    scenario: SimulationsParams | None
    project: str | None
    changes: tuple[date, date] | None


def build_briefing(
    view: PanoramaData,
    selection: Selection,
    pages: Sequence[str],
    link: str,
    produced_at: datetime,
    **extras: Unpack[BriefingExtras],
) -> bytes:
    """The A4 PDF briefing of `pages` (ids of `PRESENTER_ORDER`, e.g. `["derives"]` or all of them).

    Raises `ValueError` for an unknown page and `BriefingError` if typesetting fails (French messages).
    """
    return render_pdf(briefing_content(view, selection, pages, link, produced_at, **extras))
