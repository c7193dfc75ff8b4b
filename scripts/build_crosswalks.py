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
    MINISTRY_CROSSWALK_SCHEMA,
    PROJECT_CROSSWALK_SCHEMA,
    read_ministry_crosswalk,
    read_project_crosswalk,
)
from analytics.panorama.proposals import propose_ministries, propose_projects

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
