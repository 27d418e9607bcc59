"""Say where a row comes from, in words a reader can check.

Every helper that shows data (map popups, chart source lines, narrative
footnotes, tables) cites rows through :func:`cite`, so citations read the same
everywhere. Text that reaches HTML goes through
:func:`helpers.views.html.html_text` (or a Jinja template) first.

>>> import helpers
>>> ds = helpers.load()
>>> claim = ds.claims.set_index("claim_id").loc["people-returned"]
>>> print(cite(ds, claim))
Anadolu Agency, 11 January 2021: “Over 48,000 people already returned home after the cease-fire”
>>> ctx = ds.event_reports.set_index("report_id").loc["r-centre-opened"]
>>> print(cite(ds, ctx))  # doctest: +ELLIPSIS
Context (not in the article): ..., 30 January 2021, ...: “A joint Russian-Turkish center ...”
"""

from __future__ import annotations

import functools
import html
import re

import pandas as pd

from ..data.wording import fold
from ..text.dates import MONTH_NAMES
from ..text.quoting import quoted


def format_date(value, precision: str = "day") -> str:
    """A date written at its precision.

    >>> format_date(pd.Timestamp("2021-01-11"))
    '11 January 2021'
    >>> format_date(pd.Timestamp("2013-01-01"), "year")
    '2013'
    >>> format_date(pd.Timestamp("2012-01-01"), "year_or_later")
    'in or after 2012'
    >>> format_date(None)
    'undated'
    """
    if value is None or pd.isna(value):
        return "undated"
    if isinstance(precision, str) and precision.endswith("_or_later"):
        return f"in or after {format_date(value, precision.removesuffix('_or_later'))}"
    value = pd.Timestamp(value)
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{MONTH_NAMES[value.month - 1]} {value.year}"
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def source_label(ds, source_id: str) -> str:
    """Publisher and date of a stored source: ``'Anadolu Agency, 11 January 2021'``."""
    row = ds.sources.set_index("source_id").loc[source_id]
    return f"{row['publisher']}, {format_date(row['published'])}"


def reference_label(ds, reference_id: str) -> str:
    """Publisher, title, date and address of an outside reference, and whether it was checked.

    A reference is *checked* when someone compared the row's excerpt with the original
    (``checked``, with ``checked_how``); otherwise the label says it was not.

    >>> import helpers
    >>> ds = helpers.load()
    >>> checked = ds.references.loc[ds.references["checked"], "reference_id"].iloc[0]
    >>> "checked:" in reference_label(ds, checked)
    True
    >>> unchecked = ds.references.loc[~ds.references["checked"], "reference_id"]
    >>> all("not yet checked" in reference_label(ds, r) for r in unchecked)
    True
    """
    row = ds.references.set_index("reference_id").loc[reference_id]
    when = format_date(row["published"], row["published_prec"])
    label = f"{row['publisher']}, {quoted(row['title'])}, {when}"
    url = row.get("url")
    label += f", {url}" if isinstance(url, str) and url.strip() else "; no address recorded"
    how = row.get("checked_how")
    if bool(row["checked"]):
        label += f"; checked: {how}" if isinstance(how, str) and how.strip() else "; checked"
    else:
        label += "; not yet checked against the original"
    return label


def cite(ds, row) -> str:
    """A one-line citation for any sourced row: the source's passage, or the reference's
    label and the row's verbatim excerpt."""
    if row["origin"] == "article":
        return f"{source_label(ds, row['source_id'])}: {quoted(row['passage'])}"
    # Before the article existed (an as-of view with no source), it cannot be named.
    lead = "Context (not in the article)" if len(ds.sources) else "Outside reference"
    text = f"{lead}: {reference_label(ds, row['reference_id'])}"
    excerpt = row.get("excerpt") if hasattr(row, "get") else None
    if isinstance(excerpt, str) and excerpt.strip():
        text += f": {quoted(excerpt)}"
    return text


