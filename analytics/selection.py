"""The user's selection: one pydantic model, its URL vocabulary, and how it filters the panorama.

The URL vocabulary is a public contract (documented in the README): links sent by analysts must keep
working when it grows. `URL_PARAMS` is the single declarative table that drives both reading and writing;
values equal to their default are left out of the URL; anything invalid is dropped with a French notice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from analytics.formatting import escape_markdown, format_pct
from analytics.panorama.schema import COST_BRACKETS, PHASES

MAX_VALUES_PER_PARAM = 200
MAX_QUERY_LENGTH = 200
DEFAULT_DRIFT_THRESHOLD = 0.20
MAX_DRIFT_THRESHOLD_PCT = 1000.0
THRESHOLD_DECIMALS = 2  # percent decimals read from the URL, so that a value survives a round trip


def slugify(text: str) -> str:
    """ASCII, lowercase, dash-separated: stable URL values for French labels."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


PHASE_SLUGS: dict[str, str] = {slugify(p): p for p in PHASES}
BRACKET_SLUGS: dict[str, str] = {
    "moins-9": COST_BRACKETS[0],
    "9-20": COST_BRACKETS[1],
    "20-100": COST_BRACKETS[2],
    "plus-100": COST_BRACKETS[3],
}


class Vocabulary(BaseModel):
    """What a URL may name, taken from the loaded data (so a stale link is detected, not trusted)."""

    model_config = ConfigDict(frozen=True)

    editions: tuple[date, ...]  # ascending
    ministries: Mapping[str, str]  # ministry_id -> short label
    zones: Mapping[str, str]  # zone slug -> zone name (see `zone_choices`)
    projects: Mapping[str, str]  # project_id -> latest name

    @property
    def latest(self) -> date | None:
        return self.editions[-1] if self.editions else None

    def previous(self, edition: date | None) -> date | None:
        """Edition before `edition`, the default comparison."""
        earlier = [e for e in self.editions if edition is not None and e < edition]
        return earlier[-1] if earlier else None


class Selection(BaseModel):
    """What the user selected; the single source of truth for every page."""

    model_config = ConfigDict(frozen=True)

    edition: date | None = None  # None: latest edition
    compare: date | None = None  # None: the edition before `edition`
    ministries: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    brackets: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()  # zone names as published
    interministerial_only: bool = False
    query: str = ""
    drift_threshold: float = Field(default=DEFAULT_DRIFT_THRESHOLD, ge=0, le=MAX_DRIFT_THRESHOLD_PCT / 100)
    meeting_mode: bool = False
    project: str | None = None

    def resolved_edition(self, vocab: Vocabulary) -> date | None:
        return self.edition or vocab.latest

    def resolved_compare(self, vocab: Vocabulary) -> date | None:
        return self.compare or vocab.previous(self.resolved_edition(vocab))


def format_edition(edition: date) -> str:
    return edition.strftime("%Y-%m")


def _parse_edition(raw: str, vocab: Vocabulary) -> date | None:
    """Looked up among known editions, never built: `0000-01` is no valid date."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw.strip(), flags=re.ASCII)
    if not match:
        return None
    wanted = (int(match[1]), int(match[2]))
    return next((e for e in vocab.editions if (e.year, e.month) == wanted), None)


def _parse_threshold(raw: str) -> float | None:
    try:
        pct = float(raw.strip().replace(",", ".").rstrip("%"))
    except ValueError:
        return None
    if pct != pct or not 0 <= pct <= MAX_DRIFT_THRESHOLD_PCT:  # NaN or out of range
        return None
    return (round(pct, THRESHOLD_DECIMALS) + 0.0) / 100  # + 0.0: no `-0` written back to the URL


def _format_threshold(value: float) -> str:
    return f"{round(value * 100, THRESHOLD_DECIMALS) + 0.0:g}"


def _split_values(values: Iterable[str]) -> list[str]:
    """Repeated keys and comma-separated values are both accepted."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _shorten(text: str, limit: int = 40) -> str:
    """A value echoed in a notice: bounded, printable, inert as Markdown (`st.warning` renders it).

    `-` stays unescaped so that ids and dates read as typed: it is markup only at a line start, and an
    echoed value never starts a line.
    """
    printable = "".join(ch for ch in text if ch.isprintable())
    shortened = printable if len(printable) <= limit else printable[: limit - 1] + "…"
    return escape_markdown(shortened).replace("\\-", "-")


