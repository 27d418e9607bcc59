"""Loading and checking the dataset: schemas, checks, exports, boundary downloads."""

#: A row id, as every table's id field in ``datapackage.json`` requires (its ``pattern``):
#: lower case, digits and hyphens, with at least one letter, so a number or a date in a
#: text ("1994", "2020-11-10") is never an id (:mod:`helpers.views.mentions` relies on it).
ID_PATTERN = r"(?:[0-9][0-9-]*)?[a-z][a-z0-9-]*"
