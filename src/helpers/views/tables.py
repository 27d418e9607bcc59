"""Tables for readers: one style in every report, every cell shown as text.

pandas' own display right-aligns prose, adds an index column, cuts long cells
with "…" and prints addresses as plain text. :func:`show` (or :class:`Table`)
instead gives:

* text left-aligned, numbers right-aligned (with thousands separators), no index
  column (a named index becomes the first column);
* the reader's ``columns`` on the page; with ``export=``, every column in a
  formula-safe CSV beside the report, linked under the table;
* web addresses as short links named by their domain (or by another column,
  ``link_text={"url": "title"}``): only ``http``/``https`` addresses become links;
* a sentence (``empty=``) instead of a table with no rows;
* the markup the report template styles: wide tables scroll inside their own box
  with a visible cue, and on a phone each row becomes a card of label: value lines.

Every text from the data is escaped: a ``<script>`` in a source is shown, never run.

>>> import pandas as pd
>>> frame = pd.DataFrame({"who": ["<b>A</b>"], "n": [2802], "url": ["https://www.aa.com.tr/x"]})
>>> html = Table(frame)._repr_html_()
>>> "&lt;b&gt;A&lt;/b&gt;" in html, '<td class="num" data-label="n">2,802</td>' in html
(True, True)
>>> '<a href="https://www.aa.com.tr/x">aa.com.tr</a>' in html
True
>>> Table(frame.iloc[0:0], empty="No rows match.")._repr_html_()
'<p class="kit-table-empty">No rows match.</p>'
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

#: An address in text: http(s) only, up to whitespace or a character that cannot end it.
URL = re.compile(r"https?://[^\s<>\"'）)\]]+[^\s<>\"'）)\].,;:!?]")
#: Said under a table whose box is narrower than the table (shown by the report page).
SCROLL_CUE = "Scroll sideways in the table for more columns →"


def domain(url: str) -> str:
    """The address's host without ``www.``: how a link is named when nothing better is given.

    >>> domain("https://www.president.az/en/articles/view/50113")
    'president.az'
    >>> domain("https://president.az./en/articles/view/50070")
    'president.az'
    """
    host = urlsplit(url).hostname or url
    # "president.az." (a fully qualified name, as some sources write it) is "president.az".
    return host.removeprefix("www.").rstrip(".")


def linked(text, label: str | None = None) -> str:
    """``text`` as HTML: escaped, with each web address made a short link.

    >>> linked("see https://en.kremlin.ru/events/64859 and <this>")
    'see <a href="https://en.kremlin.ru/events/64859">en.kremlin.ru</a> and &lt;this&gt;'
    >>> linked("javascript:alert(1)")
    'javascript:alert(1)'
    >>> linked("https://x.org/a", label="The <title>")
    '<a href="https://x.org/a">The &lt;title&gt;</a>'
    """
    text = "" if _missing(text) else str(text)
    out, end = [], 0
    for match in URL.finditer(text):
        url = match.group(0)
        name = label if label and match.span() == (0, len(text)) else domain(url)
        # Quotes escaped too, as the kit's html_text does: the text is safe anywhere.
        out.append(html.escape(text[end : match.start()]))
        out.append(f'<a href="{html.escape(url)}">{html.escape(name)}</a>')
        end = match.end()
    out.append(html.escape(text[end:]))
    return "".join(out)


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
        self.export = self._write(export) if export is not None else None

    def _write(self, export) -> Path:
        from .. import paths
        from ..data.export import write_csv

        path = Path(export)
        if not path.is_absolute():
            path = paths.output_dir() / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_csv(self.frame, path)

    def _cell(self, row, column: str, numeric: bool) -> str:
        value = row[column]
        if numeric:
            return html.escape(number(value))
        label_column = self.link_text.get(column)
        label = None if label_column is None or _missing(row[label_column]) else row[label_column]
        if isinstance(value, (list, tuple)):
            value = "; ".join(map(str, value))
        return linked(value, label=str(label) if label is not None else None)

    def _export_note(self) -> str:
        if self.export is None:
            return ""
        from .. import paths

        try:
            href = self.export.relative_to(paths.output_dir()).as_posix()
        except ValueError:
            href = self.export.name
        shown = len(self.columns)
        total = len(self.frame.columns)
        which = f"{shown} of its {total} columns" if shown < total else "every column"
        return (
            f'<p class="kit-table-note">The page shows {which}; all of them are in '
            f'<a href="{html.escape(href)}">{html.escape(self.export.name)}</a> '
            "(CSV, safe to open in a spreadsheet).</p>"
        )

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return f'<p class="kit-table-empty">{html.escape(self.empty, quote=False)}</p>'
        numeric = {c: _numeric(self.frame[c]) for c in self.columns}
        num = {c: ' class="num"' if numeric[c] else "" for c in self.columns}
        head = "".join(f'<th scope="col"{num[c]}>{html.escape(str(c))}</th>' for c in self.columns)
        rows = []
        for _, row in self.frame.iterrows():
            cells = "".join(
                f'<td{num[c]} data-label="{html.escape(str(c))}">'
                f"{self._cell(row, c, numeric[c])}</td>"
                for c in self.columns
            )
            rows.append(f"<tr>{cells}</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        label = html.escape(self.caption or "Table", quote=True)
        return (
            '<div class="kit-table">'
            f'<div class="kit-table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            "</div>"
            f'<p class="kit-table-cue" aria-hidden="true">{SCROLL_CUE}</p>'
            f"{self._export_note()}</div>"
        )

    def __str__(self) -> str:
        if self.frame.empty:
            return self.empty
        return self.frame[self.columns].to_string(index=False)

    __repr__ = __str__


def show(frame: pd.DataFrame, columns: list[str] | None = None, **kwargs) -> None:
    """Display ``frame`` as a :class:`Table` (same arguments), e.g. inside a loop.

    A cell may also end with ``Table(...)``, which displays itself.

    >>> import pandas as pd
    >>> show(pd.DataFrame({"a": []}), empty="Nothing here.")
    Nothing here.
    """
    from IPython.display import display

    display(Table(frame, columns, **kwargs))
