"""The registry of DINUM's agile framework agreements (data/frameworks.toml): frameworks, their lots, sourced facts.

Every fact names a public source a user can open (a CCAP, a documentation page, a data.gouv.fr dataset, or the
press, labelled as such) and where in it (article, page). A value the documents do not give stays None with the
reason, so that the page says why instead of showing a guess. Figures published elsewhere than in the documents
(the first tender's amounts, the previous framework's spend) are kept apart, each with its source.

The properties at the end of `Framework` (`estimated_amount_eur`, `decp_framework_ids`, `awardees`, ...) keep the
flat view the pages read today; they are derived from the lots, never stored twice.
"""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Generic, Literal, TypeVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DatePrecision = Literal["day", "month", "year", "unknown"]
ExecutionMode = Literal["bons de commande", "marchés subséquents"]
SourceKind = Literal["cahier des charges", "documentation", "jeu de données", "presse"]
ORDERS: ExecutionMode = "bons de commande"
SUBSEQUENT: ExecutionMode = "marchés subséquents"
MINISTRY_IDS: frozenset[str] = frozenset(
    {
        "interieur",
        "armees",
        "economie-finances",
        "premier-ministre",
        "justice",
        "affaires-sociales",
        "education-nationale",
        "transition-ecologique",
        "transformation-fonction-publiques",
        "agriculture",
        "culture",
        "europe-affaires-etrangeres",
        "travail",
        "sports",
    }
)
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """A public document a user can open; `kind` "presse" marks figures reported by journalists."""

    id: str = Field(pattern=SLUG)
    title: str
    publisher: str
    url: str = Field(pattern=r"^https://")
    kind: SourceKind
    published_on: date | None = None  # publication date, or date of the version cited
    date_note: str | None = None


class Fact(_Strict, Generic[T]):
    """One published value, where it is written, or why it is unknown (`value` None needs `why_none`)."""

    value: T | None = None
    source: str  # id of a Source of the same framework
    at: str | None = None  # where in the source: article, page, section
    why_none: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _value_or_reason(self) -> Fact[T]:
        if self.value is None and not self.why_none:
            raise ValueError("valeur absente sans raison (why_none)")
        if self.value is not None and self.why_none:
            raise ValueError("why_none est réservé aux valeurs absentes (utilisez note)")
        return self


class DateFact(Fact[date]):
    """A date known to `precision` (a month is written as its first day); bounds when the date itself is unknown."""

    precision: DatePrecision = "day"
    earliest: date | None = None
    latest: date | None = None


class Holder(_Strict):
    """A holder (titulaire) of a lot: one company or a consortium, members as published."""

    name: str  # as published, used to group spend: "OCTO Technology / Crème de la Crème / Frontier"
    rank: int | None = None  # "1er titulaire", ... (order of the award ranking)
    members: list[str] = Field(default_factory=list)
    lead: str | None = None  # the mandataire, when published
    grouping: str | None = None  # "groupement solidaire", "groupement conjoint"
    until: date | None = None  # last day as a holder, when it left the framework
    note: str | None = None
    siret: str | None = None
    siren: str | None = None

    @property
    def all_names(self) -> list[str]:
        """Every name a DECP holder or a ledger row may carry for this holder: group name, lead, members."""
        return [self.name, *([self.lead] if self.lead else []), *self.members]


class Beneficiary(_Strict):
    """A body allowed to order under the lot; `ministry_id` (the app's ministry classification) may be null."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    siret: str | None = None
    siren: str | None = None
    ministry_id: str | None = None

    @model_validator(mode="after")
    def _known_ministry(self) -> Beneficiary:
        if self.ministry_id is not None and self.ministry_id not in MINISTRY_IDS:
            raise ValueError(f"ministry_id « {self.ministry_id} » inconnu pour « {self.name} »")
        return self


class BeneficiaryList(_Strict):
    """Beneficiaries as a document lists them: named bodies, plus categories described without names."""

    named: list[Beneficiary] = Field(default_factory=list)
    complete: bool  # True when the document says the list is exhaustive
    others: str | None = None  # e.g. "tous les ministères (à part le ministère des affaires étrangères)"


class Term(_Strict):
    """Notification and duration of a lot; `start`/`end` are the widest window the documents allow."""

    notified: DateFact
    firm_months: Fact[int]
    renewals: Fact[int]
    renewal_months: Fact[int]
    max_months: Fact[int]

    @property
    def start(self) -> date | None:
        """Notification date, else its earliest bound."""
        return self.notified.value or self.notified.earliest

    @property
    def end(self) -> date | None:
        """Latest possible end: latest notification + the maximum duration (renewals included)."""
        notified = self.notified.value or self.notified.latest
        if notified is None or self.max_months.value is None:
            return None
        return add_months(notified, self.max_months.value)

    @property
    def firm_end(self) -> date | None:
        """End of the firm period when the notification date is known (renewals not counted)."""
        if self.notified.value is None or self.firm_months.value is None:
            return None
        return add_months(self.notified.value, self.firm_months.value)


class DecpLink(_Strict):
    """The idAccordCadre expected on this lot's subsequent contracts in DECP, and whether anyone checked it."""

    expected_id: str | None = None
    verified: bool = False
    why: str  # French: where the id comes from, or why the lot leaves no DECP trace


