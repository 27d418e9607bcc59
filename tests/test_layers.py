"""The package's rooms: what each layer may import from the kit, read from the source.

data/ is the bottom room (load, check, write the dataset): it shows nothing, so it imports
nothing from views/, report/ or sources/. No module imports another module's private
(underscore) names: what is shared is public.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import paths

SRC = paths.ROOT / "src" / "helpers"


def kit_imports(path: Path, src: Path = SRC) -> list[tuple[str, str]]:
    """``(module, name)`` for every ``from <kit module> import name`` in ``path``."""
    package = ".".join(path.relative_to(src.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module) if p)
            if module.startswith("helpers"):
                found += [(module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names if a.name.startswith("helpers")]
    return found


def private_names(folder: Path, src: Path = SRC) -> dict[str, list[str]]:
    out = {}
    for path in sorted(folder.rglob("*.py")):
        names = [
            f"{module}.{name}"
            for module, name in kit_imports(path, src)
            if name.startswith("_") and not name.startswith("__")
        ]
        if names:
            out[path.relative_to(src).as_posix()] = names
    return out


def test_the_data_layer_imports_no_presentation_build_or_source_intake():
    upper = ("helpers.views", "helpers.report", "helpers.sources")
    imports = {p.name: kit_imports(p) for p in sorted((SRC / "data").glob("*.py"))}
    assert any(m == "helpers.files" for found in imports.values() for m, _ in found)
    wrong = {n: [m for m, _ in found if m.startswith(upper)] for n, found in imports.items()}
    assert not {n: m for n, m in wrong.items() if m}


def test_no_private_name_is_imported_from_another_module(tmp_path):
    # The check finds one when there is one.
    fake = tmp_path / "helpers"
    (fake / "a").mkdir(parents=True)
    (fake / "a" / "b.py").write_text("from .c import _hidden, shown\n", encoding="utf-8")
    assert private_names(fake, fake) == {"a/b.py": ["helpers.a.c._hidden"]}
    assert private_names(SRC) == {}


def views_used(folder: Path, src: Path = SRC) -> dict[str, list[str]]:
    """Every module below ``folder`` that imports from helpers.views, or names a views
    module in its text (an import written as a string, ``__import__("helpers.views…")``)."""
    out = {}
    for path in sorted(folder.rglob("*.py")):
        found = [m for m, _ in kit_imports(path, src) if m.startswith("helpers.views")]
        found += ["as text"] if "helpers.views" in path.read_text(encoding="utf-8") else []
        if found:
            out[path.relative_to(src).as_posix()] = found
    return out


def test_the_build_uses_nothing_of_the_views(tmp_path):
    # What a notebook shows is the notebook's business (it calls the views itself); the
    # build only runs notebooks. The check finds an import, and a name written as text.
    fake = tmp_path / "helpers" / "report"
    fake.mkdir(parents=True)
    (fake / "a.py").write_text("from ..views.tables import show\n", encoding="utf-8")
    (fake / "b.py").write_text('CODE = "import helpers.views.tables"\n', encoding="utf-8")
    assert views_used(fake, tmp_path / "helpers") == {
        "report/a.py": ["helpers.views.tables"],
        "report/b.py": ["as text"],
    }
    assert views_used(SRC / "report") == {}
