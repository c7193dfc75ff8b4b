"""Colours: contrast ratios (WCAG 2.1) and colour-blind distinctness, as documented in docs/ACCESSIBILITY.md.

Colour-vision deficiencies are simulated with Machado, Oliveira & Fernandes (2009) at full severity; two colours
count as distinct when their CIELAB distance (ΔE76) stays above the bound once both are simulated.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from pathlib import Path

import pytest

from analytics.charts import GREY, PALETTE, RED_MARIANNE, TEXT_COLOUR, TITLE_COLOUR
from analytics.display import DRIFT_COLOURS

ROOT = Path(__file__).resolve().parents[1]
THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
WHITE, SIDEBAR = "#FFFFFF", THEME["secondaryBackgroundColor"]
FADED_OPACITY = 0.6  # Streamlit's fadedText60: captions, legends, help icons, placeholders
CVD = {
    "protanopie": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deutéranopie": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopie": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
MIN_DELTA_E = {6: 20.0, 8: 12.0}  # the first 6 colours (phases, series) and the whole palette


def rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def linear(channel: float) -> float:
    channel /= 255
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = WHITE) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(colour: str, background: str, opacity: float) -> str:
    """A transparent colour as drawn over its background."""
    mixed = (round(c * opacity + bg * (1 - opacity)) for c, bg in zip(rgb(colour), rgb(background), strict=True))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def lab(linear_rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = linear_rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def simulated_lab(colour: str, deficiency: str | None) -> tuple[float, float, float]:
    channels = tuple(linear(c) for c in rgb(colour))
    if deficiency is not None:
        matrix = CVD[deficiency]
        channels = tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, channels, strict=True)))) for row in matrix)
    return lab(channels)


def min_delta_e(colours: tuple[str, ...], deficiency: str | None) -> float:
    labs = [simulated_lab(c, deficiency) for c in colours]
    return min(math.dist(a, b) for a, b in itertools.combinations(labs, 2))


def documented_ratios() -> list[tuple[str, str, str, float]]:
    """`| name | #RRGGBB sur blanc (or #RRGGBB) | ratio :1 |` rows of docs/ACCESSIBILITY.md."""
    text = (ROOT / "docs" / "ACCESSIBILITY.md").read_text()
    rows = re.finditer(r"\| ([^|]+?) \| (#[0-9A-F]{6}) sur (blanc|#[0-9A-F]{6}) \| ([\d,]+) :1", text)
    return [(m[1], m[2], WHITE if m[3] == "blanc" else m[3], float(m[4].replace(",", "."))) for m in rows]


def test_contrast_of_known_pairs() -> None:
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#898989") == pytest.approx(3.49, abs=0.01)  # the captions axe flagged
    assert blend("#3A3A3A", WHITE, FADED_OPACITY) == "#898989"


@pytest.mark.parametrize("colour", PALETTE)
def test_chart_colours_reach_3_to_1_against_white(colour: str) -> None:
    assert contrast(colour) >= 3.0


@pytest.mark.parametrize("deficiency", [None, *CVD])
def test_palette_stays_distinct_for_colour_blind_readers(deficiency: str | None) -> None:
    for size, bound in MIN_DELTA_E.items():
        assert min_delta_e(PALETTE[:size], deficiency) >= bound, (deficiency, size)


def test_theme_palette_is_the_chart_palette() -> None:
    assert tuple(THEME["chartCategoricalColors"]) == PALETTE


@pytest.mark.parametrize("background", [WHITE, SIDEBAR])
def test_faded_text_reaches_4_5_to_1(background: str) -> None:
    """Captions, chart legends of Streamlit and help icons are the text colour at 60 % opacity."""
    assert contrast(blend(THEME["textColor"], background, FADED_OPACITY), background) >= 4.5


@pytest.mark.parametrize(
    "colour",
    [THEME["textColor"], THEME["dataframeHeaderTextColor"], THEME["linkColor"], TEXT_COLOUR, TITLE_COLOUR, GREY],
)
def test_text_colours_reach_4_5_to_1_on_white_and_sidebar(colour: str) -> None:
    assert min(contrast(colour), contrast(colour, SIDEBAR)) >= 4.5


@pytest.mark.parametrize("colour", [*DRIFT_COLOURS.values(), RED_MARIANNE])
def test_drift_and_alert_colours_are_readable_as_text(colour: str) -> None:
    assert contrast(colour) >= 4.5


def test_documented_ratios_are_the_computed_ones() -> None:
    documented = documented_ratios()
    assert len(documented) >= len(PALETTE) + len(DRIFT_COLOURS) + 3
    for name, colour, background, ratio in documented:
        shown = blend(colour, background, FADED_OPACITY) if "60 %" in name else colour
        assert round(contrast(shown, background), 2) == ratio, name
