"""Bad input gets one clear error naming file, row, column and problem — never a traceback."""

from __future__ import annotations

import csv
import json
import re

import pytest

import helpers
from conftest import edit_cell
from helpers import DataError, paths
from helpers.data import ID_PATTERN

# Spreadsheet row numbers: header = row 1, so the first claim is row 2.
FIRST_CLAIM = "az-military-deaths"


def load_error(data_dir) -> DataError:
    with pytest.raises(DataError) as info:
        helpers.load(data_dir)
    return info.value


def rows(data_dir, table):
    with (data_dir / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(data_dir, table, records):
    with (data_dir / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


def test_missing_file(data_copy):
    (data_copy / "claims.csv").unlink()
    assert re.search(r"claims\.csv: missing file", str(load_error(data_copy)))


def test_missing_descriptor(data_copy):
    (data_copy / "datapackage.json").unlink()
    assert "datapackage.json: missing file" in str(load_error(data_copy))


def test_missing_column(data_copy):
    records = rows(data_copy, "claims")
    drop = records[0].index("bound")
    write_rows(data_copy, "claims", [r[:drop] + r[drop + 1 :] for r in records])
    assert "claims.csv column bound: missing column" in str(load_error(data_copy))


def test_unknown_column_is_named(data_copy):
    records = rows(data_copy, "claims")
    records[0][records[0].index("bound")] = "bownd"
    write_rows(data_copy, "claims", records)
    message = str(load_error(data_copy))
    assert "column bownd: unknown column" in message and "column bound: missing column" in message


def test_wrong_type(data_copy):
    edit_cell(data_copy, "claims", FIRST_CLAIM, "value_low", "2,802")
    message = str(load_error(data_copy))
    assert "claims.csv row 2, column value_low: '2,802' is not a number" in message


def test_impossible_date(data_copy):
    edit_cell(data_copy, "claims", FIRST_CLAIM, "claim_date", "2021-02-30")
    assert "row 2, column claim_date: '2021-02-30' is not a real date" in str(load_error(data_copy))


def test_ambiguous_date_format_is_refused(data_copy):
    edit_cell(data_copy, "events", "war-2020", "date_start", "09/27/2020")
    assert "column date_start: '09/27/2020' is not a real date in YYYY-MM-DD form" in str(
        load_error(data_copy)
    )


@pytest.mark.parametrize(
    ("table", "key", "column", "value", "expected"),
    [
        ("claims", FIRST_CLAIM, "source_id", "nowhere-2021", "unknown source 'nowhere-2021'"),
        ("claims", FIRST_CLAIM, "side_id", "atlantis", "unknown actor 'atlantis'"),
        ("events", "war-2020", "place_id", "atlantis", "unknown place 'atlantis'"),
        ("events", "war-2020", "actor_ids", "putin;nobody", "unknown actor 'nobody'"),
        ("claims", FIRST_CLAIM, "event_id", "no-such-event", "unknown event 'no-such-event'"),
        ("event_reports", "r-agdam", "reference_id", "no-ref", "unknown reference 'no-ref'"),
    ],
)
def test_unknown_reference(data_copy, table, key, column, value, expected):
    edit_cell(data_copy, table, key, column, value)
    message = str(load_error(data_copy))
    assert f"{table}.csv row" in message and f"column {column}: {expected}" in message


def test_duplicate_id(data_copy):
    edit_cell(data_copy, "claims", "am-casualties", "claim_id", FIRST_CLAIM)
    message = str(load_error(data_copy))
    assert f"column claim_id: duplicate id '{FIRST_CLAIM}' (rows 2, 3)" in message


def test_passage_not_found_shows_closest_match(data_copy):
    edit_cell(
        data_copy, "claims", FIRST_CLAIM, "passage", "at least 2,803 of its soldiers were martyred"
    )
    message = str(load_error(data_copy))
    assert "row 2, column passage: not found in the text of aa-2021-01-11" in message
    assert "closest: 'at least 2,802 of its soldiers were martyred'" in message


def test_quotation_must_be_verbatim(data_copy):
    edit_cell(data_copy, "quotes", "q-minsk-group", "text", "Russia always follows the Minsk Group")
    assert "quotes.csv row 3, column text: quotation not found verbatim" in str(
        load_error(data_copy)
    )


def test_article_row_without_passage(data_copy):
    edit_cell(data_copy, "claims", FIRST_CLAIM, "passage", "")
    assert "row 2, column passage: is empty: an article row needs the passage" in str(
        load_error(data_copy)
    )


@pytest.mark.parametrize(("column", "value"), [("lat", "91.5"), ("lon", "-200")])
def test_coordinates_out_of_range(data_copy, column, value):
    edit_cell(data_copy, "places", "moscow", column, value)
    assert f"places.csv row 2, column {column}: '{value}' is out of range" in str(
        load_error(data_copy)
    )


def test_low_best_high_order(data_copy):
    edit_cell(data_copy, "claims", FIRST_CLAIM, "value_low", "3000")
    message = str(load_error(data_copy))
    assert "row 2, column value_best: value_low (3000) is greater than value_best (2802)" in message


def test_event_dates_in_order(data_copy):
    edit_cell(data_copy, "events", "war-2020", "date_end", "2020-09-01")
    assert "date_start (2020-09-27) is greater than date_end (2020-09-01)" in str(
        load_error(data_copy)
    )


def test_unknown_bound(data_copy):
    edit_cell(data_copy, "claims", FIRST_CLAIM, "bound", "roughly")
    assert (
        "claims.csv row 2, column bound: 'roughly' is not one of: exact, at_least, more_than, "
        "up_to, approximately, range"
    ) in str(load_error(data_copy))


def test_unknown_precision(data_copy):
    edit_cell(data_copy, "events", "war-2020", "date_prec", "fortnight")
    assert (
        "column date_prec: 'fortnight' is not one of: day, week, month, year, approximate"
        in str(load_error(data_copy))
    )


def test_end_precision_is_for_an_end_known_differently(data_copy):
    """A window has one precision; an end precision that repeats the start's says nothing."""
    edit_cell(data_copy, "events", "war-2020", "date_end_prec", "day")
    edit_cell(data_copy, "events", "takeover-1990s", "date_prec", "approximate")
    error = str(load_error(data_copy))
    assert "row 2, column date_end_prec: is set, but date_prec is 'approximate'" in error
    assert "column date_end_prec: repeats date_prec ('day')" in error


def test_bound_needs_its_value(data_copy):
    edit_cell(data_copy, "claims", "am-casualties", "value_high", "")
    assert "row 3, column value_high: is empty, but bound is 'up_to'" in str(load_error(data_copy))


def test_empty_file(data_copy):
    (data_copy / "claims.csv").write_bytes(b"")
    assert "claims.csv: empty file: expected a header row (claim_id," in str(load_error(data_copy))


def test_truncated_file(data_copy):
    raw = (data_copy / "places.csv").read_bytes()
    (data_copy / "places.csv").write_bytes(raw[: raw.index(b"\n", len(raw) // 2) + 40])
    message = str(load_error(data_copy))
    assert "places.csv row" in message
    assert "truncated" in message


def test_truncated_inside_a_quoted_field(data_copy):
    raw = (data_copy / "claims.csv").read_bytes()
    # Five bytes into a field that opens with a quote (",\"" starts one) after mid-file.
    cut = raw.index(b',"', len(raw) // 2) + 2 + 5
    (data_copy / "claims.csv").write_bytes(raw[:cut])
    message = str(load_error(data_copy))
    assert "claims.csv row" in message and "truncated" in message


def test_non_utf8_file(data_copy):
    text = (data_copy / "actors.csv").read_text(encoding="utf-8")
    (data_copy / "actors.csv").write_bytes(
        text.replace("Vladimir Putin", "Vladimir Pütin").encode("latin-1", errors="replace")
    )
    message = str(load_error(data_copy))
    assert re.search(r"actors\.csv row 2, column name: not UTF-8 \(byte 0x[0-9a-f]{2}\)", message)


def test_changed_source_text_is_detected(data_copy):
    path = next((data_copy / "sources").glob("*.txt"))
    path.write_bytes(path.read_bytes().replace(b"2,802", b"2,803"))
    message = str(load_error(data_copy))
    assert "sources.csv row 2, column text_sha256" in message
    assert "does not match its recorded SHA-256" in message


def test_all_problems_in_a_file_are_reported_together(data_copy):
    edit_cell(data_copy, "claims", FIRST_CLAIM, "bound", "roughly")
    edit_cell(data_copy, "claims", "am-casualties", "claim_date", "2021-13-01")
    edit_cell(data_copy, "places", "moscow", "lat", "99")
    error = load_error(data_copy)
    assert len(error.problems) == 3
    message = str(error)
    assert message.startswith("3 problems in the data:")
    assert "row 2, column bound" in message and "row 3, column claim_date" in message
    assert "places.csv row 2, column lat" in message


def test_error_is_a_value_error_with_structured_problems(data_copy):
    edit_cell(data_copy, "claims", FIRST_CLAIM, "bound", "roughly")
    error = load_error(data_copy)
    assert isinstance(error, ValueError)
    (problem,) = error.problems
    assert (problem.row, problem.column) == (2, "bound")
    assert problem.file.endswith("claims.csv")


def test_an_unreadable_row_and_a_bad_value_elsewhere_are_reported_together(data_copy):
    # A file cut off in the middle of row 14, after its fifth field.
    lines = (data_copy / "places.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header_fields = len(next(csv.reader(lines[:1])))
    cut = ",".join(next(csv.reader(lines[13:14]))[:5])
    assert "," not in cut.replace(",", "", 4) and '"' not in cut  # five plain fields
    (data_copy / "places.csv").write_text("".join(lines[:13]) + cut, encoding="utf-8")
    edit_cell(data_copy, "claims", FIRST_CLAIM, "bound", "roughly")
    message = str(load_error(data_copy))
    assert (
        f"places.csv row 14, column other_names: has 5 fields, the header has {header_fields}"
        in message
    )
    assert "claims.csv row 2, column bound: 'roughly' is not one of" in message


def test_a_repeated_column_name_is_named_as_such(data_copy):
    # Every row repeats its first cell under a second copy of the first column's name.
    records = [[*record, record[0]] for record in rows(data_copy, "places")]
    with (data_copy / "places.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    (problem,) = load_error(data_copy).problems
    assert (problem.file.endswith("places.csv"), problem.row) == (True, 1)
    assert "duplicate column" in problem.message


@pytest.mark.parametrize("bad_id", ["1994", "2020-11-10", "Az-military-deaths"])
def test_a_row_id_without_a_letter_or_in_capitals_is_refused(data_copy, bad_id):
    # A number or a date in a note is then never a row id: the reports name ids in notes.
    edit_cell(data_copy, "claims", FIRST_CLAIM, "claim_id", bad_id)
    assert re.search(
        r"claims\.csv row 2, column claim_id: .*does not match", str(load_error(data_copy))
    )


def test_every_table_spells_its_ids_one_way():
    package = json.loads((paths.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    patterns = {
        r["name"]: r["schema"]["fields"][0].get("constraints", {}).get("pattern")
        for r in package["resources"]
        if r.get("schema")
    }
    assert patterns and set(patterns.values()) == {f"^{ID_PATTERN}$"}, patterns


def _document(row: dict) -> set[tuple]:
    """The test's own reading of which document a reference records."""
    address = re.sub(r"%20|\s", "", row["url"].lower())
    address = re.sub(r"^https?://(www\.|m\.)?", "", address).rstrip("/")
    title = " ".join(re.findall(r"\w+", row["title"].lower()))
    return ({("url", address)} if address else set()) | {("title", title, row["published"])}


def test_no_two_references_record_one_document():
    """am-pm-2020-11-10 and primeminister-am-2020-11-10 were one statement under two ids."""
    with (paths.DATA_DIR / "references.csv").open(encoding="utf-8", newline="") as handle:
        references = list(csv.DictReader(handle))
    seen: dict[tuple, str] = {}
    for row in references:
        for key in _document(row):
            assert key not in seen, f"{row['reference_id']} and {seen[key]} record one document"
            seen[key] = row["reference_id"]


@pytest.mark.parametrize("change", ["url", "title"])
def test_a_second_reference_to_one_document_is_refused(data_copy, change):
    """Proof the check can fail: the same statement under a new id, found by its address
    (written another way) or by its title and date."""
    table = rows(data_copy, "references")
    header = table[0]
    original = next(r for r in table if r[0] == "primeminister-am-2020-11-10")
    copy = dict(zip(header, original, strict=True))
    copy["reference_id"] = "am-pm-statement"
    if change == "url":
        copy["url"] = copy["url"].replace("https://www.", "http://").replace("%20", "")
        copy["title"] = "Statement of 9-10 November"
    else:
        copy["url"] = "https://example.org/statement"
    write_rows(data_copy, "references", [*table, [copy[c] for c in header]])
    message = str(load_error(data_copy))
    assert "references.csv" in message and f"row {len(table) + 1}" in message
    assert "primeminister-am-2020-11-10" in message
