"""Canonical panorama frames for tests: small hand-made ones from dict rows, and the shipped data."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from analytics.panorama.drift import with_drift
from analytics.panorama.schema import PROJECT_EDITION_SCHEMA, cost_bracket_expr

PANORAMA_DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "panorama"

ED_2016 = date(2016, 11, 1)
ED_2017 = date(2017, 11, 1)
ED_2018 = date(2018, 11, 1)
ED_2019 = date(2019, 11, 1)


def _default(column: str, row: dict[str, Any]) -> Any:
    """Value of an unspecified column: derived labels where a test rarely cares, else null."""
    defaults: dict[str, Any] = {
        "project_name": row.get("project_id"),
        "ministry_label": row.get("ministry_id"),
        "ministry_name": row.get("ministry_id"),
        "interministerial": False,
        "funding_programmes": [],
        "functional_zone_published": row.get("functional_zone"),
    }
    return defaults.get(column)


def make_panorama_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Frame of `PROJECT_EDITION_SCHEMA` from partial rows; a null `cost_bracket` is derived from the cost.

    Unknown keys raise, so a typo in a test cannot silently become a null column.
    """
    unknown = {key for row in rows for key in row} - set(PROJECT_EDITION_SCHEMA)
    if unknown:
        raise KeyError(f"unknown panorama columns: {sorted(unknown)}")
    columns = {
        column: [row[column] if column in row else _default(column, row) for row in rows]
        for column in PROJECT_EDITION_SCHEMA
    }
    return pl.DataFrame(columns, schema=PROJECT_EDITION_SCHEMA).with_columns(
        pl.col("cost_bracket").fill_null(cost_bracket_expr(pl.col("cost_meur")))
    )


# A hand-made pair of editions (June -> December 2024, two earlier editions), shared by the comparison tests:
# fe 231 -> 259 (7.5 -> 8 years, Conception / Réalisation -> Déploiement), down 50 -> 40, new -> 12 (entrant),
# back 9 (2023-06) -> 9.9 (returning entrant), gone 25 (2023-06), 30 (2023-12), withheld in 2024-06 (leaver),
# moved Intérieur 20 -> Économie 20, same 15 -> 15.
HAND_E1, HAND_E2, HAND_A, HAND_B = date(2023, 6, 1), date(2023, 12, 1), date(2024, 6, 1), date(2024, 12, 1)
HAND_LABELS = {"eco": "Économie et Finances", "int": "Intérieur", "jus": "Justice", "cul": "Culture"}


def hand_row(edition: date, project: str, ministry: str, cost: float | None, **rest: Any) -> dict[str, Any]:
    """A row of the hand-made editions: name in capitals, ministry published with its edition."""
    return {
        "edition": edition,
        "project_id": project,
        "project_name": project.upper(),
        "ministry_id": ministry,
        "ministry_label": HAND_LABELS[ministry],
        "ministry_name": f"Ministère {HAND_LABELS[ministry]} ({edition:%Y-%m})",
        "cost_meur": cost,
        **rest,
    }


def hand_comparison_rows() -> list[dict[str, Any]]:
    e1, e2, a, b = HAND_E1, HAND_E2, HAND_A, HAND_B
    return [
        hand_row(a, "fe", "eco", 231.0, duration_years=7.5, phase="Conception / Réalisation"),
        hand_row(b, "fe", "eco", 259.0, duration_years=8.0, phase="Déploiement"),
        hand_row(a, "down", "int", 50.0),
        hand_row(b, "down", "int", 40.0),
        hand_row(b, "new", "jus", 12.0, phase="Cadrage"),
        hand_row(e1, "back", "jus", 9.0),
        hand_row(b, "back", "jus", 9.9),
        hand_row(e1, "gone", "cul", 25.0),
        hand_row(e2, "gone", "cul", 30.0),
        hand_row(a, "gone", "cul", None),
        hand_row(a, "moved", "int", 20.0),
        hand_row(b, "moved", "eco", 20.0),
        hand_row(a, "same", "cul", 15.0),
        hand_row(b, "same", "cul", 15.0),
    ]


@cache
def real_panorama_with_drift() -> pl.DataFrame:
    """The shipped panorama with drift columns, loaded once per session; skips when data are absent."""
    if not (PANORAMA_DATA_DIR / "crosswalk_projects.csv").exists():
        pytest.skip("data/panorama absent: real-data checks skipped")
    from analytics.panorama.loading import load_panorama

    return with_drift(load_panorama(PANORAMA_DATA_DIR).lazy()).collect()
