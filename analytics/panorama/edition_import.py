"""Importing an edition end to end, as the data page and the maintainers' command line both do it.

1. `plan_import`: read and check the file (importing), compare it with the editions already loaded (overlap),
   list the names to review (proposals); nothing is written.
2. `keep_import`: keep the checked edition in the store, as a new edition or in place of the one it overlaps,
   only once the person has answered the overlap question.
3. `load_projects`: the shipped editions with the kept ones, in the canonical schema (a kept edition stands in for
   a shipped one of the same month; the shipped file itself never changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import polars as pl

from analytics.formatting import format_edition_label, format_meur
from analytics.panorama.importing import ImportResult, import_edition
from analytics.panorama.loading import Crosswalks, load_crosswalks, load_panorama
from analytics.panorama.overlap import EditionOverlap, find_overlaps
from analytics.panorama.proposals import NameReview, review_new_names
from analytics.panorama.store import EditionStore, StoredEdition, StoreError, apply_overlay, content_hash

ImportStatus = Literal["refused", "overlap", "ready"]


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: the checked edition (or the refusal), the editions it overlaps, the names to
    review. `status` tells the UI what to ask: nothing ("ready"), whether to replace ("overlap"), or to fix the file
    ("refused", the report says why)."""

    result: ImportResult
    overlaps: tuple[EditionOverlap, ...]
    names: NameReview | None
    sha256: str

    @property
    def status(self) -> ImportStatus:
        if self.result.frame is None:
            return "refused"
        return "overlap" if self.overlaps else "ready"

    @property
    def edition(self) -> date | None:
        """The edition the import creates (as read from the file or chosen), None when refused."""
        return self.result.report.edition if self.result.frame is not None else None

    @property
    def proposed_replacement(self) -> date | None:
        """The loaded edition the import most likely repeats, which the UI offers to replace."""
        return self.overlaps[0].existing if self.overlaps else None

    def summary(self) -> str:
        """One French sentence naming the edition the import creates, or why nothing is created."""
        report = self.result.report
        if self.result.frame is None:
            return f"Import refusé : {len(report.errors)} erreur(s) ; rien n'est modifié."
        frame = self.result.frame
        return (
            f"Édition {format_edition_label(report.edition)} : {frame.height} projet(s), "
            f"{format_meur(frame.get_column('cost_meur').sum())} de coûts publiés, "
            f"{len(report.warnings)} avertissement(s)."
        )


def identity_crosswalks(loaded: pl.DataFrame, crosswalks: Crosswalks) -> Crosswalks:
    """The crosswalks extended with every loaded row, so that a kept edition's projects are known by name too."""
    rows = loaded.select(
        pl.col("edition").dt.strftime("%Y-%m"),
        "ministry_name",
        "project_name",
        "project_id",
        pl.lit("édition chargée").alias("match_note"),
    )
    ministries = loaded.select(crosswalks.ministries.columns)
    return Crosswalks(
        projects=pl.concat([crosswalks.projects, rows]).unique(
            ["edition", "ministry_name", "project_name"], keep="first", maintain_order=True
        ),
        ministries=pl.concat([crosswalks.ministries, ministries]).unique(
            "ministry_name", keep="first", maintain_order=True
        ),
    )


def plan_import(
    content: bytes,
    file_name: str,
    *,
    loaded: pl.DataFrame,
    crosswalks: Crosswalks,
    edition: date | None = None,
) -> ImportPlan:
    """Check a file against what is loaded (shipped and kept editions, PROJECT_EDITION_SCHEMA); never raises on bad
    input and writes nothing."""
    identities = identity_crosswalks(loaded, crosswalks)
    result = import_edition(content, file_name, edition, identities)
    if result.frame is None:
        return ImportPlan(result, (), None, content_hash(content))
    overlaps = tuple(find_overlaps(result.frame, loaded))
    return ImportPlan(result, overlaps, review_new_names(result.frame, loaded, identities), content_hash(content))


