"""Time every page computation with our polars analytics, pandas and DuckDB, after checking they agree.

`uv run python -m benchmarks.run [--quick]` generates the simulated data if missing, checks the three
engines give the same results, times each computation (median of several runs) in this one process, then
measures each engine's peak memory (VmHWM) in a fresh subprocess per data group, and writes
`benchmarks/RESULTS.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl

from analytics.panorama.drift import with_drift
from benchmarks import duckdb_impl, pandas_impl, polars_impl
from benchmarks.compare import mismatches
from benchmarks.generate import write_all

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
ENGINES = ("polars", "pandas", "duckdb")
TIME_BUDGET_S = 20.0  # per engine and computation: slow engines get fewer runs, at least one


@dataclass(frozen=True)
class Case:
    """One page computation: its group (data set) and a zero-argument runner per engine."""

    name: str
    group: str
    runners: dict[str, Callable[[], object]]


@dataclass(frozen=True)
class Timing:
    median_ms: float
    runs: int


class Inputs:
    """Each engine's data in its native form, loaded once (as the app caches its frames)."""

    def __init__(self, paths: dict[str, Path], engines: tuple[str, ...] = ENGINES) -> None:
        self.paths = paths
        self.bench = polars_impl.bench_framework()
        self.con = duckdb.connect()
        self.has_panorama = "panorama" in paths
        if not self.has_panorama:
            return
        self.raw = pl.read_parquet(paths["panorama"])
        self.projects = with_drift(self.raw.lazy()).collect()
        if "pandas" in engines:
            self.raw_pd, self.projects_pd = self.raw.to_pandas(), self.projects.to_pandas()
        if "duckdb" in engines:
            self.con = duckdb_impl.connect(self.raw, self.projects)


def build_cases(inputs: Inputs, engines: tuple[str, ...] = ENGINES) -> list[Case]:
    """Every computation, with the runners of the engines asked for."""
    panorama = {
        "Vue d'ensemble : sélection, KPI, ventilations, trajectoire": (
            polars_impl.overview,
            pandas_impl.overview,
            duckdb_impl.overview,
            "projects",
        ),
        "Dérive par projet (with_drift, toutes éditions)": (
            polars_impl.drift,
            pandas_impl.drift,
            duckdb_impl.drift,
            "raw",
        ),
        "Dérives : mouvements entre éditions + sorties en dérive": (
            polars_impl.movements,
            pandas_impl.movements,
            duckdb_impl.movements,
            "projects",
        ),
        "Simulations : seuil, alertes de dérive, plafond": (
            polars_impl.simulations,
            pandas_impl.simulations,
            duckdb_impl.simulations,
            "projects",
        ),
    }
    cases: list[Case] = []
    for name, (pl_fn, pd_fn, dk_fn, source) in panorama.items() if inputs.has_panorama else ():
        runners: dict[str, Callable[[], object]] = {}
        if "polars" in engines:
            frame = inputs.raw if source == "raw" else inputs.projects
            runners["polars"] = lambda fn=pl_fn, frame=frame: fn(frame)
        if "pandas" in engines:
            frame_pd = inputs.raw_pd if source == "raw" else inputs.projects_pd
            runners["pandas"] = lambda fn=pd_fn, frame=frame_pd: fn(frame)
        if "duckdb" in engines:
            runners["duckdb"] = lambda fn=dk_fn: fn(inputs.con)
        cases.append(Case(name, "panorama", runners))
    if "polars" in engines and inputs.has_panorama:
        ceiling = "Simulation : plafond de l'accord-cadre (sans données)"
        cases.append(Case(ceiling, "panorama", {"polars": polars_impl.framework_ceiling}))
    for key, path in inputs.paths.items():
        if not key.startswith("decp"):
            continue
        runners = {}
        if "polars" in engines:
            runners["polars"] = lambda path=path: polars_impl.decp(path, inputs.bench)
        if "pandas" in engines:
            runners["pandas"] = lambda path=path: pandas_impl.decp(path, inputs.bench)
        if "duckdb" in engines:
            runners["duckdb"] = lambda path=path: duckdb_impl.decp(path, inputs.bench, inputs.con)
        label = key.removeprefix("decp-").replace("-csv", " CSV")
        if " CSV" not in label:
            label += " Parquet"
        cases.append(Case(f"Marchés subséquents : lecture, normalisation, lien, dépenses ({label})", key, runners))
        if "polars" in engines:
            page_scan = f"Marchés subséquents : lecture filtrée comme la page, national_filter ({label})"
            cases.append(Case(page_scan, key, {"polars": lambda path=path: polars_impl.page_scan(path)}))
    return cases


