"""Read the ledger's CSV files and check every cell against the Table Schema.

The result is raw rows (strings) plus the problems found; typing into DataFrames happens only
once a table is clean (see dataset.py). Line numbers are tracked so every problem can name the
line an author sees in an editor.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem
from .schema import Field, Package, Table

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


def read_csv(table: Table, root: Path, problems: list[Problem]) -> RawTable | None:
    """Read one table's CSV; structural problems (missing file, bad header, ragged row) are
    reported and the offending rows skipped from typing, never silently dropped."""
    path = root / table.path
    shown = _shown_path(path)
    if not path.exists():
        problems.append(Problem(shown, 0, "", "file is missing", f"create it with the header: {','.join(table.field_names)}"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        problems.append(Problem(shown, 0, "", f"is not valid UTF-8 ({err.reason} at byte {err.start})", "save the file as UTF-8"))
        return None
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    rows: list[Row] = []
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
            continue
        rows.append(Row(start, dict(zip(header, (c.strip() for c in record)))))
    return RawTable(table, shown, rows)


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _check_header(table: Table, header: list[str], file: str, problems: list[Problem]) -> None:
    missing = [f for f in table.field_names if f not in header]
    extra = [h for h in header if h not in table.field_names]
    for name in missing:
        problems.append(Problem(file, 1, name, "column is missing from the header", f"add '{name}' (see data/datapackage.json)"))
    for name in extra:
        close = difflib.get_close_matches(name, table.field_names, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "declare it in data/datapackage.json or remove it"
        problems.append(Problem(file, 1, name, "column is not in the schema", hint))


def check_cells(raw: RawTable, problems: list[Problem]) -> None:
    """Types, required values, enums, patterns, minimums and uniqueness."""
    seen: dict[str, dict[str, int]] = {f.name: {} for f in raw.table.fields if f.unique}
    for row in raw.rows:
        for f in raw.table.fields:
            value = row.cells.get(f.name, "")
            if value == "":
                if f.required:
                    problems.append(Problem(raw.file, row.line, f.name, "is required but empty", _describe(f)))
                continue
            message = cell_error(f, value)
            if message:
                problems.append(Problem(raw.file, row.line, f.name, message, _describe(f)))
                continue
            if f.unique:
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


def cell_error(f: Field, value: str) -> str | None:
    """Why `value` is not a valid cell for field `f`, or None when it is."""
    if f.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return f"'{value}' is not a whole number"
        number: float = int(value)
    elif f.type == "number":
        try:
            number = float(value)
        except ValueError:
            return f"'{value}' is not a number"
        if not math.isfinite(number):
            return f"'{value}' is not a finite number"
    elif f.type == "boolean":
        if value not in TRUE_VALUES | FALSE_VALUES:
            return f"'{value}' is not a boolean"
        return None
    else:
        number = None  # type: ignore[assignment]
    if f.minimum is not None and number is not None and number < f.minimum:
        return f"'{value}' is negative" if f.minimum == 0 else f"'{value}' is below the minimum {f.minimum}"
    if f.enum is not None and value not in f.enum:
        close = difflib.get_close_matches(value, f.enum, n=1)
        guess = f" (did you mean '{close[0]}'?)" if close else ""
        return f"'{value}' is not one of the allowed values{guess}"
    if f.pattern and not re.fullmatch(f.pattern, value):
        return f"'{value}' does not match the pattern {f.pattern}"
    if f.is_partial_date and parse_partial_date(value) is None:
        return f"'{value}' is not a real date"
    return None


def _describe(f: Field) -> str:
    if f.type == "integer":
        base = "write a whole number with digits only"
        if f.name.endswith("_usd"):
            base = "write whole US dollars with digits only, e.g. 1250000000 for $1.25 billion"
        return base + (" (0 or more)" if f.minimum == 0 else "")
    if f.type == "number":
        return "write a decimal number such as 1.5" + (" (0 or more)" if f.minimum == 0 else "")
    if f.type == "boolean":
        return "write true or false"
    if f.enum:
        return "use one of: " + ", ".join(f.enum)
    if f.is_partial_date:
        return "write an ISO date: YYYY, YYYY-MM or YYYY-MM-DD"
    if f.pattern and "a-z" in f.pattern:
        return "use a lowercase slug: letters, digits and hyphens, e.g. amazon-anthropic-2023"
    return f.description or "see data/datapackage.json"


def parse_partial_date(value: str) -> dt.date | None:
    """The first day of a YYYY, YYYY-MM or YYYY-MM-DD period, or None if it is not a date."""
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return dt.date(*numbers)
    except (ValueError, TypeError):
        return None


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
    keys = {name: keys_of(raw) for name, raw in raws.items()}
    aliases = _alias_index(raws.get("entities"))
    for name, raw in raws.items():
        for fk in raw.table.foreign_keys:
            target = fk.resource or name
            if target not in keys:
                continue
            for row in raw.rows:
                value = row.cells.get(fk.field, "")
                if value and value not in keys[target]:
                    problems.append(_unknown(raw, row, fk.field, value, target, keys[target], aliases))
        for f in raw.table.fields:
            ref = f.list_reference
            if ref is None or ref.resource not in keys:
                continue
            for row in raw.rows:
                for item in split_list(row.cells.get(f.name, ""), ref.separator):
                    if item not in keys[ref.resource]:
                        problems.append(_unknown(raw, row, f.name, item, ref.resource, keys[ref.resource], aliases))


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


def _unknown(raw: RawTable, row: Row, column: str, value: str, target: str, known: dict[str, int], aliases: dict) -> Problem:
    singular = {"entities": "entity", "sources": "source", "agreements": "agreement", "flows": "flow", "chips": "chip"}.get(target, target)
    if target == "entities" and _slug(value) in aliases:
        eid, names = aliases[_slug(value)]
        hint = f"did you mean '{eid}'? '{value}' is a name sources use for it ({', '.join(names)})"
    else:
        close = difflib.get_close_matches(value, list(known), n=3)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else f"add it to data/{target}.csv first"
    return Problem(raw.file, row.line, column, f"unknown {singular} '{value}'", hint)
