"""Validation schemas built from ``data/datapackage.json``.

The data package's Table Schemas are the single description of every table: the
README documents them, R and spreadsheet users read them, and this module turns
them into pandera schemas so the loader checks exactly what the package says.
Cross-table rules (foreign keys, provenance, passages) live in
:mod:`helpers.data.checks`.

>>> field = {"name": "bound", "type": "string",
...          "constraints": {"enum": ["exact", "at_least"]}}
>>> column = column_for(field)
>>> column.nullable, [c.error for c in column.checks]
(True, ['is not one of: exact, at_least'])
>>> [c.error for c in column_for({"name": "excerpt", "constraints": {"maxLength": 300}}).checks]
['is longer than 300 characters (maxLength in datapackage.json)']
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

#: The tables every dataset must have, in the order they are loaded.
TABLES = (
    "sources",
    "references",
    "actors",
    "places",
    "events",
    "event_reports",
    "claims",
    "quotes",
    "topics",
    "glossary",
    "renderings",
)
#: Tables whose rows carry the provenance columns (origin, source_id, passage, reference_id,
#: excerpt).
SOURCED_TABLES = (
    "actors",
    "places",
    "event_reports",
    "claims",
    "quotes",
    "topics",
    "glossary",
    "renderings",
)
#: Boolean spellings accepted in CSV files (Table Schema's defaults, lower case).
TRUE_VALUES = ("true", "yes", "1")
FALSE_VALUES = ("false", "no", "0")


def _is_iso_date(values: pd.Series) -> pd.Series:
    # Strict YYYY-MM-DD: pandas alone would also accept "01/02/2021" and guess.
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    return parsed.notna()


def _is_number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").notna()


def _is_integer(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.notna() & (numbers % 1 == 0)


# pandera is imported where a schema is built, not with this module: a kernel of
# the report build, given the data the build already validated, never needs it.
@functools.cache
def _type_checks() -> dict[str, pa.Check]:
    import pandera.pandas as pa

    return {
        "date": pa.Check(_is_iso_date, error="is not a real date in YYYY-MM-DD form"),
        "number": pa.Check(_is_number, error="is not a number (write 2802, not 2,802)"),
        "integer": pa.Check(_is_integer, error="is not a whole number"),
        "boolean": pa.Check.isin(TRUE_VALUES + FALSE_VALUES, error="is not true or false"),
    }


def _length_error(shortest: int | None, longest: int | None) -> str:
    if shortest is None:
        return f"is longer than {longest} characters (maxLength in datapackage.json)"
    if longest is None:
        return f"is shorter than {shortest} characters (minLength in datapackage.json)"
    return f"is not {shortest} to {longest} characters long (datapackage.json)"


def column_for(field: dict) -> pa.Column:
    """A pandera column that checks one Table Schema field on raw CSV text.

    Values stay strings here; :func:`convert` types them once they are valid,
    so a bad value is reported with its original spelling.
    """
    import pandera.pandas as pa

    constraints = field.get("constraints", {})
    checks = []
    type_checks = _type_checks()
    if field.get("type", "string") in type_checks:
        checks.append(type_checks[field["type"]])
    if "enum" in constraints:
        allowed = constraints["enum"]
        checks.append(pa.Check.isin(allowed, error=f"is not one of: {', '.join(allowed)}"))
    if "pattern" in constraints:
        checks.append(
            pa.Check.str_matches(
                constraints["pattern"], error=f"does not match {constraints['pattern']}"
            )
        )
    shortest, longest = constraints.get("minLength"), constraints.get("maxLength")
    if shortest is not None or longest is not None:
        checks.append(
            pa.Check.str_length(shortest, longest, error=_length_error(shortest, longest))
        )
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None or high is not None:
        checks.append(
            pa.Check(
                lambda s, lo=low, hi=high: pd.to_numeric(s, errors="coerce").between(
                    -float("inf") if lo is None else lo, float("inf") if hi is None else hi
                ),
                error=f"is out of range (allowed {low} to {high})",
            )
        )
    # dtype=None: the CSV reader already yields text; pandera's dtype check would
    # only repeat that (and is the slowest part of validation).
    return pa.Column(
        None,
        checks=checks,
        nullable=not constraints.get("required", False),
        unique=constraints.get("unique", False),
        required=True,
        name=field["name"],
    )


def table_schema(resource: dict) -> pa.DataFrameSchema:
    """The pandera schema of one tabular resource.

    Free-text columns with no constraint are left out: there is nothing to check
    in them, and each column costs pandera time. (Unknown and missing columns are
    reported by the loader before this schema runs.)

    >>> res = {"name": "t", "schema": {"fields": [
    ...     {"name": "id", "constraints": {"required": True}}, {"name": "note"}]}}
    >>> list(table_schema(res).columns)
    ['id']
    """
    import pandera.pandas as pa

    columns = {}
    for field in resource["schema"]["fields"]:
        column = column_for(field)
        if column.checks or not column.nullable or column.unique:
            columns[field["name"]] = column
    return pa.DataFrameSchema(columns, strict=False, name=resource["name"])


def convert(frame: pd.DataFrame, resource: dict) -> pd.DataFrame:
    """Type validated raw text: real dates, numbers and booleans; lists split.

    >>> res = {"schema": {"fields": [{"name": "d", "type": "date"},
    ...                              {"name": "ids", "type": "string", "x-list-separator": ";"}]}}
    >>> out = convert(pd.DataFrame({"d": ["2020-11-10"], "ids": ["a;b"]}), res)
    >>> out["d"].iloc[0].date(), out["ids"].iloc[0]
    (datetime.date(2020, 11, 10), ('a', 'b'))
    """
    out = frame.copy()
    for field in resource["schema"]["fields"]:
        name, kind = field["name"], field.get("type", "string")
        column = out[name]
        if kind == "date":
            out[name] = pd.to_datetime(column, format="%Y-%m-%d")
        elif kind == "number":
            out[name] = pd.to_numeric(column).astype("float64")
        elif kind == "integer":
            out[name] = pd.to_numeric(column).astype("Int64")
        elif kind == "boolean":
            out[name] = column.isin(TRUE_VALUES)
        elif "x-list-separator" in field:
            sep = field["x-list-separator"]
            out[name] = column.map(
                lambda v, sep=sep: (
                    tuple(x.strip() for x in v.split(sep) if x.strip())
                    if isinstance(v, str)
                    else ()
                ),
                na_action=None,
            )
    return out
