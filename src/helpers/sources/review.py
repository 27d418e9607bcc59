"""Review files: read one back, turn chosen candidates into table rows, append them.

``python -m helpers.sources accept REVIEW_FILE`` appends the candidates marked in
the review file's ``accept`` column (or those named with ``--ids``) to their tables,
with source, passage, parsed values, claimant and suggested event filled in, and
the researcher's judgement taken from the review file's own cells (a claim's
subject, side, metric, attribution and statement; whether a quotation is
translated; a new actor's proper name and kind: :data:`~.candidates.JUDGEMENT`).
It refuses, listing every empty or invalid cell at once (review file, row,
column, allowed values), while any row the reports need is incomplete; the tables
are then checked as ``helpers.load()`` checks them before anything is written.
All tables change together or none. The tool's own ``note`` stays in the review.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import Problem
from ..files import with_rows_appended, write_all
from .candidates import JUDGEMENT, Kind, Target

#: Where an accepted candidate goes, and the id column of that table.
ACCEPT_TABLES = {
    Kind.NUMBER: ("claims", "claim_id"),
    Kind.SENTENCE: ("claims", "claim_id"),
    Kind.DATE: ("event_reports", "report_id"),
    Kind.QUOTE: ("quotes", "quote_id"),
    Kind.TERM: ("glossary", "term_id"),
    Kind.CLAIMANT: ("actors", "actor_id"),
}


def read_review(path: Path) -> list[dict]:
    """The rows of a review file, as text, with spreadsheet-safety quotes undone."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return [{k: _unneutralise(v or "") for k, v in r.items()} for r in csv.DictReader(handle)]


def _unneutralise(value: str) -> str:
    # write_csv prefixed text starting with a formula character with "'"; undo it.
    from ..data.export import FORMULA_PREFIXES

    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _number_text(value: str) -> str:
    return f"{float(value):g}" if value else ""


def _refusal(candidate_id: str, c: dict) -> str | None:
    """Why a candidate cannot become a row, or ``None``."""
    kind = c["kind"]
    if kind == Kind.UNREAD:
        return (
            f"{candidate_id} ({c['matched']!r}) could not be read: enter it yourself "
            "from the passage"
        )
    if c["target_table"] == Target.CLAIM_DATE:
        return (
            f"{candidate_id} ({c['matched']!r}) dates a statement: put it in "
            "the claim_date of the claim it dates, not in a table of its own"
        )
    if kind not in {k.value for k in ACCEPT_TABLES}:
        article = "an" if kind == Kind.ACTOR else "a"
        return (
            f"{candidate_id} is {article} {kind} already in the dataset "
            f"({c.get(f'{kind}_id', '')}): cite it by its {kind}_id; there is no row to add"
        )
    return None


def _claim(c: dict, published: str) -> dict:
    """A quantitative claim: the figure found, as worded and as numbers."""
    return {
        "unit": c["unit"],
        "value_as_worded": c["matched"],
        "bound": c["bound"],
        "value_low": _number_text(c["value_low"]),
        "value_best": _number_text(c["value_best"]),
        "value_high": _number_text(c["value_high"]),
    } | _plain_claim(c, published, kind="quantitative")


def _plain_claim(c: dict, published: str, kind: str = "qualitative") -> dict:
    """A claim's cells besides a figure (a qualitative claim from a sentence has only
    these: no figure, the reviewer's passage and words)."""
    return {
        "claim_kind": kind,
        "claimant": c.get("claimant", ""),
        "claimant_id": c.get("claimant_id", ""),
        "claim_date": c.get("claim_date") or published[:10],
        "claim_date_prec": c.get("claim_date_prec") or "day",
        "event_id": c["event_id"],
    } | _judged(c, "claims")


def _judged(c: dict, table: str) -> dict:
    """The researcher's cells of the review row ``c`` that belong to ``table``."""
    return {column: c.get(review, "") for review, (t, column) in JUDGEMENT.items() if t == table}


def _report(c: dict) -> dict:
    return {
        "event_id": c["event_id"],
        # The kit's words for what the passage reports: the reviewer's English rendering
        # where there is one (a text in another language), else the passage itself.
        "wording": c.get("translation") or c["passage"],
        "claimant": c.get("claimant", ""),
        "reported_date_start": c["date_start"],
        "reported_date_end": c["date_end"],
        "reported_date_prec": c["date_prec"],
        # A suggestion dates the event as its sentence does; the reviewer narrows it to
        # "start", "end" or "part" where the sentence dates only that.
        "dating_scope": "whole" if c["date_start"] or c["date_end"] else "",
        "date_basis": c["date_basis"],
    }


