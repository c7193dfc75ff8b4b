"""Load the shipped panorama editions, their crosswalks and the official headline figures.

Layout of `data_dir` (data/panorama in the repository):
* editions/panorama_<YYYY-MM>.csv: the published tables, verbatim (10 columns);
* crosswalk_projects.csv, crosswalk_ministries.csv, crosswalk_zones.csv: hand-reviewed identities
  and canonical functional zones keyed on the published strings;
* headline_figures.csv: the value boxes of each edition, compiled with sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from analytics.panorama import identity
from analytics.panorama.identity import MINISTRY_CROSSWALK_SCHEMA, PROJECT_CROSSWALK_SCHEMA, PROJECT_KEY
from analytics.panorama.parsing import RAW_COLUMNS, parse_published_columns
from analytics.panorama.schema import HEADLINE_SCHEMA, PROJECT_EDITION_SCHEMA, cost_bracket_expr
from analytics.panorama.zones import ZONE_CROSSWALK_SCHEMA, attach_zones, empty_zone_crosswalk, missing_zones

EDITION_FILE = re.compile(r"^panorama_(\d{4})-(\d{2})\.csv$")

# Published header -> canonical raw name; the cost header varies and names the cost definition.
COST_HEADERS: tuple[str, ...] = ("Coût estimé", "Coût complet estimé")
PUBLISHED_HEADERS: dict[str, str] = {
    "Projet": "project_name",
    "Ministère porteur": "ministry_name",
    "Projet inter-ministériel": "interministerial",
    "Description et objectifs": "description",
    "Début": "start_date",
    "Durée du projet en années": "duration_years",
    "Phase du projet en cours": "phase",
    "Zone fonctionnelle principale": "functional_zone",
    "Programme de financement": "funding_programmes",
}


_MAX_LISTED = 40


class PanoramaDataError(ValueError):
    """Shipped data or crosswalks that cannot be loaded; the message is French and names the file."""


@dataclass(frozen=True)
class Crosswalks:
    """Identity tables keyed on the published strings (see data/panorama/PROVENANCE.md)."""

    projects: pl.DataFrame  # PROJECT_CROSSWALK_SCHEMA
    ministries: pl.DataFrame  # MINISTRY_CROSSWALK_SCHEMA
    zones: pl.DataFrame = field(default_factory=empty_zone_crosswalk)  # ZONE_CROSSWALK_SCHEMA


@dataclass(frozen=True)
class PanoramaData:
    """Everything the pages need about the panorama, loaded once."""

    projects: pl.DataFrame  # PROJECT_EDITION_SCHEMA
    headlines: pl.DataFrame  # HEADLINE_SCHEMA
    editions: tuple[date, ...]  # sorted
    crosswalks: Crosswalks


def edition_files(data_dir: Path) -> dict[date, Path]:
    """Edition month -> file, discovered from the file names in data_dir/editions."""
    found = {}
    for path in sorted((data_dir / "editions").glob("panorama_*.csv")):
        match = EDITION_FILE.match(path.name)
        if match is None:
            raise PanoramaDataError(f"Fichier « {path.name} » : nom inattendu, « panorama_AAAA-MM.csv » attendu.")
        found[date(int(match[1]), int(match[2]), 1)] = path
    if not found:
        raise PanoramaDataError(f"Aucune édition « panorama_AAAA-MM.csv » dans « {data_dir / 'editions'} ».")
    return found


def _scan_edition(edition: date, path: Path) -> pl.LazyFrame:
    """One published table as text columns with canonical names, its edition and cost definition."""
    scan = pl.scan_csv(path, infer_schema=False)
    header = scan.collect_schema().names()
    costs = [name for name in header if name in COST_HEADERS]
    missing = [name for name in PUBLISHED_HEADERS if name not in header]
    if len(costs) != 1 or missing or len(header) != len(PUBLISHED_HEADERS) + 1:
        expected = ", ".join(f"« {name} »" for name in PUBLISHED_HEADERS)
        raise PanoramaDataError(
            f"Fichier « {path.name} » : en-tête inattendu {header}; colonnes attendues {expected} "
            f"et une colonne de coût parmi {', '.join(f'« {c} »' for c in COST_HEADERS)}."
        )
    return scan.rename({**PUBLISHED_HEADERS, costs[0]: "cost_meur"}).select(
        pl.lit(edition).alias("edition"),
        *RAW_COLUMNS,
        pl.lit(costs[0]).alias("cost_definition"),
    )


def _read_crosswalk(path: Path, schema: dict[str, pl.DataType], keys: list[str]) -> pl.DataFrame:
    """A crosswalk with its required columns, checked for duplicated keys."""
    if not path.exists():
        raise PanoramaDataError(f"Fichier « {path.name} » introuvable dans « {path.parent} ».")
    frame = pl.read_csv(path, infer_schema=False)
    missing = [name for name in schema if name not in frame.columns]
    if missing:
        raise PanoramaDataError(
            f"Fichier « {path.name} » : colonne(s) manquante(s) {', '.join(f'« {m} »' for m in missing)}."
        )
    frame = frame.select(list(schema)).cast(schema)
    duplicated = frame.filter(pl.struct(keys).is_duplicated()).select(keys).unique(maintain_order=True)
    if duplicated.height:
        listed = "; ".join(" / ".join(f"« {v} »" for v in row) for row in duplicated.rows()[:_MAX_LISTED])
        raise PanoramaDataError(
            f"Fichier « {path.name} » : {duplicated.height} clé(s) en double ({', '.join(keys)}) : {listed}."
        )
    return frame


def load_crosswalks(data_dir: Path) -> Crosswalks:
    """The three crosswalk files of data_dir, validated (columns present, keys unique)."""
    return Crosswalks(
        projects=_read_crosswalk(
            data_dir / "crosswalk_projects.csv",
            PROJECT_CROSSWALK_SCHEMA,
            list(PROJECT_KEY),
        ),
        ministries=_read_crosswalk(data_dir / "crosswalk_ministries.csv", MINISTRY_CROSSWALK_SCHEMA, ["ministry_name"]),
        zones=_read_crosswalk(data_dir / "crosswalk_zones.csv", ZONE_CROSSWALK_SCHEMA, ["functional_zone_published"]),
    )


def attach_identity(parsed: pl.LazyFrame, crosswalks: Crosswalks) -> pl.LazyFrame:
    """Add project_id, ministry_id, ministry_label and the canonical zone by exact match on the published
    strings (the published zone moves to `functional_zone_published`).

    Left joins: unmatched rows keep null ids so that the caller can list them (never dropped).
    """
    keyed = parsed.rename({"edition": "_edition_date"}).with_columns(
        pl.col("_edition_date").dt.strftime("%Y-%m").alias("edition")
    )
    identified = identity.attach_identity(
        keyed, crosswalks.projects.lazy().drop("match_note"), crosswalks.ministries.lazy()
    )
    return attach_zones(identified.drop("edition").rename({"_edition_date": "edition"}), crosswalks.zones)


def _missing_identity_message(frame: pl.DataFrame, crosswalks_dir: Path) -> str | None:
    """French listing of the rows that no crosswalk covers, or None when all are covered."""
    projects = (
        frame.filter(pl.col("project_id").is_null())
        .select(pl.col("edition").dt.strftime("%Y-%m"), "ministry_name", "project_name")
        .unique(maintain_order=True)
    )
    ministries = frame.filter(pl.col("ministry_id").is_null()).get_column("ministry_name").unique(maintain_order=True)
    zones = missing_zones(frame)
    parts = []
    if projects.height:
        listed = "; ".join(
            f"{edition} / « {ministry} » / « {project} »"
            for edition, ministry, project in projects.rows()[:_MAX_LISTED]
        )
        more = f" … et {projects.height - _MAX_LISTED} autre(s)" if projects.height > _MAX_LISTED else ""
        parts.append(
            f"{projects.height} ligne(s) (édition / ministère / projet) absente(s) de "
            f"« crosswalk_projects.csv » : {listed}{more}."
        )
    if ministries.len():
        listed = "; ".join(f"« {name} »" for name in ministries.to_list()[:_MAX_LISTED])
        parts.append(f"{ministries.len()} ministère(s) absent(s) de « crosswalk_ministries.csv » : {listed}.")
    if zones:
        listed = "; ".join(f"« {zone} »" for zone in zones[:_MAX_LISTED])
        parts.append(f"{len(zones)} zone(s) fonctionnelle(s) absente(s) de « crosswalk_zones.csv » : {listed}.")
    if not parts:
        return None
    return f"Identités manquantes dans « {crosswalks_dir} » : " + " ".join(parts)


def finalize(identified: pl.LazyFrame) -> pl.LazyFrame:
    """Derived columns, canonical column order and dtypes, canonical sort."""
    return (
        identified.with_columns(cost_bracket_expr(pl.col("cost_meur")).alias("cost_bracket"))
        .select(list(PROJECT_EDITION_SCHEMA))
        .cast(PROJECT_EDITION_SCHEMA)
        .sort("edition", "ministry_name", "project_name")
    )


def load_panorama(data_dir: Path, crosswalks: Crosswalks | None = None) -> pl.DataFrame:
    """All shipped editions as one frame with exactly PROJECT_EDITION_SCHEMA.

    Raises PanoramaDataError (French message) if a file is malformed or if any row is not
    covered by the crosswalks, listing the uncovered keys.
    """
    crosswalks = crosswalks or load_crosswalks(data_dir)
    raw = pl.concat([_scan_edition(edition, path) for edition, path in edition_files(data_dir).items()])
    frame = finalize(attach_identity(parse_published_columns(raw), crosswalks)).collect()
    message = _missing_identity_message(frame, data_dir)
    if message:
        raise PanoramaDataError(message)
    return frame


def load_headlines(data_dir: Path) -> pl.DataFrame:
    """Official headline figures per edition (HEADLINE_SCHEMA): percentages as fractions, M€."""
    text_columns = [
        "edition_no",
        "data_as_of",
        "published",
        "projects",
        "interministerial_projects",
        "total_cost_Md_eur",
        "avg_duration_years",
        "avg_schedule_drift_pct",
        "avg_budget_drift_pct",
        "source",
        "note",
    ]
    return (
        pl.scan_csv(data_dir / "headline_figures.csv", schema=dict.fromkeys(text_columns, pl.String()))
        .select(
            pl.col("edition_no"),
            (pl.col("data_as_of") + "-01").str.to_date("%Y-%m-%d").alias("edition"),
            pl.col("published"),
            pl.col("projects"),
            pl.col("interministerial_projects"),
            (pl.col("total_cost_Md_eur").cast(pl.Float64) * 1000).round(6).alias("total_cost_meur"),
            pl.col("avg_duration_years").cast(pl.Float64),
            (pl.col("avg_schedule_drift_pct").cast(pl.Float64) / 100).round(6).alias("avg_schedule_drift"),
            (pl.col("avg_budget_drift_pct").cast(pl.Float64) / 100).round(6).alias("avg_budget_drift"),
            pl.col("source"),
            pl.col("note"),
        )
        .cast(HEADLINE_SCHEMA)
        .sort("edition")
        .collect()
    )


def load_panorama_data(data_dir: Path) -> PanoramaData:
    """Projects, headlines, editions and crosswalks of data_dir, for the app's cache."""
    crosswalks = load_crosswalks(data_dir)
    projects = load_panorama(data_dir, crosswalks)
    editions = tuple(projects.get_column("edition").unique().sort().to_list())
    return PanoramaData(projects, load_headlines(data_dir), editions, crosswalks)
