"""Change several files of the data folder together, or none of them.

Every new content is first written to a temporary file beside its destination;
only when all are written are they renamed into place (``os.replace``, atomic
per file). A failure before that leaves every file as it was, byte for byte.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> replace_all({folder / "a.txt": b"one", folder / "b.txt": b"two"})
>>> sorted(p.name for p in folder.iterdir())
['a.txt', 'b.txt']
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path


def replace_all(contents: dict[Path, bytes]) -> None:
    """Write every ``path: bytes`` of ``contents``, all or none."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in contents.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def with_rows_appended(path: Path, rows: list[dict]) -> bytes:
    """The bytes of CSV ``path`` with ``rows`` appended (columns in the file's order).

    The existing bytes are kept as they are; a missing final newline is added.
    """
    raw = path.read_bytes()
    header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    glue = b"" if not raw or raw.endswith(b"\n") else b"\n"
    return raw + glue + out.getvalue().encode("utf-8")
