"""Print the README's data-model tables from data/datapackage.json.

The data package is the one description of every table and column; this renders
it as Markdown between two markers in docs/data.md, so the docs say exactly the
same (tests/test_docs.py fails when they differ). After changing the package, run
``.venv/bin/python scripts/render_data_dictionary.py --write``.
"""

from __future__ import annotations

import json
import sys

from helpers import paths


def render() -> str:
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    out = []
    for resource in package["resources"]:
        schema = resource.get("schema")
        if not schema:
            continue
        out.append(f"#### `{resource['name']}` — {resource['description']}\n")
        out.append("| column | type | rules | meaning |")
        out.append("|---|---|---|---|")
        for field in schema["fields"]:
            c = field.get("constraints", {})
            rules = []
            if c.get("required"):
                rules.append("required")
            if c.get("unique"):
                rules.append("unique")
            if "enum" in c:
                rules.append("one of " + ", ".join(c["enum"]))
            if "x-vocabulary" in field:
                rules.append("one of " + ", ".join(field["x-vocabulary"]) + " (extendable)")
            if "minimum" in c or "maximum" in c:
                rules.append(f"{c.get('minimum')}…{c.get('maximum')}")
            if "x-references" in field:
                rules.append(f"list of {field['x-references']}")
            for fk in schema.get("foreignKeys", []):
                if fk["fields"] == field["name"]:
                    rules.append(f"→ {fk['reference']['resource']}.{fk['reference']['fields']}")
            description = field.get("description", "").replace("|", "\\|")
            out.append(
                f"| `{field['name']}` | {field['type']} | {'; '.join(rules)} | {description} |"
            )
        out.append("")
    return "\n".join(out)


START, END = "<!-- data-dictionary:start -->\n", "<!-- data-dictionary:end -->"


def write_readme() -> None:
    """Replace the data dictionary in docs/data.md (between the markers) with a fresh render,
    and the review vocabularies in docs/adding-a-source.md."""
    from helpers.sources.review import VOCAB_END, VOCAB_START, vocabulary_markdown

    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for name, (start, end), body in (
        ("data.md", (START, END), render()),
        ("adding-a-source.md", (VOCAB_START, VOCAB_END), vocabulary_markdown(package)),
    ):
        readme = paths.ROOT / "docs" / name
        text = readme.read_text(encoding="utf-8")
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        if not rest:
            sys.exit(f"{readme}: no {start.strip()} marker")
        readme.write_text(head + start + body + end + tail, encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write_readme()
    else:
        print(render())
