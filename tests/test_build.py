"""The report build: cache decisions, parameters, index, kernels, failures, interrupts.

Tests build tiny notebooks of their own in a temporary folder (never the kit's
notebooks), on a temporary data folder written here (test data, marked as such),
with stdlib-only code so kernels are quick. Builds run with an explicit
environment: nothing ``KIT_*`` from the caller's shell reaches them.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from html_tags import loaded_urls
from kit_build import as_a_terminal_job, processes_mentioning, wait_until

from conftest import append_rows, copy_data, edit_cell
from helpers import paths
from helpers.data import export, fingerprint
from helpers.report import build as B
from helpers.report import cache, execute, index, kernel_setup, runner


@pytest.fixture(autouse=True)
def _no_kit_env(monkeypatch):
    for name in [n for n in os.environ if n.startswith("KIT_")]:
        monkeypatch.delenv(name)


# Notebooks are written as plain JSON: importing nbformat costs seconds.
def md(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def code(source: str, tags: list[str] | None = None) -> dict:
    return {
        "cell_type": "code",
        "metadata": {"tags": tags} if tags else {},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }


def write_nb(path: Path, cells: list) -> Path:
    nb = {
        "nbformat": 4,
        "nbformat_minor": 4,
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


PARAMS = code("AS_OF = None", tags=["parameters"])


def reader_nb(path: Path, table: str, title: str) -> Path:
    """A notebook that reads one data file and prints its parameters."""
    return write_nb(
        path,
        [
            md(f"# {title}\n\n**Bottom line.** Reads {table} <script>alert(1)</script>."),
            PARAMS,
            code(
                "import os\nfrom helpers import paths\n"
                f"rows = (paths.data_dir() / '{table}').read_text().splitlines()\n"
                "print('rows', len(rows), 'as_of', AS_OF, 'out', os.environ['KIT_OUTPUT_DIR'])"
            ),
        ],
    )


@pytest.fixture
def kit(tmp_path: Path) -> B.BuildConfig:
    """A build configuration over temporary notebooks, data (test data), reports and cache."""
    nbs, data, helper = tmp_path / "notebooks", tmp_path / "data", tmp_path / "helper"
    for d in (nbs, data, helper):
        d.mkdir()
    (data / "a.csv").write_text("x\n1\n2\n")
    (data / "b.csv").write_text("y\n3\n")
    (data / "sources.csv").write_text(
        "source_id,title,publisher,published\n"
        'test-1,"TEST DATA: leaders <b>meet</b>",Test Wire,2021-01-11\n'
        "test-2,عنوان تجريبي,وكالة اختبار,2021-01-12\n"
    )
    (helper / "mod.py").write_text("X = 1\n")
    env = tmp_path / "requirements.lock"
    env.write_text("pandas==3.1.1\n")
    reader_nb(nbs / "00-read-a.ipynb", "a.csv", "Read A")
    reader_nb(nbs / "01-read-b.ipynb", "b.csv", "Read B & more")
    return B.BuildConfig(
        notebooks_dir=nbs,
        reports_dir=tmp_path / "reports",
        cache_dir=tmp_path / "cache",
        data_dir=data,
        jobs=2,
        env_files=[env],
        helper_dir=helper,
        timeout=60,
    )


def run(cfg: B.BuildConfig) -> tuple[int, str]:
    out = io.StringIO()
    status = B.build(cfg, out=out)
    return status, out.getvalue()


def reasons(cfg: B.BuildConfig) -> dict[str, str]:
    """What the cache decides now, without running anything."""
    manifest = cache.Manifest.load(cfg.manifest_path)
    plans, _ = cache.plan_build(cfg, manifest, cache.StatCache(manifest.stat))
    return {p.name: p.reason for p in plans}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
    return {**env, **extra}


# ---------------------------------------------------------------- fast tests


def test_loaded_urls_finds_remote_loads():
    # The checker itself must be able to fail.
    page = (
        '<script src="https://cdn.x/a.js"></script><img src="data:image/png;base64,AA">'
        '<iframe srcdoc="&lt;link rel=stylesheet href=&quot;http://y/c.css&quot;&gt;">'
    )
    assert loaded_urls(page) == ["https://cdn.x/a.js", "data:image/png;base64,AA", "http://y/c.css"]


def imported_modules(path: Path, package: str) -> set[str]:
    """Absolute names of the modules a source file imports (relative imports resolved)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module) if p)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_the_build_imports_nothing_from_the_views():
    report = paths.ROOT / "src" / "helpers" / "report"
    imports = {p.name: imported_modules(p, "helpers.report") for p in sorted(report.glob("*.py"))}
    assert any("helpers.images" in found for found in imports.values())  # the check sees imports
    views = {
        n: sorted(m for m in found if m.startswith("helpers.views")) for n, found in imports.items()
    }
    assert not {n: v for n, v in views.items() if v}