def answered_month(plan: ImportPlan, *, replace: date | None = None, keep_separate: bool = False) -> date:
    """The month a checked edition is used or kept as, once the overlap question is answered: the overlapping
    edition's `replace`, or its own month when `keep_separate` (refused if that month is already loaded) or when
    nothing overlaps. Raises StoreError (French) for a refused file or an unanswered overlap."""
    report = plan.result.report
    if plan.result.frame is None or report.edition is None:
        raise StoreError(f"Import refusé : {len(report.errors)} erreur(s) ; rien n'est conservé.")
    overlapping = {o.existing for o in plan.overlaps}
    if replace is not None and replace not in overlapping:
        raise StoreError(f"L'édition {replace:%Y-%m} ne recoupe pas le fichier importé : rien à remplacer.")
    if replace is None and overlapping and (not keep_separate or report.edition in overlapping):
        first = plan.overlaps[0]
        raise StoreError(f"{first.message} Choisissez : remplacer l'édition {first.existing:%Y-%m}, ou annuler.")
    return replace or report.edition


def accepted_names(plan: ImportPlan, month: date) -> Crosswalks | None:
    """The reviewed identities as crosswalk rows of the edition kept as `month`, None when there is nothing to
    review."""
    return None if plan.names is None or plan.names.empty else plan.names.accepted(month)


def session_edition(
    plan: ImportPlan, *, replace: date | None = None, keep_separate: bool = False, accept_names: bool = False
) -> pl.DataFrame:
    """The checked edition as one session uses it (nothing written): under the month `answered_month` gives, with
    the proposed identities when the person accepted them, exactly as `keep_import` would keep it."""
    month = answered_month(plan, replace=replace, keep_separate=keep_separate)
    frame = plan.result.frame.with_columns(pl.lit(month).alias("edition"))
    names = accepted_names(plan, month) if accept_names else None
    return frame if names is None else apply_overlay(frame, names)


def keep_import(
    plan: ImportPlan,
    content: bytes,
    store: EditionStore,
    *,
    replace: date | None = None,
    keep_separate: bool = False,
    accept_names: bool = False,
) -> StoredEdition:
    """Keep a planned import: in place of the overlapping edition `replace` (kept under that month), or as a
    separate edition when `keep_separate` (see `answered_month`); with `accept_names`, the proposed identities go
    to the store's overlay too. Raises StoreError (French)."""
    month = answered_month(plan, replace=replace, keep_separate=keep_separate)
    if content_hash(content) != plan.sha256:
        raise StoreError("Le fichier a changé depuis sa vérification : importez-le de nouveau.")
    report = plan.result.report
    kept = store.keep(
        plan.result.frame.with_columns(pl.lit(month).alias("edition")),
        file_name=report.file,
        content=content,
        file_format=report.file_format,
        read_as=report.edition,
        replace=replace is not None,
    )
    names = accepted_names(plan, month) if accept_names else None
    if names is not None:
        store.accept(names)
    return kept


def load_projects(panorama_dir: Path, store: EditionStore) -> pl.DataFrame:
    """Shipped editions and kept ones (PROJECT_EDITION_SCHEMA); a kept edition replaces a shipped one of its month.

    The pages cache it keyed on `store.revision()`.
    """
    shipped = load_panorama(panorama_dir)
    kept = store.load()
    months = kept.get_column("edition").unique().implode()
    return pl.concat([shipped.filter(~pl.col("edition").is_in(months)), kept]).sort(
        "edition", "ministry_name", "project_name"
    )


def load_crosswalks_with_store(panorama_dir: Path, store: EditionStore) -> Crosswalks:
    """Shipped crosswalks with the identities accepted into the store (accepted rows win on the same name)."""
    shipped, overlay = load_crosswalks(panorama_dir), store.overlay()
    return Crosswalks(
        projects=pl.concat([shipped.projects, overlay.projects]).unique(
            ["edition", "ministry_name", "project_name"], keep="last", maintain_order=True
        ),
        ministries=pl.concat([shipped.ministries, overlay.ministries]).unique(
            "ministry_name", keep="last", maintain_order=True
        ),
    )
