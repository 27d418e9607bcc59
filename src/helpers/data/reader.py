"""Reading the data package's files strictly: the descriptor, each CSV, the source texts.

Every problem is reported with file, row and column (:class:`~helpers.errors.Problem`);
rows are numbered as a spreadsheet shows them (the header is row 1).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "t.csv").write_text("a,b\\n1,2\\n3\\n", encoding="utf-8")
>>> frame, problems = read_rows(folder / "t.csv", ["a", "b"])
>>> frame is None, [(p.row, p.column) for p in problems]
(True, [(3, 'b')])
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem


def display(path: Path) -> str:
    """A path as a person would type it: relative to the working folder if inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def read_package(root: Path) -> dict:
    package_path = root / "datapackage.json"
    if not package_path.is_file():
        raise DataError(
            [
                Problem(
                    display(package_path), None, None, "missing file: the data package descriptor"
                )
            ]
        )
    try:
        return json.loads(package_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(
            [Problem(display(package_path), None, None, f"not valid JSON: {exc}")]
        ) from None


def read_rows(path: Path, expected: list[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse one CSV strictly: UTF-8, a header, one record per row, no ragged rows."""
    shown = display(path)
    if not path.is_file():
        return None, [Problem(shown, None, None, "missing file")]
    raw = path.read_bytes()
    if not raw.strip():
        return None, [
            Problem(shown, None, None, f"empty file: expected a header row ({', '.join(expected)})")
        ]
    try:
        # One reader for every table: Arrow's multi-threaded reader, several times quicker
        # than the csv module on 100,000 claims, a fraction of a second slower on the
        # article's small tables (benchmarks/bench_csv.py). It refuses ragged rows and bad UTF-8;
        # the csv module then says where. Every cell is read as text; types come later.
        frame = pd.read_csv(
            io.BytesIO(raw), engine="pyarrow", dtype="str", keep_default_na=False, na_values=[""]
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        return None, _diagnose(shown, raw) or [
            Problem(shown, None, None, f"unreadable CSV: {str(exc).strip()}")
        ]
    names = _first_record(raw)
    if len(set(names)) != len(names):  # pandas would rename the repeats (a, a.1)
        return None, [Problem(shown, 1, None, "duplicate column names in the header")]
    header = [str(c) for c in frame.columns]
    problems = [Problem(shown, None, c, "missing column") for c in expected if c not in header]
    problems += [
        Problem(shown, None, c, "unknown column (not in datapackage.json; a typo?)")
        for c in header
        if c not in expected
    ]
    if problems:
        return None, problems
    # Spreadsheet row numbers (header = row 1) for every message.
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame[expected], []


def _first_record(raw: bytes) -> list[str]:
    """The header's names, as the csv module reads the first line."""
    first = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace").removeprefix("\ufeff")
    return next(csv.reader([first]), [])


def _diagnose(shown: str, raw: bytes) -> list[Problem]:
    """Why Arrow refused a file, row by row, read with the csv module.

    Problems: not UTF-8, duplicate header names, rows with the wrong number of fields,
    an unclosed quote (a truncated file).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        lines = raw.split(b"\n")
        header = next(csv.reader([lines[0].decode("utf-8", errors="replace")]), [])
        cells = next(csv.reader([lines[row - 1].decode("utf-8", errors="replace")]), [])
        column = next(
            (header[i] for i, cell in enumerate(cells) if "\ufffd" in cell and i < len(header)),
            None,
        )
        message = f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return [Problem(shown, row, column, message)]
    problems: list[Problem] = []
    header: list[str] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader)
        if len(set(header)) != len(header):
            problems.append(Problem(shown, 1, None, "duplicate column names in the header"))
        for number, record in enumerate((r for r in reader if any(r)), start=2):
            if len(record) != len(header):
                short = len(record) < len(header)
                problems.append(
                    Problem(
                        shown,
                        number,
                        header[len(record)] if short else None,
                        f"has {len(record)} fields, the header has {len(header)} "
                        f"({'truncated row?' if short else 'an unquoted comma?'})",
                    )
                )
    except csv.Error as exc:
        problems.append(
            Problem(shown, reader.line_num, None, f"unreadable CSV ({exc}); is the file truncated?")
        )
    return problems


def read_texts(root: Path, sources: pd.DataFrame, shown: str) -> tuple[dict, list[Problem]]:
    texts, problems = {}, []
    for row, source_id, name, digest in sources[
        ["source_id", "text_file", "text_sha256"]
    ].itertuples():
        path = root / "sources" / name
        if not path.is_file():
            problems.append(Problem(shown, int(row), "text_file", f"missing file {display(path)}"))
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != digest:
            problems.append(
                Problem(
                    shown,
                    int(row),
                    "text_sha256",
                    f"{display(path)} does not match its recorded SHA-256: "
                    "the stored text changed "
                    "(source texts are kept byte for byte; record a new source instead)",
                )
            )
        try:
            texts[source_id] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(display(path), None, None, f"not UTF-8 ({exc.reason})"))
    return texts, problems