def test_code_fingerprint_ignores_outputs_but_not_tags():
    a = {"cells": [{"cell_type": "code", "source": "x=1", "outputs": [], "metadata": {}}]}
    b = json.loads(json.dumps(a))
    b["cells"][0]["outputs"] = [{"output_type": "stream", "text": "noise"}]
    b["cells"][0]["execution_count"] = 7
    assert cache.code_fingerprint(a) == cache.code_fingerprint(b)
    b["cells"][0]["metadata"]["tags"] = ["parameters"]
    assert cache.code_fingerprint(a) != cache.code_fingerprint(b)


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    target.write_bytes(b"old")

    def boom(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        export.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temp file left


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_written_files_get_the_permissions_of_a_plain_open(tmp_path, umask):
    import pandas as pd

    old = os.umask(umask)
    try:
        with open(tmp_path / "plain.txt", "w") as handle:  # what any other file gets
            handle.write("x")
        export.atomic_write(tmp_path / "report.html", b"<p>x</p>")
        export.write_csv(pd.DataFrame({"a": ["=1"]}), tmp_path / "table.csv")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes == dict.fromkeys(["plain.txt", "report.html", "table.csv"], 0o666 & ~umask)


def test_the_index_and_the_dataset_give_one_fingerprint(tmp_path):
    import helpers

    data = tmp_path / "data"
    import shutil

    shutil.copytree(paths.DATA_DIR, data)
    (data / ".~lock.claims.csv#").write_text("spreadsheet lock file")  # hidden: never counts
    stats = cache.StatCache()
    from_build = fingerprint.of_snapshot(fingerprint.snapshot(data, stats.sha))
    assert from_build == helpers.load(data).fingerprint() == helpers.fingerprint(data)
    (data / "claims.csv").write_text((data / "claims.csv").read_text() + "\n")
    assert fingerprint.fingerprint(data) != from_build


def test_noop_build_imports_nothing_heavy(tmp_path):
    # The cache decision must not import nbformat/nbclient (seconds of start-up) or
    # asyncio (a fifth of a no-op build), nor Jinja when the index has nothing new to show.
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    cfg = B.BuildConfig(notebooks_dir=nbs, reports_dir=tmp_path / "r", cache_dir=tmp_path / "c")
    script = textwrap.dedent(f"""
        import io, sys
        from pathlib import Path
        from helpers.report import build
        cfg = build.BuildConfig(notebooks_dir=Path({str(nbs)!r}),
            reports_dir=Path({str(cfg.reports_dir)!r}), cache_dir=Path({str(cfg.cache_dir)!r}))
        assert build.build(cfg, out=io.StringIO()) == 0
        heavy = ("nbformat", "nbconvert", "nbclient", "pandas", "jsonschema", "papermill",
                 "asyncio")
        print([m for m in heavy if m in sys.modules], "jinja2" in sys.modules)
    """)
    first, second = (
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=clean_env()
        ).stdout.strip()
        for _ in range(2)
    )
    assert (first, second) == ("[] True", "[] False")


def test_as_of_builds_into_a_separate_folder(kit):
    kit.as_of = "2020-12-31"
    assert kit.out_dir.name == "reports-as-of-2020-12-31"
    assert kit.out_dir != kit.reports_dir
    assert B.BuildConfig(as_of=None).out_dir == paths.REPORTS_DIR


