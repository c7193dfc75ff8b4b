"""File names that say what a download holds: the view, its edition and its filters, safe on every system."""

from __future__ import annotations

from analytics.selection import Selection
from analytics.text import slugify

MAX_STEM = 120


def view_file_name(stem: str, selection: Selection, extension: str) -> str:
    """`dossier-derives-2021-11_interieur_deploiement.pdf`: ASCII slugs, filters in a fixed order, bounded."""
    parts = [slugify(stem)]
    filters = [*selection.ministries, *selection.phases, *selection.brackets, *selection.zones]
    if selection.interministerial_only:
        filters.append("interministeriels")
    if selection.query:
        filters.append(f"recherche-{selection.query}")
    parts += [slugify(value) for value in filters if slugify(value)]
    name = "_".join(p for p in parts if p)[:MAX_STEM].strip("-_") or "export"
    return f"{name}.{extension}"
