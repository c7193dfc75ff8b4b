"""The registry of DINUM's agile framework agreements (data/frameworks.toml), as validated pydantic models.

Only published facts live in the registry; every fact names its source. Unknown values stay null so that the
UI can say "non publié" instead of showing a guess.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DatePrecision = Literal["day", "month", "year", "unknown"]
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
        "agriculture",
        "culture",
        "europe-affaires-etrangeres",
        "travail",
        "sports",
    }
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a group of facts comes from: a URL or a reference (never a made-up URL)."""

    title: str
    url: str | None = None
    reference: str | None = None
    facts: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _url_or_reference(self) -> Source:
        if self.url is None and self.reference is None:
            raise ValueError(f"la source « {self.title} » n'a ni URL ni référence")
        return self


class Awardee(_Strict):
    """A contractor of the framework: a company alone or a consortium (lead + members)."""

    name: str  # label used to group spend, e.g. "La Zone"
    lead: str
    members: list[str] = Field(default_factory=list)
    siret: str | None = None
    siren: str | None = None
    note: str | None = None

    @property
    def all_names(self) -> list[str]:
        """Every name a DECP holder may carry for this awardee: group name, lead, members."""
        return [self.name, self.lead, *self.members]


class Lot(_Strict):
    id: str
    title: str
    notified: date | None = None
    notified_precision: DatePrecision = "day"
    awardees: list[Awardee] = Field(default_factory=list)


class Beneficiary(_Strict):
    """A body allowed to notify subsequent contracts; `ministry_id` is null for non-ministerial bodies."""

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


class Framework(_Strict):
    """One framework agreement with its published facts; null means "not published in our sources"."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    contract_number: str | None = None
    tender_published: date | None = None
    start_date: date | None = None
    start_precision: DatePrecision = "day"
    end_date: date | None = None
    end_precision: DatePrecision = "day"
    dates_note: str | None = None
    duration_months: int | None = None
    estimated_amount_eur: float | None = None
    maximum_amount_eur: float | None = None
    max_contractors: int | None = None
    spent_eur: float | None = None
    spent_note: str | None = None
    beneficiary_count: int | None = None
    beneficiaries_note: str | None = None
    beneficiaries: list[Beneficiary] = Field(default_factory=list)
    lots: list[Lot] = Field(default_factory=list)
    decp_framework_ids: list[str] = Field(default_factory=list)
    decp_ids_note: str | None = None
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"« {self.id} » : la date de fin précède la date de début")
        fields = set(type(self).model_fields)
        for source in self.sources:
            unknown = sorted(set(source.facts) - fields)
            if unknown:
                raise ValueError(f"« {self.id} » : la source cite des faits inconnus {unknown}")
        return self

    @property
    def awardees(self) -> list[Awardee]:
        """Awardees of all lots, in registry order, without duplicates by group name."""
        seen: dict[str, Awardee] = {}
        for lot in self.lots:
            for awardee in lot.awardees:
                seen.setdefault(awardee.name, awardee)
        return list(seen.values())


class _Registry(_Strict):
    frameworks: list[Framework] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> _Registry:
        ids = [framework.id for framework in self.frameworks]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"identifiants d'accord-cadre en double : {duplicates}")
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
