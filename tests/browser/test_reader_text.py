"""A reader's pages carry no machinery: no row ids, field names, variables, module or
file names.

Reader text names outlets, titles, claims and places; it never says "r-takeover-tass",
"AS_OF", "helpers.load()", "docs/maps.md" or "make geodata" (those belong in the code,
the CSV exports and docs/). The check reads each built page as Chromium shows it: every
visible text node outside links and the page's hidden code cells. The ids come from
the data's CSV files themselves (the first column of each table whose name ends in
``_id``), read here with the csv module, not from the kit's code; an id that is also a
word of a stored source text ("self-determination") is an ordinary word, not an id.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from helpers import paths

from .kit_browser import open_watched

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPORTS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))

#: Machinery a reader must not meet, by kind (besides row ids).
MACHINERY = {
    "an environment variable": re.compile(r"\bAS_OF\b|\bKIT_[A-Z_]+\b"),
    "a module or function": re.compile(r"\bhelpers\.\w"),
    "a docs/ file": re.compile(r"\bdocs/[\w./-]+\.md\b"),
    "a make command": re.compile(r"\bmake (?:report|test|setup|geodata|gazetteer|lab|lock)\b"),
    "a data file": re.compile(r"\bdata/[\w./-]+\.(?:csv|json|geojson|md)\b"),
}

#: Visible text nodes a reader reads: not in links, scripts or the hidden code cells.
_TEXT_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('a, script, style, details.kit-code, pre')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    out.push(n.textContent);
  }
  return out;
}"""


def notebook_parameters() -> re.Pattern:
    """The names the notebooks' ``parameters`` cells assign (AS_OF, SIDES, ...), read from
    the notebooks themselves: a sentence that names one speaks to a developer."""
    names = set()
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                names |= set(re.findall(r"^([A-Z][A-Z0-9_]+)\s*=", "".join(cell["source"]), re.M))
    assert {"AS_OF", "SIDES"} <= names, names  # the oracle reads what the notebooks define
    return re.compile(r"\b(?:" + "|".join(sorted(names)) + r")\b")


MACHINERY["a notebook parameter"] = notebook_parameters()


def row_ids(data_dir: Path) -> set[str]:
    """Every slug-like row id (with a hyphen or a digit) of the data's CSV tables."""
    ids = set()
    for path in sorted(data_dir.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            head = next(reader, [])
            if head and head[0].endswith("_id"):
                ids |= {row[0] for row in reader if row and re.search(r"[-\d]", row[0])}
    words = set()
    for text in sorted((data_dir / "sources").glob("*")):
        words |= set(re.findall(r"[\w-]+", text.read_text(encoding="utf-8", errors="replace")))
    return ids - words


def field_names(data_dir: Path) -> set[str]:
    """The data package's field names written as code (with an underscore: source_id)."""
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    return {
        field["name"]
        for resource in package["resources"]
        for field in resource.get("schema", {}).get("fields", [])
        if "_" in field["name"]
    }


def _words(words: set[str]) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(r"(?<![\w/.-])(" + alternatives + r")(?![\w-]|\.\w)")


def machinery_in(texts: list[str], ids: set[str], fields: set[str]) -> list[str]:
    """Each piece of machinery found in the texts, with a little of its context."""
    found = []
    kinds = [("a row id", _words(ids)), ("a field name", _words(fields)), *MACHINERY.items()]
    for text in texts:
        for kind, pattern in kinds:
            for match in pattern.finditer(text):
                start = max(0, match.start() - 30)
                found.append(f"{kind}: …{text[start : match.end() + 20]}…")
    return found


def visible_texts(chromium, page: Path) -> list[str]:
    watched = open_watched(chromium, viewport={"width": 1366, "height": 900})
    try:
        watched.page.goto(page.as_uri(), wait_until="load", timeout=60_000)
        return watched.page.evaluate(_TEXT_JS)
    finally:
        watched.page.context.close()


@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_reader_text_names_things_not_ids_files_or_commands(kit_build, chromium, name):
    ids = row_ids(kit_build.data_dir)
    assert len(ids) > 100, "the oracle found too few ids to mean anything"
    texts = visible_texts(chromium, kit_build.reports_dir / f"{name}.html")
    assert texts, f"{name}.html: no visible text"
    found = machinery_in(texts, ids, field_names(kit_build.data_dir))
    assert not found, f"{name}.html shows the reader machinery:\n" + "\n".join(found[:40])


def test_the_machinery_check_can_fail(chromium, tmp_path):
    """Each kind removed from the pages is found when planted; links and hidden code pass."""
    page = tmp_path / "planted.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><main>"
        "<p>As TASS says [r-takeover-tass].</p><p>(as of AS_OF)</p><p>(SIDES, METRICS)</p>"
        "<p>as helpers.load().fingerprint() gives it</p><p>see <code>docs/maps.md</code></p>"
        "<p>where make geodata has run</p><p>from data/control_changes.csv</p>"
        "<p><a href='x.csv'>r-meeting-aa</a></p>"
        "<details class='kit-code'><summary>Code</summary><pre>helpers.load()</pre></details>"
        "<p>the right to self-determination</p><table><tr><th>source_id</th></tr></table>"
        "</main></body></html>",
        encoding="utf-8",
    )
    data = paths.DATA_DIR
    found = machinery_in(visible_texts(chromium, page), row_ids(data), field_names(data))
    kinds = sorted({f.split(":")[0] for f in found})
    assert kinds == sorted(["a row id", "a field name", *MACHINERY]), found
    assert len([f for f in found if f.startswith("a row id")]) == 1, found  # not the link's
    assert not any("self-determination" in f for f in found)


