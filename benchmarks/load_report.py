"""The load test of record, in one command: one visitor, 20 and 100 sessions, a browser; one process and nginx.

    uv run python -m benchmarks.load_report [--sessions 20 100] [--duration 60] [--backends 2] [--no-browser]

For each configuration (one `streamlit run`, then `--backends` processes behind nginx when nginx is installed):
a fresh server, every page warmed once, then the single-visitor timings, one bounded run per session count (new
session per link, filters changing on every page), and the browser timing. Writes `benchmarks/LOAD_TEST.md` with
the environment (cores, load average at the start): on a shared machine, absolute figures are indicative.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit

from benchmarks import browser_timing
from benchmarks.run import machine
from benchmarks.ws_load_test import (
    FILTER_SETS,
    MEETING_FILTERS,
    PAGES,
    Outcome,
    Report,
    markdown,
    meeting,
    page_table,
    run_sessions,
    serving,
    single_visitor,
    view_label,
    warm_up,
)
from scripts.serve_multi import nginx_binary
from tests.e2e.server import CHROMIUM, REPO_ROOT

OUT_PATH = REPO_ROOT / "benchmarks" / "LOAD_TEST.md"


@dataclass
class Configuration:
    label: str
    single: Outcome
    meeting: Outcome
    runs: list[Report]
    browser: browser_timing.BrowserTimings | None
    browser_failure: str = ""  # why the browser timing could not be taken: the server figures are kept


def _label(backends: int) -> str:
    return "1 processus (`streamlit run`)" if backends == 0 else f"{backends} processus Streamlit derrière nginx"


def measure(backends: int, args: argparse.Namespace) -> Configuration:
    """Everything measured on one fresh server (or cluster)."""
    with serving(backends) as (url, pids):

        async def server_side() -> tuple[Outcome, Outcome, list[Report]]:
            await warm_up(url)
            single = await single_visitor(url, args.rounds, args.timeout)
            together = await meeting(url, args.meeting, args.timeout)
            runs = [
                await run_sessions(url, pids, n, args.duration, args.max_iterations, args.timeout, args.settle)
                for n in args.sessions
            ]
            return single, together, runs

        single, together, runs = asyncio.run(server_side())
        browser, failure = None, ""
        if args.browser:
            try:
                browser = browser_timing.measure(url, args.rounds)
            except Exception as error:  # reported in the file, next to the figures taken
                failure = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return Configuration(_label(backends), single, together, runs, browser, failure)


def _git_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "inconnu"


def environment(load_start: tuple[float, ...]) -> list[str]:
    specs = machine()
    return [
        f"- Cœurs : {specs['nproc']} ({specs['CPU']}, {specs['Mémoire']}) ; Python {specs['Python']}, "
        f"Streamlit {streamlit.__version__} ; commit `{_git_commit()}`.",
        f"- Load average au début (1, 5, 15 min) : {load_start[0]:.1f}, {load_start[1]:.1f}, {load_start[2]:.1f} ; "
        f"à la fin : {', '.join(f'{value:.1f}' for value in os.getloadavg())}. Au-delà de 0,5 environ, d'autres "
        "processus partageaient la machine : les temps absolus sont alors indicatifs.",
        "- Serveurs de ce test seulement, sur la boucle locale (127.0.0.1), réglages de `.streamlit/config.toml`.",
    ]


def single_table(single: Outcome) -> list[str]:
    lines = ["| Page | liens ouverts | médiane (ms) | max (ms) |", "|---|---:|---:|---:|"]
    for page_name in PAGES:
        values = single.timings.get(page_name, [])
        cells = f"{statistics.median(values) * 1000:.0f} | {max(values) * 1000:.0f}" if values else "— | —"
        lines.append(f"| `{view_label(page_name)}` | {len(values)} | {cells} |")
    return lines


def render(configurations: list[Configuration], args: argparse.Namespace, load_start: tuple[float, ...]) -> str:
    cores = os.cpu_count() or 1
    lines = [
        "# Test de charge : clients websocket et navigateur, boucle locale",
        "",
        f"Généré par `uv run python -m benchmarks.load_report` le {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        ".",
        "",
        *environment(load_start),
        "",
        f"Chaque client ouvre l'un après l'autre les liens {len(PAGES)} pages × {len(FILTER_SETS)} jeux de filtres "
        "(les filtres changent d'une page à l'autre), une nouvelle session Streamlit par lien, jusqu'à la fin de "
        f"l'essai ou {args.max_iterations} pages ; une page attendue plus de {args.timeout:.0f} s est un délai "
        "dépassé. Temps = ouverture du websocket → `script_finished` (FINISHED_SUCCESSFULLY), sans navigateur. "
        "Mémoire et CPU : somme des processus serveurs (Streamlit, et nginx le cas échéant), relevés chaque seconde.",
    ]
    for configuration in configurations:
        lines += ["", f"## {configuration.label}", "", "### Un visiteur seul : temps serveur par nouvelle page", ""]
        lines += single_table(configuration.single)
        together = configuration.meeting
        problems = len(together.errors) + len(together.timeouts) + len(together.exceptions)
        lines += [
            "",
            f"### Réunion : {args.meeting} personnes ouvrent le même lien au même moment",
            "",
            f"Chaque page, puis chaque page à nouveau avec d'autres filtres ({' ; '.join(MEETING_FILTERS)}) : des "
            f"vues qu'aucun autre essai n'ouvre, donc calculées pour la première personne et servies aux autres. "
            f"Le lien suivant quand tous ont la page. Erreurs, délais dépassés et exceptions : {problems}.",
            "",
            *page_table(together),
        ]
        for report in configuration.runs:
            lines += ["", f"### {report.sessions} sessions simultanées", "", markdown(report, cores)]
        if configuration.browser is not None:
            lines += [
                "",
                "### Navigateur : de la navigation aux chiffres clés affichés (Chromium, serveur chaud)",
                "",
                browser_timing.markdown(configuration.browser),
            ]
        elif configuration.browser_failure:
            lines += ["", f"### Navigateur : mesure impossible ({configuration.browser_failure})"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Test de charge de référence : écrit benchmarks/LOAD_TEST.md.")
    parser.add_argument("--sessions", type=int, nargs="+", default=[20, 100], help="clients simultanés par essai")
    parser.add_argument("--duration", type=float, default=60.0, help="durée de chaque essai en secondes")
    parser.add_argument("--max-iterations", type=int, default=500, help="pages au plus par client")
    parser.add_argument("--timeout", type=float, default=120.0, help="attente maximale d'une page, en secondes")
    parser.add_argument("--settle", type=float, default=15.0, help="pause sans client après chaque essai")
    parser.add_argument("--meeting", type=int, default=20, help="personnes ouvrant ensemble le même lien")
    parser.add_argument("--rounds", type=int, default=3, help="liens par page pour le visiteur seul et le navigateur")
    parser.add_argument("--backends", type=int, default=2, help="processus derrière nginx (0 : sans cette partie)")
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="sans la mesure dans Chromium")
    parser.add_argument("--out", type=Path, default=OUT_PATH, help="fichier de résultats")
    args = parser.parse_args()
    args.browser = args.browser and CHROMIUM.exists()
    load_start = os.getloadavg()
    configurations = [measure(0, args)]
    print(render(configurations, args, load_start), flush=True)
    if args.backends and nginx_binary():
        configurations.append(measure(args.backends, args))
    elif args.backends:
        print("nginx absent (apt-get install nginx) : pas d'essai à plusieurs processus.")
    text = render(configurations, args, load_start)
    args.out.write_text(text, encoding="utf-8")
    print(text, f"Écrit dans {args.out}", sep="\n")


if __name__ == "__main__":
    main()
