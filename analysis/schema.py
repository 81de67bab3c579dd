"""The ledger's schema, read from data/datapackage.json (Frictionless Table Schema).

datapackage.json is the single description of the tables: the validator, the loader and the
book's Data page all read it from here, so a column is declared once.

The descriptor is checked before anything is read from it: every key the engine uses must be
there with the right type, every pattern must compile, every key and reference must name a
declared table and column, and the tables and columns the book reads (`CONTRACT`) must be
declared with the types the code expects. A problem names the line in datapackage.json and the
JSON path of the offending key, like every other problem in the ledger.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .problems import LedgerError, Problem

SUPPORTED_TYPES = ("string", "integer", "number", "boolean")
CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
NAME = re.compile(r"[a-z][a-z0-9_]*")
# The tables and columns the book's code reads, with their types. A ledger may add tables and
# columns; it may not drop or retype these, or the chapters would fail after validation passed.
CONTRACT: dict[str, str] = {
    "entities": "entity_id name kind parent_id aliases",
    "sources": "source_id url publisher title published published_precision kind tier original_publisher original_url seed_file note",
    "agreements": "agreement_id announced announced_precision title status parties summary",
    "flows": "flow_id agreement_id date date_precision from_id to_id kind amount_usd:integer amount_usd_max:integer shares:integer "
    "conditional:boolean condition capacity_gw:number term_years:number chip_family chip funded:boolean funded_usd:integer "
    "funded_by funded_by_precision superseded_by note",
    "claims": "claim_id source_id flow_id agreement_id field value verdict note",
    "chips": "chip_id vendor_id family name generation use announced announced_precision available available_precision source_ids note",
    "sites": "site_id name operator_id tenant_id location country chip_id chip_count:integer capacity_gw:number announced "
    "announced_precision online online_precision source_ids note",
    "funding_rounds": "round_id company_id announced announced_precision name amount_usd:integer pre_money_usd:integer "
    "post_money_usd:integer lead_ids source_ids note",
    "regulatory_actions": "action_id regulator_id date date_precision kind subjects agreement_ids title outcome source_ids note",
    "investor_returns": "return_id investor_id lab_id period period_precision kind amount_usd:integer source_ids overlaps note",
}
# Whole numbers the engine can hold (pandas Int64) when no tighter maximum is declared.
INT64_MAX = 2**63 - 1


def contract_fields(table: str) -> dict[str, str]:
    return dict((item.split(":") + ["string"])[:2] for item in CONTRACT.get(table, "").split())  # type: ignore[misc]


@dataclass(frozen=True)
class ListReference:
    """A ';'-separated column whose every item must be a key of another table."""

    resource: str
    field: str
    separator: str = ";"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    list_reference: ListReference | None = None

    @functools.cached_property
    def is_partial_date(self) -> bool:
        # Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) are strings with this pattern; each has
        # a `<name>_precision` column beside it.
        return self.type == "string" and bool(self.pattern) and self.pattern.startswith("\\d{4}")

    @property
    def regex(self) -> re.Pattern | None:
        return compile_pattern(self.pattern) if self.pattern else None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str  # "" means the same table
    target_field: str


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


@dataclass(frozen=True)
class Package:
    root: Path
    name: str
    title: str
    version: str
    tables: tuple[Table, ...]
    raw: dict

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"the data package has no table {name!r}")


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern:
    r"""A schema pattern as Python compiles it, except that `\d` means the ASCII digits 0-9 only.

    Python's `\d` also matches Arabic-Indic, Devanagari, fullwidth and other decimal digits,
    which `int()` then happily reads; the ledger's numbers and dates are ASCII."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif nxt == "D" and not in_class:
                out.append("[^0-9]")
            else:
                out.append(ch + nxt)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return re.compile("".join(out))


# -- reading the descriptor ----------------------------------------------------------------------


def read_package(root: str | Path = "data") -> Package:
    """The package at `root`; raise LedgerError naming every problem in its descriptor."""
    package, problems = load_package(root)
    if package is None:
        raise LedgerError(problems)
    return package


