"""Prepared tables and charts are sent exactly as Streamlit would build them, without redoing the work per run."""

from __future__ import annotations

from datetime import date

import polars as pl
import pyarrow as pa
import pytest
from streamlit.elements import arrow
from streamlit.elements.lib.pandas_styler_utils import marshall_styler as streamlit_marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData
from streamlit.testing.v1 import AppTest

from analytics.display import PROJECTS_TABLE, Column, Kind, TableSpec
from pages.common import prepared_styler
from pages.common.tables import styled_table
from tests.panorama_frames import real_panorama_with_drift
from tests.sent_tables import cell_styles, display_values, formatted_styler, sent

FRAME = pl.DataFrame(
    {
        "name": ["A", "B", "C"],
        "drift": [-0.4171647727272728, 0.1, 0.35],
        "start": [date(2019, 5, 1), None, date(2021, 1, 1)],
    }
)
SPEC = TableSpec.of(
    Column(field="name", header="Projet"),
    Column(field="drift", header="Écart", kind=Kind.SIGNED_PERCENT, drift=True),
    Column(field="start", header="Début", kind=Kind.DATE),
)


def _marshalled(styler, marshall) -> ArrowData:
    proto = ArrowData()
    marshall(proto, styler, "default")
    return proto


def test_the_dataframe_element_uses_the_prepared_marshalling() -> None:
    assert arrow.marshall_styler is prepared_styler.marshall_styler


def _real_projects() -> pl.DataFrame:
    projects = real_panorama_with_drift()
    return projects.filter(pl.col("edition") == projects.get_column("edition").max())


@pytest.mark.parametrize(
    ("frame", "spec", "threshold"),
    [
        (FRAME, SPEC, 0.3),
        (FRAME, SPEC, None),
        (FRAME.clear(), SPEC, 0.3),
        (_real_projects(), PROJECTS_TABLE, 0.1),
        (_real_projects(), PROJECTS_TABLE, None),
    ],
    ids=["drifts", "no-threshold", "empty", "real-projects", "real-projects-plain"],
)
def test_a_prepared_table_gives_streamlits_own_element_byte_for_byte(frame, spec, threshold) -> None:
    prepared, _ = styled_table(frame, spec, threshold=threshold)
    reference = formatted_styler(frame, spec, threshold)
    reference.set_uuid(prepared.uuid)
    expected = _marshalled(reference, streamlit_marshall_styler)
    sent_element = _marshalled(prepared, prepared_styler.marshall_styler)
    assert sent_element.SerializeToString() == expected.SerializeToString()
    assert reference not in prepared_styler._MARSHALLED


def test_a_prepared_table_shows_the_display_models_texts_and_colours() -> None:
    prepared, _ = styled_table(FRAME, SPEC, threshold=0.3)
    element = sent(prepared)
    assert display_values(element) == [
        ["A", "-41,7\u00a0%", "01/05/2019"],
        ["B", "+10,0\u00a0%", "–"],
        ["C", "⚠ +35,0\u00a0%", "01/01/2021"],
    ]
    assert cell_styles(element)[2, 1] == "color: #CE0500; font-weight: 700"  # beyond the threshold: red, bold


def test_two_cells_with_one_shown_value_keep_their_own_texts() -> None:
    """30,0 % shown for both, only the first beyond 30 %: a pandas formatter (value -> text) gave both one text."""
    frame = pl.DataFrame({"name": ["A", "B"], "drift": [0.30004, 0.29996], "start": [None, None]})
    prepared, _ = styled_table(frame, SPEC, threshold=0.3)
    element = sent(prepared)
    assert [row[1] for row in display_values(element)] == ["⚠ +30,0\u00a0%", "+30,0\u00a0%"]
    assert cell_styles(element) == {(0, 1): "color: #CE0500; font-weight: 700", (1, 1): "color: #B34000"}


def test_a_styler_that_was_not_prepared_goes_through_streamlit() -> None:
    styler = FRAME.to_pandas().style.format({"drift": "{:.2f}"})
    assert display_values(sent(styler))[0] == ["A", "-0.42", "2019-05-01 00:00:00"]


APP = """
import polars as pl
import streamlit as st
from analytics.display import PROJECTS_TABLE, Column, Kind, TableSpec
from pages.common.tables import styled_table

frame = pl.DataFrame({"name": ["A"], "drift": [0.125]})
spec = TableSpec.of(
    Column(field="name", header="Projet"), Column(field="drift", header="Écart", kind=Kind.SIGNED_PERCENT)
)
styler, _ = styled_table(frame, spec)
st.dataframe(styler)
st.dataframe(styler)
"""


def test_a_prepared_table_is_drawn_on_every_run() -> None:
    at = AppTest.from_string(APP).run()
    at.run()
    assert not at.exception
    protos = [element.proto for element in at.dataframe]
    assert len(protos) == 2 and protos[0].arrow_data.styler == protos[1].arrow_data.styler
    assert display_values(protos[0].arrow_data) == [["A", "+12,5\u00a0%"]]


CHART_APP = """
import copy
import polars as pl
import streamlit as st
from analytics.charts import bar_chart
from pages.common.ui import _with_arrow_data

frame = pl.DataFrame({"ministry": ["Armées", "Justice"], "cost": [12.5, 3.0]})
spec = bar_chart(frame, "ministry", "cost", category_title="Ministère", value_title="Coût").to_dict(validate=False)
st.vega_lite_chart(copy.deepcopy(spec))
st.vega_lite_chart(_with_arrow_data(copy.deepcopy(spec)))
"""


def test_a_prepared_chart_sends_the_same_element_as_its_rows() -> None:
    at = AppTest.from_string(CHART_APP).run()
    assert not at.exception
    from_rows, prepared = (chart.proto for chart in at.get("vega_lite_chart"))
    assert prepared.spec == from_rows.spec and '"values"' not in prepared.spec
    assert prepared.data.data == from_rows.data.data
    assert pa.ipc.open_stream(prepared.data.data).read_all().column("cost").to_pylist() == [12.5, 3.0]
