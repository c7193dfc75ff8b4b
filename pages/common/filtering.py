"""The selection applied to the loaded panorama, as every page needs it."""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.formatting import format_month
from analytics.selection import Selection, apply_selection
from pages.common.data import PanoramaView


def filtered_projects(view: PanoramaView, selection: Selection) -> pl.DataFrame:
    """All editions of the selected projects; drift was computed before filtering, on full histories."""
    return apply_selection(view.projects.lazy(), selection).collect()


def is_unfiltered(selection: Selection) -> bool:
    """Official figures describe the whole panorama: comparable only to an unfiltered selection."""
    return not (
        selection.ministries
        or selection.phases
        or selection.brackets
        or selection.zones
        or selection.interministerial_only
        or selection.query
    )


def cost_definition_break(projects: pl.DataFrame) -> tuple[date | None, str]:
    """First edition whose cost column changed definition, and the label charts put on the break."""
    per_edition = projects.group_by("edition").agg(pl.col("cost_definition").first()).sort("edition")
    changed = per_edition.filter(pl.col("cost_definition") != pl.col("cost_definition").shift(1))
    if changed.is_empty():
        return None, ""
    first = changed.row(0, named=True)
    return first["edition"], f"« {first['cost_definition']} » à partir de {format_month(first['edition'])}"
