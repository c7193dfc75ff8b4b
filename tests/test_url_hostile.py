"""Hostile links on the simulations page parameters (`from_query`), complementing test_selection_properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.simulations import QUERY_KEYS, ScenarioParams, from_query, to_query

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "'; DROP TABLE marches; --",
    "1e309",
    "nan",
    "-inf",
    "9" * 400,
    "\u202e\u200b\x00\x1b[31m\r\n\t",
    "１２",  # full-width digits
    "x" * 10_000,
)
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
keys = st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=20))
hostile_params = st.dictionaries(keys, st.lists(values, max_size=8), max_size=12)


@settings(max_examples=200, deadline=None)
@given(hostile_params)
def test_from_query_never_raises_and_round_trips(params: dict[str, list[str]]) -> None:
    scenario, notices = from_query(params)
    assert isinstance(scenario, ScenarioParams)
    assert all(isinstance(n, str) for n in notices)
    assert from_query(to_query(scenario)) == (scenario, [])


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(QUERY_KEYS), st.sampled_from(HOSTILE))
def test_ten_thousand_repeated_values_are_bounded(key: str, value: str) -> None:
    scenario, notices = from_query({key: [value] * 10_000})
    assert isinstance(scenario, ScenarioParams)
    assert len(notices) <= 3
    assert sum(len(n) for n in notices) < 2_000, "a notice never echoes a huge value in full"


def test_script_value_is_ignored_with_a_notice_naming_the_key() -> None:
    scenario, notices = from_query({"seuil_revue": ["<script>alert(1)</script>"]})
    assert scenario == ScenarioParams()
    assert len(notices) == 1 and "seuil_revue" in notices[0]


def test_unknown_keys_are_left_to_the_shared_filters() -> None:
    assert from_query({"<script>": ["1"], "edition": ["2099-01"]}) == (ScenarioParams(), [])
