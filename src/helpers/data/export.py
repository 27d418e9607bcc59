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

import io
from pathlib import Path

from ..files import atomic_write

__all__ = ["FORMULA_PREFIXES", "atomic_write", "neutralise", "write_csv"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return ``value`` made safe for a spreadsheet cell (text only)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(frame, path: Path | str) -> Path:
    """Write ``frame`` as UTF-8 CSV with every text cell neutralised; atomically.

    Written with :func:`helpers.files.atomic_write`, so a failure never leaves a half-written file
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