def own_voice(claimant, publisher) -> str:
    """Whose own voice an unattributed claim is in: the claimant's, with the paper that
    printed it where that is another outlet (a wire report read in a newspaper).

    The claimant, not the publisher, is the voice: a newspaper printing an agency's copy
    does not make the agency's words its own.

    >>> own_voice("dpa (in its own voice)", "junge Welt (dpa report)")
    "dpa's own voice, printed by junge Welt"
    >>> own_voice("Anadolu Agency (in its own voice)", "Anadolu Agency")
    "Anadolu Agency's own voice"
    >>> own_voice(None, "Anadolu Agency")
    "Anadolu Agency's own voice"
    """
    voice = claimant if isinstance(claimant, str) and claimant.strip() else publisher
    voice = re.sub(r"\s*\(in its own voice\)$", "", str(voice or "the outlet"))
    paper = re.sub(r"\s*\([^()]*\)$", "", str(publisher or ""))
    printed = f", printed by {paper}" if paper and voice not in (paper, publisher) else ""
    return f"{voice}'s own voice{printed}"


def attributed(claim, form: str | None = None) -> str:
    """A claim in words that name who makes it, so it never reads as the kit's finding.

    ``claim`` is a claims row (or a mapping with its columns). Two forms:

    * ``"sentence"`` (default for plain claims rows): the row's ``statement``, which
      the data writes in attributed words; a statement that names no claimant gets one.
    * ``"figure"`` (default for rows decorated by :func:`helpers.charts.casualty_claims`,
      which carry ``side``, ``metric_label`` and ``source``): the value as worded, in
      quotation marks, with its claimant and source.

    >>> attributed({"statement": "Putin said the situation was stable.",
    ...             "claimant": "Vladimir Putin", "attribution": "named"})
    'Putin said the situation was stable.'
    >>> attributed({"statement": "At least 10 soldiers were killed.",
    ...             "claimant": "Agency X", "attribution": "unattributed"})
    'Agency X states, naming no source, that at least 10 soldiers were killed.'
    >>> attributed({"statement": "Up to 5 were hurt.", "claimant": None, "attribution": "vague"})
    'According to an unnamed source, up to 5 were hurt.'
    >>> print(attributed({"side": "Azerbaijan", "metric_label": "soldiers killed",
    ...     "value_as_worded": "at least 2,802", "claimant": "Agency X",
    ...     "attribution": "unattributed", "source": "Agency X, 11 January 2021"}))
    Azerbaijan, soldiers killed: “at least 2,802”, according to Agency X, which names no source
    (Agency X, 11 January 2021)
    """
    get = claim.get if hasattr(claim, "get") else claim.__getitem__
    form = form or ("figure" if get("metric_label") is not None else "sentence")
    claimant = get("claimant")
    who = claimant if isinstance(claimant, str) and claimant.strip() else None
    if form == "figure":
        text = f"according to {who or 'an unnamed source'}"
        if get("attribution") == "unattributed":
            text += ", which names no source"
        # Decorated rows carry the figure as shown (English reading first for other languages).
        shown = get("figure_shown") if hasattr(claim, "get") else None
        shown = shown or f"“{get('value_as_worded')}”"
        return f"{get('side')}, {get('metric_label')}: {shown}, {text} ({get('source')})"
    statement = " ".join(str(get("statement")).split())
    statement = statement[:1].upper() + statement[1:]
    if statement and statement[-1] not in ".!?”’":
        statement += "."
    if _ATTRIBUTION_CUE.search(statement):
        return statement
    # Lower-case a plain first word ("At", "Some"), never a name.
    first = statement.split(" ", 1)[0]
    if first in {"At", "Some", "The", "A", "An", "More", "Over", "Nearly", "Up", "About"}:
        statement = statement[0].lower() + statement[1:]
    if get("attribution") == "unattributed":
        return f"{who or 'An unnamed source'} states, naming no source, that {statement}"
    if get("attribution") == "vague" or who is None:
        return f"According to {who or 'an unnamed source'}, {statement}"
    return f"{who} says that {statement}"


