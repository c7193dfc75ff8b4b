"""Charts for a projector: presenter-mode adjustments of a Vega-Lite spec (pure, tested on dicts)."""

from __future__ import annotations

import copy

MEETING_FONT_PX = 18


def meeting_spec(spec: dict) -> dict:
    """A chart spec readable from the back of a room: 18 px axes, legends and titles, no action menu.

    A new spec: the one given may be shared (cached for every visitor of the view) and stays as it is.
    """
    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    for part, keys in (("axis", ("labelFontSize", "titleFontSize")), ("legend", ("labelFontSize", "titleFontSize"))):
        config.setdefault(part, {}).update(dict.fromkeys(keys, MEETING_FONT_PX))
    config.setdefault("title", {})["fontSize"] = MEETING_FONT_PX + 2
    config.setdefault("text", {})["fontSize"] = MEETING_FONT_PX
    spec.setdefault("usermeta", {})["embedOptions"] = {"actions": False}
    return spec
