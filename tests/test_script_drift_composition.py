"""The script behind the closing note's table prints one consistent row per pair of editions."""

from __future__ import annotations

import pytest

from scripts.drift_composition import main


def _number(cell: str) -> float:
    return float(cell.strip().replace("−", "-").replace("+", "").replace(",", "."))


def test_table_has_the_whole_span_then_each_consecutive_pair(capsys: pytest.CaptureFixture[str]) -> None:
    main([])
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| 20")]
    labels = [row.split("|")[1].strip() for row in rows]
    assert labels[0] == "2016-11 → 2021-11"
    assert labels[1:] == [
        "2016-11 → 2017-02", "2017-02 → 2017-06", "2017-06 → 2017-11", "2017-11 → 2018-03", "2018-03 → 2018-07",
        "2018-07 → 2018-11", "2018-11 → 2019-03", "2019-03 → 2021-07", "2021-07 → 2021-11",
    ]  # fmt: skip
    for row in rows:
        total, composition, entrants, leavers, like_for_like = (_number(c) for c in row.split("|")[3:8])
        # Printed to 0.1 point: the parts add up to the total within rounding.
        assert abs(total - composition - like_for_like) <= 0.15
        assert abs(composition - entrants - leavers) <= 0.15
