"""The app's pages in presenter order, and the parameters each keeps in the URL besides the shared filters.

Each page has one frozen model of its own parameters (an empty one where it has none); `Selection` holds the
filters shared by every page. The models give the defaults; `analytics.params.table` says how each field is
read from and written to the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from analytics.simulations.drift_alerts import DEFAULT_LEVELS, DriftAlertParams
from analytics.simulations.drift_cap import DEFAULT_CAP, DriftCapParams
from analytics.simulations.threshold import BASELINE_THRESHOLD_MEUR, DEFAULT_MARGIN_MEUR, ThresholdParams


class PageId(StrEnum):
    OVERVIEW = "overview"
    PROJECTS = "projects"
    DRIFT = "drift"
    CHANGES = "changes"
    CONTRACTS = "contracts"
    SIMULATIONS = "simulations"
    DATA = "data"
    MINISTRY = "ministry"


@dataclass(frozen=True)
class PageInfo:
    id: PageId
    title: str
    url_path: str  # "" for the root
    icon: str
    script: str  # relative to the repository root
    in_menu: bool = True  # False: reached by links only (the ministry sheet)


# Presenter order: the order of the navigation and of « précédent / suivant ».
PAGES: tuple[PageInfo, ...] = (
    PageInfo(PageId.OVERVIEW, "Vue d'ensemble", "", ":material/dashboard:", "pages/views/overview.py"),
    PageInfo(PageId.PROJECTS, "Projets", "projets", ":material/table_view:", "pages/views/projects.py"),
    PageInfo(PageId.DRIFT, "Dérives", "derives", ":material/trending_up:", "pages/views/drift.py"),
    PageInfo(PageId.CHANGES, "Évolutions", "evolutions", ":material/compare_arrows:", "pages/views/changes.py"),
    PageInfo(PageId.CONTRACTS, "Accords-cadres agiles", "marches", ":material/contract:", "pages/views/contracts.py"),
    PageInfo(PageId.SIMULATIONS, "Simulations", "simulations", ":material/tune:", "pages/views/simulations.py"),
    PageInfo(PageId.DATA, "Données et méthode", "donnees", ":material/menu_book:", "pages/views/data_method.py"),
    PageInfo(
        PageId.MINISTRY,
        "Fiche ministère",
        "ministere",
        ":material/account_balance:",
        "pages/views/ministry.py",
        in_menu=False,
    ),
)
PAGE_BY_ID: dict[PageId, PageInfo] = {page.id: page for page in PAGES}


class PageParams(BaseModel):
    """A page without parameters of its own."""

    model_config = ConfigDict(frozen=True)


OverviewIndicator = Literal["total_cost_meur", "projects", "avg_budget_drift", "avg_schedule_drift"]


class OverviewParams(PageParams):
    indicator: OverviewIndicator = "total_cost_meur"  # the trajectory chart's metric


class ProjectsParams(PageParams):
    project: str | None = None  # the project whose sheet is open
    slipping_only: bool = False  # the table keeps the projects « en glissement »


class ChangesParams(PageParams):
    """Editions compared on « Évolutions »; None follows the shared edition and comparison edition."""

    from_edition: date | None = None
    to_edition: date | None = None

    def period(self, edition: date | None, compare: date | None) -> tuple[date, date] | None:
        """The two editions compared, earlier first: the page's own, else the shared edition and its comparison."""
        start = self.from_edition or (min(compare, edition) if compare and edition else None)
        end = self.to_edition or (max(compare, edition) if compare and edition else edition)
        return (min(start, end), max(start, end)) if start and end and start != end else None


class ContractsParams(PageParams):
    framework_id: str | None = None  # None: the current framework (the registry's most recent)
    include_probable: bool = False
    lot: str | None = None  # the lot whose chart and details are shown; None: the whole framework


SimulationSection = Literal["seuil", "alertes", "accord"]


class SimulationsParams(PageParams):
    section: SimulationSection = "seuil"
    threshold_meur: float = BASELINE_THRESHOLD_MEUR
    margin_meur: float = DEFAULT_MARGIN_MEUR
    budget_levels: tuple[float, ...] = DEFAULT_LEVELS
    schedule_levels: tuple[float, ...] = DEFAULT_LEVELS
    cap: float = DEFAULT_CAP
    pace_eur_per_month: float | None = None  # None: the observed pace
    framework_id: str | None = None  # None: the first simulable framework

    def threshold(self) -> ThresholdParams:
        return ThresholdParams(threshold_meur=self.threshold_meur, margin_meur=self.margin_meur)

    def alerts(self) -> DriftAlertParams:
        return DriftAlertParams(budget_levels=self.budget_levels, schedule_levels=self.schedule_levels)

    def drift_cap(self) -> DriftCapParams:
        return DriftCapParams(cap=self.cap)


PARAMS_MODEL: dict[PageId, type[PageParams]] = {
    PageId.OVERVIEW: OverviewParams,
    PageId.PROJECTS: ProjectsParams,
    PageId.DRIFT: PageParams,
    PageId.CHANGES: ChangesParams,
    PageId.CONTRACTS: ContractsParams,
    PageId.SIMULATIONS: SimulationsParams,
    PageId.DATA: PageParams,
    PageId.MINISTRY: PageParams,  # its ministry is the shared `ministere` filter
}
