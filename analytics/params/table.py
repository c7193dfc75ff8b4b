"""The one declared table of URL parameters, shared filters and page parameters alike.

The URL vocabulary is a public contract (README, « Données et méthode »): links sent by analysts must keep working
when it grows, so a parameter's meaning never changes. Each row says which key, which model field, on which page
(`None`: every page), how its values are read and written, and its French documentation. Defaults are the models'
field defaults and are left out of the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.panorama.schema import COST_BRACKETS, PHASES
from analytics.params.codecs import (
    ChoicesCodec,
    Codec,
    EditionCodec,
    FlagCodec,
    IdCodec,
    LevelsCodec,
    NumberCodec,
    TextCodec,
    WordCodec,
)
from analytics.params.pages import PAGE_BY_ID, PARAMS_MODEL, PageId
from analytics.selection import MAX_DRIFT_THRESHOLD_PCT, MAX_QUERY_LENGTH, Selection
from analytics.simulations.drift_alerts import MAX_LEVEL, MAX_LEVEL_COUNT
from analytics.simulations.framework_ceiling import MAX_AMOUNT_EUR
from analytics.simulations.threshold import MAX_AMOUNT_MEUR
from analytics.text import slugify

PHASE_SLUGS: dict[str, str] = {slugify(p): p for p in PHASES}
BRACKET_SLUGS: dict[str, str] = {
    "moins-9": COST_BRACKETS[0],
    "9-20": COST_BRACKETS[1],
    "20-100": COST_BRACKETS[2],
    "plus-100": COST_BRACKETS[3],
}
FRACTION_DECIMALS = 4  # percent decimals kept from a URL, so that a value survives a round trip


@dataclass(frozen=True)
class ParamSpec:
    key: str  # URL key
    field: str  # field of `Selection` (page None) or of the page's parameter model
    page: PageId | None  # None: a shared filter, written on every page
    codec: Codec
    values_fr: str  # what the URL may hold
    default_fr: str  # what applies when the key is absent
    doc_fr: str = ""  # what it means, where the values column does not say it

    @property
    def model(self) -> type:
        return Selection if self.page is None else PARAMS_MODEL[self.page]

    @property
    def default(self) -> object:
        return self.model.model_fields[self.field].default


_PERCENT_LEVEL = NumberCodec(lower=0.0, upper=MAX_LEVEL * 100, unit="%", lower_open=True, scale=0.01)

PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec("edition", "edition", None, EditionCodec(), "édition affichée, `AAAA-MM`", "la plus récente"),
    ParamSpec("comparer", "compare", None, EditionCodec(), "édition de comparaison, `AAAA-MM`", "la précédente"),
    ParamSpec(
        "ministere",
        "ministries",
        None,
        ChoicesCodec(lambda v: {m: m for m in v.ministries}, "ministère"),
        "identifiant de ministère (`interieur`, `armees`, `economie-finances`…), répétable ou séparé par des virgules",
        "tous",
    ),
    ParamSpec(
        "phase",
        "phases",
        None,
        ChoicesCodec(lambda v: PHASE_SLUGS, "phase"),
        "`cadrage`, `conception-realisation`, `experimentation`, `deploiement`, `termine`, répétable",
        "toutes",
    ),
    ParamSpec(
        "tranche",
        "brackets",
        None,
        ChoicesCodec(lambda v: BRACKET_SLUGS, "tranche de coût"),
        "`moins-9`, `9-20`, `20-100`, `plus-100`, répétable",
        "toutes",
    ),
    ParamSpec(
        "zone",
        "zones",
        None,
        ChoicesCodec(lambda v: {**v.zone_aliases, **v.zones}, "zone fonctionnelle"),  # canonical slugs written
        "zone fonctionnelle en forme courte sans accents (`fiscalite`…), répétable",
        "toutes",
    ),
    ParamSpec("inter", "interministerial_only", None, FlagCodec(), "`1` : projets interministériels seulement", "non"),
    ParamSpec(
        "q",
        "query",
        None,
        TextCodec(MAX_QUERY_LENGTH),
        "recherche : mots tous requis, « expression exacte » entre guillemets, sans accents ni majuscules",
        "vide",
    ),
    ParamSpec(
        "seuil",
        "drift_threshold",
        None,
        NumberCodec(lower=0.0, upper=MAX_DRIFT_THRESHOLD_PCT, unit="%", clamp=False, scale=0.01, decimals=2),
        "seuil d'alerte de dérive en %",
        "`20`",
    ),
    ParamSpec(
        "mode",
        "meeting_mode",
        None,
        WordCodec(
            {"reunion": True, "standard": False}, aliases={"réunion": "reunion", "": "standard"}, label_fr="mode"
        ),
        "`reunion` : grands chiffres, barre latérale repliée, sans téléchargements",
        "standard",
    ),
    ParamSpec(
        "indicateur",
        "indicator",
        PageId.OVERVIEW,
        WordCodec(
            {
                "cout": "total_cost_meur",
                "projets": "projects",
                "ecart-budgetaire": "avg_budget_drift",
                "ecart-calendaire": "avg_schedule_drift",
            },
            label_fr="indicateur",
        ),
        "indicateur de la trajectoire : `cout`, `projets`, `ecart-budgetaire`, `ecart-calendaire`",
        "`cout`",
    ),
    ParamSpec(
        "projet",
        "project",
        PageId.PROJECTS,
        IdCodec(
            lambda v: v.projects,
            "Projet {value} introuvable dans les données (paramètre {key}) : fiche non ouverte.",
        ),
        "identifiant du projet ouvert dans la fiche",
        "aucun",
    ),
    ParamSpec(
        "accord",
        "framework_id",
        PageId.CONTRACTS,
        IdCodec(
            lambda v: v.frameworks,
            "Accord-cadre {value} inconnu du registre (paramètre {key}) : l'accord-cadre par défaut est affiché.",
        ),
        "identifiant d'accord-cadre de `data/frameworks.toml` (`agile-2021-beta`, `agile-2026-impact`…)",
        "l'accord-cadre en cours (le plus récent du registre)",
    ),
    ParamSpec(
        "probables",
        "include_probable",
        PageId.CONTRACTS,
        FlagCodec(),
        "`1` : compter aussi les rattachements probables",
        "non",
    ),
    ParamSpec(
        "lot",
        "lot",
        PageId.CONTRACTS,
        IdCodec(
            lambda v: v.framework_lots,
            "Lot {value} inconnu du registre (paramètre {key}) : l'ensemble de l'accord-cadre est affiché.",
        ),
        "lot dont le graphique et le détail sont affichés (`25_BAM_044_AC01`, `25_BAM_044_AC02`, `21_BAM_048`)",
        "l'ensemble de l'accord-cadre",
    ),
    ParamSpec(
        "scenario",
        "section",
        PageId.SIMULATIONS,
        WordCodec({"seuil": "seuil", "alertes": "alertes", "accord": "accord"}, label_fr="onglet"),
        "`seuil`, `alertes`, `accord` (onglet ouvert)",
        "`seuil`",
    ),
    ParamSpec(
        "seuil_revue",
        "threshold_meur",
        PageId.SIMULATIONS,
        NumberCodec(lower=0.0, upper=MAX_AMOUNT_MEUR, unit="M€", lower_open=True),
        "seuil de revue simulé, en M€ (`12.5`)",
        "`9`",
    ),
    ParamSpec(
        "marge",
        "margin_meur",
        PageId.SIMULATIONS,
        NumberCodec(lower=0.0, upper=MAX_AMOUNT_MEUR, unit="M€"),
        "marge de veille au fractionnement, en M€",
        "`1`",
    ),
    ParamSpec(
        "alertes_budget",
        "budget_levels",
        PageId.SIMULATIONS,
        LevelsCodec(_PERCENT_LEVEL, MAX_LEVEL_COUNT),
        "niveaux d'alerte budgétaire en %, séparés par des virgules (`10,12.5,30`)",
        "`10,20,30`",
    ),
    ParamSpec(
        "alertes_calendrier",
        "schedule_levels",
        PageId.SIMULATIONS,
        LevelsCodec(_PERCENT_LEVEL, MAX_LEVEL_COUNT),
        "niveaux d'alerte calendaire en %, séparés par des virgules",
        "`10,20,30`",
    ),
    ParamSpec(
        "plafond",
        "cap",
        PageId.SIMULATIONS,
        NumberCodec(lower=0.0, upper=MAX_LEVEL * 100, unit="%", scale=0.01),
        "dérive budgétaire plafonnée, en %",
        "`10`",
    ),
    ParamSpec(
        "rythme",
        "pace_eur_per_month",
        PageId.SIMULATIONS,
        NumberCodec(lower=0.0, upper=MAX_AMOUNT_EUR, unit="€"),
        "rythme mensuel saisi, en € par mois",
        "rythme observé",
    ),
    ParamSpec(
        "accord",
        "framework_id",
        PageId.SIMULATIONS,
        IdCodec(
            lambda v: v.simulable_frameworks,
            "Accord-cadre {value} absent du registre ou sans montant estimé publié, donc non simulable "
            "(paramètre {key}) : ignoré.",
        ),
        "accord-cadre simulé (seuls ceux dont le montant estimé est publié)",
        "le premier simulable",
    ),
    ParamSpec(
        "glissement",
        "slipping_only",
        PageId.PROJECTS,
        FlagCodec(),
        "`1` : projets en glissement seulement (coût ou date de fin en hausse à au moins deux publications "
        "successives)",
        "non",
    ),
    ParamSpec(
        "de",
        "from_edition",
        PageId.CHANGES,
        EditionCodec(),
        "édition de départ de la comparaison, `AAAA-MM`",
        "la plus ancienne de `edition` et `comparer`",
    ),
    ParamSpec(
        "a",
        "to_edition",
        PageId.CHANGES,
        EditionCodec(),
        "édition d'arrivée de la comparaison, `AAAA-MM`",
        "la plus récente de `edition` et `comparer`",
    ),
)


def specs_for(page: PageId | None) -> tuple[ParamSpec, ...]:
    """The parameters a page reads and writes: the shared filters, then its own."""
    return tuple(spec for spec in PARAMS if spec.page is None or spec.page == page)


def page_of_key(key: str) -> list[str]:
    """Titles of the pages that own `key` (for a notice when a link carries another page's parameter)."""
    return [PAGE_BY_ID[spec.page].title for spec in PARAMS if spec.key == key and spec.page is not None]
