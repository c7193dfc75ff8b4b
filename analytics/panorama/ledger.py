"""Drift ledger of each project and the slippage signal (« en glissement »).

The ledger says where the drift since first publication came from: the first published cost and duration,
then, edition by edition, the step from the figure the project published before, attributed to the edition
that published it; the steps add up to the drift since first publication. The slippage signal flags the
projects whose cost or planned end date went up at two or more successive publications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.panorama.drift import require_drift_columns
from analytics.panorama.movements import Frame

# A cost rise counts from the smallest step visible at one decimal; an end date from one month.
SLIPPAGE_MIN_COST_RISE_MEUR = 0.05
SLIPPAGE_MIN_END_RISE_MONTHS = 1
SLIPPAGE_MIN_STREAK = 2

SLIPPAGE_RULE_FR = (
    "En glissement : projet dont le coût, ou la date de fin prévue (début + durée), a augmenté à chacune "
    f"de ses {SLIPPAGE_MIN_STREAK} dernières publications au moins, jusqu'à l'édition affichée comprise. "
    "Chaque hausse se compare au chiffre que le projet avait publié auparavant ; un coût compte comme en "
    "hausse à partir de +0,05 M€ (le plus petit écart visible), une date de fin à partir d'un mois. Une "
    "stabilité ou une baisse interrompt la série ; une édition où le chiffre n'est pas publié ne l'interrompt "
    "pas et ne compte pas comme une hausse. Les éditions de 2019-07 à 2020-11 n'étant pas disponibles, le "
    "chiffre de juillet 2021 se compare à celui de mars 2019."
)
LEDGER_METHOD_FR = (
    "Registre des dérives : le premier coût et la première durée publiés par le projet dans le panorama "
    "servent de référence ; chaque édition suivante donne le chiffre publié et l'écart avec le chiffre "
    "publié précédemment, attribué à l'édition qui l'a publié (une édition sans chiffre publié est sautée). "
    "La somme des écarts est la dérive depuis la première publication. La date de fin est le début publié "
    "plus la durée publiée : elle bouge aussi quand un projet republie sa date de début."
)

LEDGER_SCHEMA: dict[str, pl.DataType] = {
    "end_date": pl.Date(),  # start + duration, to the month; null when either is unknown
    "cost_step_meur": pl.Float64(),  # cost - the project's previous published cost
    "cost_step_since": pl.Date(),  # edition of that previous published cost
    "duration_step_years": pl.Float64(),
    "duration_step_since": pl.Date(),
    "end_step_months": pl.Int32(),  # months the end date moved since the previous published end date
    "end_step_since": pl.Date(),
    "cost_rise_streak": pl.UInt32(),  # successive published cost rises up to this edition
    "end_rise_streak": pl.UInt32(),
    "slipping": pl.Boolean(),  # either streak reaches SLIPPAGE_MIN_STREAK
}

_ROW = "__ledger_row"
_SAME_PROJECT = "__ledger_same_project"


def _end_date() -> pl.Expr:
    months = (pl.col("duration_years") * 12).round().cast(pl.Int64)
    return pl.col("start_date").dt.offset_by(pl.format("{}mo", months))


def _month_index(day: pl.Expr) -> pl.Expr:
    return day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32)


def _previous_published(value: str, source: pl.Expr) -> pl.Expr:
    """`source` at the project's last row before this one where `value` was published (else null).

    On the frame sorted by project and edition: a forward fill over the whole frame, kept only when the
    filled row belongs to the same project (its project id is filled alongside).
    """
    published = pl.col(value).is_not_null()
    filled = pl.when(published).then(source).forward_fill().shift(1)
    owner = pl.when(published).then(pl.col("project_id")).forward_fill().shift(1)
    return pl.when(owner == pl.col("project_id")).then(filled)


def _step(value: str, step: str, since: str) -> list[pl.Expr]:
    """Change since the project's previous published value (`step`), and the edition of that value (`since`)."""
    published = pl.col(value).is_not_null()
    return [
        (pl.col(value) - _previous_published(value, pl.col(value))).alias(step),
        pl.when(published).then(_previous_published(value, pl.col("edition"))).alias(since),
    ]


def _rise_streak(rise: pl.Expr) -> pl.Expr:
    """Successive rises up to this row; a non-rise resets it, an unknown step (null) leaves it as it was.

    Running count of rises over the sorted frame minus its value at the last reset, a project's first row
    being one: no window per project needed.
    """
    counted = rise.fill_null(False).cast(pl.UInt32)
    running = counted.cum_sum()
    at_reset = pl.when(rise.not_() | ~pl.col(_SAME_PROJECT)).then(running - counted).forward_fill()
    return (running - at_reset).cast(pl.UInt32)


