"""Reading a national DECP table: only the rows a framework agreement can reach are normalised.

A national file holds millions of contracts; filtering the lazy scan before collecting keeps the page fast and its
memory small. Works on text or typed `dateNotification` (files differ).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
import polars.selectors as cs

from analytics.decp.frameworks import Framework
from analytics.decp.linking import IT_SERVICES_CPV_PREFIX


def _notified_between(start: date, end: date) -> pl.Expr:
    """`dateNotification` within [start, end] whatever its dtype, chosen by selectors when the plan is resolved.

    Typed dates compare as (local) dates, since casting a million dates to text cost more than reading the file; text
    compares on its first 10 characters, an ISO date whose time suffix is ignored.
    """
    column = cs.by_name("dateNotification")
    typed = column & (cs.date() | cs.datetime())
    as_date = typed.as_expr().dt.date().is_between(pl.lit(start), pl.lit(end))
    as_text = (column - typed).as_expr().cast(pl.String).str.slice(0, 10)
    return pl.any_horizontal(as_date, as_text.is_between(pl.lit(start.isoformat()), pl.lit(end.isoformat())))


def national_filter(framework_ids: Sequence[str], probable_windows: Sequence[tuple[date, date]]) -> pl.Expr:
    """Rows of a national table worth normalising: a known framework id, or an IT-services contract notified
    during the term of a framework whose beneficiaries are named (the only ones a probable link can reach).

    Works on text or typed `dateNotification`: the first 10 characters of an ISO date compare as dates.
    """
    ids = [value.upper().replace(" ", "") for value in framework_ids]
    by_id = pl.col("idAccordCadre").cast(pl.String).str.to_uppercase().str.replace_all(r"\s+", "").is_in(ids)
    in_windows = pl.any_horizontal(
        [_notified_between(start, end) for start, end in probable_windows] or [pl.lit(False)]
    )
    it_services = pl.col("codeCPV").cast(pl.String).str.strip_chars().str.starts_with(IT_SERVICES_CPV_PREFIX)
    return by_id.fill_null(False) | (it_services & in_windows).fill_null(False)


def probable_windows(registry: Sequence[Framework]) -> list[tuple[date, date]]:
    """Terms of the frameworks whose beneficiaries are named: outside them no probable link exists."""
    return [(f.start_date, f.end_date) for f in registry if f.beneficiaries and f.start_date and f.end_date]
