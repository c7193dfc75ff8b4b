"""The drift ledger on the project sheet as people read it: the table, the totals since first publication and the
slippage signal in words (numbers kept numeric in the table, so that it sorts and downloads stay exact)."""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.formatting import (
    column_formats,
    display_round,
    format_meur,
    format_month,
    format_number,
    format_pct,
    format_years,
)
from analytics.panorama.ledger import SLIPPAGE_MIN_STREAK, LedgerSummary, ProjectLedger

MEETING_COLUMNS_FR = (
    "Édition",
    "Coût (M€)",
    "Variation du coût (M€)",
    "Écart budgétaire",
    "Fin prévue",
    "En glissement",
)


def ledger_formats(table: pl.DataFrame) -> dict[str, list[str]]:
    """Display formats of `ledger_table`'s columns, for the page's table helper."""
    return column_formats(
        table.columns,
        money=("Coût (M€)", "Variation du coût (M€)"),
        percent=("Écart budgétaire", "Écart calendaire"),
        years=("Durée (ans)", "Variation de durée (ans)"),
        integers=("Décalage de la fin (mois)",),
        months=("Édition", "Coût comparé à", "Fin prévue"),
    )


def ledger_table(ledger: ProjectLedger, published: pl.DataFrame, detailed: bool = True) -> pl.DataFrame:
    """One row per edition, oldest first: each figure, the step it added and the edition it is measured from.

    Editions stay dates (shown « 11/2021 » by the display model's month columns, sorted as dates).

    `published` (the project's rows: `edition`, `ministry_name`) gives the ministry as published in each edition.
    """
    table = ledger.entries.join(published.select("edition", "ministry_name"), on="edition", how="left").select(
        pl.col("edition").alias("Édition"),
        pl.col("project_name").alias("Nom publié"),
        pl.col("ministry_name").alias("Ministère (publié)"),
        pl.col("phase").cast(pl.String).alias("Phase"),
        pl.col("cost_meur").alias("Coût (M€)"),
        pl.col("cost_step_meur").alias("Variation du coût (M€)"),
        pl.col("cost_step_since").alias("Coût comparé à"),
        pl.col("budget_drift").alias("Écart budgétaire"),
        pl.col("duration_years").alias("Durée (ans)"),
        pl.col("duration_step_years").alias("Variation de durée (ans)"),
        pl.col("end_date").alias("Fin prévue"),
        pl.col("end_step_months").alias("Décalage de la fin (mois)"),
        pl.col("schedule_drift").alias("Écart calendaire"),
        pl.col("slipping").alias("En glissement"),
    )
    return table if detailed else table.select(MEETING_COLUMNS_FR)


def _signed(text: str, value: float | None) -> str:
    return f"+{text}" if value is not None and display_round(value, 1) > 0 else text


def summary_lines(summary: LedgerSummary) -> list[str]:
    """The first published cost and duration with their edition, the latest ones, the totals since (plain text)."""
    if summary.first_cost_meur is None:
        cost = "Coût : jamais publié."
    else:
        total = summary.total_cost_change_meur
        cost = (
            f"Premier coût publié : {format_meur(summary.first_cost_meur)} ({format_month(summary.first_cost_edition)})"
            f" · dernier : {format_meur(summary.latest_cost_meur)} ({format_month(summary.latest_cost_edition)})"
            f" · depuis la 1re publication : {_signed(format_meur(total), total)}"
            f" ({format_pct(summary.total_budget_drift, signed=True)})"
        )
    if summary.first_duration_years is None:
        duration = "Durée : jamais publiée."
    else:
        change = summary.total_duration_change_years
        duration = (
            f"Première durée publiée : {format_years(summary.first_duration_years)} "
            f"({format_month(summary.first_duration_edition)}) · dernière : "
            f"{format_years(summary.latest_duration_years)} · depuis la 1re publication : "
            f"{_signed(format_years(change), change)}"
        )
    return [cost, duration]


def slippage_status(ledger: ProjectLedger, edition: date) -> tuple[bool, str]:
    """Whether the project is « en glissement » as of `edition` (its latest edition when absent) and why."""
    rows = ledger.entries.filter(pl.col("edition") <= edition)
    if rows.is_empty():
        return False, f"Pas encore publié en {format_month(edition)}."
    row = rows.row(rows.height - 1, named=True)
    when = format_month(row["edition"])
    if not row["slipping"]:
        return False, (
            f"Pas en glissement en {when} : ni le coût ni la date de fin n'ont augmenté à "
            f"{SLIPPAGE_MIN_STREAK} publications successives ou plus."
        )
    reasons = []
    if row["cost_rise_streak"] >= SLIPPAGE_MIN_STREAK:
        reasons.append(f"coût en hausse à {format_number(row['cost_rise_streak'], 0)} publications successives")
    if row["end_rise_streak"] >= SLIPPAGE_MIN_STREAK:
        reasons.append(f"date de fin reportée à {format_number(row['end_rise_streak'], 0)} publications successives")
    return True, f"En glissement en {when} : {' ; '.join(reasons)}."
