"""Whatever the URL holds, on any page, the reader returns a valid view and short, inert French notices; what the
writer writes reads back to the same view (shared filters and every page parameter)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.params.pages import PARAMS_MODEL, PageId
from analytics.params.query import ViewState, read_query, write_query
from analytics.params.table import PARAMS
from analytics.params.vocabulary import Vocabulary, zone_choices
from analytics.selection import Selection

VOCAB = Vocabulary(
    editions=(date(2019, 11, 1), date(2020, 11, 1), date(2021, 11, 1)),
    ministries={"interieur": "Intérieur", "armees": "Armées", "justice": "Justice"},
    zones=zone_choices(["Santé", "Sécurité", "Justice et état civil"]),
    projects={"franceconnect": "FranceConnect", "pnr": "PNR"},
    frameworks={"agile-2021": "Accord 2021", "agile-2026": "Accord 2026"},
    simulable_frameworks=("agile-2026",),
)
KEYS = sorted({spec.key for spec in PARAMS})

HOSTILE = (
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "'; DROP TABLE projets; --",
    "[clic](javascript:alert(1))",
    "![img](http://x/a.png)",
    "<img src=x onerror=alert(1)>",
    "**gras** _it_ `code` $x$ ~~b~~ | # h",
    "\\<b\\>",
    "\u202e\u200b\x00\x1b[31m\r\n\t",
)
VALID = (
    "2019-11",
    "2021-11",
    "interieur",
    "ARMEES",
    "cadrage",
    "plus-100",
    "sante",
    "1",
    "reunion",
    "35",
    "20,5",
    "pnr",
    "« état civil »",
    "agile-2026",
    "12,5",
    "3 000 000",
    "10,12.5,30",
    "5 ; 7,5",
    "alertes",
    "ecart-budgetaire",
)
SETTINGS = settings(max_examples=200, deadline=None)

values = st.one_of(
    st.text(max_size=300),
    st.sampled_from(HOSTILE + VALID),
    st.floats(min_value=0, max_value=1000).map(repr),  # thresholds with many decimals
    st.text(alphabet=' a\u00a0«»"', min_size=190, max_size=260),  # queries cut around 200 characters
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=20))
pages = st.sampled_from(list(PageId))
url_params = st.dictionaries(keys, st.lists(values, max_size=6), max_size=14)

MARKDOWN_ACTIVE = "<>[]`*_$|~!"
RENDERED_LIMIT = 400
RAW_LIMIT = 500  # each echoed value is at most 40 characters, escapes may double them


def unescaped(notice: str) -> str:
    """The notice as Markdown shows it, with every backslash escape resolved, minus escaped characters."""
    shown, index = [], 0
    while index < len(notice):
        if notice[index] == "\\" and index + 1 < len(notice):
            index += 2
            continue
        shown.append(notice[index])
        index += 1
    return "".join(shown)


def normalised(selection: Selection) -> Selection:
    """Editions resolved: a default edition omitted from the URL comes back as `None`."""
    return selection.pinned(VOCAB)


def check_result(view: ViewState, page: PageId) -> None:
    assert isinstance(view.selection, Selection)
    Selection.model_validate(view.selection.model_dump())
    assert isinstance(view.params, PARAMS_MODEL[page])
    PARAMS_MODEL[page].model_validate(view.params.model_dump())
    for notice in view.notices:
        assert isinstance(notice, str)
        assert len(notice) < RAW_LIMIT
        assert len(unescaped(notice)) < RENDERED_LIMIT
        assert not set(unescaped(notice)) & set(MARKDOWN_ACTIVE), notice
        assert all(ch.isprintable() or ch in "\u00a0\u202f" for ch in notice), notice


@SETTINGS
@given(url_params, pages)
def test_reading_never_raises_and_notices_are_short_and_inert(params: dict[str, list[str]], page: PageId):
    check_result(read_query(params, page, VOCAB), page)


@SETTINGS
@given(st.sampled_from(KEYS), st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3), pages)
def test_hostile_values_on_every_key(key: str, raw: list[str], page: PageId):
    check_result(read_query({key: raw}, page, VOCAB), page)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(KEYS), st.sampled_from(HOSTILE + VALID + ("x" * 1000,)), pages)
def test_ten_thousand_values(key: str, value: str, page: PageId):
    for params in ({key: [value] * 10_000}, {key: [",".join([value] * 10_000)]}):
        view = read_query(params, page, VOCAB)
        check_result(view, page)
        assert len(view.notices) <= 3


@SETTINGS
@given(url_params, pages)
def test_written_url_reads_back_identically(params: dict[str, list[str]], page: PageId):
    view = read_query(params, page, VOCAB)
    query = write_query(view.selection, view.params, page, VOCAB)
    again = read_query(query, page, VOCAB)
    assert again.notices == ()
    assert normalised(again.selection) == normalised(view.selection)
    assert again.params == view.params
    assert write_query(again.selection, again.params, page, VOCAB) == query


@SETTINGS
@given(url_params, pages)
def test_permalink_reads_back_with_the_editions_pinned(params: dict[str, list[str]], page: PageId):
    view = read_query(params, page, VOCAB)
    again = read_query(write_query(view.selection, view.params, page, VOCAB, pin_editions=True), page, VOCAB)
    assert again.notices == ()
    assert again.selection.edition == view.selection.resolved_edition(VOCAB)
    assert normalised(again.selection) == normalised(view.selection)
    assert again.params == view.params
