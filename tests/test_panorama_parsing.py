"""Cell parsing on hand-picked values, most of them copied from the published tables."""

from datetime import date

import polars as pl
import pytest

from analytics.panorama.parsing import (
    clean_text,
    funding_programmes,
    parse_boolean,
    parse_decimal,
    parse_month_start,
    parse_phase,
    strip_html,
    withheld_reason,
)

WITHHELD_DINSIC = (
    "Les éléments chiffrés des projets en cours d’appel d’offres ou dont la trajectoire est en cours de "
    "révision ne sont volontairement pas publiés par la DINSIC afin de ne pas interférer avec les "
    "procédures en cours"
)
WITHHELD_DINUM_STRAIGHT = (
    "Les éléments chiffrés des projets en cours d'appel d'offres ou dont la trajectoire est en cours de "
    "révision ne sont volontairement pas publiés par la DINUM afin de ne pas interférer avec les "
    "procédures en cours."
)


def apply(expr_fn, values: list[str | None], **kwargs) -> list:
    return pl.DataFrame({"v": values}, schema={"v": pl.String}).select(expr_fn(pl.col("v"), **kwargs))["v"].to_list()


def test_month_start_accepts_both_published_year_forms_and_accent_variants() -> None:
    values = ["octobre 2014", "octobre 14", "Février 2015", "fevrier 15", "AOÛT 2019", "aout 19", "décembre 10"]
    assert apply(parse_month_start, values) == [
        date(2014, 10, 1),
        date(2014, 10, 1),
        date(2015, 2, 1),
        date(2015, 2, 1),
        date(2019, 8, 1),
        date(2019, 8, 1),
        date(2010, 12, 1),
    ]


def test_month_start_accepts_abbreviations_and_numeric_forms() -> None:
    values = ["sept. 2014", "2014-10", "2014-10-15 00:00:00", "15/10/2014", "10/2014"]
    assert apply(parse_month_start, values) == [date(2014, 9, 1)] + [date(2014, 10, 1)] * 4


def test_month_start_gives_null_for_garbage_and_missing() -> None:
    values = ["brumaire 2014", "octobre", "2014", "13/2014", "NA", "", None, "octobre 214"]
    assert apply(parse_month_start, values) == [None] * len(values)


def test_decimal_accepts_point_comma_and_thousand_blanks() -> None:
    values = ["5.25", "5,25", " 12 ", "1 234,5", "3.75068493150685", "NA", "", None, "abc", "12 M€"]
    assert apply(parse_decimal, values) == [5.25, 5.25, 12.0, 1234.5, 3.75068493150685, *[None] * 5]


def test_boolean_reads_oui_non_and_common_spellings() -> None:
    values = ["Oui", "Non", "oui", "NON", "true", "false", "1", "0", "peut-être", "NA", None]
    assert apply(parse_boolean, values) == [True, False, True, False, True, False, True, False, None, None, None]


def test_phase_normalises_published_labels_and_variants() -> None:
    values = [
        "Cadrage",
        "En cadrage",
        "Conception / Réalisation",
        "Conception/Réalisation",
        "conception / realisation",
        "Expérimentation",
        "DÉPLOIEMENT",
        "Terminé",
        "terminée",
        "NA",
        "",
        WITHHELD_DINSIC,
        "Abandonné",
    ]
    assert apply(parse_phase, values) == [
        "Cadrage",
        "Cadrage",
        "Conception / Réalisation",
        "Conception / Réalisation",
        "Conception / Réalisation",
        "Expérimentation",
        "Déploiement",
        "Terminé",
        "Terminé",
        None,
        None,
        None,
        None,
    ]


def test_withheld_sentence_is_recognised_with_both_apostrophes() -> None:
    values = [WITHHELD_DINSIC, WITHHELD_DINUM_STRAIGHT, "Cadrage", "NA", None]
    assert apply(withheld_reason, values) == [WITHHELD_DINSIC, WITHHELD_DINUM_STRAIGHT, None, None, None]


