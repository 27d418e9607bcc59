"""The index page, ``<reports>/index.html``, rendered from ``templates/index.html.j2``.

A short primer on the war and the meeting, every sentence cited (:mod:`.primer`);
then one entry per notebook in reading order (the number its file name starts
with): its title and link (never a link to a report that is not there), its
bottom line, a cropped thumbnail of its key figure that links to the report
(decorative, ``alt=""``: the report holds the figure's description), when it was
built; then the sources, each linked (a reprint said to be one), and a footer saying in
plain words when and from which version of the data the page was built (how to rebuild
it is in the README and docs/reports.md, not on a reader's page).

The bottom line must match the build: the output of the notebook's cell tagged
``bottom-line`` (computed from the data the build loaded) when it has one;
otherwise the hand-written ``**Bottom line.**`` paragraph, in a full build only.
An as-of build leaves a hand-written one out, with :data:`AS_OF_NOTE`, because
it speaks about sources that build may not have loaded.

Jinja's autoescape is on: every text from notebooks or sources is escaped.

>>> bottom_line("computed", "written", as_of="2021-01-10")
('computed', '')
>>> bottom_line("", "written", as_of=None)
('written', '')
>>> bottom_line("", "written", as_of="2021-01-10")[0]
''
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..data import fingerprint
from ..data.as_of_banner import as_of_banner, split_sources
from ..text.quoting import quoted, typos_in, with_sic
from . import primer as primer_module
from .cache import Manifest, Plan, hand_written_bottom_line
from .pages import number_of

TEMPLATE = "index.html.j2"
AS_OF_NOTE = "hand-written for the full dataset; not shown in an as-of build"


@dataclass
class Entry:
    """One notebook's line in the index."""

    name: str
    title: str
    number: str = ""  # the run-order number of its file name ("00")
    href: str = ""  # "" when there is no report to link
    bottom_line: str = ""
    note: str = ""  # why the bottom line is missing
    thumbnail: str = ""
    thumbnail_alt: str = ""
    built: str = ""
    stale: bool = False  # the latest build failed; this is the previous good report


@dataclass
class Source:
    title: str
    publisher: str
    published: str
    source_id: str
    url: str = ""
    url_kind: str = ""  # "reprint": the address is a copy on another site, not the original


@dataclass
class IndexPage:
    """Everything the index shows (and nothing else: equal pages hash the same)."""

    as_of: str | None
    entries: list[Entry]
    sources: list[Source]
    fingerprint: str
    data_files: int
    data_name: str
    primer: primer_module.Primer = field(default_factory=primer_module.Primer)
    as_of_banner: str = ""  # an as-of build: which sources existed on its date

    @property
    def built(self) -> str:
        """When the latest report on the page was built ("" if none was)."""
        return max((e.built for e in self.entries if e.href and e.built), default="")

    @property
    def data_version(self) -> str:
        """A short name for the data the reports were built from (its fingerprint's start)."""
        return self.fingerprint[:8]

    def key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


def bottom_line(computed: str, hand_written: str, as_of: str | None) -> tuple[str, str]:
    """``(bottom line, note)`` for the index: see the module's docstring."""
    if computed:
        return computed, ""
    if not hand_written:
        return "", ""
    return ("", AS_OF_NOTE) if as_of else (hand_written, "")


def entry_for(plan: Plan, manifest: Manifest, out_dir: Path, failed: set[str], as_of) -> Entry:
    record = manifest.notebooks.get(plan.name)
    number = number_of(plan.name)
    if record is None or not (out_dir / f"{plan.name}.html").is_file():
        return Entry(plan.name, plan.title, number)
    text, note = bottom_line(record.bottom_line, hand_written_bottom_line(plan.nb), as_of)
    has_thumbnail = record.thumbnail and (out_dir / record.thumbnail).is_file()
    return Entry(
        plan.name,
        record.title,
        number,
        href=f"{plan.name}.html",
        bottom_line=text,
        note=note,
        thumbnail=record.thumbnail if has_thumbnail else "",
        thumbnail_alt=record.thumbnail_alt if has_thumbnail else "",
        built=record.built,
        stale=plan.name in failed,
    )


def _source_rows(data_dir: Path) -> list[dict]:
    path = data_dir / "sources.csv"
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_sources(data_dir: Path, as_of: str | None = None) -> list[Source]:
    """The sources the index lists: in an as-of build, only those published by then."""
    rows = _source_rows(data_dir)
    if as_of:
        rows, _ = split_sources(rows, as_of)
    keys = ("title", "publisher", "published", "source_id", "url", "url_kind")
    sources = [Source(*(row.get(k) or "" for k in keys)) for row in rows]
    # A title is quoted as printed, its typos marked as the source's ("Rssia [sic]").
    typos = typos_in(Path(data_dir))
    sources = [dataclasses.replace(s, title=with_sic(s.title, typos)) for s in sources]
    # Dates as the rest of the page writes them ("11 January 2021"); others as given.
    return [dataclasses.replace(s, published=_readable_date(s.published)) for s in sources]


def _readable_date(text: str) -> str:
    """``2021-01-11`` as ``11 January 2021``; anything else unchanged.

    >>> _readable_date("2021-01-11"), _readable_date("2021"), _readable_date("")
    ('11 January 2021', '2021', '')
    """
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day:%B %Y}"


def page(cfg, manifest: Manifest, plans: list[Plan], data: dict[str, str], failed) -> IndexPage:
    """What the index of this build shows (``cfg``: a :class:`~.build.BuildConfig`)."""
    return IndexPage(
        as_of=cfg.as_of,
        entries=[entry_for(p, manifest, cfg.out_dir, failed, cfg.as_of) for p in plans],
        sources=read_sources(cfg.data_dir, cfg.as_of),
        fingerprint=fingerprint.of_snapshot(data),
        data_files=len(data),
        data_name=cfg.data_dir.name,
        primer=primer_module.build(cfg.data_dir, cfg.as_of),
        as_of_banner=as_of_banner(_source_rows(cfg.data_dir), cfg.as_of),
    )


def render(index: IndexPage) -> str:
    """The index page as HTML (imports Jinja only when a page must be written)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = markdown_html
    env.filters["web_address"] = web_address
    env.filters["quoted"] = quoted
    return env.get_template(TEMPLATE).render(page=index, as_of_note=AS_OF_NOTE)


def web_address(url: str) -> tuple[str, str]:
    """``(address, its domain)`` for a link, or ``("", "")`` if it is not an http(s) address.

    >>> web_address("https://www.rferl.org/a/x.html")
    ('https://www.rferl.org/a/x.html', 'rferl.org')
    >>> web_address("https://president.az./en/articles/view/50070")[1]
    'president.az'
    >>> web_address("javascript:alert(1)")
    ('', '')
    """
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "", ""
    # "president.az." (a fully qualified name, as some sources write it) is "president.az".
    return url.strip(), parts.hostname.removeprefix("www.").rstrip(".")


def markdown_html(text: str):
    r"""A bottom line (Markdown, from a notebook) as HTML, with any HTML in it escaped.

    mistune (nbconvert's own Markdown renderer) escapes raw HTML and neutralises
    script links, so text from the data is shown, never run.

    >>> str(markdown_html("**2 claims**:\n- a <b>x</b>"))
    '<p><strong>2 claims</strong>:</p>\n<ul>\n<li>a &lt;b&gt;x&lt;/b&gt;</li>\n</ul>\n'
    >>> 'href="#harmful-link"' in markdown_html("[x](javascript:alert(1))")
    True
    """
    import mistune
    from markupsafe import Markup

    return Markup(mistune.create_markdown(escape=True)(text))
