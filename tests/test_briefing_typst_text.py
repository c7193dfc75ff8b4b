"""Data strings reach typst as string literals: typst reads back exactly the text, never markup or code."""

from __future__ import annotations

import json

import pytest
import typst
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.briefing.typst_text import printable_text, to_typst, typst_string

HOSTILE = [
    "",
    '"',
    "\\",
    '\\"',
    '"); #panic("injecté") //',
    "#set page(fill: red)",
    "] #text(fill: red)[rouge] [",
    "$ x^2 $ et *gras* et _italique_ et `code`",
    "<etiquette> @ref = Titre\n- puce\n+ numéro\n1. liste",
    "/* commentaire non fermé",
    "// commentaire de fin de ligne",
    "\\u{41} n'est pas une lettre A",
    "~ non-breaking ~ -- --- ...",
    "https://exemple.gouv.fr/?a=1&b=« 2 »",
    "« guillemets » et 'apostrophes' \u2019",
    "Espaces\u00a0insécables\u202fétroites",
    "tab\tnouvelle\nligne\rretour",
    "\x00\x1b[31mcontrôle",
    "é\u0301 combinant, 😀 emoji, 中文, العربية",
]


def _typst_value(literal: str) -> object:
    return json.loads(typst.eval(b"", literal, format="json"))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_read_back_unchanged(text: str) -> None:
    assert _typst_value(typst_string(text)) == text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_text_reads_back_unchanged(text: str) -> None:
    assert _typst_value(typst_string(text)) == text


def test_lone_surrogate_becomes_replacement_character() -> None:
    assert _typst_value(typst_string("a\ud800b")) == "a\ufffdb"


def test_literal_stays_one_line_and_readable() -> None:
    literal = typst_string("ligne 1\nligne 2\u202e")
    assert "\n" not in literal
    assert literal == '"ligne 1\\nligne 2\\u{202e}"'


def test_printable_text_drops_controls_and_bidi_overrides() -> None:
    assert printable_text("1\u202e234\u202c M€") == "1234 M€"
    assert printable_text("a\x00b\x1bc") == "abc"
    assert printable_text("a\nb\tc") == "a b c"
    assert printable_text("9\u202f000\u00a0€ é\u0301") == "9\u202f000\u00a0€ é\u0301"
    assert printable_text("x\udfffy") == "x\ufffdy"


def test_to_typst_nested_values() -> None:
    value = {"a": [1, (2,), {}, None, True, 1.5, "x"], "clé avec espace": {"n": -3}}
    assert _typst_value(to_typst(value)) == {"a": [1, [2], {}, None, True, 1.5, "x"], "clé avec espace": {"n": -3}}


def test_one_element_sequence_stays_an_array() -> None:
    assert to_typst(["seul"]) == '("seul", )'
    assert _typst_value(to_typst(["seul"])) == ["seul"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_number_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="non fini"):
        to_typst({"x": value})


def test_unknown_type_is_refused() -> None:
    with pytest.raises(TypeError, match="non transmissible"):
        to_typst(object())
