"""A copy of the dataset whose text is hostile, that ``helpers.load()`` still accepts.

Every payload that could run sets ``window.__pwned`` (to a name saying which one
ran), so a browser test can tell "nothing executed" from "the test saw nothing".
Payloads go into free-text columns (appended, so rows stay recognisable) and into
a test-only source text, so they also reach passages and quotes. Some cells start
with a spreadsheet formula character, for the CSV export checks.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

from helpers import paths

#: Payloads that would set ``window.__pwned`` if a page ran them as HTML or script.
SCRIPT_PAYLOADS = [
    "<img src=x onerror=\"window.__pwned='img'\">",
    "</script><script>window.__pwned='script'</script>",
    '"><svg onload="window.__pwned=\'svg\'">',
    "'><img src=x onerror=window.__pwned='attr'>",
    "<a href=\"javascript:window.__pwned='href'\">click me</a>",
    "<iframe src=\"javascript:parent.__pwned='frame'\"></iframe>",
    "<style>body{display:none !important}</style>",
    "javascript:window.__pwned='jsurl'",
    # folium puts popup and tooltip HTML inside JavaScript template literals.
    "`+(window.__pwned='backtick')+`",
    "${window.__pwned='template'}",
    "\\u{110000} \\x",
]
#: Text that must come through intact: scripts, right-to-left, emoji.
SCRIPT_TEXT = [
    "Ստեփանակերտ / Xankəndi — Şuşa, Ağdam, Füzuli, Ağdərə 🕊️🇦🇿🇦🇲",
    "مرحبا بالعالم \u202egnirts desrever\u202c שלום עולם",
    "{{7*7}} ${7*7} <%= 7*7 %> &amp; &lt;b&gt;",
]
PAYLOADS = SCRIPT_PAYLOADS + SCRIPT_TEXT
#: The marker a test looks for as literal text in a page.
MARKER = SCRIPT_PAYLOADS[0]
#: Cells a spreadsheet would run as formulas.
FORMULAS = [
    '=HYPERLINK("http://127.0.0.1/x","click")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
]
LONG_WORDS = " ".join(["longword"] * 600)
LONG_TOKEN = "X" * 400  # no break opportunity: the layout must still hold

#: Free-text columns that ``helpers.load()`` does not check against anything.
FREE_TEXT = {
    "sources": ["title", "publisher", "published_basis", "outlet_kind", "perspective", "copyright"],
    "references": ["publisher", "title", "note"],
    "actors": ["name", "role", "note"],
    "places": ["name", "name_az", "name_hy", "name_ru", "other_names", "coord_source", "note"],
    "events": ["label", "date_basis", "note"],
    "event_reports": ["wording", "date_basis", "claimant", "framing_note"],
    "claims": ["subject", "value_as_worded", "claimant", "statement", "caveat", "framing_note"],
    "quotes": ["note"],
    "topics": ["topic"],
    "glossary": ["whose_framing", "neutral_alternative", "explanation"],
}
#: (table, column) cells that start with a formula character, one per row in turn.
FORMULA_CELLS = [
    ("claims", "caveat"),
    ("glossary", "neutral_alternative"),
    ("references", "note"),
    ("places", "note"),
]

HOSTILE_SOURCE_ID = "hostile-test-source"
HOSTILE_SENTENCE = f"The hostile sentence {MARKER} says {SCRIPT_TEXT[0]}."
HOSTILE_QUOTE = f"We quote {SCRIPT_PAYLOADS[1]} and {SCRIPT_TEXT[1]}"
HOSTILE_TEXT = (
    "Test-only source text; not an article.\n\n"
    f"{HOSTILE_SENTENCE}\n\n"
    f"“{HOSTILE_QUOTE},” he said.\n\n"
    # Sentences that start like formulas, for the review file of helpers.suggest.
    f"{FORMULAS[0]} Putin said on Monday that 5,000 people returned to Moscow.\n\n"
    f"{FORMULAS[3]} Aliyev said nearly 300 settlements were in Baku.\n\n"
    + "\n\n".join(PAYLOADS)
    + "\n"
)


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0].keys()) if rows else []
    for i, row in enumerate(rows):
        change(i, row)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _first(path: Path) -> dict:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.DictReader(fh))


def _append(path: Path, row: dict) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=header, lineterminator="\n").writerow(row)


def make_hostile_copy(destination: Path) -> Path:
    """Copy ``data/`` to ``destination`` and fill it with hostile text; return it."""
    shutil.copytree(paths.DATA_DIR, destination)
    for t_index, (table, columns) in enumerate(FREE_TEXT.items()):

        def change(i, row, columns=columns, t_index=t_index):
            for j, column in enumerate(columns):
                payload = PAYLOADS[(i + j + t_index) % len(PAYLOADS)]
                row[column] = f"{row[column]} {payload}".strip()

        _rewrite(destination / f"{table}.csv", change)

    for k, (table, column) in enumerate(FORMULA_CELLS):

        def change(i, row, column=column, k=k):
            row[column] = FORMULAS[(i + k) % len(FORMULAS)] + " " + row[column]

        _rewrite(destination / f"{table}.csv", change)

    def long_text(i, row):
        if i == 0:
            row["statement"] = f"{row['statement']} {LONG_WORDS} {LONG_TOKEN}"

    _rewrite(destination / "claims.csv", long_text)

    def js_url(i, row):
        # Each its own address: two references at one address are one document (refused).
        row["url"] = f"javascript:window.__pwned='refurl';//{i}" if i % 2 == 0 else row["url"]

    _rewrite(destination / "references.csv", js_url)

    # A test-only source whose passages carry payloads, cited by new rows.
    text_file = f"{HOSTILE_SOURCE_ID}.txt"
    data = HOSTILE_TEXT.encode("utf-8")
    (destination / "sources" / text_file).write_bytes(data)
    source = _first(destination / "sources.csv")
    source.update(
        source_id=HOSTILE_SOURCE_ID,
        title=f"Hostile test source {MARKER}",
        publisher=f"Test publisher {SCRIPT_TEXT[1]}",
        url="javascript:window.__pwned='srcurl'",
        text_file=text_file,
        text_sha256=hashlib.sha256(data).hexdigest(),
    )
    _append(destination / "sources.csv", source)

    claim = _first(destination / "claims.csv")
    claim.update(
        claim_id="hostile-claim",
        source_id=HOSTILE_SOURCE_ID,
        passage=HOSTILE_SENTENCE,
        statement=f"Hostile claim {MARKER}",
        subject=f"hostile subject {SCRIPT_PAYLOADS[2]}",
    )
    _append(destination / "claims.csv", claim)

    quote = _first(destination / "quotes.csv")
    quote.update(
        quote_id="hostile-quote",
        text=HOSTILE_QUOTE,
        source_id=HOSTILE_SOURCE_ID,
        passage=HOSTILE_QUOTE,
        note=f"Hostile quote {SCRIPT_PAYLOADS[4]}",
    )
    _append(destination / "quotes.csv", quote)

    place = _first(destination / "places.csv")
    place.update(
        place_id="hostile-place",
        name=f"Hostile place {MARKER}",
        name_hy="Ստեփանակերտ",
        name_az="Xankəndi",
        other_names=SCRIPT_TEXT[1],
        kind="town",
        lat="40.05",
        lon="46.05",
        coord_kind="point",
        where_prec="2",
        parent_id="",
        geonames_id="",
        origin="article",
        source_id=HOSTILE_SOURCE_ID,
        passage=HOSTILE_SENTENCE,
        reference_id="",
        note=f"{SCRIPT_PAYLOADS[2]} {SCRIPT_PAYLOADS[1]}",
    )
    _append(destination / "places.csv", place)
    return destination