def with_ledger(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add the `LEDGER_SCHEMA` columns; expects all the editions of each project, like `with_drift`.

    Rows keep the caller's order; a frame filtered afterwards (one edition, a ministry) keeps each row's
    values as of its edition, so `is_slipping()` filters the project table of any edition. As in
    `with_drift`, the few columns needed are sorted once by project and edition and every column is a
    running or shifted column of that frame, then put back in the caller's order.
    """
    cost_rise = pl.col("cost_step_meur") > SLIPPAGE_MIN_COST_RISE_MEUR - 1e-9
    end_rise = pl.col("end_step_months") >= SLIPPAGE_MIN_END_RISE_MONTHS
    ledger = (
        lf.select("project_id", "edition", "cost_meur", "duration_years", "start_date")
        .with_row_index(_ROW)
        .sort("project_id", "edition")
        .with_columns(
            _end_date().alias("end_date"),
            pl.col("project_id").eq_missing(pl.col("project_id").shift(1)).fill_null(False).alias(_SAME_PROJECT),
        )
        .with_columns(_month_index(pl.col("end_date")).alias("__end_month"))
        .with_columns(
            *_step("cost_meur", "cost_step_meur", "cost_step_since"),
            *_step("duration_years", "duration_step_years", "duration_step_since"),
            *_step("__end_month", "end_step_months", "end_step_since"),
        )
        .with_columns(
            _rise_streak(cost_rise).alias("cost_rise_streak"), _rise_streak(end_rise).alias("end_rise_streak")
        )
        .with_columns(is_slipping().alias("slipping"))
        .sort(_ROW)
        .select(pl.col(name).cast(dtype) for name, dtype in LEDGER_SCHEMA.items())
    )
    return pl.concat([lf.select(pl.exclude(*LEDGER_SCHEMA)), ledger], how="horizontal")


def is_slipping() -> pl.Expr:
    """« En glissement » as of each row's edition (see `SLIPPAGE_RULE_FR`), on a frame from `with_ledger`."""
    return (pl.col("cost_rise_streak") >= SLIPPAGE_MIN_STREAK) | (pl.col("end_rise_streak") >= SLIPPAGE_MIN_STREAK)


class LedgerSummary(BaseModel):
    """First published figures of a project and the total change since, as of its latest edition."""

    model_config = ConfigDict(frozen=True)

    project_id: str
    project_name: str  # as published in the latest edition
    first_cost_meur: float | None
    first_cost_edition: date | None
    first_duration_years: float | None
    first_duration_edition: date | None
    latest_edition: date
    latest_cost_meur: float | None  # last published cost (a withheld latest edition does not hide it)
    latest_cost_edition: date | None
    total_cost_change_meur: float | None  # latest cost - first cost = sum of the cost steps
    total_budget_drift: float | None
    latest_duration_years: float | None
    total_duration_change_years: float | None
    slipping: bool  # as of the latest edition


@dataclass(frozen=True)
class ProjectLedger:
    """One row per edition of the project (`LEDGER_COLUMNS`), oldest first, and its summary."""

    entries: pl.DataFrame
    summary: LedgerSummary


LEDGER_COLUMNS: tuple[str, ...] = (
    "edition",
    "project_name",
    "ministry_label",
    "phase",
    "cost_meur",
    "cost_step_meur",
    "cost_step_since",
    "budget_drift_meur",
    "budget_drift",
    "duration_years",
    "duration_step_years",
    "duration_step_since",
    "schedule_drift",
    "start_date",
    "end_date",
    "end_step_months",
    "end_step_since",
    "cost_rise_streak",
    "end_rise_streak",
    "slipping",
    "baseline_cost_meur",
    "baseline_cost_edition",
    "baseline_duration_years",
    "baseline_duration_edition",
)


def _last_published(column: str) -> pl.Expr:
    return pl.col(column).drop_nulls().last()


def project_ledger(df_all: Frame, project_id: str) -> ProjectLedger | None:
    """The ledger of one project from a frame carrying the drift columns; None when the project is absent."""
    lf = require_drift_columns(df_all, "Registre des dérives")
    entries = (
        with_ledger(lf.filter(pl.col("project_id") == project_id).sort("edition")).select(LEDGER_COLUMNS).collect()
    )
    if entries.is_empty():
        return None
    figures = entries.select(
        pl.col("baseline_cost_meur").drop_nulls().first().alias("first_cost_meur"),
        pl.col("baseline_cost_edition").drop_nulls().first().alias("first_cost_edition"),
        pl.col("baseline_duration_years").drop_nulls().first().alias("first_duration_years"),
        pl.col("baseline_duration_edition").drop_nulls().first().alias("first_duration_edition"),
        pl.col("edition").last().alias("latest_edition"),
        pl.col("project_name").last(),
        _last_published("cost_meur").alias("latest_cost_meur"),
        pl.col("edition").filter(pl.col("cost_meur").is_not_null()).last().alias("latest_cost_edition"),
        _last_published("budget_drift_meur").alias("total_cost_change_meur"),
        _last_published("budget_drift").alias("total_budget_drift"),
        _last_published("duration_years").alias("latest_duration_years"),
        (_last_published("duration_years") - pl.col("baseline_duration_years").drop_nulls().first()).alias(
            "total_duration_change_years"
        ),
        pl.col("slipping").last(),
    ).row(0, named=True)
    return ProjectLedger(entries, LedgerSummary(project_id=project_id, **figures))
