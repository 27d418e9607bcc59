"""Tables for readers: one style in every report, every cell shown as text.

pandas' own display right-aligns prose, adds an index column, cuts long cells
with "…" and prints addresses as plain text. :func:`show` (or :class:`Table`)
instead gives:

* a reader's header for each field of the data (its ``title`` in
  ``datapackage.json``: ``source_id`` is "Source"), sources named by outlet, not id;
* text left-aligned, numbers right-aligned (with thousands separators), no index
  column (a named index becomes the first column);
* the reader's ``columns`` on the page; with ``export=``, every column in a
  formula-safe CSV beside the report, linked under the table;
* row ids in the data's notes ("(reference tass-2020-10-03)") as the outlet, claim or
  place they name (:mod:`helpers.views.mentions`), linked where there is an address;
* web addresses as short links named by their domain (or by another column,
  ``link_text={"url": "title"}``), or a column's text made a link to the address in
  another (``links={"title": "url"}``, so the address column can stay in the export
  only): only ``http``/``https`` addresses become links;
* a sentence (``empty=``) instead of a table with no rows;
* the markup the report template styles: wide tables scroll inside their own box
  with a visible cue, and on a phone each row becomes a card of label: value lines.

Every text from the data is escaped: a ``<script>`` in a source is shown, never run
(the markup is a Jinja template rendered with autoescape, :func:`helpers.views.html.render`).

>>> import pandas as pd
>>> frame = pd.DataFrame({"who": ["<b>A</b>"], "n": [2802], "url": ["https://www.aa.com.tr/x"]})
>>> html = Table(frame)._repr_html_()
>>> "&lt;b&gt;A&lt;/b&gt;" in html, '<td class="num" data-label="N">2,802</td>' in html
(True, True)
>>> '<a href="https://www.aa.com.tr/x">aa.com.tr</a>' in html
True
>>> Table(frame.iloc[0:0], empty="No rows match.")._repr_html_()
'<p class="kit-table-empty">No rows match.</p>'
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from .html import Markup, render
from .links import link_to, linked

#: Said above a table whose box is narrower than the table (shown by the report page, with
#: a fade at the edge where the table is cut).
SCROLL_CUE = "This table is wider than the page: scroll it sideways for more columns →"

#: A table's markup: the report template styles it (one style in every report). Only
#: cells built here from escaped pieces (:class:`~markupsafe.Markup`) pass as HTML. A
#: captioned table's box is a landmark (region) named by its caption; one without a
#: caption is a group (a landmark needs a name of its own).
TABLE = """\
<div class="kit-table">\
<p class="kit-table-cue" aria-hidden="true">{{ cue }}</p>\
<div class="kit-table-frame"><div class="kit-table-scroll" \
role="{{ 'region' if caption else 'group' }}" tabindex="0" aria-label="{{ caption or 'Table' }}">\
<table>{% if caption %}<caption>{{ caption }}</caption>{% endif %}<thead><tr>
{%- for c in columns %}<th scope="col"{% if c.numeric %} class="num"{% endif %}>{{ c.name }}</th>
{%- endfor %}</tr></thead><tbody>
{%- for row in rows %}<tr>
{%- for c, cell in row %}<td{% if c.numeric %} class="num"{% endif %} data-label="{{ c.name }}">\
{{ cell }}</td>{% endfor %}</tr>
{%- endfor %}</tbody></table></div></div>
{%- if export %}<p class="kit-table-note">The page shows {{ export.which }}; all of them are in \
<a href="{{ export.href }}">{{ export.name }}</a> (CSV, safe to open in a spreadsheet).</p>
{%- endif %}</div>"""
#: What a table with no rows shows instead.
EMPTY = '<p class="kit-table-empty">{{ text }}</p>'


@functools.lru_cache(maxsize=4)
def field_titles(package: Path) -> dict[str, str]:
    """Each field's reader title from a data package descriptor (``title`` in its Table
    Schema): one metadata source names the columns in the data dictionary and on the page.

    >>> from helpers import paths
    >>> field_titles(paths.DATA_DIR / "datapackage.json")["source_id"]
    'Source'
    """
    if not package.is_file():
        return {}
    titles: dict[str, str] = {}
    for resource in json.loads(package.read_text(encoding="utf-8")).get("resources", []):
        for field in resource.get("schema", {}).get("fields", []):
            if field.get("title"):
                titles.setdefault(field["name"], field["title"])
    return titles


def header(column) -> str:
    """A column's header on the page: the data package's title for a field of the data
    (``source_id`` is "Source"), else the column's own name (already a reader's words).

    >>> header("neutral_alternative"), header("how checked")
    ("The kit's neutral wording", 'How checked')
    """
    from .. import paths

    name = str(column)
    name = field_titles(paths.data_dir().resolve() / "datapackage.json").get(name, name)
    # Headers begin with a capital, as the data package's titles do.
    return name[:1].upper() + name[1:]


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value))


def number(value) -> str:
    """A number as a reader writes it: thousands separated, no trailing ``.0``.

    >>> number(2802), number(5000.0), number(0.25), number(float("nan"))
    ('2,802', '5,000', '0.25', '')
    """
    if _missing(value):
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


class Table:
    """A table for a report page (see the module's docstring); display it, or call :func:`show`.

    ``columns``: the reader's columns, in order (default: all). ``export``: a path
    (relative ones inside :func:`helpers.paths.output_dir`) to write every column to
    as CSV. ``empty``: the sentence shown when there are no rows. ``caption``: what
    the table is, for screen readers and the scroll box's label.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        columns: list[str] | None = None,
        *,
        export: str | Path | None = None,
        empty: str = "No rows.",
        caption: str = "",
        link_text: dict[str, str] | None = None,
        links: dict[str, str] | None = None,
    ):
        if frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex):
            if frame.index.name is not None:
                frame = frame.reset_index()
            else:
                frame = frame.reset_index(drop=True)
        missing = [c for c in columns or [] if c not in frame.columns]
        if missing:
            raise KeyError(f"no column {missing} in the table (it has {list(frame.columns)})")
        self.frame = frame
        self.columns = list(columns) if columns else list(frame.columns)
        self.empty = empty
        self.caption = caption
        self.link_text = dict(link_text or {})
        self.links = dict(links or {})
        unknown = [c for c in self.links.values() if c not in frame.columns]
        if unknown:
            raise KeyError(f"no column {unknown} in the table (it has {list(frame.columns)})")
        self.export = self._write(export) if export is not None else None

    def _write(self, export) -> Path:
        from .. import paths
        from ..data.export import write_csv

        path = Path(export)
        if not path.is_absolute():
            path = paths.output_dir() / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_csv(self.frame, path)

    def _cell(self, row, column: str, numeric: bool) -> Markup:
        from .mentions import readable_html

        value = row[column]
        if numeric:
            return Markup(render("{{ n }}", n=number(value)))
        if column in self.links:
            return Markup(link_to(value, row[self.links[column]]))
        label_column = self.link_text.get(column)
        label = None if label_column is None or _missing(row[label_column]) else row[label_column]
        if isinstance(value, (list, tuple)):
            value = "; ".join(map(str, value))
        if label is not None:
            return Markup(linked(value, label=str(label)))
        # The data's notes cite rows by id: a reader sees the outlet or row named instead.
        return Markup(readable_html("" if _missing(value) else str(value)))

    def _export(self) -> dict | None:
        """What the note under the table says about the CSV export (``None``: no export)."""
        if self.export is None:
            return None
        from .. import paths

        try:
            href = self.export.relative_to(paths.output_dir()).as_posix()
        except ValueError:
            href = self.export.name
        shown, total = len(self.columns), len(self.frame.columns)
        which = f"{shown} of its {total} columns" if shown < total else "every column"
        return {"which": which, "href": href, "name": self.export.name}

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return render(EMPTY, text=self.empty)
        columns = [
            {"key": c, "name": header(c), "numeric": _numeric(self.frame[c])} for c in self.columns
        ]
        rows = [
            [(c, self._cell(row, c["key"], c["numeric"])) for c in columns]
            for _, row in self.frame.iterrows()
        ]
        return render(
            TABLE,
            columns=columns,
            rows=rows,
            caption=self.caption,
            cue=SCROLL_CUE,
            export=self._export(),
        )

    def __str__(self) -> str:
        if self.frame.empty:
            return self.empty
        return self.frame[self.columns].to_string(index=False)

    __repr__ = __str__


