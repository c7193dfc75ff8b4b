"""The ministry sheet as people read it: key figures against the comparison edition and French tables.

Figures come from `ministry_sheet` unchanged; this module names and orders them (numbers kept numeric so that
tables sort and downloads stay exact). Shares and drifts are fractions; their changes are in points.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.formatting import column_formats, format_meur, format_number, format_pct, format_points
from analytics.key_figures import KeyFigure, signed_delta
from analytics.panorama.ledger import is_slipping
from analytics.panorama.ministry import MinistrySheet

MEETING_TRAJECTORY_FR = ("Édition", "Projets", "Coût (M€)", "Part du coût de l'État (%)", "Écart budgétaire moyen")


def sheet_formats(table: pl.DataFrame) -> dict[str, list[str]]:
    """Display formats of the tables built here, for the page's table helper."""
    return column_formats(
        table.columns,
        money=("Coût (M€)", "Coût de l'État (M€)"),
        percent=(
            "Écart budgétaire moyen",
            "Écart budgétaire pondéré",
            "Écart calendaire moyen",
            "Écart budgétaire",
            "Écart calendaire",
        ),
        integers=("Projets", "Projets sans coût publié", "Projets de l'État"),
        years=("Part du coût de l'État (%)", "Part des projets de l'État (%)"),
        months=("Édition",),
    )


def _row(sheet: MinistrySheet, edition: date | None) -> dict[str, object] | None:
    if edition is None:
        return None
    rows = sheet.trajectory.filter(pl.col("edition") == edition)
    return rows.row(0, named=True) if rows.height else None


def _figure(
    label: str,
    column: str,
    now: dict[str, object],
    then: dict[str, object] | None,
    fmt,
    delta_fmt,
    help_fr: str,
    colour: str = "off",
) -> KeyFigure:
    value = now[column]
    delta = signed_delta(value, then[column], delta_fmt) if then is not None else None
    return KeyFigure(label=label, value=fmt(value), delta=delta, delta_colour=colour, help=help_fr)


def _count(value: float | None) -> str:
    return format_number(value, 0)


def ministry_key_figures(sheet: MinistrySheet, compare: date | None) -> list[KeyFigure]:
    """Projects, cost, shares of the State and average drifts in the sheet's edition, changes since `compare`."""
    now, then = _row(sheet, sheet.edition), _row(sheet, compare)
    if now is None:
        return []
    return [
        _figure("Projets", "projects", now, then, _count, _count, "Projets du ministère dans l'édition."),
        _figure(
            "Coût total estimé",
            "cost_meur",
            now,
            then,
            format_meur,
            format_meur,
            "Somme des coûts publiés des projets du ministère ; un coût non publié n'est pas compté comme zéro.",
            "inverse",
        ),
        _figure(
            "Part du coût de l'État",
            "cost_share",
            now,
            then,
            format_pct,
            format_points,
            "Coût publié du ministère rapporté au coût publié de tous les projets de l'édition.",
        ),
        _figure(
            "Part des projets de l'État",
            "project_share",
            now,
            then,
            format_pct,
            format_points,
            "Projets du ministère rapportés à tous les projets de l'édition.",
        ),
        _figure(
            "Écart budgétaire moyen",
            "mean_budget_drift",
            now,
            then,
            format_pct,
            format_points,
            "Dérive depuis la 1re publication, moyenne sur les projets du ministère dont elle est connue.",
            "inverse",
        ),
        _figure(
            "Écart budgétaire pondéré",
            "weighted_budget_drift",
            now,
            then,
            format_pct,
            format_points,
            "Dérive depuis la 1re publication, pondérée par le coût de chaque projet.",
            "inverse",
        ),
    ]


def trajectory_table(sheet: MinistrySheet, detailed: bool = True) -> pl.DataFrame:
    """One row per edition of the panorama, the ministry's portfolio and its share of the State's."""
    table = sheet.trajectory.select(
        pl.col("edition").alias("Édition"),  # a date: shown « 11/2021 » (month column)
        pl.col("projects").alias("Projets"),
        pl.col("cost_meur").alias("Coût (M€)"),
        pl.col("projects_withheld_cost").alias("Projets sans coût publié"),
        (pl.col("cost_share") * 100).alias("Part du coût de l'État (%)"),  # a share, in percent: never signed
        (pl.col("project_share") * 100).alias("Part des projets de l'État (%)"),
        pl.col("mean_budget_drift").alias("Écart budgétaire moyen"),
        pl.col("weighted_budget_drift").alias("Écart budgétaire pondéré"),
        pl.col("mean_schedule_drift").alias("Écart calendaire moyen"),
        pl.col("state_projects").alias("Projets de l'État"),
        pl.col("state_cost_meur").alias("Coût de l'État (M€)"),
    )
    return table if detailed else table.select(MEETING_TRAJECTORY_FR)


def projects_table(sheet: MinistrySheet) -> pl.DataFrame:
    """The ministry's projects in the sheet's edition, largest cost first, with the slippage signal."""
    return sheet.projects.select(
        pl.col("project_name").alias("Projet"),
        pl.col("phase").cast(pl.String).fill_null("Non publiée").alias("Phase"),
        pl.col("cost_meur").alias("Coût (M€)"),
        pl.col("budget_drift").alias("Écart budgétaire"),
        pl.col("schedule_drift").alias("Écart calendaire"),
        is_slipping().alias("En glissement"),
    )