# ------------------------------------------------------------------ code, quotes, typos

#: Controls a reader sees before any code is shown (buttons and fold summaries).
_CODE_CONTROLS_JS = """() => {
  const shown = e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  const controls = [...document.querySelectorAll('button, summary')].filter(shown)
    .filter(e => /code/i.test(e.textContent));
  const code = [...document.querySelectorAll('details.kit-code')];
  return {controls: controls.map(e => e.textContent.trim()), cells: code.length,
          visible: code.filter(shown).length};
}"""


@pytest.mark.parametrize("name", REPORTS)
def test_one_code_control_per_page_and_it_shows_all_the_code(kit_build, chromium, name):
    watched = open_watched(chromium, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = watched.page
        page.goto((kit_build.reports_dir / f"{name}.html").as_uri(), wait_until="load")
        before = page.evaluate(_CODE_CONTROLS_JS)
        assert before["cells"] > 0, f"{name}.html: no code cells found"
        assert len(before["controls"]) == 1 and before["visible"] == 0, before
        page.locator("button.kit-code-toggle").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('details.kit-code')]"
            ".every(d => d.open && d.getBoundingClientRect().height > 0)"
        )
    finally:
        watched.page.context.close()


#: A quotation mark right after an opening one, or right before a closing one.
DOUBLED = re.compile(r"[“„«][\"“„«]|\"[“„«]|[\"”»]”|”\"|(?<![\w\s])\"\"|\"\"(?=\w)")


def typos(data_dir: Path) -> dict[str, str]:
    """The glossary's typos (category typo), each with the title of the source printing it."""
    with open(data_dir / "sources.csv", newline="", encoding="utf-8") as handle:
        titles = {r["source_id"]: r["title"] for r in csv.DictReader(handle)}
    with open(data_dir / "glossary.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["category"] == "typo"]
    return {r["term"]: titles.get(r["source_id"], "") for r in rows}


@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_quotations_are_not_doubled_and_typos_are_marked_sic(kit_build, chromium, name):
    text = "\n".join(visible_texts(chromium, kit_build.reports_dir / f"{name}.html"))
    doubled = [text[max(0, m.start() - 30) : m.end() + 30] for m in DOUBLED.finditer(text)]
    assert not doubled, f"{name}.html: doubled quotation marks: {doubled}"
    recorded = typos(kit_build.data_dir)
    assert recorded, "the glossary records no typo: nothing to check"
    for typo, title in recorded.items():
        # The typo is the source's: it is in the title as stored.
        assert re.search(rf"(?<!\w){re.escape(typo)}(?!\w)", title), (typo, title)
        bare = [
            text[max(0, m.start() - 30) : m.end() + 30]
            for m in re.finditer(rf"(?<!\w){re.escape(typo)}(?!\w)(?! \[sic\])", text)
        ]
        assert not bare, f"{name}.html: the source's typo {typo!r} shown unmarked: {bare}"


def test_the_quote_and_typo_checks_can_fail():
    assert DOUBLED.search('NEWS.am: “"The Russian peacekeeping mission') and DOUBLED.search(
        '""The Russian'
    )
    assert not DOUBLED.search('its "liberated" "taken" and “occupied”')
    assert "Rssia" in typos(paths.DATA_DIR)
