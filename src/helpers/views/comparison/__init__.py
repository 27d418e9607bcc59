"""How each source told the Moscow meeting: the views of notebook 04, all computed.

The corpus is every stored source; ``sources.role`` says which are the primary record
(the Kremlin's transcript, the joint statement) and which are reports of it, and
``sources.side_id`` whose government or state agency published each (empty for
independent and international outlets). By role:

* :mod:`.tables` — the data: :func:`coverage` (which facts of the meeting,
  :data:`FACTS`, each source reports, from the claims whose ``metric`` names the fact),
  :func:`voices` (whom each source quotes or reports, and how many words it quotes),
  :func:`framing` (the glossary's words for places, the war and its outcome, found in
  each source's stored text), :func:`omissions` (the facts the primary record or
  another side's official record holds that a report leaves out);
* :mod:`.diff` — :func:`fidelity`: each outlet's rendering of a leader's words beside
  the primary transcript, word by word; one in another language is compared through the
  kit's English translation and marked as such;
* :mod:`.quotations` — every quotation the kit records (quotes, claims, renderings),
  counted once, and any quoted stretch no record attributes to a speaker;
* :mod:`.summary` — :func:`bottom_line`, the notebook's bottom line;
* :mod:`.render` — each view as HTML (:func:`views`), text from sources escaped.

>>> import helpers
>>> cov = coverage(helpers.load())
>>> bool(cov.loc["aa-2021-01-11", "monitoring_centre"])
True
"""

from __future__ import annotations

from . import quotations
from .diff import fidelity, kept_share, word_diff, word_key, words
from .render import (
    View,
    anchor,
    corpus_html,
    coverage_html,
    fidelity_html,
    framing_html,
    omissions_html,
    passages_html,
    views,
    voices_html,
)
from .summary import bottom_line
from .tables import (
    FACTS,
    FRAMING_CATEGORIES,
    INDEPENDENT,
    SCOPE_WORDS,
    SIDE_LABELS,
    Fact,
    corpus,
    coverage,
    coverage_cells,
    fact_claims,
    facts_in,
    framing,
    official_facts,
    omissions,
    source_label,
    voices,
    voices_matrix,
)

__all__ = [
    "quotations",
    "FACTS",
    "facts_in",
    "FRAMING_CATEGORIES",
    "INDEPENDENT",
    "SCOPE_WORDS",
    "SIDE_LABELS",
    "Fact",
    "View",
    "anchor",
    "bottom_line",
    "corpus",
    "corpus_html",
    "coverage",
    "coverage_cells",
    "coverage_html",
    "fact_claims",
    "fidelity",
    "fidelity_html",
    "framing",
    "framing_html",
    "kept_share",
    "official_facts",
    "omissions",
    "omissions_html",
    "passages_html",
    "source_label",
    "views",
    "voices",
    "voices_html",
    "voices_matrix",
    "word_diff",
    "word_key",
    "words",
]
