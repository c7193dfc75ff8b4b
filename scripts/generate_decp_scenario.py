"""Generate the SIMULATED default data of the frameworks page, with the real structure of each lot.

No real subsequent contract nor order of DINUM's agile frameworks is published in the sources we hold, so the app
ships simulated ones, each kind in the format where it really lives (see data/decp/SCENARIO.md):
- lot 2 of 25_BAM_044 (marchés subséquents): subsequent contracts in the DECP 2.0 flat table, idAccordCadre the
  lot's expected id; first ones three months after notification (time to compete the holders), 6 M€ in total;
- lot 1 of 25_BAM_044 and 21_BAM_048 (bons de commande): orders in the ledger format (analytics/decp/orders.py).
  21_BAM_048: 66 M€ exactly over 48 months (published: about 66 M€ in 4 years), notification assumed in September
  2021; lot 1: March 2026 to AS_OF at the 2021 framework's published pace (66 M€ / 48 months), i.e. 11 M€.
Nothing is simulated for a structure that does not exist: no subsequent contract under 21_BAM_048 or lot 1, no
order in the ledger for lot 2. Orders go to holders by round robin (one rotation per beneficiary for 21_BAM_048,
CCAP article 4.2.1; a single one for lot 1, CCAP 25_BAM_044 article 10.4). Sizes are log-normal. All SIRETs are
fake (SIREN bodies start with "000", check digits computed); lot 2's holders are not published, so they are given
invented names marked « (simulé) ».

Usage: uv run python scripts/generate_decp_scenario.py   (same seed → same bytes)
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.decp.frameworks import Lot, framework_by_id, load_frameworks
from analytics.decp.orders import LEDGER_COLUMNS
from analytics.decp.readers import FRAMEWORKS_PATH, ORDERS_SCENARIO_PATH, SCENARIO_PATH
from analytics.decp.siret import fake_siret
from analytics.decp.table_format import TABLE_COLUMNS

SEED = 20_260_301
AS_OF = date(2026, 10, 31)
ABSURD_AMOUNT_EUR = 12_311_111_111.0
# 21_BAM_048: published spend, and the assumed notification (real date unpublished, before 16/02/2022)
TOTAL_2021_EUR = 66_000_000.0
START_2021, MONTHS_2021 = date(2021, 9, 1), 48
PUBLISHED_MONTHLY_PACE_EUR = TOTAL_2021_EUR / MONTHS_2021
LOT1_TOTAL_EUR = round(PUBLISHED_MONTHLY_PACE_EUR * 8, 2)  # March to October 2026 at the 2021 pace: 11 M€
LOT2_TOTAL_EUR = 6_000_000.0
LOT2_FIRST_CONTRACT = date(2026, 6, 1)
LOT2_CONTRACTS = 6
CANCELLED_SHARE = 0.03

LOT2_BUYERS = (
    "Ministère de l'Intérieur",
    "Ministère des Armées",
    "Ministère de la Justice",
    "Ministère de l'Économie et des Finances",
    "Ministère de la Culture",
)
LOT2_HOLDERS = (  # not published: invented names
    ("Titulaire A du lot 2 (simulé)", ()),
    ("Titulaire B du lot 2 (simulé)", ("Membre du groupement B (simulé)",)),
    ("Titulaire C du lot 2 (simulé)", ()),
    ("Titulaire D du lot 2 (simulé)", ("Membre du groupement D (simulé)",)),
    ("Titulaire E du lot 2 (simulé)", ()),
)
LOT1_MINISTRIES = ("Ministère de l'Intérieur", "Ministère de la Culture", "Ministère de la Justice")
OBJECTS = (
    "Équipe produit d'une startup d'État",
    "Développement d'un service numérique",
    "Design et accessibilité d'un service numérique",
    "Déploiement d'un service numérique",
    "Développement d'une API de données publiques",
)
CPV_CODES = ("72000000", "72000000-5", "72212000", "72262000")
QUARTER_WEIGHTS = (1.0, 1.1, 0.7, 1.4)  # summer slower, year-end faster


@dataclass(frozen=True)
class Scenario:
    decp: pl.DataFrame  # DECP 2.0 flat table, text columns
    orders: pl.DataFrame  # ledger, text columns under the template's French headers


class _Ids:
    """Stable fake SIRET per organisation name, in order of first use."""

    def __init__(self) -> None:
        self._by_name: dict[str, str] = {}

    def siret(self, name: str) -> str:
        if name not in self._by_name:
            self._by_name[name] = fake_siret(f"000{len(self._by_name) + 1:05d}", "0001")
        return self._by_name[name]


def _random_day(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end], quarters weighted by QUARTER_WEIGHTS."""
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    weights = [QUARTER_WEIGHTS[(day.month - 1) // 3] for day in days]
    return rng.choices(days, weights=weights, k=1)[0]


def _size(rng: random.Random, median: float, low: float, high: float) -> float:
    return min(max(rng.lognormvariate(math.log(median), 0.9), low), high)


def _calibrate(amounts: list[float], total: float) -> list[float]:
    """Amounts scaled to sum to `total` exactly (cents), the rounding rest on the last one."""
    factor = total / sum(amounts)
    scaled = [round(amount * factor, 2) for amount in amounts]
    scaled[-1] = round(scaled[-1] + total - sum(scaled), 2)
    return scaled


def _eur_fr(amount: float) -> str:
    """« 245 000,00 »: the way a French spreadsheet exports an amount."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def _orders(
    rng: random.Random, lot: Lot, beneficiaries: list[str], period: tuple[date, date], total: float, rotation: str
) -> list[dict]:
    """Orders of one lot whose counted ones sum to `total`, holders by round robin (`rotation`: "beneficiary" for
    one per beneficiary, else a single one), plus CANCELLED_SHARE more orders cancelled (not counted)."""
    counted = round(total / 190_000)
    cancelled = round(counted * CANCELLED_SHARE)
    days = sorted(_random_day(rng, *period) for _ in range(counted + cancelled))
    is_cancelled = set(rng.sample(range(len(days)), cancelled))
    sizes = [_size(rng, 150_000, 20_000, 1_500_000) for _ in days]
    amounts = iter(_calibrate([s for i, s in enumerate(sizes) if i not in is_cancelled], total))
    code = lot.id.rsplit("_", 1)[-1] if lot.number else lot.id.replace("_", "")
    turn: dict[str, int] = {}
    orders = []
    for number, day in enumerate(days, start=1):
        beneficiary = rng.choice(beneficiaries)
        key = beneficiary if rotation == "beneficiary" else ""
        available = [h for h in lot.named_holders if h.until is None or day <= h.until]
        holder = available[turn.get(key, 0) % len(available)]
        turn[key] = turn.get(key, 0) + 1
        age = (AS_OF - day).days
        status = "terminé" if age > 240 else ("en cours" if age > 30 else "émis")
        orders.append(
            {
                "day": day,
                "beneficiary": beneficiary,
                "holder": rng.choice([holder.name, holder.members[0]]),
                "lot": lot.id,
                "reference": f"BC-{code}-{number:04d}",
                "amount": round(sizes[number - 1], 2) if number - 1 in is_cancelled else next(amounts),
                "status": "annulé" if number - 1 in is_cancelled else status,
                "object": f"{rng.choice(OBJECTS)} (données simulées)",
            }
        )
    return orders


def _ledger(rows: list[dict]) -> pl.DataFrame:
    headers = [column.header for column in LEDGER_COLUMNS]
    cells = [
        (
            row["day"].strftime("%d/%m/%Y"),
            row["beneficiary"],
            row["holder"],
            row["lot"],
            row["reference"],
            _eur_fr(row["amount"]),
            row["status"],
            row["object"],
        )
        for row in rows
    ]
    return pl.DataFrame(cells, schema={header: pl.String() for header in headers}, orient="row")


def _subsequent_contracts(rng: random.Random, lot: Lot) -> list[dict]:
    """Lot 2's subsequent contracts: notified amounts summing to LOT2_TOTAL_EUR, one modified."""
    days = sorted(_random_day(rng, LOT2_FIRST_CONTRACT, AS_OF) for _ in range(LOT2_CONTRACTS))
    amounts = _calibrate([_size(rng, 900_000, 300_000, 3_000_000) for _ in days], LOT2_TOTAL_EUR)
    contracts = []
    for index, (day, amount) in enumerate(zip(days, amounts, strict=True)):
        name, members = LOT2_HOLDERS[index % len(LOT2_HOLDERS)]
        contracts.append(
            {
                "buyer": rng.choice(LOT2_BUYERS),
                "notified": day,
                "holders": [name, *members],
                "initial": amount,
                "current": amount,
                "modified_on": None,
                "framework_id": lot.decp.expected_id,
                "duration": str(rng.choice((24, 36, 48))),
                "object": f"{rng.choice(OBJECTS)} (données simulées)",
                "cpv": rng.choice(CPV_CODES),
            }
        )
    modified = contracts[0]
    modified["initial"] = round(modified["current"] / 1.2, 2)
    modified["modified_on"] = modified["notified"] + timedelta(days=60)
    return contracts


def _decp_rows(contracts: list[dict], ids: _Ids) -> list[dict[str, str]]:
    rows = []
    for number, contract in enumerate(contracts, start=1):
        buyer_siret = ids.siret(contract["buyer"])
        base = f"{contract['notified'].year}MS{number:06d}"
        states = [("00", contract["notified"], contract["initial"], "", "non" if contract["modified_on"] else "oui")]
        if contract["modified_on"]:
            states.append(
                ("01", contract["modified_on"], contract["current"], "Augmentation du montant (simulé)", "oui")
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
                        "objet": contract["object"],
                        "codeCPV": contract["cpv"],
                        "procedure": "Marché subséquent d'accord-cadre",
                        "ccag": "Prestations intellectuelles",
                        "offresRecues": str(len(LOT2_HOLDERS)),
                        "typeGroupementOperateurs": grouping,
                        "idAccordCadre": contract["framework_id"],
                        "lieuExecution_code": "75056",
                        "lieuExecution_typeCode": "Code commune",
                        "lieuExecution_nom": "Paris",
                        "dureeMois": contract["duration"],
                        "dateNotification": notified.isoformat(),
                        "datePublicationDonnees": (notified + timedelta(days=7)).isoformat(),
                        "montant": f"{amount:.2f}",
                        "formePrix": "Unitaire",
                        "titulaire_id": ids.siret(holder),
                        "titulaire_typeIdentifiant": "SIRET",
                        "titulaire_denominationSociale": holder,
                        "objetModification": change,
                        "source": "simulation",
                        "donneesActuelles": current,
                    }
                )
    return rows


def _decp(rng: random.Random, lot: Lot) -> pl.DataFrame:
    """Lot 2's contracts, plus quality signals: an absurd amount, two contracts without idAccordCadre, two
    corrupted holder SIRETs."""
    ids = _Ids()
    contracts = _subsequent_contracts(rng, lot)
    absurd = contracts[-1] | {"initial": ABSURD_AMOUNT_EUR, "current": ABSURD_AMOUNT_EUR, "modified_on": None}
    without_id = [contracts[i] | {"framework_id": ""} for i in (1, 2)]
    rows = _decp_rows([*contracts, absurd, *without_id], ids)
    for index in rng.sample(range(len(rows)), 2):
        siret = rows[index]["titulaire_id"]
        rows[index]["titulaire_id"] = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    table = pl.DataFrame(rows, schema={column: pl.String() for column in TABLE_COLUMNS if column in rows[0]})
    return table.with_columns(pl.lit("", dtype=pl.String).alias(c) for c in TABLE_COLUMNS if c not in rows[0]).select(
        TABLE_COLUMNS
    )


def generate(seed: int = SEED) -> Scenario:
    rng = random.Random(seed)
    frameworks = load_frameworks(FRAMEWORKS_PATH)
    beta, impact = framework_by_id(frameworks, "agile-2021-beta"), framework_by_id(frameworks, "agile-2026-impact")
    beta_lot, lot1, lot2 = beta.lots[0], impact.lot("25_BAM_044_AC01"), impact.lot("25_BAM_044_AC02")
    period_2021 = (START_2021, date(2025, 8, 31))
    names_2021 = [b.name for b in beta_lot.named_beneficiaries]
    orders_2021 = _orders(rng, beta_lot, names_2021, period_2021, TOTAL_2021_EUR, rotation="beneficiary")
    names_lot1 = [b.name for b in lot1.named_beneficiaries] + list(LOT1_MINISTRIES)
    orders_lot1 = _orders(rng, lot1, names_lot1, (lot1.term.start, AS_OF), LOT1_TOTAL_EUR, rotation="single")
    return Scenario(decp=_decp(rng, lot2), orders=_ledger([*orders_2021, *orders_lot1]))


def ledger_bytes(orders: pl.DataFrame) -> bytes:
    """The ledger as a French spreadsheet exports it: UTF-8 with BOM, `;`-separated."""
    return b"\xef\xbb\xbf" + orders.write_csv(separator=";").encode("utf-8")


def write(scenario: Scenario, decp_path: Path, orders_path: Path) -> None:
    decp_path.parent.mkdir(parents=True, exist_ok=True)
    scenario.decp.write_csv(decp_path)
    orders_path.write_bytes(ledger_bytes(scenario.orders))


def main() -> None:
    write(generate(), SCENARIO_PATH, ORDERS_SCENARIO_PATH)
    print(f"Scénario simulé écrit : {SCENARIO_PATH}, {ORDERS_SCENARIO_PATH}")


if __name__ == "__main__":
    main()