def time_case(case: Case, repeats: int) -> dict[str, Timing]:
    """Engines run in turn within each repeat, so that load from other processes hits them alike."""
    durations: dict[str, list[float]] = {engine: [] for engine in case.runners}
    for _ in range(repeats):
        for engine, runner in case.runners.items():
            if durations[engine] and sum(durations[engine]) > TIME_BUDGET_S:
                continue
            started = time.perf_counter()
            runner()
            durations[engine].append(time.perf_counter() - started)
    return {engine: Timing(statistics.median(d) * 1000, len(d)) for engine, d in durations.items()}


def check(case: Case) -> list[str]:
    """Warm-up run of each engine, compared with polars (also fills caches before timing)."""
    results = {engine: runner() for engine, runner in case.runners.items()}
    reference = results["polars"]
    if not isinstance(reference, dict):
        return []
    return [
        problem
        for engine, result in results.items()
        if engine != "polars"
        for problem in mismatches(reference, result, engine)  # type: ignore[arg-type]
    ]


def peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM): unlike ru_maxrss, it is not inherited across fork + exec."""
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def probe(engine: str, group: str, quick: bool) -> None:
    """Subprocess entry: run one engine's computations of one group once and print peak RSS (MiB)."""
    paths = write_all(quick)
    before = peak_rss_mib()
    inputs = Inputs({"panorama": paths["panorama"]} if group == "panorama" else {group: paths[group]}, (engine,))
    for case in build_cases(inputs, (engine,)):
        if case.group == group:
            case.runners[engine]()
    print(json.dumps({"baseline_mib": before, "peak_mib": peak_rss_mib()}))


def measure_memory(groups: list[str], quick: bool) -> dict[tuple[str, str], dict[str, float]]:
    peaks: dict[tuple[str, str], dict[str, float]] = {}
    for group in groups:
        for engine in ENGINES:
            command = [
                sys.executable,
                "-m",
                "benchmarks.run",
                "--probe",
                engine,
                group,
                *(["--quick"] if quick else []),
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            peaks[(engine, group)] = json.loads(done.stdout.strip().splitlines()[-1])
    return peaks


def machine_cpus() -> int:
    return os.cpu_count() or 1


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "inconnu",
    )
    mem_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    return {
        "nproc": nproc,
        "CPU": cpu,
        "Mémoire": f"{mem_kib / 1024 / 1024:.1f} Gio",
        "Python": platform.python_version(),
        "polars": pl.__version__,
        "pandas": pd.__version__,
        "duckdb": duckdb.__version__,
    }


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}".replace(",", " ")


def _ratio(value: float | None, reference: float) -> str:
    return "—" if value is None else f"{value / reference:.1f}×"


