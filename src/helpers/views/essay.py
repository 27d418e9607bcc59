"""The narrative essay: written by hand, each sentence checked against the rows it cites.

``data/essay.md`` is prose a journalist would publish. Each sentence ends with its
citations in Pandoc's syntax, ``[@row-id; @other-id]``, naming rows of the sourced
tables (event reports, claims, quotes, topics, actors, places, glossary) or outside
references. :func:`check` holds every sentence to these rules, all at once:

* it cites at least one row, and every id it cites exists;
* every number in it appears in a cited row (its text or its structured fields);
* every date it names is a date of a cited row (a date column, a date its text
  names, or the publication date of its source or reference), at the precision named;
* every quotation in it is found word for word in a cited row;
* no loaded term of the glossary stands outside quotation marks;
* a place the two sides name differently is given both names, as the kit's
  gazetteer has them (:func:`helpers.views.provenance.with_dual_names`).

A sentence resting on outside references only is marked as context automatically.
``data/essay-reviews.csv`` records, for each sentence, a fingerprint of each row it
cited when a person last reviewed it; a sentence whose rows have changed since is
flagged on the page and in the build's output ("the evidence for this sentence
changed since it was last reviewed"), naming in words the source and the claim that
changed (:func:`evidence_words`). ``python -m helpers.views.essay review`` records the
current fingerprints once the flagged sentences have been reread.

>>> import helpers
>>> essay = read()
>>> problems(helpers.load(), essay)
[]
>>> parse_sentences("Fighting resumed on 27 September 2020. [@r-war-tass]")[0].ids
('r-war-tass',)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from .provenance import QUOTED, with_dual_names

ESSAY_FILE = "essay.md"
REVIEWS_FILE = "essay-reviews.csv"
CHANGED = "the evidence for this sentence changed since it was last reviewed"
UNREVIEWED = "this sentence has not been reviewed against its evidence"

#: The tables a sentence may cite, with their id columns.
CITABLE = {
    "event_reports": "report_id",
    "claims": "claim_id",
    "quotes": "quote_id",
    "topics": "topic_id",
    "actors": "actor_id",
    "places": "place_id",
    "glossary": "term_id",
    "references": "reference_id",
}

_CITATION = re.compile(r"\[(@[^\]]+)\]")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[,.:]\d+)*")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@dataclass(frozen=True)
class Sentence:
    """One sentence of the essay: its text (citations removed) and the ids it cites."""

    text: str
    ids: tuple[str, ...]
    section: str = ""
    paragraph: int = 0

    #: Essay sentences are not generated from one row (chronology lines are).
    row = None
    kind = "essay"

    @property
    def key(self) -> str:
        """A short fingerprint of the sentence as written (text and citations)."""
        raw = " ".join(self.text.split()) + "|" + ";".join(self.ids)
        return hashlib.sha256(raw.encode()).hexdigest()[:12]


@dataclass
class Essay:
    """The parsed essay: a title, then sections of paragraphs of sentences."""

    title: str
    sections: list[tuple[str, list[list[Sentence]]]] = field(default_factory=list)

    def sentences(self) -> list[Sentence]:
        return [s for _, paras in self.sections for para in paras for s in para]


def parse_sentences(paragraph: str, section: str = "", number: int = 0) -> list[Sentence]:
    """Split a paragraph into sentences, each ending at its citation group.

    Text after the last citation is a sentence without citations (``ids`` empty).

    >>> [s.ids for s in parse_sentences("A. [@x] B said “so”. [@y; @z] Trailing.")]
    [('x',), ('y', 'z'), ()]
    """
    out = []
    at = 0
    for match in _CITATION.finditer(paragraph):
        text = " ".join(paragraph[at : match.start()].split())
        ids = tuple(part.strip().lstrip("@") for part in match.group(1).split(";"))
        out.append(Sentence(text, tuple(i for i in ids if i), section, number))
        at = match.end()
    rest = " ".join(paragraph[at:].split())
    if rest:
        out.append(Sentence(rest, (), section, number))
    return out


def parse(markdown: str) -> Essay:
    """Read the essay's Markdown: ``#`` title, ``##`` sections, paragraphs between blank lines."""
    essay = Essay(title="")
    section = ""
    paragraphs: list[list[Sentence]] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        block = block.strip()
        if block.startswith("<!--"):
            continue
        if block.startswith("## "):
            if paragraphs or section:
                essay.sections.append((section, paragraphs))
            section, paragraphs = block[3:].strip(), []
        elif block.startswith("# "):
            essay.title = block[2:].strip()
        else:
            paragraphs.append(parse_sentences(block, section, len(paragraphs)))
    if paragraphs or section:
        essay.sections.append((section, paragraphs))
    return essay