#: The most rows a plain DataFrame shows on a report page (the rest: say so).
MAX_ROWS = 200


def frame_html(frame: pd.DataFrame) -> str:
    """A plain DataFrame (a cell's value) as the reports show every table: a :class:`Table`.

    Its first :data:`MAX_ROWS` rows, every text whole, a named index as a column; the
    report build makes this the HTML of every DataFrame a notebook shows.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"excerpt": ["x" * 80]}, index=pd.Index(["a"], name="id"))
    >>> html = frame_html(frame)
    >>> "x" * 80 in html and '<th scope="col">Id</th>' in html and "…" not in html
    True
    >>> "first 200 of its 250 rows" in frame_html(pd.DataFrame({"n": range(250)}))
    True
    """
    if len(frame) <= MAX_ROWS:
        return Table(frame)._repr_html_()
    shown = Table(frame.head(MAX_ROWS))._repr_html_()
    note = render(
        '<p class="kit-table-note">The page shows the first {{ n }} of its {{ total }} rows.</p>',
        n=MAX_ROWS,
        total=len(frame),
    )
    return shown + note


def use_for_dataframes() -> None:
    """Show every DataFrame left as a cell's value as :func:`frame_html` does: no
    index-name row, no right-aligned prose, no cell cut short with "…", links for
    addresses, cards on a phone. Each notebook calls this in its first cell that uses
    the kit, so a table looks the same in JupyterLab as in the report. Registered by the
    class's module name: "pandas" from pandas 3, "pandas.core.frame" before."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    ip = get_ipython()
    if ip is None:
        return
    formatter = ip.display_formatter.formatters["text/html"]
    for module in ("pandas", "pandas.core.frame"):
        formatter.for_type_by_name(module, "DataFrame", frame_html)


def show(frame: pd.DataFrame, columns: list[str] | None = None, **kwargs) -> None:
    """Display ``frame`` as a :class:`Table` (same arguments), e.g. inside a loop.

    A cell may also end with ``Table(...)``, which displays itself.

    >>> import pandas as pd
    >>> show(pd.DataFrame({"a": []}), empty="Nothing here.")
    Nothing here.
    """
    from IPython.display import display

    display(Table(frame, columns, **kwargs))
