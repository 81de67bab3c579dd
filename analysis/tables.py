"""Read the ledger's CSV files and check every cell against the Table Schema.

The result is raw rows (strings) plus the problems found; typing into DataFrames happens only
once a table is clean (see dataset.py). Line numbers are tracked so every problem can name the
line an author sees in an editor.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import difflib
import functools
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem
from .schema import INT64_MAX, Field, Package, Table

TRUE_VALUES = {"true"}
FALSE_VALUES = {"false"}
PRECISION_OF_LENGTH = {4: "year", 7: "month", 10: "day"}


@dataclass
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class RawTable:
    table: Table
    file: str
    rows: list[Row]
    complete: bool = True  # False when malformed or ragged rows could not be read


def read_csv(table: Table, root: Path, problems: list[Problem]) -> RawTable | None:
    """Read one table's CSV; structural problems (missing file, bad header, ragged row) are
    reported and the offending rows skipped from typing, never silently dropped."""
    path = root / table.path
    shown = _shown_path(path)
    if not path.exists():
        problems.append(Problem(shown, 0, "", "file is missing", f"create it with the header: {','.join(table.field_names)}"))
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")  # a byte-order mark from a spreadsheet is not part of the header
    except UnicodeDecodeError as err:
        problems.append(Problem(shown, 0, "", f"is not valid UTF-8 ({err.reason} at byte {err.start})", "save the file as UTF-8"))
        return None
    except OSError as err:
        problems.append(Problem(shown, 0, "", f"cannot be read ({err.strerror})", "make it a readable CSV file"))
        return None
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    rows: list[Row] = []
    complete = True
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(shown, 1, "", "file is empty", f"add the header: {','.join(table.field_names)}"))
        return None
    except csv.Error as err:
        problems.append(Problem(shown, 1, "", f"header is not valid CSV ({err})", "check the quotes on the first line"))
        return None
    _check_header(table, header, shown, problems)
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(
                Problem(shown, start, "", f"malformed CSV ({err})", 'close every opening quote; write a quote inside a quoted cell as ""')
            )
            # The csv module cannot resume after an error; later rows are unchecked.
            problems.append(Problem(shown, start, "", "rows after this line were not checked", "fix the line above and validate again"))
            complete = False
            break
        last_line = reader.line_num
        if not record or all(not c.strip() for c in record):
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    shown,
                    start,
                    "",
                    f"has {len(record)} cells but the header has {len(header)}",
                    "quote cells that contain commas; one cell per header column",
                )
            )
            complete = False
            continue
        rows.append(Row(start, dict(zip(header, (c.strip() for c in record)))))
    return RawTable(table, shown, rows, complete)


def _shown_path(path: Path) -> str:
    """The path as the author would type it: relative to where they run the command, without
    following symbolic links (a link is reported under its own name)."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(path)


