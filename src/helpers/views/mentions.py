"""Row ids in the data's own notes, turned into names a reader knows.

The data's notes, caveats and date bases cite other rows by id, as their authors
wrote them ("(reference alarabiya-2020-11-08)", "(see claim armenian-army-attacked)",
"Armenia's account is in r-violations-am-azatutyun"). An id is for the kit's code
and its CSV files, not for a reader: a report page names the outlet (linked to its
address), the claim, the event or the place instead. :func:`readable_html` does it
for any text from the data (and marks a typo the glossary records as the source's:
"Rssia [sic]"); :class:`~helpers.views.tables.Table` calls it on every text cell, so
every table on every page gets it.

Ids are read from the first column of each table of the data in use (those whose
name ends in ``_id``), never from a typed list; only slug-like ones (with a hyphen or
a digit) count, since a one-word id is also a word. An id that is also an ordinary word
of the stored source texts ("self-determination") is left alone: the same word in a
passage is the source's own, and a passage is never changed. An id inside a web
address or a file name is left alone too.

>>> names = Names({"alarabiya-2020-11-08": Name("Al Arabiya, 8 November 2020",
...                                            "https://english.alarabiya.net/x")})
>>> readable_html("Used of Shusha (reference alarabiya-2020-11-08).", names)
'Used of Shusha (<a href="https://english.alarabiya.net/x">Al Arabiya, 8 November 2020</a>).'
>>> readable_html("see https://x.org/alarabiya-2020-11-08 and <b>", names)
'see <a href="https://x.org/alarabiya-2020-11-08">x.org</a> and &lt;b&gt;'
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..text.quoting import with_sic

#: Words the data's notes put before an id ("reference x", "see claim y", "reports a, b"):
#: dropped with the id, since the name that replaces it says what it is.
KIND_WORDS = re.compile(
    r"(?:\b(?:references?|reports?|sources?|claims?|actors?|events?|rows?)\s+)$", re.I
)


@dataclass(frozen=True)
class Name:
    """How a page names a row: its text, and the address to link it to (if any)."""

    text: str
    url: str = ""


@dataclass
class Names:
    """Every row id of the data in use, with the name a reader sees instead."""

    by_id: dict[str, Name] = field(default_factory=dict)

    @functools.cached_property
    def pattern(self) -> re.Pattern | None:
        if not self.by_id:
            return None
        ids = sorted(self.by_id, key=len, reverse=True)
        # Not inside a longer token, an address or a file name ("x-2021-01-11.txt").
        return re.compile(r"(?<![\w/.#=-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-]|\.\w)")


def _date(text: str) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    return f"{day.day} {day:%B %Y}"


def _rows(data_dir: Path, name: str) -> list[dict]:
    path = data_dir / f"{name}.csv"
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _quoted(text: str) -> str:
    return f"“{text.strip()}”"


def _outlet(row: dict) -> Name:
    when = _date(row.get("published", ""))
    text = ", ".join(x for x in (row.get("publisher", ""), when) if x)
    return Name(text, row.get("url", "") or "")


def _names_of(data_dir: Path) -> dict[str, Name]:
    sources = {r["source_id"]: _outlet(r) for r in _rows(data_dir, "sources")}
    references = {r["reference_id"]: _outlet(r) for r in _rows(data_dir, "references")}
    by_id: dict[str, Name] = {**sources, **references}

    def cited(row: dict) -> Name:
        return sources.get(row.get("source_id", "")) or references.get(
            row.get("reference_id", ""), Name("")
        )

    for row in _rows(data_dir, "event_reports"):
        by_id[row["report_id"]] = cited(row)
    for row in _rows(data_dir, "renderings"):
        by_id[row["rendering_id"]] = cited(row)
    for row in _rows(data_dir, "claims"):
        by_id[row["claim_id"]] = Name("the claim " + _quoted(row.get("statement", "")))
    for row in _rows(data_dir, "quotes"):
        by_id[row["quote_id"]] = Name(_quoted(row.get("text", "")))
    for table, key, text in (
        ("actors", "actor_id", "name"),
        ("events", "event_id", "label"),
        ("places", "place_id", "name"),
        ("glossary", "term_id", "term"),
        ("topics", "topic_id", "topic"),
        ("control_changes", "change_id", "area"),
    ):
        for row in _rows(data_dir, table):
            words = row.get(text, "")
            by_id[row[key]] = Name(_quoted(words) if table in ("events", "glossary") else words)
    return {k: v for k, v in by_id.items() if k and v.text}


def _source_words(data_dir: Path) -> set[str]:
    """Every hyphenated or numbered token of the stored source texts (their own words)."""
    words: set[str] = set()
    for path in sorted((data_dir / "sources").glob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            words.update(re.findall(r"[\w-]*[-\d][\w-]*", text))
    return words


@functools.lru_cache(maxsize=4)
def names_for(data_dir: Path) -> Names:
    """The :class:`Names` of the data in ``data_dir`` (read once per folder)."""
    own_words = _source_words(data_dir)
    # Only slug-like ids (a hyphen or a digit: "r-war-tass"): a one-word id ("liberated",
    # "shusha") is also an ordinary word, and so is one the sources' own texts use.
    return Names(
        {
            k: v
            for k, v in _names_of(data_dir).items()
            if re.search(r"[-\d]", k) and k not in own_words
        }
    )


def current_names() -> Names:
    """The names of the data in use (:func:`helpers.paths.data_dir`)."""
    from .. import paths

    return names_for(paths.data_dir().resolve())


def readable_html(text: str, names: Names | None = None) -> str:
    """``text`` as HTML: escaped, web addresses as short links, row ids as names.

    A word that introduces the id ("reference", "see claim") is dropped with it
    where the name says what it is; a list of ids ("references a, b") keeps its
    separators.

    >>> names = Names({"r-x": Name("TASS", "https://tass.com/1"),
    ...                "c-y": Name("the claim “A attacked”")})
    >>> readable_html("as in reports r-x and r-x; see claim c-y", names)
    'as in <a href="https://tass.com/1">TASS</a> and <a href="https://tass.com/1">TASS</a>; \
see the claim “A attacked”'
    """
    from .tables import link_to, linked

    names = current_names() if names is None else names
    pattern = names.pattern
    text = with_sic(text) if text else text  # a source's typo, quoted, is marked as its own
    if pattern is None or not text:
        return linked(text)
    out, end = [], 0
    for match in pattern.finditer(text):
        before = text[end : match.start()]
        before = KIND_WORDS.sub("", before) if _ends_a_kind(before) else before
        out.append(linked(before))
        name = names.by_id[match.group(1)]
        out.append(link_to(name.text, name.url) if name.url else html.escape(name.text))
        end = match.end()
    out.append(linked(text[end:]))
    return "".join(out)


def _ends_a_kind(text: str) -> bool:
    return bool(KIND_WORDS.search(text))