class Lot(_Strict):
    id: str = Field(pattern=r"^[0-9A-Z_]+$")  # the lot's number in the documents: 25_BAM_044_AC01, 21_BAM_048
    number: int | None = None  # 1, 2; None for a framework that is not allotted
    title: Fact[str]
    execution: Fact[ExecutionMode]
    max_holders: Fact[int]
    estimate_eur: Fact[float]
    maximum_eur: Fact[float]
    ends_at_maximum: Fact[bool] | None = None
    holders: Fact[list[Holder]]
    beneficiaries: Fact[BeneficiaryList]
    term: Term
    decp: DecpLink

    @property
    def by_orders(self) -> bool:
        """Executed by bons de commande: its spend lives in an orders ledger, never in DECP."""
        return self.execution.value == ORDERS

    @property
    def named_holders(self) -> list[Holder]:
        return self.holders.value or []

    @property
    def named_beneficiaries(self) -> list[Beneficiary]:
        return self.beneficiaries.value.named if self.beneficiaries.value else []

    @property
    def label_fr(self) -> str:
        return f"Lot {self.number} ({self.id})" if self.number is not None else f"Lot unique ({self.id})"


class PublishedFigures(_Strict):
    """Figures published outside the documents (press, statements), kept apart and shown with their source."""

    id: str = Field(pattern=SLUG)
    label: str  # French, e.g. "Premier appel d'offres (presse, août 2025)"
    source: str
    at: str | None = None
    quote: str | None = None  # the sentence the figures come from
    estimate_eur: float | None = None
    maximum_eur: float | None = None
    spent_eur: float | None = None
    period_months: int | None = None
    max_holders: int | None = None
    beneficiary_count: int | None = None
    approximate: bool = False  # "environ": a rounded figure
    note: str | None = None