def _quote(c: dict) -> dict:
    return {
        "speaker_id": c["speaker_id"],
        "text": c["quote_text"],
        "event_id": c["event_id"],
    } | _judged(c, "quotes")


def _term(c: dict, glossary) -> dict:
    # A glossary term: its reading is the glossary's, for this source's passage.
    known = glossary.loc[c["term_id"]]
    framing = known["whose_framing"]
    return {
        "term": c["matched"],
        "category": known["category"],
        "whose_framing": framing if isinstance(framing, str) else "",
        "neutral_alternative": known["neutral_alternative"],
        "explanation": known["explanation"],
        "passage": c["matched"],
    }


def _actor(c: dict) -> dict:
    # The name and kind are the researcher's: the source's wording is not a name.
    return {
        "actor_id": c["actor_id"],
        "affiliation_id": c.get("affiliation_id", ""),
    } | _judged(c, "actors")


def accepted_rows(review, ids: list[str], sources, glossary) -> dict[str, list[dict]]:
    """Rows for the tables from the chosen candidates, provenance and parsed values filled.

    Each new row's id is ``<source_id>-<candidate_id>`` (a new actor keeps the
    id the review proposed, which its claims already use).

    Raises
    ------
    ValueError
        If an id is not in the review file, or its candidate cannot be accepted
        as a row (a place or actor already listed; a statement's date; an unread span).
    """
    by_id = {row["candidate_id"]: row for row in review}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ValueError(
            f"no candidate {', '.join(map(repr, unknown))} in the review file "
            f"(it has {', '.join(by_id) or 'none'})"
        )
    glossary = glossary.set_index("term_id")
    published = dict(sources[["source_id", "published"]].itertuples(index=False))
    out: dict[str, list[dict]] = {}
    for candidate_id in ids:
        c = {k: _unneutralise(v or "") for k, v in by_id[candidate_id].items()}
        refused = _refusal(candidate_id, c)
        if refused:
            raise ValueError(refused)
        kind, source_id = Kind(c["kind"]), c["source_id"]
        table, key = ACCEPT_TABLES[kind]
        row_id = c["actor_id"] if kind is Kind.CLAIMANT else f"{source_id}-{candidate_id}"
        row = {
            key: row_id,
            "origin": "article",
            "source_id": source_id,
            "passage": c["passage"],
        }
        if kind in (Kind.NUMBER, Kind.SENTENCE):
            make = _claim if kind is Kind.NUMBER else _plain_claim
            row |= make(c, str(published.get(source_id, "")))
            if row["side_id"].strip().casefold() == NO_SIDE:  # answered: no one side
                row["side_id"], row["_no_side"] = "", True
        elif kind is Kind.DATE:
            row |= _report(c)
        elif kind is Kind.QUOTE:
            row |= _quote(c)
        elif kind is Kind.CLAIMANT:
            row |= _actor(c)
        else:
            row |= _term(c, glossary)
        row["_candidate"] = candidate_id  # not a column: dropped when written
        out.setdefault(table, []).append(row)
    return out


def without_accepted(data_dir: Path, rows: dict[str, list[dict]]) -> tuple[dict, list[str]]:
    """``rows`` less those whose id a table already has (accepted by an earlier run)."""
    kept, skipped = {}, []
    for table, new in rows.items():
        path = Path(data_dir) / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            existing = {r[0] for r in list(csv.reader(handle))[1:] if r}
        for row in new:
            if row[next(iter(row))] in existing:
                skipped.append(row["_candidate"])
            else:
                kept.setdefault(table, []).append(row)
    return kept, skipped


def append_to_tables(data_dir: Path, rows: dict[str, list[dict]]) -> None:
    """Append rows to ``<data_dir>/<table>.csv``: every table or none.

    Refuses, before writing anything, an id that the table already has.
    """
    contents = {}
    for table, new in rows.items():
        path = Path(data_dir) / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle))
        header, existing = records[0], {r[0] for r in records[1:] if r}
        clash = [r[header[0]] for r in new if r[header[0]] in existing]
        if clash:
            raise ValueError(
                f"{path.name} already has {', '.join(map(repr, clash))}: "
                "accepted before? Edit that row instead"
            )
        contents[path] = with_rows_appended(path, new)
    write_all(contents)


# ------------------------------------------------------------ what accept requires

