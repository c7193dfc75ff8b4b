"""Chart builders: French locale, tooltips from the display model, named selections, rules, titled static renders."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import altair as alt
import polars as pl

from analytics.charts import (
    AXIS_ROOM,
    CHART_CONFIG,
    LINE_HEIGHT,
    ROW_HEIGHT,
    Rows,
    bar_chart,
    chart_description,
    chart_table_spec,
    chart_to_png,
    chart_to_svg,
    drift_scatter,
    drift_scatter_frame,
    line_chart,
    stacked_bar_chart,
    titled,
)
from analytics.exports import ExportContext
from analytics.formatting import VEGA_LOCALE

BARS = pl.DataFrame({"ministry_label": ["Intérieur", "Armées"], "cost_meur": [1234.5, 10.0]})
STACKED = pl.DataFrame(
    {
        "ministry_label": ["Intérieur", "Intérieur", "Armées"],
        "phase": ["Cadrage", "Terminé", "Cadrage"],
        "projects": [3, 1, 2],
    }
)
SERIES = pl.DataFrame(
    {
        "edition": [date(2019, 11, 1), date(2020, 11, 1), date(2019, 11, 1), date(2020, 11, 1)],
        "cost": [1000.0, 1234.5, 990.0, 1200.0],
        "source": ["Officiel", "Officiel", "Calculé", "Calculé"],
    }
)
DRIFT = pl.DataFrame(
    {
        "project_id": ["pnr", "sirhius"],
        "project_name": ["PNR", "SIRHIUS"],
        "ministry_label": ["Armées", "Justice"],
        "cost_meur": [12.0, 150.0],
        "budget_drift": [0.3, -0.1],
        "schedule_drift": [0.5, 0.1],
    }
)
DATA_MARKS = {"bar", "point", "circle"}


def bar_spec(**kwargs: Any) -> dict[str, Any]:
    return bar_chart(
        BARS, "ministry_label", "cost_meur", category_title="Ministère", value_title="Coût (M€)", **kwargs
    ).to_dict()


def views(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The unit views of a spec (itself, or each layer)."""
    layers = spec.get("layer")
    if layers is None:
        yield spec
    for layer in layers or []:
        yield from views(layer)


