"""Does an imported edition repeat one already loaded? Dates and projects compared, a replacement proposed.

The same edition comes back under another date: data.gouv.fr's « Date de publication » (2018-02-28) is not the
month the panorama names its edition after (2018-03), and a table may be re-published months later. Shipped
editions are 3 to 5 months apart and share 82-97 % of their projects, but never most of their figures (7-57 % of
shared projects keep cost, duration and phase): an import is taken for an existing edition when it is within
`CLOSE_MONTHS` of it with most projects in common, or within `SAME_FIGURES_MONTHS` with most figures unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.formatting import format_number

CLOSE_MONTHS = 2
SAME_FIGURES_MONTHS = 6
MIN_SHARED = 0.8  # Jaccard index of the project ids
MIN_SAME_FIGURES = 0.8  # share of shared projects whose cost, duration and phase are unchanged

OverlapReason = Literal["same_month", "close_dates", "same_figures"]


class EditionOverlap(BaseModel):
    """An existing edition the import looks like; `message` is the French question the UI asks."""

    model_config = ConfigDict(frozen=True)

    existing: date
    imported: date
    months_apart: int
    existing_projects: int
    imported_projects: int
    shared_projects: int
    similarity: float  # Jaccard index of the project ids
    same_figures: float  # share of shared projects with the same cost, duration and phase
    reason: OverlapReason
    message: str


def _months(a: date, b: date) -> int:
    return abs((a.year - b.year) * 12 + a.month - b.month)


def _comparison(imported: pl.DataFrame, loaded: pl.DataFrame) -> pl.DataFrame:
    """Per loaded edition: its size, the projects shared with the import and how many kept their figures."""
    left = imported.select("project_id", "cost_meur", "duration_years", "phase")
    shared = (
        loaded.join(left, on="project_id", how="inner", suffix="_new")
        .group_by("edition")
        .agg(
            pl.len().alias("shared"),
            (
                pl.col("cost_meur").eq_missing(pl.col("cost_meur_new"))
                & pl.col("duration_years").round(2).eq_missing(pl.col("duration_years_new").round(2))
                & pl.col("phase").eq_missing(pl.col("phase_new"))
            )
            .sum()
            .alias("same"),
        )
    )
    sizes = loaded.group_by("edition").agg(pl.col("project_id").n_unique().alias("size"))
    return sizes.join(shared, on="edition", how="left").fill_null(0).sort("edition")


def _reason(months: int, similarity: float, same_figures: float) -> OverlapReason | None:
    if months == 0:
        return "same_month"
    if months <= CLOSE_MONTHS and similarity >= MIN_SHARED:
        return "close_dates"
    if months <= SAME_FIGURES_MONTHS and similarity >= MIN_SHARED and same_figures >= MIN_SAME_FIGURES:
        return "same_figures"
    return None


def _message(overlap: dict[str, object]) -> str:
    existing, imported = overlap["existing"], overlap["imported"]
    months = overlap["months_apart"]
    gap = "même mois" if months == 0 else f"{months} mois d'écart"
    return (
        f"L'édition importée ({imported:%Y-%m}, {overlap['imported_projects']} projets) ressemble à l'édition "
        f"{existing:%Y-%m} déjà chargée ({overlap['existing_projects']} projets) : {gap}, "
        f"{overlap['shared_projects']} projets en commun, chiffres inchangés pour "
        f"{format_number(100 * overlap['same_figures'], 0)} % d'entre eux. "
        f"Remplacer l'édition {existing:%Y-%m} par le fichier importé ?"
    )


def find_overlaps(imported: pl.DataFrame, loaded: pl.DataFrame) -> list[EditionOverlap]:
    """Loaded editions the imported one (PROJECT_EDITION_SCHEMA, one edition) may repeat, most likely first."""
    if imported.is_empty() or loaded.is_empty():
        return []
    edition = imported.item(0, "edition")
    size = imported.get_column("project_id").n_unique()
    overlaps = []
    for existing, existing_size, shared, same in _comparison(imported, loaded).iter_rows():
        similarity = shared / (size + existing_size - shared) if size + existing_size > shared else 0.0
        same_figures = same / shared if shared else 0.0
        months = _months(existing, edition)
        reason = _reason(months, similarity, same_figures)
        if reason is None:
            continue
        fields = {
            "existing": existing,
            "imported": edition,
            "months_apart": months,
            "existing_projects": existing_size,
            "imported_projects": size,
            "shared_projects": shared,
            "similarity": round(similarity, 3),
            "same_figures": round(same_figures, 3),
            "reason": reason,
        }
        overlaps.append(EditionOverlap(**fields, message=_message(fields)))
    return sorted(overlaps, key=lambda o: (o.months_apart > 0, -o.same_figures, -o.similarity, o.months_apart))
