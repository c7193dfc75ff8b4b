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


@cache
def real_panorama_with_drift() -> pl.DataFrame:
    """The shipped panorama with drift columns, loaded once per session; skips when data are absent."""
    if not (PANORAMA_DATA_DIR / "crosswalk_projects.csv").exists():
        pytest.skip("data/panorama absent: real-data checks skipped")
    from analytics.panorama.loading import load_panorama

    return with_drift(load_panorama(PANORAMA_DATA_DIR).lazy()).collect()
