"""Generate the SIMULATED default DECP scenario (flat table 2.0) for the DINUM agile frameworks.

No real subsequent contract of these frameworks was found in the DECP sources we hold, so the app ships
simulated ones, calibrated on published facts only:
- framework 2021 (21BAM048): contracts notified 2021–2024 whose current amounts carrying the framework id sum
  to exactly 66 M€ (published: about 66 M€ in 4 years), a few without the id, one absurd amount;
- framework 2026 (lot 1 notified March 2026): March to AS_OF, 16 M€ in total, i.e. about half the average
  monthly pace implied by its 195 M€ estimate over 48 months (a slow start, an assumption).
Contract sizes are log-normal (median ~250 k€), clipped to 50 k€–4 M€. All SIRETs are fake: SIREN bodies
start with "000" and check digits are computed, so they pass Luhn but are not real companies' or
administrations' numbers; three are deliberately corrupted to exercise the quality report.

Usage: uv run python scripts/generate_decp_scenario.py [output.csv]   (same seed → same bytes)
"""

from __future__ import annotations

import math
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.decp.frameworks import Framework, framework_by_id, load_frameworks
from analytics.decp.siret import fake_siret
from analytics.decp.table_format import TABLE_COLUMNS

SEED = 20_211_048
AS_OF = date(2026, 10, 31)
ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "data" / "decp" / "scenario_marches_subsequents.csv"
TOTAL_2021_EUR = 66_000_000.0
TOTAL_2026_EUR = 16_000_000.0
ABSURD_AMOUNT_EUR = 12_311_111_111.0
BENEXT_MERGED = date(2022, 4, 1)  # Benext merged into OCTO (registry fact)

MINISTRY_BUYERS = (
    "Services du Premier ministre",
    "Ministère de l'Intérieur",
    "Ministère des Armées",
    "Ministère de la Justice",
    "Ministère de la Culture",
    "Ministère du Travail",
    "Ministère de l'Économie et des Finances",
    "Ministère de la Transition écologique",
    "Ministère de l'Agriculture",
    "Ministère de l'Éducation nationale",
    "Ministère de l'Europe et des Affaires étrangères",
)
OBJECTS = (
    "Conception et développement d'une démarche en ligne",
    "Équipe produit pour un service public numérique",
    "Refonte d'un outil métier en mode agile",
    "Développement d'une API de données publiques",
    "Accompagnement design et accessibilité d'un service numérique",
    "Maintien en conditions opérationnelles d'un service numérique",
)
CPV_CODES = ("72000000", "72000000-5", "72212000", "72262000", "72413000")
# Relative weight of each calendar quarter (Q1..Q4): summer slower, year-end faster.
QUARTER_WEIGHTS = (1.0, 1.1, 0.7, 1.4)


class _Ids:
    """Stable fake SIRET per organisation name, in order of first use."""

    def __init__(self) -> None:
        self._by_name: dict[str, str] = {}

    def siret(self, name: str) -> str:
        if name not in self._by_name:
            number = len(self._by_name) + 1
            self._by_name[name] = fake_siret(f"000{number:05d}", "0001")
        return self._by_name[name]