def test_cli_rejects_a_bad_date(capsys):
    from helpers.report import cli

    with pytest.raises(SystemExit):
        cli.main(["--as-of", "31/12/2020"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def _record(reads: list[str], data: dict[str, str]) -> cache.NotebookRecord:
    return cache.NotebookRecord({}, data, reads, "", "", "", 1.0)


def test_a_changed_table_reruns_only_the_notebooks_that_read_it(kit):
    data = fingerprint.snapshot(kit.data_dir)
    manifest = cache.Manifest(
        {
            "00-read-a": _record(["a.csv", "sources.csv"], data),
            "01-read-b": _record(["b.csv", "sources.csv"], data),
        }
    )
    (kit.data_dir / "b.csv").write_text("y\n3\n4\n")
    now = fingerprint.snapshot(kit.data_dir)
    assert cache.required_data("00-read-a", manifest, now) == {"a.csv", "sources.csv"}
    assert cache._data_reason("00-read-a", manifest, now) == ""
    assert cache._data_reason("01-read-b", manifest, now) == "b.csv changed"
    # A file nobody was seen reading (a new one): it may be read next time, by anyone.
    (kit.data_dir / "c.csv").write_text("z\n")
    now = fingerprint.snapshot(kit.data_dir)
    assert cache._data_reason("00-read-a", manifest, now) == "c.csv changed"
    # A file deleted counts as changed for its readers only.
    (kit.data_dir / "c.csv").unlink()
    (kit.data_dir / "a.csv").unlink()
    now = fingerprint.snapshot(kit.data_dir)
    assert cache._data_reason("00-read-a", manifest, now) == "a.csv changed"
    assert cache._data_reason("01-read-b", manifest, now) == "b.csv changed"


def test_the_reason_says_which_columns_or_how_many_rows_of_a_table_changed(kit):
    data = fingerprint.snapshot(kit.data_dir)
    manifest = cache.Manifest({"00-read-a": _record(["a.csv", "sources.csv"], data)})
    cache.remember_tables(manifest, kit.data_dir, data)
    manifest = cache.Manifest.load(_saved(manifest, kit.cache_dir / "m.json"))  # kept on disk

    def reason() -> str:
        now = fingerprint.snapshot(kit.data_dir)
        cache.remember_tables(manifest, kit.data_dir, now)
        return cache._data_reason("00-read-a", manifest, now)

    edit_cell(kit.data_dir, "sources", "test-1", "publisher", "Other Wire (test data)")
    assert reason() == "sources.csv changed: column publisher"
    append_rows(kit.data_dir, "sources", [{"source_id": "test-3", "title": "TEST DATA"}])
    assert reason() == "sources.csv changed: 1 row added"
    (kit.data_dir / "a.csv").write_text("x,note\n1,\n2,\n")
    assert reason() == "a.csv changed: column note added; sources.csv changed: 1 row added"


def _saved(manifest: cache.Manifest, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(manifest.to_json())
    return path


@pytest.fixture(params=["files", "preloaded"])
def kernel_env(request, tmp_path) -> dict[str, str]:
    """A kernel's environment: the data read from its files, or handed over by the build."""
    if request.param == "files":
        return clean_env()
    cfg = B.BuildConfig(data_dir=paths.DATA_DIR)
    pickled = B.preload_dataset(cfg, tmp_path)
    assert pickled
    return clean_env(**{paths.PRELOADED_DATASET_ENV: pickled})


def _reads_in_a_kernel_like_process(env: dict[str, str], lines: str) -> list[list[str]]:
    """Run ``lines`` after kernel_setup.install in a fresh interpreter (audit hooks cannot
    be removed), as the build's hidden first cell does; each ``show()`` prints the reads."""
    script = textwrap.dedent(f"""
        from pathlib import Path
        from helpers.report import kernel_setup
        import helpers
        data = Path({str(paths.DATA_DIR)!r})
        kernel_setup.install(str(data))
        show = kernel_setup.finish
    """) + textwrap.dedent(lines)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    ).stdout.splitlines()
    return [json.loads(line) for line in out]


def _table_files() -> dict[str, str]:
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r["path"] for r in package["resources"] if r.get("schema")}


def test_kernel_setup_counts_tables_used_not_tables_validated(kernel_env):
    reads = _reads_in_a_kernel_like_process(
        kernel_env,
        """
        ds = helpers.load()  # reads and validates every table
        show()
        len(ds.claims)
        sorted((data / "geo").glob("*.provenance.json"))  # a folder listed outside the loader
        show()
    """,
    )
    assert reads == [["datapackage.json"], ["claims.csv", "datapackage.json", "geo/"]]


def test_an_as_of_view_counts_what_as_of_consults_not_every_table(kernel_env):
    files = _table_files()
    reads = _reads_in_a_kernel_like_process(
        kernel_env,
        """
        ds = helpers.load().as_of("2021-01-11")  # as_of itself reads every table
        show()
        len(ds.claims)
        show()
        helpers.load().as_of(None).quotes  # no date: the dataset itself
        show()
    """,
    )
    assert reads[0] == ["datapackage.json"]
    consulted = {files[t] for t in kernel_setup.AS_OF_INPUTS}
    assert set(reads[1]) == {"datapackage.json", files["claims"]} | consulted
    assert {files[t] for t in ("quotes", "topics", "glossary")}.isdisjoint(reads[1])
    assert set(reads[2]) == set(reads[1]) | {files["quotes"]}


def test_a_load_the_build_cannot_follow_counts_as_reading_every_table(kernel_env):
    reads = _reads_in_a_kernel_like_process(
        kernel_env,
        """
        from helpers.data.dataset import load
        load()  # not through helpers.load(): nothing notes which tables it reads
        show()
    """,
    )
    assert set(reads[0]) == {*_table_files().values(), "datapackage.json", "sources/"}


@pytest.fixture(scope="module")
def whole_dataset():
    """The kit's dataset, loaded once for the tests that only read it."""
    import helpers

    return helpers.load(paths.DATA_DIR)


@pytest.mark.parametrize("when", ["2020-10-10", "2020-11-10", "2021-01-11", "2021-06-01"])
def test_as_of_views_depend_on_no_table_beyond_those_the_build_counts(whole_dataset, when):
    # Drop rows of any table outside AS_OF_INPUTS: no other table of the as-of view changes.
    import dataclasses

    ds = whole_dataset
    tables = [f.name for f in dataclasses.fields(ds) if f.name not in ("path", "package")]
    tables = [t for t in tables if t not in ("as_of_date", "texts")]
    view = ds.as_of(when)

    def changed_by_dropping_rows(table: str) -> list[str]:
        fewer = dataclasses.replace(ds, **{table: getattr(ds, table).iloc[::2]})
        other = fewer.as_of(when)
        return [t for t in tables if t != table and not getattr(other, t).equals(getattr(view, t))]

    outside = [t for t in tables if t not in kernel_setup.AS_OF_INPUTS]
    assert {t: changed_by_dropping_rows(t) for t in outside} == dict.fromkeys(outside, [])
    # The check can fail: dropping rows of a consulted table changes other tables' views.
    assert changed_by_dropping_rows("references")


def test_parameters_go_in_a_tagged_cell_after_the_parameters_cell(tmp_path):
    nb = json.loads(
        write_nb(tmp_path / "p.ipynb", [md("# P"), PARAMS, code("print(AS_OF)")]).read_text()
    )
    job = execute.Job("p", nb, str(tmp_path), "data", "out", {"AS_OF": "2020-12-31"}, "P", "", "")
    prepared = execute.prepare(job)
    cells = prepared.nb.cells
    assert [c.cell_type for c in cells] == ["code", "markdown", "code", "code", "code", "code"]
    assert cells[0] is prepared.setup and cells[-1] is prepared.finish
    assert cells[2].metadata.tags == ["parameters"]
    assert cells[3].metadata.tags == ["injected-parameters"]
    assert 'AS_OF = "2020-12-31"' in cells[3].source
    assert prepared.position[id(cells[4])] == 3 and prepared.count == 3


def test_a_notebook_given_no_parameters_runs_as_it_is_without_papermill(tmp_path, monkeypatch):
    nb = json.loads(
        write_nb(tmp_path / "p.ipynb", [md("# P"), PARAMS, code("print(AS_OF)")]).read_text()
    )

    def no_papermill(*args, **kwargs):  # the only place papermill is imported
        raise AssertionError("parameters injected although none were given")

    monkeypatch.setattr(execute, "inject_parameters", no_papermill)
    job = execute.Job("p", nb, str(tmp_path), "data", "out", {}, "P", "", "")
    cells = execute.prepare(job).nb.cells
    assert [c.metadata.get("tags", []) for c in cells] == [[], [], ["parameters"], [], []]
    with pytest.raises(AssertionError, match="none were given"):  # the check can fail
        execute.prepare(execute.Job("p", nb, ".", "d", "o", {"AS_OF": "2020-12-31"}, "", "", ""))


def test_the_bottom_line_cell_output_is_used_markdown_first():
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x", metadata={"tags": ["bottom-line"]})
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="printed"),
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": "Up to **5,000**", "text/plain": "<obj>"}
        ),
    ]
    nb.cells = [nbformat.v4.new_code_cell("y"), cell]
    assert execute.computed_bottom_line(nb) == "Up to **5,000**"
    cell.outputs = cell.outputs[:1]
    assert execute.computed_bottom_line(nb) == "printed"
    nb.cells = nb.cells[:1]
    assert execute.computed_bottom_line(nb) == ""


