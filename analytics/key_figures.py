"""A key figure as every page shows it: label, value, change, colour of the change, explanation."""

from __future__ import annotations

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
