"""French number formats: exact strings, narrow no-break space for thousands, no-break space before units."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analytics.formatting import (
    MISSING,
    VEGA_LOCALE,
    NumberParseError,
    display_round,
    escape_markdown,
    format_edition_label,
    format_eur_as_meur,
    format_meur,
    format_meur_expr,
    format_month,
    format_number,
    format_number_expr,
    format_pct,
    format_pct_expr,
    format_years,
    parse_number,
)

NAN = float("nan")
INF = float("inf")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1\u202f234,5"),
        (1234567.891, 2, "1\u202f234\u202f567,89"),
        (999.95, 1, "1\u202f000,0"),
        (0.0, 1, "0,0"),
        (-1234.56, 1, "-1\u202f234,6"),
        (-0.04, 1, "0,0"),  # no negative zero
        (12.0, 0, "12"),
        (5, 1, "5,0"),
    ],
)
def test_format_number(value: float, decimals: int, expected: str):
    assert format_number(value, decimals) == expected


def test_format_meur():
    assert format_meur(1234.5) == "1\u202f234,5\u00a0M€"
    assert format_meur(-3.25, 2) == "-3,25\u00a0M€"
    assert format_meur(0.04, 0) == "0\u00a0M€"


def test_format_eur_as_meur():
    assert format_eur_as_meur(1_234_500_000.0) == "1\u202f234,5\u00a0M€"
    assert format_eur_as_meur(450_000.0, 2) == "0,45\u00a0M€"


@pytest.mark.parametrize(
    ("fraction", "signed", "expected"),
    [
        (0.123, False, "12,3\u00a0%"),
        (0.123, True, "+12,3\u00a0%"),
        (-0.05, True, "-5,0\u00a0%"),
        (-0.05, False, "-5,0\u00a0%"),
        (0.0, True, "0,0\u00a0%"),
        (0.0004, True, "0,0\u00a0%"),  # rounds to zero: no sign
        (-0.0004, True, "0,0\u00a0%"),
        (12.5, False, "1\u202f250,0\u00a0%"),
    ],
)
def test_format_pct(fraction: float, signed: bool, expected: str):
    assert format_pct(fraction, signed=signed) == expected


def test_format_pct_decimals():
    assert format_pct(0.2, 0) == "20\u00a0%"
    assert format_pct(0.12345, 2) == "12,35\u00a0%"


def test_format_years():
    assert format_years(4.5) == "4,5\u00a0ans"
    assert format_years(10) == "10,0\u00a0ans"


@pytest.mark.parametrize("missing", [None, NAN, INF, -INF])
@pytest.mark.parametrize(
    "formatter", [format_number, format_meur, format_eur_as_meur, format_pct, format_years], ids=lambda f: f.__name__
)
def test_missing_values_show_a_dash_without_unit(formatter, missing):
    assert formatter(missing) == MISSING == "–"


def test_format_month_and_edition_label():
    assert format_month(date(2021, 11, 1)) == "novembre 2021"
    assert format_month(date(2017, 2, 15)) == "février 2017"
    assert format_month(date(2019, 8, 1)) == "août 2019"
    assert format_month(None) == "–"
    assert format_edition_label(date(2016, 11, 1)) == "2016-11 (novembre 2016)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](http://a)", r"\[x\]\(http\://a\)"),
        ("![i](u)", r"\!\[i\]\(u\)"),
        ("<b>gras</b>", r"\<b\>gras\</b\>"),
        ("**a** _b_ `c` $d$ ~e~ #f |g|", r"\*\*a\*\* \_b\_ \`c\` \$d\$ \~e\~ \#f \|g\|"),
        ("a\\b", r"a\\b"),
        ("Intérieur – « État »", "Intérieur – « État »"),
        ("", ""),
        (None, "–"),
    ],
)
def test_escape_markdown(text: str | None, expected: str):
    assert escape_markdown(text) == expected


def test_vega_locale_is_french():
    number = VEGA_LOCALE["number"]
    assert isinstance(number, dict)
    assert (number["decimal"], number["thousands"], number["grouping"]) == (",", "\u202f", [3])
    time = VEGA_LOCALE["time"]
    assert isinstance(time, dict)
    assert time["months"][10] == "novembre"


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        ("12,5", None, 12.5),
        ("12.5", None, 12.5),
        ("9", None, 9.0),
        ("3 000 000", None, 3_000_000.0),
        ("3\u202f000\u202f000 €", "€", 3_000_000.0),
        ("3\u00a0000\u00a0000,25 euros", "€", 3_000_000.25),
        ("12,500.50", None, 12_500.5),
        ("1.234,5", None, 1234.5),
        ("1.000.000", None, 1_000_000.0),
        ("−1,5 %", "%", -1.5),
        (",5", None, 0.5),
        ("12,5 M€", "M€", 12.5),
    ],
)
def test_parse_number_reads_what_a_french_user_means(typed: str, unit: str | None, expected: float) -> None:
    assert parse_number(typed, unit) == expected


@pytest.mark.parametrize(
    ("typed", "unit", "why"),
    [
        ("12,5,25", None, "plusieurs virgules"),
        ("12 5", None, "groupes de trois chiffres"),
        ("1.23.4", None, "plusieurs points"),
        ("1,2.3,4", None, "mêlés"),
        ("abc", None, "seuls des chiffres"),
        ("NaN", None, "seuls des chiffres"),
        ("inf", None, "seuls des chiffres"),
        ("1e5", None, "seuls des chiffres"),
        ("", None, "aucun chiffre"),
        ("3 M€", "€", "unité « M€ » inattendue"),
        ("20 %", None, "sans unité"),
    ],
)
def test_parse_number_refuses_rather_than_reinterprets(typed: str, unit: str | None, why: str) -> None:
    with pytest.raises(NumberParseError, match=why):
        parse_number(typed, unit)


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [(12.5, 2, "12,5"), (9.0, 2, "9"), (3_000_000.0, 0, "3\u202f000\u202f000"), (-0.001, 2, "0")],
)
def test_trimmed_numbers_read_back_unchanged(value: float, decimals: int, shown: str) -> None:
    assert format_number(value, decimals, trim=True) == shown
    assert parse_number(shown) == display_round(value, decimals)


@settings(deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_any_formatted_number_parses_back(value: float, decimals: int) -> None:
    assert parse_number(format_number(value, decimals, trim=True)) == display_round(value, decimals)


@settings(deadline=None)
@given(st.integers(min_value=-(10**11), max_value=10**11), st.integers(min_value=0, max_value=5), st.integers(0, 4))
def test_a_written_number_rounds_half_away_from_zero_as_on_paper(digits: int, places: int, decimals: int) -> None:
    """Whatever its binary value, a number written with up to 11 significant digits (2,675 ; 0,15 ; -1,005)
    rounds as a reader rounds the written digits: a 5 in the first dropped place goes away from zero."""
    written = Decimal(digits).scaleb(-places)
    expected = written.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert display_round(float(written), decimals) == float(expected)
    text = f"{abs(expected):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    assert format_number(float(written), decimals) == ("-" if expected < 0 else "") + text


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [(0.15, 1, "0,2"), (0.25, 1, "0,3"), (2.675, 2, "2,68"), (1.005, 2, "1,01"), (-0.15, 1, "-0,2"), (0.05, 0, "0")],
)
def test_halves_as_written_go_away_from_zero(value: float, decimals: int, shown: str) -> None:
    assert format_number(value, decimals) == shown


@settings(deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.just(float("nan")), st.floats(min_value=-1e9, max_value=1e9)), max_size=30),
    st.integers(min_value=0, max_value=4),
    st.booleans(),
)
@example([0.15, -0.15, 0.25, 2.675, 0.125, 1.005], 1, False)  # halfway in decimal, not in binary (and exact ties)
@example([0.125, 2.675, 1.005, 0.045], 2, True)
def test_number_expression_agrees_with_the_string_form(values: list[float | None], decimals: int, trim: bool) -> None:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    shown = frame.select(format_number_expr(pl.col("v"), decimals, trim=trim).alias("shown"))["shown"].to_list()
    assert shown == [format_number(v, decimals, trim=trim) for v in values]


@settings(deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6)), max_size=20),
    st.integers(min_value=0, max_value=2),
    st.booleans(),
)
def test_money_and_percent_expressions_agree_with_the_string_forms(values, decimals: int, signed: bool) -> None:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    shown = frame.select(
        format_meur_expr(pl.col("v"), decimals).alias("meur"),
        format_pct_expr(pl.col("v"), decimals, signed=signed).alias("pct"),
    )
    assert shown["meur"].to_list() == [format_meur(v, decimals) for v in values]
    assert shown["pct"].to_list() == [format_pct(v, decimals, signed=signed) for v in values]
