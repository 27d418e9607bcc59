"""Notebook 04's report as a reader opens it: the framing marks are on screen.

The oracle is the data read without the kit's code: every (wording, source) pair whose
wording from glossary.csv (words for the place, the war and its outcome) occurs, as whole
words in any case, in the source's stored text. Each such pair is one ● a reader must
see at 1366 px without scrolling sideways; on a phone the table becomes cards.
"""

from __future__ import annotations

import csv
import re

import pytest

from helpers import paths

from .kit_browser import PHONE, open_watched

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FRAMING = ("naming", "loaded_term", "one_sided_account")

#: Each ● in the framing view: where it is drawn, and the visible box of its scroll region.
MARKS_JS = """() => {
  const region = document.querySelector('[aria-label="framing words"]');
  if (!region) return null;
  const box = region.getBoundingClientRect();
  const marks = [];
  const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const cell = n.parentElement.closest('td, li');
    if (!n.textContent.includes('\u25cf') || !cell) continue;  // the caption's key is no mark
    const r = n.parentElement.getBoundingClientRect();
    marks.push({left: r.left, right: r.right, text: cell.innerText.slice(0, 60)});
  }
  return {marks, box: {left: box.left, right: Math.min(box.right, window.innerWidth)}};
}"""


def _expected_marks() -> int:
    with (paths.DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        files = [r["text_file"] for r in csv.DictReader(handle)]
    texts = [(paths.DATA_DIR / "sources" / f).read_text(encoding="utf-8") for f in files]
    with (paths.DATA_DIR / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        terms = {
            r["term"]
            for r in csv.DictReader(handle)
            if r["category"] in FRAMING and len(r["term"].split()) <= 8
        }
    count = 0
    for term in terms:
        pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
        count += sum(1 for text in texts if pattern.search(text))
    return count


def marks_off_screen(page) -> tuple[list, int]:
    """The marks drawn outside the visible part of their box, and how many marks there are."""
    found = page.evaluate(MARKS_JS)
    assert found is not None, "no framing view on the page"
    box = found["box"]
    off = [
        m for m in found["marks"] if m["left"] < box["left"] - 1 or m["right"] > box["right"] + 1
    ]
    return off, len(found["marks"])


def test_every_framing_mark_is_on_screen_at_desktop_width(kit_build, chromium):
    watched = open_watched(chromium, viewport={"width": 1366, "height": 900})
    try:
        page = watched.page
        page.goto((kit_build.reports_dir / "04-how-each-told-it.html").as_uri(), wait_until="load")
        off, count = marks_off_screen(page)
        assert count == _expected_marks() > 0
        assert off == [], f"{len(off)} of {count} marks need a sideways scroll: {off[:3]}"
    finally:
        watched.page.context.close()


def test_the_framing_view_is_cards_on_a_phone(kit_build, chromium):
    watched = open_watched(chromium, **PHONE)
    try:
        page = watched.page
        page.goto((kit_build.reports_dir / "04-how-each-told-it.html").as_uri(), wait_until="load")
        off, count = marks_off_screen(page)
        assert count == _expected_marks() and off == []
        rows = page.evaluate(
            """() => [...document.querySelectorAll('[aria-label="framing words"] tbody tr')]
                 .map(r => ({display: getComputedStyle(r).display,
                             right: r.getBoundingClientRect().right}))"""
        )
        assert rows and all(r["display"] == "block" and r["right"] <= 390 for r in rows), rows
    finally:
        watched.page.context.close()


#: Each card table's scroll box on the page: whether it is wider than its frame, whether
#: the "scroll sideways" cue shows, and each mark cell's mark against the visible box.
CARDS_JS = """() => [...document.querySelectorAll('.kit-table-scroll')]
  .filter(box => box.querySelector('table.kit-cards')).map(box => {
    const frame = box.getBoundingClientRect();
    const right = Math.min(frame.right, window.innerWidth);
    const cue = box.closest('.kit-table').querySelector('.kit-table-cue');
    const marks = [...box.querySelectorAll('td')].map(m => {
      const r = m.getBoundingClientRect();
      return {text: m.textContent, left: r.left, right: r.right};
    });
    return {label: box.getAttribute('aria-label'),
            wider: box.scrollWidth > box.clientWidth + 1,
            cue: !!cue && getComputedStyle(cue).display !== 'none',
            off: marks.filter(m => m.left < frame.left - 1 || m.right > right + 1).length,
            marks: marks.length};
  })"""


#: The card tables whose cells are marks (✓ ○ – in coverage, ● in framing).
MARKED = ("coverage matrix", "framing words")


def card_problems(page) -> list[str]:
    """Card tables wider than the page, showing the sideways cue, or with marks cut off."""
    problems = []
    for table in page.evaluate(CARDS_JS):
        if table["wider"] or table["cue"] or table["off"]:
            problems.append(table)
    return problems


def test_the_card_tables_fit_a_phone(kit_build, chromium):
    """V15: on a phone every card table (coverage, framing) fits the page: no sideways
    scroll, no false "scroll sideways" cue, every mark (✓, ○, –, ●) on screen."""
    watched = open_watched(chromium, **PHONE)
    try:
        page = watched.page
        page.goto((kit_build.reports_dir / "04-how-each-told-it.html").as_uri(), wait_until="load")
        tables = page.evaluate(CARDS_JS)
        labels = {t["label"] for t in tables}
        assert set(MARKED) <= labels, labels
        assert all(t["marks"] > 0 for t in tables if t["label"] in MARKED), tables
        assert card_problems(page) == []
    finally:
        watched.page.context.close()


def test_the_card_check_can_fail(chromium):
    """A card whose cell name may not wrap (the old rule) is wider than a phone's page."""
    watched = open_watched(chromium, **PHONE)
    try:
        page = watched.page
        page.set_content(
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<div class='kit-table'><p class='kit-table-cue'>scroll</p>"
            "<div class='kit-table-frame'><div class='kit-table-scroll' aria-label='t' "
            "style='overflow-x:auto'><table class='kit-cards' style='display:block'><tbody "
            "style='display:block'><tr style='display:block'><td data-label='x' "
            "style='display:flex'><span style='flex:none'>"
            + "a-very-long-name-of-a-fact-that-may-not-wrap-at-all " * 3
            + "</span><a href='#p'>✓</a></td></tr></tbody></table></div></div></div>"
        )
        assert card_problems(page)
    finally:
        watched.page.context.close()