def mark_type(view: dict[str, Any]) -> str:
    mark = view["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def param_names(spec: dict[str, Any]) -> set[str]:
    return {param["name"] for param in spec.get("params", [])}


def svg_texts(svg: bytes) -> list[str]:
    """Every line of text in a static render (multi-line texts are drawn as tspans)."""
    return re.findall(r">([^<]+)</t(?:ext|span)>", svg.decode())


def all_specs() -> list[dict[str, Any]]:
    return [
        bar_spec(),
        stacked_bar_chart(
            STACKED,
            "ministry_label",
            "phase",
            "projects",
            category_title="Ministère",
            stack_title="Phase",
            value_title="Projets",
            stack_order=["Cadrage", "Terminé"],
        ).to_dict(),
        line_chart(SERIES, "edition", "cost", x_title="Édition", y_title="Coût (M€)", series="source").to_dict(),
        drift_scatter(DRIFT, threshold=0.2).to_dict(),
    ]


def test_every_builder_sets_the_french_locale_and_tooltips_on_data_marks():
    for spec in all_specs():
        assert spec["config"]["locale"] == VEGA_LOCALE
        data_views = [view for view in views(spec) if mark_type(view) in DATA_MARKS]
        assert data_views, spec
        assert all(view["encoding"]["tooltip"] for view in data_views)


def test_bar_tooltips_read_the_display_model_texts():
    spec = bar_spec()
    encoding = spec["encoding"]
    assert encoding["x"]["axis"]["format"] == ",.1f"
    assert encoding["tooltip"] == [
        {"field": "ministry_label__fr", "type": "nominal", "title": "Ministère"},
        {"field": "cost_meur__fr", "type": "nominal", "title": "Coût (M€)"},
    ]
    first = spec["data"]["values"][0]
    assert first["cost_meur__fr"] == "1\u202f234,5"
    assert first["description__fr"] == "Ministère : Intérieur ; Coût (M€) : 1\u202f234,5"
    assert encoding["description"] == {"field": "description__fr", "type": "nominal"}


def test_extra_tooltips_keep_their_format_and_title():
    frame = BARS.with_columns(share=pl.Series([0.5077452667814117, 0.1]), projects=pl.Series([3, 1]))
    chart = bar_chart(
        frame,
        "ministry_label",
        "cost_meur",
        category_title="Ministère",
        value_title="Coût (M€)",
        tooltip=[alt.Tooltip("share:Q", title="Part", format=".1%"), alt.Tooltip("projects:Q", title="Projets")],
    )
    record = chart.to_dict()["data"]["values"][0]
    assert (record["share__fr"], record["projects__fr"]) == ("50,8\u00a0%", "3")
    assert chart_table_spec(chart).headers == ["Ministère", "Coût (M€)", "Part", "Projets"]


def test_scatter_tooltips_and_mark_descriptions_are_signed_percentages():
    record = drift_scatter(DRIFT, threshold=0.2).to_dict()["layer"][0]
    values = drift_scatter(DRIFT, threshold=0.2).to_dict()["layer"][0]["data"]["values"]
    assert [v["schedule_drift__fr"] for v in values] == ["+50,0\u00a0%", "+10,0\u00a0%"]
    assert [v["budget_drift__fr"] for v in values] == ["+30,0\u00a0%", "-10,0\u00a0%"]
    assert "Écart calendaire : +50,0\u00a0%" in values[0]["description__fr"]
    encoding = record["encoding"]
    assert encoding["fill"]["field"] == encoding["stroke"]["field"] == encoding["shape"]["field"] == "ministry_label"


def test_every_chart_carries_its_table_model_and_a_french_sentence():
    for spec in all_specs():
        table = spec["usermeta"]["panorama"]["table"]
        assert table["columns"], spec
        assert spec["description"] and " : " in spec["description"]
        assert spec["config"]["axis"]["aria"] is False and spec["config"]["legend"]["aria"] is False


def test_chart_table_spec_and_description_round_trip():
    chart = bar_chart(BARS, "ministry_label", "cost_meur", category_title="Ministère", value_title="Coût (M€)")
    assert chart_table_spec(chart).headers == ["Ministère", "Coût (M€)"]
    assert chart_description(chart) == (
        "Coût (M€) par ministère : Intérieur en tête avec 1\u202f234,5\u00a0M€, puis Armées (10,0\u00a0M€) ; "
        "2 barre(s) au total."
    )
    assert chart_table_spec(alt.Chart(alt.Data(values=[])).mark_bar()) is None


def test_long_category_labels_wrap_instead_of_being_cut():
    frame = pl.DataFrame({"zone": ["Gestion des établissements pénitentiaires", "Douane"], "n": [3, 1]})
    chart = bar_chart(frame, "zone", "n", category_title="Zone", value_title="Projets", value_format=",d")
    axis = chart.to_dict()["encoding"]["y"]["axis"]
    assert axis["title"] is None  # a rotated title was drawn over the labels
    assert (
        '"Gestion des établissements pénitentiaires": ["Gestion des", "établissements", "pénitentiaires"]'
        in (axis["labelExpr"])
    )
    svg = chart_to_svg(chart).decode()
    assert "pénitentiaires" in svg and "…" not in svg
    assert chart.to_dict()["height"] == max(160, (3 * LINE_HEIGHT + 6) * 2) + AXIS_ROOM


def test_time_axis_ticks_are_the_data_dates():
    spec = line_chart(SERIES, "edition", "cost", x_title="Édition", y_title="Coût (M€)", series="source").to_dict()
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["values"] == [{"year": 2019, "month": 11, "date": 1}, {"year": 2020, "month": 11, "date": 1}]
    assert axis["format"] == "%m/%Y"
    texts = svg_texts(chart_to_svg(line_chart(SERIES, "edition", "cost", x_title="Édition", y_title="Coût (M€)")))
    assert [t for t in texts if "/" in t] == ["11/2019", "11/2020"]  # one tick per edition, none repeated


def test_titled_exports_carry_title_edition_filters_and_source():
    context = ExportContext(
        title="Coût par ministère", edition=date(2021, 11, 1), filters=(("Ministère", ("Intérieur", "Armées")),)
    )
    texts = svg_texts(
        chart_to_svg(bar_chart(BARS, "ministry_label", "cost_meur", category_title="M", value_title="V"), context)
    )
    assert "Coût par ministère" in texts
    assert "Édition novembre 2021 · Ministère : Intérieur, Armées" in texts
    assert "Source : DINUM, panorama des grands projets numériques de l'État" in texts
    assert chart_to_png(drift_scatter(DRIFT, threshold=0.2), context).startswith(b"\x89PNG")


def with_break(label: str) -> alt.TopLevelMixin:
    return line_chart(
        SERIES,
        "edition",
        "cost",
        x_title="Édition",
        y_title="Coût (M€)",
        break_date=date(2020, 11, 1),
        break_label=label,
    )


def test_break_label_wraps_and_reads_away_from_the_edge():
    spec = with_break("« Coût complet estimé » à partir de juillet 2018").to_dict()
    text = next(view for view in views(spec) if mark_type(view) == "text")
    assert text["data"]["values"][0]["lines"] == ["« Coût complet estimé »", "à partir de juillet 2018"]
    assert "width / 2" in text["mark"]["align"]["expr"]


def test_bar_named_selection_when_asked():
    assert "params" not in bar_spec()
    spec = bar_spec(selection_name="ministere_clic", selection_field="ministry_label")
    assert spec["params"] == [
        {"name": "ministere_clic", "select": {"type": "point", "fields": ["ministry_label"]}},
    ]
    assert spec["encoding"]["opacity"]["condition"]["param"] == "ministere_clic"


def test_bar_height_grows_with_categories():
    assert bar_spec()["height"] == 160 + AXIS_ROOM
    many = pl.DataFrame({"ministry_label": [f"M{i}" for i in range(10)], "cost_meur": [1.0] * 10})
    chart = bar_chart(many, "ministry_label", "cost_meur", category_title="Ministère", value_title="Coût")
    assert chart.to_dict()["height"] == 10 * ROW_HEIGHT + AXIS_ROOM


def test_stacked_bar_colour_follows_the_given_order():
    spec = all_specs()[1]
    colour = spec["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Cadrage", "Terminé"]
    assert colour["sort"] == ["Cadrage", "Terminé"]
    assert spec["encoding"]["x"]["field"] == "projects"
    assert spec["encoding"]["x"]["aggregate"] == "sum"


def test_drift_scatter_threshold_rules_and_selection():
    spec = drift_scatter(DRIFT, threshold=0.35, selection_name="projet_clic").to_dict()
    rules = [view for view in views(spec) if mark_type(view) == "rule"]
    assert sorted(next(iter(rule["encoding"])) for rule in rules) == ["x", "y"]
    assert all(rule["data"]["values"] == [{"t": 0.35}] for rule in rules)
    assert param_names(spec) == {"projet_clic"}
    assert spec["params"][0]["select"] == {"type": "point", "fields": ["project_id"]}
    assert "params" not in drift_scatter(DRIFT, threshold=0.35).to_dict()


def test_line_chart_break_rule_reference_rules_and_interval():
    spec = line_chart(
        SERIES,
        "edition",
        "cost",
        x_title="Édition",
        y_title="Coût (M€)",
        series="source",
        dashed_series="Officiel",
        break_date=date(2020, 11, 1),
        break_label="Coût complet à partir de 2020",
        rules=[(1100.0, "Plafond")],
        interval_name="periode",
    ).to_dict()
    rules = [view for view in views(spec) if mark_type(view) == "rule"]
    assert [rule["data"]["values"] for rule in rules] == [
        [
            {
                "date": "2020-11-01",
                "label": "Coût complet à partir de 2020",
                "lines": ["Coût complet à partir de", "2020"],
            }
        ],
        [{"level": 1100.0, "label": "Plafond"}],
    ]
    assert param_names(spec) == {"periode"}
    line = next(view for view in views(spec) if mark_type(view) == "line")
    assert line["encoding"]["strokeDash"]["condition"]["value"] == [6, 4]


def test_line_chart_without_break_has_no_rule():
    spec = line_chart(SERIES, "edition", "cost", x_title="Édition", y_title="Coût (M€)").to_dict()
    assert not [view for view in views(spec) if mark_type(view) == "rule"]
    assert "params" not in spec


def test_line_chart_data_dates_are_iso_strings():
    spec = line_chart(SERIES, "edition", "cost", x_title="Édition", y_title="Coût (M€)").to_dict()
    assert spec["data"]["values"][0] == {
        "edition": "2019-11-01",
        "cost": 1000.0,
        "source": "Officiel",
        "edition__fr": "11/2019",
        "cost__fr": "1\u202f000,0",
        "description__fr": "Édition : 11/2019 ; Coût (M€) : 1\u202f000,0",
    }


def test_svg_axis_reads_french_numbers():
    texts = svg_texts(chart_to_svg(bar_chart(BARS, "ministry_label", "cost_meur", category_title="M", value_title="V")))
    assert "1\u202f000,0" in texts  # tick of the axis holding 1234.5
    assert "500,0" in texts


def test_svg_line_chart_french_numbers_and_break_label():
    texts = svg_texts(chart_to_svg(with_break("Rupture de série")))
    assert "1\u202f200,0" in texts
    assert "Rupture de série" in texts


def test_svg_percent_axis_is_french():
    texts = svg_texts(chart_to_svg(drift_scatter(DRIFT, threshold=0.2)))
    assert "30\u00a0%" in texts
    assert "−10\u00a0%" in texts  # d3 writes a true minus sign


def test_png_export():
    assert chart_to_png(drift_scatter(DRIFT, threshold=0.2)).startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_values_still_render():
    with_gaps = DRIFT.with_columns(pl.Series("budget_drift", [None, float("nan")]))
    assert chart_to_svg(drift_scatter(with_gaps, threshold=0.2)).startswith(b"<svg")


def test_meeting_spec_sets_18_px_text_and_removes_the_action_menu() -> None:
    from analytics.presentation import meeting_spec

    spec = meeting_spec(
        {"config": {"axis": {"labelFontSize": 12, "labelLimit": 190, "labelColor": "#3A3A3A"}}, "mark": "bar"}
    )
    axis = {"labelFontSize": 18, "titleFontSize": 18, "labelColor": "#3A3A3A", "labelLimit": 285}  # 190 x 18 / 12
    assert spec["config"]["axis"] == axis
    assert spec["config"]["legend"] == {"labelFontSize": 18, "titleFontSize": 18, "labelLimit": 160, "titleLimit": 180}
    assert spec["padding"] == {"left": 12, "right": 12, "top": 12, "bottom": 12}
    assert spec["usermeta"]["embedOptions"]["actions"] is False


def test_the_scatter_places_an_unknown_drift_on_the_axis_and_keeps_only_what_it_draws() -> None:
    measured = pl.DataFrame(
        {
            "project_id": ["a", "b"],
            "project_name": ["A", "B"],
            "ministry_label": ["Justice", "Armées"],
            "cost_meur": [12.5, 40.0],
            "budget_drift": [0.25, None],
            "schedule_drift": [None, -0.1],
            "phase": ["Cadrage", "Déploiement"],
        }
    )
    shown = drift_scatter_frame(measured)
    assert shown.columns == [
        "project_id",
        "project_name",
        "ministry_label",
        "cost_meur",
        "budget_drift",
        "schedule_drift",
    ]
    assert shown.rows() == [("a", "A", "Justice", 12.5, 0.25, 0.0), ("b", "B", "Armées", 40.0, 0.0, -0.1)]


def test_the_shared_configuration_is_never_changed_through_one_chart():
    before = CHART_CONFIG.to_dict()
    shown = ("axis", "legend", "range", "locale")
    chart = line_chart(SERIES, "edition", "cost", x_title="Édition", y_title="Coût (M€)", series="source")
    assert {k: chart.to_dict()["config"][k] for k in shown} == {k: before[k] for k in shown}
    chart.configure_axis(labelFontSize=30).to_dict()
    titled(chart, ExportContext(title="Titre", edition=date(2021, 11, 1))).to_dict()
    assert CHART_CONFIG.to_dict() == before
    bars = bar_chart(SERIES, "source", "cost", category_title="Source", value_title="Coût").to_dict()
    assert bars["config"]["axis"] == before["axis"] and chart.to_dict()["config"]["axis"]["labelFontSize"] == 12


def test_a_charts_records_are_emitted_as_given_and_never_copied():
    chart = line_chart(
        SERIES, "edition", "cost", x_title="Édition", y_title="Coût (M€)", series="source", rules=[(10.0, "Seuil")]
    )
    rows = chart.layer[0].data.values
    assert isinstance(rows, Rows)
    assert chart.copy(deep=True).layer[0].data.values is rows  # as a layered chart's constructor copies its layers
    first, again = (spec["layer"][0]["data"]["values"] for spec in (chart.to_dict(), chart.to_dict()))
    assert first == again == rows.to_dict() and first is not again  # each spec has its own list
    assert {record["source"] for record in first} == set(SERIES.get_column("source"))


def test_a_view_with_a_selection_gets_one_name_for_the_same_rows():
    def view_name(frame: pl.DataFrame) -> str:
        spec = json.dumps(drift_scatter(frame, threshold=0.2, selection_name="projet_clic").to_dict())
        return re.findall(r"view_[0-9a-f]{16}", spec)[0]

    assert view_name(DRIFT) == view_name(DRIFT.clone()) != view_name(DRIFT.head(1))