#: Reporting verbs: a claim statement holding one already names who makes it (the data
#: writes statements "in plain, attributed words"), so :func:`attributed` adds no teller
#: of its own. A reporting verb missing here doubles the attribution ("Putin says that
#: RIA Novosti quotes Putin ..."); tests/test_provenance.py checks every claims row.
_ATTRIBUTION_CUE = re.compile(
    r"\b(say|says|said|saying|according to|claims?|claimed|reports?|reported|reporting|"
    r"states?|stated|quotes?|quoted|quoting|writes?|wrote|written|tells?|told|"
    r"announce[sd]?|declares?|declared|stress(?:es|ed)?|insists?|insisted|"
    r"alleges?|alleged|accuses?|accused|denies|denied|recounts?|recounted|"
    r"is seen|are seen|is said|are said)\b",
    re.IGNORECASE,
)


# ------------------------------------------------------------------ place names
#: How the gazetteer's ``other_names`` marks each side's usage.
_USAGE = re.compile(r"^\s*(.+?)\s*\((Azerbaijani|Armenian) usage\)\s*$")


def dual_name(place) -> str:
    """A place's name in the kit's own voice: where the two sides name it differently,
    both names, the Azerbaijani usage first and the Armenian usage second, joined by " / ".

    The names are read from a gazetteer row (``data/places.csv``): the parts of ``name``
    separated by " / ", and the first spelling of each entry of ``other_names`` marked
    "(Azerbaijani usage)" or "(Armenian usage)" (other spellings, such as "Aghdam", are
    variants: see :func:`name_variants`). Quotations keep the source's own name; this is
    only for the kit's voice (rule: ``docs/place-names.md``). The maps use it too.

    >>> dual_name({"name": "Stepanakert / Khankendi", "other_names":
    ...     "Stepanakert (Armenian usage); Khankendi (Azerbaijani usage)"})
    'Khankendi / Stepanakert'
    >>> dual_name({"name": "Lachin", "other_names": "Berdzor (Armenian usage)"})
    'Lachin / Berdzor'
    >>> dual_name({"name": "Agdam / Akna",
    ...     "other_names": "Agdam, Aghdam (Azerbaijani usage); Akna (Armenian usage)"})
    'Agdam / Akna'
    >>> dual_name({"name": "Moscow", "other_names": None})
    'Moscow'
    """
    names, _ = _usage_names(place)
    if len(names) < 2:
        return str(_get(place, "name"))
    return " / ".join(sorted(dict.fromkeys(names), key=_usage_rank(place)))


def has_dual_name(place) -> bool:
    """Whether the two sides name this place differently (its ``other_names`` say so).

    >>> has_dual_name({"name": "Agdam / Akna",
    ...     "other_names": "Agdam, Aghdam (Azerbaijani usage); Akna (Armenian usage)"})
    True
    >>> has_dual_name({"name": "Joint monitoring centre (Agdam / Akna district)",
    ...     "other_names": None})
    False
    """
    return len(_usage_names(place)[0]) >= 2


def name_variants(place) -> list[str]:
    """Other spellings of a place's names (the second and later spellings of a usage).

    >>> name_variants({"name": "Agdam / Akna",
    ...     "other_names": "Agdam, Aghdam (Azerbaijani usage); Akna (Armenian usage)"})
    ['Aghdam']
    """
    return _usage_names(place)[1]


def _get(place, key):
    return place.get(key) if hasattr(place, "get") else place[key]


def _usage_names(place) -> tuple[list[str], list[str]]:
    """(the primary names, the variant spellings) of a gazetteer row.

    The sides' names come from ``other_names``; the ``name`` column's own " / " parts
    count only where it is a plain pair (a name such as "centre (Agdam / Akna district)"
    is one name, already following the rule).
    """
    usages: list[str] = []
    variants: list[str] = []
    other = _get(place, "other_names")
    for entry in re.split(r"[;\n]", other if isinstance(other, str) else ""):
        hit = _USAGE.match(entry)
        if not hit:
            continue
        first, *rest = [n.strip() for n in hit[1].split(",") if n.strip()]
        usages.append(first)
        variants += rest
    if not usages:
        return [str(_get(place, "name"))], []
    name = str(_get(place, "name"))
    parts = [] if "(" in name else [p.strip() for p in name.split(" / ") if p.strip()]
    names = list(dict.fromkeys(parts + usages))
    return names, [v for v in variants if v not in names]


