"""App-level timings: page reruns through Streamlit's AppTest, and a real server's time to first rendered page.

`uv run python -m benchmarks.app_timing [--quick]` writes `benchmarks/APP_TIMING.md`. Reruns are warm (the
server's caches are filled by the first run, as for a visitor clicking around); the first run is reported
apart. The DECP timings point PANORAMA_DECP_PATH at the simulated 1-million-row Parquet file.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.generate import SCALE_DIR, write_all
from pages.common import view_cache

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
OUT_PATH = Path(__file__).resolve().parent / "APP_TIMING.md"
PAGES: dict[str, str] = {
    "Vue d'ensemble": "pages/views/overview.py",
    "Projets": "pages/views/projects.py",
    "Dérives": "pages/views/drift.py",
    "Évolutions": "pages/views/changes.py",
    "Accords-cadres agiles": "pages/views/contracts.py",
    "Simulations": "pages/views/simulations.py",
    "Données et méthode": "pages/views/data_method.py",
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TITLE = "Vue d'ensemble"


def page_reruns(page: str, reruns: int) -> tuple[float, float, float, str]:
    """First run of the page (ms), medians of warm reruns with the shared view cache on and off (ms, measured in
    turn in the same session), and any exception the page raised.

    Server caches live as long as the process: only the first page timed pays for loading the panorama.
    """
    at = AppTest.from_file(APP, default_timeout=300)
    started = time.perf_counter()
    at.run()
    if page != PAGES[TITLE]:
        started = time.perf_counter()
        at.switch_page(page).run()
    first = (time.perf_counter() - started) * 1000
    durations: dict[str, list[float]] = {"1": [], "0": []}
    for _ in range(reruns):
        for switch, times in durations.items():
            os.environ[view_cache.ENV_SWITCH] = switch
            started = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - started) * 1000)
    del os.environ[view_cache.ENV_SWITCH]
    errors = "; ".join(str(e.value)[:120] for e in at.exception)
    return first, statistics.median(durations["1"]), statistics.median(durations["0"]), errors


def _row(label: str, data: str, first: float, cached: float, uncached: float, errors: str) -> str:
    ratio = f"{uncached / cached:.1f}".replace(".", ",") if cached else "—"
    return f"| {label} | {data} | {first:.0f} | {cached:.0f} | {uncached:.0f} | {ratio} | {errors or '—'} |"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_page(timeout_s: float = 120.0) -> dict[str, float]:
    """Seconds from `streamlit run` to a healthy server, and to the overview title rendered in Chromium."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        APP,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        started = time.perf_counter()
        server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            health = None
            while health is None:
                if time.perf_counter() - started > timeout_s:
                    raise TimeoutError(f"serveur Streamlit non prêt après {timeout_s:.0f} s")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
                        if response.status == 200:
                            health = time.perf_counter() - started
                except OSError:
                    time.sleep(0.05)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/", timeout=timeout_s * 1000)
            page.get_by_role("heading", name=TITLE).first.wait_for(timeout=timeout_s * 1000)
            rendered = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            browser.close()
    return {"health_s": health, "rendered_s": rendered}


def main() -> None:
    parser = argparse.ArgumentParser(description="Temps de l'application (AppTest et premier rendu).")
    parser.add_argument("--quick", action="store_true", help="moins de répétitions, fichier DECP de 100 000 lignes")
    parser.add_argument("--no-browser", action="store_true", help="sans la mesure du premier rendu dans Chromium")
    args = parser.parse_args()
    reruns = 3 if args.quick else 7
    decp_path = write_all(args.quick)["decp-100k" if args.quick else "decp-1M"]
    rows: list[str] = []
    for label, page in PAGES.items():
        rows.append(_row(label, "données embarquées", *page_reruns(page, reruns)))
        print(rows[-1], flush=True)
    os.environ["PANORAMA_DECP_PATH"] = str(decp_path)
    for label in ("Accords-cadres agiles", "Simulations"):
        rows.append(_row(label, f"PANORAMA_DECP_PATH = {decp_path.name}", *page_reruns(PAGES[label], reruns)))
        print(rows[-1], flush=True)
    del os.environ["PANORAMA_DECP_PATH"]
    lines = [
        "# Temps de l'application (données SIMULÉES pour le fichier DECP)",
        "",
        f"Généré par `uv run python -m benchmarks.app_timing{' --quick' if args.quick else ''}` le "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ; fichiers dans `{SCALE_DIR.name}/`. "
        f"Relances à chaud : médiane de {reruns} relances AppTest après la première exécution, cache de vues "
        f"partagé (`pages/common/view_cache.py`) activé et désactivé à tour de rôle dans la même session.",
        "",
        "| Page | Données | 1re exécution (ms) | Relance avec cache (ms) | sans (ms) | Rapport | Exceptions |",
        "|---|---|---:|---:|---:|---:|---|",
        *rows,
    ]
    if not args.no_browser:
        start = first_page()
        lines += [
            "",
            "## Démarrage à froid (`streamlit run`, Chromium headless via Playwright)",
            "",
            f"- serveur prêt (`/_stcore/health` = 200) : {start['health_s']:.1f} s",
            f"- titre « {TITLE} » affiché dans le navigateur : {start['rendered_s']:.1f} s",
        ]
        print(lines[-2], lines[-1], sep="\n")
    out = OUT_PATH.with_name("APP_TIMING-quick.md") if args.quick else OUT_PATH
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Résultats écrits dans {out}")


if __name__ == "__main__":
    main()
