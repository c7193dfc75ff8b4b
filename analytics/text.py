"""One rule for comparing and slugging French text, as Python strings and as polars expressions.

Every key the app derives from published text (search, identity matching, URL slugs, header matching) goes
through these functions, so that « MCIC² », « État » or « l’usager » give the same key everywhere. Each string
function has an expression twin; property tests check that both forms agree.

The steps, in order: compatibility decomposition (NFKD: « ² » becomes « 2 », ligatures split), combining marks
dropped (accents), lower case, the ligatures « œ » and « æ » spelt out (« oeuvre » finds « œuvre »), typographic
apostrophes made plain, blanks (no-break spaces included) squished.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_APOSTROPHES = "’‘`´ʼ"
_APOSTROPHE_PATTERN = f"[{_APOSTROPHES}]"
# Unicode White_Space, spelt out: Python's `str.split()` and regex engines disagree on control characters.
_BLANKS_PATTERN = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
_NON_ALNUM_PATTERN = r"[^a-z0-9]+"


def fold(text: str) -> str:
    """Lower case without accents, plain apostrophes, single spaces: « l’État  » -> « l'etat »."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    spelt = stripped.lower().replace("œ", "oe").replace("æ", "ae")
    plain = re.sub(_APOSTROPHE_PATTERN, "'", spelt)
    return re.sub(_BLANKS_PATTERN, " ", plain).strip(" ")


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """`fold` as a polars expression."""
    return (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all("œ", "oe", literal=True)
        .str.replace_all("æ", "ae", literal=True)
        .str.replace_all(_APOSTROPHE_PATTERN, "'")
        .str.replace_all(_BLANKS_PATTERN, " ")
        .str.strip_chars(" ")
    )


def match_key(text: str) -> str:
    """Comparable key of a name: `fold`, « @ » read as « a » (OPER@, MISTR@L), anything but a-z0-9 as one space."""
    ascii_words = re.sub(_NON_ALNUM_PATTERN, " ", fold(text).replace("@", "a"))
    return ascii_words.strip()


def match_key_expr(expr: pl.Expr) -> pl.Expr:
    """`match_key` as a polars expression."""
    return (
        fold_expr(expr)
        .str.replace_all("@", "a", literal=True)
        .str.replace_all(_NON_ALNUM_PATTERN, " ")
        .str.strip_chars(" ")
    )


def slugify(text: str) -> str:
    """ASCII, lower case, dash-separated: stable identifiers and URL values (« MCIC² » -> « mcic2 »)."""
    return match_key(text).replace(" ", "-")


def slugify_expr(expr: pl.Expr) -> pl.Expr:
    """`slugify` as a polars expression."""
    return match_key_expr(expr).str.replace_all(" ", "-", literal=True)