def _usage_rank(place):
    """Sort key: the Azerbaijani usage first, the Armenian usage second, others after."""
    other = _get(place, "other_names")
    rank = {}
    for entry in re.split(r"[;\n]", other if isinstance(other, str) else ""):
        hit = _USAGE.match(entry)
        if hit:
            first = hit[1].split(",")[0].strip()
            rank.setdefault(first, 0 if hit[2] == "Azerbaijani" else 1)
    # A name not marked as either usage is the name column's own: it goes before an
    # Armenian usage, after an Azerbaijani one.
    return lambda name: (rank.get(name, 0.5), fold(name))


def place_name(ds, place_id: str) -> str:
    """The kit's name for a gazetteer place (:func:`dual_name`).

    >>> import helpers
    >>> place_name(helpers.load(), "shusha")
    'Shusha / Shushi'
    """
    return dual_name(ds.places.set_index("place_id").loc[place_id])


def with_dual_names(text: str, places) -> str:
    """Rewrite the contested place names in the kit's own text to their dual form.

    Any single name (or the other order of a pair) outside quotation marks becomes the
    dual name; quoted stretches keep the source's word.

    >>> import helpers
    >>> places = helpers.load().places
    >>> with_dual_names("Lachin district handed over; the article says “Lachin”.", places)
    'Lachin / Berdzor district handed over; the article says “Lachin”.'
    >>> with_dual_names("Khankendi / Stepanakert and Stepanakert", places)
    'Khankendi / Stepanakert and Khankendi / Stepanakert'
    """
    if not isinstance(text, str) or not text:
        return text
    if hasattr(places, "path"):  # a Dataset: the whole gazetteer, whatever its as-of date
        table, names = _gazetteer_names(places.path)
    else:
        table, names = _names_pattern(_dual_table(places))
    if not table:
        return text
    quoted = [m.span() for m in QUOTED.finditer(text)]

    def swap(match: re.Match) -> str:
        if any(a <= match.start() < b for a, b in quoted):
            return match[0]
        return table[match[0].casefold()]

    return names.sub(swap, text)


def _gazetteer_names(data_path) -> tuple[dict[str, str], re.Pattern]:
    """:func:`_names_pattern` for the gazetteer (``places.csv``) of a data folder.

    Naming is a convention, not a dated fact: an as-of view that has not yet learnt of
    a place still writes its name in both forms. The narrative rewrites every sentence
    it writes, so the table and pattern are built once per file (again if it changes).
    """
    from pathlib import Path

    path = Path(data_path) / "places.csv"
    return _cached_names(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _cached_names(path: str, _mtime: int) -> tuple[dict[str, str], re.Pattern]:
    places = pd.read_csv(path, dtype=str, usecols=["place_id", "name", "other_names"])
    return _names_pattern(_dual_table(places))


def _names_pattern(table: dict[str, str]) -> tuple[dict[str, str], re.Pattern]:
    """``table`` and one pattern matching any of its spellings as a whole word."""
    pattern = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return table, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", flags=re.IGNORECASE)


def _dual_table(places) -> dict[str, str]:
    """Every spelling to replace (single names and both orders of pairs) -> dual name."""
    table: dict[str, str] = {}
    for _, row in pd.DataFrame(places).iterrows():
        dual = dual_name(row)
        if " / " not in dual:
            continue
        parts = dual.split(" / ")
        table[dual.casefold()] = dual
        table[" / ".join(reversed(parts)).casefold()] = dual
        for part in parts + name_variants(row):
            table.setdefault(part.casefold(), dual)
    return table


#: Quoted stretches: “…”, ‘…’, "…" and '…' (an apostrophe inside a word is not a quote).
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|(?<!\w)'[^']+'(?!\w)")


def end_precision(row) -> str:
    """The precision of an event's last day: ``date_end_prec`` where the row gives one
    (an end known more or less precisely than the start), else ``date_prec``.

    >>> end_precision({"date_prec": "year", "date_end_prec": "month"})
    'month'
    >>> end_precision({"date_prec": "day", "date_end_prec": None})
    'day'
    """
    own = row.get("date_end_prec") if hasattr(row, "get") else None
    return own if isinstance(own, str) and own else row["date_prec"]


