"""The filters shared by every page: one pydantic model, and how it filters the panorama.

How the selection is read from and written to the URL lives in `analytics.params` (the one parameter table).
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from analytics.params.vocabulary import Vocabulary
from analytics.text import fold, fold_expr

MAX_QUERY_LENGTH = 200
DEFAULT_DRIFT_THRESHOLD = 0.20
MAX_DRIFT_THRESHOLD_PCT = 1000.0


class Selection(BaseModel):
    """What the user selected; the single source of truth for every page."""

    model_config = ConfigDict(frozen=True)

    edition: date | None = None  # None: latest edition
    compare: date | None = None  # None: the edition before `edition`
    ministries: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    brackets: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()  # canonical zone names (data/panorama/crosswalk_zones.csv)
    interministerial_only: bool = False
    query: str = ""
    drift_threshold: float = Field(default=DEFAULT_DRIFT_THRESHOLD, ge=0, le=MAX_DRIFT_THRESHOLD_PCT / 100)
    meeting_mode: bool = False

    def resolved_edition(self, vocab: Vocabulary) -> date | None:
        return self.edition or vocab.latest

    def resolved_compare(self, vocab: Vocabulary) -> date | None:
        return self.compare or vocab.previous(self.resolved_edition(vocab))

    def canonical(self, vocab: Vocabulary) -> Selection:
        """Editions equal to their defaults (latest, the one before) forgotten, so a link keeps following them."""
        edition = self.resolved_edition(vocab)
        return self.model_copy(
            update={
                "edition": None if edition == vocab.latest else self.edition,
                "compare": None if self.compare == vocab.previous(edition) else self.compare,
            }
        )

    def pinned(self, vocab: Vocabulary) -> Selection:
        """Editions made explicit, so that a permanent link survives the publication of a new edition."""
        return self.model_copy(
            update={"edition": self.resolved_edition(vocab), "compare": self.resolved_compare(vocab)}
        )

    @property
    def filter_count(self) -> int:
        """How many filters narrow the projects (editions, threshold and mode do not)."""
        filters = (self.ministries, self.phases, self.brackets, self.zones, self.interministerial_only, self.query)
        return sum(bool(f) for f in filters)

    @property
    def is_unfiltered(self) -> bool:
        """Official figures describe the whole panorama: comparable only to an unfiltered selection."""
        return self.filter_count == 0


def search_terms(query: str) -> list[str]:
    """Quoted phrases stay whole; other words are separate terms, all required.

    An unclosed quote is dropped rather than swallowing the words after it.
    """
    phrases = re.findall(r'[«"“]\s*([^»"”]+?)\s*[»"”]', query)
    rest = re.sub(r'[«»"“”]', " ", re.sub(r'[«"“][^»"”]*[»"”]', " ", query))
    folded = [fold(t) for t in [*phrases, *rest.split()]]
    return [t for t in folded if t]


_SEARCH_TEXT = "__search_text"  # temporary column of the text search


def _search_text() -> pl.Expr:
    """What the text search looks in: name, description, ministry and identifier."""
    return pl.concat_str(
        [pl.col("project_name"), pl.col("description"), pl.col("ministry_label"), pl.col("project_id")],
        separator=" ",
        ignore_nulls=True,
    )


def _matching_text(lf: pl.LazyFrame, terms: list[str]) -> pl.LazyFrame:
    """Rows whose folded text holds every term.

    Texts repeat across editions: each distinct one is folded and searched once (NFKD dominates the search's
    cost), and rows are kept by a semi-join on the matching texts, in their order.
    """
    with_text = lf.with_columns(_search_text().alias(_SEARCH_TEXT))
    folded = fold_expr(pl.col(_SEARCH_TEXT))
    matching = with_text.select(pl.col(_SEARCH_TEXT).unique()).filter(
        *(folded.str.contains(term, literal=True) for term in terms)
    )
    return with_text.join(matching, on=_SEARCH_TEXT, how="semi", maintain_order="left").drop(_SEARCH_TEXT)


def apply_selection(lf: pl.LazyFrame, selection: Selection) -> pl.LazyFrame:
    """Filter projects by everything but the edition (pages choose which editions they need).

    The column filters run first, so that the text search folds only the texts of the rows they keep.
    """
    predicates: list[pl.Expr] = []
    if selection.ministries:
        predicates.append(pl.col("ministry_id").is_in(list(selection.ministries)))
    if selection.phases:
        predicates.append(pl.col("phase").is_in(list(selection.phases)))
    if selection.brackets:
        predicates.append(pl.col("cost_bracket").is_in(list(selection.brackets)))
    if selection.zones:
        predicates.append(pl.col("functional_zone").is_in(list(selection.zones)))
    if selection.interministerial_only:
        predicates.append(pl.col("interministerial"))
    filtered = lf.filter(*predicates) if predicates else lf
    terms = search_terms(selection.query)
    return _matching_text(filtered, terms) if terms else filtered
