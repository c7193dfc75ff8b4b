"""What a URL may name, taken from the loaded data, so that a stale or hand-edited link is detected, not trusted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.text import slugify


class Vocabulary(BaseModel):
    """Editions, ministries, zones and projects of the loaded panorama; framework agreements of the registry."""

    model_config = ConfigDict(frozen=True)

    editions: tuple[date, ...]  # ascending
    ministries: Mapping[str, str]  # ministry_id -> short label
    zones: Mapping[str, str]  # zone slug -> canonical zone name (see `zone_choices`)
    zone_aliases: Mapping[str, str] = {}  # slug of a published spelling -> canonical zone: old links keep working
    projects: Mapping[str, str]  # project_id -> latest name
    frameworks: Mapping[str, str] = {}  # framework id -> title, registry order
    simulable_frameworks: tuple[str, ...] = ()  # ids whose ceiling can be simulated (estimate and term published)
    framework_lots: Mapping[str, str] = {}  # lot id -> id of its framework agreement

    @property
    def latest(self) -> date | None:
        return self.editions[-1] if self.editions else None

    def previous(self, edition: date | None) -> date | None:
        """Edition before `edition`, the default comparison."""
        earlier = [e for e in self.editions if edition is not None and e < edition]
        return earlier[-1] if earlier else None


def zone_choices(zones: Iterable[str]) -> dict[str, str]:
    """Slug -> zone name: the URL form of a functional zone."""
    return {slugify(z): z for z in sorted(set(zones)) if z and slugify(z)}


def zone_aliases(projects: pl.DataFrame) -> dict[str, str]:
    """Each published spelling's slug -> its canonical zone, so that a link written before the zones were cleaned
    (`zone=rh`) still selects the zone it meant."""
    pairs = projects.select("functional_zone_published", "functional_zone").drop_nulls().unique()
    return {slugify(published): zone for published, zone in pairs.iter_rows() if slugify(published)}


def build_vocabulary(projects: pl.DataFrame, frameworks: Mapping[str, str], simulable: Iterable[str]) -> Vocabulary:
    """The vocabulary of a loaded panorama (PROJECT_EDITION_SCHEMA) and framework registry."""
    by_edition = projects.sort("edition")
    latest_names = by_edition.group_by("project_id").agg(pl.col("project_name").last())
    ministries = by_edition.group_by("ministry_id").agg(pl.col("ministry_label").last()).sort("ministry_label")
    return Vocabulary(
        editions=tuple(projects.get_column("edition").unique().sort().to_list()),
        ministries=dict(ministries.iter_rows()),
        zones=zone_choices(projects.get_column("functional_zone").drop_nulls().to_list()),
        zone_aliases=zone_aliases(projects),
        projects=dict(latest_names.iter_rows()),
        frameworks=dict(frameworks),
        simulable_frameworks=tuple(simulable),
    )
