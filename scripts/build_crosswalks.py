"""Propose stable ids for panorama projects and ministries not yet in the reviewed crosswalks.

Re-run it when a new edition arrives:

    uv run python scripts/build_crosswalks.py     # reads data/panorama/editions, writes to data/panorama
    uv run python scripts/build_crosswalks.py --editions-dir DIR --crosswalk-dir DIR --output FILE

1. Put the edition in data/panorama/editions/panorama_YYYY-MM.csv (verbatim published table).
2. Run the script. Reviewed rows of data/panorama/crosswalk_projects.csv and crosswalk_ministries.csv are
   kept untouched and never proposed again; every other (edition, ministry, project) is written to
   data/panorama/crosswalk_candidates.csv with a proposed project_id, a confidence in [0, 1], and the best
   candidate it was compared with (name, edition, ministry, start month, cost, description excerpt).
   Unknown ministry names go to data/panorama/crosswalk_ministry_candidates.csv.
3. Check every proposal by hand: a high confidence can still be a genuinely new project (a "PHASE II"
   with a new start date and budget), a low one can be a rename (same description, start and cost).
   Fix project_id / match_note, then append the first five columns to crosswalk_projects.csv (and the
   first three of the ministry file to crosswalk_ministries.csv), and log non-trivial decisions in
   data/panorama/CROSSWALK_REVIEW.md. Re-running must then report 0 candidates.

Editions are processed in chronological order, so a project proposed for one edition is a candidate for
the next ones. Files named panorama_YYYY-MM.csv or panorama_YYYY-MM_projects_extracted.csv are read.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.panorama.identity import (
    MATCH_THRESHOLD,
    MINISTRY_CROSSWALK_SCHEMA,
    PROJECT_CROSSWALK_SCHEMA,
    PROJECT_KEY,
    best_candidates,
    jaccard,
    read_ministry_crosswalk,
    read_project_crosswalk,
    score_candidates,
    tokens,
)
from analytics.text import match_key_expr, slugify_expr

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EDITIONS_DIR = ROOT / "data" / "panorama" / "editions"
DEFAULT_CROSSWALK_DIR = ROOT / "data" / "panorama"
EDITION_FILE = re.compile(r"^panorama_(\d{4}-\d{2})(?:_projects_extracted)?\.csv$")
SOURCE_COLUMNS = {
    "Projet": "project_name",
    "Ministère porteur": "ministry_name",
    "Description et objectifs": "description",
    "Début": "start",
}
COST_COLUMNS = ("Coût estimé", "Coût complet estimé")
# Words shared by every ministry name, ignored when comparing them.
MINISTRY_NOISE_WORDS = ("ministere", "ministeres", "charge", "charges", "services")
MINISTRY_THRESHOLD = 0.5
EXCERPT_CHARS = 200


def read_editions(editions_dir: Path) -> pl.DataFrame:
    """All edition tables, strings verbatim, one row per published project."""
    frames = []
    for path in sorted(editions_dir.iterdir()):
        match = EDITION_FILE.match(path.name)
        if match is None:
            continue
        raw = pl.read_csv(path, infer_schema=False)
        missing = [c for c in SOURCE_COLUMNS if c not in raw.columns]
        cost = [c for c in COST_COLUMNS if c in raw.columns]
        if missing or not cost:
            absent = missing + ([] if cost else [" ou ".join(COST_COLUMNS)])
            raise SystemExit(f"{path} : colonne(s) absente(s) : {', '.join(absent)}.")
        frames.append(
            raw.select(
                pl.lit(match.group(1)).alias("edition"),
                *(pl.col(src).alias(dst) for src, dst in SOURCE_COLUMNS.items()),
                pl.col(cost[0]).alias("cost"),
            )
        )
    if not frames:
        raise SystemExit(f"{editions_dir} : aucun fichier panorama_AAAA-MM.csv trouvé.")
    return pl.concat(frames)


def read_or_empty(path: Path, reader, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return reader(path) if path.exists() else pl.DataFrame(schema=schema)


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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--editions-dir", type=Path, default=DEFAULT_EDITIONS_DIR, help="published edition tables")
    parser.add_argument(
        "--crosswalk-dir",
        type=Path,
        default=DEFAULT_CROSSWALK_DIR,
        help="holds the reviewed crosswalk_projects.csv and crosswalk_ministries.csv",
    )
    parser.add_argument(
        "--output", type=Path, help="project review file (default: <crosswalk-dir>/crosswalk_candidates.csv)"
    )
    parser.add_argument(
        "--ministry-output",
        type=Path,
        help="ministry review file (default: <crosswalk-dir>/crosswalk_ministry_candidates.csv)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    output = args.output or args.crosswalk_dir / "crosswalk_candidates.csv"
    ministry_output = args.ministry_output or args.crosswalk_dir / "crosswalk_ministry_candidates.csv"
    editions = read_editions(args.editions_dir)
    ministries = read_or_empty(
        args.crosswalk_dir / "crosswalk_ministries.csv", read_ministry_crosswalk, MINISTRY_CROSSWALK_SCHEMA
    )
    reviewed = read_or_empty(
        args.crosswalk_dir / "crosswalk_projects.csv", read_project_crosswalk, PROJECT_CROSSWALK_SCHEMA
    )
    new_ministries = propose_ministries(editions["ministry_name"], ministries)
    candidates = propose_projects(
        editions, reviewed, pl.concat([ministries, new_ministries.select(ministries.columns)])
    )
    new_ministries.write_csv(ministry_output)
    candidates.write_csv(output)
    print(
        f"{editions.height} lignes publiées dans {editions['edition'].n_unique()} éditions ; "
        f"{reviewed.height} lignes de projets déjà revues conservées.\n"
        f"{candidates.height} projet(s) à revoir → {output}\n"
        f"{new_ministries.height} ministère(s) à revoir → {ministry_output}"
    )


if __name__ == "__main__":
    main()
