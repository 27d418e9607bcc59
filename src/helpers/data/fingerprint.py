"""One fingerprint of a data folder, shared by ``Dataset.fingerprint()`` and the report build.

Standard library only, so the report build can fingerprint the data without
importing pandas. The fingerprint is a SHA-256 over the sorted lines
``<relative path>\\0<sha256 of the file>``, of every file below the folder except
hidden ones (``.DS_Store``, editors' swap files) and ``__pycache__``, shortened to
:data:`LENGTH` hex digits: enough to tell two datasets apart by eye.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "a.csv").write_text("x\\n1\\n")
>>> before = fingerprint(root)
>>> _ = (root / ".a.csv.swp").write_text("editor noise")
>>> fingerprint(root) == before, len(before)
(True, 12)
>>> _ = (root / "a.csv").write_text("x\\n2\\n")
>>> fingerprint(root) == before
False
>>> of_snapshot(snapshot(root)) == fingerprint(root)
True
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from ..files import sha256_file

__all__ = ["LENGTH", "data_files", "fingerprint", "of_snapshot", "sha256_file", "snapshot"]

#: Hex digits shown of the fingerprint.
LENGTH = 12


def data_files(root: Path) -> list[Path]:
    """Every file below ``root`` that counts, in a stable order (none if it is no folder)."""
    if not Path(root).is_dir():
        return []
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(
            d for d in subfolders if not d.startswith(".") and d != "__pycache__"
        )
        found += [Path(folder) / n for n in sorted(names) if not n.startswith(".")]
    return found


def snapshot(root: Path, sha: Callable[[Path], str] = sha256_file) -> dict[str, str]:
    """``{relative path: sha256}`` of every file that counts below ``root``.

    ``sha`` lets a caller reuse hashes it already knows (the report build's stat cache).
    """
    root = Path(root)
    return {p.relative_to(root).as_posix(): sha(p) for p in data_files(root)}


def fingerprint(root: Path | str | None = None) -> str:
    """The fingerprint of the data folder ``root`` (default: the data in use)."""
    from .. import paths  # stdlib only

    return of_snapshot(snapshot(Path(root) if root is not None else paths.data_dir()))


def of_snapshot(files: dict[str, str]) -> str:
    """The fingerprint of a :func:`snapshot` (what :func:`fingerprint` computes)."""
    lines = "".join(f"{name}\0{sha}\n" for name, sha in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()[:LENGTH]
