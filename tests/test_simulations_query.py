"""Scenario parameters through the URL: round trip, clamping, garbage never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.simulations import (
    QUERY_KEYS,
    DriftAlertParams,
    DriftCapParams,
    ScenarioParams,
    ThresholdParams,
    from_query,
    to_query,
)


def test_defaults_write_nothing_and_read_back() -> None:
    assert to_query(ScenarioParams()) == {}
    assert from_query({}) == (ScenarioParams(), [])


def test_every_parameter_written_and_read() -> None:
    params = ScenarioParams(
        threshold=ThresholdParams(threshold_meur=50, margin_meur=2.5),
        alerts=DriftAlertParams(budget_levels=(0.05, 0.125), schedule_levels=(0.5, 1.0)),
        cap=DriftCapParams(cap=0),
        user_pace_eur_per_month=125_000.5,
        framework_id="2019-DINUM-AC-01",
    )
    query = to_query(params)
    assert query == {
        "seuil_revue": ["50"],
        "marge": ["2.5"],
        "alertes_budget": ["5,12.5"],
        "alertes_calendrier": ["50,100"],
        "plafond": ["0"],
        "rythme": ["125000.5"],
        "accord": ["2019-DINUM-AC-01"],
    }
    assert from_query(query) == (params, [])


def test_french_decimal_comma_and_spaces_are_read() -> None:
    params, notices = from_query({"seuil_revue": ["9,5"], "rythme": ["12 000"], "plafond": ["12,5"]})
    assert (params.threshold.threshold_meur, params.user_pace_eur_per_month, params.cap.cap) == (
        9.5,
        12_000.0,
        0.125,
    )
    assert notices == []


def test_levels_are_sorted_and_deduplicated_silently() -> None:
    params, notices = from_query({"alertes_budget": ["30,10,10"]})
    assert params.alerts.budget_levels == (0.1, 0.3)
    assert notices == []


def test_invalid_values_are_ignored_or_clamped_with_named_notices() -> None:
    params, notices = from_query(
        {
            "seuil_revue": ["abc"],
            "marge": ["-1"],
            "alertes_budget": ["10,x,0,5000"],
            "alertes_calendrier": ["nan"],
            "plafond": ["1e9"],
            "rythme": ["inf"],
            "accord": ["\x00bad"],
            "edition": ["2021-11"],  # another page's parameter: ignored silently
        }
    )
    assert params == ScenarioParams(alerts=DriftAlertParams(budget_levels=(0.1, 10.0)), cap=DriftCapParams(cap=10.0))
    assert notices == [
        "Paramètre « seuil_revue » : valeur « abc » illisible, ignorée (nombre attendu).",
        "Paramètre « marge » : valeur « -1 » ignorée, elle doit être positive ou nulle.",
        "Paramètre « alertes_budget » : valeur « x » illisible, ignorée (nombre attendu).",
        "Paramètre « alertes_budget » : valeur « 0 » ignorée, elle doit être strictement positive.",
        "Paramètre « alertes_budget » : valeur « 5000 » ramenée au maximum de 1\u202f000 %.",
        "Paramètre « alertes_calendrier » : valeur « nan » non finie, ignorée.",
        "Paramètre « alertes_calendrier » : aucun niveau valide dans « nan », niveaux par défaut.",
        "Paramètre « plafond » : valeur « 1e9 » ramenée au maximum de 1\u202f000 %.",
        "Paramètre « rythme » : valeur « inf » non finie, ignorée.",
        "Paramètre « accord » : identifiant « \ufffdbad » ignoré (texte imprimable de 1 à 64 caractères attendu).",
    ]


def test_repeated_parameter_keeps_the_last_value_with_notice() -> None:
    params, notices = from_query({"seuil_revue": ["5", "20"]})
    assert params.threshold.threshold_meur == 20
    assert notices == ["Paramètre « seuil_revue » donné 2 fois : seule la dernière valeur « 20 » est retenue."]


def test_empty_values_and_plain_strings() -> None:
    params, notices = from_query({"seuil_revue": [""], "rythme": [], "marge": "3"})  # type: ignore[dict-item]
    assert params == ScenarioParams(threshold=ThresholdParams(margin_meur=3))
    assert notices == []


def test_too_many_levels_keep_the_lowest_ten() -> None:
    params, notices = from_query({"alertes_calendrier": [",".join(str(p) for p in range(12, 0, -1))]})
    assert params.alerts.schedule_levels == tuple(p / 100 for p in range(1, 11))
    assert notices == ["Paramètre « alertes_calendrier » : 12 niveaux distincts, seuls les 10 plus bas sont retenus."]


_fractions = st.floats(min_value=1e-6, max_value=10, allow_nan=False)
_amounts_meur = st.floats(min_value=1e-9, max_value=100_000, allow_nan=False)
scenario_params = st.builds(
    ScenarioParams,
    threshold=st.builds(
        ThresholdParams,
        threshold_meur=_amounts_meur,
        margin_meur=st.floats(min_value=0, max_value=100_000, allow_nan=False),
    ),
    alerts=st.builds(
        DriftAlertParams,
        budget_levels=st.lists(_fractions, min_size=1, max_size=10),
        schedule_levels=st.lists(_fractions, min_size=1, max_size=10),
    ),
    cap=st.builds(DriftCapParams, cap=st.floats(min_value=0, max_value=10, allow_nan=False)),
    user_pace_eur_per_month=st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False),
    framework_id=st.none()
    | st.text(st.characters(codec="utf-8"), min_size=1, max_size=64).filter(
        lambda text: text.strip() and text.isprintable()
    ),
)


@settings(max_examples=200)
@given(scenario_params)
def test_round_trip_is_exact(params: ScenarioParams) -> None:
    assert from_query(to_query(params)) == (params, [])


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(QUERY_KEYS) | st.text(max_size=8),
        st.lists(st.text(max_size=30) | st.sampled_from(["-1", "0", "1e400", "nan", "12,5", ",,", "1_0"])),
        max_size=10,
    )
)
def test_garbage_never_raises(query: dict[str, list[str]]) -> None:
    params, notices = from_query(query)
    assert isinstance(params, ScenarioParams)
    assert all(isinstance(notice, str) and notice.startswith("Paramètre") for notice in notices)
    assert from_query(to_query(params)) == (params, [])