#: Cells the reports need beyond what the data package marks as required (a plain,
#: qualitative claim has no figure, so no unit, and need not be about one side).
ALSO_NEEDED = {"claims": ("side_id", "unit"), "quotes": ("translated",), "actors": ("kind",)}
NOT_NEEDED_FOR_PLAIN_CLAIMS = ("side_id", "unit")
#: What a researcher puts in ``side_id`` for a figure about no single side (both sides'
#: dead together, the war's length): the claim's ``side_id`` is then left empty.
NO_SIDE = "none"
#: Columns that name an actor, by table.
ACTOR_COLUMNS = {
    "claims": ("side_id", "claimant_id"),
    "quotes": ("speaker_id",),
    "actors": ("affiliation_id",),
}
_VALUE_OF_BOUND = {
    "exact": ("value_best",),
    "approximately": ("value_best",),
    "at_least": ("value_low",),
    "more_than": ("value_low",),
    "up_to": ("value_high",),
    "range": ("value_low", "value_high"),
}


def marked_ids(review: list[dict]) -> list[str]:
    """Candidate ids whose ``accept`` cell is filled in (any mark: x, yes, 1 …)."""
    return [r["candidate_id"] for r in review if (r.get("accept") or "").strip()]


def _review_column(table: str, column: str) -> str:
    """The review file's column for a table's column (``actors.kind`` -> ``actor_kind``)."""
    for review, target in JUDGEMENT.items():
        if target == (table, column):
            return review
    return column


def _fields(package: dict, table: str) -> dict[str, dict]:
    (resource,) = [r for r in package["resources"] if r["name"] == table]
    return {f["name"]: f for f in resource["schema"]["fields"]}


def _empty_cells(table: str, row: dict, fields: dict) -> list[tuple[str, str]]:
    """``(column, why)`` for each cell of a new row that must be filled and is empty."""
    needed = [n for n, f in fields.items() if f.get("constraints", {}).get("required")]
    also = ALSO_NEEDED.get(table, ())
    if table == "claims" and row.get("claim_kind") == "qualitative":
        also = tuple(c for c in also if c not in NOT_NEEDED_FOR_PLAIN_CLAIMS)
    out = []
    for column in dict.fromkeys([*needed, *also]):
        if column in row and not str(row[column] or "").strip():
            if column == "side_id" and row.get("_no_side"):
                continue  # answered 'none': no single side
            also = f" (or {NO_SIDE!r} for no single side)" if column == "side_id" else ""
            out.append((column, f"is empty: {fields[column]['description']}{also}"))
    return out


def _row_problems(where, table: str, row: dict, fields: dict, actors: set, events: set):
    """Every empty, unknown or contradictory cell of one new row, named in the review file."""
    problems = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(where[0], where[1], _review_column(table, column), message))

    for column, message in _empty_cells(table, row, fields):
        bad(column, message)
    for column, value in row.items():
        field = fields.get(column, {})
        allowed = field.get("constraints", {}).get("enum") or field.get("x-vocabulary")
        if allowed and value and value not in allowed:
            extend = (
                f" (a new kind? add it to the vocabulary of {table}.{column} in "
                "datapackage.json first)"
                if "x-vocabulary" in field
                else ""
            )
            bad(column, f"{value!r} is not one of {', '.join(allowed)}{extend}")
    for column in ACTOR_COLUMNS.get(table, ()):
        if row.get(column) and row[column] not in actors:
            bad(column, f"{row[column]!r} is not an actor_id in actors.csv (nor a new one here)")
    if row.get("event_id") and row["event_id"] not in events:
        bad("event_id", f"{row['event_id']!r} is not an event_id in events.csv")
    if table == "claims":
        for column, message in claim_contradictions(row):
            bad(column, message)
    if table == "event_reports" and not row.get("event_id"):
        bad(
            "event_id",
            "is empty: the event this date reports (a new event needs its events.csv row first)",
        )
    return problems


def claim_contradictions(row: dict) -> list[tuple[str, str]]:
    """``(column, why)`` for each cell of a claim that its other cells contradict.

    >>> claim_contradictions({"bound": "at_least", "value_low": "", "attribution": "vague",
    ...                       "claimant_id": "armenia-health-ministry"})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('value_low', "is empty, but bound is 'at_least': give the value as a number"),
     ('claimant_id', "must be empty when attribution is 'vague' (an unnamed group)")]
    """
    out = []
    for column in _VALUE_OF_BOUND.get(row.get("bound") or "", ()):
        if not row.get(column):
            out.append(
                (column, f"is empty, but bound is {row['bound']!r}: give the value as a number")
            )
    if row.get("attribution") == "vague" and row.get("claimant_id"):
        out.append(("claimant_id", "must be empty when attribution is 'vague' (an unnamed group)"))
    if row.get("attribution") == "named" and not row.get("claimant_id"):
        out.append(("claimant_id", "is empty, but attribution is 'named': whose figure is it?"))
    if row.get("translation") and not row.get("translation_by"):
        out.append(("translation_by", "a translation must say who made it"))
    return out


