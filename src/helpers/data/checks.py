"""The checks :func:`~helpers.data.dataset.load` runs beyond a column's own type and
constraints: provenance, evidence dates, foreign keys, orders, claims.

Each check returns every :class:`~helpers.errors.Problem` it finds (none if the
table is sound), so the loader can report them all at once.

>>> frame = pd.DataFrame({"value_low": [1.0, 5.0], "value_high": [2.0, 3.0]}, index=[2, 3])
>>> [(p.row, p.column) for p in order_problems("claims.csv", frame, [("value_low", "value_high")])]
[(3, 'value_high')]
"""

from __future__ import annotations

import difflib
import re
import urllib.parse

import pandas as pd

from ..errors import Problem
from .schema import table_schema


def schema_problems(shown: str, frame: pd.DataFrame, resource: dict) -> list[Problem]:
    import pandera.pandas as pa  # here, not above: see helpers.data.schema

    try:
        table_schema(resource).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems: dict[tuple, Problem] = {}
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        column = case.column
        check = str(case.check)
        value = case.failure_case
        if check == "not_nullable":
            message = "is empty, but a value is required"
        elif check == "field_uniqueness":
            message = f"duplicate id {value!r}"
            others = frame.index[frame[column] == value].tolist()
            if len(others) > 1:
                message += f" (rows {', '.join(map(str, others))})"
        else:
            message = f"{_shown(value)} {check}"
        problems.setdefault((row, column), Problem(shown, row, column, message))
    return list(problems.values())


def _shown(value) -> str:
    """A cell's value for a message: in full if short, else its start and its length."""
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:40]!r}… ({len(value)} characters)"
    return repr(value)


def _closest(passage: str, text: str) -> str:
    """The stretch of ``text`` most like ``passage``, for 'did you mean' hints."""
    size = len(passage)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in " \n"]
    candidates = [text[i : i + size] for i in starts]
    best = difflib.get_close_matches(passage, candidates, n=1, cutoff=0.0)
    return best[0] if best else ""


def provenance_problems(
    shown: str, frame: pd.DataFrame, sources: pd.DataFrame, refs: set, texts: dict
) -> list[Problem]:
    problems = []
    article = frame["origin"] == "article"
    context = frame["origin"] == "context"
    for column, mask, why in (
        ("source_id", article, "is empty: an article row needs its source"),
        ("passage", article, "is empty: an article row needs the passage it comes from"),
        ("reference_id", context, "is empty: a context row needs its outside reference"),
    ):
        for row in frame.index[mask & frame[column].isna()]:
            problems.append(Problem(shown, int(row), column, why))
    for column, known, what in (
        ("source_id", set(sources["source_id"]), "source"),
        ("reference_id", refs, "reference"),
    ):
        values = frame[column].dropna()
        for row, value in values[~values.isin(known)].items():
            problems.append(Problem(shown, int(row), column, f"unknown {what} {value!r}"))
    # Check each distinct (source, passage) pair once: large tables repeat them.
    checkable = frame.loc[
        article & frame["passage"].notna() & frame["source_id"].isin(texts.keys())
    ]
    pairs = checkable[["source_id", "passage"]]
    missing = {
        (source_id, passage)
        for source_id, passage in pairs.drop_duplicates().itertuples(index=False)
        if passage not in texts[source_id]
    }
    if missing:
        hints = {pair: _closest(pair[1], texts[pair[0]]) for pair in missing}
        for row, source_id, passage in pairs.itertuples():
            if (source_id, passage) in missing:
                problems.append(
                    Problem(
                        shown,
                        int(row),
                        "passage",
                        f"not found in the text of {source_id}: {passage!r}; "
                        f"closest: {hints[(source_id, passage)]!r}",
                    )
                )
    if "text" in frame.columns:  # quotations must be verbatim too
        quotes = frame.loc[article, ["source_id", "text"]].dropna()
        for row, source_id, quote in quotes.itertuples():
            if source_id in texts and quote not in texts[source_id]:
                problems.append(
                    Problem(shown, int(row), "text", f"quotation not found verbatim in {source_id}")
                )
    return problems


