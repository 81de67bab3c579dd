"""Integrity checks beyond one cell: where the files are, chains of references, what a claim's
value means, and sources recorded twice.

- Files: only the resources datapackage.json declares are read, each a regular file inside the
  data folder (a symlink or a directory is an error, whatever it points at).
- Chains: a column that refers to its own table (flows.superseded_by, entities.parent_id,
  investor_returns.overlaps) never refers to its own row and never loops.
- Claim values: a claim's value is checked against the column it is about: money is whole
  dollars within the column's bounds, dates are real dates, ids name existing rows, kinds and
  statuses are allowed values.
- Sources: two rows with the same address are one source recorded twice.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .problems import Problem
from .schema import Field, Package, Table
from .tables import (
    SINGULAR,
    RawTable,
    Suggester,
    _shown_path,
    clip,
    date_error,
    foreign_digit,
    integer_error,
    keys_of,
    number_error,
)

# Totals a source states for a whole agreement: whole dollars, bounded like the legs' amounts.
DERIVED_MONEY = (
    "invested_usd",
    "invested_usd_max",
    "committed_usd",
    "committed_usd_max",
    "cumulative_invested_usd",
    "cumulative_invested_usd_max",
)
# A claim about a leg's chip may name the chip or only its family.
ALSO_ACCEPTED = {"chip": "chip_family"}


def check_files(package: Package, root: Path) -> tuple[list[Problem], set[str]]:
    """Problems with the declared files, and the names of the tables that are safe to read."""
    problems: list[Problem] = []
    readable: set[str] = set()
    base = root.resolve()
    for table in package.tables:
        path = root / table.path
        shown = _shown_path(path)
        problem = _file_problem(root, table.path, base)
        if problem:
            message, hint = problem
            problems.append(Problem(shown, 0, "", message, hint))
        else:
            readable.add(table.name)
    return problems, readable


def _file_problem(root: Path, relative: str, base: Path) -> tuple[str, str] | None:
    here = root
    for part in Path(relative).parts:
        here = here / part
        if here.is_symlink():
            return (
                f"is a symbolic link (to {_link_target(here)}), not a file in the data folder",
                "replace the link with the CSV file itself; only files inside data/ are read or published",
            )
    path = root / relative
    if not path.exists():
        return None  # reported by the reader, with the header to start from
    if not path.resolve().is_relative_to(base):
        return ("is outside the data folder", "keep every table inside data/")
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file"
        return (f"is {what}, not a CSV file", "the resource's path must name a CSV file")
    return None


def _link_target(path: Path) -> str:
    try:
        return str(path.readlink())
    except OSError:
        return "somewhere else"


def check(package: Package, raws: dict[str, RawTable]) -> list[Problem]:
    problems: list[Problem] = []
    for raw in raws.values():
        problems += _chains(raw)
    problems += _claim_values(package, raws)
    if "sources" in raws:
        problems += _duplicate_urls(raws["sources"])
    return problems


# -- chains of references within one table -----------------------------------------------------

HINTS = {
    "superseded_by": "name the later leg that replaced this one; the latest leg of a chain has no superseded_by",
    "parent_id": "name the parent company; the top of a group has no parent_id",
    "overlaps": "name the other figure this one overlaps; the figure that is kept has no overlaps",
}


def _chains(raw: RawTable) -> list[Problem]:
    table = raw.table
    out: list[Problem] = []
    for fk in table.foreign_keys:
        if fk.resource not in ("", table.name):
            continue
        pk = table.primary_key
        rows = {r.cells.get(pk, ""): r for r in raw.rows if r.cells.get(pk)}
        target = {key: r.cells.get(fk.field, "") for key, r in rows.items()}
        hint = HINTS.get(fk.field, f"break the loop: the last row of the chain leaves {fk.field} empty")
        for key, row in rows.items():
            if target[key] == key:
                out.append(Problem(raw.file, row.line, fk.field, f"'{key}' refers to itself", hint))
        # Each row points at most once: walk every chain once, marking rows as done.
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
        for start in rows:
            walk = []
            key = start
            while key in rows and key not in state and target[key] != key:
                state[key] = 1
                walk.append(key)
                key = target[key]
            if key in state and state[key] == 1:
                loop = walk[walk.index(key) :]
                first = min(loop, key=lambda k: rows[k].line)
                at = loop.index(first)
                loop = loop[at:] + loop[:at]
                chain = " → ".join(f"'{k}'" for k in [*loop, first])
                out.append(Problem(raw.file, rows[first].line, fk.field, f"goes round in a loop: {chain}", hint))
            for k in walk:
                state[k] = 2
    return out


# -- claim values --------------------------------------------------------------------------------


def _claim_values(package: Package, raws: dict[str, RawTable]) -> list[Problem]:
    claims = raws.get("claims")
    if claims is None or "flows" not in raws or "agreements" not in raws:
        return []
    flows, agreements = raws["flows"].table, raws["agreements"].table
    keys = {name: keys_of(raw) for name, raw in raws.items()}
    suggesters: dict[str, Suggester] = {}
    specs: dict[tuple[str, str], Field | None] = {}
    seen: dict[tuple[str, str, str], tuple[str | None, str]] = {}  # values repeat: check each once
    out = []
    for row in claims.rows:
        cells = row.cells
        value, name = cells.get("value", ""), cells.get("field", "")
        if not value or bool(cells.get("flow_id")) == bool(cells.get("agreement_id")):
            continue  # an empty value or an unclear subject is reported by the schema and the rules
        table = flows if cells.get("flow_id") else agreements
        if (table.name, name) not in specs:
            specs[table.name, name] = _claimed_field(table, name, flows)
        spec = specs[table.name, name]
        if spec is None:
            continue  # a field that claims cannot name is reported by the rules
        key = (table.name, name, value)
        if key not in seen:
            seen[key] = _value_error(spec, value, table, keys, suggesters)
        message, hint = seen[key]
        if message:
            out.append(Problem(claims.file, row.line, "value", f"{message} for {name}", hint))
    return out


def _claimed_field(table: Table, name: str, flows: Table) -> Field | None:
    if name in table.field_names:
        return table.field(name)
    if name in DERIVED_MONEY and "amount_usd" in flows.field_names:
        money = flows.field("amount_usd")
        return Field(name=name, type="integer", minimum=0, maximum=money.maximum)
    return None


def _value_error(spec: Field, value: str, table: Table, keys: dict, suggesters: dict) -> tuple[str | None, str]:
    foreign = foreign_digit(value) if spec.type in ("integer", "number") or spec.is_partial_date else None
    if foreign:
        return f"'{clip(value)}' contains {foreign}", "type the value with the digits 0-9"
    if spec.type == "integer":
        message = integer_error(value, spec.minimum, spec.maximum)
        return message, "write whole US dollars with the digits 0-9 only, within the column's bounds (see datapackage.json)"
    if spec.type == "number":
        return number_error(value, spec.minimum, spec.maximum), "write a decimal number such as 1.5, within the column's bounds"
    if spec.type == "boolean":
        return (None if value in ("true", "false") else f"'{clip(value)}' is not true or false"), "write true or false"
    if spec.is_partial_date:
        message = date_error(value) if spec.regex is None or spec.regex.fullmatch(value) else f"'{clip(value)}' is not a date"
        return message, "write an ISO date with the digits 0-9: YYYY, YYYY-MM or YYYY-MM-DD"
    also = table.field(ALSO_ACCEPTED[spec.name]) if spec.name in ALSO_ACCEPTED and ALSO_ACCEPTED[spec.name] in table.field_names else None
    if also is not None and also.enum and value in also.enum:
        return None, ""
    if spec.enum is not None and value not in spec.enum:
        return f"'{clip(value)}' is not one of the allowed values", "use one of: " + ", ".join(spec.enum)
    target = next((fk.resource or table.name for fk in table.foreign_keys if fk.field == spec.name), None)
    if target is not None and target in keys and value not in keys[target]:
        suggest = suggesters.setdefault(target, Suggester(keys[target]))
        close = suggest(value)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else f"use an id from data/{target}.csv"
        if also is not None and also.enum:
            hint += f" (or a chip family: {', '.join(also.enum)})"
        return f"'{clip(value)}' is not a known {SINGULAR.get(target, target)}", hint
    if spec.regex is not None and target is None and not spec.regex.fullmatch(value):
        return f"'{clip(value)}' does not match the pattern {spec.pattern}", "see the column in datapackage.json"
    return None, ""


# -- sources recorded twice ----------------------------------------------------------------------


def normalise_url(url: str) -> str:
    """The address two spellings of one page share: scheme and host in lower case, no default
    port, no fragment, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), parts.query, ""))


def _duplicate_urls(sources: RawTable) -> list[Problem]:
    first: dict[str, tuple[str, int]] = {}
    out = []
    for row in sources.rows:
        url = row.cells.get("url", "")
        if not url:
            continue
        key = normalise_url(url)
        if key in first:
            source_id, line = first[key]
            out.append(
                Problem(
                    sources.file,
                    row.line,
                    "url",
                    f"is the same address as source '{source_id}' on line {line}",
                    f"one page is one source: cite '{source_id}' in claims instead, and remove this row",
                )
            )
        else:
            first[key] = (row.cells.get("source_id", ""), row.line)
    return out
