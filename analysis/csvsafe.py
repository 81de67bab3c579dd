"""CSV cells that a spreadsheet would run as a formula, neutralised the way OWASP recommends.

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets strip before
the formula check) is prefixed with a single quote, so Excel, LibreOffice and Google Sheets show
it as text. Applied to every CSV the site publishes: ledger tables, the zip, chart downloads.
Numbers are left alone: the ledger's amounts are non-negative, and a negative number in a
derived table (a loss) is a value, not a formula.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def neutralise_cell(value: str) -> str:
    if value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells are neutralised (numeric columns are untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: neutralise_cell(v) if isinstance(v, str) else v)
    return out
