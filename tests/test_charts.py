"""Chart builders: French locale, tooltips, named selections, reference rules, and French static renders."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import polars as pl

from analytics.charts import (
    ROW_HEIGHT,
    bar_chart,
    chart_to_png,
    chart_to_svg,
    drift_scatter,
    line_chart,
    stacked_bar_chart,
)
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
    return re.findall(r">([^<]+)</text>", svg.decode())


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


def test_bar_tooltip_and_axis_use_the_value_format():
    encoding = bar_spec()["encoding"]
    assert encoding["x"]["axis"]["format"] == ",.1f"
    assert encoding["tooltip"] == [
        {"field": "ministry_label", "type": "nominal", "title": "Ministère"},
        {"field": "cost_meur", "type": "quantitative", "title": "Coût (M€)", "format": ",.1f"},
    ]


def test_bar_named_selection_when_asked():
    assert "params" not in bar_spec()
    spec = bar_spec(selection_name="ministere_clic", selection_field="ministry_label")
    assert spec["params"] == [
        {"name": "ministere_clic", "select": {"type": "point", "fields": ["ministry_label"]}},
    ]
    assert spec["encoding"]["opacity"]["condition"]["param"] == "ministere_clic"


def test_bar_height_grows_with_categories():
    assert bar_spec()["height"] == 160
    many = pl.DataFrame({"ministry_label": [f"M{i}" for i in range(10)], "cost_meur": [1.0] * 10})
    chart = bar_chart(many, "ministry_label", "cost_meur", category_title="Ministère", value_title="Coût")
    assert chart.to_dict()["height"] == 10 * ROW_HEIGHT


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
        [{"date": "2020-11-01", "label": "Coût complet à partir de 2020"}],
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
    assert spec["data"]["values"][0] == {"edition": "2019-11-01", "cost": 1000.0, "source": "Officiel"}


def test_svg_axis_reads_french_numbers():
    texts = svg_texts(chart_to_svg(bar_chart(BARS, "ministry_label", "cost_meur", category_title="M", value_title="V")))
    assert "1\u202f200,0" in texts  # tick of the axis holding 1234.5
    assert "200,0" in texts


def test_svg_line_chart_french_numbers_and_break_label():
    chart = line_chart(
        SERIES,
        "edition",
        "cost",
        x_title="Édition",
        y_title="Coût (M€)",
        break_date=date(2020, 11, 1),
        break_label="Rupture de série",
    )
    texts = svg_texts(chart_to_svg(chart))
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

    spec = meeting_spec({"config": {"axis": {"labelFontSize": 12, "labelColor": "#3A3A3A"}}, "mark": "bar"})
    assert spec["config"]["axis"] == {"labelFontSize": 18, "titleFontSize": 18, "labelColor": "#3A3A3A"}
    assert spec["config"]["legend"] == {"labelFontSize": 18, "titleFontSize": 18}
    assert spec["usermeta"]["embedOptions"]["actions"] is False
