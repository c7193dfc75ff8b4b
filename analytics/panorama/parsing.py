"""Cell-level parsing of published panorama tables into typed values.

Published cells are text written by hand in each ministry: French month names with two- or
four-digit years, decimals with a point or a comma, "NA" for unknown, HTML links to the budget
documents and, for projects whose figures are withheld, an explanatory sentence in the phase
column. Everything here is a polars expression so that loading and importing share one set of
rules and run vectorised.
"""

from __future__ import annotations

import html.entities
from functools import cache

import polars as pl

from analytics.panorama.schema import PHASES, PhaseEnum
from analytics.text import fold_expr

# Cell values that mean "no value" in published tables and user files.
MISSING_TOKENS: tuple[str, ...] = ("", "NA", "N/A", "NC", "-")

# Month words after lower-casing and accent stripping, with the usual abbreviations.
_MONTHS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}

# Opening words of the sentence published instead of a phase when figures are withheld.
WITHHELD_PREFIX = "les elements chiffres des projets"
# Folded words published instead of a figure that is withheld (not merely missing: "NA" and empty are missing).
WITHHELD_WORDS: tuple[str, ...] = (
    "en cadrage",
    "cadrage",
    "en cours de cadrage",
    "nc",
    "n.c",
    "non communique",
    "non communiquee",
    "non publie",
    "non publiee",
    "non disponible",
    "nd",
    "n.d",
    "confidentiel",
    "en revision",
    "en cours de revision",
)

# Phase spellings (lower-cased, accents stripped, "en " dropped, spaces around "/" collapsed).
_PHASE_SPELLINGS: dict[str, str] = {
    "cadrage": PHASES[0],
    "conception/realisation": PHASES[1],
    "conception-realisation": PHASES[1],
    "conception et realisation": PHASES[1],
    "conception": PHASES[1],
    "realisation": PHASES[1],
    "experimentation": PHASES[2],
    "deploiement": PHASES[3],
    "termine": PHASES[4],
    "terminee": PHASES[4],
}

# Booleans as written in French open data (panorama tables, DECP `donneesActuelles`), folded.
TRUE_WORDS = ("oui", "o", "true", "vrai", "1", "yes", "y")
FALSE_WORDS = ("non", "n", "false", "faux", "0", "no")


def _keep_name(result: pl.Expr, source: pl.Expr) -> pl.Expr:
    """Name `result` after the column it was parsed from (when/then would name it "literal")."""
    name = source.meta.output_name(raise_if_undetermined=False)
    return result if name is None else result.alias(name)


def _squish(expr: pl.Expr) -> pl.Expr:
    """Collapse runs of blanks (incl. non-breaking spaces) into one space and trim."""
    return expr.str.replace_all(r"[\s\u00a0\u202f]+", " ").str.strip_chars()


def is_missing(expr: pl.Expr) -> pl.Expr:
    """True for null and for the tokens that stand for "no value" ("NA", empty, ...)."""
    return expr.is_null() | _squish(expr).str.to_uppercase().is_in(list(MISSING_TOKENS))


def _present(expr: pl.Expr) -> pl.Expr:
    """The cell squished, or null when it is one of the missing tokens."""
    return pl.when(~is_missing(expr)).then(_squish(expr))


# Number forms accepted, after blanks are removed ("3 000 000", "1 234,5"). A lone comma is a decimal comma (French
# usage, "12,500" is 12.5); a comma or point is a thousands separator only in regular groups of three digits before
# the other separator or alone repeated ("12,500.50", "1.234,5", "1.234.567"). Anything else is refused, never
# guessed: "1,2,3", "12.500,50.1", "NaN", "inf".
_PLAIN_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$"
_COMMA_DECIMAL = r"^[+-]?\d*,\d+$"
_COMMA_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_POINT_THOUSANDS = r"^[+-]?\d{1,3}(?:\.\d{3}){2,}$|^[+-]?\d{1,3}(?:\.\d{3})+,\d+$"