def _check_header(table: Table, header: list[str], file: str, problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for number, name in enumerate(header, 1):
        if not name.strip():
            problems.append(Problem(file, 1, f"column {number}", "has no name in the header", "name it or remove the empty column"))
        elif name in seen:
            problems.append(
                Problem(
                    file,
                    1,
                    name,
                    f"appears twice in the header (columns {seen[name]} and {number}); only one copy could be read",
                    "remove one of the two columns",
                )
            )
        else:
            seen[name] = number
    missing = [f for f in table.field_names if f not in header]
    extra = [h for h in dict.fromkeys(header) if h.strip() and h not in table.field_names]
    for name in missing:
        problems.append(Problem(file, 1, name, "column is missing from the header", f"add '{name}' (see data/datapackage.json)"))
    for name in extra:
        close = difflib.get_close_matches(name, table.field_names, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "declare it in data/datapackage.json or remove it"
        problems.append(Problem(file, 1, name, "column is not in the schema", hint))


def check_cells(raw: RawTable, problems: list[Problem]) -> None:
    """Types, required values, enums, patterns, bounds and uniqueness; a primary key is required
    and unique whether or not its constraints say so."""
    pk = raw.table.primary_key
    fields = [(f, f.required or f.name == pk, f.unique or f.name == pk) for f in raw.table.fields]
    seen: dict[str, dict[str, int]] = {f.name: {} for f, _, unique in fields if unique}
    for row in raw.rows:
        for f, required, unique in fields:
            value = row.cells.get(f.name, "")
            if value == "":
                if required:
                    problems.append(Problem(raw.file, row.line, f.name, "is required but empty", _describe(f)))
                continue
            message = cell_error(f, value)
            if message:
                hint = TEXT_HINT if message.startswith("contains the control") or message.startswith("contains a line") else _describe(f)
                problems.append(Problem(raw.file, row.line, f.name, message, hint))
                continue
            if unique:
                first = seen[f.name].get(value)
                if first is not None:
                    problems.append(
                        Problem(
                            raw.file, row.line, f.name, f"duplicate id '{value}' (first used on line {first})", "give each row its own id"
                        )
                    )
                else:
                    seen[f.name][value] = row.line
        _check_precision(raw, row, problems)


# Characters no cell may hold: control characters (line breaks and tabs included: every cell is
# one line), Unicode line separators and the bidirectional overrides that reorder what a reader
# sees. A cell is shown on a web page, a deal page's markdown and in spreadsheets.
_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
TEXT_HINT = "write the cell as one line of plain text: remove line breaks, tabs and control characters"
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# Numbers with no declared bound still have one: pandas holds whole numbers as int64, and a sum
# of decimals must stay finite.
NUMBER_LIMIT = 1e15
YEARS = (1900, 2100)


def cell_error(f: Field, value: str) -> str | None:
    """Why `value` is not a valid cell for field `f`, or None when it is."""
    bad = _NOT_TEXT.search(value)
    if bad:
        what = "a line break" if bad.group() in "\n\r\u2028\u2029" else f"the control character U+{ord(bad.group()):04X}"
        return f"contains {what}"
    if f.type in ("integer", "number") or f.is_partial_date:
        foreign = foreign_digit(value)
        if foreign:
            return f"'{clip(value)}' contains {foreign}"
    if f.type == "integer":
        return integer_error(value, f.minimum, f.maximum)
    if f.type == "number":
        return number_error(value, f.minimum, f.maximum)
    if f.type == "boolean":
        return None if value in TRUE_VALUES | FALSE_VALUES else f"'{clip(value)}' is not a boolean"
    if f.enum is not None and value not in f.enum:
        close = _close_enum(value, f.enum)
        guess = f" (did you mean '{close}'?)" if close else ""
        return f"'{clip(value)}' is not one of the allowed values{guess}"
    if f.pattern and not f.regex.fullmatch(value):  # type: ignore[union-attr]
        if f.pattern.startswith("https?://"):
            return f"'{clip(value)}' is not a web address (http or https, with no spaces, quotes or angle brackets)"
        return f"'{clip(value)}' does not match the pattern {f.pattern}"
    if f.is_partial_date:
        return date_error(value)
    return None


def integer_error(value: str, minimum: float | None = None, maximum: float | None = None) -> str | None:
    if not _INTEGER.fullmatch(value):
        return f"'{clip(value)}' is not a whole number"
    low = -INT64_MAX if minimum is None else minimum
    high = INT64_MAX if maximum is None else maximum
    digits = len(value.lstrip("-").lstrip("0"))
    if digits > 19:  # beyond any bound, and int() refuses very long strings
        return (
            f"'{clip(value)}' is far above the maximum {_bound(high)}" if not value.startswith("-") else f"'{clip(value)}' is far too small"
        )
    return _range_error(value, int(value), low, high)


def number_error(value: str, minimum: float | None = None, maximum: float | None = None) -> str | None:
    if not _NUMBER.fullmatch(value):
        return f"'{clip(value)}' is not a number"
    number = float(value)
    if not math.isfinite(number):
        return f"'{clip(value)}' is not a finite number"
    low = -NUMBER_LIMIT if minimum is None else minimum
    high = NUMBER_LIMIT if maximum is None else maximum
    return _range_error(value, number, low, high)


def _range_error(value: str, number: float, low: float, high: float) -> str | None:
    if number < low:
        return f"'{clip(value)}' is negative" if low == 0 else f"'{clip(value)}' is below the minimum {_bound(low)}"
    if number > high:
        return f"'{clip(value)}' is above the maximum {_bound(high)}"
    return None


def date_error(value: str) -> str | None:
    """Why `value` is not a partial date (YYYY, YYYY-MM or YYYY-MM-DD) of a plausible year."""
    date = parse_partial_date(value)
    if date is None:
        return f"'{clip(value)}' is not a real date"
    if not YEARS[0] <= date.year <= YEARS[1]:
        return f"'{clip(value)}' is not a plausible year for this ledger ({YEARS[0]}–{YEARS[1]})"
    return None


def foreign_digit(value: str) -> str | None:
    """A description of the first digit in `value` that is not ASCII 0-9 (Python's int(), float()
    and regex \\d accept Arabic-Indic, Devanagari, fullwidth and other digits), or None."""
    if value.isascii():
        return None
    for ch in value:
        if not ch.isascii() and (ch.isdigit() or ch.isnumeric() or unicodedata.category(ch) == "Nd"):
            return f"'{ch}' ({unicodedata.name(ch, 'a digit').title()}), which is not an ASCII digit"
    for ch in value:
        if not ch.isascii():
            return f"'{ch}' (U+{ord(ch):04X}), which is not an ASCII character"
    return None


def clip(value: str, width: int = 60) -> str:
    """A cell as quoted in a message: long values are cut so the message stays readable."""
    return value if len(value) <= width else f"{value[: width - 20]}…({len(value)} characters)"


def _bound(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


@functools.lru_cache(maxsize=4096)
def _close_enum(value: str, allowed: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(value, allowed, n=1)
    return close[0] if close else None


def _describe(f: Field) -> str:
    if f.type == "integer":
        base = "write a whole number with digits only"
        if f.name.endswith("_usd"):
            base = "write whole US dollars with digits only, e.g. 1250000000 for $1.25 billion"
        if f.maximum is not None:
            base += f" ({_bound(f.minimum) if f.minimum is not None else 'any'} to {_bound(f.maximum)})"
        elif f.minimum == 0:
            base += " (0 or more)"
        return base
    if f.type == "number":
        base = "write a decimal number such as 1.5"
        if f.maximum is not None:
            return base + f" ({_bound(f.minimum) if f.minimum is not None else 'any'} to {_bound(f.maximum)})"
        return base + (" (0 or more)" if f.minimum == 0 else "")
    if f.type == "boolean":
        return "write true or false"
    if f.enum:
        return "use one of: " + ", ".join(f.enum)
    if f.is_partial_date:
        return "write an ISO date with the digits 0-9: YYYY, YYYY-MM or YYYY-MM-DD"
    if f.pattern and f.pattern.startswith("https?://"):
        return "write the full public URL, starting with https://; encode spaces, quotes and angle brackets (%20, %22, %3C, %3E)"
    if f.pattern and "a-z" in f.pattern:
        return "use a lowercase slug: letters, digits and hyphens, e.g. amazon-anthropic-2023"
    return f.description or "see data/datapackage.json"


def parse_partial_date(value: str) -> dt.date | None:
    """The first day of a YYYY, YYYY-MM or YYYY-MM-DD period, or None if it is not a date."""
    if not _PARTIAL_DATE.fullmatch(value):
        return None
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return dt.date(*numbers)
    except (ValueError, TypeError):
        return None


_PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def _check_precision(raw: RawTable, row: Row, problems: list[Problem]) -> None:
    for f in raw.table.fields:
        precision_col = f"{f.name}_precision"
        if not f.is_partial_date or precision_col not in raw.table.field_names:
            continue
        value, precision = row.cells.get(f.name, ""), row.cells.get(precision_col, "")
        expected = PRECISION_OF_LENGTH.get(len(value)) if value else ""
        if value and not precision:
            problems.append(Problem(raw.file, row.line, precision_col, "is empty but the date is set", f"write '{expected}' for '{value}'"))
        elif precision and not value:
            problems.append(
                Problem(raw.file, row.line, precision_col, f"is '{precision}' but {f.name} is empty", "clear it or fill in the date")
            )
        elif value and expected and precision != expected:
            problems.append(
                Problem(
                    raw.file,
                    row.line,
                    precision_col,
                    f"says '{precision}' but '{value}' is a {expected}-precision date",
                    f"write '{expected}'",
                )
            )


def keys_of(raw: RawTable) -> dict[str, int]:
    """Primary key value -> line."""
    pk = raw.table.primary_key
    return {r.cells[pk]: r.line for r in raw.rows if r.cells.get(pk)}


def check_references(package: Package, raws: dict[str, RawTable], problems: list[Problem]) -> None:
    """Foreign keys and ';'-separated list references, with a suggestion for each unknown id."""
    # A table with rows that could not be read has unknown keys: references into it wait.
    keys = {name: keys_of(raw) for name, raw in raws.items() if raw.complete}
    suggest = {name: Suggester(known) for name, known in keys.items()}
    aliases = _alias_index(raws.get("entities"))
    for name, raw in raws.items():
        for fk in raw.table.foreign_keys:
            target = fk.resource or name
            if target not in keys:
                continue
            known = keys[target]
            for row in raw.rows:
                value = row.cells.get(fk.field, "")
                if value and value not in known:
                    problems.append(_unknown(raw, row, fk.field, value, target, suggest[target], aliases))
        for f in raw.table.fields:
            ref = f.list_reference
            if ref is None or ref.resource not in keys:
                continue
            known = keys[ref.resource]
            for row in raw.rows:
                for item in split_list(row.cells.get(f.name, ""), ref.separator):
                    if item not in known:
                        problems.append(_unknown(raw, row, f.name, item, ref.resource, suggest[ref.resource], aliases))


class Suggester:
    """'Did you mean' for unknown ids, near-linear in the number of bad references.

    difflib against every key for every bad reference is quadratic (10,000 bad references took
    minutes). Here each distinct value is looked up once, and for a large table only keys that
    sort near it are considered: neighbours in alphabetical order (a typo near the end, 'aa-2024'
    beside 'aa-2023') and in the order of the reversed text (a typo near the start). The few
    sharing the longest prefix and suffix with the value are then ranked by difflib, as a small
    table's keys are in full."""

    FULL = 24  # tables up to this many keys are compared in full
    WINDOW = 8  # neighbours taken on each side, in each order
    RANKED = 6  # candidates difflib ranks

    def __init__(self, keys):
        self.keys = sorted(keys)
        self.reversed = sorted(k[::-1] for k in self.keys)
        self.cache: dict[str, list[str]] = {}

    def candidates(self, value: str) -> list[str]:
        if len(self.keys) <= self.FULL:
            return self.keys
        at = bisect.bisect_left(self.keys, value)
        near = self.keys[max(at - self.WINDOW, 0) : at + self.WINDOW]
        backwards = value[::-1]
        at = bisect.bisect_left(self.reversed, backwards)
        near += [k[::-1] for k in self.reversed[max(at - self.WINDOW, 0) : at + self.WINDOW]]

        def shared(key: str) -> int:
            return len(os.path.commonprefix([value, key])) + len(os.path.commonprefix([backwards, key[::-1]]))

        return sorted(dict.fromkeys(near), key=shared, reverse=True)[: self.RANKED]

    def __call__(self, value: str, n: int = 3) -> list[str]:
        if value not in self.cache:
            self.cache[value] = difflib.get_close_matches(value, self.candidates(value), n=n)
        return self.cache[value]


def split_list(value: str, separator: str = ";") -> list[str]:
    return [item.strip() for item in value.split(separator) if item.strip()]


def _alias_index(entities: RawTable | None) -> dict[str, tuple[str, list[str]]]:
    """slug of every name or alias -> (entity id, the names sources use for it)."""
    index: dict[str, tuple[str, list[str]]] = {}
    if entities is None:
        return index
    for row in entities.rows:
        eid = row.cells.get("entity_id", "")
        names = [n for n in [row.cells.get("name", ""), *split_list(row.cells.get("aliases", ""))] if n]
        for name in names:
            index[_slug(name)] = (eid, names)
    return index


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


SINGULAR = {"entities": "entity", "sources": "source", "agreements": "agreement", "flows": "flow", "chips": "chip"}


def _unknown(raw: RawTable, row: Row, column: str, value: str, target: str, suggest: Suggester, aliases: dict) -> Problem:
    if target == "entities" and _slug(value) in aliases:
        eid, names = aliases[_slug(value)]
        hint = f"did you mean '{eid}'? '{clip(value)}' is a name sources use for it ({', '.join(names)})"
    else:
        close = suggest(value)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else f"add it to data/{target}.csv first"
    return Problem(raw.file, row.line, column, f"unknown {SINGULAR.get(target, target)} '{clip(value)}'", hint)
