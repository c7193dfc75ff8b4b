"""Shared checks and French formatting for the what-if scenarios.

Parameter models validate with these helpers so every rejection reads in French and names the
parameter, the value received and the accepted range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime

import polars as pl

from analytics.formatting import NBSP, format_number

# Fractions (levels, caps) are kept to 6 decimals, i.e. 0.0001 point of percentage, so that they
# survive the percent round trip through the URL unchanged.
FRACTION_DECIMALS = 6
# Drifts are float ratios (110 / 100 - 1 is 0.10000000000000009): a comparison against a level or a cap
# ignores differences below this, as analytics.panorama.drift.exceeds_threshold does.
FLOAT_TOLERANCE = 1e-9


# Columns every project scenario reads, in canonical dtypes (see analytics.panorama.schema).
PROJECT_COLUMNS: dict[str, pl.DataType] = {
    "project_id": pl.String(),
    "project_name": pl.String(),
    "ministry_id": pl.String(),
    "ministry_label": pl.String(),
    "cost_meur": pl.Float64(),
}


def check_number(
    value: object,
    label: str,
    *,
    lower: float,
    upper: float,
    lower_open: bool = False,
    unit: str = "",
) -> float:
    """A finite number within [lower, upper] (or (lower, upper]), else a French ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{label} : un nombre est attendu, reçu {value!r}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{label} : un nombre fini est attendu, reçu {value!r}.")

    def shown(x: float) -> str:
        return format_number(x, 2, trim=True) + (f"{NBSP}{unit}" if unit else "")

    if number < lower or (lower_open and number == lower):
        relation = "strictement supérieure à" if lower_open else "supérieure ou égale à"
        raise ValueError(f"{label} : valeur attendue {relation} {shown(lower)}, reçu {shown(number)}.")
    if number > upper:
        raise ValueError(f"{label} : valeur attendue inférieure ou égale à {shown(upper)}, reçu {shown(number)}.")
    return number


def check_date(value: object, label: str) -> date:
    """A calendar date (a datetime is reduced to its day), else a French ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValueError(f"{label} : une date est attendue, reçu {value!r}.")
    return value


def select_columns(
    projects: pl.DataFrame | pl.LazyFrame, schema: Mapping[str, pl.DataType], scenario: str
) -> pl.LazyFrame:
    """The columns a scenario reads, cast to their canonical dtypes; a French error names any missing."""
    frame = projects.lazy()
    present = frame.collect_schema().names()
    missing = [name for name in schema if name not in present]
    if missing:
        raise ValueError(
            f"Simulation « {scenario} » : colonnes absentes du tableau des projets : {', '.join(missing)}."
        )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def projects_word(count: int) -> str:
    """'1 projet' / '3 projets'."""
    return f"{count} projet" if count == 1 else f"{count} projets"
