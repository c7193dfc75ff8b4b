"""Start the real app on a free loopback port for browser tests, the load test and the screenshot script."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a downloaded browser; no network beyond the loopback server.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def streamlit_command(port: int, options: Mapping[str, str] | None = None, script: Path | str = "app.py") -> list[str]:
    """`streamlit run <script>` (the app by default) on a loopback port; `options` override config.toml."""
    extra = [arg for key, value in (options or {}).items() for arg in (f"--{key}", value)]
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        HOST,
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]


def wait_healthy(process: subprocess.Popen, url: str, timeout: float, what: str = "Le serveur Streamlit") -> None:
    """Return once `url` answers its health check; a French RuntimeError if the process dies or is too slow."""
    deadline = time.monotonic() + timeout
    while not _healthy(url):
        if process.poll() is not None:
            raise RuntimeError(f"{what} s'est arrêté au démarrage (code {process.returncode}).")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} ne répond pas sur {url} après {timeout:.0f} s.")
        time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def running_app(
    log_path: Path | None = None,
    startup_timeout: float = 120.0,
    options: Mapping[str, str] | None = None,
    script: Path | str = "app.py",
) -> Iterator[tuple[str, int]]:
    """Yield (base URL, server pid) of `streamlit run <script>` (the app by default); always stopped afterwards."""
    port = free_port()
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        streamlit_command(port, options, script), cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://{HOST}:{port}"
    try:
        wait_healthy(process, url, startup_timeout)
        yield url, process.pid
    finally:
        stop(process)
        if log_path:
            log.close()


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process (VmRSS, KiB), None when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@contextmanager
def sized_context_page(browser, width: int, height: int) -> Iterator[object]:
    """A page of a fresh French browser context at the given viewport, closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    context.set_default_timeout(60_000)
    try:
        yield context.new_page()
    finally:
        context.close()
