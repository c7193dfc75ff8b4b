"""The column display model: French texts, shown values, drift classes, checked on small hand-made frames."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from analytics.display import (
    DRIFT_MARK,
    PROJECTS_TABLE,
    Column,
    DisplaySpecError,
    Kind,
    TableSpec,
    drift_legend_fr,
    number_text,
    spec_from_formats,
)
from analytics.formatting import MISSING, NARROW_NBSP, NBSP, format_number, format_pct
from analytics.panorama.drift import exceeds_threshold

NN, NB = NARROW_NBSP, NBSP

FRAME = pl.DataFrame(
    {
        "name": ["=A", "B", "C", None],
        "drift": [-0.4171647727272728, 0.15105837075048112, 0.35, None],
        "cost": [1234567.25, 8.2, 0.04, float("nan")],
        "start": [date(2019, 5, 1), date(2016, 1, 1), None, date(2020, 2, 3)],
        "inter": [True, False, None, True],
        "count": [1, 2000, 3, None],
        "programmes": [["P1", "P2"], [], None, ["P3"]],
    }
)
SPEC = TableSpec.of(
    Column(field="name", header="Projet"),
    Column(field="drift", header="Écart budgétaire", kind=Kind.SIGNED_PERCENT, drift=True),
    Column(field="cost", header="Coût (M€)", kind=Kind.MONEY),
    Column(field="start", header="Début", kind=Kind.MONTH),
    Column(field="inter", header="Interministériel", kind=Kind.BOOL),
    Column(field="count", header="Projets", kind=Kind.INTEGER),
    Column(field="programmes", header="Programmes"),
)


def test_texts_are_what_the_screen_reads() -> None:
    assert SPEC.texts(FRAME, threshold=0.30).rows() == [
        ("=A", "-41,7" + NB + "%", f"1{NN}234{NN}567,3", "05/2019", "oui", "1", "P1, P2"),
        ("B", "+15,1" + NB + "%", "8,2", "01/2016", "non", f"2{NN}000", ""),
        ("C", f"{DRIFT_MARK} +35,0{NB}%", "0,0", MISSING, MISSING, "3", MISSING),
        (MISSING, MISSING, MISSING, "02/2020", "oui", MISSING, "P3"),
    ]


def test_without_a_threshold_no_drift_is_marked() -> None:
    assert SPEC.texts(FRAME).get_column("Écart budgétaire").to_list()[2] == "+35,0" + NB + "%"


def test_values_are_in_the_shown_unit_and_rounding() -> None:
    values = SPEC.on_screen(FRAME).values
    assert values.columns == SPEC.headers
    assert values.get_column("Écart budgétaire").to_list() == [-41.7, 15.1, 35.0, None]
    assert values.get_column("Coût (M€)").to_list() == [1234567.3, 8.2, 0.0, None]  # NaN is missing; ,25 -> ,3
    assert values.get_column("Projets").dtype == pl.Int64
    assert values.get_column("Début").dtype == pl.Date
    assert values.get_column("Interministériel").to_list() == ["oui", "non", None, "oui"]


def test_drift_classes_follow_the_one_over_threshold_rule() -> None:
    """Colours and « ⚠ » say what the counts say (`exceeds_threshold`): exactly +30 % is at a 30 % threshold."""
    frame = pl.DataFrame({"d": [0.30004, 0.3006, 0.30, 0.0, -0.0004, -0.2, 0.01, None]})
    spec = TableSpec.of(Column(field="d", header="Écart", kind=Kind.SIGNED_PERCENT, drift=True))
    assert spec.on_screen(frame, 0.30).classes.get_column("Écart").to_list() == [
        "above",
        "above",
        "rising",
        "falling",
        "falling",
        "falling",
        "rising",
        None,
    ]
    marked = [text.startswith(DRIFT_MARK) for text in spec.texts(frame, 0.30).get_column("Écart").to_list()]
    assert marked == [True, True, False, False, False, False, False, False]
    counted = frame.select(exceeds_threshold(pl.col("d"), 0.30).sum()).item()
    assert counted == sum(marked)


@pytest.mark.parametrize(
    ("value", "places", "signed", "expected"),
    [
        (0.0, 1, False, "0,0"),
        (-0.04, 1, False, "0,0"),  # never « -0,0 »
        (-0.05, 1, True, "0,0"),  # half to even: -0.05 is stored a hair above, rounds to -0,0
        (999.96, 1, False, f"1{NN}000,0"),
        (-1234.5, 0, False, f"-1{NN}234"),
        (123456789.0, 2, True, f"+123{NN}456{NN}789,00"),
        (12.0, 0, True, "+12"),
    ],
)
def test_number_text(value: float, places: int, signed: bool, expected: str) -> None:
    shown = pl.select(pl.lit(value).round(places).alias("v"))
    assert shown.select(number_text(pl.col("v"), places, signed=signed)).item() == expected


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_number_text_agrees_with_the_scalar_formatter(value: float, places: int) -> None:
    frame = pl.DataFrame({"v": [value]})
    column = Column(field="v", header="V", kind=Kind.NUMBER, decimals=places)
    assert TableSpec.of(column).texts(frame).item() == format_number(value, places)


@given(st.floats(min_value=-50, max_value=50, allow_nan=False))
def test_signed_percent_agrees_with_format_pct(fraction: float) -> None:
    column = Column(field="v", header="V", kind=Kind.SIGNED_PERCENT)
    assert TableSpec.of(column).texts(pl.DataFrame({"v": [fraction]})).item() == format_pct(fraction, 1, signed=True)


def test_excel_formats() -> None:
    formats = {c.header: c.excel_format for c in SPEC.columns}
    assert formats == {
        "Projet": None,
        "Écart budgétaire": "+0.0%;-0.0%;0.0%",
        "Coût (M€)": "#,##0.0",
        "Début": "mm/yyyy",
        "Interministériel": None,
        "Projets": "#,##0",
        "Programmes": None,
    }
    assert Column(field="p", header="Part", kind=Kind.PERCENT, decimals=0).excel_format == "0%"


def test_spec_errors_are_french() -> None:
    with pytest.raises(DisplaySpecError, match="Colonne\\(s\\) absente\\(s\\) du tableau : cost"):
        SPEC.on_screen(FRAME.drop("cost"))
    with pytest.raises(ValidationError, match="en double : Projet"):
        TableSpec.of(Column(field="a", header="Projet"), Column(field="b", header="Projet"))
    with pytest.raises(ValidationError, match="seule une colonne de nombres"):
        Column(field="a", header="Projet", drift=True)


def test_spec_from_formats_reads_the_former_lists() -> None:
    frame = pl.DataFrame(
        {
            "Coût (M€)": [1.0],
            "Écart": [0.1],
            "Durée (ans)": [2.0],
            "Début": [date(2020, 1, 1)],
            "Édition": [date(2020, 1, 1)],
            "Lignes": [3],
            "Inter": [True],
            "Note": [0.5],
            "Nom": ["x"],
        }
    )
    spec = spec_from_formats(
        frame.schema, money=["Coût (M€)"], percent=["Écart"], years=["Durée (ans)"], months=["Début"], drift=True
    )
    kinds = {c.header: (c.kind, c.drift) for c in spec.columns}
    assert kinds == {
        "Coût (M€)": (Kind.MONEY, False),
        "Écart": (Kind.SIGNED_PERCENT, True),
        "Durée (ans)": (Kind.YEARS, False),
        "Début": (Kind.MONTH, False),
        "Édition": (Kind.DATE, False),
        "Lignes": (Kind.INTEGER, False),
        "Inter": (Kind.BOOL, False),
        "Note": (Kind.NUMBER, False),
        "Nom": (Kind.TEXT, False),
    }


def test_projects_table_spec_reads_a_panorama_frame() -> None:
    frame = pl.DataFrame(
        {
            "project_name": ["SI SAMU"],
            "ministry_label": ["Santé"],
            "phase": ["Déploiement"],
            "cost_meur": [212.5],
            "budget_drift": [1.0],
            "schedule_drift": [-0.1],
            "duration_years": [7.41666666666667],
            "start_date": [date(2015, 1, 1)],
            "interministerial": [False],
            "functional_zone": ["Santé et Offre de Soins"],
        }
    )
    assert PROJECTS_TABLE.texts(frame, 0.2).row(0) == (
        "SI SAMU",
        "Santé",
        "Déploiement",
        "212,5",
        f"{DRIFT_MARK} +100,0{NB}%",
        f"-10,0{NB}%",
        "7,4",
        "01/2015",
        "non",
        "Santé et Offre de Soins",
    )


def test_drift_legend_names_every_class() -> None:
    legend = drift_legend_fr(0.2)
    assert f"« {DRIFT_MARK} »" in legend and f"20{NB}%" in legend
    assert all(word in legend for word in ("rouge", "orange", "vert", "signe +", "signe -"))