class Framework(_Strict):
    """One framework agreement: its lots and their sourced facts."""

    id: str = Field(pattern=SLUG)
    consultation: Fact[str]
    official_title: Fact[str]
    buyer: Fact[str]
    lots: list[Lot] = Field(min_length=1)
    published: list[PublishedFigures] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        known = {source.id for source in self.sources}
        cited = {fact.source for fact in _facts(self)} | {figures.source for figures in self.published}
        unknown = sorted(cited - known)
        if unknown:
            raise ValueError(f"« {self.id} » : source(s) citée(s) absente(s) de sources : {unknown}")
        lot_ids = [lot.id for lot in self.lots]
        if len(set(lot_ids)) != len(lot_ids):
            raise ValueError(f"« {self.id} » : identifiants de lot en double : {lot_ids}")
        return self

    def source(self, source_id: str) -> Source:
        return next(source for source in self.sources if source.id == source_id)

    def lot(self, lot_id: str) -> Lot:
        """The lot with this id; a French KeyError lists the known ones."""
        for lot in self.lots:
            if lot.id == lot_id:
                return lot
        raise KeyError(f"lot « {lot_id} » absent de « {self.id} » (connus : {', '.join(lot.id for lot in self.lots)})")

    def figures(self, figures_id: str) -> PublishedFigures | None:
        return next((figures for figures in self.published if figures.id == figures_id), None)

    # -- flat view kept for the current pages and simulations (derived from the lots) --

    @property
    def title(self) -> str:
        return self.official_title.value or self.id

    @property
    def contract_number(self) -> str | None:
        return self.consultation.value

    @property
    def start_date(self) -> date | None:
        starts = [lot.term.start for lot in self.lots if lot.term.start]
        return min(starts) if starts else None

    @property
    def end_date(self) -> date | None:
        ends = [lot.term.end for lot in self.lots if lot.term.end]
        return max(ends) if ends else None

    @property
    def start_precision(self) -> DatePrecision:
        dates = [lot.term.notified for lot in self.lots]
        return "unknown" if any(d.value is None for d in dates) else dates[0].precision

    @property
    def end_precision(self) -> DatePrecision:
        return self.start_precision

    @property
    def dates_note(self) -> str | None:
        notes = {lot.term.notified.why_none or lot.term.notified.note for lot in self.lots} - {None}
        return " ".join(sorted(notes)) or None

    @property
    def duration_months(self) -> int | None:
        months = [lot.term.max_months.value for lot in self.lots if lot.term.max_months.value]
        return max(months) if months else None

    @property
    def estimated_amount_eur(self) -> float | None:
        """Sum of the lots' estimates; None as soon as one lot has none."""
        return _sum_known(lot.estimate_eur.value for lot in self.lots)

    @property
    def maximum_amount_eur(self) -> float | None:
        """Sum of the lots' maximum amounts; None as soon as one lot has none."""
        return _sum_known(lot.maximum_eur.value for lot in self.lots)

    @property
    def max_contractors(self) -> int | None:
        total = _sum_known(lot.max_holders.value for lot in self.lots)
        return int(total) if total is not None else None

    @property
    def spent_eur(self) -> float | None:
        """The published spend (press), when there is one."""
        return next((f.spent_eur for f in self.published if f.spent_eur is not None), None)

    @property
    def spent_note(self) -> str | None:
        figures = next((f for f in self.published if f.spent_eur is not None), None)
        return f"{figures.label} ; source : {self.source(figures.source).title}." if figures else None

    @property
    def beneficiaries(self) -> list[Beneficiary]:
        """Named beneficiaries of all lots, in registry order, without duplicates by name."""
        return _unique_by_name(b for lot in self.lots for b in lot.named_beneficiaries)

    @property
    def beneficiary_count(self) -> int | None:
        """Number of beneficiaries when every lot's list is exhaustive, else None."""
        lists = [lot.beneficiaries.value for lot in self.lots]
        return len(self.beneficiaries) if all(b is not None and b.complete for b in lists) else None

    @property
    def beneficiaries_note(self) -> str | None:
        notes = [f"{lot.label_fr} : {lot.beneficiaries.why_none}" for lot in self.lots if lot.beneficiaries.why_none]
        others = [
            f"{lot.label_fr} : aussi {lot.beneficiaries.value.others}"
            for lot in self.lots
            if lot.beneficiaries.value and lot.beneficiaries.value.others
        ]
        return " ".join([*others, *notes]) or None

    @property
    def awardees(self) -> list[Holder]:
        """Named holders of all lots, in registry order, without duplicates by name."""
        return _unique_by_name(h for lot in self.lots for h in lot.named_holders)

    @property
    def decp_framework_ids(self) -> list[str]:
        """idAccordCadre values expected in DECP (lots executed by marchés subséquents only)."""
        return [lot.decp.expected_id for lot in self.lots if lot.decp.expected_id]

    @property
    def decp_ids_note(self) -> str | None:
        return " ".join(f"{lot.label_fr} : {lot.decp.why}" for lot in self.lots) or None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


Named = TypeVar("Named", Holder, Beneficiary)


def _unique_by_name(items: Iterator[Named]) -> list[Named]:
    seen: dict[str, Named] = {}
    for item in items:
        seen.setdefault(item.name, item)
    return list(seen.values())


def _sum_known(values: Iterator[float | int | None]) -> float | None:
    listed = list(values)
    return None if any(v is None for v in listed) else float(sum(listed))