def _page(**changes) -> index.IndexPage:
    entry = index.Entry(
        "02-x",
        "Claims <script>alert(1)</script>",
        href="02-x.html",
        bottom_line="Up to 5,000 <img src=x onerror=alert(1)>",
        thumbnail="thumbnails/02-x.png",
        thumbnail_alt='A chart "quoted"',
        built="2021-01-12 10:00 UTC",
    )
    page = index.IndexPage(
        as_of=None,
        entries=[entry, index.Entry("03-y", "Failed one")],
        sources=[index.Source("عنوان <b>", "وكالة", "2021-01-11", "test-1")],
        fingerprint="abc123def456",
        data_files=3,
        data_name="data",
    )
    for key, value in changes.items():
        setattr(page, key, value)
    return page


def test_the_index_escapes_text_and_is_structured_for_screen_readers():
    from html.parser import HTMLParser

    html = index.render(_page())
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "&lt;b&gt;" in html
    # Thumbnails are decorative links to their report (the report describes the figure).
    assert 'alt="A chart &#34;quoted&#34;"' not in html and 'alt=""' in html
    assert "<bdi>عنوان &lt;b&gt;</bdi>" in html
    assert 'href="03-y.html"' not in html and "No report" in html

    class Outline(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.headings, self.outside, self.empty_th = [], [], [], 0
            self.text_at_depth: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.stack.append(tag)
            if tag in {"h1", "h2", "h3", "h4"}:
                self.headings.append(int(tag[1]))

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop() != tag:
                pass

        def handle_data(self, data):
            landmarks = {"header", "main", "footer", "head", "title", "style"}
            if data.strip() and not landmarks & set(self.stack):
                self.outside.append(data.strip())

    outline = Outline()
    outline.feed(html)
    assert html.count("<main>") == 1
    assert outline.outside == []  # every text inside a landmark
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    # Headings never skip a level going down.
    assert all(b <= a + 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False))
    assert "<th></th>" not in html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_text_colour_of_the_index_contrasts_with_its_white_page():
    import re

    css = index.render(_page()).split("<style>")[1].split("</style>")[0]
    assert "background: #fff" in css
    colours = re.findall(r"(?<![-\w])color:\s*#([0-9a-fA-F]{6})", css)
    assert len(colours) >= 3, css  # the check must see the page's colours
    # WCAG 2 contrast ratio against white; 4.5:1 is the minimum for body text (AA).
    ratios = {c: 1.05 / (_luminance(c) + 0.05) for c in colours}
    assert all(r >= 4.5 for r in ratios.values()), ratios
    assert round(1.05 / (_luminance("777777") + 0.05), 1) == 4.5  # a known pair: the formula


def test_an_as_of_index_leaves_out_hand_written_bottom_lines(tmp_path):
    nb = {"cells": [md("# T\n\n**Bottom line.** Written for every source.")]}
    plan = cache.Plan("t", tmp_path / "t.ipynb", nb, {}, "")
    (tmp_path / "t.html").write_text("<html></html>")
    manifest = cache.Manifest({"t": _record([], {})})
    entry = index.entry_for(plan, manifest, tmp_path, set(), as_of="2021-01-10")
    assert entry.bottom_line == "" and entry.note == index.AS_OF_NOTE
    html = index.render(_page(entries=[entry], as_of="2021-01-10"))
    assert "Written for every source" not in html and index.AS_OF_NOTE in html
    entry = index.entry_for(plan, manifest, tmp_path, set(), as_of=None)
    assert entry.bottom_line == "Written for every source."
    manifest.notebooks["t"].bottom_line = "Computed from the loaded sources."
    entry = index.entry_for(plan, manifest, tmp_path, set(), as_of="2021-01-10")
    assert entry.bottom_line == "Computed from the loaded sources."


