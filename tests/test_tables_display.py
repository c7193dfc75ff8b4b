"""The grid helper: French display through a Styler, numeric data underneath, a fallback past the Styler limit."""

from __future__ import annotations

from datetime import date

import pandas as pd
import polars as pl
import pytest
import streamlit as st
from pandas.io.formats.style import Styler

from analytics.display import DRIFT_MARK, Column, Kind, TableSpec
from pages.common.tables import (
    ALERT_COLOUR,
    SUCCESS_COLOUR,
    WARNING_COLOUR,
    column_widths,
    french_table,
    merge_column_config,
    styled_table,
)
from tests.sent_tables import cell_styles, display_values, sent

NB = "\u00a0"
FRAME = pl.DataFrame(
    {
        "name": ["A", "B", "C"],
        "drift": [-0.4171647727272728, 0.1, 0.35],
        "start": [date(2019, 5, 1), None, date(2021, 1, 1)],
        "phase": ["Cadrage", None, "Terminé"],
    }
)
SPEC = TableSpec.of(
    Column(field="name", header="Projet"),
    Column(field="drift", header="Écart", kind=Kind.SIGNED_PERCENT, drift=True, help="Depuis la 1re publication."),
    Column(field="start", header="Début", kind=Kind.DATE),
    Column(field="phase", header="Phase", missing="Non publiée"),
)


def displayed(styler: Styler) -> list[list[str]]:
    """What Streamlit sends to the grid as display values."""
    return display_values(sent(styler))


def cell_css(styler: Styler) -> list[str]:
    styles = cell_styles(sent(styler))
    return [styles.get((row, 1), "") for row in range(len(styler.data))]


def test_the_grid_gets_shown_values_and_draws_french_texts() -> None:
    styler, _ = styled_table(FRAME, SPEC, threshold=0.3)
    assert isinstance(styler, Styler)
    assert styler.data["Écart"].tolist() == [-41.7, 10.0, 35.0]  # what sorting and screen readers use
    assert [d.isoformat() if d is not pd.NA else None for d in styler.data["Début"]] == [
        "2019-05-01",
        None,
        "2021-01-01",
    ]
    assert displayed(styler) == [
        ["A", f"-41,7{NB}%", "01/05/2019", "Cadrage"],
        ["B", f"+10,0{NB}%", "–", "Non publiée"],
        ["C", f"{DRIFT_MARK} +35,0{NB}%", "01/01/2021", "Terminé"],
    ]


def test_drift_colours_a_falling_cost_green() -> None:
    styler, _ = styled_table(FRAME, SPEC, threshold=0.3)
    assert cell_css(styler) == [
        f"color: {SUCCESS_COLOUR}",
        f"color: {WARNING_COLOUR}",
        f"color: {ALERT_COLOUR}; font-weight: 700",
    ]
    plain, _ = styled_table(FRAME, SPEC)
    assert cell_css(plain) == ["", "", ""]


def test_column_config_gives_help_and_widths_without_pinning() -> None:
    _, config = styled_table(FRAME, SPEC, threshold=0.3)
    assert config["Écart"]["help"] == "Depuis la 1re publication."
    assert config["Écart"]["type_config"]["format"] is None  # the Styler formats the cells
    assert config["Début"]["width"] >= len("01/05/2019") * 7
    assert config["Projet"]["width"] is None and not config["Projet"]["pinned"]


def test_past_the_styler_limit_the_grid_gets_formats_instead() -> None:
    with pd.option_context("styler.render.max_elements", 11):  # the frame has 12 cells
        data, config = styled_table(FRAME, SPEC, threshold=0.3)
    assert isinstance(data, pl.DataFrame)
    assert data.get_column("Écart").to_list() == [-41.7, 10.0, 35.0]
    assert config["Écart"]["type_config"]["format"] == "localized"
    assert config["Écart"]["type_config"]["step"] == pytest.approx(0.1)
    assert config["Début"]["type_config"]["format"] == "DD/MM/YYYY"


def test_column_widths_follow_the_longest_text() -> None:
    widths = column_widths(pl.DataFrame({"Début": ["01/05/2019"], "Un très long en-tête": ["1"]}))
    assert widths["Début"] < widths["Un très long en-tête"]


def test_page_column_config_merges_over_the_model() -> None:
    mine = {"Écart": st.column_config.NumberColumn(help="modèle", width=90), "Inter": st.column_config.TextColumn()}
    given = {
        "Écart": st.column_config.NumberColumn(help="page"),
        "Inter": st.column_config.CheckboxColumn(),  # no longer fits an « oui » / « non » text
        "Projet": st.column_config.TextColumn(pinned=True, width="medium"),
    }
    merged = merge_column_config(mine, given, drop=("pinned",))
    assert (merged["Écart"]["help"], merged["Écart"]["width"]) == ("page", 90)
    assert merged["Inter"]["type_config"]["type"] == "text"
    assert merged["Projet"] == {"width": "medium", "type_config": {"type": "text"}}


def test_french_table_keeps_its_former_signature() -> None:
    frame = pl.DataFrame({"Coût (M€)": [1234.5], "Écart": [0.5], "Inter": [True]})
    styler = french_table(frame, money=["Coût (M€)"], percent=["Écart"], drift_threshold=0.2)
    assert displayed(styler) == [["1\u202f234,5", f"{DRIFT_MARK} +50,0{NB}%", "oui"]]


def test_a_link_column_is_a_link_on_screen_and_its_address_in_files() -> None:
    frame = pl.DataFrame({"Document": ["CCAP"], "Lien": ["https://www.marches-publics.gouv.fr/ccap.pdf"]})
    spec = TableSpec.of(
        Column(field="Document", header="Document"), Column(field="Lien", header="Lien", kind=Kind.LINK)
    )
    _, config = styled_table(frame, spec)
    link = config["Lien"]["type_config"]
    assert (link["type"], link["display_text"]) == ("link", "Ouvrir le document")
    assert config["Lien"]["width"] is None  # a link's text is short whatever its address
    assert spec.texts(frame).row(0) == ("CCAP", "https://www.marches-publics.gouv.fr/ccap.pdf")
