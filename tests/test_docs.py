"""The README and docs/ describe the tree as it is: files, notebooks, modules, commands.

The README is for users (about 10k characters); ``docs/`` holds the depth. These tests fail
when either names something that does not exist, or leaves out something that does.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess

from helpers import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")
DOCS = paths.ROOT / "docs"


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def all_docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no '## {title}' section"
    return match.group(1)


def listed(text: str, prefix: str) -> set[str]:
    return set(re.findall(rf"`({re.escape(prefix)}[^`*]+?)`", text))


def tracked(folder: str) -> set[str]:
    """Files under ``folder`` that belong to the kit (tracked, or untracked but not ignored)."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", folder],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {p for p in out if (paths.ROOT / p).exists()}


def test_readme_is_short():
    assert len(README) < 12_000, f"README.md has {len(README)} characters; move depth to docs/"


def test_every_data_file_is_documented_and_every_documented_file_exists():
    # Source texts are registered in sources.csv and the data package (checked below), so
    # adding a source needs no edit here.
    actual = {p for p in tracked("data") if not p.startswith("data/sources/")}
    documented = listed(section(doc("data.md"), "Data files"), "data/")
    documented = {p for p in documented if not p.startswith("data/sources/")}
    assert documented == actual, (
        f"undocumented: {sorted(actual - documented)}; missing: {sorted(documented - actual)}"
    )


def test_every_source_text_is_registered_and_every_registered_text_exists():
    with (paths.DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        registered = {f"data/sources/{row['text_file']}" for row in csv.DictReader(handle)}
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    in_package = {
        f"data/{r['path']}" for r in package["resources"] if r["path"].startswith("sources/")
    }
    texts = {p for p in tracked("data/sources")}
    assert registered == texts, f"sources.csv vs data/sources/: {sorted(registered ^ texts)}"
    assert in_package == texts, f"datapackage.json vs data/sources/: {sorted(in_package ^ texts)}"


def test_every_notebook_is_listed_in_run_order_in_the_readme_and_described_in_docs():
    documented = re.findall(r"`(notebooks/[^`]+\.ipynb)`", section(README, "Notebooks"))
    actual = sorted(
        p.relative_to(paths.ROOT).as_posix() for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")
    )
    assert list(dict.fromkeys(documented)) == actual, "README lists the notebooks out of order"
    described = re.findall(r"\*\*Notebook (\d\d)\*\*", doc("notebooks.md"))
    assert described == [p.split("/")[1][:2] for p in actual]


def test_every_helper_module_is_documented():
    documented = {m.removeprefix("src/helpers/") for m in listed(doc("helpers.md"), "src/helpers/")}
    base = paths.ROOT / "src" / "helpers"
    actual = {
        p.relative_to(base).as_posix()
        for p in base.rglob("*.py")
        if p.name not in {"__init__.py", "__main__.py"}
    }
    assert {m for m in documented if m.endswith(".py")} == actual


def makefile_targets() -> set[str]:
    text = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split())


def readme_commands() -> set[str]:
    """The commands the README's command table lists (its first column)."""
    return set(re.findall(r"^\| `make ([a-z-]+)`", section(README, "Commands"), re.M))


def test_the_readme_command_table_lists_exactly_the_makefile_targets():
    assert readme_commands() == makefile_targets()


def test_every_linked_document_exists():
    for target in re.findall(r"\]\(((?:docs/)?[\w./-]+\.md)\)", README):
        assert (paths.ROOT / target).is_file(), f"README links {target}, which does not exist"


def test_ci_runs_the_readme_test_command():
    quick_start = section(README, "Quick start")
    assert "make test" in quick_start and "make report" in quick_start
    assert "make test" in (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_data_dictionary_matches_the_data_package():
    module = load_script(paths.ROOT / "scripts" / "render_data_dictionary.py")
    assert doc("data-dictionary.md") == module.page(), (
        "docs/data-dictionary.md is stale: "
        "run .venv/bin/python scripts/render_data_dictionary.py --write"
    )
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r["name"] for r in package["resources"] if r.get("schema")]
    headings = re.findall(r"^#### `(\w+)`", doc("data-dictionary.md"), re.M)
    assert tables and headings == tables


def load_script(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_results_page_shows_every_saved_run():
    module = load_script(paths.ROOT / "benchmarks" / "render_results.py")
    inside = doc("benchmarks.md").partition(module.START)[2].partition(module.END)[0]
    assert inside == "\n" + module.render(), (
        "docs/benchmarks.md's results are stale: "
        "run .venv/bin/python benchmarks/render_results.py --write"
    )
    saved = sorted(p.name for p in (paths.ROOT / "benchmarks" / "results").glob("*.json"))
    assert saved and all(f"`{name}`" in inside for name in saved)
