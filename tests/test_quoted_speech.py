"""Words a source puts in a named speaker's mouth between quotation marks are a
quotation: each such stretch in a claim's passage has its row in quotes.csv (same source,
same speaker), so the comparison of voices counts it (round 7: Novosti-Armenia's lead
quotation of Pashinyan was counted as 0 words quoted).

The oracle is the CSV files, read here with the csv module.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
QUOTED = re.compile(r"«([^»]+)»|“([^”]+)”|‘([^’]+)’")


def _read(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def unrecorded(claims: list[dict], quotes: list[dict]) -> list[tuple[str, str]]:
    """(claim id, quoted words) for quoted speech of a named claimant with no quotes row.

    >>> claim = {"claim_id": "c", "attribution": "named", "claimant_id": "aliyev",
    ...          "source_id": "s", "passage": "He said it was ‘in the past’."}
    >>> unrecorded([claim], [])
    [('c', 'in the past')]
    >>> unrecorded([claim], [{"source_id": "s", "speaker_id": "aliyev", "text": "in the past"}])
    []
    """
    missing = []
    for c in claims:
        if c["attribution"] != "named" or not c["claimant_id"]:
            continue
        own = [
            q["text"].strip()
            for q in quotes
            if q["source_id"] == c["source_id"] and q["speaker_id"] == c["claimant_id"]
        ]
        for m in QUOTED.finditer(c["passage"]):
            words = next(g for g in m.groups() if g).strip().rstrip(".,")
            if not any(t and (t in words or words in t) for t in own):
                missing.append((c["claim_id"], words))
    return missing


def test_the_check_fails_on_a_quotation_counted_as_reported_speech():
    claims = [c for c in _read("claims.csv") if c["claim_id"] == "newsarmenia-pows"]
    others = [q for q in _read("quotes.csv") if q["source_id"] != "newsarmenia-2021-01-11"]
    assert [cid for cid, _ in unrecorded(claims, others)] == ["newsarmenia-pows"]


def test_every_quoted_stretch_of_a_named_claimant_is_a_quotation():
    claims = _read("claims.csv")
    assert any(QUOTED.search(c["passage"]) for c in claims)  # the class is live
    assert unrecorded(claims, _read("quotes.csv")) == []
