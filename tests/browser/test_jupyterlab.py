"""The user's main path, as used: JupyterLab in Chromium, open a notebook, Run All.

A ``jupyter lab`` server starts on 127.0.0.1 (random port, random token) over a
temporary copy of ``notebooks/`` (running cells in the UI must never write outputs
into the committed notebooks). The map notebook (see ``IN_LAB``) is opened from the file browser,
run with Run → Run All Cells, and must finish with the kernel idle, every code
cell executed and no error output.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from helpers import paths

from .kit_browser import map_counts, open_watched, save_screenshot, start_lab, stop_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
#: The notebooks run here: those whose outputs JupyterLab must render itself (the map's
#: folium frame in the output area). Every notebook runs in a real kernel in the shared
#: report build (an error output fails it), and the same outputs are opened in Chromium
#: in its reports (tests/browser/test_reports.py): running them again here would repeat
#: those kernels, not test anything JupyterLab adds.
IN_LAB = [name for name in NOTEBOOKS if "map" in name]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: The kit's notebooks as they were before any test ran.
UNTOUCHED = {name: _digest(paths.NOTEBOOKS_DIR / name) for name in NOTEBOOKS}
#: Seconds a whole notebook may take to run in the UI.
RUN_SECONDS = 300


def _notebook(cells: list[str]) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"c{i}",
                    "metadata": {},
                    "outputs": [],
                    "source": src,
                }
                for i, src in enumerate(cells)
            ],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    """A JupyterLab server over a copy of the notebooks, plus two throwaway notebooks."""
    work = tmp_path_factory.mktemp("lab")
    root = work / "root"
    shutil.copytree(
        paths.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    (root / "smoke").mkdir()
    (root / "smoke" / "ok.ipynb").write_text(
        _notebook(["import time\ntime.sleep(1)\nx = 40 + 2", "print(x)"])
    )
    (root / "smoke" / "fails.ipynb").write_text(
        _notebook(["x = 1", "raise ValueError('deliberate failure')", "y = 2"])
    )
    server, proc = start_lab(root, work / "jupyter")
    try:
        yield server
    finally:
        stop_lab(server, proc)


# JavaScript run in the JupyterLab page (window.jupyterapp is exposed by the server
# option --LabApp.expose_app_in_browser) to read the notebook's state.
_STATE_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.sessionContext) return null;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const errors = [];
  cells.forEach((c, i) => {
    const outs = c.model.outputs.toJSON();
    outs.filter(o => o.output_type === 'error').forEach(o =>
      errors.push(`code cell ${i + 1}: ${o.ename}: ${o.evalue}`));
  });
  return {
    path: w.context.path,
    kernel: kernel ? kernel.status : 'none',
    pending: cells.filter(c => c.model.executionCount === null
                               || c.node.querySelector('.jp-InputPrompt')
                                        .textContent.includes('*')).length,
    cells: cells.length,
    errors: errors,
  };
}"""


def _shutdown_kernels(lab) -> None:
    """Stop every kernel the run started, so notebooks do not pile up in memory."""
    headers = {"Authorization": f"token {lab.token}"}
    with urllib.request.urlopen(
        urllib.request.Request(f"{lab.url}/api/kernels", headers=headers), timeout=10
    ) as r:
        kernels = json.load(r)
    for k in kernels:
        req = urllib.request.Request(
            f"{lab.url}/api/kernels/{k['id']}", method="DELETE", headers=headers
        )
        urllib.request.urlopen(req, timeout=30).close()


def _maps_drawn(page) -> list[dict]:
    """Leaflet layers drawn in each output iframe (scrolled into view first)."""
    drawn = []
    for handle in page.query_selector_all(".jp-OutputArea-output iframe"):
        handle.scroll_into_view_if_needed()
        frame = handle.content_frame()
        count = {}
        if frame is not None:
            try:
                frame.wait_for_selector(".leaflet-overlay-pane path", timeout=10_000)
                count = map_counts(frame)
            except Exception:  # no map drawn in this frame: reported as 0
                count = {}
        drawn.append(count)
    return drawn


