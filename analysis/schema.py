"""The ledger's schema, read from data/datapackage.json (Frictionless Table Schema).

datapackage.json is the single description of the tables: the validator, the loader and the
book's Data page all read it from here, so a column is declared once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


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
    list_reference: ListReference | None = None

    @property
    def is_partial_date(self) -> bool:
        # Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) are strings with this pattern; each has
        # a `<name>_precision` column beside it.
        return self.type == "string" and bool(self.pattern) and self.pattern.startswith("\\d{4}")


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


def _field(spec: dict) -> Field:
    c = spec.get("constraints", {})
    ref = spec.get("listReference")
    return Field(
        name=spec["name"],
        type=spec.get("type", "string"),
        description=spec.get("description", ""),
        required=bool(c.get("required", False)),
        unique=bool(c.get("unique", False)),
        enum=tuple(c["enum"]) if "enum" in c else None,
        pattern=c.get("pattern"),
        minimum=c.get("minimum"),
        list_reference=ListReference(ref["resource"], ref["field"], ref.get("separator", ";")) if ref else None,
    )


def _table(spec: dict) -> Table:
    schema = spec["schema"]
    (pk,) = schema["primaryKey"]
    fks = tuple(
        ForeignKey(fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0]) for fk in schema.get("foreignKeys", [])
    )
    return Table(
        name=spec["name"],
        path=spec["path"],
        title=spec.get("title", spec["name"]),
        description=spec.get("description", ""),
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=pk,
        foreign_keys=fks,
    )


def read_package(root: str | Path = "data") -> Package:
    root = Path(root)
    raw = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return Package(
        root=root,
        name=raw["name"],
        title=raw.get("title", raw["name"]),
        version=raw.get("version", ""),
        tables=tuple(_table(r) for r in raw["resources"]),
        raw=raw,
    )