def evidence_problems(
    shown: str, name: str, frame: pd.DataFrame, last_day: pd.Series, events: pd.DataFrame
) -> list[Problem]:
    """Context rows quote their reference, and the reference could state the fact.

    Every ``origin=context`` row needs a non-empty ``excerpt`` (verbatim from its
    reference; how long it may be is the descriptor's ``maxLength``, checked with the
    other column constraints), and its reference needs a ``published`` date.

    *Could state it* means: the reference was not certainly published before the fact
    it is cited for had begun. A reference published while an event is under way can
    report its start (a ceasefire announced the day it takes effect, a deployment
    reported in its first week), but no reference can report an event, or a dating of
    it, that had not begun when it appeared: an announcement of a future deadline is
    not evidence that the deadline was met. The reference's publication is taken at
    the last day its precision allows (:func:`~helpers.data.as_of.published_by`), so a
    book known to the year only fails when even 31 December of that year is too early.
    Per table:

    * ``event_reports`` that date the event (``reported_date_start`` given): published
      on or after that start and the event's ``date_start``. A report that gives no
      dating of its own states only what its reference said when it appeared (a
      provision, a deadline, an announcement), so it may precede the event; it is
      never evidence that the event happened (see :meth:`~helpers.data.dataset.Dataset.as_of`);
    * ``claims``: on or after ``claim_date`` (when the claim was made);
    * ``quotes``: on or after the ``date_start`` of the event the words were said at;
    * ``actors``, ``places``, ``topics``, ``glossary``: no date to compare (a meeting's
      agenda, for one, may be announced before the meeting).
    """
    problems = []
    context = frame["origin"] == "context"
    excerpt = frame["excerpt"].fillna("").astype(str)
    for row in frame.index[context & (excerpt.str.strip() == "")]:
        problems.append(
            Problem(
                shown,
                int(row),
                "excerpt",
                "is empty: a context row needs the verbatim excerpt of its reference "
                "that supports it",
            )
        )
    event_start = events.set_index("event_id")["date_start"]
    facts: list[tuple[str, pd.Series]] = []
    if name == "event_reports":
        dated = frame["reported_date_start"].notna()
        facts.append(("the event's date_start", frame["event_id"].map(event_start).where(dated)))
        facts.append(("reported_date_start", frame["reported_date_start"]))
    elif name == "claims":
        facts.append(("claim_date", frame["claim_date"]))
    elif name == "quotes":
        facts.append(("the date_start of its event", frame["event_id"].map(event_start)))
    for row in frame.index[context & frame["reference_id"].isin(last_day.index)]:
        ref = frame.at[row, "reference_id"]
        published = last_day[ref]
        if pd.isna(published):
            problems.append(
                Problem(
                    shown,
                    int(row),
                    "reference_id",
                    f"reference {ref!r} has no published date (references.csv): a context "
                    "row needs a dated reference, or no as-of view can place it",
                )
            )
            continue
        late = [(what, dates[row]) for what, dates in facts]
        late = [(what, fact) for what, fact in late if pd.notna(fact) and published < fact]
        if late:
            begun = " and ".join(f"{what} ({_fmt(fact)})" for what, fact in late)
            problems.append(
                Problem(
                    shown,
                    int(row),
                    "reference_id",
                    f"reference {ref!r} was published by {_fmt(published)}, before {begun}: "
                    "it could not report what had not yet begun (cite a reference published "
                    "on or after it)",
                )
            )
    return problems


def checked_problems(shown: str, references: pd.DataFrame) -> list[Problem]:
    """A reference marked checked says when and how it was checked."""
    problems = []
    checked = references["checked"]
    for column, what in (("checked_on", "the day it was checked"), ("checked_how", "how")):
        missing = references[column].isna()
        if references[column].dtype == object:
            missing |= references[column].fillna("").astype(str).str.strip() == ""
        for row in references.index[checked & missing]:
            problems.append(
                Problem(shown, int(row), column, f"is empty, but checked is true: record {what}")
            )
    return problems


def _address(url) -> str:
    """A web address as a document's identity: no scheme, ``www.``/``m.``, escapes,
    spaces, case or trailing slash.

    >>> _address("https://www.Example.org/a/%20%20b/") == _address("http://m.example.org/a/b")
    True
    """
    text = urllib.parse.unquote(str(url)).strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^(?:www|m)\.", "", text)
    return re.sub(r"\s+", "", text).rstrip("/")