# ---------------------------------------------------------------- the runner


def _jobs(n: int) -> list[execute.Job]:
    return [execute.Job(f"nb{i}", {}, ".", "data", "out", {}, f"NB {i}", "", "") for i in range(n)]


def test_the_runner_keeps_to_its_limit_and_passes_on_every_outcome(monkeypatch):
    running, most = set(), 0

    async def fake_run(job):
        nonlocal most
        running.add(job.name)
        most = max(most, len(running))
        for _ in range(5):  # yield: every notebook that may start now does
            await asyncio.sleep(0)
        running.discard(job.name)
        return execute.Outcome(job.name, job.name != "nb3")

    monkeypatch.setattr(execute, "run", fake_run)
    seen = []
    runner.run_all(_jobs(7), 3, seen.append)
    assert most == 3
    assert sorted(o.name for o in seen) == [f"nb{i}" for i in range(7)]
    assert [o.name for o in seen if not o.ok] == ["nb3"]


def test_a_bug_in_the_build_fails_only_its_notebook_and_names_it(monkeypatch):
    async def fake_run(job):
        if job.name == "nb1":
            raise ValueError("a bug")
        return execute.Outcome(job.name, True)

    monkeypatch.setattr(execute, "run", fake_run)
    seen = {}
    runner.run_all(_jobs(3), 2, lambda o: seen.update({o.name: o}))
    assert [n for n, o in sorted(seen.items()) if o.ok] == ["nb0", "nb2"]
    assert seen["nb1"].where == "the build" and seen["nb1"].error == "ValueError: a bug"
    assert "fake_run" in seen["nb1"].excerpt  # the traceback's last lines


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_an_interrupt_stops_every_running_notebook_before_the_runner_returns(monkeypatch, error):
    # Ctrl-C while the build writes a finished report: the KeyboardInterrupt comes out of
    # on_outcome (so would a full disk's OSError). Every running notebook must have stopped
    # by the time it reaches the caller.
    started, stopped = [], []

    async def fake_run(job):
        started.append(job.name)
        if job.name == "nb0":
            return execute.Outcome(job.name, True)
        try:
            await asyncio.Event().wait()  # never set: runs until cancelled
        finally:
            await asyncio.sleep(0)  # stopping a kernel takes a moment
            stopped.append(job.name)

    def interrupted(outcome):
        raise error

    monkeypatch.setattr(execute, "run", fake_run)
    with pytest.raises(error):
        runner.run_all(_jobs(4), 2, interrupted)
    assert started[0] == "nb0" and "nb1" in started
    assert sorted(started) == sorted(["nb0", *stopped])  # every one started has stopped
    assert "nb3" not in started  # waiting ones never start


# Interrupts delivered as real signals, in a process of their own (a signal to the test
# process would stop the tests). The notebooks are stand-ins: no kernel starts.
_SIGNAL_SCRIPT = """
import asyncio, os, signal, sys
from helpers.report import execute, runner
stopped = []

async def fake_run(job):
    try:
        if job.name == "nb0":
            os.kill(os.getpid(), signal.{first})  # to the process, as Ctrl-C and kill do
        await asyncio.Event().wait()
    finally:
        if job.name == "nb0":
            os.kill(os.getpid(), signal.{second})  # a second signal while stopping
        await asyncio.sleep(0)
        stopped.append(job.name)

execute.run = fake_run
jobs = [execute.Job(f"nb{{i}}", {{}}, ".", "d", "o", {{}}, "", "", "") for i in range(3)]

async def in_a_loop():  # as from a notebook: the runner's loop gets a thread of its own
    runner.run_all(jobs, 2, print)

try:
    if {from_a_loop}:
        loop = asyncio.new_event_loop()  # no asyncio.run: Ctrl-C raises where it lands
        loop.run_until_complete(in_a_loop())
    else:
        runner.run_all(jobs, 2, print)
except KeyboardInterrupt:
    print("interrupted; stopped:", sorted(stopped))
"""


@pytest.mark.parametrize(
    "first, second, from_a_loop",
    [("SIGTERM", "SIGTERM", False), ("SIGINT", "SIGTERM", False), ("SIGINT", "SIGINT", True)],
)
def test_a_signal_stops_every_notebook_and_a_second_one_does_not_cut_that_short(
    first, second, from_a_loop
):
    script = _SIGNAL_SCRIPT.format(first=first, second=second, from_a_loop=from_a_loop)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
        preexec_fn=as_a_terminal_job,  # whatever SIGINT's disposition in this process
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "interrupted; stopped: ['nb0', 'nb1']", done.stderr
    assert "Traceback" not in done.stderr


def test_a_stray_cancellation_fails_its_notebook_not_the_build(monkeypatch):
    # Only the build cancelling a notebook is an interrupt; a library's CancelledError is
    # that notebook's failure, and the others still run.
    async def fake_run(job):
        if job.name == "nb1":
            raise asyncio.CancelledError
        return execute.Outcome(job.name, True)

    monkeypatch.setattr(execute, "run", fake_run)
    seen = {}
    runner.run_all(_jobs(3), 2, lambda o: seen.update({o.name: o}))
    assert sorted(seen) == ["nb0", "nb1", "nb2"]
    assert [n for n, o in seen.items() if not o.ok] == ["nb1"]
    assert seen["nb1"].where == "the build"


