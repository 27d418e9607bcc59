"""Committed notebooks carry no outputs; each opens with its question and bottom line."""

from __future__ import annotations

import json
import re

import pytest

from helpers import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ is empty"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_named_in_run_order_with_a_verb_object_name(path):
    assert re.fullmatch(r"\d{2}-[a-z]+(-[a-z]+)+\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_question_byline_and_bottom_line(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = "".join(notebook["cells"][0]["source"])
    assert first.startswith("# "), f"{path.name}: first cell must open with a '# ' title"
    # The answer comes first: a cell tagged bottom-line (computed) right after the title
    # and the parameters, or a hand-written '**Bottom line.**' paragraph in the title cell.
    tagged = [
        i
        for i, c in enumerate(notebook["cells"])
        if "bottom-line" in c.get("metadata", {}).get("tags", [])
    ]
    assert "**Bottom line.**" in first or (tagged and tagged[0] <= 3), (
        f"{path.name}: no bottom line at the top (a '**Bottom line.**' paragraph or a cell "
        "tagged bottom-line among the first cells)"
    )
    assert re.search(r"^\*Karabakh research kit · notebook \d\d", first, re.M), path.name


#: Notebooks whose page opens for readers: title, one computed bottom line, then the work.
READER_FIRST = [p for p in NOTEBOOKS if p.name[:2] in {"00", "01", "02", "03"}]


@pytest.mark.parametrize("path", READER_FIRST, ids=lambda p: p.name)
def test_one_computed_bottom_line_at_the_top(path):
    """Title cell, parameters, the bottom-line cell; no second, hand-written bottom line."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    tags = [c.get("metadata", {}).get("tags", []) for c in notebook["cells"]]
    assert tags[1:3] == [["parameters"], ["bottom-line"]], (path.name, tags[:4])
    assert sum("bottom-line" in t for t in tags) == 1, path.name
    prose = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert "Bottom line" not in prose and "bottom line for this build" not in prose, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_one_parameters_cell_with_as_of(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    assert re.search(r"^AS_OF\s*=", "".join(tagged[0]["source"]), re.M), path.name
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert ".as_of(AS_OF)" in code, f"{path.name}: AS_OF is defined but not used"
    assert "filterwarnings" not in code, f"{path.name}: warnings must not be silenced"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_nbformat_with_cell_ids(path):
    """Every cell has a unique id (nbformat 4.5), so executing tools need not invent one."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    ids = [cell.get("id") for cell in notebook.cells]
    assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: missing or repeated cell ids"
    nbformat.validate(notebook)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_computed_bottom_line_cell(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    tagged = [
        c for c in notebook["cells"] if "bottom-line" in c.get("metadata", {}).get("tags", [])
    ]
    assert len(tagged) == 1 and tagged[0]["cell_type"] == "code", path.name
