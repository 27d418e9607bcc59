"""Every file the kit writes gets the mode any other file in the folder gets.

A file the kit writes or rewrites (a data table and the data package after ``add`` and
``accept``, a stored source text, a review file, an export, a figure, a boundary
download, its lock and provenance) must be created as ``open()`` creates a file:
mode 0o666 less the umask. A private 0o600 file in a shared data folder locks the
other researchers out of it, and a commit would record the change of mode.

The reports go through the same writer (:func:`helpers.files.atomic_write`) and are
checked with the build (``tests/test_build.py``).
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pandas as pd
import pytest
from test_add_source import SOURCE_ID, fill_review, register_args
from test_geodata import boundary_server  # noqa: F401, F811  (a fixture)

from conftest import copy_data
from helpers import export, figures, geodata
from helpers.sources import cli

#: Not the usual 0o022, so a file made with any fixed mode would stand out.
UMASK = 0o027


def files_below(folder: Path) -> dict[str, os.stat_result]:
    """``{relative path: stat}`` of every file below ``folder``."""
    return {p.relative_to(folder).as_posix(): p.stat() for p in folder.rglob("*") if p.is_file()}


def written_since(folder: Path, before: dict[str, os.stat_result]) -> dict[str, int]:
    """Files created or replaced since ``before`` (a new inode), with their modes."""
    return {
        name: stat.S_IMODE(now.st_mode)
        for name, now in files_below(folder).items()
        if name not in before or before[name].st_ino != now.st_ino
    }


@pytest.fixture
def plain_mode(tmp_path):
    """Run under :data:`UMASK`; the mode a plain ``open()`` gives a new file."""
    old = os.umask(UMASK)
    try:
        with open(tmp_path / "plain.txt", "w") as handle:
            handle.write("x")
        yield stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    finally:
        os.umask(old)


def write_everything(root: Path, urls: dict) -> None:
    """Do in ``root`` everything that writes a file, the reports aside."""
    data = root / "data"
    review = root / "review" / f"{SOURCE_ID}-suggestions.csv"
    assert cli.main(register_args(data)) == 0  # sources.csv, datapackage.json, the text
    assert cli.main(["suggest", SOURCE_ID, "--data", str(data)]) == 0  # the review file
    candidates = pd.read_csv(review, dtype=str, keep_default_na=False)
    figure = candidates.loc[candidates["matched"] == "2,841", "candidate_id"].iloc[0]
    quote = candidates.loc[candidates["kind"] == "quote", "candidate_id"].iloc[0]
    claimant_id = candidates.loc[candidates["candidate_id"] == figure, "claimant_id"].iloc[0]
    ministry = candidates.loc[
        (candidates["kind"] == "claimant") & (candidates["actor_id"] == claimant_id), "candidate_id"
    ].iloc[0]
    # The cells a researcher fills in before accept takes the rows.
    fill_review(
        review,
        figure,
        subject="Azerbaijani soldiers killed",
        side_id="azerbaijan",
        metric="military_deaths",
        statement="The ministry said 2,841 servicemen were killed.",
    )
    fill_review(review, quote, translated="true")
    fill_review(
        review, ministry, name="Ministry of Defence of Azerbaijan", actor_kind="organisation"
    )
    accept = ["accept", str(review), "--ids", figure, quote, ministry, "--data", str(data)]
    assert cli.main(accept) == 0  # claims.csv, quotes.csv
    export.write_csv(pd.DataFrame({"a": ["=1"]}), root / "exports" / "table.csv")
    figures.save(figures.new_figure(), "figure", root / "figures")
    geodata.fetch(
        urls=urls, cache_dir=root / "geodata", lock_path=root / "lock.json", out=io.StringIO()
    )


def test_every_file_the_kit_writes_gets_the_mode_of_a_plain_open(
    tmp_path,
    plain_mode,
    boundary_server,  # noqa: F811
):
    urls, _ = boundary_server
    root = tmp_path / "work"
    copy_data(root / "data")
    before = files_below(root)
    write_everything(root, urls)
    written = written_since(root, before)
    # Each kind of file was written, so the check below cannot pass on nothing.
    assert {
        "data/datapackage.json",
        "data/sources.csv",
        "data/claims.csv",
        "data/quotes.csv",
        "data/actors.csv",
        f"review/{SOURCE_ID}-suggestions.csv",
        "exports/table.csv",
        "figures/figure.png",
        "figures/figure.svg",
        "lock.json",
        "geodata/provenance.json",
        "geodata/districts.geojson",
        "geodata/nagorno-karabakh.geojson",
    } <= set(written)
    assert any(name.startswith("data/sources/") for name in written)  # the stored text
    assert any(name.startswith("geodata/raw/") for name in written)  # the downloads
    assert {name: oct(mode) for name, mode in written.items() if mode != plain_mode} == {}
