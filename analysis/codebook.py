"""The codebook: every table and column of the ledger, read from datapackage.json."""

from __future__ import annotations

import pandas as pd

from .schema import Field, Package

TYPE_NAMES = {"integer": "whole number", "number": "decimal number", "boolean": "true / false", "string": "text"}


def _type(f: Field) -> str:
    if f.is_partial_date:
        return "date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if f.name.endswith("_usd"):
        return "whole US dollars"
    if f.name == "capacity_gw":
        return "gigawatts"
    if f.name == "term_years":
        return "years"
    if f.list_reference:
        return f"list of {f.list_reference.resource} ids, ';'-separated"
    return TYPE_NAMES.get(f.type, f.type)


def columns(package: Package, table_name: str) -> pd.DataFrame:
    """One row per column: name, type with unit, required, allowed values, description."""
    table = package.table(table_name)
    refs = {fk.field: (fk.resource or table.name) for fk in table.foreign_keys}
    rows = []
    for f in table.fields:
        links = f"id in {refs[f.name]}" if f.name in refs else ""
        rows.append(
            {
                "column": f.name,
                "type": _type(f),
                "required": "yes" if f.required or f.name == table.primary_key else "",
                "allowed values": ", ".join(f.enum) if f.enum else links,
                "description": f.description,
            }
        )
    return pd.DataFrame(rows)


def tables(package: Package, ds) -> pd.DataFrame:
    """One row per table: name, file, rows, description."""
    return pd.DataFrame(
        [
            {"table": t.title, "file": t.path, "rows": len(ds.table(t.name)), "key": t.primary_key, "description": t.description}
            for t in package.tables
        ]
    )
