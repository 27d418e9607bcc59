"""Committed notebooks carry no outputs; each opens with its question and bottom line.

The one place for what every notebook must be as committed; a notebook's own test file holds
only what is particular to it (its parameters, its prose, running it).
"""

from __future__ import annotations

import io
import json
import re
import tokenize

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
    assert first.splitlines()[0].endswith("?"), f"{path.name}: the title is its question"
    number = path.name[:2]
    assert f"*Karabakh research kit · notebook {number} · sources:" in first, path.name
    # The answer comes first, once, computed: title, parameters, then the bottom line.
    tags = [c.get("metadata", {}).get("tags", []) for c in notebook["cells"]]
    assert tags[1] == ["parameters"] and tags[2] == ["bottom-line"], (
        f"{path.name}: cells 2 and 3 must be the parameters and the computed bottom line"
    )
    assert sum("bottom-line" in t for t in tags) == 1, f"{path.name}: one bottom line"
    # No second, hand-written bottom line anywhere in the prose.
    prose = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert "Bottom line" not in prose and "bottom line for this build" not in prose, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_number_typed_into_a_code_cell(path):
    """Figures come from the data; a number typed into code would not follow the sources."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        numbers = [t.string for t in tokens if t.type == tokenize.NUMBER]
        assert not numbers, f"{path.name}: numbers typed into a code cell: {numbers}\n{source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_one_parameters_cell_with_as_of(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    assert re.search(r"^AS_OF\s*=", "".join(tagged[0]["source"]), re.M), path.name
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    namespace: dict = {}
    exec("".join(tagged[0]["source"]), namespace)  # plain assignments only
    assert namespace["AS_OF"] is None, f"{path.name}: committed for a date, not the full dataset"
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