def test_the_runner_works_when_called_from_a_running_event_loop(monkeypatch):
    # As from a notebook cell: the runner's loop then runs in a thread of its own.
    async def fake_run(job):
        return execute.Outcome(job.name, True)

    monkeypatch.setattr(execute, "run", fake_run)
    seen = []

    async def inside_a_loop():
        asyncio.get_running_loop()  # the condition under test
        runner.run_all(_jobs(2), 2, seen.append)

    # A thread of the test's own: this thread may already run a loop (the browser tests').
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, inside_a_loop()).result()
    assert sorted(o.name for o in seen) == ["nb0", "nb1"]


# ---------------------------------------------------------------- kernels


def _quick_nb(path: Path, source: str) -> Path:
    return write_nb(path, [md(f"# {path.stem}"), code(source)])


@pytest.mark.slow
def test_many_kernels_start_at_once_without_port_races(kit):
    for i in range(8):
        _quick_nb(kit.notebooks_dir / f"k{i}.ipynb", f"print('kernel {i} ok')")
    kit.only, kit.jobs = [f"k{i}" for i in range(8)], 8
    status, out = run(kit)
    assert status == 0, out
    assert all(f"kernel {i} ok" in (kit.out_dir / f"k{i}.html").read_text() for i in range(8))


def dying_kernel(root: Path) -> None:
    """A kernel spec (test fixture) whose kernel writes to stderr and exits before replying."""
    spec = root / "kernels" / "kit-dying-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "import sys; sys.exit('test kernel: cannot start')"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "dying (test)", "language": "python"})
    )


@pytest.mark.slow
def test_a_kernel_that_cannot_start_fails_its_notebook_at_start_up_with_its_message(
    kit, monkeypatch
):
    dying_kernel(kit.cache_dir.parent / "jupyter")
    monkeypatch.setenv("JUPYTER_PATH", str(kit.cache_dir.parent / "jupyter"))
    kit.kernel_name, kit.only = "kit-dying-test", ["00-read-a"]
    from nbclient import NotebookClient  # here: importing it costs seconds of collection

    # No hook of nbclient's may be left to run at exit: the kernel is gone, it would fail.
    at_exit = set()
    monkeypatch.setattr(atexit, "register", lambda hook: at_exit.add(hook) or hook)
    monkeypatch.setattr(atexit, "unregister", at_exit.discard)
    status, out = run(kit)
    assert status == 1, out
    assert "FAILED  00-read-a" in out and "00-read-a.ipynb, start-up: " in out, out
    assert "| test kernel: cannot start" in out  # the kernel's own stderr
    assert not (kit.out_dir / "00-read-a.html").exists()
    assert not [h for h in at_exit if isinstance(getattr(h, "__self__", None), NotebookClient)]


# ---------------------------------------------------------------- builds


@pytest.mark.slow
def test_build_writes_reports_index_and_caches_by_dependency(kit):
    status, out = run(kit)
    assert status == 0, out
    assert "(new)" in out
    reports = kit.out_dir
    for name in ("00-read-a", "01-read-b", "index"):
        page = (reports / f"{name}.html").read_text()
        assert not [u for u in loaded_urls(page) if u.startswith(("http:", "https:", "//"))]
    a = (reports / "00-read-a.html").read_text()
    assert "rows 3 as_of None" in a and str(reports) in a
    assert "<details" in a and "Show the code" in a  # code hidden, shown on demand
    assert "require.js" not in a and "MathJax" not in a
    assert "kernel_setup" not in a  # the build's hidden cells are not in the report
    index_html = (reports / "index.html").read_text()
    assert 'href="00-read-a.html"' in index_html and 'href="01-read-b.html"' in index_html
    assert "Read B &amp; more" in index_html
    assert "<script>alert(1)" not in index_html and "&lt;script&gt;alert(1)" in index_html
    assert "TEST DATA: leaders &lt;b&gt;meet&lt;/b&gt;" in index_html
    assert fingerprint.fingerprint(kit.data_dir) in index_html

    # No change: everything cached, nothing rewritten.
    before = {p.name: p.read_bytes() for p in reports.glob("*.html")}
    assert reasons(kit) == {"00-read-a": "", "01-read-b": ""}
    status, out = run(kit)
    assert status == 0 and out.count("  cached  ") == 2, out
    assert before == {p.name: p.read_bytes() for p in reports.glob("*.html")}

    # A data file: only the notebook that read it, and the build says which file.
    (kit.data_dir / "b.csv").write_text("y\n3\n4\n")
    assert reasons(kit) == {"00-read-a": "", "01-read-b": "b.csv changed: 1 row added"}
    status, out = run(kit)
    assert "built   01-read-b" in out and "(b.csv changed: 1 row added)" in out
    assert "cached  00-read-a" in out

    # The notebook's own code (not its outputs).
    nb_path = kit.notebooks_dir / "00-read-a.ipynb"
    saved = nb_path.read_text()
    nb = json.loads(saved)
    nb["cells"][2]["source"] += "\nprint('more')"
    nb_path.write_text(json.dumps(nb))
    assert reasons(kit) == {"00-read-a": "notebook changed", "01-read-b": ""}
    nb_path.write_text(saved)
    assert reasons(kit)["00-read-a"] == ""

    # Helper sources, the pinned environment, the parameters.
    (kit.helper_dir / "mod.py").write_text("X = 2\n")
    assert set(reasons(kit).values()) == {"helpers changed"}
    (kit.helper_dir / "mod.py").write_text("X = 1\n")
    kit.env_files[0].write_text("pandas==3.1.2\n")
    assert set(reasons(kit).values()) == {"environment changed"}
    kit.env_files[0].write_text("pandas==3.1.1\n")
    kit.as_of = "2020-12-31"  # a separate build, with its own cache
    assert set(reasons(kit).values()) == {"new"}
    kit.as_of, kit.force = None, True
    assert set(reasons(kit).values()) == {"forced"}
    kit.force = False

    # A deleted report is rebuilt, never assumed.
    (reports / "00-read-a.html").unlink()
    assert reasons(kit)["00-read-a"] == "report missing or changed"


