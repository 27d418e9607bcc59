"""Every quotation the kit records, wherever it records it, one per stretch of words.

A quotation is a stretch of a speaker's words that a source prints as theirs: between
quotation marks in a report, or as the speaker's own words in a transcript. The kit
records one in ``quotes`` (the register: speaker, words, passage), and a quoted stretch
can also sit in the passage of a claim that names its speaker (``claims.claimant_id``)
or of a rendering whose ``form`` is ``quotation``. The same words recorded in several
places are one quotation; a passage lying inside a recorded quotation (a claim citing
its second sentence) is part of it, not a statement reported in the source's own words.

:func:`unattributed` lists the quoted stretches the kit holds (in a stored text or in
any row's passage) that no quotation of the same source covers, so no recorded
quotation goes uncounted for want of a speaker.

>>> import helpers
>>> table = recorded(helpers.load())
>>> sorted(table.loc[table["source_id"] == "ria-2021-01-11", "speaker_id"])
['putin']
"""

from __future__ import annotations

import re

import pandas as pd

#: A stretch between quotation marks, in the styles the sources use (« », “ ”, „ “, " ",
#: ‘ ’). An opening mark with no closing one runs to the end: a passage or stored text
#: cut inside a quotation. Straight single quotes are left out: they are apostrophes.
QUOTED = re.compile(
    r"«([^«»]+)(?:»|$)|“([^“”]+)(?:”|$)|„([^„“”]+)(?:[“”]|$)|\"([^\"]+)(?:\"|$)|‘([^‘’]+)(?:’|$)"
)

#: Tables whose rows carry a passage from a stored source (``source_id``, ``passage``).
PASSAGE_TABLES = (
    "quotes",
    "claims",
    "renderings",
    "event_reports",
    "glossary",
    "topics",
    "actors",
    "places",
)


def stretches(text) -> list[str]:
    """The quoted stretches of a text, without their marks and trailing commas or stops.

    >>> stretches('«Мы договорились», - заявил он. "Сегодня было бы важно')
    ['Мы договорились', 'Сегодня было бы важно']
    >>> stretches("He called it ‘in the past’, and Russia’s role “stable.”")
    ['in the past', 'stable']
    >>> stretches(None)
    []
    """
    if not isinstance(text, str):
        return []
    found = (next(g for g in m.groups() if g) for m in QUOTED.finditer(text))
    return [s for s in (g.strip().rstrip(".,;:").strip() for g in found) if s]


def word_count(text: str) -> int:
    """Words as a reader counts them: runs between spaces that hold a letter or digit (a
    dash between clauses is not a word; "48,000" and "cease-fire" are one each).

    >>> word_count("это – гуманитарный вопрос, 48,000 cease-fire")
    5
    """
    return sum(any(ch.isalnum() for ch in token) for token in str(text).split())


