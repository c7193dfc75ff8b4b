"""Tables people read: French number display and coloured drifts, while sorting stays numeric.

The pandas Styler is used only at display time on a few hundred rows; analytics stay in polars.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from pandas.io.formats.style import Styler

from analytics.formatting import MISSING, format_meur, format_number, format_pct
from analytics.panorama.drift import drift_level

ALERT_COLOUR = "#CE0500"
WARNING_COLOUR = "#B34000"
SUCCESS_COLOUR = "#18753C"


_LEVEL_STYLES = {
    "alert": f"color: {ALERT_COLOUR}; font-weight: 600",
    "rising": f"color: {WARNING_COLOUR}",
    "stable": f"color: {SUCCESS_COLOUR}",
}


def _drift_colour(threshold: float):
    def colour(value: float | None) -> str:
        level = drift_level(value, threshold)
        return "" if level is None else _LEVEL_STYLES[level]

    return colour


def _or_missing(formatter):
    return lambda v: MISSING if v is None or v != v else formatter(v)


def _strftime(pattern: str):
    return lambda value: value.strftime(pattern)


def french_table(
    df: pl.DataFrame,
    *,
    money: Sequence[str] = (),
    percent: Sequence[str] = (),
    years: Sequence[str] = (),
    integers: Sequence[str] = (),
    months: Sequence[str] = (),
    drift_threshold: float | None = None,
) -> Styler:
    """Money in M€ and drifts as signed percentages, in French; drifts above the threshold in red.

    Dates read `31/12/2021` (`12/2021` for the `months` columns) and still sort as dates.
    """
    styler = df.to_pandas().style
    dates = [name for name, dtype in df.schema.items() if dtype in (pl.Date, pl.Datetime)]
    formats = {c: _or_missing(_strftime("%m/%Y" if c in months else "%d/%m/%Y")) for c in dates}
    formats |= {c: _or_missing(format_meur) for c in money}
    formats |= {c: _or_missing(lambda v: format_pct(v, 1, signed=True)) for c in percent}
    formats |= {c: _or_missing(lambda v: format_number(v, 1)) for c in years}
    formats |= {c: _or_missing(lambda v: format_number(v, 0)) for c in integers}
    styler = styler.format(formats, na_rep=MISSING)
    if drift_threshold is not None and percent:
        styler = styler.map(_drift_colour(drift_threshold), subset=list(percent))
    return styler