@pytest.mark.slow
def test_a_build_leaves_the_users_ipython_history_alone(kit, tmp_path, monkeypatch):
    # The kernels inherit the build's environment, and IPython keeps its history
    # database in IPYTHONDIR: a build must not write its cells there (nbclient's rule).
    ipython_dir = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(ipython_dir))
    status, out = run(kit)
    assert status == 0, out
    assert (ipython_dir / "profile_default").is_dir()  # the kernels did use this folder
    assert not list(ipython_dir.rglob("history.sqlite*"))


@pytest.mark.slow
def test_failing_notebook_keeps_previous_report_and_names_the_cell(kit):
    assert run(kit)[0] == 0
    old = (kit.out_dir / "00-read-a.html").read_bytes()
    write_nb(
        kit.notebooks_dir / "00-read-a.ipynb",
        [
            md("# Read A"),
            PARAMS,
            code("x = 1"),
            code("counts = {}\ntotal = counts['missing']  # KeyError\nprint(total)"),
        ],
    )
    write_nb(kit.notebooks_dir / "02-never-worked.ipynb", [md("# Broken"), code("1 / 0")])
    status, out = run(kit)
    assert status == 1
    assert "00-read-a.ipynb, cell 4 of 4: KeyError: 'missing'" in out
    assert "| total = counts['missing']" in out
    assert "02-never-worked.ipynb, cell 2 of 2: ZeroDivisionError" in out
    assert (kit.out_dir / "00-read-a.html").read_bytes() == old
    assert not (kit.out_dir / "02-never-worked.html").exists()
    assert not list(kit.out_dir.glob(".*tmp"))
    index_html = (kit.out_dir / "index.html").read_text()
    assert 'href="00-read-a.html"' in index_html and "latest build of this notebook failed" in (
        index_html
    )
    assert 'href="02-never-worked.html"' not in index_html
    # Still failing next time: the failure is not cached.
    assert reasons(kit)["00-read-a"] == "notebook changed"
    assert reasons(kit)["02-never-worked"] == "new"


