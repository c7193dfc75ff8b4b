"""Typesetting a `Briefing` into an A4 PDF with typst, charts as vector SVG from vl-convert.

Fonts: Liberation Sans 2 (SIL Open Font License, shipped in `fonts/` with its licence) for the text and
the charts alike, and typst is told to ignore system fonts: the PDF looks the same on a fresh Debian
machine, in CI and on a developer's laptop. vl-convert measures chart labels with the same font files,
so the SVG text typst draws fits the room Vega left for it.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import typst

from analytics.briefing.model import Briefing, Chart
from analytics.briefing.typst_text import printable_text, to_typst
from analytics.formatting import VEGA_LOCALE

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE / "fonts"
TEMPLATE_PATH = HERE / "template.typ"
FONT_FAMILY = "Liberation Sans"
CHART_WIDTH_PX = 470  # plot width; axis labels and legends come on top of it
TEXT_WIDTH_MM = 180.0  # A4 minus the template's margins
MAX_CHART_HEIGHT_MM = 150.0  # a chart and its title always fit on a page below the key figures
MAX_MM_PER_PX = 0.28  # 12 px chart labels print at about 9.5 pt at most


@cache
def _template() -> str:
    return TEMPLATE_PATH.read_text(encoding="utf-8")


@cache
def _chart_fonts_registered() -> bool:
    """vl-convert learns the shipped fonts once per process (it keeps them for every later call)."""
    import vl_convert

    vl_convert.register_font_directory(str(FONTS_DIR))
    return True


def print_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The screen spec for paper: the shipped font, a fixed width (the screen stretches to its container)."""
    printed = copy.deepcopy(spec)
    printed["width"] = CHART_WIDTH_PX
    config = printed.setdefault("config", {})
    config["font"] = FONT_FAMILY
    return printed


def chart_svg(spec: dict[str, Any]) -> str:
    """SVG of a Vega-Lite spec, French locale (numbers `1 234,5`, months in French)."""
    import vl_convert

    _chart_fonts_registered()
    return vl_convert.vegalite_to_svg(
        print_spec(spec),
        format_locale=VEGA_LOCALE["number"],
        time_format_locale=VEGA_LOCALE["time"],
    )


def _svg_size(svg: str) -> tuple[float, float]:
    """Width and height of vl-convert's SVG, in px, read from its root element."""
    root = svg[: svg.index(">")]
    width = re.search(r'\swidth="([\d.]+)"', root)
    height = re.search(r'\sheight="([\d.]+)"', root)
    if width is None or height is None:
        raise ValueError("SVG de graphique sans largeur ni hauteur : format de vl-convert inattendu.")
    return float(width[1]), float(height[1])


def print_width_mm(svg: str) -> float:
    """As wide as the text, unless that makes the chart too tall for a page or its labels too large."""
    width, height = _svg_size(svg)
    return min(TEXT_WIDTH_MM, MAX_CHART_HEIGHT_MM * width / height, MAX_MM_PER_PX * width)


def _inert(value: object) -> object:
    """Every string of the dumped model with control and bidi characters removed (see `printable_text`)."""
    if isinstance(value, str):
        return printable_text(value)
    if isinstance(value, dict):
        return {key: _inert(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_inert(item) for item in value]
    return value


def typst_document(briefing: Briefing) -> tuple[str, dict[str, str]]:
    """The typst source (template + one call with the whole briefing as a literal) and its chart SVGs."""
    images: dict[str, str] = {}
    sections = []
    for section in briefing.sections:
        blocks = []
        for block in section.blocks:
            dumped = block.model_dump(mode="python", exclude={"spec"})
            if isinstance(block, Chart):
                key = f"chart-{len(images)}"
                images[key] = chart_svg(block.spec)
                dumped |= {"image": key, "width_mm": print_width_mm(images[key])}
            blocks.append(dumped)
        sections.append(
            {
                "page": section.page,
                "title": section.title,
                "subtitle": section.subtitle,
                "simulated": section.simulated,
                "sources": [{"text": source.text} for source in section.sources],
                "blocks": blocks,
            }
        )
    doc = {
        "title": briefing.title,
        "subtitle": briefing.subtitle,
        "stamp": briefing.stamp.model_dump(mode="python") | {"linkable": briefing.stamp.linkable},
        "sources": [{"text": source.text} for source in briefing.sources],
        "simulated_sections": list(briefing.simulated_sections),
        "sections": sections,
    }
    return f"{_template()}\n#briefing({to_typst(_inert(doc))})\n", images


class BriefingError(RuntimeError):
    """The document could not be typeset; the message is French, for the page to show."""


def render_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF bytes, compiled in-process (no file written, no network, no system font)."""
    source, images = typst_document(briefing)
    try:
        return typst.compile(
            source.encode("utf-8"),
            font_paths=[str(FONTS_DIR)],
            ignore_system_fonts=True,
            sys_inputs=images,
        )
    except typst.TypstError as error:
        raise BriefingError(f"Dossier de séance : la mise en page a échoué ({error.message}).") from error
