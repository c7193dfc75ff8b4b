"""A framework's spend lot by lot, each lot from where its spend really lives, against its ceilings and term.

A lot executed by marchés subséquents takes the notified amounts of its DECP contracts (linked by idAccordCadre or
probably); a lot executed by bons de commande takes the amounts of the orders of the ledger. Each lot reads one
source only, so nothing is counted twice: an order and a subsequent contract are different things, and the orders
placed under a subsequent contract are already inside its notified amount (such ledger rows are not counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from pydantic import BaseModel

from analytics.decp.frameworks import Framework, Lot, PublishedFigures
from analytics.decp.orders import NOT_COUNTED_CANCELLED, NOT_COUNTED_SUBSEQUENT
from analytics.decp.spend import DAYS_PER_MONTH, Pace, countable, monthly_running_total, pace_of
from analytics.formatting import format_eur_as_meur, format_number

SOURCE_DECP = "decp"
SOURCE_LEDGER = "registre"
SOURCE_DECP_FR = "Marchés subséquents publiés dans les DECP (montant notifié)"
SOURCE_LEDGER_FR = "Registre des bons de commande (montant HT des bons émis, en cours ou terminés)"
TOTAL_ID = "total"
TOTAL_LABEL_FR = "Ensemble de l'accord-cadre"
SEGMENT_OBSERVED = "Observé"
SEGMENT_PROJECTION = "Projection au rythme observé"
SEGMENT_REFERENCE = "Rythme publié de l'accord-cadre précédent"
PROJECTION_HORIZON_MONTHS = 120  # a projection is never drawn further than this after the as-of date
COMMITMENT_SCHEMA: dict[str, pl.DataType] = {
    "lot_id": pl.String(),
    "day": pl.Date(),  # notification date of the contract, date of the order
    "amount_eur": pl.Float64(),
    "source": pl.String(),  # SOURCE_DECP or SOURCE_LEDGER
    "reference": pl.String(),  # contract uid or order reference
    "beneficiary": pl.String(),  # registry name when matched, else as written
    "holder": pl.String(),  # registry holder (consortium) when matched, else as written
    "link": pl.String(),  # "identifiant" / "probable" for DECP contracts, null for orders
}
SPEND_RULE_FR = (
    "Chaque lot est compté depuis la source où vit sa dépense : les marchés subséquents (lot 2) depuis les DECP "
    "(montant notifié), les bons de commande (lot 1, accord-cadre 2021) depuis le registre des bons de commande "
    "(montant HT). Un lot ne lit qu'une source : rien n'est compté deux fois. Les bons de commande passés au titre "
    "d'un marché subséquent sont déjà dans son montant notifié : une ligne du registre rattachée au lot 2 n'est "
    "pas comptée."
)


def _as_commitments(
    frame: pl.DataFrame, day: str, source: str, reference: str, written_beneficiary: str, written_holder: str
) -> pl.DataFrame:
    """Rows of either source in COMMITMENT_SCHEMA; registry names (`beneficiary`, `awardee_group`) win over the
    names as written."""
    return frame.select(
        "lot_id",
        pl.col(day).alias("day"),
        "amount_eur",
        pl.lit(source).alias("source"),
        pl.col(reference).alias("reference"),
        pl.coalesce("beneficiary", written_beneficiary).alias("beneficiary"),
        pl.coalesce("awardee_group", written_holder).alias("holder"),
        "link",
    ).cast(COMMITMENT_SCHEMA)


def commitments(framework: Framework, linked: pl.DataFrame | None, orders: pl.DataFrame | None) -> pl.DataFrame:
    """Counted amounts of the framework's lots, one row per contract or order (COMMITMENT_SCHEMA).

    `linked` is a `link_to_framework` output (its `lot_id` column), `orders` a ledger read by `read_orders`; either
    may be None (not loaded). DECP rows count only for lots executed by marchés subséquents, ledger rows only for
    lots executed by bons de commande, and only when counted (not cancelled).
    """
    by_subsequent = [lot.id for lot in framework.lots if not lot.by_orders]
    by_orders = [lot.id for lot in framework.lots if lot.by_orders]
    parts = [pl.DataFrame(schema=COMMITMENT_SCHEMA)]
    if linked is not None:
        contracts = countable(linked).filter(pl.col("lot_id").is_in(by_subsequent))
        parts.append(
            _as_commitments(contracts, "notification_date", SOURCE_DECP, "contract_uid", "buyer_name", "holder_name")
        )
    if orders is not None:
        counted = orders.filter(pl.col("counted") & pl.col("lot_id").is_in(by_orders)).with_columns(
            pl.col("beneficiary_registry").alias("beneficiary"),
            pl.col("beneficiary").alias("beneficiary_written"),
            pl.lit(None, dtype=pl.String).alias("link"),
        )
        parts.append(
            _as_commitments(counted, "order_date", SOURCE_LEDGER, "order_ref", "beneficiary_written", "holder")
        )
    return pl.concat(parts, how="vertical")


def committed_by(rows: pl.DataFrame, party: str) -> pl.DataFrame:
    """Committed amount per lot and `party` ("holder" or "beneficiary"), both sources together, with each party's
    share of its lot and the source(s) its amounts come from; largest first within each lot."""
    return (
        rows.group_by("lot_id", party)
        .agg(
            pl.len().cast(pl.Int32).alias("items"),
            pl.col("amount_eur").sum().alias("committed_eur"),
            pl.col("source").unique().sort().str.join(" + ").alias("sources"),
        )
        .with_columns(share=pl.col("committed_eur") / pl.col("committed_eur").sum().over("lot_id"))
        .sort(["lot_id", "committed_eur", party], descending=[False, True, False])
    )


class LotSpend(BaseModel):
    """What a lot (or the whole framework) has committed, against its ceilings, at which pace."""

    lot_id: str
    label_fr: str
    source_fr: str  # where the figure comes from
    items: int  # contracts or orders counted
    committed_eur: float | None  # None: the lot's source is not loaded
    estimate_eur: float | None
    maximum_eur: float | None
    share_of_estimate: float | None
    share_of_maximum: float | None
    term_start: date | None
    firm_end: date | None
    term_end: date | None
    pace: Pace | None
    notes_fr: list[str]  # what was left out, and why


class PublishedComparison(BaseModel):
    """The previous framework's published spend, as the comparison for the current pace."""

    framework_id: str
    framework_title: str
    label_fr: str
    spent_eur: float
    period_months: int
    monthly_pace_eur: float
    approximate: bool
    source_title: str
    source_url: str
    at: str | None
    current_monthly_pace_eur: float | None
    ratio: float | None  # current pace / published pace
    message_fr: str