@dataclass(frozen=True)
class ListParam:
    """A multi-valued URL parameter whose values are slugs of a vocabulary."""

    key: str
    field: str
    label_fr: str

    def choices(self, vocab: Vocabulary) -> Mapping[str, str]:
        """URL value -> model value."""
        if self.field == "ministries":
            return {m: m for m in vocab.ministries}
        if self.field == "phases":
            return PHASE_SLUGS
        if self.field == "brackets":
            return BRACKET_SLUGS
        return dict(vocab.zones)


LIST_PARAMS: tuple[ListParam, ...] = (
    ListParam("ministere", "ministries", "ministère"),
    ListParam("phase", "phases", "phase"),
    ListParam("tranche", "brackets", "tranche de coût"),
    ListParam("zone", "zones", "zone fonctionnelle"),
)

# The public URL vocabulary: key -> French description (README and the "Données et méthode" page).
URL_PARAMS: dict[str, str] = {
    "edition": "édition affichée, AAAA-MM (défaut : la plus récente)",
    "comparer": "édition de comparaison, AAAA-MM (défaut : la précédente)",
    "ministere": "identifiant de ministère, répétable (ex. interieur, armees)",
    "phase": "phase : cadrage, conception-realisation, experimentation, deploiement, termine ; répétable",
    "tranche": "tranche de coût : moins-9, 9-20, 20-100, plus-100 ; répétable",
    "zone": "zone fonctionnelle (forme courte sans accents), répétable",
    "inter": "1 : projets interministériels seulement",
    "q": "recherche texte : mots (tous requis) ou « expression exacte » entre guillemets",
    "seuil": "seuil d'alerte de dérive en % (défaut 20)",
    "mode": "reunion : mode réunion (grands chiffres, barre latérale repliée)",
    "projet": "identifiant du projet ouvert dans la fiche projet",
}


def parse_query(params: Mapping[str, list[str]], vocab: Vocabulary) -> tuple[Selection, list[str]]:
    """Read a selection from URL parameters; keep what is valid, say in French what was ignored."""
    notices: list[str] = []
    values: dict[str, object] = {}

    def first(key: str) -> str | None:
        raw = params.get(key) or []
        if len(raw) > 1:
            notices.append(f"Paramètre « {key} » répété : seule la première valeur est prise en compte.")
        return raw[0] if raw else None

    for key, field in (("edition", "edition"), ("comparer", "compare")):
        raw = first(key)
        if raw is None:
            continue
        parsed = _parse_edition(raw, vocab)
        if parsed is None:
            notices.append(
                f"Édition « {_shorten(raw)} » inconnue (paramètre « {key} ») : ignorée, édition par défaut utilisée."
            )
        else:
            values[field] = parsed

    for spec in LIST_PARAMS:
        raw_values = _split_values(params.get(spec.key) or [])
        if len(raw_values) > MAX_VALUES_PER_PARAM:
            notices.append(
                f"Paramètre « {spec.key} » : {len(raw_values)} valeurs, seules les "
                f"{MAX_VALUES_PER_PARAM} premières sont lues."
            )
            raw_values = raw_values[:MAX_VALUES_PER_PARAM]
        choices = spec.choices(vocab)
        kept = tuple(dict.fromkeys(choices[v.lower()] for v in raw_values if v.lower() in choices))
        unknown = [v for v in raw_values if v.lower() not in choices]
        if unknown:
            shown = ", ".join(f"« {_shorten(v)} »" for v in unknown[:5])
            more = f" et {len(unknown) - 5} autre(s)" if len(unknown) > 5 else ""
            notices.append(f"{spec.label_fr.capitalize()} inconnu(e) ignoré(e) : {shown}{more}.")
        if kept:
            values[spec.field] = kept

    raw = first("inter")
    if raw is not None:
        if raw.strip().lower() in {"1", "oui", "true"}:
            values["interministerial_only"] = True
        elif raw.strip().lower() not in {"0", "non", "false", ""}:
            notices.append(f"Paramètre « inter » = « {_shorten(raw)} » non compris (attendu : 1) : ignoré.")

    raw = first("q")
    if raw is not None:
        # No-break spaces (typed inside « » by French keyboards) separate words: they become spaces.
        query = "".join(" " if ch.isspace() else ch for ch in raw if ch.isprintable() or ch.isspace()).strip()
        if len(query) > MAX_QUERY_LENGTH:
            notices.append(f"Recherche tronquée à {MAX_QUERY_LENGTH} caractères.")
            query = query[:MAX_QUERY_LENGTH].rstrip()
        values["query"] = query

    raw = first("seuil")
    if raw is not None:
        threshold = _parse_threshold(raw)
        if threshold is None:
            notices.append(
                f"Seuil d'alerte « {_shorten(raw)} » invalide (attendu : un pourcentage entre 0 et "
                f"{MAX_DRIFT_THRESHOLD_PCT:g}) : seuil par défaut de {format_pct(DEFAULT_DRIFT_THRESHOLD, 0)} utilisé."
            )
        else:
            values["drift_threshold"] = threshold

    raw = first("mode")
    if raw is not None:
        if raw.strip().lower() in {"reunion", "réunion"}:
            values["meeting_mode"] = True
        elif raw.strip().lower() not in {"standard", ""}:
            notices.append(f"Mode « {_shorten(raw)} » inconnu (attendu : reunion) : ignoré.")

    raw = first("projet")
    if raw is not None:
        if raw in vocab.projects:
            values["project"] = raw
        else:
            notices.append(f"Projet « {_shorten(raw)} » introuvable dans les données : fiche non ouverte.")

    return Selection.model_validate(values), notices


