"""The index's primer: the war and the meeting in a few sentences, each one cited.

Every sentence names the rows of ``data/event_reports.csv`` (or, for who held what,
of ``data/control_changes.csv``) it rests on; the index prints each row's verbatim
passage (from the article) or excerpt (from a dated outside reference) as a numbered
note, with who published it, when, and a link where the reference has an address.
``facts`` lists the dates and figures the sentence states: each must be found in a cited
row's text or in the dates ``data/events.csv`` records for the cited rows' events (a
change row: its own dates) (a test checks this against the data, so a sentence cannot
drift from its evidence).

In an as-of build a sentence is shown only if every row it cites was published by
that day, counted as the as-of dataset counts it (:func:`last_day`): the primer cannot
know more than the build does.

Standard library only: the index is written without pandas.

>>> [s.cites for s in SENTENCES][-1]
('r-meeting-aa', 'r-meeting-statement')
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..text.quoting import quoted, typos_in, with_sic


@dataclass(frozen=True)
class Sentence:
    """One sentence of the primer in the kit's voice, the rows it cites, the facts it states."""

    text: str
    cites: tuple[str, ...]
    facts: tuple[str, ...] = ()


SENTENCES = (
    Sentence(
        "Large-scale fighting for control of Nagorno-Karabakh and seven adjacent territories "
        "took place in 1992–1994, and a Russian-drafted ceasefire took effect at midnight on "
        "12 May 1994.",
        ("r-takeover-tass", "r-ceasefire-1994-arminfo"),
        ("1992-1994", "May 12", "seven adjacent territories"),
    ),
    Sentence(
        "From that ceasefire on, Nagorno-Karabakh and several adjacent regions were under the "
        "control of Karabakh Armenian forces, as an Armenian news agency still reported in "
        "September 2019.",
        ("held-since-1994",),
        (
            "1994-05-12",
            "several adjacent regions",
            "under the control of Armenian forces",
            "2019-09",
        ),
    ),
    Sentence(
        "In March 1992 the Conference on Security and Co-operation in Europe (CSCE) agreed "
        "that it must play a major role in promoting a peace process.",
        ("r-minsk-osce",),
        ("1992-03", "peace process"),
    ),
    Sentence(
        "Heavy fighting broke out again on 27 September 2020, each side saying the other "
        "attacked first.",
        ("r-war-tass", "r-clashes-ap"),
        ("September 27", "Azerbaijan said the Armenian side attacked"),
    ),
    Sentence(
        "Three humanitarian truces in October 2020 were each followed by accusations from both "
        "sides that the other had broken it.",
        ("r-violated-rferl", "r-violated-taipei", "r-violated-afp"),
        ("October 10", "traded accusations", "accused each other"),
    ),
    Sentence(
        "By 26 October 2020 Azerbaijan had announced that its forces had taken the towns of "
        "Jabrayil, Hadrut, Fuzuli, Zangilan and Qubadli.",
        (
            "fighting-jabrayil",
            "fighting-hadrut",
            "fighting-fuzuli",
            "fighting-zangilan",
            "fighting-qubadli",
        ),
        ("2020-10-26", "Jabrayil", "Gadrut", "Fuzuli", "Zangilan", "Gubadli"),
    ),
    Sentence(
        "The leaders of Russia, Azerbaijan and Armenia signed a statement in the night of 9 "
        "to 10 November 2020 that declared a complete ceasefire from midnight Moscow time on "
        "10 November; it provides for 1,960 Russian peacekeepers and for the Agdam, Kalbajar "
        "and Lachin districts to pass to Azerbaijan.",
        (
            "r-agreement-signed-tass",
            "r-agreement-signed-azernews",
            "r-agreement-statement-am",
            "r-peacekeepers-statement",
            "r-agdam-deadline",
            "r-lachin-deadline",
        ),
        ("November 9", "00:00 Moscow time", "1,960", "Aghdam", "Kalbajar", "Lachin"),
    ),
    Sentence(
        "Azerbaijani forces entered Kalbajar on 25 November 2020; on 1 December Azerbaijan "
        "said its forces had entered Lachin, the last of the three districts to be handed over.",
        ("r-kalbajar", "r-lachin"),
        ("November 25", "2020-12-01", "the last of three"),
    ),
    Sentence(
        "The Karabakh Armenian side still held most of the former autonomous oblast, AFP "
        "reported on 1 December 2020, though not Shusha, which Azerbaijan's president had "
        "said on 8 November his forces had captured.",
        ("remainder-held", "fighting-shusha"),
        ("most of Karabakh's Soviet-era territory", "2020-12-01", "2020-11-08", "Shusha"),
    ),
    Sentence(
        "On 11 January 2021 the leaders of Russia, Azerbaijan and Armenia met in Moscow and "
        "backed a trilateral working group co-chaired by deputy prime ministers; Anadolu "
        "Agency's report of that meeting is the article this kit reads.",
        ("r-meeting-aa", "r-meeting-statement"),
        ("2021-01-11", "Moscow", "working group co-chaired by deputy prime ministers"),
    ),
)