class FrameworkSpend(BaseModel):
    framework_id: str
    as_of: date
    lots: list[LotSpend]
    total: LotSpend
    comparison: PublishedComparison | None


def _share(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def _not_counted(orders: pl.DataFrame, lot_id: str, reason: str) -> tuple[int, str]:
    """How many ledger rows of the lot were left out for this reason, and their amount (formatted)."""
    left_out = orders.filter((pl.col("lot_id") == lot_id) & (pl.col("not_counted_reason") == reason))
    return left_out.height, format_eur_as_meur(left_out.get_column("amount_eur").sum())


def _orders_notes(lot: Lot, orders: pl.DataFrame | None) -> list[str]:
    notes = ["Aucune trace dans les DECP : les bons de commande n'y sont pas publiés."]
    if orders is None:
        return [*notes, "Aucun registre des bons de commande chargé : dépense inconnue."]
    count, amount = _not_counted(orders, lot.id, NOT_COUNTED_CANCELLED)
    if count:
        notes.append(f"{count} bon(s) de commande annulé(s) non compté(s) ({amount}).")
    return notes


def _subsequent_notes(lot: Lot, linked: pl.DataFrame | None, orders: pl.DataFrame | None) -> list[str]:
    notes = []
    if linked is None:
        notes.append("Aucun fichier DECP chargé : dépense inconnue.")
    else:
        rows = linked.filter(pl.col("lot_id") == lot.id)
        flagged = rows.height - countable(rows).height
        if flagged:
            notes.append(f"{flagged} marché(s) au montant signalé (absent, nul, invraisemblable) exclu(s) des sommes.")
        probable = rows.filter(pl.col("link") == "probable").height
        if probable:
            notes.append(f"Dont {probable} marché(s) rattaché(s) de façon probable (sans identifiant).")
    count, amount = _not_counted(orders, lot.id, NOT_COUNTED_SUBSEQUENT) if orders is not None else (0, "")
    if count:
        notes.append(
            f"{count} ligne(s) du registre des bons de commande rattachée(s) à ce lot ({amount}) non comptée(s) : "
            "la dépense du lot est celle de ses marchés subséquents (DECP)."
        )
    return notes


def _lot_notes(lot: Lot, linked: pl.DataFrame | None, orders: pl.DataFrame | None) -> list[str]:
    """What was left out of a lot's figure, and why (French)."""
    return _orders_notes(lot, orders) if lot.by_orders else _subsequent_notes(lot, linked, orders)


def _lot_spend(lot: Lot, rows: pl.DataFrame, loaded: bool, notes: list[str], as_of: date) -> LotSpend:
    estimate, maximum = lot.estimate_eur.value, lot.maximum_eur.value
    committed = float(rows.get_column("amount_eur").sum()) if loaded else None
    term = lot.term
    return LotSpend(
        lot_id=lot.id,
        label_fr=lot.label_fr,
        source_fr=SOURCE_LEDGER_FR if lot.by_orders else SOURCE_DECP_FR,
        items=rows.height,
        committed_eur=committed,
        estimate_eur=estimate,
        maximum_eur=maximum,
        share_of_estimate=_share(committed, estimate),
        share_of_maximum=_share(committed, maximum),
        term_start=term.start,
        firm_end=term.firm_end,
        term_end=term.end,
        pace=pace_of(rows, start=term.start, end=term.end, estimate=estimate, maximum=maximum, as_of=as_of)
        if loaded
        else None,
        notes_fr=notes,
    )


def _total(framework: Framework, lots: list[LotSpend], rows: pl.DataFrame, as_of: date) -> LotSpend:
    """The whole framework: the sum of its lots; shares and pace only when every lot's source is loaded."""
    complete = all(lot.committed_eur is not None for lot in lots)
    committed = sum(lot.committed_eur for lot in lots if lot.committed_eur is not None)
    estimate, maximum = framework.estimated_amount_eur, framework.maximum_amount_eur
    missing = [lot.label_fr for lot in lots if lot.committed_eur is None]
    sources = sorted({lot.source_fr for lot in lots})
    return LotSpend(
        lot_id=TOTAL_ID,
        label_fr=TOTAL_LABEL_FR,
        source_fr=" + ".join(sources),
        items=sum(lot.items for lot in lots),
        committed_eur=committed,
        estimate_eur=estimate,
        maximum_eur=maximum,
        share_of_estimate=_share(committed, estimate) if complete else None,
        share_of_maximum=_share(committed, maximum) if complete else None,
        term_start=framework.start_date,
        firm_end=None,
        term_end=framework.end_date,
        pace=pace_of(
            rows, start=framework.start_date, end=framework.end_date, estimate=estimate, maximum=maximum, as_of=as_of
        )
        if complete
        else None,
        notes_fr=[f"Hors {', '.join(missing)} : dépense inconnue (source non chargée)."] if missing else [],
    )


def published_comparison(previous: Framework, figures: PublishedFigures, current_pace: float | None):
    """The previous framework's published spend over its period, as a monthly pace to compare with."""
    monthly = figures.spent_eur / figures.period_months
    ratio = current_pace / monthly if current_pace is not None else None
    source = previous.source(figures.source)
    current = (
        f"Rythme observé : {format_eur_as_meur(current_pace, 2)} par mois, soit {format_number(ratio, 1)} fois"
        if current_pace is not None and ratio is not None
        else "Rythme observé non calculable"
    )
    about = "environ " if figures.approximate else ""
    return PublishedComparison(
        framework_id=previous.id,
        framework_title=previous.title,
        label_fr=figures.label,
        spent_eur=figures.spent_eur,
        period_months=figures.period_months,
        monthly_pace_eur=monthly,
        approximate=figures.approximate,
        source_title=source.title,
        source_url=source.url,
        at=figures.at,
        current_monthly_pace_eur=current_pace,
        ratio=ratio,
        message_fr=(
            f"{current} le rythme publié de l'accord-cadre précédent ({previous.contract_number} : {about}"
            f"{format_eur_as_meur(figures.spent_eur, 0)} en {figures.period_months} mois, soit "
            f"{format_eur_as_meur(monthly, 2)} par mois ; source : {source.title})."
        ),
    )


def framework_spend(
    framework: Framework,
    linked: pl.DataFrame | None,
    orders: pl.DataFrame | None,
    as_of: date,
    previous: Framework | None = None,
) -> FrameworkSpend:
    """Committed amount per lot and in total, shares of the ceilings, paces and projected dates, and the previous
    framework's published spend as the comparison (when it has one with a period).

    `linked`: DECP contracts linked to the framework (`link_to_framework`), `orders`: the ledger (`read_orders`);
    None means not loaded, and the lots that depend on it get no figure instead of a false zero.
    """
    rows = commitments(framework, linked, orders)
    lots = [
        _lot_spend(
            lot,
            rows.filter(pl.col("lot_id") == lot.id),
            (orders if lot.by_orders else linked) is not None,
            _lot_notes(lot, linked, orders),
            as_of,
        )
        for lot in framework.lots
    ]
    total = _total(framework, lots, rows, as_of)
    figures = next((f for f in previous.published if f.spent_eur and f.period_months), None) if previous else None
    comparison = None
    if previous is not None and figures is not None:
        comparison = published_comparison(previous, figures, total.pace.monthly_pace_eur if total.pace else None)
    return FrameworkSpend(framework_id=framework.id, as_of=as_of, lots=lots, total=total, comparison=comparison)


@dataclass(frozen=True)
class BurnUpFrames:
    """What the burn-up chart draws, one series per lot plus the total (`series_id` = lot id or TOTAL_ID).

    `curve`: cumulative amount by day, `segment` SEGMENT_OBSERVED (monthly, up to the as-of date), SEGMENT_PROJECTION
    (from the as-of date until the maximum is reached, the term ends or PROJECTION_HORIZON_MONTHS) or
    SEGMENT_REFERENCE (the previous framework's published pace, total only); `ceilings`: estimate and maximum;
    `marks`: term dates and the days each ceiling is reached (observed or projected).
    """

    curve: pl.DataFrame
    ceilings: pl.DataFrame
    marks: pl.DataFrame


CURVE_SCHEMA: dict[str, pl.DataType] = {
    "series_id": pl.String(),
    "series_label": pl.String(),
    "day": pl.Date(),
    "cumulative_eur": pl.Float64(),
    "segment": pl.String(),
}
CEILING_SCHEMA: dict[str, pl.DataType] = {
    "series_id": pl.String(),
    "series_label": pl.String(),
    "ceiling": pl.String(),
    "amount_eur": pl.Float64(),
}
MARK_SCHEMA: dict[str, pl.DataType] = {
    "series_id": pl.String(),
    "series_label": pl.String(),
    "mark": pl.String(),
    "day": pl.Date(),
}


def _months(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def _projection_end(spend: LotSpend, as_of: date) -> date | None:
    """Where the projection stops: the maximum reached (the lot then ends), else the later of the term's end and
    the estimate reached; never after PROJECTION_HORIZON_MONTHS; None once the term or the lot is over."""
    pace = spend.pace
    if pace is None or pace.maximum.status == "already_reached" or (spend.term_end and spend.term_end <= as_of):
        return None
    horizon = as_of + timedelta(days=round(PROJECTION_HORIZON_MONTHS * DAYS_PER_MONTH))
    if pace.maximum.status == "projected":
        return min(pace.maximum.projected_date, horizon)
    later = [d for d in (spend.term_end, pace.estimate.projected_date) if d is not None and d > as_of]
    return min(max(later), horizon) if later else None


def _projection_days(spend: LotSpend, as_of: date) -> list[date]:
    """The as-of date, where the projection bends to be read (estimate reached, term's end), and its end."""
    stop = _projection_end(spend, as_of)
    if stop is None:
        return []
    inner = [spend.pace.estimate.projected_date, spend.term_end]
    return sorted({as_of, stop, *(d for d in inner if d is not None and as_of < d < stop)})


def _series(spend: LotSpend, rows: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Observed monthly running total, then the projection at the observed pace (capped at the maximum)."""
    observed = monthly_running_total(rows, spend.term_start, spend.term_end, as_of).select(
        pl.col("month").alias("day"), "cumulative_eur", pl.lit(SEGMENT_OBSERVED).alias("segment")
    )
    parts = [observed]
    pace = spend.pace
    days = _projection_days(spend, as_of) if pace is not None and pace.monthly_pace_eur else []
    if days and spend.committed_eur is not None:
        values = [spend.committed_eur + pace.monthly_pace_eur * _months(as_of, day) for day in days]
        cap = spend.maximum_eur
        parts.append(
            pl.DataFrame(
                {
                    "day": days,
                    "cumulative_eur": [min(v, cap) if cap else v for v in values],
                    "segment": SEGMENT_PROJECTION,
                },
                schema={"day": pl.Date(), "cumulative_eur": pl.Float64(), "segment": pl.String()},
            )
        )
    return (
        pl.concat(parts)
        .with_columns(series_id=pl.lit(spend.lot_id), series_label=pl.lit(spend.label_fr))
        .select(list(CURVE_SCHEMA))
    )


def _marks(spend: LotSpend, as_of: date) -> list[tuple[str, date]]:
    """Term dates and the days a ceiling is reached (projected ones within PROJECTION_HORIZON_MONTHS only)."""
    horizon = as_of + timedelta(days=round(PROJECTION_HORIZON_MONTHS * DAYS_PER_MONTH))
    marks = [
        ("Début", spend.term_start),
        ("Fin de la période ferme", spend.firm_end),
        ("Fin au plus tard (reconductions comprises)", spend.term_end),
    ]
    pace = spend.pace
    if pace is not None:
        for label, projection in (("Estimation atteinte", pace.estimate), ("Maximum atteint", pace.maximum)):
            if projection.status == "already_reached":
                marks.append((label, projection.reached_on))
            elif projection.status == "projected" and projection.projected_date <= horizon:
                marks.append((f"{label} à ce rythme (projection)", projection.projected_date))
    return [(label, day) for label, day in marks if day is not None]


def burn_up_frames(spend: FrameworkSpend, rows: pl.DataFrame) -> BurnUpFrames:
    """Chart data of every lot and of the total, from `framework_spend` and its `commitments` rows."""
    curves, ceilings, marks = [], [], []
    for lot_spend in [*spend.lots, spend.total]:
        selected = rows if lot_spend.lot_id == TOTAL_ID else rows.filter(pl.col("lot_id") == lot_spend.lot_id)
        if lot_spend.committed_eur is not None:
            curves.append(_series(lot_spend, selected.select("day", "amount_eur"), spend.as_of))
        key = (lot_spend.lot_id, lot_spend.label_fr)
        levels = (("Estimation", lot_spend.estimate_eur), ("Maximum", lot_spend.maximum_eur))
        ceilings += [(*key, name, value) for name, value in levels if value]
        marks += [(*key, name, day) for name, day in _marks(lot_spend, spend.as_of)]
    comparison = spend.comparison
    if comparison is not None and spend.total.term_start is not None:
        start = spend.total.term_start
        end = start + timedelta(days=round(comparison.period_months * DAYS_PER_MONTH))
        curves.append(
            pl.DataFrame(
                {
                    "series_id": TOTAL_ID,
                    "series_label": TOTAL_LABEL_FR,
                    "day": [start, end],
                    "cumulative_eur": [0.0, comparison.spent_eur],
                    "segment": SEGMENT_REFERENCE,
                },
                schema=CURVE_SCHEMA,
            )
        )
    return BurnUpFrames(
        curve=pl.concat([pl.DataFrame(schema=CURVE_SCHEMA), *curves]),
        ceilings=pl.DataFrame(ceilings, schema=CEILING_SCHEMA, orient="row"),
        marks=pl.DataFrame(marks, schema=MARK_SCHEMA, orient="row"),
    )
