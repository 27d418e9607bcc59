"""The kit's one exception for bad input, and the problems it carries.

Every problem names the file, the row (as a spreadsheet shows it: the header is
row 1, the first data row is row 2), the column and what is wrong, so a
researcher can open the CSV and fix it without reading a traceback.

>>> err = DataError([Problem("data/claims.csv", 7, "bound",
...                          "'roughly' is not one of exact, at_least")])
>>> print(err)
data/claims.csv row 7, column bound: 'roughly' is not one of exact, at_least
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place of one file.

    ``row`` and ``column`` are ``None`` when the problem concerns the whole file
    (missing, empty, not UTF-8 …) or a whole column (missing column).
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        head = where[0] if len(where) == 1 else f"{where[0]} " + ", ".join(where[1:])
        return f"{head}: {self.message}"


class DataError(ValueError):
    """Bad input in the data folder: every problem found, not only the first.

    Attributes
    ----------
    problems : list of Problem
        Sorted by file, row and column.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems in the data:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
