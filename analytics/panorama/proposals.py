"""Proposed identities for panorama projects and ministries that no reviewed crosswalk covers yet.

Used by scripts/build_crosswalks.py for shipped editions and by the edition import for new ones: each unreviewed
(edition, ministry, project) gets the id of its most similar known project when the confidence is high enough
(identity.score_candidates), else a new slug, with the candidate it was compared with so that a person decides.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.panorama.identity import (
    MATCH_THRESHOLD,
    MINISTRY_CROSSWALK_SCHEMA,
    PROJECT_CROSSWALK_SCHEMA,
    PROJECT_KEY,
    best_candidates,
    jaccard,
    score_candidates,
    tokens,
)
from analytics.panorama.loading import Crosswalks
from analytics.text import match_key_expr, slugify_expr

# Words shared by every ministry name, ignored when comparing them.
MINISTRY_NOISE_WORDS = ("ministere", "ministeres", "charge", "charges", "services")
MINISTRY_THRESHOLD = 0.5
EXCERPT_CHARS = 200


def ministry_tokens(name: pl.Expr) -> pl.Expr:
    return (
        tokens(match_key_expr(name))
        .list.eval(pl.element().filter(~pl.element().is_in(MINISTRY_NOISE_WORDS)))
        .list.unique()
    )


def propose_ministries(names: pl.Series, reviewed: pl.DataFrame) -> pl.DataFrame:
    """Ministry names absent from the reviewed crosswalk, with the closest reviewed name's id."""
    new = pl.DataFrame({"ministry_name": names.unique().sort()}).join(reviewed, on="ministry_name", how="anti")
    if new.is_empty():
        return pl.DataFrame(schema=MINISTRY_CROSSWALK_SCHEMA | {"confidence": pl.Float64()})
    known = reviewed.select(pl.col("ministry_name").alias("candidate_ministry_name"), "ministry_id", "ministry_label")
    scored = (
        new.join(known, how="cross")
        .with_columns(
            confidence=jaccard(
                ministry_tokens(pl.col("ministry_name")), ministry_tokens(pl.col("candidate_ministry_name"))
            ).round(3)
        )
        .sort(["confidence", "candidate_ministry_name"], descending=[True, False])
        .group_by("ministry_name", maintain_order=True)
        .first()
        # A candidate sharing no word is no lead for the reviewer.
        .with_columns(
            pl.when(pl.col("confidence") > 0).then("candidate_ministry_name").alias("candidate_ministry_name")
        )
    )
    matched = pl.col("confidence").fill_null(0.0) >= MINISTRY_THRESHOLD
    return (
        new.join(scored, on="ministry_name", how="left")
        .with_columns(
            ministry_id=pl.when(matched).then("ministry_id").otherwise(slugify_expr(pl.col("ministry_name"))),
            ministry_label=pl.when(matched).then("ministry_label").otherwise("ministry_name"),
        )
        .select("ministry_name", "ministry_id", "ministry_label", "confidence", "candidate_ministry_name")
    )


def _excerpt(col: str) -> pl.Expr:
    return pl.col(col).str.replace_all(r"<[^>]*>", "").str.slice(0, EXCERPT_CHARS)


def propose_edition(new: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """Proposals for the unreviewed rows of one edition against the projects known so far."""
    key = list(PROJECT_KEY)
    taken = known.filter(pl.col("edition") == new["edition"][0])["project_id"]
    candidates = (
        known.filter(pl.col("edition") != new["edition"][0], ~pl.col("project_id").is_in(taken.implode()))
        .sort("edition")
        .group_by("project_id", maintain_order=True)
        .last()
    )
    if candidates.is_empty():
        best = new.select(key).with_columns(
            confidence=pl.lit(None, pl.Float64),
            name_score=pl.lit(None, pl.Float64),
            candidate_project_id=pl.lit(None, pl.String),
            candidate_project_name=pl.lit(None, pl.String),
        )
    else:
        best = best_candidates(score_candidates(new.lazy(), candidates.lazy()), key).collect()
    slug = slugify_expr(pl.col("project_name"))
    existing = known["project_id"].unique().implode()
    new_id = pl.when(slug.is_in(existing)).then(pl.concat_str(slug, pl.lit("-"), pl.col("edition"))).otherwise(slug)
    new_id = (
        pl.when(new_id.cum_count().over(new_id) > 1)
        .then(pl.concat_str(new_id, pl.lit("-"), new_id.cum_count().over(new_id).cast(pl.String)))
        .otherwise(new_id)
    )
    matched = pl.col("confidence").fill_null(0.0) >= MATCH_THRESHOLD
    note = (
        pl.when(~matched)
        .then(pl.lit("nouveau projet"))
        .when(pl.col("project_name") == pl.col("candidate_project_name"))
        .then(pl.lit("identique"))
        .when(pl.col("name_score") == 1.0)
        .then(pl.lit("normalisé"))
        .otherwise(
            pl.concat_str(
                pl.lit("proposé : renommé « "),
                "candidate_project_name",
                pl.lit(" » → « "),
                "project_name",
                pl.lit(" »"),
            )
        )
    )
    return (
        new.join(best, on=key, how="left")
        .with_columns(new_id.alias("_new_id"))
        .with_columns(
            project_id=pl.when(matched).then("candidate_project_id").otherwise("_new_id"),
            match_note=note,
        )
        .drop("_new_id")
    )


REVIEW_COLUMNS = [
    *PROJECT_CROSSWALK_SCHEMA,
    "confidence",
    "candidate_project_id",
    "candidate_project_name",
    "candidate_edition",
    "candidate_ministry_name",
    "name_score",
    "same_ministry",
    "same_start",
    "description_score",
    "start",
    "candidate_start",
    "cost",
    "candidate_cost",
    "description",
    "candidate_description",
]


def propose_projects(editions: pl.DataFrame, reviewed: pl.DataFrame, ministry_ids: pl.DataFrame) -> pl.DataFrame:
    """Review table of every unreviewed (edition, ministry, project), editions in chronological order."""
    key = list(PROJECT_KEY)
    rows = editions.join(ministry_ids.select("ministry_name", "ministry_id"), on="ministry_name", how="left")
    known = rows.join(reviewed.select(*key, "project_id"), on=key, how="inner")
    proposals = []
    for edition in rows["edition"].unique().sort():
        new = rows.filter(pl.col("edition") == edition).join(reviewed, on=key, how="anti")
        if new.is_empty():
            continue
        proposed = propose_edition(new, known)
        proposals.append(proposed)
        known = pl.concat([known, proposed.select(known.columns)])
    if not proposals:
        return pl.DataFrame(schema={c: pl.String() for c in REVIEW_COLUMNS})
    candidates = pl.concat(proposals, how="diagonal_relaxed")
    return candidates.select(
        pl.col(c) if c in candidates.columns else pl.lit(None, pl.String).alias(c) for c in REVIEW_COLUMNS
    ).with_columns(_excerpt("description"), _excerpt("candidate_description"))


# ---------------------------------------------------------------- review of an imported edition's new names

_MONTH_WORDS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
                "novembre", "decembre")  # fmt: skip