def phrase_date(start, end=None, precision: str = "day", end_prec: str | None = None) -> str:
    """A date or window as a phrase at its precision, ready to start or end a clause.

    A month-precision date is "in November 2020", never "on 1 November 2020";
    a window is "between ... and ...". ``end`` defaults to ``start``.

    Parameters
    ----------
    start, end : date-like or None
        First and last day the date may fall on (NA allowed).
    precision : {"day", "week", "month", "year", "approximate"}
    end_prec : str, optional
        The end's own precision where it differs from the start's (``precision``):
        each end is then written at its own, e.g. 'between 1992 and May 1994'.

    Examples
    --------
    >>> T = pd.Timestamp
    >>> phrase_date(T("2020-11-10"), T("2020-11-10"))
    'on 10 November 2020'
    >>> phrase_date(T("2020-11-09"), T("2020-11-10"))
    'between 9 and 10 November 2020'
    >>> phrase_date(T("2020-11-01"), T("2020-11-30"), "month")
    'in November 2020'
    >>> phrase_date(T("1991-01-01"), T("1991-12-31"), "year")
    'in 1991'
    >>> phrase_date(T("1992-01-01"), T("1994-12-31"), "year")
    'between 1992 and 1994'
    >>> phrase_date(T("2020-12-14"), T("2021-01-11"), "approximate")
    'between 14 December 2020 and 11 January 2021'
    >>> phrase_date(None, T("2021-01-11"), "approximate")
    'by 11 January 2021'
    >>> phrase_date(T("2020-12-14"), T("2020-12-20"), "week")
    'in the week of 14 to 20 December 2020'
    >>> phrase_date(None, None)
    'at a date the source does not give'
    >>> phrase_date(T("1992-01-01"), T("1994-05-12"), "year", "month")
    'between 1992 and May 1994'
    """
    known = [v is not None and not pd.isna(v) for v in (start, end)]
    if not any(known):
        return "at a date the source does not give"
    if end_prec and end_prec != precision and all(known):
        first, last = (day_or_coarser(p) for p in (precision, end_prec))
        return f"between {format_date(start, first)} and {format_date(end, last)}"
    if not known[0]:
        return f"by {format_date(end, precision if precision in {'month', 'year'} else 'day')}"
    start = pd.Timestamp(start)
    end = pd.Timestamp(end) if known[1] else start
    if precision == "year":
        if start.year == end.year:
            return f"in {start.year}"
        return f"between {start.year} and {end.year}"
    if precision == "month":
        if (start.year, start.month) == (end.year, end.month):
            return f"in {format_date(start, 'month')}"
        return f"between {format_date(start, 'month')} and {format_date(end, 'month')}"
    if start == end:
        return f"on {format_date(start)}"
    window = _day_window(start, end)
    if precision == "week":
        return f"in the week of {window.replace(' and ', ' to ')}"
    return f"between {window}"


def day_or_coarser(precision) -> str:
    """The precision a single date is written at: month or year as given, else the day."""
    return precision if precision in {"month", "year"} else "day"


def _day_window(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """'9 and 10 November 2020': the shared month and year written once."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} and {format_date(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTH_NAMES[start.month - 1]} and {format_date(end)}"
    return f"{format_date(start)} and {format_date(end)}"


def as_markdown(text: str):
    """Show kit text built from the data (a bottom line) as Markdown, its HTML escaped.

    Notebook front ends and nbconvert render raw HTML inside Markdown, so a name in the
    data such as ``<img onerror=…>`` would run; escaped, it is shown as text, while the
    Markdown itself (emphasis, lists) still renders.

    >>> as_markdown("**2 claims** from <b>X</b> & co").data
    '**2 claims** from &lt;b&gt;X&lt;/b&gt; &amp; co'
    """
    from IPython.display import Markdown

    return Markdown(html.escape(str(text), quote=False))
