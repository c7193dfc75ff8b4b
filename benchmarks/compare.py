"""Check that pandas and DuckDB give our analytics' results before anything is timed."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import polars as pl
from polars.testing import assert_frame_equal

REL_TOL = 1e-7  # sums over different orders differ in the last bits only


def to_polars(frame: pl.DataFrame | pd.DataFrame) -> pl.DataFrame:
    """Any engine's result as a polars frame with comparable dtypes (dates as Date, numbers as Float64)."""
    result = pl.from_pandas(frame) if isinstance(frame, pd.DataFrame) else frame
    return result.select(
        pl.col(name).cast(pl.Date)
        if dtype.is_temporal()
        else pl.col(name).cast(pl.Float64)
        if dtype.is_numeric() or dtype == pl.Boolean
        else pl.col(name).cast(pl.String)
        for name, dtype in result.schema.items()
    )


def _ordered(frame: pl.DataFrame) -> pl.DataFrame:
    keys = [name for name, dtype in frame.schema.items() if dtype in (pl.String, pl.Date)]
    return frame.sort(keys or frame.columns, nulls_last=True)


def mismatches(
    reference: Mapping[str, pl.DataFrame], other: Mapping[str, pl.DataFrame | pd.DataFrame], engine: str
) -> list[str]:
    """Differences of `other` against `reference`, one line per output (empty when they agree)."""
    problems: list[str] = []
    for name, expected in reference.items():
        if name not in other:
            problems.append(f"{engine} : sortie « {name} » absente.")
            continue
        left, right = _ordered(to_polars(expected)), to_polars(other[name])
        try:
            right = _ordered(right.select(left.columns))
            assert_frame_equal(left, right, rel_tol=REL_TOL, check_dtypes=False)
        except (AssertionError, pl.exceptions.PolarsError) as exc:
            problems.append(f"{engine} : sortie « {name} » différente de polars : {str(exc)[:600]}")
    return problems
