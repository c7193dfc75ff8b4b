"""What the data page says about the data: per-edition inventory against the official figures, renames."""

from __future__ import annotations

import polars as pl


def edition_inventory(projects: pl.DataFrame, headlines: pl.DataFrame) -> pl.DataFrame:
    """Per edition: rows, withheld figures and computed totals next to the official headline figures.

    A gap between `projects` and `official_projects` or between the two costs is a finding to show,
    not to hide: some editions' headline excludes projects in cadrage, or counts fewer projects.
    """
    computed = projects.group_by("edition").agg(
        pl.len().cast(pl.Int32).alias("projects"),
        pl.col("interministerial").sum().cast(pl.Int32).alias("interministerial"),
        pl.col("cost_meur").sum().alias("total_cost_meur"),
        pl.col("cost_meur").null_count().cast(pl.Int32).alias("withheld_cost"),
        pl.col("duration_years").null_count().cast(pl.Int32).alias("withheld_duration"),
        pl.col("withheld_reason").is_not_null().sum().cast(pl.Int32).alias("withheld_sentence"),
        pl.col("cost_definition").first(),
    )
    official = headlines.select(
        "edition",
        pl.col("projects").alias("official_projects"),
        pl.col("total_cost_meur").alias("official_total_cost_meur"),
    )
    return computed.join(official, on="edition", how="left").sort("edition")


def renamed_projects(projects: pl.DataFrame) -> pl.DataFrame:
    """Projects published under more than one name, with every name in edition order."""
    return (
        projects.sort("edition")
        .group_by("project_id")
        .agg(
            pl.col("project_name").unique(maintain_order=True).alias("names"),
            pl.col("edition").min().alias("first_edition"),
            pl.col("edition").max().alias("last_edition"),
            pl.len().cast(pl.Int32).alias("editions"),
        )
        .filter(pl.col("names").list.len() > 1)
        .sort("project_id")
    )


def renamed_ministries(projects: pl.DataFrame) -> pl.DataFrame:
    """Ministries published under several names across reshuffles, with every name in edition order."""
    return (
        projects.sort("edition")
        .group_by("ministry_id")
        .agg(
            pl.col("ministry_label").last(),
            pl.col("ministry_name").unique(maintain_order=True).alias("names"),
        )
        .filter(pl.col("names").list.len() > 1)
        .sort("ministry_label")
    )