def test_strip_html_drops_en_savoir_plus_link_and_unescapes_entities() -> None:
    published = (
        "L’usager peut utiliser la même identité numérique auprès de tous les services numériques qu’il "
        'souhaite. (<a href="https://doc.integ01.dev-franceconnect.fr/" target="_blank" '
        'title="en savoir plus">en savoir plus</a>)'
    )
    values = [published, "Coût &lt; 9 M&euro; &amp; d&eacute;lai&#160;court", "a<br/>b", "x < 9 et y > 2", "  "]
    assert apply(strip_html, values) == [
        "L’usager peut utiliser la même identité numérique auprès de tous les services numériques qu’il souhaite.",
        "Coût < 9 M€ & délai court",
        "a\nb",
        "x < 9 et y > 2",
        None,
    ]


def test_clean_text_nulls_missing_tokens() -> None:
    assert apply(clean_text, ["NA", "na", "", "Achats"]) == [None, None, None, "Achats"]


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        (
            '<a href="http://www.performance-publique.budget.gouv.fr/sites/performance_publique/files/'
            'farandole/ressources/2017/pap/pdf/DBGPGMPGM129.pdf#page=39" target="_blank" '
            'title="projet annuel de performance">Coordination du travail gouvernemental (P129)</a>',
            ["P129"],
        ),
        # The link points to the P224 document while the text names P175: the text wins.
        (
            '<a href="http://www.performance-publique.budget.gouv.fr/sites/performance_publique/files/'
            'farandole/ressources/2017/pap/pdf/DBGPGMPGM224.pdf#page=27" target="_blank" '
            'title="projet annuel de performance">Patrimoines (P175)</a>',
            ["P175"],
        ),
        ("Gendarmerie nationale (P152) / Police nationale (P176)", ["P152", "P176"]),
        ("Programmes 156/349/218", ["P156", "P218", "P349"]),
        ("Programme 156", ["P156"]),
        ("Programmes 156 / 349", ["P156", "P349"]),
        ("P310 ; P107 ; P349", ["P107", "P310", "P349"]),
        ("P176 et P216 (à partir de 2020)", ["P176", "P216"]),
        ("218, 156, 349, 302", ["P156", "P218", "P302", "P349"]),
        ("212-0005", ["P212"]),
        ("Soutien de la politique de l'éducation nationale (P214)\r\nEnseignement publique du 2nd degré (141)",
         ["P141", "P214"]),
        (
            "Programme national 216, 303 et 363 – Ministère Intérieur\r\nFonds européens FAMI (jusqu’en "
            "décembre 2020)\r\nProgramme investissement avenir DLNUF\r\nFTAP vague 2\r\nMTFP",
            ["P216", "P303", "P363"],
        ),
        (
            "Police nationale (P176) à 80% / Administration territoriale (P307) à 16,8% / Conduite et "
            "pilotage des politiques de l'intérieur (P216) à 1,6% / Gendarmerie nationale (P152) à 1,6%",
            ["P152", "P176", "P216", "P307"],
        ),
        ('<a href="https://x/pap/pdf/DBGPGMPGM129.pdf">Coordination du travail gouvernemental</a>', ["P129"]),
        ("Budget Cerema avec participation du FTAP", []),
        ("FMESPP", []),
        (None, []),
    ],
)  # fmt: skip
def test_funding_programmes_on_published_cells(cell: str | None, codes: list[str]) -> None:
    assert apply(funding_programmes, [cell]) == [codes]


def test_funding_programmes_falls_back_on_link_column_only_without_code_in_text() -> None:
    frame = pl.DataFrame(
        {
            "f": ["Sécurité civile", "Programme 161", None],
            "link": ["https://x/DBGPGMPGM161.pdf", "https://x/DBGPGMPGM999.pdf", None],
        }
    )
    result = frame.select(funding_programmes(pl.col("f"), pl.col("link")))["f"].to_list()
    assert result == [["P161"], ["P161"], []]


def test_parsers_keep_the_column_name() -> None:
    frame = pl.DataFrame({"a": ["Oui"], "b": ["5,2"], "c": ["mai 19"], "d": ["Cadrage"], "e": ["<b>x</b>"]})
    parsed = frame.select(
        parse_boolean(pl.col("a")),
        parse_decimal(pl.col("b")),
        parse_month_start(pl.col("c")),
        parse_phase(pl.col("d")),
        clean_text(pl.col("e")),
    )
    assert parsed.columns == ["a", "b", "c", "d", "e"]
    assert parsed.row(0) == (True, 5.2, date(2019, 5, 1), "Cadrage", "x")
