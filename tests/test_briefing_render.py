"""Charts for paper: the shipped font, the French locale, a size that fits the page; typesetting errors in French."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest

from analytics import charts
from analytics.briefing import BriefingError, render
from analytics.briefing.model import Briefing, Section, Stamp
from analytics.formatting import NARROW_NBSP


def _bar(values: list[float]) -> dict:
    frame = pl.DataFrame({"m": [f"Ministère {i}" for i in range(len(values))], "v": values})
    return charts.bar_chart(frame, "m", "v", category_title="Ministère", value_title="Coût (M€)").to_dict()


def test_chart_svg_reads_french_numbers_in_the_shipped_font() -> None:
    svg = render.chart_svg(_bar([1234.5, 20000.0]))
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert f"20{NARROW_NBSP}000,0" in labels  # thousands with a narrow no-break space, decimal comma
    assert "Coût (M€)" in labels
    assert set(re.findall(r'font-family="([^"]*)"', svg)) == {render.FONT_FAMILY}


def test_chart_svg_months_in_french() -> None:
    frame = pl.DataFrame({"d": [date(2021, 2, 1), date(2021, 8, 1)], "v": [1.0, 2.0]})
    spec = charts.line_chart(frame, "d", "v", x_title="Mois", y_title="Valeur").to_dict()
    spec["layer"][0]["encoding"]["x"]["axis"]["format"] = "%B %Y"
    assert re.search(r">(février|avril|juin|août) 2021<", render.chart_svg(spec))


def test_print_spec_leaves_the_screen_spec_alone() -> None:
    spec = _bar([1.0])
    printed = render.print_spec(spec)
    assert printed["width"] == render.CHART_WIDTH_PX and printed["config"]["font"] == render.FONT_FAMILY
    assert "width" not in spec and spec["config"]["font"] != render.FONT_FAMILY


@pytest.mark.parametrize(
    ("width", "height", "expected_mm"),
    [
        (700, 300, render.TEXT_WIDTH_MM),  # wide chart: the text width
        (700, 1400, render.MAX_CHART_HEIGHT_MM / 2),  # tall chart: capped by the page height
        (200, 100, 200 * render.MAX_MM_PER_PX),  # small chart: labels not blown up
    ],
)
def test_print_width(width: int, height: int, expected_mm: float) -> None:
    svg = f'<svg class="marks" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><g/></svg>'
    assert render.print_width_mm(svg) == pytest.approx(expected_mm)


def test_typesetting_failure_is_a_french_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "_template", lambda: "#let briefing(doc) = { undefined-function() }")
    briefing = Briefing(
        title="T",
        subtitle="S",
        stamp=Stamp(edition="e", filters=(), produced_at="p", link="https://x.gouv.fr/"),
        sections=(Section(page="projets", title="Projets", sources=(), blocks=()),),
    )
    with pytest.raises(BriefingError, match="Dossier de séance : la mise en page a échoué"):
        render.render_pdf(briefing)
