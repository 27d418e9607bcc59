"""Writing and hashing files: the one way the kit writes a file.

Every file the kit writes (tables and the data package after ``python -m
helpers.sources add``/``accept``, exports, figures, reports, boundary downloads and
their lock) goes through :func:`write_all` (or :func:`atomic_write` for one file):

* each new content is written to a temporary file beside its destination, and only
  when all are complete are they renamed into place (``os.replace``, atomic per
  file), so a failure leaves every file as it was, byte for byte, and no
  temporary file behind;
* each file is created as ``open()`` would create it (mode 0o666 less the umask),
  unlike :func:`tempfile.mkstemp`'s private 0o600, so a file the kit rewrites keeps
  the permissions any other file in the folder has.

Standard library only: the report build uses it without importing pandas.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_all({folder / "a.txt": b"one", folder / "b.txt": b"two"})
>>> sorted(p.name for p in folder.iterdir()), (folder / "b.txt").read_bytes()
(['a.txt', 'b.txt'], b'two')
>>> sha256_file(folder / "a.txt")[:12]
'7692c3ad3540'
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import secrets
from pathlib import Path


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed into place.

    Readers see the old file or the new one, never half of one; on any failure
    (a full disk, an interrupt) the old file stays as it was and the temporary file
    is removed.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "report.html"
    >>> atomic_write(target, b"<p>new</p>")
    >>> target.read_bytes(), [p.name for p in target.parent.iterdir()]
    (b'<p>new</p>', ['report.html'])
    """
    write_all({Path(path): data})


def write_all(contents: dict[Path, bytes]) -> None:
    """Write every ``path: bytes`` of ``contents``, all or none."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in contents.items():
            path = Path(path)
            staged.append((_staged(path, data), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _staged(path: Path, data: bytes) -> Path:
    """``data`` written and synced to a new temporary file beside ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # O_EXCL: never write through a file (or link) someone else put there.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def sha256_file(path: Path | str) -> str:
    """The SHA-256 of a file's bytes (hex), read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def with_rows_appended(path: Path, rows: list[dict]) -> bytes:
    """The bytes of CSV ``path`` with ``rows`` appended (columns in the file's order).

    The existing bytes are kept as they are; a missing final newline is added.

    >>> import tempfile
    >>> table = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = table.write_bytes(b"id,note\\na,x")
    >>> with_rows_appended(table, [{"id": "b", "note": None}])
    b'id,note\\na,x\\nb,\\n'
    """
    raw = Path(path).read_bytes()
    header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    glue = b"" if not raw or raw.endswith(b"\n") else b"\n"
    return raw + glue + out.getvalue().encode("utf-8")