def parse_number(expr: pl.Expr) -> pl.Expr:
    """Finite float from French or English number text; null when the text is not one unambiguous number."""
    text = expr.str.replace_all(r"[\s\u00a0\u202f]", "")
    canonical = (
        pl.when(text.str.contains(_PLAIN_NUMBER))
        .then(text)
        .when(text.str.contains(_COMMA_DECIMAL))
        .then(text.str.replace(",", ".", literal=True))
        .when(text.str.contains(_COMMA_THOUSANDS))
        .then(text.str.replace_all(",", "", literal=True))
        .when(text.str.contains(_POINT_THOUSANDS))
        .then(text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
    )
    number = canonical.cast(pl.Float64, strict=False)
    return _keep_name(pl.when(number.is_finite()).then(number), expr)


def parse_decimal(expr: pl.Expr) -> pl.Expr:
    """Float from "5,25", "5.25", "1 234,5" (see parse_number); null when missing or unreadable."""
    return _keep_name(parse_number(_present(expr)), expr)


def parse_boolean(expr: pl.Expr) -> pl.Expr:
    """Oui/Non (and oui/non, true/false, vrai/faux, 1/0, yes/no), any case or accent; null otherwise."""
    word = fold_expr(expr)
    parsed = pl.when(word.is_in(list(TRUE_WORDS))).then(True).when(word.is_in(list(FALSE_WORDS))).then(False)
    return _keep_name(parsed.cast(pl.Boolean), expr)


def parse_month_start(expr: pl.Expr) -> pl.Expr:
    """First day of the month named by a cell, as pl.Date; null when missing or unreadable.

    Accepted: "octobre 2014", "octobre 14" (two-digit years are 20YY: the panorama only lists
    projects started after 2000), month names with or without accents and in any case, the usual
    abbreviations ("sept.", "févr."), and the numeric forms "2014-10", "2014-10-15" (also with a
    time, as spreadsheet dates are), "15/10/2014" and "10/2014".
    """
    text = fold_expr(expr)
    word = text.str.extract(r"^([a-z]+)\.?\s*\d{2,4}$", 1)
    word_year = text.str.extract(r"^[a-z]+\.?\s*(\d{2}|\d{4})$", 1)
    iso = text.str.extract_groups(r"^(?<y>\d{4})-(?<m>\d{1,2})(?:-\d{1,2})?(?:[ t].*)?$")
    dmy = text.str.extract_groups(r"^(?:\d{1,2}/)?(?<m>\d{1,2})/(?<y>\d{4})$")
    month = pl.coalesce(
        word.replace_strict(_MONTHS, default=None, return_dtype=pl.Int32),
        iso.struct.field("m").cast(pl.Int32, strict=False),
        dmy.struct.field("m").cast(pl.Int32, strict=False),
    )
    year_text = pl.coalesce(word_year, iso.struct.field("y"), dmy.struct.field("y"))
    year = year_text.cast(pl.Int32, strict=False)
    year = pl.when(year_text.str.len_chars() == 2).then(year + 2000).otherwise(year)
    valid = month.is_between(1, 12) & year.is_not_null()
    return _keep_name(pl.when(valid).then(pl.date(year, month, 1)), expr)


def withheld_reason(phase_cell: pl.Expr) -> pl.Expr:
    """The published "figures withheld" sentence when the phase cell holds it, else null.

    Both published wordings match ("… par la DINSIC …" / "… par la DINUM …", typographic or
    straight apostrophes).
    """
    reason = pl.when(fold_expr(phase_cell).str.starts_with(WITHHELD_PREFIX)).then(_squish(phase_cell))
    return _keep_name(reason, phase_cell)


def withheld_figure(cell: pl.Expr) -> pl.Expr:
    """The published text standing for a withheld figure (cost, duration or start), else null.

    Seen in the data.gouv.fr exports: « En cadrage » in the cost and duration of projects in cadrage; « NC »; and
    the withheld-figures sentence of the phase column, which may also sit in a figure column.
    """
    key = fold_expr(cell).str.strip_chars(" .")
    withheld = key.is_in(list(WITHHELD_WORDS)) | key.str.starts_with(WITHHELD_PREFIX)
    return _keep_name(pl.when(withheld).then(_squish(cell)), cell)


def parse_phase(phase_cell: pl.Expr) -> pl.Expr:
    """Canonical phase (schema.PhaseEnum), null for "NA", empty, the withheld sentence or unknown words.

    Accepts the published labels and variants such as "En cadrage", "Conception/Réalisation",
    "DÉPLOIEMENT", "terminée".
    """
    key = (
        fold_expr(phase_cell)
        .str.replace(r"^en ", "")
        .str.replace_all(r"\s*/\s*", "/")
        .str.replace_all(r"\s*-\s*", "-")
        .str.strip_chars(" .")
    )
    phase = key.replace_strict(_PHASE_SPELLINGS, default=None, return_dtype=pl.String).cast(PhaseEnum)
    return _keep_name(phase, phase_cell)


@cache
def _entity_table() -> dict[str, str]:
    """HTML entities of the characters French text uses (Latin-1, Latin Extended-A, general
    punctuation, €, ™), named and numeric (decimal, "&#039;", hex); kept small because the
    replacement automaton is rebuilt for every column it is applied to."""
    points = {*range(0x20, 0x180), *range(0x2000, 0x2070), 0x20AC, 0x2122}
    table = {
        f"&{name}": char
        for name, char in html.entities.html5.items()
        if name.endswith(";") and len(char) == 1 and ord(char) in points
    }
    for point in sorted(points):
        table[f"&#{point};"] = chr(point)
        table[f"&#x{point:x};"] = chr(point)
    table["&#039;"] = "'"
    return table


def unescape_entities(expr: pl.Expr) -> pl.Expr:
    """Replace HTML entities (&amp;, &eacute;, &#39;, &#x2019; ...) by their characters."""
    table = _entity_table()
    return expr.str.replace_many(list(table), list(table.values()), leftmost=True)


def strip_html(expr: pl.Expr) -> pl.Expr:
    """Plain text for display: no tag, no entity, no "(en savoir plus)" link left; null when empty.

    The published descriptions end with "(<a href=…>en savoir plus</a>)": the whole parenthesis
    is dropped since the link target is not kept. Line breaks are kept as "\\n".
    """
    text = (
        expr.str.replace_all(r"(?i)\(?\s*<a\b[^>]*>\s*en savoir plus\s*</a>\s*\)?", "")
        .str.replace_all(r"(?i)<br\s*/?>|</p>", "\n")
        .str.replace_all(r"<!--.*?-->|</?[A-Za-z][^<>]*>", "")
    )
    text = unescape_entities(text).str.replace_all("\r\n?", "\n")
    text = text.str.replace_all(r"[ \t\u00a0]+", " ").str.replace_all(r" ?\n ?", "\n").str.strip_chars()
    return text.replace("", None)


def _null_missing(text: pl.Expr) -> pl.Expr:
    """Null for the missing tokens of already squished text, in any case."""
    variants = {variant for token in MISSING_TOKENS for variant in (token, token.lower(), token.title())}
    return text.replace(sorted(variants), None)


def clean_text(expr: pl.Expr) -> pl.Expr:
    """HTML-free text, null for "NA" and empty cells."""
    return _null_missing(strip_html(expr))


def funding_programmes(cell: pl.Expr, link: pl.Expr | None = None) -> pl.Expr:
    """Budget programme codes ("P" + 3 digits) named by a funding cell, sorted and unique.

    Rule, checked against every distinct value of the ten published editions:
    * tags and entities are blanked first and codes are read from the visible text only, because the
      links point to the mission's budget document, not to the programme: the text
      "Patrimoines (P175)" links to DBGPGMPGM224.pdf, "… (P206) / … (P154)" to
      DBGPGMPGM215.pdf, "Gendarmerie nationale (P152) / Police nationale (P176)" to
      DBGPGMPGM152.pdf;
    * in the text a code is "P129" or "P 129", or a three-digit number in parentheses
      ("Enseignement publique du 2nd degré (141)"), or any three-digit number listed after
      "Programme(s)" / "Programme national" ("Programmes 156/349/218", "Programme national 216,
      303 et 363"), or any three-digit number of a cell that starts with one ("124 / 155",
      "215 et 218", "212-0005" gives P212);
    * only when the text yields no code, codes are read from the link targets (the href of the
      cell, or `link`, a column of URLs): "PGM" + 3 digits, as in DBGPGMPGM129.pdf.
    Percentages ("16,8%"), years ("2020") and named funds ("FTAP", "FMESPP") give no code.
    """
    text = pl.coalesce(cell, pl.lit("")).str.replace_all(r"<[^<>]*>|&#?[A-Za-z0-9]+;", " ")
    listed = text.str.extract_all(r"Programmes?(?:\s+national)?\s+\d{3}\b(?:\s*(?:/|,|\bet\b|\+|;)\s*\d{3}\b)*")
    leading = pl.when(text.str.contains(r"^\s*\d{3}\b")).then(text).otherwise(pl.lit(""))
    digits = pl.concat_list(
        text.str.extract_all(r"\bP\s?\d{3}\b").list.eval(pl.element().str.slice(-3)),
        text.str.extract_all(r"\(\d{3}\)").list.eval(pl.element().str.slice(1, 3)),
        listed.list.join(" ").str.extract_all(r"\b\d{3}\b"),
        leading.str.extract_all(r"\b\d{3}\b"),
    )
    hrefs = pl.coalesce(cell, pl.lit("")).str.extract_all(r"href=\"[^\"]*\"").list.join(" ")
    if link is not None:
        hrefs = pl.concat_str(hrefs, pl.coalesce(link, pl.lit("")), separator=" ")
    from_links = hrefs.str.extract_all(r"PGM\d{3}").list.eval(pl.element().str.slice(-3))
    chosen = pl.when(digits.list.len() > 0).then(digits).otherwise(from_links)
    codes = chosen.list.eval(pl.lit("P") + pl.element()).list.unique().list.sort()
    return _keep_name(codes, cell)


# Columns of a published table once renamed, all read as text (see loading and importing).
RAW_COLUMNS: tuple[str, ...] = (
    "project_name",
    "ministry_name",
    "interministerial",
    "description",
    "start_date",
    "duration_years",
    "phase",
    "cost_meur",
    "functional_zone",
    "funding_programmes",
)


def parse_published_columns(raw: pl.LazyFrame, funding_link: str | None = None) -> pl.LazyFrame:
    """Type the text columns of a published table in place (names in RAW_COLUMNS).

    Names are kept verbatim (stripped of surrounding blanks) because the crosswalks are keyed on
    the published strings; every other text is HTML-free. `funding_link` names an optional column
    of budget-document URLs used when the funding text names no programme.
    """
    link = pl.col(funding_link) if funding_link else None
    # Two steps so that the costly HTML stripping runs once per column.
    return raw.with_columns(
        strip_html(pl.col("description")),
        strip_html(pl.col("functional_zone")),
        strip_html(pl.col("phase")),
    ).with_columns(
        pl.col("project_name").str.strip_chars(),
        pl.col("ministry_name").str.strip_chars(),
        parse_boolean(pl.col("interministerial")),
        _null_missing(pl.col("description")),
        parse_month_start(pl.col("start_date")),
        parse_decimal(pl.col("duration_years")),
        parse_phase(pl.col("phase")),
        parse_decimal(pl.col("cost_meur")),
        _null_missing(pl.col("functional_zone")),
        funding_programmes(pl.col("funding_programmes"), link),
        pl.coalesce(
            withheld_reason(pl.col("phase")),
            withheld_figure(pl.col("cost_meur")),
            withheld_figure(pl.col("duration_years")),
            withheld_figure(pl.col("start_date")),
        ).alias("withheld_reason"),
    )