def duplicate_document_problems(shown: str, references: pd.DataFrame) -> list[Problem]:
    """Two references that record one document: the same address, or the same title
    published the same day. One document is one reference, so every row cites it alike.

    >>> refs = pd.DataFrame({"reference_id": ["a", "b"], "title": ["T", "U"],
    ...     "published": ["2020-11-10"] * 2, "url": ["https://x.am/s%20", "http://www.x.am/s"]},
    ...     index=[2, 3])
    >>> [(p.row, p.column) for p in duplicate_document_problems("references.csv", refs)]
    [(3, 'url')]
    """
    problems = []
    seen: dict[tuple, str] = {}
    for row, ref in references.iterrows():
        keys = [("url", _address(ref["url"]))] if pd.notna(ref["url"]) else []
        title = " ".join(re.findall(r"\w+", str(ref["title"]).lower()))
        keys.append(("title", title, str(ref["published"])))
        for key in keys:
            if key in seen:
                problems.append(
                    Problem(
                        shown,
                        int(row),
                        key[0],
                        f"records the same document as reference {seen[key]!r} "
                        f"(same {'address' if key[0] == 'url' else 'title and date'}): "
                        "keep one id and cite it from every row",
                    )
                )
                break
            seen[key] = ref["reference_id"]
    return problems


def foreign_key_problems(
    shown: str, frame: pd.DataFrame, resource: dict, ids: dict[str, set]
) -> list[Problem]:
    problems = []
    for fk in resource["schema"].get("foreignKeys", []):
        column, target = fk["fields"], fk["reference"]["resource"]
        if column in ("source_id", "reference_id"):
            continue  # reported with the provenance checks
        known = ids[target]
        values = frame[column].dropna()
        for row, value in values[~values.isin(known)].items():
            problems.append(Problem(shown, int(row), column, f"unknown {target[:-1]} {value!r}"))
    for spec in resource["schema"]["fields"]:
        if "x-references" not in spec:
            continue
        target = spec["x-references"].split(".")[0]
        sep = spec["x-list-separator"]
        items = frame[spec["name"]].dropna().str.split(sep).explode().str.strip()
        items = items[(items != "") & ~items.isin(ids[target])]
        for row, item in items.items():
            problems.append(
                Problem(shown, int(row), spec["name"], f"unknown {target[:-1]} {item!r}")
            )
    return problems


def order_problems(shown: str, frame: pd.DataFrame, pairs) -> list[Problem]:
    """Rows where a column that must not exceed another does (both present)."""
    problems = []
    for low, high in pairs:
        if low not in frame.columns or high not in frame.columns:
            continue
        bad = frame[low].notna() & frame[high].notna() & (frame[low] > frame[high])
        for row in frame.index[bad]:
            problems.append(
                Problem(
                    shown,
                    int(row),
                    high,
                    f"{low} ({_fmt(frame.at[row, low])}) is greater than "
                    f"{high} ({_fmt(frame.at[row, high])})",
                )
            )
    return problems


