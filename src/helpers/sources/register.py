"""Register a source in one command: its text, its ``sources.csv`` row, its data-package entry.

``python -m helpers.sources add PATH --publisher … --published … --title …``
copies the text byte for byte into ``data/sources/``, computes its SHA-256,
appends the ``sources.csv`` row and lists the text as a resource of
``datapackage.json``, all three together or none (:mod:`helpers.sources.files`).
It refuses, naming file, row and column, a text already stored (same checksum),
an id already used, a text that is not UTF-8 or is empty, and a malformed date
or language code.

>>> import tempfile, shutil, helpers
>>> from helpers import paths
>>> data = Path(tempfile.mkdtemp()) / "data"
>>> _ = shutil.copytree(paths.DATA_DIR, data)
>>> text = data.parent / "wire.txt"
>>> _ = text.write_text("Fictional test text. The ministry said 12 died.\\n", encoding="utf-8")
>>> added = register(data, SourceInfo(text, publisher="Test Wire", published="2021-01-12",
...                                   title="Fictional test text"))
>>> added.source_id, (data / "sources" / added.text_file).read_bytes() == text.read_bytes()
('test-wire-2021-01-12', True)
>>> helpers.load(data).text("test-wire-2021-01-12")[:20]
'Fictional test text.'
>>> register(data, SourceInfo(text, publisher="Other", published="2021-01-13", title="x"))
Traceback (most recent call last):
...
helpers.errors.DataError: .../sources.csv row 3, column text_sha256: this text is already stored
as 'test-wire-2021-01-12' (data/sources/test-wire-2021-01-12.txt)
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..data.wording import fold
from ..errors import DataError, Problem
from .files import replace_all, with_rows_appended

#: What a text's published date rests on when the researcher does not say.
DEFAULT_BASIS = "As given when the source was registered; check it against the text."


@dataclass(frozen=True)
class SourceInfo:
    """What the researcher says about a source when registering it."""

    path: Path
    publisher: str
    published: str
    title: str
    url: str = ""
    language: str = "en"
    source_id: str = ""
    published_basis: str = DEFAULT_BASIS
    #: 'article' when the text itself prints the date, else 'context'.
    published_origin: str = "context"
    outlet_kind: str = ""
    perspective: str = ""
    copyright: str = "Kept verbatim for research and verification; not for republication."


def default_source_id(publisher: str, published: str) -> str:
    """``<publisher in lower-case ASCII words>-<date>``.

    >>> default_source_id("Agence France-Presse", "2021-01-02")
    'agence-france-presse-2021-01-02'
    >>> default_source_id("ТАСС", "2021-01-02")
    'source-2021-01-02'
    """
    words = re.findall(r"[a-z0-9]+", fold(publisher))
    return f"{'-'.join(words)[:40].strip('-') or 'source'}-{published}"


def _shown(path: Path) -> str:
    return path.as_posix()


def _read_sources(data_dir: Path) -> tuple[list[str], list[dict]]:
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _text_problems(info: SourceInfo) -> tuple[bytes, list[Problem]]:
    shown = _shown(info.path)
    if not info.path.is_file():
        return b"", [Problem(shown, None, None, "no such file")]
    raw = info.path.read_bytes()
    if not raw.strip():
        return raw, [Problem(shown, None, None, "empty file: nothing to register")]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw, [
            Problem(shown, None, None, f"not UTF-8 (byte {exc.start}): save the text as UTF-8")
        ]
    return raw, []


def _field_problems(info: SourceInfo, source_id: str, shown: str) -> list[Problem]:
    problems = []
    try:
        date.fromisoformat(info.published)
    except ValueError:
        problems.append(
            Problem(shown, None, "published", f"{info.published!r} is not a date (YYYY-MM-DD)")
        )
    if not re.fullmatch(r"[a-z]{2}", info.language):
        problems.append(
            Problem(shown, None, "language", f"{info.language!r} is not an ISO 639-1 code")
        )
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", source_id):
        problems.append(
            Problem(shown, None, "source_id", f"{source_id!r}: use lower case, digits, hyphens")
        )
    for column in ("publisher", "title"):
        if not getattr(info, column).strip():
            problems.append(Problem(shown, None, column, "required: say it when registering"))
    if info.published_origin not in ("article", "context"):
        problems.append(Problem(shown, None, "published_origin", "must be 'article' or 'context'"))
    return problems


def _clash_problems(data_dir, rows, source_id, digest, text_file) -> list[Problem]:
    shown = _shown(data_dir / "sources.csv")
    problems = []
    for number, row in enumerate(rows, start=2):
        if row["source_id"] == source_id:
            problems.append(
                Problem(shown, number, "source_id", f"{source_id!r} is already used: pick another")
            )
        if row["text_sha256"] == digest:
            problems.append(
                Problem(
                    shown,
                    number,
                    "text_sha256",
                    f"this text is already stored as {row['source_id']!r} "
                    f"(data/sources/{row['text_file']})",
                )
            )
    if (data_dir / "sources" / text_file).exists():
        problems.append(
            Problem(_shown(data_dir / "sources" / text_file), None, None, "already exists")
        )
    return problems


def _resource(info: SourceInfo, source_id: str, text_file: str, digest: str) -> dict:
    source = {"title": info.publisher}
    if info.url:
        source["path"] = info.url
    return {
        "name": f"{source_id}-text",
        "path": f"sources/{text_file}",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "hash": f"sha256:{digest}",
        "description": f"{info.publisher}, '{info.title}', {info.published}: full text, "
        "byte for byte as received.",
        "licenses": [{"name": f"copyright-{source_id}", "title": info.copyright}],
        "sources": [source],
    }


def _with_resource(package_path: Path, resource: dict) -> bytes:
    package = json.loads(package_path.read_text(encoding="utf-8"))
    resources = package["resources"]
    texts = [i for i, r in enumerate(resources) if str(r.get("path", "")).startswith("sources/")]
    resources.insert(texts[-1] + 1 if texts else len(resources), resource)
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Registered:
    """What :func:`register` stored."""

    source_id: str
    text_file: str
    text_sha256: str


def register(data_dir: Path, info: SourceInfo) -> Registered:
    """Store ``info.path`` as a new source of ``data_dir``; all files change or none.

    Raises
    ------
    DataError
        Every reason to refuse, each naming its file, row and column.
    """
    data_dir = Path(data_dir)
    source_id = info.source_id or default_source_id(info.publisher, info.published)
    raw, problems = _text_problems(info)
    problems += _field_problems(info, source_id, "the source's details")
    digest = hashlib.sha256(raw).hexdigest()
    text_file = f"{source_id}{info.path.suffix or '.txt'}"
    header, rows = _read_sources(data_dir)
    if raw:
        problems += _clash_problems(data_dir, rows, source_id, digest, text_file)
    if problems:
        raise DataError(problems)
    row = {
        "source_id": source_id,
        "title": info.title,
        "publisher": info.publisher,
        "published": info.published,
        "published_basis": info.published_basis,
        "published_origin": info.published_origin,
        "url": info.url,
        "language": info.language,
        "outlet_kind": info.outlet_kind,
        "perspective": info.perspective,
        "copyright": info.copyright,
        "text_file": text_file,
        "text_sha256": digest,
    }
    package = data_dir / "datapackage.json"
    replace_all(
        {
            data_dir / "sources" / text_file: raw,
            data_dir / "sources.csv": with_rows_appended(data_dir / "sources.csv", [row]),
            package: _with_resource(package, _resource(info, source_id, text_file, digest)),
        }
    )
    return Registered(source_id, text_file, digest)
