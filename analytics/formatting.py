"""French numbers, both ways: one formatter for metrics, tables, notices and charts, and one reader for what a
French user types (`12,5`, `3 000 000 €`), so that a number never changes on its way through a field or a link."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date

import polars as pl

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


# A few units in the last place of |value| × 10^decimals: a number written with a 5 in the first dropped place
# (2,675 stored as 2,67499999999999982236431605997495353221893310546875) rounds up as it reads on paper. Capped
# far below one unit, so that large numbers (whose last place is worth more) never gain one.
_NUDGE = 2.0**-50
_MAX_NUDGE = 2.0**-20


def display_units(value: float, decimals: int) -> int:
    """|value| in units of 10^-decimals as shown: the written decimal rounded half away from zero (2,675 -> 268
    at two decimals, 0,15 -> 2 at one), as a reader and a spreadsheet round. The same float operations as
    `_rounded_scaled`, so that a column and a single number always agree."""
    scaled = abs(value) * 10.0**decimals
    return math.floor((scaled + 0.5) + min(scaled * _NUDGE, _MAX_NUDGE))


def display_round(value: float, decimals: int) -> float:
    """The number as `format_number` shows it (`display_round(2.675, 2) == 2.68`)."""
    return math.copysign(display_units(value, decimals) / 10**decimals, value) + 0.0


def format_number(value: float | None, decimals: int = 1, *, trim: bool = False) -> str:
    """`1234.5` -> `1 234,5` with a narrow no-break space; never `-0,0`.

    `trim` drops trailing decimal zeros (`12,50` -> `12,5`, `9,00` -> `9`): how a typed value is shown back.
    """
    if _is_missing(value):
        return MISSING
    units = display_units(value, decimals)
    whole, fraction = divmod(units, 10**decimals)
    sign = "-" if value < 0 and units else ""
    digits = f"{fraction:0{decimals}d}" if decimals else ""
    if trim:
        digits = digits.rstrip("0")
    text = f"{sign}{whole:,}".replace(",", NARROW_NBSP)
    return f"{text},{digits}" if digits else text


def _rounded_scaled(expr: pl.Expr, decimals: int) -> pl.Expr:
    """`display_units` on a column (null where not finite), in native polars operations only.

    No Python function inside an expression: a Python callback run by polars' thread pool waits for the GIL,
    and under concurrent sessions another thread holding the GIL while it waits for that pool deadlocked the
    server (seen in the load test)."""
    scaled = expr.cast(pl.Float64).abs() * 10.0**decimals
    nudge = pl.min_horizontal(scaled * _NUDGE, pl.lit(_MAX_NUDGE))
    return ((scaled + 0.5) + nudge).floor().cast(pl.Int64, strict=False)


def round_expr(expr: pl.Expr, decimals: int) -> pl.Expr:
    """`display_round` as an expression: the value as shown (polars' own `round` rounds ties to even)."""
    # the integer count of 10^-decimals, then polars' rounding only to land on the nearest float (no tie left:
    # polars divides a column by a constant as a product by its inverse, 151 × 0,1 = 15,100000000000001)
    magnitude = (_rounded_scaled(expr, decimals).cast(pl.Float64) / 10**decimals).round(decimals)
    return pl.when(expr.is_finite()).then(pl.when(expr < 0).then(-magnitude).otherwise(magnitude) + 0.0)


def format_number_expr(expr: pl.Expr, decimals: int = 1, *, trim: bool = False) -> pl.Expr:
    """`format_number` as a polars expression, for labels computed on a whole column (tested to agree)."""
    scale = 10**decimals
    finite = expr.is_finite().fill_null(False)
    scaled = pl.when(finite).then(_rounded_scaled(expr, decimals))
    integer = (scaled // scale).cast(pl.String)
    grouped = integer.str.reverse().str.replace_all(r"(\d{3})", f"${{1}}{NARROW_NBSP}").str.reverse()
    grouped = grouped.str.strip_chars_start(NARROW_NBSP)
    sign = pl.when((expr < 0) & (scaled > 0)).then(pl.lit("-")).otherwise(pl.lit(""))
    if decimals:
        fraction = (scaled % scale).cast(pl.String).str.zfill(decimals)
        if trim:
            fraction = fraction.str.strip_chars_end("0")
        number = pl.when(fraction == "").then(grouped).otherwise(pl.concat_str(grouped, pl.lit(","), fraction))
    else:
        number = grouped
    return pl.when(finite).then(pl.concat_str(sign, number)).otherwise(pl.lit(MISSING))


def format_meur_expr(expr: pl.Expr, decimals: int = 1) -> pl.Expr:
    """`format_meur` as an expression."""
    number = format_number_expr(expr, decimals)
    return pl.when(number == MISSING).then(number).otherwise(pl.concat_str(number, pl.lit(f"{NBSP}M€")))


def format_pct_expr(expr: pl.Expr, decimals: int = 1, *, signed: bool = False) -> pl.Expr:
    """`format_pct` as an expression."""
    number = format_number_expr(expr * 100, decimals)
    sign = pl.when(signed & (round_expr(expr * 100, decimals) > 0)).then(pl.lit("+")).otherwise(pl.lit(""))
    return pl.when(number == MISSING).then(number).otherwise(pl.concat_str(sign, number, pl.lit(f"{NBSP}%")))


def format_meur(value: float | None, decimals: int = 1, *, trim: bool = False) -> str:
    return MISSING if _is_missing(value) else f"{format_number(value, decimals, trim=trim)}{NBSP}M€"


def format_eur(value: float | None, decimals: int = 0) -> str:
    return MISSING if _is_missing(value) else f"{format_number(value, decimals)}{NBSP}€"


def format_eur_as_meur(value: float | None, decimals: int = 1) -> str:
    return MISSING if _is_missing(value) else format_meur(value / 1e6, decimals)


def format_pct(fraction: float | None, decimals: int = 1, signed: bool = False, *, trim: bool = False) -> str:
    """`0.123` -> `12,3 %` (`+12,3 %` when signed)."""
    if _is_missing(fraction):
        return MISSING
    text = format_number(fraction * 100, decimals, trim=trim)
    if signed and fraction > 0 and display_units(fraction * 100, decimals) > 0:
        text = "+" + text
    return f"{text}{NBSP}%"


def format_points(difference: float | None, decimals: int = 1, signed: bool = False) -> str:
    """A change between two percentages, in points: `0.05` -> `5,0 pt` (`+5,0 pt` when signed)."""
    if _is_missing(difference):
        return MISSING
    return format_pct(difference, decimals, signed).removesuffix("%") + "pt"


def format_years(value: float | None) -> str:
    return MISSING if _is_missing(value) else f"{format_number(value, 1)}{NBSP}ans"


def format_date(value: date | None) -> str:
    """`2021-11-30` -> `30/11/2021`, the one way the app writes a day."""
    return MISSING if value is None else value.strftime("%d/%m/%Y")


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


# ---- reading numbers typed by French users -------------------------------------------------------------------

_UNIT_SUFFIX = re.compile(r"\s*(m€|meur|k€|€|euros?|eur|%)\s*$", re.IGNORECASE)
# Spellings of each unit a field may expect.
_UNIT_SPELLINGS: dict[str, set[str]] = {
    "€": {"€", "eur", "euro", "euros"},
    "M€": {"m€", "meur"},
    "k€": {"k€"},
    "%": {"%"},
}
_SPACE_GROUPED = re.compile(r"^[+-]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


class NumberParseError(ValueError):
    """A typed value that is not a number as a French user writes one; the message says why, in French."""


def _grouped(integer_part: str, separator: str) -> bool:
    """`1.234.567` or `12,500`: groups of three digits after the first."""
    groups = integer_part.lstrip("+-").split(separator)
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:])


def _refuse(text: str, why: str) -> NumberParseError:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return NumberParseError(f"« {shown} » n'est pas un nombre lisible : {why}")


def _canonical_digits(text: str) -> str:
    """The number with `.` as decimal mark and no grouping, or a French reason why it cannot be read."""
    spaced = re.sub(r"\s+", " ", text)
    if " " in spaced:
        if not _SPACE_GROUPED.match(spaced):
            raise _refuse(text, "les espaces ne peuvent séparer que des groupes de trois chiffres (3 000 000).")
        spaced = spaced.replace(" ", "")
    commas, dots = spaced.count(","), spaced.count(".")
    if commas and dots:
        decimal = "," if spaced.rfind(",") > spaced.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        integer_part, _, fraction = spaced.rpartition(decimal)
        if spaced.count(decimal) > 1 or not _grouped(integer_part, grouping):
            raise _refuse(text, "virgules et points mêlés sans sens clair ; écrivez par exemple 12 500,5.")
        return integer_part.replace(grouping, "") + "." + fraction
    if commas > 1:
        raise _refuse(text, "plusieurs virgules ; la virgule marque les décimales (12,5), l'espace les milliers.")
    if dots > 1:
        if not _grouped(spaced, "."):
            raise _refuse(text, "plusieurs points ; la virgule marque les décimales (12,5).")
        return spaced.replace(".", "")
    return spaced.replace(",", ".")


def _without_unit(text: str, unit: str | None) -> str:
    """The text without its unit; a unit other than the field's is refused (`3 M€` in a field of euros)."""
    match = _UNIT_SUFFIX.search(text)
    if match is None:
        return text
    typed = match.group(1).lower()
    if unit is None or typed not in _UNIT_SPELLINGS.get(unit, set()):
        expected = f"ce champ attend des {unit}" if unit else "ce champ attend un nombre sans unité"
        raise _refuse(text, f"unité « {match.group(1)} » inattendue, {expected}.")
    return text[: match.start()]


def parse_number(text: str, unit: str | None = None) -> float:
    """A number as a French user types it: `12,5`, `12.5`, `3 000 000`, `3 000 000 €`, `-1,5 %`, `9`.

    Grouping is read only where it is unambiguous (spaces, or `12,500.50` with both marks); anything else raises
    `NumberParseError` with a French reason: a value is never reinterpreted. The field's `unit` (`€`, `M€`, `%`) may
    be typed after the number; another unit is refused rather than silently ignored.
    """
    cleaned = _without_unit(text.replace("\u2212", "-").strip(), unit).strip()
    if not cleaned:
        raise _refuse(text, "aucun chiffre saisi.")
    digits = _canonical_digits(cleaned)
    if not _PLAIN.match(digits):
        raise _refuse(text, "seuls des chiffres, une virgule décimale et des espaces sont attendus.")
    value = float(digits)
    if not math.isfinite(value):
        raise _refuse(text, "valeur infinie.")
    return value + 0.0


def column_formats(table_columns: Sequence[str], **kinds: Sequence[str]) -> dict[str, list[str]]:
    """`money=[...]`, `percent=[...]`… narrowed to the columns a table has: one list of formats serves a table whose
    detailed and meeting-mode versions show different columns."""
    present = set(table_columns)
    return {kind: [column for column in columns if column in present] for kind, columns in kinds.items()}