def _fmt(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return f"{value:g}" if isinstance(value, float) else str(value)


def claim_problems(shown: str, claims: pd.DataFrame) -> list[Problem]:
    """Quantitative claims need a bound and a number; a bound needs what it bounds."""
    problems = []
    quantitative = claims["claim_kind"] == "quantitative"
    for row in claims.index[quantitative & claims["bound"].isna()]:
        problems.append(
            Problem(shown, int(row), "bound", "is empty, but the claim is quantitative")
        )
    needs = {
        "exact": "value_best",
        "at_least": "value_low",
        "more_than": "value_low",
        "up_to": "value_high",
        "approximately": "value_best",
        "range": "value_low",
    }
    for bound, column in needs.items():
        for row in claims.index[(claims["bound"] == bound) & claims[column].isna()]:
            problems.append(Problem(shown, int(row), column, f"is empty, but bound is {bound!r}"))
    for row in claims.index[(claims["bound"] == "range") & claims["value_high"].isna()]:
        problems.append(Problem(shown, int(row), "value_high", "is empty, but bound is 'range'"))
    return problems


def dating_scope_problems(shown: str, reports: pd.DataFrame) -> list[Problem]:
    """A report that gives a date says what it dates; one that gives none says nothing.

    (``dating_scope``: whole, start, end or part; see :mod:`helpers.data.datings`.)
    """
    dated = reports["reported_date_start"].notna() | reports["reported_date_end"].notna()
    scoped = reports["dating_scope"].notna()
    problems = [
        Problem(
            shown,
            int(row),
            "dating_scope",
            "is empty, but the row gives a date: say whether it dates the whole event "
            "(whole), only its start or end (start, end) or one episode (part)",
        )
        for row in reports.index[dated & ~scoped]
    ]
    problems += [
        Problem(shown, int(row), "dating_scope", "is set, but the row gives no date")
        for row in reports.index[scoped & ~dated]
    ]
    return problems


def end_precision_problems(shown: str, events: pd.DataFrame) -> list[Problem]:
    """``date_end_prec`` gives an end known to another precision than the start's.

    It is not for a window (``approximate``, one precision for both ends), and it
    does not repeat ``date_prec``.

    >>> events = pd.DataFrame({"date_prec": ["year", "approximate", "day"],
    ...                        "date_end_prec": ["month", "day", "day"]}, index=[2, 3, 4])
    >>> [p.row for p in end_precision_problems("events.csv", events)]
    [3, 4]
    """
    if "date_end_prec" not in events.columns:
        return []
    own = events["date_end_prec"]
    problems = [
        Problem(
            shown,
            int(row),
            "date_end_prec",
            "is set, but date_prec is 'approximate' (a window has one precision)",
        )
        for row in events.index[own.notna() & (events["date_prec"] == "approximate")]
    ]
    problems += [
        Problem(
            shown, int(row), "date_end_prec", f"repeats date_prec ({own[row]!r}): leave it empty"
        )
        for row in events.index[own.notna() & (own == events["date_prec"])]
    ]
    return problems


#: How far (a factor) a figure may lie from the median of its claimant's other
#: figures for the same measure before it must be explained: a figure read a
#: thousand times too small or too large ('2.783' people) is far past it, while
#: a toll that doubles as bodies are counted is not.
FAR_OFF = 10.0


def _figure(row) -> float | None:
    for column in ("value_best", "value_low", "value_high"):
        value = row[column]
        if pd.notna(value):
            return float(value)
    return None


def _worded(claims: pd.DataFrame, row) -> str:
    words = claims.at[row, "value_as_worded"]
    return f"{words!r}" if isinstance(words, str) else "(no words recorded)"


def safety_problems(shown: str, claims: pd.DataFrame) -> list[Problem]:
    """Figures a careless reading would let through, each named with the words as written.

    * a count of people (``unit`` = people) that is not a whole number;
    * a figure :data:`FAR_OFF` times above or below the median of its claimant's other
      figures for the same measure (side, metric, unit) with no ``caveat`` saying why;
    * a ``vague`` attribution (an unnamed group) that names a ``claimant_id``.
    """
    problems = []
    people = claims["unit"] == "people"
    for row in claims.index[people]:
        for column in ("value_low", "value_best", "value_high"):
            value = claims.at[row, column]
            if pd.notna(value) and float(value) != int(float(value)):
                problems.append(
                    Problem(
                        shown,
                        int(row),
                        column,
                        f"{_fmt(float(value))} people is not a whole number; the text says "
                        f"{_worded(claims, row)}: a thousands mark read as a decimal point?",
                    )
                )
    vague = (claims["attribution"] == "vague") & claims["claimant_id"].notna()
    for row in claims.index[vague]:
        problems.append(
            Problem(
                shown,
                int(row),
                "claimant_id",
                f"{claims.at[row, 'claimant_id']!r} names an actor, but attribution is 'vague' "
                f"(an unnamed group: {claims.at[row, 'claimant']!r}): empty one of them",
            )
        )
    return problems + _far_off_problems(shown, claims)


def _far_off_problems(shown: str, claims: pd.DataFrame) -> list[Problem]:
    quantitative = claims.loc[claims["claim_kind"] == "quantitative"].copy()
    quantitative["who"] = quantitative["claimant_id"].fillna(quantitative["claimant"])
    quantitative["figure"] = [_figure(r) for _, r in quantitative.iterrows()]
    keys = ["who", "side_id", "metric", "unit"]
    problems = []
    for _, group in quantitative.dropna(subset=["figure"]).groupby(keys, dropna=False):
        if len(group) < 2:
            continue
        for row, value in group["figure"].items():
            others = group["figure"].drop(row).median()
            if value <= 0 or others <= 0 or pd.notna(claims.at[row, "caveat"]):
                continue
            if max(value / others, others / value) >= FAR_OFF:
                problems.append(
                    Problem(
                        shown,
                        int(row),
                        "value_best",
                        f"{_fmt(value)} ({_worded(claims, row)}) is far from this claimant's "
                        f"other figures for {claims.at[row, 'metric']} (median {_fmt(others)}): "
                        "check the magnitude, and if it is right say why in caveat",
                    )
                )
    return problems
