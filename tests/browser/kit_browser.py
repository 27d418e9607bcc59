"""Helpers for tests that drive a real Chromium: reports opened from disk, JupyterLab.

The browser is Debian's ``chromium`` (or ``$KIT_CHROMIUM``) driven by Playwright;
Playwright's own browser download is not used. Without a browser the tests skip
locally, with a message saying how to install one; in CI (``CI=true``) they fail.

Every page runs with the network cut off: a request whose scheme is not
``file:``, ``data:``, ``about:`` or ``blob:`` (or, for JupyterLab, not to the test
server on 127.0.0.1) is aborted and recorded, so a test can assert none was made.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import paths

IN_CI = os.environ.get("CI", "").lower() == "true"
SCREENSHOT_DIR = paths.CACHE_DIR / "test-screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's own sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: Milliseconds for any single browser wait.
WAIT_MS = 20_000
LOCAL_SCHEMES = {"file", "data", "about", "blob"}


def find_chromium() -> str | None:
    """Path of a Chromium to drive: ``$KIT_CHROMIUM``, else the system's, else None."""
    explicit = os.environ.get("KIT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def no_browser(reason: str) -> None:
    message = (
        f"{reason}. Install one with `apt-get install chromium` (or set KIT_CHROMIUM "
        "to a Chromium executable); .ci/run does this."
    )
    if IN_CI:
        pytest.fail(f"CI=true and the browser tests cannot run: {message}", pytrace=False)
    pytest.skip(f"browser tests skipped: {message}")


@dataclass
class Watched:
    """A page plus everything it complained about or tried to fetch."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"blocked network request: {u}" for u in self.blocked]
        )

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot under ``.cache/test-screenshots/``; return its path.

        Call it only on failure: passing tests write no files.
        """
        return save_screenshot(self.snapshot(), name)

    def snapshot(self) -> bytes | None:
        """A full-page screenshot in memory (None if the page cannot take one)."""
        with contextlib.suppress(Exception):  # a screenshot must never hide the real failure
            return self.page.screenshot(full_page=True, timeout=WAIT_MS)
        return None


def save_screenshot(png: bytes | None, name: str) -> Path | str:
    """Write a screenshot taken earlier (for a failure message); return its path."""
    if png is None:
        return "(no screenshot: the page could not take one)"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    path.write_bytes(png)
    return path


#: A phone as the reports are checked on one (390x844 CSS px, 2x, touch).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def open_watched(browser, allowed_origin: str | None = None, **context_args) -> Watched:
    """A new context and page that abort every non-local request and record errors."""
    context = browser.new_context(**context_args)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    watched = Watched(page)

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        local = parts.scheme in LOCAL_SCHEMES or (
            allowed_origin is not None and f"{parts.scheme}://{parts.netloc}" == allowed_origin
        )
        if local:
            r.continue_()
        else:
            watched.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page.on(
        "console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: watched.page_errors.append(str(e)))
    return watched


def map_counts(frame) -> dict:
    """Layers on the frame's Leaflet map, counted by kind (from Leaflet itself, not the DOM)."""
    return frame.evaluate("""() => {
      // folium names its map map_<hash>; other window properties may throw when read.
      const maps = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
                         .filter(v => window.L && v instanceof L.Map);
      const n = {maps: maps.length, vectors: 0, markers: 0, popups: 0};
      maps.forEach(m => m.eachLayer(l => {
        if (l instanceof L.Marker || l instanceof L.CircleMarker) n.markers += 1;
        else if (l instanceof L.Path) n.vectors += 1;
        if (l.getPopup && l.getPopup()) n.popups += 1;
      }));
      n.drawn = document.querySelectorAll('.leaflet-overlay-pane path').length;
      return n;
    }""")


# ----------------------------------------------------------------------- JupyterLab


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A running ``jupyter lab`` on 127.0.0.1 and where its files live."""

    url: str
    token: str
    root: Path
    log: Path
    output_dir: Path

    def log_tail(self, n: int = 40) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-n:])


def _wait_http(url: str, proc: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer {url} within {seconds:.0f} s")


def start_lab(root: Path, work: Path, *, seconds: float = 90) -> tuple[LabServer, subprocess.Popen]:
    """Start ``jupyter lab`` serving ``root``; every Jupyter folder is inside ``work``."""
    import secrets

    token = secrets.token_hex(16)
    port = free_port()
    for sub in ("config", "data", "runtime", "home", "output"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(work / "config"),
        JUPYTER_DATA_DIR=str(work / "data"),
        JUPYTER_RUNTIME_DIR=str(work / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(work / "config" / "lab" / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(work / "config" / "lab" / "workspaces"),
        IPYTHONDIR=str(work / "home" / ".ipython"),
        # Figures and exports the notebooks write go here, never into the kit's reports/.
        KIT_OUTPUT_DIR=str(work / "output"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_TOKEN", None)
    # No news or update checks: nothing may leave the machine.
    (work / "config" / "labconfig").mkdir(parents=True, exist_ok=True)
    (work / "config" / "labconfig" / "page_config.json").write_text(
        '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}'
    )
    cmd = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.open_browser=False",
        "--LabServerApp.collaborative=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root
    log = work / "jupyter-lab.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            cmd,
            cwd=root,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    server = LabServer(url=url, token=token, root=root, log=log, output_dir=work / "output")
    try:
        _wait_http(f"{url}/api/status?token={token}", proc, seconds)
    except Exception as exc:
        stop_lab(server, proc)
        raise RuntimeError(f"{exc}\n--- server log ---\n{server.log_tail()}") from exc
    return server, proc


def stop_lab(server: LabServer, proc: subprocess.Popen, seconds: float = 20) -> None:
    """Ask the server to shut down; terminate, then kill it if it does not."""
    if proc.poll() is None:
        req = urllib.request.Request(
            f"{server.url}/api/shutdown",
            method="POST",
            headers={"Authorization": f"token {server.token}"},
        )
        with contextlib.suppress(Exception):
            urllib.request.urlopen(req, timeout=5).close()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=seconds)
