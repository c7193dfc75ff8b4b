"""A persistent store of imported panorama editions, beside the shipped files and never inside them.

Layout of the store directory (`PANORAMA_STORE_DIR`, default `data/store/`, git-ignored):
* manifest.json: one entry per kept edition with its provenance (file name, SHA-256 of the uploaded bytes, import
  time, rows, format, the month the file named);
* editions/panorama_<YYYY-MM>_<hash>.parquet: the edition in PROJECT_EDITION_SCHEMA, as checked at import;
* crosswalk_projects.csv, crosswalk_ministries.csv: the overlay of identities accepted in the name review, same
  columns as the shipped crosswalks, applied on load.

Every write goes to a temporary file in the same directory, is fsynced, then renamed over the old one (os.replace is
atomic), under an exclusive lock on `.lock` (flock: released if the process dies), so that two imports at once
serialise and a reader never sees half a manifest. The default lives in the repository next to the data it extends
(found by maintainers, kept across restarts, never committed); a read-only or shared deployment points the variable
elsewhere.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from analytics.panorama.identity import MINISTRY_CROSSWALK_SCHEMA, PROJECT_CROSSWALK_SCHEMA, PROJECT_KEY
from analytics.panorama.importing import EditionMergeError, single_edition
from analytics.panorama.loading import Crosswalks
from analytics.panorama.schema import PROJECT_EDITION_SCHEMA
from analytics.settings import from_environment

DEFAULT_STORE_DIR = Path(__file__).resolve().parents[2] / "data" / "store"
MANIFEST = "manifest.json"
EDITIONS = "editions"
LOCK = ".lock"
OVERLAY_PROJECTS = "crosswalk_projects.csv"
OVERLAY_MINISTRIES = "crosswalk_ministries.csv"


class StoreSettings(BaseSettings):
    """Where kept editions live: `PANORAMA_STORE_DIR`."""

    model_config = SettingsConfigDict(env_prefix="PANORAMA_")

    store_dir: Path = DEFAULT_STORE_DIR


class StoredEdition(BaseModel):
    """One kept edition and where it came from."""

    model_config = ConfigDict(frozen=True)

    edition: date  # the month it is shown as (first day)
    file_name: str
    sha256: str  # of the uploaded bytes
    imported_at: datetime  # local time with its UTC offset
    rows: int
    file_format: str | None = None  # "panorama" or "data.gouv.fr"
    read_as: date | None = None  # the month the file itself named, when it was stored as another (replacement)
    parquet: str  # file name under editions/


class StoreManifest(BaseModel):
    format_version: Literal[1] = 1
    editions: list[StoredEdition] = []


class StoreError(ValueError):
    """A store operation refused or a store that cannot be read; the message is French and says what to do."""


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write through a synced temporary file renamed over `path`: readers see the old file or the new one."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


class EditionStore:
    """Kept editions under `root`; every method takes the store's lock (shared to read, exclusive to write)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: StoreSettings | None = None) -> EditionStore:
        return cls((settings or from_environment(StoreSettings)).store_dir)

    # ------------------------------------------------------------ locking and the manifest

    @contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        """The store's lock; a reader of a store never written to (absent, or read-only) needs none."""
        lock = self.root / LOCK
        if not exclusive and not lock.exists():
            yield
            return
        if exclusive:
            (self.root / EDITIONS).mkdir(parents=True, exist_ok=True)
        with open(lock, "a+b" if exclusive else "rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _manifest(self) -> StoreManifest:
        path = self.root / MANIFEST
        if not path.exists():
            return StoreManifest()
        try:
            return StoreManifest.model_validate_json(path.read_bytes())
        except ValidationError as error:
            raise StoreError(
                f"Manifeste « {path} » illisible ({error.error_count()} erreur(s)) : restaurez-le ou retirez le "
                "dossier du magasin (les éditions livrées ne sont pas concernées)."
            ) from error

    def _write_manifest(self, manifest: StoreManifest) -> None:
        data = manifest.model_dump_json(indent=2).encode()
        _write_atomically(self.root / MANIFEST, lambda handle: handle.write(data))

    # ------------------------------------------------------------ reading

    def editions(self) -> list[StoredEdition]:
        """Kept editions, oldest first."""
        with self._locked(exclusive=False):
            return sorted(self._manifest().editions, key=lambda e: e.edition)

    def revision(self) -> str:
        """Changes whenever the store does: the cache key for the pages' loaded data."""
        digest = hashlib.sha256()
        with self._locked(exclusive=False):
            for name in (MANIFEST, OVERLAY_PROJECTS, OVERLAY_MINISTRIES):
                path = self.root / name
                digest.update(path.read_bytes() if path.exists() else b"-")
        return digest.hexdigest()[:16]

    def _read_edition(self, entry: StoredEdition) -> pl.DataFrame:
        path = self.root / EDITIONS / entry.parquet
        try:
            frame = pl.read_parquet(path)
        except Exception as error:  # missing or corrupt Parquet surfaces as several exception types
            raise StoreError(
                f"Édition conservée {entry.edition:%Y-%m} : fichier « {path.name} » illisible ; retirez-la puis "
                "importez de nouveau son fichier d'origine."
            ) from error
        if frame.columns != list(PROJECT_EDITION_SCHEMA):
            raise StoreError(f"Édition conservée {entry.edition:%Y-%m} : colonnes inattendues dans « {path.name} ».")
        return frame.cast(PROJECT_EDITION_SCHEMA)

    def overlay(self) -> Crosswalks:
        """Identities accepted in name reviews (empty tables when none)."""
        with self._locked(exclusive=False):
            return self._overlay()

    def _overlay(self) -> Crosswalks:
        def read(name: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
            path = self.root / name
            return pl.read_csv(path, schema=schema) if path.exists() else _empty(schema)

        return Crosswalks(
            projects=read(OVERLAY_PROJECTS, PROJECT_CROSSWALK_SCHEMA),
            ministries=read(OVERLAY_MINISTRIES, MINISTRY_CROSSWALK_SCHEMA),
        )

    def load(self) -> pl.DataFrame:
        """Every kept edition in PROJECT_EDITION_SCHEMA, accepted identities applied."""
        with self._locked(exclusive=False):
            frames = [self._read_edition(entry) for entry in self._manifest().editions]
            overlay = self._overlay()
        if not frames:
            return _empty(PROJECT_EDITION_SCHEMA)
        return apply_overlay(pl.concat(frames), overlay).sort("edition", "ministry_name", "project_name")

    # ------------------------------------------------------------ writing

    def keep(
        self,
        frame: pl.DataFrame,
        *,
        file_name: str,
        content: bytes,
        file_format: str | None = None,
        read_as: date | None = None,
        replace: bool = False,
    ) -> StoredEdition:
        """Keep one imported edition; an edition already kept is only overwritten with `replace`."""
        try:
            edition = single_edition(frame)
        except EditionMergeError as error:
            raise StoreError(str(error)) from error
        sha = content_hash(content)
        entry = StoredEdition(
            edition=edition,
            file_name=file_name,
            sha256=sha,
            imported_at=datetime.now().astimezone().replace(microsecond=0),
            rows=frame.height,
            file_format=file_format,
            read_as=read_as if read_as != edition else None,
            parquet=f"panorama_{edition:%Y-%m}_{sha[:12]}.parquet",
        )
        with self._locked(exclusive=True):
            manifest = self._manifest()
            previous = next((e for e in manifest.editions if e.edition == edition), None)
            if previous is not None and not replace:
                raise StoreError(
                    f"L'édition {edition:%Y-%m} est déjà conservée (fichier « {previous.file_name} », importé le "
                    f"{previous.imported_at:%d/%m/%Y}) : demandez son remplacement pour l'écraser."
                )
            _write_atomically(self.root / EDITIONS / entry.parquet, frame.write_parquet)
            others = [e for e in manifest.editions if e.edition != edition]
            self._write_manifest(StoreManifest(editions=sorted([*others, entry], key=lambda e: e.edition)))
            if previous is not None and previous.parquet != entry.parquet:
                (self.root / EDITIONS / previous.parquet).unlink(missing_ok=True)
        return entry

    def remove(self, edition: date) -> StoredEdition:
        """Forget one kept edition (its Parquet file is deleted; a shipped edition it replaced shows again)."""
        with self._locked(exclusive=True):
            manifest = self._manifest()
            entry = next((e for e in manifest.editions if e.edition == edition), None)
            if entry is None:
                kept = ", ".join(f"{e.edition:%Y-%m}" for e in manifest.editions) or "aucune"
                raise StoreError(f"Aucune édition {edition:%Y-%m} conservée (éditions conservées : {kept}).")
            self._write_manifest(StoreManifest(editions=[e for e in manifest.editions if e.edition != edition]))
            (self.root / EDITIONS / entry.parquet).unlink(missing_ok=True)
        return entry

    def accept(self, accepted: Crosswalks) -> None:
        """Add accepted identities to the overlay; a row for a name already there replaces it."""
        with self._locked(exclusive=True):
            overlay = self._overlay()
            projects = pl.concat([overlay.projects, accepted.projects.select(list(PROJECT_CROSSWALK_SCHEMA))])
            ministries = pl.concat([overlay.ministries, accepted.ministries.select(list(MINISTRY_CROSSWALK_SCHEMA))])
            projects = projects.unique(list(PROJECT_KEY), keep="last", maintain_order=True)
            ministries = ministries.unique(["ministry_name"], keep="last", maintain_order=True)
            _write_atomically(self.root / OVERLAY_PROJECTS, projects.write_csv)
            _write_atomically(self.root / OVERLAY_MINISTRIES, ministries.write_csv)


def apply_overlay(frame: pl.DataFrame, overlay: Crosswalks) -> pl.DataFrame:
    """Identities of `frame` (PROJECT_EDITION_SCHEMA) replaced by the accepted ones, matched on published strings."""
    projects = overlay.projects.select(
        "edition", "ministry_name", "project_name", pl.col("project_id").alias("_accepted_id")
    ).unique(list(PROJECT_KEY), keep="last")
    ministries = overlay.ministries.select(
        "ministry_name", pl.col("ministry_id").alias("_accepted_ministry"), pl.col("ministry_label").alias("_label")
    ).unique(["ministry_name"], keep="last")
    return (
        frame.with_columns(pl.col("edition").dt.strftime("%Y-%m").alias("_edition"))
        .join(
            projects.rename({"edition": "_edition"}),
            on=["_edition", "ministry_name", "project_name"],
            how="left",
            maintain_order="left",
        )
        .join(ministries, on="ministry_name", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("_accepted_id", "project_id").alias("project_id"),
            pl.coalesce("_accepted_ministry", "ministry_id").alias("ministry_id"),
            pl.coalesce("_label", "ministry_label").alias("ministry_label"),
        )
        .select(list(PROJECT_EDITION_SCHEMA))
    )
