"""Data into typst source, inert: every string becomes a typst string literal, never markup.

Project names, search queries and uploaded file names end up in the briefing. Typst markup gives meaning
to `# * _ $ @ < > [ ] \\ ~ = - +` and more (some only at a line start), so escaping markup character by
character is fragile. A string literal has only two special characters (`\\` and `"`): the document is
generated as typst *code* whose every text is a literal, and the template shows them with `text()`, so
no data string is ever parsed as markup or code.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime

_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}

# Explicit bidirectional embeddings, overrides and isolates: kept, they can reorder what a reader sees
# (a figure read backwards), so they are dropped from printed text.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def printable_text(text: str) -> str:
    """What may be printed of a data string: control characters and bidi overrides dropped.

    Newlines and tabs read as spaces; lone surrogates (undecodable bytes) become U+FFFD; every other
    character, including no-break spaces and combining marks, is kept.
    """
    kept: list[str] = []
    for char in text:
        if char in "\n\r\t":
            kept.append(" ")
        elif "\ud800" <= char <= "\udfff":
            kept.append("\ufffd")
        elif char not in _BIDI_CONTROLS and unicodedata.category(char) != "Cc":
            kept.append(char)
    return "".join(kept)


def _escape_char(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if "\ud800" <= char <= "\udfff":
        return "\\u{fffd}"
    if char.isprintable():
        return char
    return f"\\u{{{ord(char):x}}}"


def typst_string(text: str) -> str:
    """A typst string literal whose value is `text` (lone surrogates aside, which become U+FFFD).

    Non-printable characters are written as `\\u{...}` escapes so that the source stays readable.
    """
    return '"' + "".join(_escape_char(char) for char in text) + '"'


def _key(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"Clé de dictionnaire typst non textuelle : {name!r}.")
    return typst_string(name)


def to_typst(value: object) -> str:
    """A typst value literal from plain data (None, bool, int, float, str, dates, sequences, mappings).

    Dates become ISO strings (the template formats nothing itself); a non-finite float is refused since
    typst has no literal for it and a silent 0 would be a wrong figure.
    """
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Nombre non fini transmis au gabarit typst : {value!r}.")
        return repr(value)
    if isinstance(value, str):
        return typst_string(value)
    if isinstance(value, datetime | date):
        return typst_string(value.isoformat())
    if isinstance(value, Mapping):
        if not value:
            return "(:)"
        return "(" + ", ".join(f"{_key(k)}: {to_typst(v)}" for k, v in value.items()) + ")"
    if isinstance(value, Sequence):
        # A trailing comma keeps a one-element array an array, not a parenthesised value.
        return "(" + "".join(f"{to_typst(item)}, " for item in value) + ")"
    raise TypeError(f"Valeur non transmissible au gabarit typst : {type(value).__name__}.")
