"""Bounded load test with Streamlit's own websocket protocol: N concurrent clients, no browser, loopback only.

    uv run python -m benchmarks.ws_load_test --sessions 20 --duration 60 [--backends 2]

Chromium tabs saturate a 2-core machine before the server does (benchmarks/load_test.py); these clients only
send the `rerun_script` message a browser sends and read the server's messages until the run is over, so the
figures are the server's time to a rendered page. Servers of our own on free loopback ports, nothing else:
one `streamlit run`, or with `--backends N` N processes behind nginx (scripts/serve_multi.py). The report of
record, 20 and 100 sessions in one run, is written by `benchmarks.load_report`.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import math
import os
import socket
import statistics
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from tests.e2e.server import rss_kib, running_app

# url_pathname of each page in app.py ("" = default page, the overview at the root URL).
PAGES = ["", "projets", "derives", "marches", "simulations", "donnees"]
# Every client changes filters from one page to the next, as in a meeting where links are shared.
FILTER_SETS = [
    "",
    "edition=2016-11",
    "ministere=interieur",
    "seuil=30",
    "q=identite",
    "edition=2019-03&ministere=armees",
    "phase=deploiement&tranche=plus-100",
    "inter=1&seuil=10",
    "comparer=2018-03",
    "ministere=justice&ministere=sante&q=numerique",
]
VIEWS = [(page, query) for query in FILTER_SETS for page in PAGES]
# The meeting: views no other run opens (nothing of them is cached yet), each opened by everyone at once.
MEETING_FILTERS = ["edition=2019-03&seuil=15", "edition=2018-03&ministere=interieur&seuil=25"]
SAMPLE_INTERVAL_S = 1.0


@dataclass
class RenderedPage:
    """What one script run sent back: enough to time it and to check it like a browser would."""

    seconds: float
    headings: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    backend: str | None = None  # the serving backend, when nginx says it (scripts/serve_multi.py)


def stream_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + "/_stcore/stream"


def require_loopback(base_url: str) -> None:
    """Refuse to load anything but this machine: the test is for our own servers only."""
    host = urlsplit(base_url).hostname or ""
    if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
        raise ValueError(f"Test de charge refusé : {base_url} n'est pas sur la boucle locale (127.0.0.1).")


@asynccontextmanager
async def streamlit_session(base_url: str, headers: Mapping[str, str] | None = None) -> AsyncIterator[ClientConnection]:
    """One Streamlit session, opened as the frontend does (subprotocol "streamlit", no XSRF token)."""
    async with connect(
        stream_url(base_url), subprotocols=["streamlit"], max_size=None, open_timeout=30, additional_headers=headers
    ) as ws:
        yield ws


def _record(page: RenderedPage, msg: ForwardMsg) -> None:
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "heading":
        page.headings.append(element.heading.body)
    elif kind == "metric":
        page.metrics[element.metric.label] = element.metric.body
    elif kind == "exception":
        page.exceptions.append(f"{element.exception.type}: {element.exception.message}")


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
                _record(page, msg)
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


def view_label(page_name: str, query_string: str = "") -> str:
    return "/" + page_name + (f"?{query_string}" if query_string else "")


async def load_page(
    base_url: str, page_name: str, query_string: str, timeout: float, headers: Mapping[str, str] | None = None
) -> RenderedPage:
    """A visitor opening the link `/<page_name>?<query_string>`: a new session, timed from the connection on.

    A new session per page, as a browser tab loading a shared link: within one session the app reads the URL
    only on its first run and keeps the filters in widget state, which a bare client does not send back.
    """
    started = time.perf_counter()
    async with asyncio.timeout(timeout), streamlit_session(base_url, headers) as ws:
        page = await render(ws, page_name, query_string, timeout)
        page.backend = ws.response.headers.get("X-Panorama-Backend") if ws.response else None
    page.seconds = time.perf_counter() - started
    return page


@dataclass
class Outcome:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    backends: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def everything(self) -> list[float]:
        return [t for values in self.timings.values() for t in values]


async def _visit(base_url: str, page_name: str, query: str, timeout: float, out: Outcome) -> None:
    """One link opened; its time, or the error, timeout or page exception it met, recorded in `out`."""
    label = view_label(page_name, query)
    try:
        rendered = await load_page(base_url, page_name, query, timeout)
    except TimeoutError:
        out.timeouts.append(label)
        return
    except (OSError, RuntimeError, WebSocketException) as error:
        out.errors.append(f"{label} : {type(error).__name__}: {error}")
        return
    if rendered.page_not_found:
        out.errors.append(f"{label} : page introuvable")
    out.exceptions.extend(f"{label} : {text}" for text in rendered.exceptions)
    out.timings[page_name].append(rendered.seconds)
    if rendered.backend:
        out.backends[rendered.backend] += 1


async def _client(
    base_url: str, index: int, deadline: float, max_iterations: int, timeout: float, out: Outcome
) -> None:
    """One visitor opening link after link until the deadline or `max_iterations` pages."""
    for iteration in range(max_iterations):
        if time.monotonic() >= deadline:
            break
        page_name, query = VIEWS[(index + iteration) % len(VIEWS)]
        await _visit(base_url, page_name, query, timeout, out)


async def single_visitor(base_url: str, rounds: int, timeout: float) -> Outcome:
    """One visitor alone, opening each page with `rounds` different filters: the server time per new page."""
    out = Outcome()
    for round_index in range(rounds):
        for page_name in PAGES:
            await _visit(base_url, page_name, FILTER_SETS[round_index % len(FILTER_SETS)], timeout, out)
    return out


async def meeting(base_url: str, sessions: int, timeout: float) -> Outcome:
    """A meeting: the presenter shares a link and `sessions` people open it at the same moment; once every one
    has the page, the next link (every page, then again with other filters). The figures are what each waited."""
    require_loopback(base_url)
    out = Outcome()
    for query in MEETING_FILTERS:
        for page_name in PAGES:
            await asyncio.gather(*(_visit(base_url, page_name, query, timeout, out) for _ in range(sessions)))
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/<pid>/stat), None when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    """CPU seconds and resident memory of the serving processes at one instant (sums over the processes)."""

    at_s: float
    cpu_s: float
    rss_kib: int


def usage(pids: list[int], origin: float) -> Usage:
    return Usage(
        time.monotonic() - origin,
        sum(cpu_seconds(pid) or 0.0 for pid in pids),
        sum(rss_kib(pid) or 0 for pid in pids),
    )


async def _sample(pids: Callable[[], list[int]], origin: float, into: list[Usage], stop: asyncio.Event) -> None:
    while not stop.is_set():
        into.append(usage(pids(), origin))
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_INTERVAL_S)


@dataclass
class Report:
    """One bounded run of `sessions` concurrent clients against a warm server."""

    sessions: int
    duration_s: float
    elapsed_s: float
    outcome: Outcome
    samples: list[Usage]  # every SAMPLE_INTERVAL_S from the start, then one at the end
    settled: Usage  # after `settle_s` without any client
    settle_s: float
    client_cpu_s: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    @property
    def server_cpu_s(self) -> float:
        return self.samples[-1].cpu_s - self.samples[0].cpu_s

    @property
    def rss_peak_kib(self) -> int:
        return max(sample.rss_kib for sample in self.samples)


async def run_sessions(
    base_url: str,
    pids: Callable[[], list[int]],
    sessions: int,
    duration: float,
    max_iterations: int,
    timeout: float,
    settle: float,
) -> Report:
    """`sessions` clients opening links until `duration` seconds are over, the server sampled every second."""
    require_loopback(base_url)
    out, samples, stop = Outcome(), [], asyncio.Event()
    load_before = os.getloadavg()
    client_cpu = time.process_time()
    origin = time.monotonic()
    sampler = asyncio.create_task(_sample(pids, origin, samples, stop))
    deadline = origin + duration
    await asyncio.gather(*(_client(base_url, i, deadline, max_iterations, timeout, out) for i in range(sessions)))
    elapsed = time.monotonic() - origin
    stop.set()
    await sampler
    samples.append(usage(pids(), origin))
    client_cpu = time.process_time() - client_cpu
    load_after = os.getloadavg()
    await asyncio.sleep(settle)  # sessions closed: let the server drop them before the last reading
    settled = usage(pids(), origin)
    return Report(sessions, duration, elapsed, out, samples, settled, settle, client_cpu, load_before, load_after)


async def warm_up(base_url: str) -> None:
    """The first run of each page loads and caches the data: every page once, outside the figures."""
    for page_name in PAGES:
        await load_page(base_url, page_name, "", timeout=180)


@contextmanager
def serving(backends: int, options: Mapping[str, str] | None = None) -> Iterator[tuple[str, Callable[[], list[int]]]]:
    """(base URL, serving pids) of one `streamlit run` (backends = 0) or of `backends` processes behind nginx."""
    if backends == 0:
        with running_app(options=options) as (url, pid):
            yield url, lambda: [pid]
        return
    from scripts.serve_multi import running_cluster

    with running_cluster(backends, backend_header=True, options=options) as cluster:
        yield cluster.url, cluster.pids


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def seconds_fr(values: list[float], pick: Callable[[list[float]], float]) -> str:
    return f"{pick(values):.2f}".replace(".", ",") if values else "—"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def _fr(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def page_table(out: Outcome) -> list[str]:
    """Markdown rows: pages rendered, median, p95 and max per page and overall."""
    lines = ["| Page | pages rendues | médiane (s) | p95 (s) | max (s) |", "|---|---:|---:|---:|---:|"]
    for label, values in [*((f"`{view_label(p)}`", out.timings.get(p, [])) for p in PAGES), ("**ensemble**", None)]:
        values = out.everything if values is None else values
        lines.append(
            f"| {label} | {len(values)} | {seconds_fr(values, statistics.median)} "
            f"| {seconds_fr(values, p95)} | {seconds_fr(values, max)} |"
        )
    return lines


def rss_series(samples: list[Usage], points: int = 8) -> str:
    """Resident memory over the run, a few evenly spaced readings: « 0 s : 310 Mio, 10 s : 342 Mio, … »."""
    step = max(1, math.ceil(len(samples) / points))
    picked = [*samples[::step], samples[-1]] if (len(samples) - 1) % step else samples[::step]
    return ", ".join(f"{sample.at_s:.0f} s : {_mib(sample.rss_kib)} Mio" for sample in picked)


def markdown(report: Report, cores: int) -> str:
    """French markdown of one run: the page table, then errors, throughput, CPU and memory."""
    out = report.outcome
    first, last = report.samples[0], report.samples[-1]
    cpu_share = report.server_cpu_s / (report.elapsed_s * cores) if report.elapsed_s else 0.0
    lines = [
        f"{report.sessions} clients simultanés pendant {report.duration_s:.0f} s (écoulé : {report.elapsed_s:.0f} s, "
        f"load average 1 min : {report.load_before[0]:.1f} au début, {report.load_after[0]:.1f} à la fin).",
        "",
        *page_table(out),
        "",
        f"- Erreurs : {len(out.errors)} ; délais dépassés : {len(out.timeouts)} ; "
        f"exceptions Streamlit dans les pages : {len(out.exceptions)}.",
        f"- Débit : {_fr(len(out.everything) / report.elapsed_s if report.elapsed_s else 0.0)} pages/s.",
        f"- CPU des processus serveurs : {_fr(report.server_cpu_s)} s pour {report.elapsed_s:.0f} s écoulées, "
        f"soit {cpu_share:.0%} de {cores} cœurs ; clients de test : {_fr(report.client_cpu_s)} s.",
        f"- Mémoire résidente des processus serveurs (Mio) : {_mib(first.rss_kib)} au début, pic "
        f"{_mib(report.rss_peak_kib)}, {_mib(last.rss_kib)} à la fin, {_mib(report.settled.rss_kib)} après "
        f"{report.settle_s:.0f} s sans client ; croissance sur la série : "
        f"{(report.settled.rss_kib - first.rss_kib) / 1024:+.0f} Mio.",
        f"- Mémoire au fil de l'essai : {rss_series(report.samples)}.",
    ]
    if out.backends:
        spread = ", ".join(f"{backend} : {count}" for backend, count in sorted(out.backends.items()))
        lines.append(f"- Pages par processus Streamlit (via nginx) : {spread}.")
    lines += [f"  - {problem}" for problem in (out.errors + out.timeouts + out.exceptions)[:10]]
    return "\n".join(lines)


async def _main_async(args: argparse.Namespace) -> None:
    with serving(args.backends) as (url, pids):
        await warm_up(url)
        for sessions in args.sessions:
            report = await run_sessions(
                url, pids, sessions, args.duration, args.max_iterations, args.timeout, args.settle
            )
            print(markdown(report, os.cpu_count() or 1), end="\n\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Test de charge borné du serveur par clients websocket (local).")
    parser.add_argument("--sessions", type=int, nargs="+", default=[20], help="clients simultanés, un essai par valeur")
    parser.add_argument("--duration", type=float, default=60.0, help="durée de chaque essai en secondes")
    parser.add_argument("--max-iterations", type=int, default=500, help="pages au plus par client")
    parser.add_argument("--timeout", type=float, default=120.0, help="attente maximale d'une page, en secondes")
    parser.add_argument("--settle", type=float, default=15.0, help="pause sans client avant la dernière mesure")
    parser.add_argument("--backends", type=int, default=0, help="processus Streamlit derrière nginx (0 : sans nginx)")
    asyncio.run(_main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
