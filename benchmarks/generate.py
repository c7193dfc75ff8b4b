"""Seeded generator of SIMULATED scale data in our formats: canonical panorama editions and flat DECP tables.

Nothing here is real: names, amounts and identifiers are drawn from fixed seeds so that every run of the
benchmark measures the same data. Sizes: `panorama_frame(n_projects)` gives about `n_projects` projects per
edition over 20 editions; `decp_frame(n_rows)` gives about `n_rows` rows (contract × holder × state).

Run `uv run python -m benchmarks.generate [--quick]` to write the files into `benchmarks/scale-data/`.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from analytics.decp.table_format import TABLE_COLUMNS
from analytics.panorama.schema import PHASES, PROJECT_EDITION_SCHEMA, PhaseEnum, cost_bracket_expr

SCALE_DIR = Path(__file__).resolve().parent / "scale-data"
EDITION_COUNT = 20
BENCHMARK_FRAMEWORK_ID = "agile-2026-impact"  # real registry entry; its lot 2 DECP id below is used for linking
FRAMEWORK_DECP_ID = "25_BAM_044_AC02"
SIMULATED_LABEL = "SIMULÉ"
# The generated DECP file's date (polars_impl.AS_OF): no modification is dated after it, as in a real file, whose
# later-dated modifications the readers flag and do not apply.
DECP_FILE_DATE = date(2025, 6, 30)

_MINISTRIES: tuple[tuple[str, str], ...] = (
    ("interieur", "Intérieur"),
    ("armees", "Armées"),
    ("economie-finances", "Économie et finances"),
    ("premier-ministre", "Premier ministre"),
    ("justice", "Justice"),
    ("affaires-sociales", "Affaires sociales"),
    ("education-nationale", "Éducation nationale"),
    ("transition-ecologique", "Transition écologique"),
    ("agriculture", "Agriculture"),
    ("culture", "Culture"),
    ("europe-affaires-etrangeres", "Europe et affaires étrangères"),
    ("travail", "Travail"),
    ("sports", "Sports"),
)
_MINISTRY_WEIGHTS = np.array([14, 12, 20, 6, 8, 10, 9, 7, 4, 3, 3, 3, 1], dtype=float)
_ZONES: tuple[str, ...] = (
    "Ressources humaines",
    "Finances publiques",
    "Sécurité",
    "Santé",
    "Éducation",
    "Justice",
    "Défense",
    "Environnement",
    "Culture",
    "Travail et emploi",
    "Infrastructures",
    "Relations usagers",
)
_WORDS: tuple[str, ...] = (
    "système",
    "d'information",
    "refonte",
    "plateforme",
    "données",
    "usagers",
    "dématérialisation",
    "paie",
    "état",
    "numérique",
    "réseau",
    "sécurisé",
    "portail",
    "gestion",
    "modernisation",
)
WITHHELD_SENTENCE = "Données non communiquées pour des raisons de sécurité nationale"

# Holders of the framework's subsequent contracts (lot 2's are not published): names of the registry and others.
FRAMEWORK_HOLDERS: tuple[str, ...] = (
    "/UT7",
    "SCOPYLEFT",
    "OCTO TECHNOLOGY",
    "BENEXT",
    "INETUM",
    "MALT",
    "LITTLE BIG CONNECTION",
    "TELESCOOP",
    "ACME CONSEIL",
)
_OTHER_CPV: tuple[str, ...] = ("45000000", "79311000", "90910000", "71000000", "33600000", "30200000", "48000000")


def editions() -> list[date]:
    """Twenty simulated editions, every six months from November 2016."""
    return [date(2016 + (10 + 6 * k) // 12, (10 + 6 * k) % 12 + 1, 1) for k in range(EDITION_COUNT)]


def panorama_frame(n_projects: int, seed: int = 6) -> pl.DataFrame:
    """About `n_projects` projects per edition in PROJECT_EDITION_SCHEMA, with entries, exits and drifts."""
    rng = np.random.default_rng(seed)
    total = int(n_projects * 2.6)
    start = rng.integers(-12, EDITION_COUNT, total)
    length = rng.integers(3, 24, total)
    first, last = np.maximum(start, 0), np.minimum(start + length - 1, EDITION_COUNT - 1)
    keep = last >= first
    ids, first, last, length = np.nonzero(keep)[0], first[keep], last[keep], length[keep]
    counts = last - first + 1
    project = np.repeat(np.arange(ids.size), counts)
    offset = np.arange(project.size) - np.repeat(np.cumsum(counts) - counts, counts)
    k = np.repeat(first, counts) + offset
    gap = (offset > 0) & (rng.random(project.size) < 0.02)  # a project missing from one edition, then back
    project, k, offset = project[~gap], k[~gap], offset[~gap]

    n = ids.size
    ministry = rng.choice(len(_MINISTRIES), n, p=_MINISTRY_WEIGHTS / _MINISTRY_WEIGHTS.sum())
    projects = pl.DataFrame(
        {
            "p": np.arange(n),
            "pid": ids,
            "ministry": ministry,
            "zone": rng.integers(0, len(_ZONES), n),
            "inter": rng.random(n) < 0.1,
            "base_cost": np.round(np.exp(rng.normal(np.log(25), 1.0, n)), 2),
            "base_duration": np.round(rng.uniform(2, 8, n), 1),
            "secret": rng.random(n) < 0.03,
            "renamed": rng.random(n) < 0.05,
            "life": length,
            "start_month": rng.integers(0, 120, n),
            "w1": rng.integers(0, len(_WORDS), n),
            "w2": rng.integers(0, len(_WORDS), n),
            "prog1": rng.integers(100, 400, n),
            "prog2": rng.integers(100, 400, n),
        }
    )
    rows = pl.DataFrame(
        {
            "p": project,
            "k": k,
            "offset": offset,
            "cost_step": np.where(rng.random(project.size) < 0.3, rng.normal(0.04, 0.12, project.size), 0.0),
            "duration_step": np.where(rng.random(project.size) < 0.25, rng.normal(0.05, 0.1, project.size), 0.0),
            "cell_missing": rng.random(project.size) < 0.02,
            "phase_missing": rng.random(project.size) < 0.02,
        }
    )
    edition_frame = pl.DataFrame(
        {
            "k": np.arange(EDITION_COUNT),
            "edition": editions(),
            "cost_definition": ["Coût estimé"] * 3 + ["Coût complet estimé"] * (EDITION_COUNT - 3),
        }
    )
    ministries = pl.DataFrame(
        {"ministry": np.arange(len(_MINISTRIES)), "ministry_id": [m[0] for m in _MINISTRIES]}
    ).with_columns(ministry_label=pl.Series([m[1] for m in _MINISTRIES]))
    words = pl.lit(pl.Series(_WORDS))
    zones = pl.lit(pl.Series(_ZONES))
    cost = pl.col("base_cost") * pl.col("cost_step").cum_sum().over("p", order_by="k").exp()
    duration = pl.col("base_duration") * pl.col("duration_step").cum_sum().over("p", order_by="k").exp()
    hidden = pl.col("secret") | pl.col("cell_missing")
    phase_index = (pl.col("offset") * len(PHASES) // pl.col("life")).clip(0, len(PHASES) - 1)
    frame = (
        rows.join(projects, on="p")
        .join(edition_frame, on="k")
        .join(ministries, on="ministry")
        .with_columns(
            project_id=pl.format("SIM-{}", pl.col("pid").cast(pl.String).str.zfill(6)),
            project_name=pl.format(
                "{} {} {}{}",
                pl.lit("Projet simulé"),
                pl.col("pid"),
                words.gather(pl.col("w1")),
                pl.when(pl.col("renamed") & (pl.col("offset") > 2))
                .then(pl.lit(" (nouvelle version)"))
                .otherwise(pl.lit("")),
            ),
            ministry_name=pl.format("Ministère — {}", pl.col("ministry_label")),
            description=pl.format(
                "{} {} de la zone {} ({})",
                words.gather(pl.col("w1")),
                words.gather(pl.col("w2")),
                zones.gather(pl.col("zone")),
                pl.lit(SIMULATED_LABEL),
            ),
            functional_zone=zones.gather(pl.col("zone")),
            functional_zone_published=zones.gather(pl.col("zone")),
            start_date=pl.date(2010, 1, 1).dt.offset_by(pl.format("{}mo", pl.col("start_month"))),
            duration_years=pl.when(~hidden).then(duration.round(1)),
            phase=pl.when(~pl.col("phase_missing")).then(pl.lit(pl.Series(PHASES)).gather(phase_index)),
            cost_meur=pl.when(~hidden).then(cost.round(2)),
            withheld_reason=pl.when(pl.col("secret")).then(pl.lit(WITHHELD_SENTENCE)),
            interministerial=pl.col("inter"),
            funding_programmes=pl.concat_list(pl.format("P{}", pl.col("prog1")), pl.format("P{}", pl.col("prog2")))
            .list.unique()
            .list.sort(),
        )
        .with_columns(cost_bracket=cost_bracket_expr(pl.col("cost_meur")), phase=pl.col("phase").cast(PhaseEnum))
    )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in PROJECT_EDITION_SCHEMA.items()).sort(
        "edition", "project_id"
    )


def _sirets(rng: np.random.Generator, count: int) -> np.ndarray:
    """Random 14-digit SIRETs with a valid Luhn key (as real ones mostly are)."""
    digits = rng.integers(0, 10, (count, 13))
    doubled = digits.copy()
    # Luhn from the right: positions 2, 4, ... of the 14-digit number are doubled, i.e. even indexes here.
    doubled[:, 0::2] = (digits[:, 0::2] * 2) % 9 + np.where(digits[:, 0::2] == 9, 9, 0)
    check = (10 - doubled.sum(axis=1) % 10) % 10
    full = np.concatenate([digits, check[:, None]], axis=1)
    weights = 10 ** np.arange(13, -1, -1, dtype=np.int64)
    return np.char.zfill((full * weights).sum(axis=1).astype(str), 14)


def decp_frame(n_rows: int, seed: int = 2024) -> pl.DataFrame:
    """About `n_rows` rows of the flat DECP 2.0 table: co-holders, modifications, a few framework ids."""
    rng = np.random.default_rng(seed)
    n = int(n_rows / 1.32)  # contracts; holders and modification states multiply the rows
    buyers = _sirets(rng, 4000)
    buyer_names = np.array([f"Acheteur simulé {i}" for i in range(buyers.size)])
    holders = _sirets(rng, 60_000)
    holder_names = np.array([f"ENTREPRISE SIMULÉE {i}" for i in range(holders.size)])
    framework_holder_ids = _sirets(rng, len(FRAMEWORK_HOLDERS))
    framework_ids = np.char.add("AC-SIM-", np.arange(1500).astype(str))

    in_framework = rng.random(n) < 0.004
    buyer = rng.zipf(1.4, n) % buyers.size
    buyer = np.where(in_framework, rng.integers(0, 24, n), buyer)  # 24 beneficiaries of the framework
    has_other_framework = ~in_framework & (rng.random(n) < 0.35)
    framework = np.where(
        in_framework,
        FRAMEWORK_DECP_ID,
        np.where(has_other_framework, framework_ids[rng.zipf(1.3, n) % framework_ids.size], ""),
    )
    it = in_framework | (rng.random(n) < 0.12)
    cpv = np.where(
        it,
        np.char.add("722", np.char.zfill(rng.integers(0, 99_999, n).astype(str), 5)),
        np.array(_OTHER_CPV)[rng.integers(0, len(_OTHER_CPV), n)],
    )
    day = np.where(
        in_framework, rng.integers(0, 3 * 365, n) + (date(2026, 3, 1) - date(2019, 1, 1)).days, rng.integers(0, 2373, n)
    )
    amount = np.round(np.exp(rng.normal(np.log(60_000), 1.6, n)), 2)
    amount = np.where(in_framework, np.round(np.exp(rng.normal(np.log(400_000), 1.0, n)), 2), amount)
    odd = rng.random(n)
    amount = np.where(odd < 0.0002, 12_311_111_111.0, np.where(odd < 0.0005, 0.0, amount))
    holder_count = np.where(rng.random(n) < 0.85, 1, rng.integers(2, 4, n))
    modified = rng.random(n) < 0.10
    contracts = pl.DataFrame(
        {
            "c": np.arange(n),
            "base_id": np.char.add("2023SIM", np.char.zfill(np.arange(n).astype(str), 8)),
            "acheteur_id": buyers[buyer],
            "acheteur_nom": buyer_names[buyer],
            "codeCPV": cpv,
            "idAccordCadre": framework,
            "dureeMois": rng.integers(1, 60, n),
            "day": day,
            "montant": amount,
            "modified": modified,
            "holders": holder_count,
            "in_framework": in_framework,
            "amendment_factor": rng.uniform(1.0, 1.3, n),
            "amendment_days": rng.integers(30, 400, n),
        }
    )
    holder_rows = (
        contracts.select("c", "holders", "in_framework")
        .with_columns(h=pl.int_ranges(0, pl.col("holders")))
        .explode("h")
    )
    m = holder_rows.height
    pick = rng.zipf(1.5, m) % holders.size
    fw_pick = rng.integers(0, len(FRAMEWORK_HOLDERS), m)
    holder_rows = holder_rows.with_columns(
        titulaire_id=pl.Series(np.where(holder_rows["in_framework"], framework_holder_ids[fw_pick], holders[pick])),
        titulaire_denominationSociale=pl.Series(
            np.where(holder_rows["in_framework"], np.array(FRAMEWORK_HOLDERS)[fw_pick], holder_names[pick])
        ),
    ).drop("holders", "in_framework")
    states = contracts.select("c", "modified").with_columns(
        state=pl.when(pl.col("modified")).then(pl.lit([0, 1])).otherwise(pl.lit([0]))
    )
    states = states.explode("state").drop("modified")
    start = pl.lit(date(2019, 1, 1)) + pl.duration(days=pl.col("day"))
    amended = pl.col("state") == 1
    table = (
        contracts.join(states, on="c")
        .join(holder_rows, on="c")
        .sort("c", "state", "h")
        .with_columns(
            id=pl.col("base_id") + pl.col("state").cast(pl.String).str.zfill(2),
            dateNotification=pl.when(amended)
            .then(pl.min_horizontal(start + pl.duration(days=pl.col("amendment_days")), pl.lit(DECP_FILE_DATE)))
            .otherwise(start),
            montant=pl.when(amended)
            .then((pl.col("montant") * pl.col("amendment_factor")).round(2))
            .otherwise(pl.col("montant")),
            objetModification=pl.when(amended).then(pl.lit("Avenant n° 1 : prolongation et montant")),
            donneesActuelles=pl.col("state") == pl.col("modified").cast(pl.Int64),
            titulaire_typeIdentifiant=pl.lit("SIRET"),
            idAccordCadre=pl.col("idAccordCadre").replace("", None),
        )
        .with_columns(
            uid=pl.col("acheteur_id") + pl.col("id"),
            objet=pl.format("Prestation simulée n° {} ({})", pl.col("c"), pl.lit(SIMULATED_LABEL)),
            procedure=pl.lit("Procédure adaptée"),
            nature=pl.lit("Marché"),
            datePublicationDonnees=pl.col("dateNotification") + pl.duration(days=15),
            formePrix=pl.lit("Ferme"),
            source=pl.lit("simulation-benchmark"),
            typeGroupementOperateurs=pl.when(pl.col("holders") > 1)
            .then(pl.lit("Conjoint"))
            .otherwise(pl.lit("Pas de groupement")),
            dureeMois=pl.col("dureeMois").cast(pl.Int64),
        )
    )
    present = set(table.columns)
    return table.select(pl.col(c) if c in present else pl.lit(None, dtype=pl.String).alias(c) for c in TABLE_COLUMNS)


def write_all(quick: bool) -> dict[str, Path]:
    """Write every scale file (skipping those already there) and return their paths by name."""
    SCALE_DIR.mkdir(parents=True, exist_ok=True)
    suffix = "-quick" if quick else ""
    paths = {"panorama": SCALE_DIR / f"panorama{suffix}.parquet"}
    if not paths["panorama"].exists():
        panorama_frame(1_000 if quick else 10_000).write_parquet(paths["panorama"])
    for label, rows in (("100k", 100_000), ("500k", 500_000)) if quick else (("1M", 1_000_000), ("5M", 5_000_000)):
        parquet, csv = SCALE_DIR / f"decp-{label}.parquet", SCALE_DIR / f"decp-{label}.csv"
        if not (parquet.exists() and csv.exists()):
            table = decp_frame(rows)
            table.write_parquet(parquet, row_group_size=100_000)
            table.write_csv(csv)
        paths[f"decp-{label}"] = parquet
        paths[f"decp-{label}-csv"] = csv
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description="Génère les données simulées du banc d'essai.")
    parser.add_argument("--quick", action="store_true", help="petits volumes (essai rapide)")
    args = parser.parse_args()
    started = time.perf_counter()
    for name, path in write_all(args.quick).items():
        print(f"{name:14} {path.stat().st_size / 1e6:9.1f} Mo  {path}")
    print(f"Génération : {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
