"""What each production setting of .streamlit/config.toml pays: two servers side by side, one setting apart.

    uv run python -m benchmarks.server_settings [--rounds 5] [--only server.fileWatcherType]

For each setting, two servers run at once, one with the production value and one with the alternative (every
other setting from config.toml); one visitor opens the same links on both in turn, a new session per link, so
that the load of the machine touches both alike. Reported: the server time per new page (median over pages and
links) and each server's resident memory afterwards. Loopback servers of our own only. Writes
`benchmarks/SERVER_SETTINGS.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from contextlib import ExitStack
from dataclasses import dataclass

from benchmarks.ws_load_test import FILTER_SETS, PAGES, load_page, require_loopback, view_label, warm_up
from tests.e2e.server import REPO_ROOT, rss_kib, running_app

OUT_PATH = REPO_ROOT / "benchmarks" / "SERVER_SETTINGS.md"


@dataclass(frozen=True)
class Setting:
    """A config.toml key, the value kept in production and the alternative it is measured against."""

    key: str
    production: str
    alternative: str


# Every other setting as in config.toml, so that each comparison starts from the production configuration.
SETTINGS = [
    Setting("server.fileWatcherType", "none", "auto"),
    Setting("runner.postScriptGC", "false", "true"),
    Setting("server.enableWebsocketCompression", "false", "true"),
    Setting("logger.level", "info", "warning"),
]


@dataclass
class Comparison:
    setting: Setting
    production_s: dict[str, list[float]]  # page -> seconds per link
    alternative_s: dict[str, list[float]]
    production_rss_kib: int | None
    alternative_rss_kib: int | None


async def compare(setting: Setting, rounds: int, timeout: float) -> Comparison:
    """Both servers warm, then each link opened on one and on the other, the first one alternating."""
    timings: tuple[dict[str, list[float]], dict[str, list[float]]] = ({p: [] for p in PAGES}, {p: [] for p in PAGES})
    with ExitStack() as stack:
        servers = [
            stack.enter_context(running_app(options={setting.key: value}))
            for value in (setting.production, setting.alternative)
        ]
        for url, _pid in servers:
            require_loopback(url)
            await warm_up(url)
        for round_index in range(rounds):
            order = (0, 1) if round_index % 2 == 0 else (1, 0)
            for page_name in PAGES:
                query = FILTER_SETS[round_index % len(FILTER_SETS)]
                for which in order:
                    rendered = await load_page(servers[which][0], page_name, query, timeout)
                    if rendered.exceptions or rendered.page_not_found:
                        raise RuntimeError(f"{view_label(page_name, query)} : {rendered.exceptions or 'introuvable'}")
                    timings[which][page_name].append(rendered.seconds)
        rss = [rss_kib(pid) for _url, pid in servers]
    return Comparison(setting, timings[0], timings[1], rss[0], rss[1])


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f}" if values else "—"


def _mib(kib: int | None) -> str:
    return "—" if kib is None else f"{kib / 1024:.0f}"


def markdown(comparisons: list[Comparison], rounds: int, load_before: tuple[float, float, float]) -> str:
    load_after = os.getloadavg()
    header = " | ".join(f"`{view_label(p)}`" for p in PAGES)
    lines = [
        "# Réglages du serveur : ce que chacun rapporte",
        "",
        "Généré par `uv run python -m benchmarks.server_settings` le "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ; {os.cpu_count()} cœurs, load average 1 min "
        f"{load_before[0]:.1f} au début et {load_after[0]:.1f} à la fin (machine partagée : seuls les rapports "
        "mesurés côte à côte comptent). Pour chaque réglage, deux "
        "serveurs tournent en même temps, l'un avec la valeur retenue, l'autre avec l'alternative ; un visiteur "
        f"ouvre les mêmes liens sur l'un puis l'autre ({rounds} jeux de filtres × {len(PAGES)} pages, une nouvelle "
        "session par lien). Temps serveur médian par nouvelle page, en ms.",
        "",
        f"| Réglage | valeur | {header} | toutes pages | mémoire après (Mio) |",
        "|---|---|" + "---:|" * (len(PAGES) + 2),
    ]
    for comparison in comparisons:
        rows = (
            (comparison.setting.production, comparison.production_s, comparison.production_rss_kib),
            (comparison.setting.alternative, comparison.alternative_s, comparison.alternative_rss_kib),
        )
        for index, (value, timings, rss) in enumerate(rows):
            everything = [t for values in timings.values() for t in values]
            name = f"`{comparison.setting.key}`" if index == 0 else ""
            label = f"**{value}** (retenu)" if index == 0 else value
            cells = " | ".join(_ms(timings[p]) for p in PAGES)
            lines.append(f"| {name} | {label} | {cells} | {_ms(everything)} | {_mib(rss)} |")
    return "\n".join(lines) + "\n"


async def _main_async(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()
    chosen = [s for s in SETTINGS if not args.only or s.key in args.only]
    comparisons = []
    for setting in chosen:
        comparisons.append(await compare(setting, args.rounds, args.timeout))
        print(markdown(comparisons[-1:], args.rounds, load_before).splitlines()[-2:], flush=True)
    text = markdown(comparisons, args.rounds, load_before)
    OUT_PATH.write_text(text, encoding="utf-8")
    print(text, f"Écrit dans {OUT_PATH}", sep="\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="Ce que rapporte chaque réglage du serveur (mesures côte à côte).")
    parser.add_argument("--rounds", type=int, default=5, help="jeux de filtres par page et par serveur")
    parser.add_argument("--timeout", type=float, default=120.0, help="attente maximale d'une page, en secondes")
    parser.add_argument("--only", nargs="+", help="réglages à mesurer (clés), tous par défaut")
    asyncio.run(_main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
