"""The README's inventory matches the tree: files, notebooks, helper modules, commands."""

from __future__ import annotations

import re
import subprocess

import pytest

from helpers import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README.md has no '## {title}' section"
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


def test_every_data_file_is_documented_and_every_documented_file_exists():
    # Source texts are registered in sources.csv and the data package, not the README
    # (see the next test): adding a source needs no README edit.
    documented = listed(section("Data files"), "data/")
    kit_files = {p for p in tracked("data") if not p.startswith("data/sources/")}
    documented = {p for p in documented if not p.startswith("data/sources/")}
    assert documented == kit_files, (
        f"undocumented: {sorted(kit_files - documented)}; missing: {sorted(documented - kit_files)}"
    )


def test_every_source_text_is_registered_in_sources_csv_and_the_data_package():
    import csv
    import hashlib
    import json

    folder = paths.ROOT / "data" / "sources"
    with (paths.ROOT / "data" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["text_file"]: r["text_sha256"] for r in csv.DictReader(handle)}
    package = json.loads((paths.ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    resources = {
        r["path"].removeprefix("sources/"): r.get("hash", "").removeprefix("sha256:")
        for r in package["resources"]
        if str(r["path"]).startswith("sources/")
    }
    on_disk = {p.removeprefix("data/sources/") for p in tracked("data/sources")}
    assert on_disk == set(rows) == set(resources), (on_disk, set(rows), set(resources))
    for name in on_disk:
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert rows[name] == resources[name] == digest, name


def test_every_notebook_is_documented_in_run_order():
    text = section("Notebooks")
    documented = re.findall(r"`(notebooks/[^`]+\.ipynb)`", text)
    actual = sorted(
        p.relative_to(paths.ROOT).as_posix() for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")
    )
    assert sorted(set(documented)) == actual
    assert list(dict.fromkeys(documented)) == actual, "README lists the notebooks out of run order"


def test_every_helper_module_is_documented():
    documented = {
        m.removeprefix("src/helpers/") for m in listed(section("Helper modules"), "src/helpers/")
    }
    base = paths.ROOT / "src" / "helpers"
    actual = {
        p.relative_to(base).as_posix()
        for p in base.rglob("*.py")
        if p.name not in {"__init__.py", "__main__.py"}
    }
    assert documented == actual


def makefile_targets() -> set[str]:
    text = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split()
    return set(phony)


def make_commands() -> set[str]:
    """`make X` in inline code, or a line of a code block that starts with it."""
    return set(re.findall(r"(?:`|^)make ([a-z-]+)", README, re.M))


@pytest.mark.parametrize("command", sorted(make_commands()))
def test_every_make_command_in_the_readme_exists(command):
    assert command in makefile_targets(), (
        f"README mentions `make {command}`; the Makefile has no such target"
    )


def test_every_public_make_target_is_documented():
    mentioned = make_commands()
    assert makefile_targets() <= mentioned, sorted(makefile_targets() - mentioned)


def test_ci_runs_the_readme_test_command():
    quick_start = section("Quick start")
    assert "make test" in quick_start and "make report" in quick_start
    assert "make test" in (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_data_dictionary_matches_the_data_package():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "render_data_dictionary", paths.ROOT / "scripts" / "render_data_dictionary.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    inside = README.partition(module.START)[2].partition(module.END)[0]
    assert inside == module.render(), (
        "README's data dictionary is stale: "
        "run .venv/bin/python scripts/render_data_dictionary.py --write"
    )
