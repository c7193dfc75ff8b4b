"""Framework ceiling: when the framework agreement's estimate and maximum are reached at a given pace.

Months are average months of 365.25 / 12 days, so paces and dates stay consistent with each other.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Self

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from analytics.formatting import format_date, format_eur, format_pct
from analytics.simulations.common import check_date, check_number
from analytics.simulations.labels import to_french

DAYS_PER_MONTH = 365.25 / 12
MAX_AMOUNT_EUR = 1e12
PACE_OBSERVED = "Rythme observé"
PACE_USER = "Rythme saisi"

_LABELS = {
    "start_date": "La date de début de l'accord-cadre",
    "end_date": "La date de fin de l'accord-cadre",
    "as_of": "La date d'observation",
    "estimated_eur": "Le montant estimé de l'accord-cadre",
    "maximum_eur": "Le montant maximum de l'accord-cadre",
    "consumed_eur": "Le montant consommé",
    "observed_pace_eur_per_month": "Le rythme observé",
    "user_pace_eur_per_month": "Le rythme saisi",
}


def can_simulate(framework: object) -> bool:
    """A framework's ceiling can be projected once its estimate and its term are published."""
    return all(
        getattr(framework, name, None) is not None for name in ("estimated_amount_eur", "start_date", "end_date")
    )


class FrameworkCeilingParams(BaseModel):
    """Plain values computed elsewhere from DECP data; the user pace, when set, replaces the observed one."""

    model_config = ConfigDict(frozen=True)

    framework_id: str | None = None
    start_date: date
    end_date: date
    estimated_eur: float
    maximum_eur: float | None = None
    consumed_eur: float
    as_of: date
    observed_pace_eur_per_month: float
    user_pace_eur_per_month: float | None = None

    @field_validator("start_date", "end_date", "as_of", mode="before")
    @classmethod
    def _check_dates(cls, value: object, info: ValidationInfo) -> date:
        return check_date(value, _LABELS[info.field_name])

    @field_validator("estimated_eur", "maximum_eur", mode="before")
    @classmethod
    def _check_ceilings(cls, value: object, info: ValidationInfo) -> float | None:
        if value is None and info.field_name == "maximum_eur":
            return None
        return check_number(value, _LABELS[info.field_name], lower=0.0, upper=MAX_AMOUNT_EUR, lower_open=True, unit="€")

    @field_validator("consumed_eur", "observed_pace_eur_per_month", "user_pace_eur_per_month", mode="before")
    @classmethod
    def _check_amounts(cls, value: object, info: ValidationInfo) -> float | None:
        if value is None and info.field_name == "user_pace_eur_per_month":
            return None
        return check_number(value, _LABELS[info.field_name], lower=0.0, upper=MAX_AMOUNT_EUR, unit="€")

    @model_validator(mode="after")
    def _check_term(self) -> Self:
        if self.end_date <= self.start_date:
            raise ValueError(
                f"La date de fin de l'accord-cadre ({format_date(self.end_date)}) doit être postérieure "
                f"à sa date de début ({format_date(self.start_date)})."
            )
        return self

    @property
    def pace_eur_per_month(self) -> float:
        if self.user_pace_eur_per_month is None:
            return self.observed_pace_eur_per_month
        return self.user_pace_eur_per_month


class CeilingProjection(BaseModel):
    """One amount (estimate or maximum) projected at the pace; a None date or pace comes with its reason."""

    model_config = ConfigDict(frozen=True)

    label: str
    amount_eur: float
    consumed_share: float  # consumed / amount, may exceed 1
    remaining_eur: float  # 0 once reached
    already_reached: bool
    reached_on: date | None
    reached_on_reason: str | None
    reached_before_end: bool | None  # None when it cannot be told
    required_pace_eur_per_month: float | None  # the pace that reaches the amount exactly at the end
    required_pace_reason: str | None


