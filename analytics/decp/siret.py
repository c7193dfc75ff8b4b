"""SIRET / SIREN checks as polars expressions, plus scalar helpers for the scenario generator.

INSEE numbers carry a Luhn check digit. La Poste's establishments (SIREN 356000000) are too many for one
check digit: their SIRET is valid when the sum of its 14 digits is a multiple of 5, except the head office
(35600000000048) which keeps the ordinary Luhn rule.
"""

from __future__ import annotations

import polars as pl

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def _luhn_sum(value: pl.Expr, length: int) -> pl.Expr:
    """Luhn sum of a string of `length` digits (caller ensures digits only)."""
    terms = []
    for position in range(length):
        digit = value.str.slice(position, 1).cast(pl.Int32)
        if (length - 1 - position) % 2 == 1:
            doubled = digit * 2
            terms.append(pl.when(doubled > 9).then(doubled - 9).otherwise(doubled))
        else:
            terms.append(digit)
    return pl.sum_horizontal(terms)


def _digit_sum(value: pl.Expr, length: int) -> pl.Expr:
    return pl.sum_horizontal([value.str.slice(i, 1).cast(pl.Int32) for i in range(length)])


def siret_is_valid(value: pl.Expr) -> pl.Expr:
    """True when the string is a valid SIRET (14 digits, Luhn or La Poste rule); null stays null."""
    shaped = value.str.contains(r"^[0-9]{14}$")
    digits = pl.when(shaped).then(value).otherwise(pl.lit("00000000000000"))
    la_poste = digits.str.starts_with(LA_POSTE_SIREN) & (digits != LA_POSTE_HEAD_OFFICE)
    checksum_ok = pl.when(la_poste).then(_digit_sum(digits, 14) % 5 == 0).otherwise(_luhn_sum(digits, 14) % 10 == 0)
    return pl.when(value.is_null()).then(None).otherwise(shaped & checksum_ok)


def siren_is_valid(value: pl.Expr) -> pl.Expr:
    """True when the string is a valid SIREN (9 digits, Luhn); null stays null."""
    shaped = value.str.contains(r"^[0-9]{9}$")
    digits = pl.when(shaped).then(value).otherwise(pl.lit("000000000"))
    return pl.when(value.is_null()).then(None).otherwise(shaped & (_luhn_sum(digits, 9) % 10 == 0))


def luhn_check_digit(body: str) -> str:
    """Digit to append to `body` so that the whole number passes Luhn (used to fabricate fake SIRETs)."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


def fake_siret(siren_body: str, establishment: str) -> str:
    """A Luhn-valid SIRET built from an 8-digit SIREN body and a 4-digit establishment number.

    The SIREN gets its own check digit, then the SIRET gets one, so both numbers are valid.
    """
    siren = siren_body + luhn_check_digit(siren_body)
    body = siren + establishment
    return body + luhn_check_digit(body)
