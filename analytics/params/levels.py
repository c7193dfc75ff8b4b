"""Alert levels as a French user types them: percentages separated by `;`, decimals with a comma.

In a field the comma is the decimal mark, so it cannot also separate levels (`12,5,25` would be ambiguous): levels
are separated by `;` and anything unreadable is refused, never reinterpreted. (The URL keeps its own form,
`10,12.5,30`, read by `analytics.params.codecs.LevelsCodec`.)
"""

from __future__ import annotations

from collections.abc import Sequence

from analytics.formatting import NumberParseError, format_number, parse_number
from analytics.simulations.drift_alerts import MAX_LEVEL, MAX_LEVEL_COUNT

LEVEL_DECIMALS = 6  # fractions: 0.0001 point of percentage


def parse_levels(text: str) -> tuple[float, ...]:
    """`10 ; 12,5 ; 30` -> (0.10, 0.125, 0.30): sorted, unique, each in (0, 1000] %, at most ten."""
    items = [item for item in text.split(";") if item.strip()]
    if not items:
        raise ValueError("Aucun niveau saisi : écrivez des pourcentages séparés par « ; » (10 ; 12,5 ; 30).")
    fractions: set[float] = set()
    for item in items:
        try:
            percent = parse_number(item, "%")
        except NumberParseError as error:
            raise ValueError(f"{error} Séparez les niveaux par « ; » (10 ; 12,5 ; 30).") from error
        if not 0 < percent <= MAX_LEVEL * 100:
            raise ValueError(
                f"Niveau « {item.strip()} » hors limites : strictement positif et au plus "
                f"{format_number(MAX_LEVEL * 100, 0)}\u00a0%."
            )
        fractions.add(round(percent / 100, LEVEL_DECIMALS) + 0.0)
    if len(fractions) > MAX_LEVEL_COUNT:
        raise ValueError(f"Au plus {MAX_LEVEL_COUNT} niveaux distincts (saisis : {len(fractions)}).")
    return tuple(sorted(fractions))


def format_levels(levels: object) -> str:
    """(0.10, 0.125) -> `10 ; 12,5`: how the field shows the levels in force."""
    assert isinstance(levels, Sequence)
    return " ; ".join(format_number(level * 100, 4, trim=True) for level in levels)
