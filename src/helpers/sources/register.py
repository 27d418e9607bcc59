"""Register a source in one command: its text, its ``sources.csv`` row, its data-package entry.

``python -m helpers.sources add PATH --publisher … --published … --title …``
copies the text into ``data/sources/``, computes its SHA-256, appends the
``sources.csv`` row and lists the text as a resource of ``datapackage.json``, all
three together or none (:func:`helpers.files.write_all`). The text is kept byte for
byte except a byte-order mark and Windows line ends, which are removed (the
checksum of the bytes as received is kept in ``copy_sha256``).

A text whose publisher does not allow keeping it whole is registered as an
*excerpt* (``--excerpt-of COPY``): the stored file holds only the passages the
kit cites, separated by blank lines; each must be found, verbatim, in the copy
that was read, whose address, day read and checksum are recorded instead.

It refuses, naming file, row and column, a text already stored (the same
characters, whatever its line ends or byte-order mark), an id already used, a
text that is not UTF-8 or is empty, a malformed or future date, an address that
is not a web address, a malformed language code, and an excerpt with a passage
its copy does not hold.

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
helpers.errors.DataError: .../sources.csv row ..., column text_sha256: this text is already stored
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
from urllib.parse import urlsplit

from ..data import ID_PATTERN
from ..data.wording import fold
from ..errors import DataError, Problem
from ..files import with_rows_appended, write_all

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
    #: The whole copy that was read, when ``path`` holds only the passages cited.
    excerpt_of: Path | None = None
    #: The day the copy was read (YYYY-MM-DD); default: the day of registering.
    retrieved: str = ""
    #: 'primary' for the meeting's own record, else 'report'.
    role: str = "report"
    #: The state whose government or press published it (an actor id), or '' (international).
    side_id: str = ""
    #: Where the outlet is based, who owns or runs it, and where that is recorded.
    country: str = ""
    ownership: str = ""
    ownership_basis: str = ""

    @property
    def text_scope(self) -> str:
        """``excerpt`` when only cited passages are stored, else ``full``."""
        return "full" if self.excerpt_of is None else "excerpt"


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


def same_text(raw: bytes) -> bytes:
    """The text's bytes without a byte-order mark and with Unix line ends.

    Two files are the same text when these agree: the one saved with Windows
    line ends, or with a byte-order mark, is not a new source.

    >>> same_text(b"\\xef\\xbb\\xbfOne\\r\\nTwo\\rThree\\n")
    b'One\\nTwo\\nThree\\n'
    """
    return raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _words(text: str) -> str:
    return " ".join(text.split())


def excerpt_passages(text: str) -> list[str]:
    """The passages of an excerpt file: blocks separated by blank lines or ``[…]`` lines.

    >>> excerpt_passages("First passage\\nwrapped.\\n\\n[…]\\nSecond one.\\n")
    ['First passage wrapped.', 'Second one.']
    """
    blocks = re.split(r"\n\s*(?:\[\s*(?:…|\.\.\.)\s*\]\s*)?\n", text.strip())
    return [_words(b) for b in blocks if _words(b) not in ("", "[…]", "[...]")]


def is_web_address(url: str) -> bool:
    """An http(s) address with a host name.

    >>> is_web_address("https://www.reuters.com/article/x"), is_web_address("reuters article")
    (True, False)
    >>> is_web_address("javascript:alert(1)"), is_web_address("http://localhost/x")
    (False, False)
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and "." in host and " " not in url.strip()


def _read_sources(data_dir: Path) -> tuple[list[str], list[dict]]:
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _read_text(path: Path) -> tuple[bytes, list[Problem]]:
    shown = _shown(path)
    if not path.is_file():
        return b"", [Problem(shown, None, None, "no such file")]
    raw = path.read_bytes()
    if not raw.strip():
        return raw, [Problem(shown, None, None, "empty file: nothing to register")]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw, [
            Problem(shown, None, None, f"not UTF-8 (byte {exc.start}): save the text as UTF-8")
        ]
    return raw, []


def _text_problems(info: SourceInfo) -> tuple[bytes, bytes, list[Problem]]:
    """The text to store, the copy read (the same bytes for a full text), and problems."""
    raw, problems = _read_text(info.path)
    if info.excerpt_of is None or problems:
        return raw, raw, problems
    copy, problems = _read_text(info.excerpt_of)
    if problems:
        return raw, copy, problems
    whole = _words(same_text(copy).decode("utf-8"))
    for number, passage in enumerate(excerpt_passages(same_text(raw).decode("utf-8")), 1):
        if passage not in whole:
            problems.append(
                Problem(
                    _shown(info.path),
                    None,
                    None,
                    f"passage {number} ({passage[:60]!r}…) is not in "
                    f"{_shown(info.excerpt_of)}: an excerpt holds only words of the copy read",
                )
            )
    return raw, copy, problems


