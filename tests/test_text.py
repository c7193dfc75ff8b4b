"""One text rule: the string and expression forms of fold, match key and slug agree, on chosen and random text."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.text import fold, fold_expr, match_key, match_key_expr, slugify, slugify_expr

# Characters French published text is made of, plus the traps: no-break spaces, ligatures, superscripts, marks.
FRENCH_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "M", "N", "P", "S", "Zs"),
        max_codepoint=0x2FFF,
    )
    | st.sampled_from(["\u00a0", "\u202f", "\t", "\n", "’", "œ", "ﬁ", "²", "@", "É", "ç"]),
    max_size=40,
)


@pytest.mark.parametrize(
    ("text", "folded", "key", "slug"),
    [
        ("MCIC²", "mcic2", "mcic2", "mcic2"),
        ("  L’État\u202fnumérique ", "l'etat numerique", "l etat numerique", "l-etat-numerique"),
        ("OPER@", "oper@", "opera", "opera"),
        ("Ressources et Support", "ressources et support", "ressources et support", "ressources-et-support"),
        ("Cœur de métier", "coeur de metier", "coeur de metier", "coeur-de-metier"),
        ("", "", "", ""),
    ],
)
def test_known_keys(text: str, folded: str, key: str, slug: str) -> None:
    assert (fold(text), match_key(text), slugify(text)) == (folded, key, slug)


@settings(max_examples=300, deadline=None)
@given(st.lists(FRENCH_TEXT, min_size=1, max_size=20))
def test_string_and_expression_forms_agree(texts: list[str]) -> None:
    frame = pl.DataFrame({"text": texts}).select(
        fold_expr(pl.col("text")).alias("fold"),
        match_key_expr(pl.col("text")).alias("key"),
        slugify_expr(pl.col("text")).alias("slug"),
    )
    assert frame.get_column("fold").to_list() == [fold(t) for t in texts]
    assert frame.get_column("key").to_list() == [match_key(t) for t in texts]
    assert frame.get_column("slug").to_list() == [slugify(t) for t in texts]