def render(
    quick: bool,
    timings: dict[str, dict[str, Timing]],
    loads: dict[str, float],
    groups: dict[str, str],
    peaks: dict[tuple[str, str], dict[str, float]],
    sizes: dict[str, str],
) -> str:
    lines = [
        "# Résultats du banc d'essai (données SIMULÉES)",
        "",
        f"Généré par `uv run python -m benchmarks.run{' --quick' if quick else ''}` le "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Les trois moteurs ont donné les mêmes résultats "
        "(tolérance relative 1e-7) avant toute mesure. Machine partagée avec d'autres tâches pendant la mesure : "
        "les temps sont indicatifs. Les moteurs tournent à tour de rôle à chaque répétition (la charge les touche "
        "pareillement) ; « charge » = load average sur 1 min (`os.getloadavg`) à la fin du calcul, pour "
        f"{machine_cpus()} cœurs.",
        "",
        "## Machine",
        "",
        *(f"- {key} : {value}" for key, value in machine().items()),
        "",
        "## Données",
        "",
        *(f"- {key} : {value}" for key, value in sizes.items()),
        "",
        "## Temps médians (ms) et rapports",
        "",
        "| Calcul | polars | pandas | DuckDB | pandas/polars | DuckDB/polars | exécutions (pl/pd/dk) | charge |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, by_engine in timings.items():
        ref = by_engine["polars"].median_ms
        get = {e: (by_engine[e].median_ms if e in by_engine else None) for e in ENGINES}
        runs = "/".join(str(by_engine[e].runs) if e in by_engine else "—" for e in ENGINES)
        lines.append(
            f"| {name} | {_ms(ref)} | {_ms(get['pandas'])} | {_ms(get['duckdb'])} | "
            f"{_ratio(get['pandas'], ref)} | {_ratio(get['duckdb'], ref)} | {runs} | {loads[name]:.1f} |"
        )
    lines += [
        "",
        "## Mémoire maximale (VmHWM d'un sous-processus par moteur et par groupe, Mio)",
        "",
        "Pic de mémoire résidente `VmHWM` de `/proc/self/status`, qui voit les allocations Rust/C "
        "(contrairement à tracemalloc) ; `ru_maxrss` n'est pas utilisé car Linux le conserve à travers "
        "fork + exec (il rapportait le pic du processus parent). « base » = pic après imports, avant "
        "chargement des données ; « pic » = pic du processus entier (chargement + une exécution de chaque "
        "calcul du groupe).",
        "",
        "| Groupe | polars base / pic | pandas base / pic | DuckDB base / pic |",
        "|---|---:|---:|---:|",
    ]
    for group, label in groups.items():
        cells = [
            f"{peaks[(e, group)]['baseline_mib']:.0f} / {peaks[(e, group)]['peak_mib']:.0f}"
            if (e, group) in peaks
            else "—"
            for e in ENGINES
        ]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Banc d'essai polars / pandas / DuckDB.")
    parser.add_argument("--quick", action="store_true", help="petits volumes, moins de répétitions")
    parser.add_argument("--probe", nargs=2, metavar=("MOTEUR", "GROUPE"), help=argparse.SUPPRESS)
    parser.add_argument("--no-memory", action="store_true", help="sans la mesure de mémoire")
    args = parser.parse_args()
    if args.probe:
        probe(args.probe[0], args.probe[1], args.quick)
        return
    paths = write_all(args.quick)
    inputs = Inputs(paths)
    repeats = 5 if args.quick else 7
    timings: dict[str, dict[str, Timing]] = {}
    loads: dict[str, float] = {}
    for case in build_cases(inputs):
        problems = check(case)
        if problems:
            raise SystemExit("Résultats divergents, aucune mesure écrite :\n" + "\n".join(problems))
        timings[case.name] = time_case(case, repeats)
        loads[case.name] = os.getloadavg()[0]
        cells = "  ".join(f"{engine} {t.median_ms:9.1f} ms" for engine, t in timings[case.name].items())
        print(f"{case.name[:70]:70}  {cells}", flush=True)
    groups = {"panorama": "Panorama (toutes les pages sauf Marchés)"}
    groups |= {key: f"DECP {key.removeprefix('decp-')}" for key in paths if key.startswith("decp")}
    peaks = {} if args.no_memory else measure_memory(list(groups), args.quick)
    sizes = {
        "panorama": f"{inputs.raw.height:,} lignes projet × édition, {inputs.raw['project_id'].n_unique():,} projets, "
        f"{inputs.raw['edition'].n_unique()} éditions".replace(",", " "),
        **{
            key: f"{path.stat().st_size / 1e6:.0f} Mo ({path.name})"
            for key, path in paths.items()
            if key.startswith("decp")
        },
    }
    out = RESULTS_PATH.with_name("RESULTS-quick.md") if args.quick else RESULTS_PATH
    results = render(args.quick, timings, loads, groups, peaks, sizes)
    out.write_text(results, encoding="utf-8")
    print(f"Résultats écrits dans {out}")


if __name__ == "__main__":
    main()
