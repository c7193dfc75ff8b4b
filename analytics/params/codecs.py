"""How each kind of URL parameter is read and written.

A codec turns the raw strings of one URL key into a model value, or into nothing plus French notices saying
what was ignored and why; and writes a value back as the strings of a canonical URL. Reading never raises.
Values echoed in notices go through `quote`: bounded, printable, inert as Markdown (notices are rendered).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from analytics.formatting import NumberParseError, escape_markdown, format_number, parse_number
from analytics.params.vocabulary import Vocabulary

MAX_VALUES_PER_PARAM = 200
QUOTE_LIMIT = 40

Read = tuple[object | None, list[str]]  # the value (None: nothing usable) and the notices


def quote(raw: str, limit: int = QUOTE_LIMIT) -> str:
    """A received value inside « », as a notice may show it: printable, at most `limit` characters, no Markdown.

    `-` stays unescaped so that ids and dates read as typed: it is markup only at a line start, and an echoed value
    never starts a line.
    """
    printable = "".join(ch for ch in raw if ch.isprintable())
    shortened = printable if len(printable) <= limit else printable[: limit - 1] + "…"
    return f"« {escape_markdown(shortened).replace(chr(92) + '-', '-')} »"


def printable(raw: str) -> str:
    """Control characters (a NUL byte, a tab) removed: they never belong to a value."""
    return "".join(ch for ch in raw if ch.isprintable()).strip()


def plain_number(value: float) -> str:
    """Shortest URL text that reads back to the same float: `9`, `12.5`, `3000000`."""
    value = value + 0.0
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class Codec:
    """Reads the raw values of one key; writes a value back. `repeated`: the key may carry several values."""

    repeated: bool = False

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        raise NotImplementedError

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class EditionCodec(Codec):
    """`AAAA-MM`, looked up among the loaded editions (never built: `0000-01` is no date)."""

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        raw = values[0]
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", printable(raw), flags=re.ASCII)
        wanted = (int(match[1]), int(match[2])) if match else None
        found = next((e for e in vocab.editions if (e.year, e.month) == wanted), None)
        if found is None:
            return None, [
                f"Édition {quote(raw)} inconnue (paramètre {quote(key)}) : ignorée, édition par défaut utilisée."
            ]
        return found, []

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        assert isinstance(value, date)
        return [value.strftime("%Y-%m")]


@dataclass(frozen=True)
class ChoicesCodec(Codec):
    """Several values among a vocabulary (URL value -> model value), repeated or comma-separated, any case."""

    choices: Callable[[Vocabulary], Mapping[str, str]]
    label_fr: str
    repeated: bool = True

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        notices: list[str] = []
        raw_values = [part.strip() for value in values for part in value.split(",") if part.strip()]
        if len(raw_values) > MAX_VALUES_PER_PARAM:
            notices.append(
                f"Paramètre {quote(key)} : {len(raw_values)} valeurs, "
                f"seules les {MAX_VALUES_PER_PARAM} premières sont lues."
            )
            raw_values = raw_values[:MAX_VALUES_PER_PARAM]
        choices = {url.lower(): model for url, model in self.choices(vocab).items()}
        kept = tuple(dict.fromkeys(choices[v.lower()] for v in raw_values if v.lower() in choices))
        unknown = [v for v in raw_values if v.lower() not in choices]
        if unknown:
            shown = ", ".join(quote(v) for v in unknown[:5])
            more = f" et {len(unknown) - 5} autre(s)" if len(unknown) > 5 else ""
            notices.append(f"{self.label_fr.capitalize()} inconnu(e) ignoré(e) : {shown}{more}.")
        return (kept or None), notices

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        to_url = {model: url for url, model in self.choices(vocab).items()}
        return [to_url[v] for v in value if v in to_url]


@dataclass(frozen=True)
class FlagCodec(Codec):
    """`1` for yes; `0`, `non` or empty for no."""

    meaning_fr: str = "1"

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        raw = printable(values[0]).lower()
        if raw in {"1", "oui", "true"}:
            return True, []
        if raw in {"0", "non", "false", ""}:
            return False, []
        return None, [f"Paramètre {quote(key)} = {quote(values[0])} non compris (attendu : 1) : ignoré."]

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        return ["1"] if value else []


@dataclass(frozen=True)
class WordCodec(Codec):
    """One word among fixed URL words (accents and case ignored), each meaning a model value."""

    words: Mapping[str, object]
    aliases: Mapping[str, str] = field(default_factory=dict)
    label_fr: str = "valeur"

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        raw = printable(values[0]).lower()
        word = self.aliases.get(raw, raw)
        if word in self.words:
            return self.words[word], []
        expected = ", ".join(w for w in self.words if w)
        return None, [
            f"Paramètre {quote(key)} : {self.label_fr} {quote(values[0])} inconnu(e) (attendu : {expected}) : ignoré."
        ]

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        word = next(w for w, v in self.words.items() if v == value)
        return [word] if word else []


@dataclass(frozen=True)
class TextCodec(Codec):
    """Free text (the search): printable characters, blanks made plain, bounded."""

    max_length: int = 200

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        # No-break spaces (typed inside « » by French keyboards) separate words: they become spaces.
        text = "".join(" " if ch.isspace() else ch for ch in values[0] if ch.isprintable() or ch.isspace()).strip()
        if len(text) > self.max_length:
            return text[: self.max_length].rstrip(), [f"Recherche tronquée à {self.max_length} caractères."]
        return text, []

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        return [str(value)] if value else []


@dataclass(frozen=True)
class IdCodec(Codec):
    """An identifier that must exist in the loaded data (a project, a framework agreement)."""

    known: Callable[[Vocabulary], Mapping[str, str] | Sequence[str]]
    unknown_fr: str  # "{value}" is replaced by the quoted value

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        raw = printable(values[0])
        if raw and raw in self.known(vocab):
            return raw, []
        return None, [self.unknown_fr.format(key=quote(key), value=quote(values[0]))]

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        return [str(value)]


@dataclass(frozen=True)
class NumberCodec(Codec):
    """A number in the URL (`12.5`; `12,5` and `3 000 000` are read too), in a unit, within bounds.

    `scale` converts the URL unit to the model's (0.01: percent in the URL, fraction in the model). Above `upper`,
    the value is clamped with a notice when `clamp`, else ignored; below `lower` it is ignored.
    """

    lower: float
    upper: float
    unit: str
    lower_open: bool = False
    clamp: bool = True
    scale: float = 1.0
    decimals: int = 4

    def parse(self, raw: str, key: str, notices: list[str]) -> float | None:
        """The URL-unit number in `raw`, bounded, or None with a notice."""
        try:
            value = parse_number(printable(raw), self.unit if self.unit in {"€", "M€", "%"} else None)
        except NumberParseError:
            notices.append(f"Paramètre {quote(key)} : valeur {quote(raw)} illisible, ignorée (nombre attendu).")
            return None
        too_small = value < self.lower or (self.lower_open and value == self.lower)
        if too_small or (value > self.upper and not self.clamp):
            bound = "strictement supérieure à" if self.lower_open else "comprise entre"
            span = (
                f"{self._shown(self.lower)}"
                if self.lower_open
                else f"{self._shown(self.lower)} et {self._shown(self.upper)}"
            )
            notices.append(f"Paramètre {quote(key)} : valeur {quote(raw)} ignorée, elle doit être {bound} {span}.")
            return None
        if value > self.upper:
            notices.append(
                f"Paramètre {quote(key)} : valeur {quote(raw)} ramenée au maximum de {self._shown(self.upper)}."
            )
            return self.upper
        return round(value, self.decimals) + 0.0

    def _shown(self, value: float) -> str:
        return f"{format_number(value, 2, trim=True)}\u00a0{self.unit}".rstrip()

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        notices: list[str] = []
        value = self.parse(values[0], key, notices)
        return (None if value is None else self.to_model(value)), notices

    def to_model(self, url_value: float) -> float:
        return round(url_value * self.scale, self.decimals + 2) + 0.0 if self.scale != 1.0 else url_value

    def to_url(self, model_value: float) -> float:
        return round(model_value / self.scale, self.decimals) + 0.0 if self.scale != 1.0 else model_value

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        assert isinstance(value, int | float) and math.isfinite(value)
        return [plain_number(self.to_url(float(value)))]


@dataclass(frozen=True)
class LevelsCodec(Codec):
    """Several percentages in one value: `10,12.5,30` (URL form) or `10 ; 12,5 ; 30` (French decimals).

    With a `;` the items are separated by it and may use the decimal comma; without one, the comma separates them
    (the URL form links have always used). Sorted, unique, bounded in count; fractions in the model.
    """

    number: NumberCodec
    max_count: int = 10

    def items(self, text: str) -> list[str]:
        separator = ";" if ";" in text else ","
        return [item for item in text.split(separator) if item.strip()]

    def read(self, values: Sequence[str], key: str, vocab: Vocabulary) -> Read:
        notices: list[str] = []
        items = self.items(values[0])
        if len(items) > MAX_VALUES_PER_PARAM:
            notices.append(
                f"Paramètre {quote(key)} : {len(items)} niveaux, seuls les {MAX_VALUES_PER_PARAM} premiers sont lus."
            )
            items = items[:MAX_VALUES_PER_PARAM]
        refused: list[str] = []
        parsed = [self.number.parse(item, key, refused) for item in items]
        if refused:  # the first reason, and how many more: a long list of garbage gives one notice
            more = f" ; {len(refused) - 1} autre(s) niveau(x) ignoré(s)." if len(refused) > 1 else "."
            notices.append(refused[0].removesuffix(".") + more)
        fractions = {self.number.to_model(v) for v in parsed if v is not None}
        if 0.0 in fractions:
            notices.append(f"Paramètre {quote(key)} : niveau inférieur à 0,0001 % ignoré dans {quote(values[0])}.")
        levels = sorted(fractions - {0.0})
        if not levels:
            notices.append(f"Paramètre {quote(key)} : aucun niveau valide dans {quote(values[0])}, niveaux par défaut.")
            return None, notices
        if len(levels) > self.max_count:
            notices.append(
                f"Paramètre {quote(key)} : {len(levels)} niveaux distincts, "
                f"seuls les {self.max_count} plus bas sont retenus."
            )
        return tuple(levels[: self.max_count]), notices

    def write(self, value: object, vocab: Vocabulary) -> list[str]:
        assert isinstance(value, tuple)
        return [",".join(plain_number(self.number.to_url(level)) for level in value)]
