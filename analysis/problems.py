"""Problems found in the ledger, each pointing at a file, a row and a column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the ledger.

    `row` is the line number in the CSV file as an editor shows it (the header is line 1),
    so an author can jump straight to it; 0 means the file as a whole.
    """

    file: str
    row: int
    column: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        text = f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        return f"{text} — fix: {self.hint}" if self.hint else text


class LedgerError(Exception):
    """The ledger did not validate. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the ledger:\n{lines}")
