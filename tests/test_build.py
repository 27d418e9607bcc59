"""The report build: reports and index, cache hits and misses, failures, parameters.

Tests build tiny notebooks of their own in a temporary folder (never the kit's
notebooks), on a temporary data folder, with stdlib-only code so kernels are quick.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from html_tags import loaded_urls

from helpers import paths
from helpers.report import build as B


# Notebooks are written as plain JSON: importing nbformat costs seconds.
def md(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def code(source: str, metadata: dict | None = None) -> dict:
    return {
        "cell_type": "code",
        "metadata": metadata or {},
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


PARAMS = code("AS_OF = None", metadata={"tags": ["parameters"]})


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
    """A build configuration over temporary notebooks, data, reports and cache."""
    nbs, data, helper = tmp_path / "notebooks", tmp_path / "data", tmp_path / "helper"
    for d in (nbs, data, helper):
        d.mkdir()
    (data / "a.csv").write_text("x\n1\n2\n")
    (data / "b.csv").write_text("y\n3\n")
    (data / "sources.csv").write_text(
        "source_id,title,publisher,published\n"
        'aa-1,"Leaders <b>meet</b>",Anadolu Agency,2021-01-11\n'
    )
    (helper / "mod.py").write_text("X = 1\n")
    env = tmp_path / "requirements.txt"
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
    manifest = B._load_manifest(cfg.manifest_path)
    plans, _ = B.plan_build(cfg, manifest, B.StatCache(manifest.get("stat")))
    return {p.name: p.reason for p in plans}


# ---------------------------------------------------------------- fast tests


def test_loaded_urls_finds_remote_loads():
    # The checker itself must be able to fail.
    page = (
        '<script src="https://cdn.x/a.js"></script><img src="data:image/png;base64,AA">'
        '<iframe srcdoc="&lt;link rel=stylesheet href=&quot;http://y/c.css&quot;&gt;">'
    )
    assert loaded_urls(page) == ["https://cdn.x/a.js", "data:image/png;base64,AA", "http://y/c.css"]


def test_code_fingerprint_ignores_outputs_but_not_tags():
    a = {"cells": [{"cell_type": "code", "source": "x=1", "outputs": [], "metadata": {}}]}
    b = json.loads(json.dumps(a))
    b["cells"][0]["outputs"] = [{"output_type": "stream", "text": "noise"}]
    b["cells"][0]["execution_count"] = 7
    assert B.code_fingerprint(a) == B.code_fingerprint(b)
    b["cells"][0]["metadata"]["tags"] = ["parameters"]
    assert B.code_fingerprint(a) != B.code_fingerprint(b)


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    target.write_bytes(b"old")

    def boom(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        B.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temp file left


def test_noop_check_imports_nothing_heavy(tmp_path):
    # The cache decision must not import nbformat/nbconvert (seconds of start-up).
    script = (
        "import sys, time; t = time.perf_counter()\n"
        "from helpers.report import build\n"
        f"cfg = build.BuildConfig(notebooks_dir=__import__('pathlib').Path({str(tmp_path)!r}),"
        f" reports_dir=__import__('pathlib').Path({str(tmp_path / 'r')!r}),"
        f" cache_dir=__import__('pathlib').Path({str(tmp_path / 'c')!r}))\n"
        "import io; assert build.build(cfg, out=io.StringIO()) == 0\n"
        "heavy = [m for m in ('nbformat', 'nbconvert', 'nbclient', 'pandas', 'jsonschema')"
        " if m in sys.modules]\n"
        "print(heavy, round(time.perf_counter() - t, 3))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "[]", out
    assert float(out[-1]) < 1.0


def test_as_of_builds_into_a_separate_folder(kit):
    kit.as_of = "2020-12-31"
    assert kit.out_dir.name == "reports-as-of-2020-12-31"
    assert kit.out_dir != kit.reports_dir
    assert B.BuildConfig(as_of=None).out_dir == paths.REPORTS_DIR


def test_cli_rejects_a_bad_date(capsys):
    with pytest.raises(SystemExit):
        B.main(["--as-of", "31/12/2020"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


# ---------------------------------------------------------------- builds


@pytest.mark.slow
def test_build_writes_reports_index_and_caches_by_dependency(kit):
    status, out = run(kit)
    assert status == 0, out
    reports = kit.out_dir
    for name in ("00-read-a", "01-read-b", "index"):
        page = (reports / f"{name}.html").read_text()
        assert not [u for u in loaded_urls(page) if u.startswith(("http:", "https:", "//"))]
    a = (reports / "00-read-a.html").read_text()
    assert "rows 3 as_of None" in a and str(reports) in a
    assert "<details" in a and "Show code" in a  # code folded, on demand
    assert "require.js" not in a and "MathJax" not in a
    index = (reports / "index.html").read_text()
    assert 'href="00-read-a.html"' in index and 'href="01-read-b.html"' in index
    assert "Read B &amp; more" in index
    assert "<script>alert(1)" not in index and "&lt;script&gt;alert(1)" in index
    assert "Leaders &lt;b&gt;meet&lt;/b&gt;" in index and "Anadolu Agency" in index
    assert B.dataset_fingerprint(B.data_snapshot(kit.data_dir, B.StatCache())) in index

    # No change: everything cached, nothing rewritten.
    before = {p.name: p.read_bytes() for p in reports.glob("0*.html")}
    assert reasons(kit) == {"00-read-a": "", "01-read-b": ""}
    status, out = run(kit)
    assert status == 0 and out.count("  cached  ") == 2, out
    assert before == {p.name: p.read_bytes() for p in reports.glob("0*.html")}

    # A data file: only the notebook that read it.
    (kit.data_dir / "b.csv").write_text("y\n3\n4\n")
    assert reasons(kit)["00-read-a"] == ""
    assert reasons(kit)["01-read-b"].startswith("data changed: b.csv")
    # A new data file nobody has read yet: every notebook might want it.
    (kit.data_dir / "c.csv").write_text("z\n")
    assert all(reasons(kit).values())
    (kit.data_dir / "c.csv").unlink()

    # The notebook's own code (not its outputs).
    nb_path = kit.notebooks_dir / "00-read-a.ipynb"
    saved = nb_path.read_text()
    nb = json.loads(saved)
    nb["cells"][2]["source"] += "\nprint('more')"
    nb_path.write_text(json.dumps(nb))
    assert reasons(kit)["00-read-a"] and not reasons(kit)["01-read-b"].startswith("code")
    nb_path.write_text(saved)
    assert reasons(kit)["00-read-a"] == ""

    # Helper sources, the pinned environment, the parameters.
    (kit.helper_dir / "mod.py").write_text("X = 2\n")
    assert all(reasons(kit).values())
    (kit.helper_dir / "mod.py").write_text("X = 1\n")
    kit.env_files[0].write_text("pandas==3.1.2\n")
    assert all(reasons(kit).values())
    kit.env_files[0].write_text("pandas==3.1.1\n")
    assert reasons(kit)["00-read-a"] == ""
    kit.data_dir = kit.data_dir  # same folder, other as-of: a separate build
    kit.as_of = "2020-12-31"
    assert all(r == "new" for r in reasons(kit).values())

    # A deleted report is rebuilt, never assumed.
    kit.as_of = None
    (reports / "00-read-a.html").unlink()
    assert reasons(kit)["00-read-a"]


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
    index = (kit.out_dir / "index.html").read_text()
    assert 'href="00-read-a.html"' in index and "latest build failed" in index
    assert 'href="02-never-worked.html"' not in index
    # Still failing next time: the failure is not cached.
    assert reasons(kit)["00-read-a"] and reasons(kit)["02-never-worked"] == "new"


@pytest.mark.slow
def test_as_of_is_injected_after_the_parameters_cell(kit):
    kit.as_of = "2020-12-31"
    kit.only = ["00-read-a"]
    status, out = run(kit)
    assert status == 0, out
    page = (kit.out_dir / "00-read-a.html").read_text()
    assert "as_of 2020-12-31" in page and str(kit.out_dir) in page
    # papermill's convention: the injected cell follows the "parameters" cell.
    params_at = page.index("celltag_parameters")
    injected_at = page.index("celltag_injected-parameters")
    assert params_at < injected_at < page.index("2020-12-31", injected_at)
    assert not kit.reports_dir.exists()  # the current reports are untouched


@pytest.mark.slow
def test_sigterm_leaves_no_half_report_and_a_valid_cache(kit):
    import signal
    import time

    assert run(kit)[0] == 0
    old = (kit.out_dir / "00-read-a.html").read_bytes()
    write_nb(
        kit.notebooks_dir / "00-read-a.ipynb",
        [md("# Read A, slowly"), PARAMS, code("import time\ntime.sleep(60)")],
    )
    script = (
        "import sys\nfrom pathlib import Path\nfrom helpers.report import build as B\n"
        f"cfg = B.BuildConfig(notebooks_dir=Path({str(kit.notebooks_dir)!r}),"
        f" reports_dir=Path({str(kit.reports_dir)!r}), cache_dir=Path({str(kit.cache_dir)!r}),"
        f" data_dir=Path({str(kit.data_dir)!r}), env_files=[Path({str(kit.env_files[0])!r})],"
        f" helper_dir=Path({str(kit.helper_dir)!r}), jobs=1)\n"
        "sys.exit(B.build(cfg))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    time.sleep(6)  # the notebook is sleeping in its kernel by now
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "interrupted" in out
    assert (kit.out_dir / "00-read-a.html").read_bytes() == old
    assert not [p for p in kit.out_dir.iterdir() if p.name.endswith(".tmp")]
    json.loads(kit.manifest_path.read_text())  # still valid
    assert reasons(kit)["00-read-a"]  # and the interrupted notebook is not cached
