"""Briefing section of the « Accords-cadres agiles » page: each lot and the whole, from where their spend lives.

It reads `FrameworkBriefing`, the pure part of what the page computed (the spend by lot of both sources, the
burn-up frames), and words it with `analytics.decp.lot_figures`, as the page does: the screen and the paper say
the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analytics.briefing.model import PAGE_TITLES, Chart, DataSource, KeyFigures, Note, Section
from analytics.briefing.tables import frame_table
from analytics.decp import SIMULATED_NOTICE_FR
from analytics.decp.charts import lot_burn_up_chart
from analytics.decp.frameworks import Framework
from analytics.decp.lot_figures import comparison_figures, published_amounts, published_difference_fr, series_figures
from analytics.decp.lot_spend import SPEND_RULE_FR, TOTAL_ID, BurnUpFrames, FrameworkSpend
from analytics.decp.spend import PACE_METHOD_FR

UNAVAILABLE_FR = "Données des accords-cadres non transmises au dossier : section sans contenu."


@dataclass(frozen=True)
class FrameworkBriefing:
    """What the page shows of one framework agreement, as it computed it (filters applied)."""

    framework: Framework
    previous: Framework | None
    spend: FrameworkSpend
    frames: BurnUpFrames
    simulated_by_lot: Mapping[str, bool]  # lot id -> its source holds simulated data
    sources: tuple[DataSource, ...]  # the DECP file and the orders ledger, with their dates

    @property
    def simulated(self) -> bool:
        return any(self.simulated_by_lot.values())


def _figures(view: FrameworkBriefing) -> list:
    blocks: list = []
    for series in series_figures(view.framework, view.spend, dict(view.simulated_by_lot)):
        caption = f"{series.execution_fr} · source : {series.source_fr}"
        blocks.append(
            KeyFigures(figures=tuple(series.figures(meeting=False)), caption=f"{series.title_fr} — {caption}")
        )
    return blocks


def _published(view: FrameworkBriefing) -> list:
    blocks: list = [frame_table(published_amounts(view.framework), "Montants publiés et leurs sources")]
    difference = published_difference_fr(view.framework)
    if difference:
        blocks.append(Note(text=difference))
    comparison = view.spend.comparison
    if comparison is not None and view.previous is not None:
        figures = comparison_figures(comparison, view.previous)
        blocks.append(KeyFigures(figures=tuple(figures), caption="Comparaison : l'accord-cadre précédent, publié."))
    return blocks


def contracts_section(view: FrameworkBriefing | None) -> Section:
    """Per lot and in total: committed, shares of the estimate and maximum, pace, reached dates; the burn-up chart;
    the published amounts with their sources; the previous framework as the comparison."""
    if view is None:
        return Section(
            page="marches",
            title=PAGE_TITLES["marches"],
            sources=(),
            blocks=(Note(text=UNAVAILABLE_FR, tone="warning"),),
        )
    blocks: list = [Note(text=SIMULATED_NOTICE_FR, tone="simulated")] if view.simulated else []
    blocks += _figures(view)
    chart = lot_burn_up_chart(view.frames, TOTAL_ID if len(view.framework.lots) > 1 else view.framework.lots[0].id)
    blocks.append(
        Chart(
            title="Engagements cumulés, projection et plafonds",
            spec=chart.to_dict(validate=False),
            simulated=view.simulated,
        )
    )
    blocks += _published(view)
    blocks.append(Note(text=f"{SPEND_RULE_FR} Rythme : {PACE_METHOD_FR}"))
    return Section(
        page="marches",
        title=PAGE_TITLES["marches"],
        subtitle=f"{view.framework.contract_number or view.framework.id} — {view.framework.title}",
        sources=view.sources,
        blocks=tuple(blocks),
    )
