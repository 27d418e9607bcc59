"""How the kit quotes: one way to put a passage in quotation marks, one way to mark a
source's own typo where the kit quotes it.

Passages and titles are the sources' words and are never changed in the data; these
functions only decide how the kit's pages present them.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

#: Quotation marks a passage may itself begin or end with (the source's own).
OPENING_MARKS = "\"“„«‘‚'‹"
CLOSING_MARKS = "\"”“»’'›"


def quoted(value) -> str:
    """A passage inside the kit's quotation marks, “…”, the one way the kit quotes.

    A passage that itself begins with a quotation mark keeps the source's mark there and
    gets no second one from the kit, so it never reads ""The …". One the kit opens, the kit
    closes, also after a single closing mark that ends a quoted word; a double closing mark
    at the end (” » ") closes both, as two in a row would read as a typo.

    >>> quoted("The situation is stable.")
    '“The situation is stable.”'
    >>> quoted('"The Russian peacekeeping mission is working well," he said')
    '"The Russian peacekeeping mission is working well," he said”'
    >>> quoted("“One case of ceasefire violation”"), quoted(None)
    ('“One case of ceasefire violation”', '')
    >>> quoted("Aliyev also said that the conflict was now ‘in the past’")
    '“Aliyev also said that the conflict was now ‘in the past’”'
    """
    text = "" if value is None or value != value else str(value).strip()
    if not text:
        return ""
    opening = "" if text[0] in OPENING_MARKS else "“"
    closing = "" if text[-1] in CLOSING_MARKS and (not opening or text[-1] in '”»"') else "”"
    return f"{opening}{text}{closing}"


# ------------------------------------------------------------------ the source's own typos


@functools.lru_cache(maxsize=4)
def typos_in(data_dir: Path) -> tuple[str, ...]:
    """The typos the glossary records (category ``typo``): the words as the source prints them."""
    path = Path(data_dir) / "glossary.csv"
    if not path.is_file():
        return ()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(sorted({r["term"] for r in rows if r.get("category") == "typo" and r.get("term")}))


def with_sic(text: str, typos: tuple[str, ...] | None = None) -> str:
    """``text`` with each typo the glossary records marked as the source's: ``Rssia [sic]``.

    For the kit's quotations of a title or a passage outside the section that discusses
    the typo; the stored text itself is never changed.

    >>> with_sic("Rssia, Azerbaijan, Armenia trilateral meeting ends", ("Rssia",))
    'Rssia [sic], Azerbaijan, Armenia trilateral meeting ends'
    >>> with_sic("Rssia [sic] and Russia", ("Rssia",))
    'Rssia [sic] and Russia'
    """
    if typos is None:
        from .. import paths

        typos = typos_in(paths.data_dir().resolve())
    for typo in typos:
        text = re.sub(rf"(?<!\w){re.escape(typo)}(?!\w)(?! \[sic\])", f"{typo} [sic]", text)
    return text
