"""French number formatting, shared by metrics, tables, notices and charts."""

from __future__ import annotations

import math
from datetime import date

NARROW_NBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"  # before units

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# Vega-Lite locale so that chart axes and tooltips read `1 234,5`.
VEGA_LOCALE: dict[str, object] = {
    "number": {
        "decimal": ",",
        "thousands": NARROW_NBSP,
        "grouping": [3],
        "currency": ["", f"{NBSP}€"],
        "percent": f"{NBSP}%",
    },
    "time": {
        "dateTime": "%A %e %B %Y à %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": list(MONTHS_FR),
        "shortMonths": [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ],
    },
}

MISSING = "–"


def _is_missing(value: float | None) -> bool:
    """Null, NaN and infinities (a drift against a zero baseline) all read as missing."""
    return value is None or not math.isfinite(value)


def format_number(value: float | None, decimals: int = 1) -> str:
    """`1234.5` -> `1 234,5` with a narrow no-break space; never `-0,0`."""
    if _is_missing(value):
        return MISSING
    text = f"{round(value, decimals) + 0.0:,.{decimals}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def format_meur(value: float | None, decimals: int = 1) -> str:
    return MISSING if _is_missing(value) else f"{format_number(value, decimals)}{NBSP}M€"


def format_eur_as_meur(value: float | None, decimals: int = 1) -> str:
    return MISSING if _is_missing(value) else format_meur(value / 1e6, decimals)


def format_pct(fraction: float | None, decimals: int = 1, signed: bool = False) -> str:
    """`0.123` -> `12,3 %` (`+12,3 %` when signed)."""
    if _is_missing(fraction):
        return MISSING
    text = format_number(fraction * 100, decimals)
    if signed and round(fraction * 100, decimals) > 0:
        text = "+" + text
    return f"{text}{NBSP}%"


def format_years(value: float | None) -> str:
    return MISSING if _is_missing(value) else f"{format_number(value, 1)}{NBSP}ans"


def format_month(value: date | None) -> str:
    """`2021-11-01` -> `novembre 2021`."""
    return MISSING if value is None else f"{MONTHS_FR[value.month - 1]} {value.year}"


def format_edition_label(value: date) -> str:
    """Edition in menus: `2021-11 (novembre 2021)`."""
    return f"{value:%Y-%m} ({format_month(value)})"


def escape_markdown(text: str | None) -> str:
    """Data shown inside Markdown stays text: no links, images or emphasis smuggled in by a file."""
    if text is None:
        return MISSING
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|~:$" else ch for ch in text)
