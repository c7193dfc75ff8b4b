"""The overview's key figures: the official panorama's six value boxes, for any selection, with their changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from analytics.formatting import format_meur, format_month, format_number, format_pct, format_points
from analytics.key_figures import KeyFigure, signed_delta
from analytics.panorama.portfolio import DriftStats, PortfolioSummary

KEY_FIGURES_NOTE_FR = (
    "Écarts calculés : dérive depuis la 1re publication de chaque projet (et non depuis l'estimation initiale, "
    "jamais publiée par projet) ; ils diffèrent donc des moyennes officielles."
)


def _count(value: float) -> str:
    return format_number(value, 0)


def _years(value: float) -> str:
    return f"{format_number(value, 1)}\u00a0an"


def _drift_help(stats: DriftStats, official: dict[str, object] | None, column: str) -> str:
    text = f"Dérive depuis la 1re publication, moyenne sur {stats.known_count} projet(s)."
    if official is not None and official.get(column) is not None:
        text += f" Chiffre officiel DINUM de l'édition : {format_pct(official[column])}."
    return text


def overview_key_figures(
    summary: PortfolioSummary, before: PortfolioSummary | None, official: dict[str, object] | None
) -> list[KeyFigure]:
    """Six figures in the official order; changes against `before`; `official` only for an unfiltered selection.

    A figure that no project publishes reads « non publié », never a bare dash.
    """

    def change(now: float | None, then: Callable[[PortfolioSummary], float | None], fmt) -> str | None:
        return None if before is None else signed_delta(now, then(before), fmt)

    def shown(value: str, present: bool) -> str:
        return value if present else "non publié"

    duration = summary.mean_duration_years
    return [
        KeyFigure(
            label="Projets suivis",
            value=_count(summary.project_count),
            delta=change(summary.project_count, lambda b: b.project_count, _count),
            help="Nombre de projets de la sélection dans l'édition.",
        ),
        KeyFigure(
            label="Coût total estimé",
            value=shown(format_meur(summary.total_cost_meur, 1), summary.total_cost_meur is not None),
            delta=change(summary.total_cost_meur, lambda b: b.total_cost_meur, format_meur),
            delta_colour="inverse",
            help=f"Somme des coûts publiés ({summary.cost_definition or 'coût estimé'}) ; "
            f"{summary.projects_withheld_cost} projet(s) sans coût publié, non comptés comme zéro.",
        ),
        KeyFigure(
            label="Durée moyenne",
            value=shown(f"{format_number(duration, 1)}\u00a0ans", duration is not None),
            delta=change(duration, lambda b: b.mean_duration_years, _years),
            delta_colour="inverse",
            help="Moyenne des durées prévisionnelles publiées.",
        ),
        KeyFigure(
            label="Écart budgétaire moyen",
            value=shown(format_pct(summary.budget_drift.mean), summary.budget_drift.mean is not None),
            delta=change(summary.budget_drift.mean, lambda b: b.budget_drift.mean, format_points),
            delta_colour="inverse",
            help=_drift_help(summary.budget_drift, official, "avg_budget_drift"),
        ),
        KeyFigure(
            label="Écart calendaire moyen",
            value=shown(format_pct(summary.schedule_drift.mean), summary.schedule_drift.mean is not None),
            delta=change(summary.schedule_drift.mean, lambda b: b.schedule_drift.mean, format_points),
            delta_colour="inverse",
            help=_drift_help(summary.schedule_drift, official, "avg_schedule_drift"),
        ),
        KeyFigure(
            label="Projets interministériels",
            value=_count(summary.interministerial_count),
            delta=change(summary.interministerial_count, lambda b: b.interministerial_count, _count),
            help="Projets portés par plusieurs ministères.",
        ),
    ]


def comparison_note(compare: date | None) -> str:
    return KEY_FIGURES_NOTE_FR + (f" Variations par rapport à {format_month(compare)}." if compare else "")
