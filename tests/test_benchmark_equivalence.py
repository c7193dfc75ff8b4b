"""The benchmark's pandas and DuckDB implementations agree with our analytics on a small generated data set.

No timing here: this only keeps the comparison code honest, so that a benchmark never times wrong answers.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analytics.panorama.drift import with_drift
from benchmarks import duckdb_impl, pandas_impl, polars_impl
from benchmarks.compare import mismatches
from benchmarks.generate import FRAMEWORK_DECP_ID, decp_frame, panorama_frame


@pytest.fixture(scope="module")
def panorama() -> tuple[pl.DataFrame, pl.DataFrame]:
    raw = panorama_frame(150)
    return raw, with_drift(raw.lazy()).collect()


@pytest.fixture(scope="module")
def decp_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    table = decp_frame(20_000)
    folder = tmp_path_factory.mktemp("decp")
    table.write_parquet(folder / "decp.parquet")
    table.write_csv(folder / "decp.csv")
    return [folder / "decp.parquet", folder / "decp.csv"]


def test_generated_data_has_what_the_benchmark_needs(panorama, decp_files):
    raw, _ = panorama
    assert raw.get_column("edition").n_unique() == 20
    assert raw.get_column("cost_meur").null_count() > 0, "withheld costs are part of the data"
    table = pl.read_parquet(decp_files[0])
    framework_rows = table.filter(pl.col("idAccordCadre") == FRAMEWORK_DECP_ID)
    assert framework_rows.height > 0
    assert (~table.get_column("donneesActuelles")).sum() > 0, "superseded states of modified contracts"
    assert table.group_by("id", "donneesActuelles").len().get_column("len").max() > 1, "co-holders"


@pytest.mark.parametrize("computation", ["overview", "drift", "movements", "simulations"], ids=lambda name: name)
def test_panorama_computations_agree(panorama, computation):
    raw, projects = panorama
    source, source_pd = (raw, raw.to_pandas()) if computation == "drift" else (projects, projects.to_pandas())
    reference = getattr(polars_impl, computation)(source)
    assert all(frame.height > 0 for frame in reference.values()), "an empty output would compare nothing"
    con = duckdb_impl.connect(raw, projects)
    assert mismatches(reference, getattr(pandas_impl, computation)(source_pd), "pandas") == []
    assert mismatches(reference, getattr(duckdb_impl, computation)(con), "duckdb") == []


def test_decp_computations_agree(decp_files):
    bench = polars_impl.bench_framework()
    for path in decp_files:
        reference = polars_impl.decp(path, bench)
        assert reference["totals"].item(0, "contracts") > 0
        assert mismatches(reference, pandas_impl.decp(path, bench), "pandas") == []
        assert mismatches(reference, duckdb_impl.decp(path, bench), "duckdb") == []


def test_a_wrong_result_is_reported():
    reference = {"by_quarter": pl.DataFrame({"quarter": ["2022 T1"], "notified_eur": [100.0]})}
    wrong = {"by_quarter": pl.DataFrame({"quarter": ["2022 T1"], "notified_eur": [101.0]})}
    assert len(mismatches(reference, wrong, "pandas")) == 1
    assert mismatches(reference, {}, "duckdb") == ["duckdb : sortie « by_quarter » absente."]
