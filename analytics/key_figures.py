"""Key figures as every medium shows them (page metrics, briefing document): label, value, delta, help.

One function builds the overview's six figures from `PortfolioSummary` objects, so that the screen and
the printed briefing can never disagree on a figure or its wording.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.formatting import format_meur, format_number, format_pct, format_years
from analytics.panorama.portfolio import DriftStats, PortfolioSummary

DeltaColor = Literal["normal", "inverse", "off"]


class KeyFigure(BaseModel):
    """One metric: `delta_color` follows `st.metric` ("inverse": a rise is bad)."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: str
    delta: str | None = None
    delta_color: DeltaColor = "off"
    help: str | None = None


def official_row(headlines: pl.DataFrame, edition: date | None) -> dict[str, object] | None:
    """The edition's official headline figures, if DINUM published them."""
    rows = headlines.filter(pl.col("edition") == edition)
    return None if rows.is_empty() else rows.row(0, named=True)


def signed_delta(now: float | None, then: float | None, fmt: Callable[[float], str]) -> str | None:
    """`+3` / `-1,2 M€`, None when either side is unknown."""
    if now is None or then is None:
        return None
    difference = now - then
    return ("+" if difference > 0 else "") + fmt(difference)


def _points(difference: float) -> str:
    return format_number(difference * 100, 1) + " pt"


def _count(value: float) -> str:
    return format_number(value, 0)


def _drift_help(stats: DriftStats, official: dict[str, object] | None, column: str) -> str:
    text = f"Dérive depuis la 1re publication, moyenne sur {stats.known_count} projet(s)."
    if official is not None:
        text += f" Chiffre officiel DINUM de l'édition : {format_pct(official[column])}."
    return text


def portfolio_key_figures(
    summary: PortfolioSummary,
    before: PortfolioSummary | None,
    official: dict[str, object] | None = None,
) -> list[KeyFigure]:
    """The official panorama's six value boxes for any selection, with deltas against `before`.

    `official` (see `official_row`) is given only for an unfiltered selection: the official figures
    describe the whole panorama.
    """

    def delta(now: float | None, then: Callable[[PortfolioSummary], float | None], fmt) -> str | None:
        return None if before is None else signed_delta(now, then(before), fmt)

    return [
        KeyFigure(
            label="Projets suivis",
            value=_count(summary.project_count),
            delta=delta(summary.project_count, lambda b: b.project_count, _count),
            help="Nombre de projets de la sélection dans l'édition.",
        ),
        KeyFigure(
            label="Coût total estimé",
            value=format_meur(summary.total_cost_meur, 1),
            delta=delta(summary.total_cost_meur, lambda b: b.total_cost_meur, format_meur),
            delta_color="inverse",
            help=f"Somme des coûts publiés ({summary.cost_definition or 'coût estimé'}) ; "
            f"{summary.projects_withheld_cost} projet(s) sans coût publié, non comptés comme zéro.",
        ),
        KeyFigure(
            label="Durée moyenne",
            value=format_years(summary.mean_duration_years),
            delta=delta(
                summary.mean_duration_years, lambda b: b.mean_duration_years, lambda d: f"{format_number(d, 1)} an"
            ),
            delta_color="inverse",
            help="Moyenne des durées prévisionnelles publiées.",
        ),
        KeyFigure(
            label="Écart budgétaire moyen",
            value=format_pct(summary.budget_drift.mean),
            delta=delta(summary.budget_drift.mean, lambda b: b.budget_drift.mean, _points),
            delta_color="inverse",
            help=_drift_help(summary.budget_drift, official, "avg_budget_drift"),
        ),
        KeyFigure(
            label="Écart calendaire moyen",
            value=format_pct(summary.schedule_drift.mean),
            delta=delta(summary.schedule_drift.mean, lambda b: b.schedule_drift.mean, _points),
            delta_color="inverse",
            help=_drift_help(summary.schedule_drift, official, "avg_schedule_drift"),
        ),
        KeyFigure(
            label="Projets interministériels",
            value=_count(summary.interministerial_count),
            delta=delta(summary.interministerial_count, lambda b: b.interministerial_count, _count),
            help="Projets portés par plusieurs ministères.",
        ),
    ]
