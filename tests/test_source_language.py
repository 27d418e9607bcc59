"""Every stored source text is mostly in the language its ``sources.csv`` row names.

The ``language`` column decides how figures are read and whether passages need the kit's
translation, so a mislabelled source (an English statement filed as German) misreads
silently. The oracle is independent of the column: the text's own script and common
words (``helpers.sources.language``), checked on the stored files themselves.
"""

from __future__ import annotations

import csv

import pytest

from helpers.paths import DATA_DIR
from helpers.sources.language import guess_language

ROWS = list(csv.DictReader((DATA_DIR / "sources.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS, ids=[r["source_id"] for r in ROWS])
def test_stored_text_is_in_the_language_its_row_names(row):
    text = (DATA_DIR / "sources" / row["text_file"]).read_text(encoding="utf-8")
    assert guess_language(text) == row["language"], (
        f"data/sources.csv row {row['source_id']}, column language: {row['language']!r}, "
        f"but the stored text reads as {guess_language(text)!r}"
    )


def test_the_check_fails_on_a_mislabelled_text():
    # The kind of error this test exists for: a German lead over an English statement
    # filed as German, and a French report filed as English.
    mixed = (
        "Am 11. Januar 2021 fand in Moskau ein trilaterales Treffen statt.\n\n"
        "The working group will hold its first meeting before 30 January 2021, as a result "
        "of which it will formulate a list of the main directions of its activity, and it "
        "will determine other directions as agreed by the Parties."
    )
    assert guess_language(mixed) == "en" != "de"
    french = "Le Premier ministre arménien a soulevé celle du statut de la province."
    assert guess_language(french) == "fr" != "en"


def test_each_script_of_the_corpus_is_told_apart():
    assert guess_language("Пашинян отметил, что пункт заявления не исполняется.") == "ru"
    assert guess_language("Հայաստանի վարչապետը մասնակցեց եռակողմ հանդիպմանը։") == "hy"
    assert guess_language("Es seien aber noch nicht alle Punkte umgesetzt, sagte er.") == "de"
