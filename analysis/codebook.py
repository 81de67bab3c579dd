"""The codebook: every table and column of the ledger, read from datapackage.json.

`columns` and `tables` are plain DataFrames; `html` is the data page's codebook, rendered
through analysis.render so package text (titles, descriptions) is always shown as text."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from . import render
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


_FILE = '<a href="{{ href }}" download>{{ name }}</a>'
_SECTION = """<section class="rt-codebook-table" id="table-{{ table.name }}">
<h3>{{ table.title }} (<code>{{ table.path }}</code>)</h3>
<p>{{ table.description }}</p>
{{ columns }}
</section>"""


def tables_html(package: Package, ds, data_url: str = "../data/") -> Markup:
    """The table of tables, each file linked for download from the published data folder."""
    overview = tables(package, ds)
    overview["file"] = [render.render(_FILE, href=data_url + name, name=name) for name in overview["file"]]
    return render.frame_table(overview, label="The ledger's tables")


def columns_html(package: Package) -> Markup:
    """Every table's title, description and columns, one section per table."""
    sections = [
        render.render(_SECTION, table=t, columns=render.frame_table(columns(package, t.name), label=f"Columns of {t.title}"))
        for t in package.tables
    ]
    return Markup("\n").join(sections)
