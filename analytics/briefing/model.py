"""What a briefing document (« dossier de séance ») holds, independent of how it is typeset.

Builders fill these models from the analytics; `render.render_pdf` typesets them. Every text is final,
French and formatted (figures already read `1 234,5 M€`): the template formats nothing, so the screen
and the paper share one formatting code path (`analytics.formatting`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from analytics.key_figures import KeyFigure
from analytics.params.pages import PAGES, PageInfo

PageId = str  # a page's URL path, the overview as « vue-ensemble »


def briefing_id(page: PageInfo) -> PageId:
    return page.url_path or "vue-ensemble"


# The app's pages in presenter order (the menu's), with their titles: one list for the app and the paper.
PAGE_TITLES: dict[PageId, str] = {briefing_id(page): page.title for page in PAGES if page.in_menu}
PRESENTER_ORDER: tuple[PageId, ...] = tuple(PAGE_TITLES)

SIMULATED_LABEL_FR = "Données simulées"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class DataSource(_Frozen):
    """A source as stamped on the pages: what it is, and its date (edition, as-of date)."""

    label: str
    date: str
    simulated: bool = False

    @property
    def text(self) -> str:
        suffix = f" ({SIMULATED_LABEL_FR.lower()})" if self.simulated else ""
        return f"{self.label}, {self.date}{suffix}"


class Heading(_Frozen):
    kind: Literal["heading"] = "heading"
    text: str


class KeyFigures(_Frozen):
    kind: Literal["figures"] = "figures"
    figures: tuple[KeyFigure, ...]
    caption: str | None = None


class Chart(_Frozen):
    """An Altair chart as its Vega-Lite spec; rendered to vector SVG when the PDF is typeset."""

    kind: Literal["chart"] = "chart"
    title: str
    spec: dict[str, Any]
    caption: str | None = None
    simulated: bool = False


class Column(_Frozen):
    label: str
    numeric: bool = False  # right-aligned


class Cell(_Frozen):
    text: str
    alert: bool = False  # a drift above the alert threshold: printed in red


class Table(_Frozen):
    """A table printed whole: it runs over as many pages as needed, its header repeated on each."""

    kind: Literal["table"] = "table"
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    simulated: bool = False


class Note(_Frozen):
    kind: Literal["note"] = "note"
    text: str
    tone: Literal["info", "warning", "success", "simulated"] = "info"


Block = Annotated[Heading | KeyFigures | Chart | Table | Note, Field(discriminator="kind")]


class Section(_Frozen):
    """One page of the app: its pages in the PDF are stamped with its sources (and « Données simulées »)."""

    page: PageId
    title: str
    subtitle: str | None = None
    sources: tuple[DataSource, ...]
    blocks: tuple[Block, ...]

    @property
    def simulated(self) -> bool:
        return any(source.simulated for source in self.sources)


class Stamp(_Frozen):
    """What every page repeats, so that a loose sheet still says what it shows."""

    edition: str  # "édition novembre 2021, comparée à juillet 2021"
    filters: tuple[str, ...]  # the filters in words
    produced_at: str  # "12 mai 2026 à 14 h 03"
    link: str  # the address that reproduces the view

    @property
    def linkable(self) -> bool:
        """Only web addresses are made clickable in the PDF (never `javascript:` or `file:`)."""
        return self.link.lower().startswith(("https://", "http://"))


class Briefing(_Frozen):
    title: str
    subtitle: str
    stamp: Stamp
    sections: tuple[Section, ...]

    @property
    def sources(self) -> tuple[DataSource, ...]:
        """Every section's sources, each once, in order of first use."""
        return tuple(dict.fromkeys(source for section in self.sections for source in section.sources))

    @property
    def simulated_sections(self) -> tuple[str, ...]:
        return tuple(section.title for section in self.sections if section.simulated)
