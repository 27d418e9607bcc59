"""``python -m helpers.sources {add,suggest,accept,check,vocab}``: the steps of adding a source.

``add PATH --publisher … --published … --title …``
    register the text (:mod:`helpers.sources.register`);
``suggest SOURCE_ID``
    write its review file of candidates (:mod:`helpers.sources.suggest`);
``accept REVIEW_FILE [--ids c003 c010 …]``
    append the candidates marked in the review file (:mod:`helpers.sources.review`);
``check``
    validate the data as ``helpers.load()`` does and flag events entered twice;
``vocab``
    print the values each review column allows (from ``datapackage.json``).

``python -m helpers.sources SOURCE_ID`` is kept as a short form of ``suggest``.
Every command takes ``--data DIR`` (default ``$KIT_DATA_DIR`` or ``data/``) and
exits 2, naming what is wrong, when it refuses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import paths

COMMANDS = ("add", "suggest", "accept", "check", "vocab")


def _data_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=None, help="data folder (default: $KIT_DATA_DIR or data/)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sources",
        description="Add a source: register its text, suggest rows, accept them, check.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="register a source text (copy, checksum, rows)")
    add.add_argument("path", type=Path, help="the text file, UTF-8, exactly as published")
    add.add_argument("--publisher", required=True)
    add.add_argument("--published", required=True, help="publication date, YYYY-MM-DD")
    add.add_argument("--title", required=True, help="the title exactly as published")
    add.add_argument("--url", default="")
    add.add_argument("--language", default="en", help="ISO 639-1 code of the text (default en)")
    add.add_argument("--id", dest="source_id", default="", help="default: <publisher>-<date>")
    add.add_argument(
        "--date-in-text",
        action="store_true",
        help="the text itself prints the publication date (published_origin=article)",
    )
    add.add_argument("--published-basis", default="", help="how the date is known")
    add.add_argument("--outlet-kind", default="")
    add.add_argument(
        "--role",
        choices=("report", "primary"),
        default="report",
        help="primary: the meeting's own record; report (default): anyone else's account",
    )
    add.add_argument(
        "--side",
        default="",
        help="the state whose government or press published it (an actor id: russia, "
        "armenia, azerbaijan…); empty for international outlets",
    )
    add.add_argument("--country", default="", help="where the outlet is based")
    add.add_argument(
        "--ownership",
        default="",
        help="government, state-run, public broadcaster, independent or 'not recorded'",
    )
    add.add_argument(
        "--ownership-basis", default="", help="where the ownership is recorded (address, words)"
    )
    add.add_argument("--perspective", default="")
    add.add_argument(
        "--copyright", default="", help="who holds the rights; the terms, where stated"
    )
    add.add_argument(
        "--excerpt-of",
        type=Path,
        default=None,
        metavar="COPY",
        help="PATH holds only the passages the kit cites, taken from COPY (the whole text "
        "as read, not stored): use when the publisher's terms do not allow keeping it",
    )
    add.add_argument(
        "--retrieved", default="", help="the day the copy was read, YYYY-MM-DD (default: today)"
    )
    _data_arg(add)
    sug = commands.add_parser("suggest", help="write the review file of a registered source")
    sug.add_argument("source_id")
    sug.add_argument(
        "--out",
        type=Path,
        default=None,
        help="review file (default: review/<source_id>-suggestions.csv beside the data folder)",
    )
    _data_arg(sug)
    acc = commands.add_parser("accept", help="append chosen candidates to the tables")
    acc.add_argument("review_file", type=Path)
    acc.add_argument(
        "--ids",
        nargs="+",
        default=None,
        metavar="CANDIDATE_ID",
        help="default: the rows marked in the review file's 'accept' column",
    )
    _data_arg(acc)
    voc = commands.add_parser("vocab", help="print the values each review column allows")
    _data_arg(voc)
    chk = commands.add_parser("check", help="validate the data; flag events entered twice")
    _data_arg(chk)
    return parser


def _loaded(data_dir: Path, why: str = ""):
    """The dataset in ``data_dir``, or ``None`` once its problems are printed (``why`` first)."""
    from ..data.dataset import load
    from ..errors import DataError

    try:
        return load(data_dir)
    except DataError as exc:
        print(f"error: {why}{exc}", file=sys.stderr)
        return None


def add_command(args) -> int:
    from ..errors import DataError
    from .register import DEFAULT_BASIS, SourceInfo, register

    info = SourceInfo(
        path=args.path,
        publisher=args.publisher,
        published=args.published,
        title=args.title,
        url=args.url,
        language=args.language,
        source_id=args.source_id,
        published_basis=args.published_basis or DEFAULT_BASIS,
        published_origin="article" if args.date_in_text else "context",
        outlet_kind=args.outlet_kind,
        perspective=args.perspective,
        copyright=args.copyright or SourceInfo.copyright,
        excerpt_of=args.excerpt_of,
        retrieved=args.retrieved,
        role=args.role,
        side_id=args.side,
        country=args.country,
        ownership=args.ownership,
        ownership_basis=args.ownership_basis,
    )
    data_dir = args.data or paths.data_dir()
    try:
        added = register(data_dir, info)
    except DataError as exc:
        print(f"error: nothing was changed.\n{exc}", file=sys.stderr)
        return 2
    what = "the full text" if info.excerpt_of is None else "the cited passages (an excerpt)"
    print(
        f"registered {added.source_id}: {what} in {data_dir / 'sources' / added.text_file} "
        f"(sha256 {added.text_sha256[:12]}…), a sources.csv row and a datapackage.json "
        f"resource. Next: python -m helpers.sources suggest {added.source_id}"
    )
    if added.normalised:
        print(
            "note: the byte-order mark or Windows line ends were removed; the checksum of "
            "the file as received is kept in copy_sha256."
        )
    return 0


def suggest_command(args) -> int:
    from ..data.export import write_csv
    from .suggest import default_out, suggest, unread_spans

    data_dir = args.data or paths.data_dir()
    why = f"the data in {data_dir} does not load, so nothing can be suggested yet:\n"
    ds = _loaded(data_dir, why)
    if ds is None:
        return 2
    known = list(ds.sources["source_id"])
    if args.source_id not in known:
        print(
            f"error: no source {args.source_id!r} in {data_dir / 'sources.csv'}; known: "
            f"{', '.join(known) or 'none'}. Register it first: python -m helpers.sources add "
            "PATH --publisher ... --published ... --title ...",
            file=sys.stderr,
        )
        return 2
    review = suggest(ds, args.source_id)
    out = args.out or default_out(data_dir, args.source_id)
    if out.is_file():
        import pandas as pd

        from .suggest import merge_review

        earlier = pd.read_csv(out, dtype=str, keep_default_na=False)
        review, added = merge_review(earlier, review)
        write_csv(review, out)
        print(
            f"{out} already existed: kept its {len(earlier)} rows as you left them (same "
            f"candidate ids) and added {added} new candidate(s)."
        )
    else:
        write_csv(review, out)
    counts = review["kind"].value_counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in counts.index)
    matched = int((review["event_id"].fillna("") != "").sum())
    print(
        f"{out}: {len(review)} candidates ({summary}); {matched} point to an existing "
        "event (see event_id, event_match).\nNext: mark the rows to keep with an x in "
        "'accept', fill in their empty cells (python -m helpers.sources vocab lists the "
        f"allowed values), then: python -m helpers.sources accept {out}"
    )
    unread = unread_spans(review)
    if unread:
        print(f"Could not read {len(unread)} span(s); read these passages yourself:")
        print("\n".join(f"  - {line}" for line in unread))
    return 0


def accept_command(args) -> int:
    import json

    import pandas as pd

    from ..errors import DataError
    from .review import (
        acceptance_problems,
        accepted_rows,
        append_to_tables,
        marked_ids,
        problems_once_appended,
        read_review,
        without_accepted,
    )

    data_dir = args.data or paths.data_dir()
    if not args.review_file.is_file():
        print(
            f"error: no review file {args.review_file}; write one with "
            "`python -m helpers.sources suggest SOURCE_ID`",
            file=sys.stderr,
        )
        return 2
    review = read_review(args.review_file)
    ids = args.ids or marked_ids(review)
    if not ids:
        print(
            f"error: no row of {args.review_file} is marked: put an x in the 'accept' column "
            "of each candidate to keep (or name them with --ids c003 c010 …)",
            file=sys.stderr,
        )
        return 2
    try:
        tables = {
            name: pd.read_csv(data_dir / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in ("sources", "glossary", "actors", "events")
        }
        package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
        rows = accepted_rows(review, ids, tables["sources"], tables["glossary"])
        rows, skipped = without_accepted(data_dir, rows)
        if skipped:
            print(f"already in the tables, skipped: {', '.join(skipped)}")
        if not rows:
            print("nothing new to append.")
            return 0
        texts = _stored_texts(data_dir, tables["sources"], rows)
        problems = acceptance_problems(args.review_file, review, ids, rows, package, tables, texts)
        problems = problems or problems_once_appended(data_dir, rows)
        if problems:
            print(
                f"error: nothing was appended; fill in these cells of {args.review_file} "
                f"and run accept again:\n{DataError(problems)}",
                file=sys.stderr,
            )
            _print_vocabularies({p.column for p in problems}, package, tables, sys.stderr)
            return 2
        append_to_tables(data_dir, rows)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    added = "; ".join(
        f"{t}.csv: {', '.join(r[next(iter(r))] for r in new)}" for t, new in rows.items()
    )
    print(f"appended {added}. Next: python -m helpers.sources check, then make report")
    return 0


def _stored_texts(data_dir: Path, sources, rows: dict) -> dict[str, str]:
    """The stored text of each source the accepted rows cite, by source_id."""
    cited = {r.get("source_id") for new in rows.values() for r in new}
    files = dict(sources[["source_id", "text_file"]].itertuples(index=False))
    return {
        s: (data_dir / "sources" / files[s]).read_text(encoding="utf-8")
        for s in cited
        if s in files and (data_dir / "sources" / files[s]).is_file()
    }


def _print_vocabularies(columns, package, tables, stream) -> None:
    from .review import vocabularies

    vocab = vocabularies(package, tables["actors"])
    shown = [c for c in vocab if c in columns or not columns]
    if shown:
        print("Allowed values:", file=stream)
    for column in shown:
        print(f"  {column}: {', '.join(vocab[column])}", file=stream)


def vocab_command(args) -> int:
    import json

    import pandas as pd

    data_dir = args.data or paths.data_dir()
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    actors = pd.read_csv(data_dir / "actors.csv", dtype=str, keep_default_na=False)
    _print_vocabularies(set(), package, {"actors": actors}, sys.stdout)
    print("  claimant_id, speaker_id, affiliation_id: an actor_id from actors.csv")
    return 0


def check_command(args) -> int:
    from ..errors import DataError
    from .events import duplicate_events

    data_dir = args.data or paths.data_dir()
    ds = _loaded(data_dir)
    if ds is None:
        return 2
    untold = translation_problems(ds, data_dir)
    if untold:
        print(f"error: {DataError(untold)}", file=sys.stderr)
        return 2
    counts = ", ".join(
        f"{len(getattr(ds, t))} {t}"
        for t in ("sources", "events", "event_reports", "claims", "quotes")
    )
    print(f"{data_dir}: the data loads ({counts}).")
    for row in duplicate_events(ds).itertuples(index=False):
        print(
            f"warning: events {row.event_id!r} and {row.possible_duplicate_of!r} may be one "
            f"event entered twice ({row.why}); attach the second source's report to one of "
            "them in event_reports.csv"
        )
    return 0


def translation_problems(ds, data_dir: Path) -> list:
    """Claims whose English rendering does not say who made it (``translation_by``).

    >>> import helpers
    >>> translation_problems(helpers.load(), Path("data"))
    []
    """
    from ..errors import Problem

    claims = ds.claims
    missing = claims["translation"].notna() & claims["translation_by"].isna()
    return [
        Problem(
            (Path(data_dir) / "claims.csv").as_posix(),
            int(row) + 2,  # spreadsheet rows: the header is row 1
            "translation_by",
            "a translation must say who made it (a person, or the tool and who checked it)",
        )
        for row in claims.index[missing]
    ]


def main(argv: list[str] | None = None) -> int:
    """Run one command; ``SOURCE_ID`` alone means ``suggest SOURCE_ID``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv = ["suggest", *argv]
    args = _parser().parse_args(argv)
    run = {
        "add": add_command,
        "suggest": suggest_command,
        "accept": accept_command,
        "check": check_command,
        "vocab": vocab_command,
    }
    return run[args.command](args)