def _key(text: str) -> str:
    """Words only, lower case: the same stretch recorded with other marks or spacing."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _speakers(ds) -> pd.Series:
    return ds.quotes.set_index("quote_id")["speaker_id"]


def _candidates(ds) -> list[tuple[str, str, str, str]]:
    """(source, speaker, words, recorded in) for every attributed quotation record."""
    rows = []
    for q in ds.quotes.loc[ds.quotes["source_id"].notna()].itertuples(index=False):
        rows.append((q.source_id, q.speaker_id, str(q.text), f"quotes {q.quote_id}"))
    named = ds.claims.loc[
        (ds.claims["attribution"] == "named")
        & ds.claims["claimant_id"].notna()
        & ds.claims["source_id"].notna()
    ]
    for c in named.itertuples(index=False):
        for words in stretches(c.passage):
            rows.append((c.source_id, c.claimant_id, words, f"claims {c.claim_id}"))
    speakers = _speakers(ds)
    quoting = ds.renderings.loc[
        (ds.renderings["form"] == "quotation") & ds.renderings["source_id"].notna()
    ]
    for r in quoting.itertuples(index=False):
        speaker = speakers.get(r.quote_id)
        for words in stretches(r.passage) or [str(r.passage)]:
            rows.append((r.source_id, speaker, words, f"renderings {r.rendering_id}"))
    return rows


def recorded(ds) -> pd.DataFrame:
    """One row per distinct quotation: ``source_id``, ``speaker_id``, ``text``, ``words``
    and ``recorded_in`` (every record of it, "table id"). Records of one source and
    speaker whose words lie inside another's are the same quotation, kept once at its
    longest.

    >>> import helpers
    >>> t = recorded(helpers.load())
    >>> row = t.loc[t["source_id"] == "newsarmenia-2021-01-11"].iloc[0]
    >>> row["speaker_id"], "quotes q-newsarmenia-pows" in row["recorded_in"]
    ('pashinyan', True)
    """
    kept: list[dict] = []
    by_length = sorted(_candidates(ds), key=lambda r: -len(_key(r[2])))
    for source_id, speaker_id, words, where in by_length:
        key = _key(words)
        same = next(
            (
                k
                for k in kept
                if k["source_id"] == source_id
                and k["speaker_id"] == speaker_id
                and key in k["_key"]
            ),
            None,
        )
        if same is not None:
            same["recorded_in"].append(where)
            continue
        kept.append(
            {
                "source_id": source_id,
                "speaker_id": speaker_id,
                "text": words,
                "words": word_count(words),
                "recorded_in": [where],
                "_key": key,
            }
        )
    table = pd.DataFrame(
        kept, columns=["source_id", "speaker_id", "text", "words", "recorded_in", "_key"]
    )
    table["recorded_in"] = table["recorded_in"].map("; ".join)
    return table.drop(columns="_key")


def mostly_own_words(passage) -> bool:
    """Whether more of a passage's words stand outside quotation marks than inside them:
    a statement the source reports in its own words, perhaps quoting a word or two.

    >>> mostly_own_words("He said peace rests on the “principles” of international law.")
    True
    >>> mostly_own_words("«Мы договорились продолжать работу», - заявил он.")
    False
    """
    text = str(passage)
    inside = sum(len(_key(s).split()) for s in stretches(text))
    return len(_key(text).split()) - inside > inside


def inside_a_quotation(ds, source_id: str, speaker_id: str, passage) -> bool:
    """Whether a passage lies inside a recorded quotation of that source and speaker
    (a claim citing one sentence of a longer quotation).

    >>> import helpers
    >>> ds = helpers.load()
    >>> inside_a_quotation(ds, "ria-2021-01-11", "putin", "Имею в виду вопросы")
    True
    >>> inside_a_quotation(ds, "ria-2021-01-11", "aliyev", "Имею в виду вопросы")
    False
    """
    key = _key(str(passage))
    table = recorded(ds)
    mine = table.loc[(table["source_id"] == source_id) & (table["speaker_id"] == speaker_id)]
    return bool(key) and any(key in _key(t) for t in mine["text"])


def unattributed(ds) -> list[tuple[str, str, str]]:
    """(where, source, words) for each quoted stretch the kit holds that no recorded
    quotation of the same source covers: in a stored text, or in any row's passage.

    >>> import helpers
    >>> unattributed(helpers.load())
    []
    """
    table = recorded(ds)
    covered: dict[str, list[str]] = {}
    for row in table.itertuples(index=False):
        covered.setdefault(row.source_id, []).append(_key(row.text))
    holders: list[tuple[str, str, str]] = [
        (f"stored text {s}", s, text) for s, text in ds.texts.items()
    ]
    for name in PASSAGE_TABLES:
        frame = getattr(ds, name)
        if "passage" not in frame.columns or "source_id" not in frame.columns:
            continue
        rows = frame.loc[frame["source_id"].notna()]
        for row in rows.itertuples(index=False):
            holders.append((f"{name} {row[0]}", row.source_id, row.passage))
    missing = []
    for where, source_id, text in holders:
        for words in stretches(text):
            key = _key(words)
            if not any(key in k for k in covered.get(source_id, [])):
                missing.append((where, source_id, words))
    return missing