@dataclass
class Note:
    """A cited row, as the index shows it."""

    number: int
    report_id: str
    text: str  # the verbatim passage or excerpt
    by: str  # publisher (and title) of the source or reference
    published: str
    url: str = ""


@dataclass
class Primer:
    sentences: list[tuple[str, list[int]]] = field(default_factory=list)  # text, note numbers
    notes: list[Note] = field(default_factory=list)


def _rows(path: Path, key: str) -> dict[str, dict]:
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


def _published(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def last_day(published: str, precision: str, checked_on: str = "") -> date | None:
    """The last day a row dated ``published`` at ``precision`` may have appeared.

    The as-of rule of :func:`helpers.data.as_of.last_days`, without pandas: a reference
    known to the month counts from the month's last day; one known only from below
    ("in or after 2012") from the day its copy was compared (``checked_on``).

    >>> last_day("2020-12-01", "month"), last_day("2013-01-01", "year")
    (datetime.date(2020, 12, 31), datetime.date(2013, 12, 31))
    >>> last_day("2012-01-01", "year_or_later", "2026-12-01"), last_day("", "day")
    (datetime.date(2026, 12, 1), None)
    """
    if (precision or "").endswith("_or_later"):
        return _published(checked_on)
    day = _published(published)
    if day is None or precision not in ("year", "month"):
        return day
    if precision == "year":
        return date(day.year, 12, 31)
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _say_date(value: str) -> str:
    day = _published(value)
    return f"{day.day} {day:%B} {day.year}" if day else "undated"


def cited_rows(data_dir: Path) -> dict[str, dict]:
    """Every event report and change of control with the text it quotes and who
    published it (by report id, or change id)."""
    reports = _rows(data_dir / "event_reports.csv", "report_id")
    reports |= _rows(data_dir / "control_changes.csv", "change_id")
    sources = _rows(data_dir / "sources.csv", "source_id")
    references = _rows(data_dir / "references.csv", "reference_id")
    typos = typos_in(Path(data_dir))
    out = {}
    for report_id, row in reports.items():
        if row.get("source_id") in sources:
            origin = sources[row["source_id"]]
            text = row.get("passage", "")
        elif row.get("reference_id") in references:
            origin = references[row["reference_id"]]
            text = row.get("excerpt", "")
        else:
            continue
        title = with_sic(origin.get("title", ""), typos)
        by = origin.get("publisher", "") + (f", {quoted(title)}" if title else "")
        out[report_id] = {
            "text": text,
            "by": by,
            "published": origin.get("published", ""),
            "last_day": last_day(
                origin.get("published", ""),
                origin.get("published_prec", "day"),
                origin.get("checked_on", ""),
            ),
            "url": origin.get("url", "") or "",
            "event_id": row.get("event_id", ""),
        }
    return out


def build(data_dir: Path, as_of: str | None = None) -> Primer:
    """The primer for the data in ``data_dir`` (sentences whose rows are all there)."""
    rows = cited_rows(Path(data_dir))
    cutoff = _published(as_of) if as_of else None
    primer, numbers = Primer(), {}
    for sentence in SENTENCES:
        cited = [rows.get(r) for r in sentence.cites]
        if not all(cited):
            continue
        # As the as-of dataset counts it: from the last day its dating allows; a row
        # with no date of publication is not known to any as-of view.
        if cutoff and any(c["last_day"] is None or c["last_day"] > cutoff for c in cited):
            continue
        refs = []
        for report_id, row in zip(sentence.cites, cited, strict=True):
            if report_id not in numbers:
                numbers[report_id] = len(numbers) + 1
                primer.notes.append(
                    Note(
                        numbers[report_id],
                        report_id,
                        row["text"],
                        row["by"],
                        _say_date(row["published"]),
                        row["url"],
                    )
                )
            refs.append(numbers[report_id])
        primer.sentences.append((sentence.text, refs))
    return primer