def load_package(root: str | Path = "data", shown: str | None = None) -> tuple[Package | None, list[Problem]]:
    """Read and check datapackage.json; the package is None when the descriptor has problems."""
    root = Path(root)
    path = root / "datapackage.json"
    shown = shown or str(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return None, [Problem(shown, 0, "", "is not a regular file", "datapackage.json must be a plain file inside the data folder")]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(shown, 0, "", "not found", "point at the folder holding datapackage.json")]
    except OSError as err:
        return None, [Problem(shown, 0, "", f"cannot be read ({err.strerror})", "check the file's permissions")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [Problem(shown, 0, "", f"is not valid UTF-8 ({err.reason} at byte {err.start})", "save the file as UTF-8")]
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict:
        seen: dict = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        raw = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        return None, [Problem(shown, err.lineno, "", f"is not valid JSON: {err.msg} (column {err.colno})", "fix the JSON syntax there")]
    except RecursionError:
        return None, [Problem(shown, 1, "", "is nested too deeply to read", "a data package is a few levels deep: check the brackets")]
    reader = _Descriptor(shown, text)
    for key in sorted(set(duplicates)):
        reader.problem((), f"the key '{key}' appears twice in one object; only the last copy would count", "keep one copy of it")
    package = reader.package(root, raw)
    return (package if not reader.problems else None), reader.problems


class _Descriptor:
    """Checks one descriptor and builds the Package from it."""

    def __init__(self, shown: str, text: str):
        self.shown = shown
        self.all_named = True
        self.problems: list[Problem] = []
        self.text_ = text

    @functools.cached_property
    def lines(self) -> dict[tuple, int]:
        return _positions(self.text_)  # only needed to report a problem

    def problem(self, path: tuple, message: str, hint: str) -> None:
        line = 1
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                line = self.lines[path[:n]]
                break
        self.problems.append(Problem(self.shown, line, _dotted(path), message, hint))

    def text(self, spec: dict, path: tuple, key: str, required: bool = False, default: str = "") -> str:
        if key not in spec:
            if required:
                self.problem((*path, key), "is missing", f'add "{key}": "..."')
            return default
        value = spec[key]
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem((*path, key), f"is {_what(value)}, not text", f'write it as a JSON string: "{key}": "..."')
            return default
        return value

    def package(self, root: Path, raw: object) -> Package | None:
        if not isinstance(raw, dict):
            self.problem((), f"is {_what(raw)}, not a JSON object", 'a data package is an object: {"name": ..., "resources": [...]}')
            return None
        name = self.text(raw, (), "name", required=True)
        title = self.text(raw, (), "title", required=True)
        version = self.text(raw, (), "version", required=True)
        updated = self.text(raw, (), "updated", required=True)
        if updated and not compile_pattern(r"\d{4}-\d{2}-\d{2}").fullmatch(updated):
            self.problem(("updated",), f"'{updated}' is not a date", "write the date of the last update as YYYY-MM-DD")
        self.text(raw, (), "description")
        resources = raw.get("resources")
        if not isinstance(resources, list) or not resources:
            what = "missing" if resources is None else f"{_what(resources)}, not a list of tables" if resources else "an empty list"
            self.problem(("resources",), f"is {what}", "list the ledger's tables under resources")
            return None
        valid = [self._is_resource(i, r) for i, r in enumerate(resources)]
        specs = [(i, r) for i, r in enumerate(resources) if valid[i]]
        # Every table with a usable name counts as declared, even when the rest of its
        # description has problems: those are reported once, at the table itself.
        named = [
            (i, r) for i, r in enumerate(resources) if isinstance(r, dict) and isinstance(r.get("name"), str) and NAME.fullmatch(r["name"])
        ]
        names: dict[str, int] = {}
        paths: dict[str, int] = {}
        for i, spec in named:
            name_, path_ = spec["name"], spec.get("path")
            if name_ in names:
                self.problem(
                    ("resources", i, "name"), f"'{name_}' is already the name of resources[{names[name_]}]", "give each table its own name"
                )
            names.setdefault(name_, i)
            key = str(PurePosixPath(path_)) if isinstance(path_, str) else None
            if key in paths:
                self.problem(
                    ("resources", i, "path"), f"'{path_}' is already the file of resources[{paths[key]}]", "give each table its own file"
                )
            if key is not None:
                paths.setdefault(key, i)
        schemas = {spec["name"]: (i, spec) for i, spec in named}
        self.all_named = len(named) == len(resources)  # else a reference may name the unnamed table
        tables = []
        for i, spec in specs:
            table = self._table(i, spec, schemas)
            if table is not None:
                tables.append(table)
        missing = [t for t in CONTRACT if t not in schemas] if self.all_named else []
        unknown = [n for n in names if n not in CONTRACT]
        for table_name in missing:
            message = f"the table '{table_name}' is not declared, but the book reads it"
            if len(missing) == 1 and len(unknown) == 1:  # most likely a rename
                self.problem(("resources", names[unknown[0]], "name"), f"'{unknown[0]}': {message}", f"rename it back to '{table_name}'")
            else:
                self.problem(("resources",), message, f"declare the table '{table_name}'")
        if self.problems:
            return None
        return Package(root=root, name=name, title=title, version=version, tables=tuple(tables), raw=raw)

    def _is_resource(self, i: int, spec: object) -> bool:
        path = ("resources", i)
        if not isinstance(spec, dict):
            self.problem(
                path, f"is {_what(spec)}, not a table description", 'describe the table as {"name": ..., "path": ..., "schema": ...}'
            )
            return False
        ok = True
        name = spec.get("name")
        if not isinstance(name, str) or not NAME.fullmatch(name):
            message = "is missing" if "name" not in spec else f"{_shown(name)} is not a table name"
            self.problem((*path, "name"), message, 'write "name": "<table>" in lowercase letters, digits and underscores')
            ok = False
        if "path" not in spec:
            self.problem((*path, "path"), "is missing", 'add "path": "<table>.csv", the file inside the data folder')
            ok = False
        elif not _path_ok(self, (*path, "path"), spec["path"]):
            ok = False
        schema = spec.get("schema")
        if not isinstance(schema, dict):
            self.problem((*path, "schema"), f"is {_what(schema)}", 'describe the columns: "schema": {"fields": [...], "primaryKey": [...]}')
            ok = False
        encoding = spec.get("encoding", "utf-8")
        if not isinstance(encoding, str) or encoding.lower().replace("-", "") != "utf8":
            self.problem(
                (*path, "encoding"), f"{_shown(encoding)} is not supported", 'the ledger is UTF-8: write "utf-8" or remove the key'
            )
            ok = False
        if spec.get("format", "csv") != "csv":
            self.problem(
                (*path, "format"), f"{_shown(spec.get('format'))} is not supported", 'the ledger is CSV: write "csv" or remove the key'
            )
            ok = False
        if "dialect" in spec:
            self.problem((*path, "dialect"), "a CSV dialect is not supported", "the ledger is plain comma-separated CSV: remove the key")
            ok = False
        for key in ("title", "description"):
            if key in spec and not isinstance(spec[key], str):
                self.problem((*path, key), f"is {_what(spec[key])}, not text", f'write it as a JSON string: "{key}": "..."')
                ok = False
        return ok

    def _table(self, i: int, spec: dict, schemas: dict[str, tuple[int, dict]]) -> Table | None:
        at = ("resources", i, "schema")
        schema = spec["schema"]
        specs = schema.get("fields")
        if not isinstance(specs, list) or not specs:
            self.problem((*at, "fields"), f"is {_what(specs) if specs != [] else 'an empty list'}", "list the table's columns")
            return None
        before = len(self.problems)
        fields: list[Field] = []
        seen: dict[str, int] = {}
        for j, fspec in enumerate(specs):
            f = self._field((*at, "fields", j), fspec, schemas)
            if f is None:
                if isinstance(fspec, dict) and isinstance(fspec.get("name"), str):
                    seen.setdefault(fspec["name"], j)  # declared, with problems reported at the column
                continue
            if f.name in seen:
                self.problem(
                    (*at, "fields", j, "name"), f"'{f.name}' is already declared as fields[{seen[f.name]}]", "declare each column once"
                )
                continue
            seen[f.name] = j
            fields.append(f)
        names = [f.name for f in fields]
        all_named = all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in specs)
        for column, type_ in contract_fields(spec["name"]).items():
            if column not in seen and all_named:
                self.problem(
                    (*at, "fields"), f"{column}: the column is not declared, but the book reads it", f"declare '{column}' ({type_})"
                )
            elif column in names and fields[names.index(column)].type != type_:
                self.problem(
                    (*at, "fields", seen[column], "type"),
                    f"'{column}' is declared as {fields[names.index(column)].type}, but the book reads it as {type_}",
                    f'write "type": "{type_}"',
                )
        pk = self._key(at, schema, list(seen))
        fks = self._foreign_keys(at, schema, spec["name"], list(seen), schemas)
        if len(self.problems) > before or pk is None:
            return None
        return Table(
            name=spec["name"],
            path=spec["path"],
            title=spec.get("title", spec["name"]),
            description=spec.get("description", ""),
            fields=tuple(fields),
            primary_key=pk,
            foreign_keys=fks,
        )

    def _field(self, at: tuple, spec: object, schemas: dict[str, tuple[int, dict]]) -> Field | None:
        if not isinstance(spec, dict):
            self.problem(at, f"is {_what(spec)}, not a column", 'describe the column as {"name": ..., "type": ...}')
            return None
        name = spec.get("name")
        if not isinstance(name, str) or not name or name != name.strip() or "," in name:
            self.problem((*at, "name"), f"is {_what(name)}", 'name the column: "name": "<column>"')
            return None
        before = len(self.problems)
        type_ = spec.get("type", "string")
        if type_ not in SUPPORTED_TYPES:
            self.problem((*at, "type"), f"{name}: type {_shown(type_)} is not supported", "use one of: " + ", ".join(SUPPORTED_TYPES))
            return None
        description = self.text(spec, at, "description")
        c = spec.get("constraints", {})
        if not isinstance(c, dict):
            self.problem((*at, "constraints"), f"{name}: constraints are {_what(c)}", 'write them as an object: {"required": true}')
            return None
        cat = (*at, "constraints")
        for key in sorted(set(c) - CONSTRAINTS):
            self.problem((*cat, key), f"{name}: the constraint '{key}' is not checked here", "use only: " + ", ".join(sorted(CONSTRAINTS)))
        flags = {}
        for key in ("required", "unique"):
            flags[key] = c.get(key, False)
            if not isinstance(flags[key], bool):
                self.problem((*cat, key), f"{name}: {_shown(flags[key])} is not true or false", f'write "{key}": true or false')
        enum = c.get("enum")
        if enum is not None and (type_ != "string" or not isinstance(enum, list) or not enum or not all(isinstance(v, str) for v in enum)):
            self.problem((*cat, "enum"), f"{name}: enum is {_what(enum)}", "list the allowed values as JSON strings (text columns only)")
        pattern = c.get("pattern")
        if pattern is not None:
            if type_ != "string" or not isinstance(pattern, str):
                self.problem(
                    (*cat, "pattern"), f"{name}: pattern is {_what(pattern)}", "write a regular expression as a JSON string (text columns)"
                )
            else:
                try:
                    compile_pattern(pattern)
                except re.error as err:
                    self.problem((*cat, "pattern"), f"{name}: '{pattern}' is not a valid regular expression ({err})", "fix the expression")
        bounds = {}
        for key in ("minimum", "maximum"):
            value = c.get(key)
            if value is None:
                continue
            if (
                type_ not in ("integer", "number")
                or isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                self.problem(
                    (*cat, key), f"{name}: {key} is {_what(value)}", f'write a JSON number, e.g. "{key}": 0 (numeric columns only)'
                )
            else:
                bounds[key] = value
        if "minimum" in bounds and "maximum" in bounds and bounds["minimum"] > bounds["maximum"]:
            self.problem((*cat, "maximum"), f"{name}: maximum {bounds['maximum']} is below minimum {bounds['minimum']}", "swap them")
        ref = spec.get("listReference")
        list_reference = None
        if ref is not None:
            list_reference = self._list_reference((*at, "listReference"), name, ref, schemas)
        if len(self.problems) > before:
            return None
        return Field(
            name=name,
            type=type_,
            description=description,
            required=flags["required"],
            unique=flags["unique"],
            enum=tuple(enum) if enum is not None else None,
            pattern=pattern,
            minimum=bounds.get("minimum"),
            maximum=bounds.get("maximum"),
            list_reference=list_reference,
        )

    def _list_reference(self, at: tuple, name: str, ref: object, schemas: dict) -> ListReference | None:
        if not isinstance(ref, dict) or not isinstance(ref.get("resource"), str) or not isinstance(ref.get("field"), str):
            self.problem(
                at, f"{name}: listReference is {_what(ref)}", 'write {"resource": "<table>", "field": "<its key>", "separator": ";"}'
            )
            return None
        separator = ref.get("separator", ";")
        if not isinstance(separator, str) or not separator.strip() or separator.strip() != separator:
            self.problem((*at, "separator"), f"{name}: separator {_shown(separator)} is not usable", 'write "separator": ";"')
            return None
        if not self._names_key(at, name, ref["resource"], ref["field"], schemas):
            return None
        return ListReference(ref["resource"], ref["field"], separator)

    def _names_key(self, at: tuple, name: str, resource: str, target: str, schemas: dict) -> bool:
        """Does `resource.target` name a declared table's primary key? References are checked
        against primary keys, so that is the only thing they may point at."""
        if resource not in schemas:
            if self.all_named:
                self.problem(at, f"{name}: refers to the table {_shown(resource)}, which is not declared", "name a table under resources")
            return False
        schema = schemas[resource][1].get("schema")
        pk = _key_name(schema.get("primaryKey")) if isinstance(schema, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        declared = {f.get("name") for f in fields if isinstance(f, dict)} if isinstance(fields, list) else set()
        if pk is not None and pk in declared and target != pk:  # a broken key is reported at its own table
            self.problem(at, f"{name}: refers to {resource}.{target}, which is not that table's key", f"refer to {resource}.{pk}")
            return False
        return True

    def _key(self, at: tuple, schema: dict, names: list[str]) -> str | None:
        if "primaryKey" not in schema:
            self.problem((*at, "primaryKey"), "is missing", 'name the id column: "primaryKey": ["<column>"]')
            return None
        pk = _key_name(schema["primaryKey"])
        if pk is None:
            self.problem(
                (*at, "primaryKey"), f"{_shown(schema['primaryKey'])} is not one column", 'name one id column: "primaryKey": ["<column>"]'
            )
            return None
        if pk not in names:
            self.problem((*at, "primaryKey"), f"'{pk}' is not a declared column", "name one of: " + ", ".join(names))
            return None
        return pk

    def _foreign_keys(self, at: tuple, schema: dict, table: str, names: list[str], schemas: dict) -> tuple[ForeignKey, ...]:
        specs = schema.get("foreignKeys", [])
        if not isinstance(specs, list):
            self.problem((*at, "foreignKeys"), f"is {_what(specs)}, not a list", "write a list of foreign keys, or remove the key")
            return ()
        out = []
        for k, fk in enumerate(specs):
            where = (*at, "foreignKeys", k)
            ref = fk.get("reference") if isinstance(fk, dict) else None
            local = _key_name(fk.get("fields")) if isinstance(fk, dict) else None
            target = _key_name(ref.get("fields")) if isinstance(ref, dict) else None
            resource = ref.get("resource") if isinstance(ref, dict) else None
            if local is None or target is None or not isinstance(resource, str):
                self.problem(
                    where,
                    "is not a foreign key of one column",
                    'write {"fields": ["<column>"], "reference": {"resource": "<table>", "fields": ["<key>"]}}',
                )
                continue
            if local not in names:
                self.problem(where, f"'{local}' is not a declared column", "name one of: " + ", ".join(names))
                continue
            if self._names_key(where, local, resource or table, target, schemas):
                out.append(ForeignKey(local, resource, target))
        return tuple(out)


def _key_name(value: object) -> str | None:
    """A one-column key written as "col" or ["col"]."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) and value[0]:
        return value[0]
    return None


def _path_ok(reader: _Descriptor, at: tuple, path: object) -> bool:
    """A resource's file: a relative path to a .csv file inside the data folder."""
    if not isinstance(path, str) or not path:
        reader.problem(at, f"is {_what(path)}, not one file name", 'write "path": "<table>.csv" (one file per table)')
        return False
    pure = PurePosixPath(path)
    if "\\" in path or pure.is_absolute() or ".." in pure.parts or path.startswith("~") or any(ch in path for ch in "\0\n\r"):
        reader.problem(at, f"'{path}' leaves the data folder", 'name a file inside the data folder, e.g. "path": "flows.csv"')
        return False
    if pure.suffix != ".csv":
        reader.problem(at, f"'{path}' is not a .csv file", 'each table is a CSV file: "path": "<table>.csv"')
        return False
    return True


def _what(value: object) -> str:
    if value is None:
        return "missing"
    kind = {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}.get(
        type(value), "a value"
    )
    return f"{kind} ({_shown(value)})" if not isinstance(value, list | dict) else kind


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# -- where each value is in the text -----------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")


def _positions(text: str) -> dict[tuple, int]:
    """JSON path -> line number where that value starts (for valid JSON already parsed)."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    found: dict[tuple, int] = {}

    def line(i: int) -> int:
        return bisect.bisect_right(starts, i)

    def value(i: int, path: tuple) -> int:
        i = _WS.match(text, i).end()
        found.setdefault(path, line(i))
        ch = text[i]
        if ch in "{[":
            closing, n = ("}" if ch == "{" else "]"), 0
            i = _WS.match(text, i + 1).end()
            if text[i] == closing:
                return i + 1
            while True:
                if ch == "{":
                    i = _WS.match(text, i).end()
                    key, i = json.decoder.scanstring(text, i + 1)
                    i = _WS.match(text, i).end() + 1  # the colon
                    i = value(i, (*path, key))
                else:
                    i = value(i, (*path, n))
                    n += 1
                i = _WS.match(text, i).end()
                if text[i] == closing:
                    return i + 1
                i += 1  # the comma
        if ch == '"':
            return json.decoder.scanstring(text, i + 1)[1]
        return _SCALAR.match(text, i).end()

    try:
        value(0, ())
    except (RecursionError, IndexError, AttributeError, ValueError):
        pass  # positions are a courtesy; the JSON itself was already read
    return found
