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

from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return ``value`` made safe for a spreadsheet cell (text only)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(frame, path: Path | str) -> Path:
    """Write ``frame`` as UTF-8 CSV with every text cell neutralised; atomically.

    The file is written beside its destination and renamed into place, so a
    failure never leaves a half-written file over a good one.
    """
    import os
    import tempfile

    path = Path(path)
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype) in ("str", "string"):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(c) for c in safe.columns]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            safe.to_csv(handle, index=False, lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