def acceptance_problems(
    review_path: Path,
    review: list[dict],
    ids: list[str],
    rows: dict,
    package: dict,
    tables: dict,
    texts: dict[str, str] | None = None,
) -> list[Problem]:
    """Every reason the chosen candidates cannot be appended yet, in one list.

    Each problem names the review file, the row as a spreadsheet shows it and the
    review column to fill, so the researcher fixes them all in one pass. With the
    sources' stored ``texts``, a passage the reviewer shortened must still be
    verbatim in its source's text.
    """
    line = {r["candidate_id"]: n for n, r in enumerate(review, start=2)}
    actors = set(tables["actors"]["actor_id"]) | {r["actor_id"] for r in rows.get("actors", [])}
    events = set(tables["events"]["event_id"])
    problems = []
    for table, new in rows.items():
        fields = _fields(package, table)
        for row in new:
            where = (Path(review_path).as_posix(), line.get(row["_candidate"]))
            problems += _row_problems(where, table, row, fields, actors, events)
            text = (texts or {}).get(row.get("source_id", ""))
            passage = row.get("passage", "")
            if text is not None and passage and passage not in text:
                problems.append(
                    Problem(
                        where[0],
                        where[1],
                        "passage",
                        f"is not word for word in the stored text of {row['source_id']}: "
                        "keep the source's exact words (shorten it, never reword it)",
                    )
                )
    return problems


def problems_once_appended(data_dir: Path, rows: dict) -> list[Problem]:
    """What ``helpers.load()`` would say of the data with ``rows`` appended; nothing written.

    The data folder is mirrored in a temporary folder (links, not copies) with the
    changed tables written there, and loaded as the kit loads it.
    """
    import tempfile

    from ..data.dataset import load
    from ..errors import DataError

    data_dir = Path(data_dir)
    with tempfile.TemporaryDirectory() as scratch:
        mirror = Path(scratch) / data_dir.name
        mirror.mkdir()
        for item in data_dir.iterdir():
            (mirror / item.name).symlink_to(item.resolve())
        for table, new in rows.items():
            (mirror / f"{table}.csv").unlink()
            (mirror / f"{table}.csv").write_bytes(
                with_rows_appended(data_dir / f"{table}.csv", new)
            )
        try:
            load(mirror)
        except DataError as exc:
            shown = str(mirror)
            return [
                Problem(p.file.replace(shown, str(data_dir)), p.row, p.column, p.message)
                for p in exc.problems
            ]
    return []


def vocabularies(package: dict, actors) -> dict[str, list[str]]:
    """The values each review column allows, from the data package (one source).

    >>> import helpers
    >>> ds = helpers.load()
    >>> vocab = vocabularies(ds.package, ds.actors)
    >>> vocab["attribution"], "military_deaths" in vocab["metric"], "armenia" in vocab["side_id"]
    (['named', 'vague', 'unattributed'], True, True)
    """
    out = {}
    for review, (table, column) in JUDGEMENT.items():
        field = _fields(package, table)[column]
        allowed = field.get("constraints", {}).get("enum") or field.get("x-vocabulary")
        if allowed:
            out[review] = list(allowed)
    out["bound"] = list(_fields(package, "claims")["bound"]["constraints"]["enum"])
    out["translated"] = ["true", "false"]
    sides = actors.loc[actors["kind"].isin(["state", "armed_force"]), "actor_id"]
    out["side_id"] = [*sorted(sides), NO_SIDE]
    return out


#: Markers around the vocabularies in docs/adding-a-source.md (written by
#: ``scripts/render_data_dictionary.py --write``).
VOCAB_START, VOCAB_END = "<!-- vocabularies:start -->\n", "<!-- vocabularies:end -->"


def vocabulary_markdown(package: dict) -> str:
    """The review columns' allowed values as a Markdown list, from the data package.

    ``side_id`` is left out: its values are the actors of the data folder in use.

    >>> import helpers
    >>> "- `attribution`: named, vague, unattributed" in vocabulary_markdown(helpers.load().package)
    True
    """
    import pandas as pd

    vocab = vocabularies(package, pd.DataFrame({"actor_id": [], "kind": []}))
    del vocab["side_id"]
    lines = [f"- `{column}`: {', '.join(values)}" for column, values in vocab.items() if values]
    return "\n".join(lines) + "\n"
