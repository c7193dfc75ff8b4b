"""Charts for a projector: presenter-mode adjustments of a Vega-Lite spec (pure, tested on dicts)."""

from __future__ import annotations

import copy

MEETING_FONT_PX = 18


# Vega's defaults where a builder sets none, to be scaled with the text.
_LIMITS: dict[str, dict[str, int]] = {"axis": {"labelLimit": 180}, "legend": {"labelLimit": 160, "titleLimit": 180}}
MEETING_PADDING_PX = 12  # 18 px glyphs run a few pixels past Vega's estimate of their box (default padding: 5)


def meeting_spec(spec: dict) -> dict:
    """A chart spec readable from the back of a room: 18 px axes, legends and titles, no action menu.

    Label and title widths grow with the text, so that larger text is not cut (« Économie et Finan… »). A new
    spec: the one given may be shared (cached for every visitor of the view) and stays as it is.
    """
    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    for part, limits in _LIMITS.items():
        settings = config.setdefault(part, {})
        ratio = MEETING_FONT_PX / settings.get("labelFontSize", MEETING_FONT_PX)
        settings.update({key: round(settings.get(key, default) * ratio) for key, default in limits.items()})
        settings.update(labelFontSize=MEETING_FONT_PX, titleFontSize=MEETING_FONT_PX)
    config.setdefault("title", {})["fontSize"] = MEETING_FONT_PX + 2
    config.setdefault("text", {})["fontSize"] = MEETING_FONT_PX
    # an object, never a number: Streamlit's front end adds its own `padding.bottom` to some charts
    spec["padding"] = dict.fromkeys(("left", "right", "top", "bottom"), MEETING_PADDING_PX)
    spec.setdefault("usermeta", {})["embedOptions"] = {"actions": False}
    return spec