def _day(value: str, column: str, shown: str, problems: list[Problem]) -> date | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(shown, None, column, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None
    if day > date.today():
        problems.append(
            Problem(shown, None, column, f"{value} is in the future: give the day it happened")
        )
    return day


def _field_problems(info: SourceInfo, source_id: str, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    published = _day(info.published, "published", shown, problems)
    retrieved = _day(info.retrieved, "retrieved", shown, problems) if info.retrieved else None
    if published and retrieved and retrieved < published:
        problems.append(
            Problem(
                shown,
                None,
                "retrieved",
                f"{info.retrieved} is before the publication date {info.published}",
            )
        )
    if info.url and not is_web_address(info.url):
        problems.append(
            Problem(shown, None, "url", f"{info.url!r} is not a web address (https://…)")
        )
    if info.excerpt_of is not None and not info.url:
        problems.append(
            Problem(shown, None, "url", "an excerpt needs the address of the copy read (--url)")
        )
    if not re.fullmatch(r"[a-z]{2}", info.language):
        problems.append(
            Problem(shown, None, "language", f"{info.language!r} is not an ISO 639-1 code")
        )
    if not re.fullmatch(ID_PATTERN, source_id):
        problems.append(
            Problem(
                shown,
                None,
                "source_id",
                f"{source_id!r}: use lower case letters, digits and hyphens (a letter at least)",
            )
        )
    for column in ("publisher", "title"):
        if not getattr(info, column).strip():
            problems.append(Problem(shown, None, column, "required: say it when registering"))
    if info.published_origin not in ("article", "context"):
        problems.append(Problem(shown, None, "published_origin", "must be 'article' or 'context'"))
    return problems


def _stored_digest(data_dir: Path, row: dict) -> str:
    """The checksum of a stored text's characters (line ends and BOM aside)."""
    path = data_dir / "sources" / row.get("text_file", "")
    if not row.get("text_file") or not path.is_file():
        return row.get("text_sha256", "")
    return hashlib.sha256(same_text(path.read_bytes())).hexdigest()


def _clash_problems(data_dir, rows, source_id, digests, text_file) -> list[Problem]:
    shown = _shown(data_dir / "sources.csv")
    problems = []
    text_digest, copy_digest = digests
    for number, row in enumerate(rows, start=2):
        if row["source_id"] == source_id:
            problems.append(
                Problem(shown, number, "source_id", f"{source_id!r} is already used: pick another")
            )
        if row.get("copy_sha256") == copy_digest and copy_digest != text_digest:
            problems.append(
                Problem(
                    shown,
                    number,
                    "copy_sha256",
                    f"the copy read is already registered as {row['source_id']!r}",
                )
            )
        if _stored_digest(data_dir, row) == text_digest:
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
        "description": f"{info.publisher}, '{info.title}', {info.published}: "
        + (
            "full text, as received."
            if info.excerpt_of is None
            else f"excerpt: only the passages the kit cites, from the copy at {info.url} "
            f"read on {info.retrieved or date.today().isoformat()}."
        ),
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
    #: True when a byte-order mark or Windows line ends were removed on storing.
    normalised: bool = False


def register(data_dir: Path, info: SourceInfo) -> Registered:
    """Store ``info.path`` as a new source of ``data_dir``; all files change or none.

    Raises
    ------
    DataError
        Every reason to refuse, each naming its file, row and column.
    """
    data_dir = Path(data_dir)
    source_id = info.source_id or default_source_id(info.publisher, info.published)
    received, copy, problems = _text_problems(info)
    problems += _field_problems(info, source_id, "the source's details")
    raw = same_text(received)
    digest = hashlib.sha256(raw).hexdigest()
    copy_digest = hashlib.sha256(copy).hexdigest()
    text_file = f"{source_id}{info.path.suffix or '.txt'}"
    header, rows = _read_sources(data_dir)
    if raw:
        problems += _clash_problems(data_dir, rows, source_id, (digest, copy_digest), text_file)
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
        "role": info.role,
        "side_id": info.side_id,
        "copyright": info.copyright,
        "text_scope": info.text_scope,
        "retrieved": info.retrieved or date.today().isoformat(),
        "copy_sha256": copy_digest,
        "text_file": text_file,
        "text_sha256": digest,
        "country": info.country,
        "ownership": info.ownership,
        "ownership_basis": info.ownership_basis,
    }
    package = data_dir / "datapackage.json"
    write_all(
        {
            data_dir / "sources" / text_file: raw,
            data_dir / "sources.csv": with_rows_appended(data_dir / "sources.csv", [row]),
            package: _with_resource(package, _resource(info, source_id, text_file, digest)),
        }
    )
    return Registered(source_id, text_file, digest, normalised=raw != received)
