"""What « Évolutions », the ministry sheet and the project ledger show, on small frames computed by hand.

Comparison: the hand-made June -> December 2024 editions of `tests.panorama_frames` (gone: impact unknown).

Drift (E0 -> A -> B): p1 100, 100, 110; p2 100, 150, absent; p3 absent, absent, 50.
Mean budget drift: A (0 + 0.5) / 2 = 25 %, B (0.1 + 0) / 2 = 5 %: -20 pt = +10 pt like for like (p1: 0 -> 10 %)
- 5 pt from the entrant (5 % - 10 %) - 25 pt from the leaver (0 % - 25 %).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.formatting import column_formats, format_points
from analytics.panorama.change_report import (
    change_key_figures,
    continuing_table,
    decomposition_display,
    entrants_table,
    leavers_table,
    official_display,
    phase_moves_table,
    split_sentence,
    table_formats,
)
from analytics.panorama.changes import compare_editions
from analytics.panorama.composition import OfficialDriftChange, decompose_drift_change
from analytics.panorama.drift import with_drift
from analytics.panorama.ledger import project_ledger
from analytics.panorama.ledger_report import ledger_table, slippage_status, summary_lines
from analytics.panorama.ministry import ministry_sheet
from analytics.panorama.ministry_report import ministry_key_figures, projects_table, trajectory_table
from tests.panorama_frames import HAND_A, HAND_B, HAND_E1, HAND_E2, hand_comparison_rows, make_panorama_frame
from tests.panorama_frames import hand_row as _row

E0, E1, E2, A, B = date(2023, 1, 1), HAND_E1, HAND_E2, HAND_A, HAND_B
NB = "\u00a0"


def _frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return with_drift(make_panorama_frame(rows).lazy()).collect()


@pytest.fixture(scope="module")
def comparison():
    return compare_editions(_frame(hand_comparison_rows()), A, B)


@pytest.fixture(scope="module")
def drifting() -> pl.DataFrame:
    return _frame(
        [
            _row(E0, "p1", "int", 100.0),
            _row(A, "p1", "int", 100.0),
            _row(B, "p1", "int", 110.0),
            _row(E0, "p2", "jus", 100.0),
            _row(A, "p2", "jus", 150.0),
            _row(B, "p3", "int", 50.0),
        ]
    )


# ---------------------------------------------------------------- « Évolutions »


def test_key_figures_count_each_kind_and_sum_the_known_impacts(comparison) -> None:
    figures = {f.label: f for f in change_key_figures(comparison)}
    assert list(figures) == ["Entrants", "Sortants", "Toujours présents", "Changements de phase"]
    assert (figures["Entrants"].value, figures["Entrants"].delta) == ("2", f"+21,9{NB}M€")  # 12 + 9.9
    assert (figures["Toujours présents"].value, figures["Toujours présents"].delta) == (
        "4",
        f"+18,0{NB}M€",  # +28 - 10 + 0 + 0
    )
    leavers = figures["Sortants"]
    assert (leavers.value, leavers.delta) == ("1", None), "an unknown impact is never shown as 0"
    assert "1 projet(s) sans coût publié" in leavers.help
    assert figures["Changements de phase"].value == "1"


def test_entrant_and_leaver_tables_keep_what_only_the_movements_know(comparison) -> None:
    entrants = entrants_table(comparison)
    assert entrants.select("Projet", "Coût (M€)", "Première publication").rows() == [
        ("NEW", 12.0, None),
        ("BACK", 9.9, E1),
    ]
    assert entrants["Nom publié (arrivée)"].to_list() == ["NEW", "BACK"]
    leavers = leavers_table(comparison)
    assert leavers.select("Projet", "Dernier coût publié (M€)", "Édition du dernier coût").rows() == [
        ("GONE", 30.0, E2)
    ]
    short = entrants_table(comparison, detailed=False)
    assert short.columns == ["Projet", "Ministère", "Phase", "Coût (M€)"]
    assert "Identifiant" not in leavers_table(comparison, detailed=False).columns


def test_continuing_table_is_sorted_by_impact_and_limited(comparison) -> None:
    table = continuing_table(comparison)
    assert table.select("Projet", "Variation du coût (M€)").rows()[:2] == [("FE", 28.0), ("DOWN", -10.0)]
    assert table.filter(pl.col("Projet") == "FE")["Variation de durée (ans)"].item() == pytest.approx(0.5)
    assert continuing_table(comparison, limit=1)["Projet"].to_list() == ["FE"]
    assert phase_moves_table(comparison).select("Projet", "Phase de départ", "Phase d'arrivée").rows() == [
        ("FE", "Conception / Réalisation", "Déploiement")
    ]


def test_table_formats_name_only_present_columns(comparison) -> None:
    formats = table_formats(continuing_table(comparison, detailed=False))
    assert formats["money"] == ["Coût d'arrivée (M€)", "Variation du coût (M€)"]
    assert formats["percent"] == ["Variation du coût (%)", "Écart budgétaire (arrivée)"]
    assert column_formats(["a", "b"], money=("b", "c"), percent=()) == {"money": ["b"], "percent": []}


def test_decomposition_display_in_points_adds_up(drifting) -> None:
    table = decomposition_display(decompose_drift_change(drifting, A, B))
    mean = table.row(0, named=True)
    assert (mean["Dérive"], mean["Moyenne"]) == ("Dérive budgétaire", "Moyenne")
    assert mean["Moyenne juin 2024"] == pytest.approx(0.25) and mean["Moyenne décembre 2024"] == pytest.approx(0.05)
    assert mean["Variation totale (pt)"] == pytest.approx(-20.0)
    assert mean["À périmètre constant (pt)"] == pytest.approx(10.0)
    assert mean["Effet des entrants (pt)"] == pytest.approx(-5.0)
    assert mean["Effet des sortants (pt)"] == pytest.approx(-25.0)
    assert mean["Effet de composition (pt)"] == pytest.approx(-30.0)
    assert (mean["Projets mesurés dans les deux éditions"], mean["Entrants mesurés"], mean["Sortants mesurés"]) == (
        1,
        1,
        1,
    )
    weighted = table.row(1, named=True)  # A: 0.5 x 150 / 250; B: 0.1 x 110 / 160
    assert weighted["Moyenne juin 2024"] == pytest.approx(0.3)
    assert weighted["Moyenne décembre 2024"] == pytest.approx(11 / 160)


def test_split_sentence_reads_the_decomposition(drifting) -> None:
    split = decompose_drift_change(drifting, A, B).budget_mean
    assert split_sentence(split, A, B) == (
        f"Dérive budgétaire, moyenne : 25,0{NB}% en juin 2024, 5,0{NB}% en décembre 2024, soit -20,0{NB}pt, "
        f"dont +10,0{NB}pt à périmètre constant (1 projet) et -30,0{NB}pt d'effet de composition "
        f"(entrants -5,0{NB}pt, sortants -25,0{NB}pt)."
    )


def test_split_sentence_without_common_projects_is_all_composition() -> None:
    frame = _frame([_row(A, "p1", "int", 100.0), _row(B, "p2", "int", 50.0)])
    split = decompose_drift_change(frame, A, B).budget_mean
    assert split_sentence(split, A, B).endswith(
        "entièrement dû à la composition (aucun projet mesuré dans les deux éditions)."
    )


def test_official_display_keeps_unpublished_figures_unknown() -> None:
    official = OfficialDriftChange(budget_from=0.193, budget_to=0.135, schedule_from=None, schedule_to=0.154)
    table = official_display(official, A, B)
    assert table["Chiffre officiel"].to_list()[0].startswith("Écart budgétaire moyen (Officiel")
    assert table["Variation totale (pt)"].to_list()[0] == pytest.approx(-5.8)
    assert table["Variation totale (pt)"].to_list()[1] is None
    assert format_points(-0.058, signed=True) == f"-5,8{NB}pt"


# ---------------------------------------------------------------- ministry sheet


def test_ministry_key_figures_against_the_comparison_edition(drifting) -> None:
    # Intérieur: A p1 100 of 250 (40 %), drift 0; B p1 110 + p3 50 = 160 of 160 (100 %), drifts 0.1 and 0.
    sheet = ministry_sheet(drifting, "int", B, A)
    figures = {f.label: (f.value, f.delta) for f in ministry_key_figures(sheet, A)}
    assert figures["Projets"] == ("2", "+1")
    assert figures["Coût total estimé"] == (f"160,0{NB}M€", f"+60,0{NB}M€")
    assert figures["Part du coût de l'État"] == (f"100,0{NB}%", f"+60,0{NB}pt")
    assert figures["Part des projets de l'État"] == (f"100,0{NB}%", f"+50,0{NB}pt")
    assert figures["Écart budgétaire moyen"] == (f"5,0{NB}%", f"+5,0{NB}pt")
    assert [f.delta for f in ministry_key_figures(sheet, None)] == [None] * 6


def test_ministry_tables(drifting) -> None:
    sheet = ministry_sheet(drifting, "jus", A)
    trajectory = trajectory_table(sheet)
    assert trajectory.select("Édition", "Projets", "Coût (M€)").rows() == [
        (date(2023, 1, 1), 1, 100.0),
        (date(2024, 6, 1), 1, 150.0),
        (date(2024, 12, 1), 0, 0.0),
    ]
    assert trajectory_table(sheet, detailed=False).width == 5
    assert projects_table(sheet).rows() == [("P2", "Non publiée", 150.0, 0.5, None, False)]


# ---------------------------------------------------------------- project ledger


@pytest.fixture(scope="module")
def rising() -> pl.DataFrame:
    start = date(2020, 1, 1)
    return _frame(
        [
            _row(E1, "x", "int", 10.0, duration_years=2.0, start_date=start),
            _row(E2, "x", "int", 12.0, duration_years=2.0, start_date=start),
            _row(A, "x", "int", 15.0, duration_years=2.5, start_date=start),
        ]
    )


def test_ledger_table_attributes_each_step_to_its_edition(rising) -> None:
    ledger = project_ledger(rising, "x")
    table = ledger_table(ledger, rising)
    assert table.select("Édition", "Coût (M€)", "Variation du coût (M€)", "Coût comparé à").rows() == [
        (E1, 10.0, None, None),
        (E2, 12.0, 2.0, E1),
        (A, 15.0, 3.0, E2),
    ]
    assert table["Décalage de la fin (mois)"].to_list() == [None, 0, 6]
    assert table["Ministère (publié)"].to_list() == [f"Ministère Intérieur ({e:%Y-%m})" for e in (E1, E2, A)]
    assert table["En glissement"].to_list() == [False, False, True]
    assert ledger_table(ledger, rising, detailed=False).columns[-1] == "En glissement"


def test_summary_and_slippage_status_in_words(rising) -> None:
    ledger = project_ledger(rising, "x")
    cost, duration = summary_lines(ledger.summary)
    assert cost == (
        f"Premier coût publié : 10,0{NB}M€ (juin 2023) · dernier : 15,0{NB}M€ (juin 2024) · depuis la 1re "
        f"publication : +5,0{NB}M€ (+50,0{NB}%)"
    )
    assert duration.endswith(f"depuis la 1re publication : +0,5{NB}ans")
    assert slippage_status(ledger, A) == (
        True,
        "En glissement en juin 2024 : coût en hausse à 2 publications successives.",
    )
    slipping, text = slippage_status(ledger, E2)
    assert not slipping and text.startswith("Pas en glissement en décembre 2023")
    assert slippage_status(ledger, date(2022, 1, 1)) == (False, "Pas encore publié en janvier 2022.")
