"""Facts about editions as a whole: where the cost column changed meaning, and what DINUM published for each."""

from __future__ import annotations

from datetime import date

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.formatting import format_month


class CostDefinitionBreak(BaseModel):
    """The first edition whose cost column changed definition, and the label charts put on the break."""

    model_config = ConfigDict(frozen=True)

    edition: date
    label_fr: str


def cost_definition_break(projects: pl.DataFrame) -> CostDefinitionBreak | None:
    per_edition = projects.group_by("edition").agg(pl.col("cost_definition").first()).sort("edition")
    changed = per_edition.filter(pl.col("cost_definition") != pl.col("cost_definition").shift(1))
    if changed.is_empty():
        return None
    first = changed.row(0, named=True)
    label = f"« {first['cost_definition']} » à partir de {format_month(first['edition'])}"
    return CostDefinitionBreak(edition=first["edition"], label_fr=label)


def official_figures(headlines: pl.DataFrame, edition: date | None) -> dict[str, object] | None:
    """The edition's official headline figures (HEADLINE_SCHEMA row), if DINUM published them."""
    rows = headlines.filter(pl.col("edition") == edition)
    return None if rows.is_empty() else rows.row(0, named=True)