def read(path: Path | str | None = None) -> Essay:
    """The essay of a data folder (default: the kit's ``data/``)."""
    folder = Path(path) if path is not None else paths.DATA_DIR
    return parse((folder / ESSAY_FILE).read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- rows


def rows_by_id(ds) -> dict[str, tuple[str, pd.Series]]:
    """Every citable row of ``ds`` by its id: ``{id: (table, row)}``."""
    found: dict[str, tuple[str, pd.Series]] = {}
    for table, key in CITABLE.items():
        frame = getattr(ds, table)
        for _, row in frame.iterrows():
            found.setdefault(str(row[key]), (table, row))
    return found


def _cell(value) -> str:
    if isinstance(value, tuple):
        return ";".join(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def evidence_fingerprint(ds, ids, rows=None) -> str:
    """A fingerprint of each cited row's contents, in the order cited, joined by ``;``:
    the part of a row changes when that row changes.

    >>> import helpers
    >>> ds = helpers.load()
    >>> one = evidence_fingerprint(ds, ["r-war-tass", "r-clashes-ap"])
    >>> one == evidence_fingerprint(ds, ["r-war-tass", "r-clashes-ap"]), one.count(";")
    (True, 1)
    """
    rows = rows if rows is not None else rows_by_id(ds)
    parts = []
    for i in ids:
        row = rows[i][1] if i in rows else None
        payload = None if row is None else {c: _cell(v) for c, v in row.items() if c != "geometry"}
        parts.append(hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16])
    return ";".join(parts)


def evidence_words(ds, table: str, row: pd.Series) -> str:
    """A cited row in a reader's words: who says what, and where (no row ids).

    >>> import helpers
    >>> ds = helpers.load()
    >>> table, row = rows_by_id(ds)["r-memorandum"]
    >>> print(evidence_words(ds, table, row))  # doctest: +ELLIPSIS
    TASS (11 November 2020): ...memorandum...
    """
    from .provenance import attributed, source_label

    if table == "references":
        return _reference_words(ds, row["reference_id"])
    where = (
        source_label(ds, row["source_id"])
        if row.get("origin") == "article" and isinstance(row.get("source_id"), str)
        else _reference_words(ds, row.get("reference_id"))
    )
    if table == "claims":
        return f"{attributed(row, 'sentence')} ({where})"
    if table == "event_reports":
        return f"{where}: {row['wording']}"
    if table == "quotes":
        return f"{actor_name(ds, row['speaker_id'])}, as quoted in {where}: “{row['text']}”"
    named = {"actors": "name", "places": "name", "topics": "topic", "glossary": "term"}
    return f"{where}, on {row[named[table]]}" if table in named else where


def _reference_words(ds, reference_id) -> str:
    from .provenance import format_date

    refs = ds.references.set_index("reference_id")
    if not isinstance(reference_id, str) or reference_id not in refs.index:
        return "an outside reference"
    ref = refs.loc[reference_id]
    return f"{ref['publisher']} ({format_date(ref['published'], ref['published_prec'])})"


def actor_name(ds, actor_id) -> str:
    actors = ds.actors.set_index("actor_id")["name"]
    return str(actors.get(actor_id, "a speaker"))


def _row_text(row: pd.Series) -> str:
    return " ".join(_cell(v) for k, v in row.items() if k != "geometry")


def _row_dates(ds, table: str, row: pd.Series) -> set[pd.Timestamp]:
    from ..data.dataset import dates_in_text

    found = set()
    for value in row.values:
        if isinstance(value, pd.Timestamp) and not pd.isna(value):
            found.add(value.normalize())
        elif isinstance(value, str):
            found.update(dates_in_text(value))
            found.update(_dates_without_year(value, row))
    published = []
    if isinstance(row.get("reference_id"), str):
        refs = ds.references.set_index("reference_id")
        if row["reference_id"] in refs.index:
            published.append(refs.loc[row["reference_id"], "published"])
    if isinstance(row.get("source_id"), str):
        srcs = ds.sources.set_index("source_id")
        if row["source_id"] in srcs.index:
            published.append(srcs.loc[row["source_id"], "published"])
    found.update(pd.Timestamp(p).normalize() for p in published if not pd.isna(p))
    return found


def _dates_without_year(text: str, row) -> set[pd.Timestamp]:
    """'on November 9th' in an excerpt, read in the year of the row's own dating."""
    years = {v.year for v in row.values if isinstance(v, pd.Timestamp) and not pd.isna(v)} or set()
    out = set()
    for m in re.finditer(rf"\b({_MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})", text):
        for year in years:
            try:
                out.add(pd.Timestamp(f"{m[2]} {m[1]} {year}"))
            except ValueError:
                continue
    return out


def _date_matches(named: pd.Timestamp, known: set[pd.Timestamp], precision: str) -> bool:
    if precision == "year":
        return any(d.year == named.year for d in known)
    if precision == "month":
        return any((d.year, d.month) == (named.year, named.month) for d in known)
    return named in known


def named_dates(text: str) -> list[tuple[pd.Timestamp, str]]:
    """Dates a sentence names, with the precision it names them at.

    >>> found = named_dates("on 9 November 2020, in May 1994, in 1991")
    >>> [(d.date().isoformat(), p) for d, p in found]
    [('2020-11-09', 'day'), ('1994-05-01', 'month'), ('1991-01-01', 'year')]
    """
    out = []
    taken: list[tuple[int, int]] = []
    patterns = (
        (rf"\b(\d{{1,2}})(?:[–-]\d{{1,2}})? ({_MONTHS}) (\d{{4}})\b", "day"),
        (rf"\b({_MONTHS}) (\d{{4}})\b", "month"),
        (r"(?<![\d,.:])\b(1[89]\d\d|20\d\d)\b(?![\d,:])", "year"),
    )
    for pattern, precision in patterns:
        for m in re.finditer(pattern, text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            if precision == "day":
                when = pd.Timestamp(f"{m[1]} {m[2]} {m[3]}")
            elif precision == "month":
                when = pd.Timestamp(f"1 {m[1]} {m[2]}")
            else:
                when = pd.Timestamp(f"{m[1]}-01-01")
            out.append((when, precision))
    return out


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def quotations(text: str) -> list[str]:
    """The quoted passages of a sentence (double quotes, or single quotes around words).

    >>> quotations("Aliyev said the conflict “remained in the past”; the agency's 'liberated'.")
    ['remained in the past', 'liberated']
    """
    return [m.group(0)[1:-1].strip(" .,") for m in QUOTED.finditer(text)]


# ----------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Problem:
    """One failed rule: which sentence, and what is wrong."""

    sentence: str
    message: str

    def __str__(self) -> str:
        return f"{ESSAY_FILE}: “{self.sentence[:90]}”: {self.message}"


def _without_quotes_and_dates(text: str) -> str:
    text = QUOTED.sub(" ", text)
    text = re.sub(rf"\b\d{{1,2}}(?:[–-]\d{{1,2}})? (?:{_MONTHS}) \d{{4}}\b", " ", text)
    text = re.sub(rf"\b(?:{_MONTHS}) \d{{4}}\b", " ", text)
    text = re.sub(rf"\b\d{{1,2}}(?:[–-]\d{{1,2}})? (?:{_MONTHS})\b", " ", text)
    return re.sub(r"(?<![\d,.:])\b(1[89]\d\d|20\d\d)\b(?![\d,:])", " ", text)


def sentence_problems(ds, sentence: Sentence, rows=None, loaded=None) -> list[Problem]:
    """Every rule one sentence breaks (missing rows are reported, not checked further)."""

    rows = rows if rows is not None else rows_by_id(ds)
    if loaded is None:
        loaded = ds.glossary.loc[ds.glossary["category"] == "loaded_term", "term"].tolist()
    out = []
    say = sentence.text
    if not sentence.ids:
        return [Problem(say, "cites no row")]
    missing = [i for i in sentence.ids if i not in rows]
    if missing:
        return [Problem(say, f"cites rows that are not in the data: {', '.join(missing)}")]
    cited = [rows[i] for i in sentence.ids]
    text = _norm(" ".join(_row_text(r) for _, r in cited))
    digits = text.replace(",", "")
    for number in _NUMBER.findall(_without_quotes_and_dates(say)):
        if number.replace(",", "") not in digits:
            out.append(Problem(say, f"the number {number} is in no cited row"))
    known: set[pd.Timestamp] = set()
    for table, row in cited:
        known |= _row_dates(ds, table, row)
    for when, precision in named_dates(QUOTED.sub(" ", say)):
        if not _date_matches(when, known, precision):
            shown = when.strftime({"day": "%d %B %Y", "month": "%B %Y", "year": "%Y"}[precision])
            out.append(Problem(say, f"the date {shown.lstrip('0')} is not a date of any cited row"))
    for quoted in quotations(say):
        if _norm(quoted) not in text:
            out.append(Problem(say, f"the quotation “{quoted}” is in no cited row"))
    return out + _wording_problems(ds, say, loaded)


def unquoted_loaded_terms(text: str, terms) -> list[str]:
    """Loaded terms that occur in ``text`` outside quotation marks.

    >>> unquoted_loaded_terms("Azerbaijan liberated towns; it calls them 'liberated'.",
    ...                       ["liberated", "occupied"])
    ['liberated']
    >>> unquoted_loaded_terms("Russia's note: “occupied” is one side's word.", ["occupied"])
    []
    """
    bare = QUOTED.sub(" ", text)
    return [t for t in terms if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", bare, re.IGNORECASE)]


def _wording_problems(ds, say: str, loaded) -> list[Problem]:
    """Loaded terms outside quotation marks; a contested place given one name only."""
    out = []
    found = unquoted_loaded_terms(say, loaded)
    if found:
        out.append(Problem(say, f"loaded term(s) outside quotation marks: {found}"))
    dual = with_dual_names(say, ds)
    if dual != say:
        out.append(Problem(say, f"give contested places both names: “{dual}”"))
    return out


def problems(ds, essay: Essay) -> list[Problem]:
    """Every rule every sentence breaks, rows missing from ``ds`` included."""
    rows = rows_by_id(ds)
    loaded = ds.glossary.loc[ds.glossary["category"] == "loaded_term", "term"].tolist()
    return [p for s in essay.sentences() for p in sentence_problems(ds, s, rows, loaded)]


def is_context(sentence: Sentence, rows) -> bool:
    """True when no cited row comes from the article (outside references only)."""
    cited = [rows[i] for i in sentence.ids if i in rows]
    return bool(cited) and all(
        table == "references" or row.get("origin") == "context" for table, row in cited
    )


# ----------------------------------------------------------------------------- reviews


#: The reviews file's line listing the evidence rows the data held at the last review.
KNOWN_ROWS = "(rows at review)"
#: Tables whose new rows the essay must at least show until it is revised to use them.
EVIDENCE_TABLES = ("event_reports", "claims", "quotes")


def read_reviews(path: Path | str | None = None) -> dict[str, str]:
    """``{sentence key: evidence fingerprint}`` recorded at the last review (and the
    ``KNOWN_ROWS`` line: the ids of the evidence rows the data held then)."""
    folder = Path(path) if path is not None else paths.DATA_DIR
    file = folder / REVIEWS_FILE
    if not file.is_file():
        return {}
    with file.open(encoding="utf-8", newline="") as handle:
        return {r["sentence"]: r["evidence"] for r in csv.DictReader(handle)}


def record_reviews(ds, essay: Essay, path: Path | str | None = None) -> Path:
    """Record every sentence's current evidence fingerprints (after a person reread them)."""
    folder = Path(path) if path is not None else paths.DATA_DIR
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sentence", "evidence", "cites"])
    rows = rows_by_id(ds)
    for s in essay.sentences():
        writer.writerow([s.key, evidence_fingerprint(ds, s.ids, rows), ";".join(s.ids)])
    writer.writerow([KNOWN_ROWS, ";".join(sorted(_evidence_ids(ds))), ""])
    file = folder / REVIEWS_FILE
    file.write_text(out.getvalue(), encoding="utf-8")
    return file


def _evidence_ids(ds) -> set[str]:
    return {str(i) for table in EVIDENCE_TABLES for i in getattr(ds, table)[CITABLE[table]]}


def newer_rows(ds, essay: Essay, reviews: dict[str, str]) -> list[tuple[str, pd.Series]]:
    """Evidence rows added since the last review that the essay does not cite."""
    if KNOWN_ROWS not in reviews:
        return []
    known = set(reviews[KNOWN_ROWS].split(";"))
    cited = {i for s in essay.sentences() for i in s.ids}
    rows = rows_by_id(ds)
    fresh = sorted(_evidence_ids(ds) - known - cited)
    return [rows[i] for i in fresh]


def flags(ds, essay: Essay, reviews: dict[str, str]) -> dict[str, str]:
    """``{sentence key: why it needs rereading}`` for sentences not matching their review:
    :data:`UNREVIEWED`, or :data:`CHANGED` followed by the changed rows in words."""
    out = {}
    rows = rows_by_id(ds)
    for s in essay.sentences():
        if s.key not in reviews:
            out[s.key] = UNREVIEWED
            continue
        then = reviews[s.key].split(";")
        now = evidence_fingerprint(ds, s.ids, rows).split(";")
        if then == now:
            continue
        # A review recorded in another shape (one fingerprint for all rows) names them all.
        changed = (
            [i for i, a, b in zip(s.ids, then, now, strict=True) if a != b]
            if len(then) == len(now)
            else s.ids
        )
        said = "; ".join(evidence_words(ds, *rows[i]) for i in changed if i in rows)
        out[s.key] = f"{CHANGED}: {said}" if said else CHANGED
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.views.essay [check|review]``: check the essay, or record a review."""
    import helpers

    args = sys.argv[1:] if argv is None else argv
    ds = helpers.load()
    essay = read()
    found = problems(ds, essay)
    for p in found:
        print(p)
    if found:
        return 1
    if args[:1] == ["review"]:
        print(f"recorded {record_reviews(ds, essay)}")
        return 0
    for key, why in flags(ds, essay, read_reviews()).items():
        text = next(s.text for s in essay.sentences() if s.key == key)
        print(f"{why}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
