"""Functional zones: one canonical zone per published spelling, through a reviewed table.

Ministries type the zone by hand, so one zone comes in several spellings (« Ressources et Support » /
« Ressources et support », « Police aux fontières »). `data/panorama/crosswalk_zones.csv` maps every
published spelling to its canonical zone; only case, accents, apostrophes, punctuation and obvious typos
are merged (see CROSSWALK_REVIEW.md), never two different wordings. Loading puts the canonical zone in
`functional_zone` and keeps the published one in `functional_zone_published`.
"""

from __future__ import annotations

import polars as pl

from analytics.text import match_key_expr

ZONE_CROSSWALK_SCHEMA: dict[str, pl.DataType] = {
    "functional_zone_published": pl.String(),  # as published (HTML stripped), the key
    "functional_zone": pl.String(),  # canonical zone
    "review_note": pl.String(),  # why the two differ, or « identique »
}

_KEY = "__zone_key"


def empty_zone_crosswalk() -> pl.DataFrame:
    """A crosswalk without rows: every zone then keeps its published spelling."""
    return pl.DataFrame(schema=ZONE_CROSSWALK_SCHEMA)


def attach_zones(rows: pl.LazyFrame, zones: pl.DataFrame, *, fold_unknown: bool = False) -> pl.LazyFrame:
    """Rename `functional_zone` (published) to `functional_zone_published` and add the canonical zone.

    An exact match on the published spelling decides. With `fold_unknown` (imported files), a spelling
    absent from the table takes the canonical zone of the reviewed spellings that read the same once case,
    accents and punctuation are ignored, when they all agree; otherwise it stays as published. Without it
    (shipped data) an unknown spelling gets a null canonical zone, which `missing_zones` reports.
    """
    exact = zones.lazy().select("functional_zone_published", pl.col("functional_zone").alias("__zone_exact"))
    published = rows.rename({"functional_zone": "functional_zone_published"}).join(
        exact, on="functional_zone_published", how="left", maintain_order="left"
    )
    if not fold_unknown:
        return published.rename({"__zone_exact": "functional_zone"})
    folded = (
        zones.lazy()
        .select(match_key_expr(pl.col("functional_zone_published")).alias(_KEY), "functional_zone")
        .unique()
        .filter(pl.len().over(_KEY) == 1)
        .rename({"functional_zone": "__zone_folded"})
    )
    return (
        published.with_columns(match_key_expr(pl.col("functional_zone_published")).alias(_KEY))
        .join(folded, on=_KEY, how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("__zone_exact", "__zone_folded", "functional_zone_published").alias("functional_zone")
        )
        .drop(_KEY, "__zone_exact", "__zone_folded")
    )


def missing_zones(frame: pl.DataFrame) -> list[str]:
    """Published zones that the table does not cover (a null canonical zone for a non-null spelling)."""
    uncovered = frame.filter(pl.col("functional_zone").is_null() & pl.col("functional_zone_published").is_not_null())
    return uncovered.get_column("functional_zone_published").unique().sort().to_list()


def _blank(text: pl.Expr) -> pl.Expr:
    return text.fill_null("").str.strip_chars().eq("")


def validate_zone_crosswalk(crosswalk: pl.DataFrame, published_zones: pl.Series) -> list[str]:
    """Problems (in French, empty when valid): each published zone exactly once, nothing extra, canonical
    zones and notes filled, and a canonical zone that is itself published maps to itself (no chains)."""
    name = "crosswalk_zones.csv"
    problems: list[str] = []
    published = pl.DataFrame({"functional_zone_published": published_zones.drop_nulls().unique()})
    key = "functional_zone_published"
    for zone in published.join(crosswalk, on=key, how="anti").sort(key)[key]:
        problems.append(f"{name} : la zone publiée « {zone} » n'a pas de ligne.")
    for zone in crosswalk.join(published, on=key, how="anti").sort(key)[key]:
        problems.append(f"{name} : la zone « {zone} » n'apparaît dans aucune édition.")
    for zone in crosswalk.filter(pl.col(key).is_duplicated()).get_column(key).unique().sort():
        problems.append(f"{name} : la zone publiée « {zone} » figure plusieurs fois.")
    blank = _blank(pl.col("functional_zone")) | _blank(pl.col("review_note"))
    for zone in crosswalk.filter(blank).sort(key)[key]:
        problems.append(f"{name} : la zone publiée « {zone} » doit avoir une zone canonique et une note de revue.")
    chained = crosswalk.join(
        crosswalk.select(pl.col(key).alias("functional_zone"), pl.col("functional_zone").alias("__target")),
        on="functional_zone",
        how="inner",
    ).filter(pl.col("__target") != pl.col("functional_zone"))
    for zone, canonical, target in chained.select(key, "functional_zone", "__target").sort(key).rows():
        problems.append(
            f"{name} : « {zone} » renvoie à « {canonical} », qui renvoie lui-même à « {target} » : "
            "une zone canonique publiée doit renvoyer à elle-même."
        )
    return problems
