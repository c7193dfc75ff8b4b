"""One framework agreement as the pages show it: both sources loaded, linked, filtered, and its spend by lot.

Used by the frameworks page and the Simulations page, so that both count the same commitments. The last few views
are kept in the session, valid for the very source frames they were built from (compared by identity), so that a
rerun that changes nothing they depend on (a tab, a download) rebuilds neither them nor their charts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import altair as alt
import polars as pl
import streamlit as st

from analytics.decp.charts import lot_burn_up_chart
from analytics.decp.frameworks import Framework, previous_of
from analytics.decp.lot_spend import BurnUpFrames, FrameworkSpend, burn_up_frames, commitments, framework_spend
from pages.common.contracts_data import (
    UPLOADED_KEY,
    ContractSource,
    contract_source,
    filter_ministries,
    framework_linked,
    with_ministry,
)
from pages.common.orders_data import UPLOADED_ORDERS_KEY, OrdersSource, orders_source

VIEW_CACHE_KEY = "_framework_views"
VIEWS_KEPT = 4
UPLOADS_TOKEN_KEY = "_uploads_token"


@dataclass(frozen=True)
class FrameworkView:
    framework: Framework
    previous: Framework | None
    contracts: ContractSource
    orders: OrdersSource
    linked: pl.DataFrame  # DECP contracts linked to the framework, the ministry filter applied
    rows: pl.DataFrame  # lot_spend.commitments of both sources, the ministry filter applied
    spend: FrameworkSpend
    frames: BurnUpFrames
    filtered_out: int  # commitments set aside by the ministry filter (other ministries, or none known)
    settings: tuple[bool, tuple[str, ...]]  # (include_probable, ministries) it was built with
    charts: dict[str, alt.TopLevelMixin] = field(default_factory=dict, compare=False)  # built on first use

    def burn_up_chart(self, series_id: str) -> alt.TopLevelMixin:
        """The burn-up chart of a lot or of the whole (`TOTAL_ID`), built once per view."""
        if series_id not in self.charts:
            self.charts[series_id] = lot_burn_up_chart(self.frames, series_id)
        return self.charts[series_id]

    @property
    def as_of(self) -> date:
        return self.spend.as_of

    def source_of(self, lot_id: str) -> ContractSource | OrdersSource:
        """Where a lot's spend is read: the orders ledger for bons de commande, DECP for marchés subséquents."""
        return self.orders if self.framework.lot(lot_id).by_orders else self.contracts

    @property
    def simulated_by_lot(self) -> dict[str, bool]:
        return {lot.id: self.source_of(lot.id).simulated for lot in self.framework.lots}


def sources_version() -> str:
    """Which contracts and orders this session reads, for the shared view cache: the shared sources (the scenario
    or the configured national file, one object per server) are named by identity; a session's own upload also
    by a token of that session, so that its figures are never served to anyone else."""
    contracts, orders = contract_source(), orders_source()
    version = f"contracts:{id(contracts.contracts)}|orders:{id(orders.orders)}"
    if UPLOADED_KEY in st.session_state or UPLOADED_ORDERS_KEY in st.session_state:
        version += f"|session:{st.session_state.setdefault(UPLOADS_TOKEN_KEY, uuid.uuid4().hex)}"
    return version


def framework_view(
    framework: Framework, registry: list[Framework], include_probable: bool, ministries: Sequence[str] = ()
) -> FrameworkView:
    """Both sources for this framework; with `ministries`, only the commitments of their beneficiaries.

    The as-of date is the later of the two sources' (the scenario's fixed date when both are simulated).
    """
    contracts, orders = contract_source(), orders_source()
    cache: list[FrameworkView] = st.session_state.setdefault(VIEW_CACHE_KEY, [])
    settings = (include_probable, tuple(ministries))
    for view in cache:
        same_frames = view.contracts.contracts is contracts.contracts and view.orders.orders is orders.orders
        same_sources = same_frames and view.framework is framework
        if same_sources and view.settings == settings:
            return view
    view = _build(framework, registry, include_probable, ministries, contracts, orders)
    cache.insert(0, view)
    del cache[VIEWS_KEPT:]
    return view


def _build(
    framework: Framework,
    registry: list[Framework],
    include_probable: bool,
    ministries: Sequence[str],
    contracts: ContractSource,
    orders: OrdersSource,
) -> FrameworkView:
    as_of = max(contracts.as_of, orders.as_of)
    linked = with_ministry(framework_linked(contracts, framework, include_probable), framework)
    ledger = with_ministry(orders.orders, framework, column="beneficiary_registry")
    every = commitments(framework, linked, ledger)
    linked, ledger = filter_ministries(linked, ministries), filter_ministries(ledger, ministries)
    rows = commitments(framework, linked, ledger)
    previous = previous_of(registry, framework)
    spend = framework_spend(framework, linked, ledger, as_of, previous=previous)
    return FrameworkView(
        framework=framework,
        previous=previous,
        contracts=contracts,
        orders=orders,
        linked=linked,
        rows=rows,
        spend=spend,
        frames=burn_up_frames(spend, rows),
        filtered_out=every.height - rows.height,
        settings=(include_probable, tuple(ministries)),
    )