def _facts(model: BaseModel) -> Iterator[Fact]:
    """Every Fact inside a model, however deeply nested (lots, terms)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Fact):
                yield item
            elif isinstance(item, BaseModel):
                yield from _facts(item)


def facts_of(framework: Framework) -> list[Fact]:
    """Every sourced fact of a framework (framework-level first, then lot by lot)."""
    return list(_facts(framework))


class _Registry(_Strict):
    frameworks: list[Framework] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> _Registry:
        ids = [framework.id for framework in self.frameworks]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"identifiants d'accord-cadre en double : {duplicates}")
        lot_ids = [lot.id for framework in self.frameworks for lot in framework.lots]
        repeated = sorted({i for i in lot_ids if lot_ids.count(i) > 1})
        if repeated:
            raise ValueError(f"identifiants de lot en double : {repeated}")
        return self


class FrameworkRegistryError(ValueError):
    """The registry file cannot be used; the message is French and names the file and the field."""


def _location(loc: tuple[int | str, ...]) -> str:
    return " → ".join(str(part) for part in loc) or "racine"


def load_frameworks(path: Path) -> list[Framework]:
    """Read and validate the registry; raise `FrameworkRegistryError` with a French message on any defect."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FrameworkRegistryError(f"{path.name} : fichier introuvable ({path}).") from exc
    except UnicodeDecodeError as exc:
        raise FrameworkRegistryError(f"{path.name} : le fichier n'est pas encodé en UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkRegistryError(f"{path.name} : TOML invalide ({exc}).") from exc
    try:
        return _Registry.model_validate(raw).frameworks
    except ValidationError as exc:
        details = "; ".join(
            f"champ {_location(error['loc'])} : {error['msg']}" for error in exc.errors(include_url=False)
        )
        raise FrameworkRegistryError(f"{path.name} : registre invalide — {details}") from exc


def framework_by_id(frameworks: list[Framework], framework_id: str) -> Framework:
    """The framework with this id; a French KeyError message lists the known ids."""
    for framework in frameworks:
        if framework.id == framework_id:
            return framework
    known = ", ".join(framework.id for framework in frameworks)
    raise KeyError(f"accord-cadre « {framework_id} » absent du registre (connus : {known})")


def lots_by_id(frameworks: list[Framework]) -> dict[str, tuple[Framework, Lot]]:
    """Every lot of the registry by its id, with its framework."""
    return {lot.id: (framework, lot) for framework in frameworks for lot in framework.lots}


def previous_of(frameworks: list[Framework], framework: Framework) -> Framework | None:
    """The framework before this one in the registry (registry order is chronological), or None."""
    index = next(i for i, f in enumerate(frameworks) if f.id == framework.id)
    return frameworks[index - 1] if index > 0 else None


FACT_LABELS_FR: dict[str, str] = {
    "consultation": "Numéro de consultation",
    "official_title": "Intitulé",
    "buyer": "Acheteur",
    "title": "Intitulé du lot",
    "execution": "Mode d'exécution",
    "max_holders": "Nombre maximum de titulaires",
    "estimate_eur": "Montant estimatif (€ HT)",
    "maximum_eur": "Montant maximum (€ HT)",
    "ends_at_maximum": "Fin du lot à l'atteinte du maximum",
    "holders": "Titulaires",
    "beneficiaries": "Bénéficiaires",
    "notified": "Notification",
    "firm_months": "Durée ferme (mois)",
    "renewals": "Nombre de reconductions",
    "renewal_months": "Durée d'une reconduction (mois)",
    "max_months": "Durée maximale (mois)",
}


def _value_fr(value: object) -> str:
    """A fact's value as the page shows it."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float | int):
        return f"{value:,.0f}".replace(",", "\u202f")
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list):
        return " ; ".join(item.name for item in value)
    if isinstance(value, BeneficiaryList):
        named = f"{len(value.named)} nommé(s) : {' ; '.join(b.name for b in value.named)}"
        return f"{named} ; aussi {value.others}" if value.others else named
    return str(value)


def _named_facts(model: BaseModel) -> Iterator[tuple[str, Fact]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Fact):
            yield name, value
        elif isinstance(value, Term):
            yield from _named_facts(value)


def facts_table(framework: Framework) -> pl.DataFrame:
    """Every fact of a framework with its source, one row each, French labels: what a « Sources » table shows.

    Published figures (press) come last, one row per figure set.
    """
    rows = []
    for lot_label, model in [("Accord-cadre", framework), *((lot.label_fr, lot) for lot in framework.lots)]:
        for name, fact in _named_facts(model):
            source = framework.source(fact.source)
            shown = _value_fr(fact.value) if fact.value is not None else fact.why_none
            label = FACT_LABELS_FR.get(name, name)
            rows.append((lot_label, label, shown, source.title, source.url, fact.at, fact.note))
    for figures in framework.published:
        source = framework.source(figures.source)
        quote = figures.quote or ""
        rows.append(("Accord-cadre", figures.label, quote, source.title, source.url, figures.at, figures.note))
    schema = {c: pl.String() for c in ("lot", "fact", "value", "source", "url", "at", "note")}
    return pl.DataFrame(rows, schema=schema, orient="row")
