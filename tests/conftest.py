"""Shared test fixtures: copies of the dataset that tests may change freely.

Tests never modify ``data/``: they copy it to a temporary folder and edit the copy.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import paths

# The caller's KIT_* variables are cleared, and outputs sent to a temporary folder, by
# the repository's top-level conftest.py (it also covers the doctests in src/helpers).


def pytest_addoption(parser):
    parser.addoption(
        "--require-browser",
        action="store_true",
        help="fail the run if any browser test was skipped or none ran (CI passes this)",
    )


_BROWSER_TESTS: dict[str, list[str]] = {"ran": [], "skipped": []}


def pytest_runtest_logreport(report):
    # A browser test "ran" when its call phase happened; it "skipped" when any phase skipped.
    if "browser" not in report.keywords:
        return
    if report.skipped:
        _BROWSER_TESTS["skipped"].append(report.nodeid)
    elif report.when == "call":
        _BROWSER_TESTS["ran"].append(report.nodeid)


def _browser_requirement_broken(config) -> bool:
    if hasattr(config, "workerinput"):  # a pytest-xdist worker sees only its share of tests
        return False
    ran, skipped = _BROWSER_TESTS["ran"], _BROWSER_TESTS["skipped"]
    return config.getoption("--require-browser") and bool(skipped or not ran)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _browser_requirement_broken(session.config) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say how many browser tests really ran; with --require-browser, none may skip."""
    ran, skipped = _BROWSER_TESTS["ran"], _BROWSER_TESTS["skipped"]
    terminalreporter.write_line(f"browser tests run: {len(ran)}, skipped: {len(skipped)}")
    if _browser_requirement_broken(config):
        terminalreporter.write_line(
            "--require-browser: every browser test must run; skipped: "
            + (", ".join(skipped) or "none ran at all"),
            red=True,
        )


def copy_data(destination: Path) -> Path:
    """Copy the kit's data folder to ``destination`` (created) and return it."""
    shutil.copytree(paths.DATA_DIR, destination)
    return destination


def append_rows(data_dir: Path, table: str, rows: list[dict]) -> None:
    """Append rows to ``<data_dir>/<table>.csv``; missing columns are left empty."""
    path = Path(data_dir) / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    unknown = {key for row in rows for key in row} - set(header)
    if unknown:
        raise KeyError(f"{path.name} has no column(s) {sorted(unknown)}")
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)


def edit_cell(data_dir: Path, table: str, key: str, column: str, value: str) -> None:
    """Set one cell of ``<table>.csv``: the row whose first column equals ``key``."""
    path = Path(data_dir) / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    hits = [r for r in records[1:] if r and r[0] == key]
    if not hits:
        raise KeyError(f"{path.name} has no row {key!r}")
    hits[0][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of ``data/`` for one test."""
    return copy_data(tmp_path / "data")


@pytest.fixture(scope="session")
def kit_reports(tmp_path_factory):
    """The report build of the kit's own data, made once per run and shared by every test
    that reads it (``kit_build.shared_build``): its pages, figures and exported tables are
    what the notebooks' kernels wrote. Tests that change a build copy it first."""
    from kit_build import shared_build

    build = shared_build("kit", tmp_path_factory)
    assert build.returncode == 0, build.describe()
    return build


def as_of_reports(tmp_path_factory, as_of: str):
    """The report build as of ``as_of`` (ISO date), made once per run, like ``kit_reports``;
    returns the build and its folder of reports."""
    from kit_build import shared_build

    build = shared_build(f"as-of-{as_of}", tmp_path_factory, None, "--as-of", as_of)
    assert build.returncode == 0, build.describe()
    return build, build.root / f"reports-as-of-{as_of}"


def report_page(reports: Path, name: str) -> tuple[str, str, list[dict]]:
    """A built report's words as a reader sees them, its HTML, and its images' attributes."""
    from html_tags import parse, texts_shown

    html = (reports / f"{name}.html").read_text(encoding="utf-8")
    return " ".join(" ".join(texts_shown(html)).split()), html, parse(html).images


def template_scripts() -> int:
    """How many <script> elements the report template itself writes into every page."""
    from helpers import report

    template = Path(report.__file__).parent / "templates" / "kit_report" / "index.html.j2"
    return template.read_text(encoding="utf-8").count("<script")


def execute_notebook(
    name: str,
    *,
    output_dir: Path,
    data_dir: Path | None = None,
    parameters: dict | None = None,
    env: dict | None = None,
    timeout: int = 300,
):
    """Run ``notebooks/<name>`` from a clean kernel as the report build does; return it.

    Parameters go in a cell after the one tagged ``parameters`` (papermill's way);
    ``KIT_OUTPUT_DIR``/``KIT_DATA_DIR`` (and ``env``) are set for the kernel only.
    """

    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(paths.NOTEBOOKS_DIR / name, as_version=4)
    if parameters:
        from helpers.report.execute import inject_parameters

        nb = inject_parameters(nb, parameters)
    # Without PYTEST_CURRENT_TEST, as the report build's kernels run: ipykernel stops
    # copying what is written to the process's standard error into the cell's output
    # when it sees that variable, which would hide such output from the tests.
    dropped = {"KIT_DATA_DIR", "PYTEST_CURRENT_TEST"}
    kernel_env = {k: v for k, v in os.environ.items() if k not in dropped}
    kernel_env["KIT_OUTPUT_DIR"] = str(output_dir)
    if data_dir is not None:
        kernel_env["KIT_DATA_DIR"] = str(data_dir)
    kernel_env.update(env or {})
    # IPC sockets named after a private connection file, as the report build's kernels:
    # over TCP a kernel binds ports that were free a moment earlier, and tests running in
    # parallel (pytest-xdist) could take one in between.
    sockets = Path(tempfile.mkdtemp(prefix="kit-test-kernel-"))
    km = AsyncKernelManager(
        kernel_name="python3", transport="ipc", connection_file=str(sockets / "kernel.json")
    )
    client = NotebookClient(
        nb, km=km, timeout=timeout, resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}}
    )
    try:  # cleanup_kc: stop the kernel afterwards, as nbclient does for a manager it made
        client.execute(env=kernel_env, cleanup_kc=True)
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    return nb


def notebook_outputs(nb) -> tuple[str, str, list[dict]]:
    """An executed notebook's text (streams and Markdown), HTML, and image metadata;
    fails on an error output."""
    text, html, images = [], [], []
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        for output in cell.outputs:
            assert output.output_type != "error", output
            if output.output_type == "stream":
                text.append(output.text)
            data = output.get("data", {})
            text.append(data.get("text/markdown", ""))  # a computed bottom line
            html.append(data.get("text/html", ""))
            if "image/png" in data:
                images.append(output.metadata["image/png"])
    return "\n".join(text), "\n".join(html), images
