"""Write tables for spreadsheets without letting a cell run as a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) is run as a formula by Excel, LibreOffice and Google Sheets — "formula
injection" (OWASP's CSV injection). Text from sources may start that way, so
every CSV the kit writes for people goes through :func:`write_csv`, which
prefixes such cells with a single quote, the spreadsheet convention for
"this is text". Numbers stay numbers: only text cells are touched.

>>> print(neutralise('=HYPERLINK("http://x")'))
'=HYPERLINK("http://x")
>>> neutralise("-5 soldiers"), neutralise("plain"), neutralise(-5)
("'-5 soldiers", 'plain', -5)
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return ``value`` made safe for a spreadsheet cell (text only)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(frame, path: Path | str) -> Path:
    """Write ``frame`` as UTF-8 CSV with every text cell neutralised; atomically.

    Written with :func:`atomic_write`, so a failure never leaves a half-written file
    over a good one, and the file gets the permissions any other file would.
    """
    path = Path(path)
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype) in ("str", "string"):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(c) for c in safe.columns]
    text = io.StringIO(newline="")
    safe.to_csv(text, index=False, lineterminator="\n")
    atomic_write(path, text.getvalue().encode("utf-8"))
    return path


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed into place.

    Readers see the old file or the new one, never half of one; on any failure
    (a full disk, an interrupt) the old file stays as it was and the temporary file
    is removed. The file is created as ``open()`` would create it (mode 0o666
    less the umask), unlike :func:`tempfile.mkstemp`'s private 0o600.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "report.html"
    >>> atomic_write(target, b"<p>new</p>")
    >>> target.read_bytes(), [p.name for p in target.parent.iterdir()]
    (b'<p>new</p>', ['report.html'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # O_EXCL: never write through a file (or link) someone else put there.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
