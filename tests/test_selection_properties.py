"""Whatever the URL holds, `parse_query` returns a valid selection and short, inert French notices."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.selection import URL_PARAMS, Selection, Vocabulary, parse_query, to_query, zone_choices

VOCAB = Vocabulary(
    editions=(date(2019, 11, 1), date(2020, 11, 1), date(2021, 11, 1)),
    ministries={"interieur": "Intérieur", "armees": "Armées", "justice": "Justice"},
    zones=zone_choices(["Santé", "Sécurité", "Justice et état civil"]),
    projects={"franceconnect": "FranceConnect", "pnr": "PNR"},
)

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
)
SETTINGS = settings(max_examples=200, deadline=None)

values = st.one_of(
    st.text(max_size=300),
    st.sampled_from(HOSTILE + VALID),
    st.floats(min_value=0, max_value=1000).map(repr),  # thresholds with many decimals
    st.text(alphabet=' a\u00a0«»"', min_size=190, max_size=260),  # queries cut around 200 characters
)
keys = st.one_of(st.sampled_from(sorted(URL_PARAMS)), st.text(max_size=20))
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
    return selection.model_copy(
        update={"edition": selection.resolved_edition(VOCAB), "compare": selection.resolved_compare(VOCAB)}
    )


def check_result(selection: object, notices: object) -> None:
    assert isinstance(selection, Selection)
    Selection.model_validate(selection.model_dump())
    assert isinstance(notices, list)
    for notice in notices:
        assert isinstance(notice, str)
        assert len(notice) < RAW_LIMIT
        assert len(unescaped(notice)) < RENDERED_LIMIT
        assert not set(unescaped(notice)) & set(MARKDOWN_ACTIVE), notice
        assert all(ch.isprintable() or ch in "\u00a0\u202f" for ch in notice), notice


@SETTINGS
@given(url_params)
def test_parse_never_raises_and_notices_are_short_and_inert(params: dict[str, list[str]]):
    check_result(*parse_query(params, VOCAB))


@SETTINGS
@given(st.sampled_from(sorted(URL_PARAMS)), st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3))
def test_hostile_values_on_every_key(key: str, raw: list[str]):
    check_result(*parse_query({key: raw}, VOCAB))


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(sorted(URL_PARAMS)), st.sampled_from(HOSTILE + VALID + ("x" * 1000,)))
def test_ten_thousand_values(key: str, value: str):
    for params in ({key: [value] * 10_000}, {key: [",".join([value] * 10_000)]}):
        check_result(*parse_query(params, VOCAB))


@SETTINGS
@given(url_params)
def test_written_url_reads_back_identically(params: dict[str, list[str]]):
    selection, _ = parse_query(params, VOCAB)
    query = to_query(selection, VOCAB)
    again, notices = parse_query(query, VOCAB)
    assert notices == []
    assert normalised(again) == normalised(selection)
    assert to_query(again, VOCAB) == query
    assert parse_query(to_query(again, VOCAB), VOCAB) == (again, [])


@SETTINGS
@given(url_params)
def test_permalink_reads_back_with_the_editions_pinned(params: dict[str, list[str]]):
    selection, _ = parse_query(params, VOCAB)
    again, notices = parse_query(to_query(selection, VOCAB, explicit_edition=True), VOCAB)
    assert notices == []
    assert again.edition == selection.resolved_edition(VOCAB)
    assert normalised(again) == normalised(selection)
