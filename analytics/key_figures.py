"""A key figure as every page shows it: label, value, change, colour of the change, explanation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

DeltaColour = Literal["normal", "inverse", "off"]


class KeyFigure(BaseModel):
    """One metric; `delta_colour` says whether a rise is good (normal), bad (inverse) or neither (off)."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: str
    delta: str | None = None
    delta_colour: DeltaColour = "off"
    help: str = ""


def signed_delta(now: float | None, then: float | None, fmt: Callable[[float], str]) -> str | None:
    """`+3` / `-1,2 M€`: the change as a metric shows it; None when either side is unknown."""
    if now is None or then is None:
        return None
    difference = now - then
    return ("+" if difference > 0 else "") + fmt(difference)
