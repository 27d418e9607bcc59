"""Review files: read one back, turn chosen candidates into table rows, append them.

``python -m helpers.sources accept REVIEW_FILE --ids c003 c010`` appends the
chosen candidates to their tables with source, passage, parsed values, claimant
and suggested event filled in, and leaves the judgement (a claim's subject,
metric, attribution and statement; whether a quotation is translated; a new
actor's proper name and kind) to the researcher, whom ``helpers.load()`` then
tells, cell by cell, what is still empty. All tables change together or none.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..files import with_rows_appended, write_all
from .candidates import Kind, Target

#: Where an accepted candidate goes, and the id column of that table.
ACCEPT_TABLES = {
    Kind.NUMBER: ("claims", "claim_id"),
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
    return {
        "claim_kind": "quantitative",
        "unit": c["unit"],
        "value_as_worded": c["matched"],
        "bound": c["bound"],
        "value_low": _number_text(c["value_low"]),
        "value_best": _number_text(c["value_best"]),
        "value_high": _number_text(c["value_high"]),
        "claimant": c.get("claimant", ""),
        "claimant_id": c.get("claimant_id", ""),
        "claim_date": c.get("claim_date") or published[:10],
        "claim_date_prec": c.get("claim_date_prec") or "day",
        "event_id": c["event_id"],
        "caveat": c["note"],
    }


def _report(c: dict) -> dict:
    return {
        "event_id": c["event_id"],
        "wording": c["passage"],
        "reported_date_start": c["date_start"],
        "reported_date_end": c["date_end"],
        "reported_date_prec": c["date_prec"],
        "date_basis": c["date_basis"],
    }


def _quote(c: dict) -> dict:
    return {
        "speaker_id": c["speaker_id"],
        "text": c["quote_text"],
        "event_id": c["event_id"],
        "note": c["note"],
    }


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
    # The name is the source's wording until the researcher gives the proper one;
    # kind is left empty on purpose, so helpers.load() asks for it.
    return {
        "actor_id": c["actor_id"],
        "name": c["matched"],
        "affiliation_id": c.get("affiliation_id", ""),
        "note": "Claimant proposed from the source's wording; check name, kind and affiliation.",
    }


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
        if kind is Kind.NUMBER:
            row |= _claim(c, str(published.get(source_id, "")))
        elif kind is Kind.DATE:
            row |= _report(c)
        elif kind is Kind.QUOTE:
            row |= _quote(c)
        elif kind is Kind.CLAIMANT:
            row |= _actor(c)
        else:
            row |= _term(c, glossary)
        out.setdefault(table, []).append(row)
    return out


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
