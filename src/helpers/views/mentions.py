"""Row ids in the data's own notes, turned into names a reader knows.

The data's notes, caveats and date bases cite other rows by id, as their authors
wrote them ("(reference alarabiya-2020-11-08)", "(see claim armenian-army-attacked)",
"Armenia's account is in r-violations-am-azatutyun"). An id is for the kit's code
and its CSV files, not for a reader: a report page names the outlet (linked to its
address), the claim, the event or the place instead. :func:`readable_html` does it
for any text from the data (and marks a typo the glossary records as the source's:
"Rssia [sic]"); :class:`~helpers.views.tables.Table` calls it on every text cell, so
every table on every page gets it.

An id is looked up in the tables of the data in use (:data:`LOOKUP`, through
``helpers.load()``, so the report build's read record notes each table read), and only
as far as needed: a table is read only when a cell holds a slug-like token (a hyphen
or a digit; a one-word id is also a word) that no table before it holds. The tables
the data's notes cite most come first, so a page whose cells name only sources,
references, places and events never reads the claims, and adding a claim does not
rebuild it. A token that is also an ordinary word of the stored source texts
("self-determination") is left alone: the same word in a passage is the source's own,
and a passage is never changed. An id inside a web address or a file name is left
alone too.

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

from ..data import ID_PATTERN
from ..text.quoting import with_sic
from .links import link_to, linked

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


#: A token that may be a row id: a whole run of word characters and hyphens, not inside
#: an address or a file name ("x-2021-01-11.txt"), with a hyphen or a digit, and
#: spelled as the data package requires every id to be (:data:`helpers.data.ID_PATTERN`:
#: so "1994", "2020-11-10" or "Nagorno-Karabakh" is never looked up).
TOKEN = re.compile(r"(?<![\w/.#=-])([\w-]*[-\d][\w-]*)(?![\w-]|\.\w)")
ID = re.compile(ID_PATTERN)

#: Where a token is looked up, in this order (the first table holding it names it): the
#: tables the data's notes cite most first, those cited least (quotes, claims) last.
LOOKUP = (
    ("sources", "source_id"),
    ("references", "reference_id"),
    ("places", "place_id"),
    ("events", "event_id"),
    ("actors", "actor_id"),
    ("event_reports", "report_id"),
    ("topics", "topic_id"),
    ("glossary", "term_id"),
    ("control_changes", "change_id"),
    ("renderings", "rendering_id"),
    ("quotes", "quote_id"),
    ("claims", "claim_id"),
)


@dataclass
class Names:
    """Row ids with the name a reader sees instead (a fixed list: see :class:`DataNames`).

    >>> Names({"r-x": Name("TASS")}).name("r-x"), Names().name("r-x")
    (Name(text='TASS', url=''), None)
    """

    by_id: dict[str, Name] = field(default_factory=dict)

    def name(self, token: str) -> Name | None:
        """The name of the row whose id is ``token`` (``None``: no row, or not to be named)."""
        return self.by_id.get(token)


class DataNames(Names):
    """The row ids of a dataset, each table read on the first token not found before it.

    >>> import helpers
    >>> names = DataNames(helpers.load())
    >>> names.name("tass-2020-10-03").text, names.read
    ('TASS, 3 October 2020', ['sources', 'references'])
    >>> names.name("self-determination"), names.read  # a word of the sources' own texts
    (None, ['sources', 'references'])
    >>> few = DataNames(helpers.load(), tables=("sources", "references", "places"))
    >>> few.name("north-east"), few.read  # not a row of those tables: no other is read
    (None, ['sources', 'references', 'places'])
    """

    def __init__(self, dataset, tables=None):
        super().__init__()
        self.dataset = dataset
        # Only these tables are looked in (all of :data:`LOOKUP` by default): a view
        # that reads a few tables names only their rows, and reads no other.
        self.lookup = [(t, k) for t, k in LOOKUP if tables is None or t in tables]
        self.read: list[str] = []  # the tables read so far, in LOOKUP's order
        self.tables: dict[str, dict[str, Name]] = {}
        self._own_words: set[str] | None = None

    def name(self, token: str) -> Name | None:
        if not ID.fullmatch(token):
            return None
        if self._own_words is None:
            self._own_words = _words_of(self.dataset.texts.values())
        if token in self._own_words:
            return None
        for table, key in self.lookup[len(self.read) :]:
            if token in self.by_id:
                break
            self._read(table, key)
        return self.by_id.get(token)

    def _read(self, table: str, key: str) -> None:
        self.read.append(table)
        named = {row[key]: self._name_of(table, row) for row in self._rows(table) if row.get(key)}
        self.tables[table] = {k: v for k, v in named.items() if v.text}
        for k, v in self.tables[table].items():
            self.by_id.setdefault(k, v)

    def _rows(self, table: str) -> list[dict]:
        if table == "control_changes":  # not a table of the Dataset: read as the maps do
            path = Path(self.dataset.path) / "control_changes.csv"
            if not path.is_file():
                return []
            with open(path, newline="", encoding="utf-8") as handle:
                return list(csv.DictReader(handle))
        frame = getattr(self.dataset, table)
        return [{k: _text(v) for k, v in row.items()} for row in frame.to_dict("records")]

    def _name_of(self, table: str, row: dict) -> Name:
        if table in ("sources", "references"):
            when = _date(row.get("published", ""), row.get("published_prec") or "day")
            text = ", ".join(x for x in (row.get("publisher", ""), when) if x)
            return Name(text, row.get("url", ""))
        if table in ("event_reports", "renderings"):  # named by the outlet they cite
            sources, references = self.tables["sources"], self.tables["references"]
            cited = sources.get(row.get("source_id", ""))
            return cited or references.get(row.get("reference_id", ""), Name(""))
        if table == "claims":
            return Name("the claim " + _quoted(row.get("statement", "")))
        field_, quote = NAME_FIELDS[table]
        words = row.get(field_, "")
        return Name(_quoted(words) if quote else words)


#: The field that names a row of the other tables, and whether it is quoted (a label or
#: a term, not a name).
NAME_FIELDS = {
    "quotes": ("text", True),
    "actors": ("name", False),
    "events": ("label", True),
    "places": ("name", False),
    "glossary": ("term", True),
    "topics": ("topic", False),
    "control_changes": ("area", False),
}


def _text(value) -> str:
    if value is None or (not isinstance(value, (str, tuple, list)) and value != value):
        return ""
    if hasattr(value, "date") and callable(value.date):  # a Timestamp: its day
        return value.date().isoformat()
    return str(value)


def _date(text: str, precision: str = "day") -> str:
    """A publication date at its precision: a year or month is never written as a day.

    >>> _date("2023-01-01", "year"), _date("2024-06-01", "month_or_later")
    ('2023', 'in or after June 2024')
    >>> _date("2020-11-08")
    '8 November 2020'
    """
    try:
        day = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    if precision.endswith("_or_later"):
        return f"in or after {_date(text, precision.removesuffix('_or_later'))}"
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%B %Y}"
    return f"{day.day} {day:%B %Y}"


def _quoted(text: str) -> str:
    return f"“{text.strip()}”"


def _words_of(texts) -> set[str]:
    """Every hyphenated or numbered token of ``texts`` (the sources' own words)."""
    words: set[str] = set()
    for text in texts:
        words.update(re.findall(r"[\w-]*[-\d][\w-]*", text))
    return words


@functools.lru_cache(maxsize=4)
def _names_for(data_dir: Path) -> DataNames:
    import helpers

    return DataNames(helpers.load())


def current_names() -> Names:
    """The names of the data in use (:func:`helpers.paths.data_dir`), read once per folder."""
    from .. import paths

    return _names_for(paths.data_dir().resolve())


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
    names = current_names() if names is None else names
    text = with_sic(text) if text else text  # a source's typo, quoted, is marked as its own
    out, end = [], 0
    for match in TOKEN.finditer(text or ""):
        name = names.name(match.group(1))
        if name is None:
            continue
        before = text[end : match.start()]
        before = KIND_WORDS.sub("", before) if _ends_a_kind(before) else before
        out.append(linked(before))
        out.append(link_to(name.text, name.url) if name.url else html.escape(name.text))
        end = match.end()
    out.append(linked(text[end:] if text else text))
    return "".join(out)


def _ends_a_kind(text: str) -> bool:
    return bool(KIND_WORDS.search(text))
