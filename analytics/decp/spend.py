"""Spend of a framework through its linked subsequent contracts: burn-up, breakdowns, concentration, pace.

Inputs are `link_to_framework` outputs. Contracts whose amount is flagged (`amount_flag`) are excluded from
every sum and count here; they stay visible in the contract table. Amounts are notified amounts (montants
notifiés), not payments.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import polars as pl
from pydantic import BaseModel

from analytics.decp.frameworks import Framework
from analytics.formatting import format_eur_as_meur

DAYS_PER_MONTH = 365.25 / 12
PACE_METHOD_FR = (
    "Rythme moyen = montant notifié cumulé (montants signalés exclus) des marchés notifiés entre le début "
    "de l'accord-cadre et la date d'arrêt, divisé par le nombre de mois écoulés sur la même période "
    "(jours / 30,44). Projection linéaire : date d'arrêt + (cible − cumul) / rythme."
)
OUTSIDE_REGISTRY_FR = "hors registre"


def countable(contracts: pl.DataFrame) -> pl.DataFrame:
    """Contracts that enter sums: an amount present and not flagged."""
    return contracts.filter(pl.col("amount_flag").is_null() & pl.col("amount_eur").is_not_null())


MONTHLY_SCHEMA: dict[str, pl.DataType] = {
    "month": pl.Date(),
    "notified_eur": pl.Float64(),
    "cumulative_eur": pl.Float64(),
}


def monthly_running_total(
    dated: pl.DataFrame, start: date | None, end: date | None, as_of: date | None
) -> pl.DataFrame:
    """Monthly amount and running total of counted amounts (`day`, `amount_eur`), gaps filled with 0.

    Months run from `start` (or the first amount) to `as_of` capped at `end` (or to the last amount if later).
    """
    kept = dated.with_columns(month=pl.col("day").dt.month_start())
    bounds = [d for d in (start, kept.get_column("month").min()) if d is not None]
    horizon = min(as_of, end) if as_of and end else as_of
    ends = [d for d in (horizon, kept.get_column("month").max()) if d is not None]
    if not bounds or not ends:
        return pl.DataFrame(schema=MONTHLY_SCHEMA)
    months = pl.DataFrame(
        {"month": pl.date_range(min(bounds).replace(day=1), max(ends).replace(day=1), "1mo", eager=True)}
    )
    monthly = kept.group_by("month").agg(pl.col("amount_eur").sum().alias("notified_eur"))
    return (
        months.join(monthly, on="month", how="left", maintain_order="left")
        .with_columns(pl.col("notified_eur").fill_null(0.0))
        .with_columns(cumulative_eur=pl.col("notified_eur").cum_sum())
        .cast(MONTHLY_SCHEMA)
    )


def burn_up(contracts: pl.DataFrame, framework: Framework, as_of: date | None = None) -> pl.DataFrame:
    """Monthly notified amount and its running total, with the framework's estimate and maximum.

    Months run from the framework's start (or the first contract) to `as_of` capped at the framework's end
    (or to the last contract if later), with empty months at 0 so the curve has no gaps.
    """
    dated = countable(contracts).select(pl.col("notification_date").alias("day"), "amount_eur")
    return monthly_running_total(dated, framework.start_date, framework.end_date, as_of).with_columns(
        estimate_eur=pl.lit(framework.estimated_amount_eur, dtype=pl.Float64),
        maximum_eur=pl.lit(framework.maximum_amount_eur, dtype=pl.Float64),
    )


def _with_share(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(share=pl.col("notified_eur") / pl.col("notified_eur").sum()).sort(
        ["notified_eur", pl.first()], descending=[True, False]
    )


def by_beneficiary(contracts: pl.DataFrame) -> pl.DataFrame:
    """Notified amount and contract count per buyer (the beneficiary that notified the contract)."""
    return _with_share(
        countable(contracts)
        .group_by("buyer_id")
        .agg(
            pl.col("buyer_name").drop_nulls().first(),
            pl.len().cast(pl.Int32).alias("contracts"),
            pl.col("amount_eur").sum().alias("notified_eur"),
        )
    )


def _contractor(contracts: pl.DataFrame) -> pl.Expr:
    group = pl.col("awardee_group") if "awardee_group" in contracts.columns else pl.lit(None, dtype=pl.String)
    return pl.coalesce(group, pl.format("{} ({})", pl.col("holder_name"), pl.lit(OUTSIDE_REGISTRY_FR)))


def by_contractor(contracts: pl.DataFrame) -> pl.DataFrame:
    """Notified amount per awardee, consortium members grouped under their registry awardee.

    Holders absent from the registry keep their own name, suffixed "(hors registre)".
    """
    return _with_share(
        countable(contracts)
        .with_columns(contractor=_contractor(contracts))
        .group_by("contractor")
        .agg(pl.len().cast(pl.Int32).alias("contracts"), pl.col("amount_eur").sum().alias("notified_eur"))
    )


def by_quarter(contracts: pl.DataFrame) -> pl.DataFrame:
    """Notified amount and count per calendar quarter of notification ("2022 T1")."""
    return (
        countable(contracts)
        .with_columns(quarter_start=pl.col("notification_date").dt.truncate("1q"))
        .group_by("quarter_start")
        .agg(pl.len().cast(pl.Int32).alias("contracts"), pl.col("amount_eur").sum().alias("notified_eur"))
        .sort("quarter_start")
        .with_columns(
            quarter=pl.format("{} T{}", pl.col("quarter_start").dt.year(), pl.col("quarter_start").dt.quarter())
        )
        .select("quarter_start", "quarter", "contracts", "notified_eur")
    )


class Concentration(BaseModel):
    contractors: int
    top_contractor: str | None
    top1_share: float | None  # fraction of the notified total
    top3_share: float | None


def concentration(contracts: pl.DataFrame) -> Concentration:
    """Share of the largest contractor and of the three largest (consortia grouped)."""
    ranking = by_contractor(contracts)
    if ranking.is_empty():
        return Concentration(contractors=0, top_contractor=None, top1_share=None, top3_share=None)
    return Concentration(
        contractors=ranking.height,
        top_contractor=ranking.item(0, "contractor"),
        top1_share=ranking.item(0, "share"),
        top3_share=ranking.head(3).get_column("share").sum(),
    )


class ContractSizes(BaseModel):
    contracts: int
    total_eur: float
    mean_eur: float | None
    median_eur: float | None
    excluded_flagged: int  # contracts left out of these figures because their amount is flagged


def contract_sizes(contracts: pl.DataFrame) -> ContractSizes:
    kept = countable(contracts)
    amounts = kept.get_column("amount_eur")
    return ContractSizes(
        contracts=kept.height,
        total_eur=float(amounts.sum()),
        mean_eur=amounts.mean(),
        median_eur=amounts.median(),
        excluded_flagged=contracts.height - kept.height,
    )


def largest_contracts(contracts: pl.DataFrame, limit: int = 10) -> pl.DataFrame:
    """The `limit` largest countable contracts, largest first (ties by notification date)."""
    return countable(contracts).sort(["amount_eur", "notification_date"], descending=[True, False]).head(limit)


TargetStatus = Literal["projected", "already_reached", "zero_pace", "target_unknown", "pace_unknown"]


class TargetProjection(BaseModel):
    target_eur: float | None
    status: TargetStatus
    projected_date: date | None  # only when status is "projected"
    reached_on: date | None  # only when status is "already_reached": notification that crossed it
    after_term: bool  # projected date later than the framework's end
    message_fr: str


class Pace(BaseModel):
    as_of: date
    elapsed_months: float | None
    notified_eur: float
    monthly_pace_eur: float | None
    estimate: TargetProjection
    maximum: TargetProjection
    method_fr: str = PACE_METHOD_FR


def _project(
    target: float | None,
    label: str,
    notified: float,
    monthly_pace: float | None,
    dated: pl.DataFrame,
    end: date | None,
    as_of: date,
) -> TargetProjection:
    """When `target` is reached: already (the day the running total crossed it), or projected at `monthly_pace`.

    `dated` holds the counted amounts (`day`, `amount_eur`); `end` is the latest end of the term.
    """
    if target is None:
        return TargetProjection(
            target_eur=None,
            status="target_unknown",
            projected_date=None,
            reached_on=None,
            after_term=False,
            message_fr=f"{label} non publié : pas de projection.",
        )
    if notified >= target:
        crossing = dated.sort("day").filter(pl.col("amount_eur").cum_sum() >= target)
        reached = crossing.item(0, "day")
        return TargetProjection(
            target_eur=target,
            status="already_reached",
            projected_date=None,
            reached_on=reached,
            after_term=False,
            message_fr=f"{label} ({format_eur_as_meur(target)}) déjà atteint, le {reached:%d/%m/%Y}.",
        )
    if monthly_pace is None:
        return TargetProjection(
            target_eur=target,
            status="pace_unknown",
            projected_date=None,
            reached_on=None,
            after_term=False,
            message_fr="Rythme non calculable : début de l'accord-cadre inconnu ou pas encore passé.",
        )
    if monthly_pace == 0:
        return TargetProjection(
            target_eur=target,
            status="zero_pace",
            projected_date=None,
            reached_on=None,
            after_term=False,
            message_fr=f"Rythme nul : {label.lower()} ({format_eur_as_meur(target)}) jamais atteint à ce rythme.",
        )
    projected = as_of + timedelta(days=round((target - notified) / monthly_pace * DAYS_PER_MONTH))
    after_term = end is not None and projected > end
    suffix = f", après la fin de l'accord-cadre ({end:%d/%m/%Y})" if after_term else ""
    return TargetProjection(
        target_eur=target,
        status="projected",
        projected_date=projected,
        reached_on=None,
        after_term=after_term,
        message_fr=f"{label} ({format_eur_as_meur(target)}) atteint vers le {projected:%d/%m/%Y} à ce rythme{suffix}.",
    )


def pace_of(
    dated: pl.DataFrame,
    *,
    start: date | None,
    end: date | None,
    estimate: float | None,
    maximum: float | None,
    as_of: date,
) -> Pace:
    """Average monthly amount over the elapsed term and when `estimate` / `maximum` would be reached.

    `dated` holds counted amounts (`day`, `amount_eur`) of any source (DECP contracts, ledger orders). See
    PACE_METHOD_FR. The elapsed term ends at `as_of` or at `end`, whichever comes first.
    """
    period_end = min(as_of, end) if end else as_of
    kept = dated.filter(pl.col("day") <= period_end)
    if start is not None:
        kept = kept.filter(pl.col("day") >= start)
    notified = float(kept.get_column("amount_eur").sum())
    elapsed = (period_end - start).days / DAYS_PER_MONTH if start else None
    monthly = notified / elapsed if elapsed else None
    if elapsed is not None and elapsed <= 0:
        elapsed, monthly = None, None
    return Pace(
        as_of=as_of,
        elapsed_months=elapsed,
        notified_eur=notified,
        monthly_pace_eur=monthly,
        estimate=_project(estimate, "Montant estimé", notified, monthly, kept, end, as_of),
        maximum=_project(maximum, "Montant maximum", notified, monthly, kept, end, as_of),
    )


def pace(contracts: pl.DataFrame, framework: Framework, as_of: date) -> Pace:
    """Average monthly notified amount of linked contracts over the framework's elapsed term (see `pace_of`)."""
    dated = countable(contracts).select(pl.col("notification_date").alias("day"), "amount_eur")
    return pace_of(
        dated,
        start=framework.start_date,
        end=framework.end_date,
        estimate=framework.estimated_amount_eur,
        maximum=framework.maximum_amount_eur,
        as_of=as_of,
    )
