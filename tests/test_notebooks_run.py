"""The quick tier's sample of the notebooks run: a broken cell fails it without a kernel.

Every code cell of the sampled notebooks runs in order, by IPython (as a kernel runs it),
in one child process with its own IPython folder and no history, so neither this process
nor the user's ``~/.ipython`` is touched. The sample is the two notebooks that read and
compare the sources (a second each); the slow tier runs every notebook in a real kernel
(``test_notebook_0N.py``, ``test_narrative.py``, the builds), and ``make lint`` reads
every cell of every notebook for syntax errors and undefined names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths

SAMPLE = ["00-read-the-source.ipynb", "04-how-each-told-it.ipynb"]

#: Runs each notebook's code cells in order; the first that fails is named, and the run ends.
RUNNER = """
import json, sys
import matplotlib
matplotlib.use("Agg")
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

config = Config()
config.HistoryManager.enabled = False
shell = InteractiveShell.instance(config=config)
for path in sys.argv[1:]:
    cells = json.loads(open(path, encoding="utf-8").read())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    for number, cell in enumerate(code, 1):
        result = shell.run_cell("".join(cell["source"]), silent=True, store_history=False)
        if not result.success:
            error = result.error_before_exec or result.error_in_exec
            print(f"FAILED {path}: code cell {number}: {error!r}", file=sys.stderr)
            sys.exit(1)
"""


def run_cells(notebooks: list[Path], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIT_", "PYTEST_"))}
    env |= {"KIT_OUTPUT_DIR": str(tmp_path / "out"), "IPYTHONDIR": str(tmp_path / "ipython")}
    return subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, notebooks)],
        cwd=paths.NOTEBOOKS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_a_sample_of_the_notebooks_runs_every_cell(tmp_path):
    done = run_cells([paths.NOTEBOOKS_DIR / name for name in SAMPLE], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (tmp_path / "ipython" / "profile_default" / "history.sqlite").exists()


@pytest.mark.parametrize("broken", ["undefined_name_here", "def f(:"])
def test_the_sample_fails_on_a_broken_cell_and_names_it(tmp_path, broken):
    notebook = json.loads((paths.NOTEBOOKS_DIR / SAMPLE[0]).read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    code[1]["source"] = broken
    path = tmp_path / SAMPLE[0]
    path.write_text(json.dumps(notebook), encoding="utf-8")
    done = run_cells([path], tmp_path)
    assert done.returncode == 1 and f"{path}: code cell 2:" in done.stderr, done.stderr
