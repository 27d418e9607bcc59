"""A claim in the kit's words names who makes it once (helpers.views.provenance.attributed).

Checked over every row of data/claims.csv, read with the csv module: the sentence shown
for a claim names its teller (a word of the claimant's name or of the source's
publisher), and when the kit adds a teller of its own ("X says that ...") the row's
statement names none already, so no sentence reads "Putin says that RIA Novosti quotes
Putin".
"""

from __future__ import annotations

import csv
import re

import pytest

from helpers import paths
from helpers.views.provenance import attributed

#: Words of a claimant's description that name no one.
NOT_NAMES = {"in", "its", "own", "voice", "the", "their", "and", "as", "his", "her", "him"}
NOT_NAMES |= {"reports", "reporting", "outlet's", "unnamed", "said", "was", "hieß", "es", "it"}


def _rows(name: str) -> list[dict]:
    with open(paths.DATA_DIR / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _words(text: str) -> set[str]:
    return {w.strip("'") for w in re.findall(r"[\w']+", text.lower()) if len(w) > 2} - NOT_NAMES


def _names(claim: dict, publishers: dict[str, str]) -> set[str]:
    """Words that name the claim's teller: the claimant's, and the source's publisher's."""
    return _words(claim["claimant"]) | _words(publishers.get(claim["source_id"], ""))


def _one_teller(claim: dict, publishers: dict[str, str]) -> list[str]:
    """What is wrong with the sentence shown for ``claim`` (empty when nothing is)."""
    statement = " ".join(claim["statement"].split())
    shown = attributed({**claim, "claimant": claim["claimant"] or None}, "sentence")
    names = _names(claim, publishers)
    problems = []
    if not names & _words(shown) and not {"agency", "article", "outlet"} & _words(shown):
        problems.append(f"names no teller: {shown}")
    added = not shown.lower().startswith(statement.lower()[:20])  # "X says that ..."
    if added and names & _words(statement):
        problems.append(f"names its teller twice: {shown}")
    return problems


def test_every_claim_is_shown_with_one_teller():
    publishers = {s["source_id"]: s["publisher"] for s in _rows("sources")}
    found = [p for c in _rows("claims") for p in _one_teller(c, publishers)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "statement, claimant",
    [
        ("RIA Novosti quotes Putin as naming the next steps.", "Vladimir Putin"),
        ("At least 10 soldiers were killed.", "Agency X"),
    ],
)
def test_the_check_can_fail(statement, claimant, monkeypatch):
    claim = {"statement": statement, "claimant": claimant, "attribution": "named", "source_id": ""}
    assert _one_teller(claim, {}) == []
    # With a sentence that doubles its teller, the check reports it.
    import helpers.views.provenance as provenance

    monkeypatch.setattr(provenance, "_ATTRIBUTION_CUE", re.compile(r"(?!x)x"))
    doubled = _one_teller(claim, {})
    assert bool(doubled) == ("Putin" in statement), doubled
