"""The overview's key figures: the official panorama's six value boxes, for any selection, with deltas."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl
import streamlit as st

from analytics.formatting import format_meur, format_month, format_number, format_pct
from analytics.panorama.portfolio import DriftStats, PortfolioSummary


def official_row(headlines: pl.DataFrame, edition: date | None) -> dict[str, object] | None:
    """The edition's official headline figures, if DINUM published them."""
    rows = headlines.filter(pl.col("edition") == edition)
    return None if rows.is_empty() else rows.row(0, named=True)


def _delta(now: float | None, then: float | None, fmt: Callable[[float], str]) -> str | None:
    if now is None or then is None:
        return None
    difference = now - then
    return ("+" if difference > 0 else "") + fmt(difference)


def _points(difference: float) -> str:
    return format_number(difference * 100, 1) + " pt"


def _drift_help(stats: DriftStats, official: dict[str, object] | None, column: str) -> str:
    text = f"Dérive depuis la 1re publication, moyenne sur {stats.known_count} projet(s)."
    if official is not None:
        text += f" Chiffre officiel DINUM de l'édition : {format_pct(official[column])}."
    return text


def key_figures(
    summary: PortfolioSummary,
    before: PortfolioSummary | None,
    *,
    official: dict[str, object] | None,
    compare: date | None,
    meeting: bool,
) -> None:
    """Six metrics in two rows of three (labels and amounts stay whole), deltas against the comparison.

    `official` is given only for an unfiltered selection: the official figures describe the whole panorama.
    """

    def delta(now: float | None, then: Callable[[PortfolioSummary], float | None], fmt) -> str | None:
        return None if before is None else _delta(now, then(before), fmt)

    def count(d: float) -> str:
        return format_number(d, 0)

    cells = [
        (
            "Projets suivis",
            count(summary.project_count),
            delta(summary.project_count, lambda b: b.project_count, count),
            "off",
            "Nombre de projets de la sélection dans l'édition.",
        ),
        (
            "Coût total estimé",
            format_meur(summary.total_cost_meur, 1),
            delta(summary.total_cost_meur, lambda b: b.total_cost_meur, format_meur),
            "inverse",
            f"Somme des coûts publiés ({summary.cost_definition or 'coût estimé'}) ; "
            f"{summary.projects_withheld_cost} projet(s) sans coût publié, non comptés comme zéro.",
        ),
        (
            "Durée moyenne",
            f"{format_number(summary.mean_duration_years, 1)} ans",
            delta(summary.mean_duration_years, lambda b: b.mean_duration_years, lambda d: f"{format_number(d, 1)} an"),
            "inverse",
            "Moyenne des durées prévisionnelles publiées.",
        ),
        (
            "Écart budgétaire moyen",
            format_pct(summary.budget_drift.mean),
            delta(summary.budget_drift.mean, lambda b: b.budget_drift.mean, _points),
            "inverse",
            _drift_help(summary.budget_drift, official, "avg_budget_drift"),
        ),
        (
            "Écart calendaire moyen",
            format_pct(summary.schedule_drift.mean),
            delta(summary.schedule_drift.mean, lambda b: b.schedule_drift.mean, _points),
            "inverse",
            _drift_help(summary.schedule_drift, official, "avg_schedule_drift"),
        ),
        (
            "Projets interministériels",
            count(summary.interministerial_count),
            delta(summary.interministerial_count, lambda b: b.interministerial_count, count),
            "off",
            "Projets portés par plusieurs ministères.",
        ),
    ]
    columns = st.columns(3)
    for index, (label, value, change, colour, help_text) in enumerate(cells):
        columns[index % 3].metric(label, value, delta=change, delta_color=colour, help=help_text, border=True)
    if not meeting:
        st.caption(
            "Écarts calculés : dérive depuis la 1re publication de chaque projet (et non depuis l'estimation "
            "initiale, jamais publiée par projet) ; ils diffèrent donc des moyennes officielles. "
            + (f"Variations par rapport à {format_month(compare)}." if compare else "")
        )