class FrameworkCeilingResult(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    params: FrameworkCeilingParams
    pace_eur_per_month: float
    pace_source: str
    term_months: float
    elapsed_months: float  # clamped to [0, term]
    remaining_months: float  # from max(as-of, start) to the end, 0 once the term is over
    term_elapsed_share: float  # in [0, 1]
    projected_at_end_eur: float  # consumed + pace × remaining months
    estimate: CeilingProjection
    maximum: CeilingProjection | None
    ceiling_reached_before_end: bool | None  # the maximum when known, else the estimate
    notices: list[str]
    projection: pl.DataFrame  # monthly projected consumption from max(as-of, start) to the end

    @property
    def summary(self) -> str:
        """One French line setting the term elapsed against the amounts consumed."""
        parts = [
            f"Terme écoulé : {format_pct(self.term_elapsed_share, trim=True)}",
            f"montant estimé consommé : {format_pct(self.estimate.consumed_share, trim=True)}",
        ]
        if self.maximum is not None:
            parts.append(f"montant maximum consommé : {format_pct(self.maximum.consumed_share, trim=True)}")
        return " ; ".join(parts) + "."

    def tables(self) -> dict[str, pl.DataFrame]:
        """Detail tables with French headers, keyed by a French title, ready to display or download."""
        return {"Projection mensuelle": to_french(self.projection)}


def _months(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def _project(
    label: str, amount: float, params: FrameworkCeilingParams, from_day: date, remaining_months: float
) -> CeilingProjection:
    consumed, pace, end = params.consumed_eur, params.pace_eur_per_month, params.end_date
    remaining = max(0.0, amount - consumed)
    reached_on: date | None = None
    reached_before_end: bool | None
    required_pace: float | None = None
    if consumed >= amount:
        reason = (
            f"Montant déjà atteint au {format_date(params.as_of)} : la date exacte de franchissement n'est pas connue."
        )
        reached_before_end = True if params.as_of <= end else None
        pace_reason: str | None = "Montant déjà atteint : aucun rythme n'est nécessaire."
    elif remaining_months == 0:
        reason = pace_reason = (
            f"L'accord-cadre a pris fin le {format_date(end)} : aucune consommation n'est projetée au-delà."
        )
        reached_before_end = False
    else:
        required_pace, pace_reason = remaining / remaining_months, None
        days = remaining / pace * DAYS_PER_MONTH if pace > 0 else None
        if days is None:
            reason = "Rythme nul : le montant ne serait jamais atteint."
            reached_before_end = False
        elif days > (date.max - from_day).days:
            reason = f"Au rythme de {format_eur(pace)} par mois, le montant ne serait pas atteint avant l'an 9999."
            reached_before_end = False
        else:
            reached_on, reason = from_day + timedelta(days=round(days)), None
            reached_before_end = reached_on <= end
    return CeilingProjection(
        label=label,
        amount_eur=amount,
        consumed_share=consumed / amount,
        remaining_eur=remaining,
        already_reached=consumed >= amount,
        reached_on=reached_on,
        reached_on_reason=reason,
        reached_before_end=reached_before_end,
        required_pace_eur_per_month=required_pace,
        required_pace_reason=pace_reason,
    )


def _projection(params: FrameworkCeilingParams, from_day: date) -> pl.DataFrame:
    end = params.end_date
    days = (
        pl.concat([pl.date_range(from_day, end, "1mo", eager=True), pl.Series([end])]).unique(maintain_order=True)
        if from_day < end
        else pl.Series([params.as_of])
    )
    return pl.DataFrame({"month": days}, schema={"month": pl.Date()}).with_columns(
        projected_consumed_eur=params.consumed_eur
        + params.pace_eur_per_month
        * ((pl.col("month") - from_day).dt.total_days().clip(lower_bound=0) / DAYS_PER_MONTH),
        estimated_eur=pl.lit(params.estimated_eur, pl.Float64),
        maximum_eur=pl.lit(params.maximum_eur, pl.Float64),
    )


def simulate_framework_ceiling(params: FrameworkCeilingParams) -> FrameworkCeilingResult:
    """Dates and paces at which the framework's estimate and maximum are reached, from the as-of date."""
    start, end, as_of = params.start_date, params.end_date, params.as_of
    from_day = max(as_of, start)
    term = _months(start, end)
    remaining = max(0.0, _months(from_day, end))
    estimate = _project("Montant estimé", params.estimated_eur, params, from_day, remaining)
    maximum = (
        None
        if params.maximum_eur is None
        else _project("Montant maximum", params.maximum_eur, params, from_day, remaining)
    )
    return FrameworkCeilingResult(
        params=params,
        pace_eur_per_month=params.pace_eur_per_month,
        pace_source=PACE_OBSERVED if params.user_pace_eur_per_month is None else PACE_USER,
        term_months=term,
        elapsed_months=term - remaining if as_of >= start else 0.0,
        remaining_months=remaining,
        term_elapsed_share=min(1.0, max(0.0, (as_of - start).days / (end - start).days)),
        projected_at_end_eur=params.consumed_eur + params.pace_eur_per_month * remaining,
        estimate=estimate,
        maximum=maximum,
        ceiling_reached_before_end=(maximum or estimate).reached_before_end,
        notices=_notices(params),
        projection=_projection(params, from_day),
    )


def _notices(params: FrameworkCeilingParams) -> list[str]:
    start, end, as_of = params.start_date, params.end_date, params.as_of
    consumed, estimated, maximum = params.consumed_eur, params.estimated_eur, params.maximum_eur
    notices: list[str] = []
    if as_of < start:
        notices.append(
            f"La date d'observation ({format_date(as_of)}) précède le début de l'accord-cadre "
            f"({format_date(start)}) : la projection part du début de l'accord-cadre."
        )
    if as_of >= end:
        notices.append(
            f"La date d'observation ({format_date(as_of)}) n'est pas antérieure à la fin de l'accord-cadre "
            f"({format_date(end)}) : le terme est échu, aucune consommation n'est projetée."
        )
    if params.pace_eur_per_month == 0 and as_of < end:
        notices.append("Rythme nul : aucune consommation supplémentaire n'est projetée.")
    if maximum is None:
        notices.append("Montant maximum non renseigné : seul le montant estimé est projeté.")
    elif maximum < estimated:
        notices.append(
            f"Le montant maximum ({format_eur(maximum)}) est inférieur au montant estimé "
            f"({format_eur(estimated)}) : données de l'accord-cadre à vérifier."
        )
    if maximum is not None and consumed > maximum:
        notices.append(
            f"Le montant consommé ({format_eur(consumed)}) dépasse le montant maximum ({format_eur(maximum)}) "
            f"de {format_eur(consumed - maximum)}."
        )
    elif consumed >= estimated:
        notices.append(
            f"Le montant consommé ({format_eur(consumed)}) a déjà atteint le montant estimé ({format_eur(estimated)})."
        )
    return notices


def ceiling_scenario(
    framework: object, committed_eur: float, observed_pace_eur_per_month: float, as_of: date, user_pace: float | None
) -> FrameworkCeilingParams:
    """The ceiling scenario of a framework from what it has committed and its observed pace (the page and the
    briefing build it the same way); raises pydantic's ValidationError, with French messages, on bad inputs."""
    return FrameworkCeilingParams(
        framework_id=framework.id,
        start_date=framework.start_date,
        end_date=framework.end_date,
        estimated_eur=framework.estimated_amount_eur,
        maximum_eur=framework.maximum_amount_eur,
        consumed_eur=committed_eur,
        as_of=as_of,
        observed_pace_eur_per_month=observed_pace_eur_per_month,
        user_pace_eur_per_month=user_pace,
    )