def _random_day(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end], quarters weighted by QUARTER_WEIGHTS."""
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    weights = [QUARTER_WEIGHTS[(day.month - 1) // 3] for day in days]
    return rng.choices(days, weights=weights, k=1)[0]


def _size(rng: random.Random) -> float:
    return min(max(rng.lognormvariate(math.log(250_000), 1.0), 50_000.0), 4_000_000.0)


def _contracts(
    rng: random.Random, framework: Framework, buyers: tuple[str, ...], start: date, end: date, count: int
) -> list[dict]:
    awardees = framework.awardees
    contracts = []
    for _ in range(count):
        notified = _random_day(rng, start, end)
        candidates = [a for a in awardees if not (a.name == "Benext" and notified >= BENEXT_MERGED)]
        awardee = rng.choice(candidates)
        holders = [awardee.lead]
        if awardee.members and rng.random() < 0.35:
            holders.append(rng.choice(awardee.members))
        amount = _size(rng)
        modified = rng.random() < 0.15
        contracts.append(
            {
                "buyer": rng.choice(buyers),
                "notified": notified,
                "holders": holders,
                "initial": amount,
                "current": amount * (1 + rng.uniform(0.1, 0.4)) if modified else amount,
                "modified_on": notified + timedelta(days=rng.randint(60, 300)) if modified else None,
                "object": rng.choice(OBJECTS),
                "cpv": rng.choice(CPV_CODES),
                "duration": "NC" if rng.random() < 0.05 else str(rng.choice((6, 12, 18, 24, 36))),
                "framework_id": framework.decp_framework_ids[0] if framework.decp_framework_ids else "",
                "offers": str(rng.randint(1, 4)),
            }
        )
    return contracts


def _calibrate(contracts: list[dict], total: float) -> None:
    """Scale amounts so that current amounts sum to `total` (cents rounded)."""
    factor = total / sum(c["current"] for c in contracts)
    for contract in contracts:
        contract["initial"] = round(contract["initial"] * factor, 2)
        contract["current"] = round(contract["current"] * factor, 2)
    contracts[-1]["current"] = round(contracts[-1]["current"] + total - sum(c["current"] for c in contracts), 2)


def _rows(contracts: list[dict], ids: _Ids, first_number: int) -> list[dict[str, str]]:
    rows = []
    for number, contract in enumerate(sorted(contracts, key=lambda c: c["notified"]), start=first_number):
        buyer_siret = ids.siret(contract["buyer"])
        base = f"{contract['notified'].year}{number:08d}"
        states = [("00", contract["notified"], contract["initial"], "", "non" if contract["modified_on"] else "oui")]
        if contract["modified_on"]:
            states.append(
                (
                    "01",
                    contract["modified_on"],
                    contract["current"],
                    "Augmentation du montant (simulé)",
                    "oui",
                )
            )
        grouping = "Pas de groupement" if len(contract["holders"]) == 1 else "Conjoint"
        for suffix, notified, amount, change, current in states:
            for holder in contract["holders"]:
                rows.append(
                    {
                        "id": base + suffix,
                        "uid": buyer_siret + base + suffix,
                        "acheteur_id": buyer_siret,
                        "acheteur_nom": contract["buyer"],
                        "nature": "Marché subséquent",
                        "objet": f"{contract['object']} (données simulées)",
                        "codeCPV": contract["cpv"],
                        "procedure": "Appel d'offres ouvert",
                        "attributionAvance": "non",
                        "tauxAvance": "0",
                        "ccag": "Techniques de l'information et de la communication",
                        "marcheInnovant": "non",
                        "offresRecues": contract["offers"],
                        "sousTraitanceDeclaree": "non",
                        "typeGroupementOperateurs": grouping,
                        "idAccordCadre": contract["framework_id"],
                        "lieuExecution_code": "75056",
                        "lieuExecution_typeCode": "Code commune",
                        "lieuExecution_nom": "Paris",
                        "dureeMois": contract["duration"],
                        "dateNotification": notified.isoformat(),
                        "datePublicationDonnees": (notified + timedelta(days=7)).isoformat(),
                        "montant": f"{amount:.2f}",
                        "formePrix": "Ferme",
                        "titulaire_id": ids.siret(holder),
                        "titulaire_typeIdentifiant": "SIRET",
                        "titulaire_denominationSociale": holder,
                        "objetModification": change,
                        "source": "simulation",
                        "donneesActuelles": current,
                    }
                )
    return rows


def _corrupt_siret(siret: str) -> str:
    return siret[:-1] + str((int(siret[-1]) + 1) % 10)


def generate(seed: int = SEED) -> pl.DataFrame:
    """The whole scenario as a text table with the 33 columns of the DECP 2.0 flat schema."""
    rng = random.Random(seed)
    frameworks = load_frameworks(ROOT / "data" / "frameworks.toml")
    beta = framework_by_id(frameworks, "agile-2021-beta")
    impact = framework_by_id(frameworks, "agile-2026-impact")
    ids = _Ids()

    beta_contracts = _contracts(rng, beta, MINISTRY_BUYERS, date(2021, 3, 1), date(2024, 12, 31), 190)
    _calibrate(beta_contracts, TOTAL_2021_EUR)
    absurd = beta_contracts[rng.randrange(len(beta_contracts))] | {"initial": ABSURD_AMOUNT_EUR}
    absurd["current"] = ABSURD_AMOUNT_EUR
    absurd["modified_on"] = None
    without_id = _contracts(rng, beta, MINISTRY_BUYERS, date(2021, 3, 1), date(2024, 12, 31), 3)
    for contract in without_id:
        contract["framework_id"] = ""
    impact_buyers = tuple(b.name for b in impact.beneficiaries)
    impact_contracts = _contracts(rng, impact, impact_buyers, impact.start_date, AS_OF, 28)
    _calibrate(impact_contracts, TOTAL_2026_EUR)

    rows = _rows([*beta_contracts, absurd, *without_id], ids, 1) + _rows(impact_contracts, ids, 5001)
    for index in rng.sample(range(len(rows)), 3):
        rows[index]["titulaire_id"] = _corrupt_siret(rows[index]["titulaire_id"])
    table = pl.DataFrame(rows, schema={column: pl.String() for column in TABLE_COLUMNS if column != "anomalies"})
    return table.with_columns(pl.lit("", dtype=pl.String).alias("anomalies")).select(TABLE_COLUMNS)


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    generate().write_csv(output)
    print(f"Scénario simulé écrit : {output}")


if __name__ == "__main__":
    main()