def run_in_lab(browser, lab, relpath: str, shot_name: str) -> dict:
    """Open ``relpath`` from the file browser, Run All Cells, wait; return the final state."""
    watched = open_watched(
        browser, allowed_origin=lab.url, viewport={"width": 1400, "height": 1000}
    )
    page = watched.page
    try:
        # A fresh workspace per notebook: no tabs restored from the previous run.
        page.goto(
            f"{lab.url}/lab/workspaces/{shot_name}?reset&token={lab.token}",
            wait_until="domcontentloaded",
            timeout=60_000,
        )
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.started", timeout=60_000
        )
        page.evaluate("() => window.jupyterapp.restored")
        # Walk the file browser as a person would: home, then each folder, then the file.
        page.locator(".jp-BreadCrumbs-home").first.click()
        for part in Path(relpath).parts:
            item = page.locator(
                ".jp-DirListing-item", has=page.locator(".jp-DirListing-itemText", has_text=part)
            ).first
            item.wait_for(state="visible")
            item.dblclick()
        page.wait_for_function(
            "p => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.context && w.context.path === p && w.sessionContext"
            " && w.sessionContext.isReady; }",
            arg=relpath,
            timeout=60_000,
        )
        # Run → Run All Cells, through the menu bar.
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        # Wait in the page for the run's end: the kernel idle with every cell run, or idle
        # after an error (JupyterLab stops at the first one).
        try:
            page.wait_for_function(
                "() => { const s = (" + _STATE_JS + ")();"
                " return s && s.kernel === 'idle' && (s.pending === 0 || s.errors.length > 0); }",
                timeout=RUN_SECONDS * 1000,
            )
        except Exception:
            shot = watched.screenshot(f"lab-timeout-{shot_name}")
            pytest.fail(
                f"{relpath}: not finished within {RUN_SECONDS} s "
                f"(state {page.evaluate(_STATE_JS)}); screenshot {shot}"
            )
        state = page.evaluate(_STATE_JS)
        state["maps"] = _maps_drawn(page)
        # Kept in memory: written only if an assertion on this state fails.
        state["png"] = watched.snapshot()
        state["shot_name"] = f"lab-{shot_name}"
        state["page_errors"] = watched.page_errors
        state["blocked"] = watched.blocked
        _shutdown_kernels(lab)
        return state
    except Exception as exc:
        if isinstance(exc, pytest.fail.Exception):
            raise
        shot = watched.screenshot(f"lab-error-{shot_name}")
        raise AssertionError(
            f"{relpath}: {type(exc).__name__}: {exc}\nscreenshot {shot}\n"
            f"--- server log ---\n{lab.log_tail()}"
        ) from exc
    finally:
        page.context.close()


def _summary(state: dict) -> dict:
    return {k: v for k, v in state.items() if k != "png"}


def _shot(state: dict):
    """Write the run's screenshot (called from failure messages only); return its path."""
    return save_screenshot(state.get("png"), state["shot_name"])


def test_lab_runs_a_notebook_and_reports_its_errors(chromium, lab):
    """The harness itself: a good notebook passes, a failing one is caught."""
    ok = run_in_lab(chromium, lab, "smoke/ok.ipynb", "smoke-ok")
    assert ok["errors"] == [] and ok["pending"] == 0 and ok["cells"] == 2, _summary(ok)
    bad = run_in_lab(chromium, lab, "smoke/fails.ipynb", "smoke-fails")
    assert bad["errors"] == ["code cell 2: ValueError: deliberate failure"], _summary(bad)


def test_kit_notebooks_exist():
    assert NOTEBOOKS, f"no notebooks in {paths.NOTEBOOKS_DIR}"
    assert IN_LAB, "no map notebook to run in JupyterLab"


@pytest.mark.parametrize("name", IN_LAB)
def test_notebook_runs_in_jupyterlab(chromium, lab, name):
    state = run_in_lab(chromium, lab, f"notebooks/{name}", Path(name).stem)
    assert state["errors"] == [], (
        f"{name}: error output(s) after Run All Cells in JupyterLab: {state['errors']}; "
        f"screenshot {_shot(state)}"
    )
    assert state["pending"] == 0 and state["cells"] > 0, _summary(state)
    assert state["page_errors"] == [], (
        f"{name}: JavaScript errors in JupyterLab: {state['page_errors']}; "
        f"screenshot {_shot(state)}"
    )
    assert state["blocked"] == [], f"{name}: requests off the machine: {state['blocked']}"
    if "map" in name:
        assert state["maps"] and all(
            m.get("vectors") and m.get("markers") for m in state["maps"]
        ), (
            f"{name}: the interactive map does not draw in JupyterLab (layers per map: "
            f"{state['maps']}); screenshot {_shot(state)}"
        )
    # The copies were run and saved, never the kit's own notebooks.
    assert _digest(paths.NOTEBOOKS_DIR / name) == UNTOUCHED[name], f"{name} was modified"
