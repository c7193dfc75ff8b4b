"""Bounded load test with Streamlit's own websocket protocol: N concurrent clients, no browser.

    uv run python -m benchmarks.ws_load_test --sessions 20 --duration 60 [--write]

Chromium tabs saturate a 2-core machine before the server does (benchmarks/load_test.py); these clients only
send the `rerun_script` message a browser sends and read the server's messages until the run is over, so the
figures are the server's time to a rendered page. Server of our own on a free loopback port, nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import statistics
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from tests.e2e.server import REPO_ROOT, rss_kib, running_app

# url_pathname of each page in app.py ("" = default page, the overview at the root URL).
PAGES = ["", "projets", "derives", "marches", "simulations", "donnees"]
FILTER_SETS = [
    "",
    "edition=2016-11",
    "ministere=interieur",
    "seuil=30",
    "q=identite",
    "edition=2019-03&ministere=armees",
]
VIEWS = [(page, query) for query in FILTER_SETS for page in PAGES]
RESULTS_PATH = REPO_ROOT / "benchmarks" / "RESULTS.md"
SECTION_START = "<!-- ws-load:start -->"
SECTION_END = "<!-- ws-load:end -->"


@dataclass
class RenderedPage:
    """What one script run sent back: enough to time it and to check it like a browser would."""

    seconds: float
    headings: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False


def stream_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + "/_stcore/stream"


@asynccontextmanager
async def streamlit_session(base_url: str) -> AsyncIterator[ClientConnection]:
    """One Streamlit session, opened as the frontend does (subprotocol "streamlit", no XSRF token, no cookie)."""
    async with connect(stream_url(base_url), subprotocols=["streamlit"], max_size=None, open_timeout=30) as ws:
        yield ws


async def render(ws: ClientConnection, page_name: str, query_string: str, timeout: float) -> RenderedPage:
    """Ask for a page + filters (as a browser loading `/<page_name>?<query_string>`) and read until the run ends.

    Raises TimeoutError when the run is not over after `timeout` seconds, RuntimeError on a compile error.
    """
    back = BackMsg()
    back.rerun_script.query_string = query_string
    back.rerun_script.page_name = page_name
    started = time.perf_counter()
    await ws.send(back.SerializeToString())
    page = RenderedPage(seconds=0.0)
    async with asyncio.timeout(timeout):
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "heading":
                    page.headings.append(element.heading.body)
                elif element.WhichOneof("type") == "metric":
                    page.metrics[element.metric.label] = element.metric.body
                elif element.WhichOneof("type") == "exception":
                    page.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            elif kind == "page_not_found":
                page.page_not_found = True
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError(f"Erreur de compilation du script pour la page « {page_name} ».")
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    page.seconds = time.perf_counter() - started
                    return page
                # FINISHED_EARLY_FOR_RERUN: the script reran itself (st.rerun); the page is not drawn yet.


@dataclass
class Outcome:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)


def view_label(page_name: str, query_string: str = "") -> str:
    return "/" + page_name + (f"?{query_string}" if query_string else "")


async def load_page(base_url: str, page_name: str, query_string: str, timeout: float) -> RenderedPage:
    """A visitor opening the link `/<page_name>?<query_string>`: a new session, timed from the connection on.

    A new session per page, as a browser tab loading a shared link: within one session the app reads the URL
    only on its first run and keeps the filters in widget state, which a bare client does not send back.
    """
    started = time.perf_counter()
    async with asyncio.timeout(timeout), streamlit_session(base_url) as ws:
        page = await render(ws, page_name, query_string, timeout)
    page.seconds = time.perf_counter() - started
    return page


async def _client(
    base_url: str, index: int, deadline: float, max_iterations: int, timeout: float, out: Outcome
) -> None:
    """One visitor opening link after link until the deadline or `max_iterations` pages."""
    for iteration in range(max_iterations):
        if time.monotonic() >= deadline:
            break
        page_name, query = VIEWS[(index + iteration) % len(VIEWS)]
        label = view_label(page_name, query)
        try:
            rendered = await load_page(base_url, page_name, query, timeout)
        except TimeoutError:
            out.timeouts.append(label)
            continue
        except (OSError, RuntimeError, WebSocketException) as error:
            out.errors.append(f"{label} : {type(error).__name__}: {error}")
            continue
        if rendered.page_not_found:
            out.errors.append(f"{label} : page introuvable")
        out.exceptions.extend(f"{label} : {text}" for text in rendered.exceptions)
        out.timings[page_name].append(rendered.seconds)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/<pid>/stat), None when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Report:
    sessions: int
    duration_s: float
    elapsed_s: float
    outcome: Outcome
    rss_before_kib: int | None
    rss_after_kib: int | None
    rss_settled_kib: int | None
    settle_s: float
    server_cpu_s: float | None
    client_cpu_s: float


async def run(sessions: int, duration: float, max_iterations: int, timeout: float, settle: float) -> Report:
    with running_app() as (base_url, pid):
        # The first run of each page loads and caches the data: warm every page once, outside the figures.
        for page_name in PAGES:
            await load_page(base_url, page_name, "", timeout=180)
        rss_before = rss_kib(pid)
        out = Outcome()
        server_cpu = cpu_seconds(pid)
        client_cpu = time.process_time()
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(*(_client(base_url, i, deadline, max_iterations, timeout, out) for i in range(sessions)))
        elapsed = time.monotonic() - started
        client_cpu = time.process_time() - client_cpu
        server_cpu_end = cpu_seconds(pid)
        server_cpu = None if server_cpu is None or server_cpu_end is None else server_cpu_end - server_cpu
        rss_after = rss_kib(pid)
        await asyncio.sleep(settle)  # sessions closed: let the server drop them before the last reading
        rss_settled = rss_kib(pid)
    return Report(sessions, duration, elapsed, out, rss_before, rss_after, rss_settled, settle, server_cpu, client_cpu)


def _mib(kib: int | None) -> str:
    return "—" if kib is None else f"{kib / 1024:.0f}"


def _seconds(values: list[float], pick) -> str:
    return f"{pick(values):.2f}".replace(".", ",") if values else "—"


def _cpu(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.1f}".replace(".", ",")


def markdown(report: Report) -> str:
    """French markdown summary: one line per page and overall, then errors and memory."""
    out = report.outcome
    everything = [t for values in out.timings.values() for t in values]
    lines = [
        f"{report.sessions} clients websocket simultanés pendant {report.duration_s:.0f} s "
        f"(écoulé : {report.elapsed_s:.0f} s), {len(everything)} pages rendues ; chaque client ouvre "
        f"l'un après l'autre les liens {len(PAGES)} pages × {len(FILTER_SETS)} jeux de filtres, une nouvelle session "
        "par lien. Temps = connexion websocket + `rerun_script` → `script_finished` (FINISHED_SUCCESSFULLY), "
        "sans navigateur ; machine partagée (2 cœurs).",
        "",
        "| Page | pages rendues | médiane (s) | p95 (s) | max (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for page_name in PAGES:
        values = out.timings.get(page_name, [])
        lines.append(
            f"| `{view_label(page_name)}` | {len(values)} | {_seconds(values, statistics.median)} "
            f"| {_seconds(values, _p95)} | {_seconds(values, max)} |"
        )
    lines.append(
        f"| **ensemble** | {len(everything)} | {_seconds(everything, statistics.median)} "
        f"| {_seconds(everything, _p95)} | {_seconds(everything, max)} |"
    )
    growth = (
        f"{(report.rss_settled_kib - report.rss_before_kib) / 1024:+.0f}"
        if report.rss_before_kib is not None and report.rss_settled_kib is not None
        else "—"
    )
    lines += [
        "",
        f"- Erreurs : {len(out.errors)} ; délais dépassés : {len(out.timeouts)} ; "
        f"exceptions Streamlit dans les pages : {len(out.exceptions)}.",
        f"- Mémoire résidente du serveur (Mio) : {_mib(report.rss_before_kib)} avant (pages déjà chargées une fois), "
        f"{_mib(report.rss_after_kib)} à la fin, {_mib(report.rss_settled_kib)} après {report.settle_s:.0f} s "
        f"de pause sans client ; croissance : {growth} Mio.",
        f"- Temps CPU pendant la charge : serveur {_cpu(report.server_cpu_s)} s, clients {_cpu(report.client_cpu_s)} s "
        f"(pour {report.elapsed_s:.0f} s écoulées sur 2 cœurs, load average 1 min en fin : {os.getloadavg()[0]:.1f}).",
    ]
    for problem in (out.errors + out.timeouts + out.exceptions)[:10]:
        lines.append(f"  - {problem}")
    return "\n".join(lines)


def write_section(body: str) -> bool:
    """Replace (or append) this test's own delimited section of RESULTS.md; never create the file."""
    if not RESULTS_PATH.exists():
        return False
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"{SECTION_START}\n## Charge (clients websocket)\n\n"
        f"Généré par `uv run python -m benchmarks.ws_load_test` le {stamp}.\n\n{body}\n{SECTION_END}"
    )
    text = RESULTS_PATH.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(SECTION_START) + r".*?" + re.escape(SECTION_END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_PATH.write_text(text, encoding="utf-8")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description="Test de charge borné du serveur par clients websocket (local).")
    parser.add_argument("--sessions", type=int, default=20, help="clients websocket simultanés")
    parser.add_argument("--duration", type=float, default=60.0, help="durée en secondes")
    parser.add_argument("--max-iterations", type=int, default=500, help="pages au plus par client")
    parser.add_argument("--timeout", type=float, default=120.0, help="attente maximale d'une page, en secondes")
    parser.add_argument("--settle", type=float, default=15.0, help="pause sans client avant la dernière mesure")
    parser.add_argument("--write", action="store_true", help="met à jour la section dédiée de benchmarks/RESULTS.md")
    args = parser.parse_args()
    report = asyncio.run(run(args.sessions, args.duration, args.max_iterations, args.timeout, args.settle))
    body = markdown(report)
    print(body)
    if args.write:
        if write_section(body):
            print(f"\nSection « Charge (clients websocket) » écrite dans {RESULTS_PATH}.")
        else:
            print(f"\n{RESULTS_PATH} absent : rien n'est écrit.")


if __name__ == "__main__":
    main()