def _as_published(frame: pl.DataFrame) -> pl.DataFrame:
    """Canonical rows (PROJECT_EDITION_SCHEMA) in the shape the proposals compare: text as in a published table."""
    return frame.select(
        pl.col("edition").dt.strftime("%Y-%m"),
        "ministry_name",
        "project_name",
        "description",
        pl.concat_str(
            pl.col("start_date").dt.month().replace_strict(dict(enumerate(_MONTH_WORDS, start=1)), default=None),
            pl.col("start_date").dt.year().cast(pl.String),
            separator=" ",
        ).alias("start"),
        pl.col("cost_meur").cast(pl.String).alias("cost"),
        "project_id",
        "ministry_id",
        "ministry_label",
    )


class NameReview:
    """Identities to review after an import: projects and ministries that neither the crosswalks nor the loaded
    editions know, each with a proposed id (an existing one when the match is confident) and its best candidate."""

    def __init__(self, projects: pl.DataFrame, ministries: pl.DataFrame) -> None:
        self.projects = projects  # REVIEW_COLUMNS
        self.ministries = ministries  # MINISTRY_CROSSWALK_SCHEMA + confidence, candidate_ministry_name

    @property
    def empty(self) -> bool:
        return self.projects.is_empty() and self.ministries.is_empty()

    def accepted(self, edition: date | None = None) -> Crosswalks:
        """The proposals as crosswalk rows, to keep in the store's overlay once a person has checked them; `edition`
        is the month the edition is kept as when it is not the file's own (a replacement keeps the month it
        replaces, and the overlay matches rows by that month)."""
        projects = self.projects.select(list(PROJECT_CROSSWALK_SCHEMA)).with_columns(
            pl.concat_str(pl.lit("import : "), pl.col("match_note")).alias("match_note")
        )
        if edition is not None:
            projects = projects.with_columns(pl.lit(f"{edition:%Y-%m}").alias("edition"))
        return Crosswalks(projects=projects, ministries=self.ministries.select(list(MINISTRY_CROSSWALK_SCHEMA)))


def review_new_names(imported: pl.DataFrame, loaded: pl.DataFrame, crosswalks: Crosswalks) -> NameReview:
    """Proposals for the imported edition's projects whose id is provisional (no crosswalk or loaded edition has
    it) and for its unknown ministries; `loaded` holds the editions already loaded (shipped and kept)."""
    edition = imported.item(0, "edition")
    known = _as_published(loaded.filter(pl.col("edition") != edition))
    rows = _as_published(imported)
    known_ids = pl.concat([known.get_column("project_id"), crosswalks.projects.get_column("project_id")]).unique()
    identified = rows.filter(pl.col("project_id").is_in(known_ids.implode()))
    reviewed = pl.concat([known, identified]).select(*PROJECT_KEY, "project_id")
    known_ministries = pl.concat(
        [crosswalks.ministries, known.select(list(MINISTRY_CROSSWALK_SCHEMA))], how="vertical_relaxed"
    ).unique("ministry_name", keep="first", maintain_order=True)
    new_ministries = propose_ministries(rows.get_column("ministry_name"), known_ministries)
    ministry_ids = pl.concat([known_ministries, new_ministries.select(list(MINISTRY_CROSSWALK_SCHEMA))])
    published = pl.concat([known, rows]).drop("project_id", "ministry_id", "ministry_label")
    return NameReview(propose_projects(published, reviewed, ministry_ids), new_ministries)