@pytest.mark.slow
def test_as_of_parameters_bottom_line_and_thumbnail(kit):
    write_nb(
        kit.notebooks_dir / "02-chart.ipynb",
        [
            md("# Chart\n\n**Bottom line.** Hand-written for every source."),
            PARAMS,
            code("print(f'Computed as of {AS_OF}.')", tags=["bottom-line"]),
            code(
                "from matplotlib.figure import Figure\nfrom helpers import figures\n"
                "fig = Figure(figsize=(4, 3))\nfig.add_subplot().plot([1, 2])\n"
                "figures.show(fig, 'chart', alt='A rising line (test figure)')"
            ),
        ],
    )
    kit.as_of = "2020-12-31"
    status, out = run(kit)
    assert status == 0, out
    page = (kit.out_dir / "00-read-a.html").read_text()
    assert "as_of 2020-12-31" in page and str(kit.out_dir) in page
    # papermill's convention: the injected cell follows the "parameters" cell.
    params_at = page.index("celltag_parameters")
    injected_at = page.index("celltag_injected-parameters")
    assert params_at < injected_at < page.index("2020-12-31", injected_at)
    assert not kit.reports_dir.exists()  # the current reports are untouched
    index_html = (kit.out_dir / "index.html").read_text()
    assert "Computed as of 2020-12-31." in index_html
    assert "Hand-written for every source" not in index_html
    assert "Reads a.csv" not in index_html and index.AS_OF_NOTE in index_html
    # The thumbnail links to its report and is decorative (the report describes the figure).
    assert re.search(
        r'<a class="thumb" href="02-chart.html"[^>]*><img src="thumbnails/02-chart.png" alt="">',
        index_html,
    )
    assert (kit.out_dir / "thumbnails" / "02-chart.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_an_as_of_notebook_reruns_only_for_tables_its_view_depends_on(kit, tmp_path):
    kit.data_dir, kit.as_of = copy_data(tmp_path / "kit-data"), "2021-01-11"
    for name, table in (("00-read-a", "places"), ("01-read-b", "claims")):
        source = f"import helpers\nprint(len(helpers.load().as_of(AS_OF).{table}))"
        write_nb(kit.notebooks_dir / f"{name}.ipynb", [md(f"# {table}"), PARAMS, code(source)])
    status, out = run(kit)
    assert status == 0, out
    # claims.csv: read by the other notebook, not consulted by as_of for places.
    edit_cell(kit.data_dir, "claims", "az-military-deaths", "caveat", "TEST EDIT")
    assert reasons(kit) == {"00-read-a": "", "01-read-b": "claims.csv changed: column caveat"}
    # sources.csv: as_of keeps a place only if its source was published by then.
    edit_cell(kit.data_dir, "sources", "aa-2021-01-11", "perspective", "TEST EDIT")
    assert reasons(kit)["00-read-a"] == "sources.csv changed: column perspective"


@pytest.mark.slow
def test_every_file_a_build_writes_gets_the_same_permissions(kit):
    write_nb(
        kit.notebooks_dir / "02-writes.ipynb",
        [
            md("# Writes files"),
            PARAMS,
            code(
                "import pandas as pd\nfrom matplotlib.figure import Figure\n"
                "from helpers import export, figures, paths\n"
                "export.write_csv(pd.DataFrame({'a': [1]}), paths.output_dir() / 'table.csv')\n"
                "fig = Figure()\nfig.add_subplot().set_title('Test figure')\n"
                "figures.show(fig, 'test-figure', alt='Test figure')"
            ),
        ],
    )
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from helpers.report import build as B
        cfg = B.BuildConfig(notebooks_dir=Path({str(kit.notebooks_dir)!r}),
            reports_dir=Path({str(kit.reports_dir)!r}), cache_dir=Path({str(kit.cache_dir)!r}),
            data_dir=Path({str(kit.data_dir)!r}), env_files=[Path({str(kit.env_files[0])!r})],
            helper_dir=Path({str(kit.helper_dir)!r}), jobs=2)
        sys.exit(B.build(cfg))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, umask=0o027,
        env=clean_env(), timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    files = [p for p in kit.reports_dir.rglob("*") if p.is_file()]
    names = {p.relative_to(kit.reports_dir).as_posix() for p in files}
    assert {"index.html", "02-writes.html", "table.csv", "figures/test-figure.png"} <= names
    assert "thumbnails/02-writes.png" in names
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {
        p.name: oct(0o640) for p in files
    }


def _build_in_a_process(kit) -> subprocess.Popen:
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from helpers.report import build as B
        cfg = B.BuildConfig(notebooks_dir=Path({str(kit.notebooks_dir)!r}),
            reports_dir=Path({str(kit.reports_dir)!r}), cache_dir=Path({str(kit.cache_dir)!r}),
            data_dir=Path({str(kit.data_dir)!r}), env_files=[Path({str(kit.env_files[0])!r})],
            helper_dir=Path({str(kit.helper_dir)!r}), jobs=1)
        sys.exit(B.build(cfg))
    """)
    return subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(),
    )


def _sleeping_notebook(kit, marker: Path) -> None:
    write_nb(
        kit.notebooks_dir / "00-read-a.ipynb",
        [
            md("# Read A, slowly"),
            PARAMS,
            code(f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\ntime.sleep(120)"),
        ],
    )


def test_a_notebook_the_build_cannot_prepare_fails_alone_and_starts_no_kernel(kit, monkeypatch):
    def unreadable(job):
        raise ValueError(f"{job.name} cannot be read")

    monkeypatch.setattr(execute, "prepare", unreadable)
    kit.only = ["00-read-a"]
    status, out = run(kit)
    assert status == 1
    assert "00-read-a.ipynb, the build: ValueError: 00-read-a cannot be read" in out, out
    assert not [p for p in processes_mentioning(str(kit.out_dir)) if "ipykernel" in p]


@pytest.mark.slow
def test_a_build_killed_outright_leaves_no_kernel_running(kit):
    def kernels() -> list[str]:  # the kernel's environment names the reports folder
        return [p for p in processes_mentioning(str(kit.out_dir)) if "ipykernel" in p]

    marker = kit.cache_dir.parent / "sleeping"
    _sleeping_notebook(kit, marker)
    proc = _build_in_a_process(kit)
    try:
        wait_until(marker.exists, "the notebook's sleeping cell", alive=proc)
        assert kernels(), "the check must see the kernel"
        proc.kill()  # SIGKILL: the build cannot clean up
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    wait_until(lambda: not kernels(), "the orphaned kernel's end", seconds=30)


@pytest.mark.slow
def test_sigterm_leaves_no_half_report_and_a_valid_cache(kit):
    assert run(kit)[0] == 0
    old = (kit.out_dir / "00-read-a.html").read_bytes()
    marker = kit.cache_dir.parent / "sleeping"
    _sleeping_notebook(kit, marker)
    proc = _build_in_a_process(kit)
    try:
        wait_until(marker.exists, "the notebook's sleeping cell", alive=proc)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, out
    assert "interrupted" in out and "Traceback" not in out
    assert (kit.out_dir / "00-read-a.html").read_bytes() == old
    assert not [p for p in kit.out_dir.rglob("*") if p.name.endswith(".tmp")]
    json.loads(kit.manifest_path.read_text())  # still valid
    assert reasons(kit)["00-read-a"] == "notebook changed"  # the interrupted one is not cached


def test_a_note_for_the_build_reaches_its_output_and_nothing_else_does(capfd, tmp_path):
    # What a notebook says to the build (essay_page.to_build_output) goes to the process's
    # standard error; the build repeats those lines, and no other line of that stream.
    from helpers.report.execute import build_notes
    from helpers.views.essay_page import to_build_output

    to_build_output("essay: a sentence is flagged")
    said = capfd.readouterr().err
    log = tmp_path / "kernel-stderr.txt"
    log.write_text(f"Warning: a library's own line\n{said}essay: not marked\n", encoding="utf-8")
    with log.open(encoding="utf-8") as handle:
        assert build_notes(handle) == ["essay: a sentence is flagged"]