def to_query(selection: Selection, vocab: Vocabulary, explicit_edition: bool = False) -> dict[str, list[str]]:
    """URL parameters of a selection, defaults omitted (or the edition pinned for a permanent link)."""
    query: dict[str, list[str]] = {}
    edition = selection.resolved_edition(vocab)
    if edition is not None and (explicit_edition or edition != vocab.latest):
        query["edition"] = [format_edition(edition)]
    compare = selection.compare
    if compare is not None and (explicit_edition or compare != vocab.previous(edition)):
        query["comparer"] = [format_edition(compare)]
    for spec in LIST_PARAMS:
        chosen = getattr(selection, spec.field)
        if chosen:
            to_url = {model_value: url_value for url_value, model_value in spec.choices(vocab).items()}
            query[spec.key] = [to_url.get(value, slugify(value)) for value in chosen]
    if selection.interministerial_only:
        query["inter"] = ["1"]
    if selection.query:
        query["q"] = [selection.query]
    if selection.drift_threshold != DEFAULT_DRIFT_THRESHOLD:
        query["seuil"] = [_format_threshold(selection.drift_threshold)]
    if selection.meeting_mode:
        query["mode"] = ["reunion"]
    if selection.project:
        query["projet"] = [selection.project]
    return query


def _fold(expr: pl.Expr) -> pl.Expr:
    """Lowercase without accents, so that « etat » finds « État »."""
    return expr.str.normalize("NFKD").str.replace_all(r"\p{M}", "").str.to_lowercase()


def _fold_text(text: str) -> str:
    """`_fold` on a Python string: marks dropped, other characters kept, so both sides fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M")).lower()


def search_terms(query: str) -> list[str]:
    """Quoted phrases stay whole; other words are separate terms, all required.

    An unclosed quote is dropped rather than swallowing the words after it.
    """
    phrases = re.findall(r'[«"“]\s*([^»"”]+?)\s*[»"”]', query)
    rest = re.sub(r'[«»"“”]', " ", re.sub(r'[«"“][^»"”]*[»"”]', " ", query))
    folded = [_fold_text(t).strip() for t in [*phrases, *rest.split()]]
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
    folded = _fold(pl.col(_SEARCH_TEXT))
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


def zone_choices(zones: Iterable[str]) -> dict[str, str]:
    """Slug -> zone name, with the same folding as `apply_selection`."""
    return {slugify(z): z for z in sorted(set(zones)) if z and slugify(z)}
