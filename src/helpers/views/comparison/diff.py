"""Notebook 04's fidelity view: each outlet's rendering of a leader's words, word by word.

A rendering (``renderings``) is set beside the primary transcript (``quotes``); one in
another language is compared through the kit's English translation and marked as such.

>>> word_diff("a lasting ceasefire", "a stable ceasefire")
[('same', 'a'), ('dropped', 'lasting'), ('added', 'stable'), ('same', 'ceasefire')]
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from .tables import corpus


def words(text: str) -> list[str]:
    """Split into words, keeping punctuation attached (what a reader compares).

    >>> words("Russia values  the partnership;")
    ['Russia', 'values', 'the', 'partnership;']
    """
    return str(text).split()


def word_key(word: str) -> str:
    """A word as matched: case, punctuation and the curly apostrophe ignored.

    >>> word_key("Partnership;"), word_key("Russia’s")
    ('partnership', 'russias')
    """
    return re.sub(r"[^\w]", "", word.casefold().replace("’", "'"))


def word_diff(primary: str, rendering: str) -> list[tuple[str, str]]:
    """Word-by-word differences: ``(op, words)`` with op ``same``, ``dropped``, ``added``.

    Case and punctuation are ignored when matching words; the words shown are the
    texts' own.

    >>> word_diff("a lasting ceasefire", "a stable ceasefire")
    [('same', 'a'), ('dropped', 'lasting'), ('added', 'stable'), ('same', 'ceasefire')]
    """
    a, b = words(primary), words(rendering)
    matcher = difflib.SequenceMatcher(
        a=[word_key(w) for w in a], b=[word_key(w) for w in b], autojunk=False
    )
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("dropped", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", " ".join(b[j1:j2])))
    return out


def kept_share(primary: str, rendering: str) -> float:
    """Share of the primary transcript's words the rendering keeps, in order (0–1).

    >>> kept_share("a lasting ceasefire", "a stable ceasefire")
    0.67
    """
    kept = sum(len(w.split()) for op, w in word_diff(primary, rendering) if op == "same")
    return round(kept / max(len(words(primary)), 1), 2)


def fidelity(ds) -> pd.DataFrame:
    """Each rendering of a leader's words beside the primary transcript.

    Columns: ``rendering_id``, ``source``, ``speaker``, ``form`` (quotation or
    paraphrase), ``language``, ``primary`` (the transcript's words), ``rendering`` (the
    outlet's words), ``compared`` (what the word diff ran on: the outlet's words, or the
    kit's English translation of them), ``kept`` (:func:`kept_share`; none for a
    rendering in another language than the transcript's: a word count across a
    translation would score the translators, not the outlet).

    >>> import helpers
    >>> f = fidelity(helpers.load()).set_index("rendering_id")
    >>> f.loc["r-tass-values", "compared"]
    'the outlet’s words'
    >>> pd.isna(f.loc["r-m24-welcome", "kept"])
    True
    """
    renderings = ds.renderings
    quotes = ds.quotes.set_index("quote_id")
    names = ds.actors.set_index("actor_id")["name"]
    languages = ds.sources.set_index("source_id")["language"]
    labels = corpus(ds)["label"]
    rows = []
    for r in renderings.itertuples(index=False):
        if r.quote_id not in quotes.index:
            continue
        primary = quotes.loc[r.quote_id]
        translated = isinstance(r.translation, str) and bool(r.translation)
        compared_text = r.translation if translated else r.passage
        rows.append(
            {
                "rendering_id": r.rendering_id,
                "quote_id": r.quote_id,
                "source": labels.get(r.source_id, r.source_id),
                "speaker": names.get(primary["speaker_id"], primary["speaker_id"]),
                "form": r.form,
                "language": languages.get(r.source_id),
                "primary": primary["text"],
                "rendering": r.passage,
                "compared": "the kit’s English translation" if translated else "the outlet’s words",
                "compared_text": compared_text,
                "translation_by": r.translation_by if translated else "",
                "kept": None if translated else kept_share(primary["text"], compared_text),
            }
        )
    return pd.DataFrame(rows)
