"""An inventory of bad ledger inputs, grouped by class: what an attacker or a careless editor
would write. Each case edits a copy of the fixture ledger (tests/ledger_fixture.py).

Used by tests/test_robustness.py (every case must exit 1 from `python -m analysis validate`
with a message naming the file, line and column, never a traceback) and by
tools/robustness.py, which counts crashing and silently accepted inputs for a given checkout.
`where` is the text the validator's message must contain to point at the problem.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ledger_fixture import ROWS

# An appended claim lands on the line after the fixture's last claim (the header is line 1).
APPENDED_CLAIM = f"claims.csv:{len(ROWS['claims']) + 2}: value"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the class of bad input
    edit: Callable[[Path], None]
    where: str  # e.g. "flows.csv:2: amount_usd"


# -- editing helpers ---------------------------------------------------------------------------


def rows_of(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def cell(table: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell; `line` is the line number an editor shows (the header is line 1)."""

    def edit(data: Path) -> None:
        path = data / f"{table}.csv"
        rows = rows_of(path)
        rows[line - 1][rows[0].index(column)] = value
        write_rows(path, rows)

    return edit


def cells(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        for one in edits:
            one(data)

    return edit


def package(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        path = data / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        change(descriptor)
        path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    return edit


def resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r.get("name") == name)


def field(descriptor: dict, table: str, name: str) -> dict:
    return next(f for f in resource(descriptor, table)["schema"]["fields"] if f["name"] == name)


def constraint(table: str, name: str, key: str, value) -> Callable[[Path], None]:
    return package(lambda d: field(d, table, name).setdefault("constraints", {}).__setitem__(key, value))


def text(name: str, content: str | bytes) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        path = data / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return edit


def rename_resource(old: str, new: str) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        package(lambda d: resource(d, old).__setitem__("name", new))(data)

    return edit


def drop_column(table: str, column: str) -> Callable[[Path], None]:
    """Remove a column from both the schema and the CSV, consistently."""

    def edit(data: Path) -> None:
        def change(d: dict) -> None:
            schema = resource(d, table)["schema"]
            schema["fields"] = [f for f in schema["fields"] if f["name"] != column]
            schema["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if column not in fk["fields"]]

        package(change)(data)
        path = data / f"{table}.csv"
        rows = rows_of(path)
        at = rows[0].index(column)
        write_rows(path, [r[:at] + r[at + 1 :] for r in rows])

    return edit


def retype(table: str, column: str, type_: str) -> Callable[[Path], None]:
    def change(d: dict) -> None:
        spec = field(d, table, column)
        spec["type"] = type_
        spec.pop("constraints", None)

    return package(change)


def point_path(table: str, path: str) -> Callable[[Path], None]:
    return package(lambda d: resource(d, table).__setitem__("path", path))


def symlinked(table: str) -> Callable[[Path], None]:
    """The table's CSV replaced by a symlink to a file outside data/ (same content)."""

    def edit(data: Path) -> None:
        path = data / f"{table}.csv"
        outside = data.parent / f"outside-{table}.csv"
        outside.write_bytes(path.read_bytes())
        path.unlink()
        os.symlink(outside, path)

    return edit


def directory_path(table: str) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        (data / f"{table}.csv").unlink()
        (data / f"{table}.csv").mkdir()

    return edit


def copied(table: str, to: str) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        (data / to).write_bytes((data / f"{table}.csv").read_bytes())

    return edit


def absolute_path(table: str) -> Callable[[Path], None]:
    """The resource points at an absolute path outside data/ (a valid CSV)."""

    def edit(data: Path) -> None:
        outside = (data.parent / f"absolute-{table}.csv").resolve()
        outside.write_bytes((data / f"{table}.csv").read_bytes())
        point_path(table, str(outside))(data)

    return edit


def duplicate_header(table: str, column: str) -> Callable[[Path], None]:
    """The column appears twice: the second copy would silently win in a dict of cells."""

    def edit(data: Path) -> None:
        path = data / f"{table}.csv"
        rows = rows_of(path)
        at = rows[0].index(column)
        write_rows(path, [r + [r[at]] if i == 0 else r + ["999"] for i, r in enumerate(rows)])

    return edit


def empty_column(table: str) -> Callable[[Path], None]:
    """A column with no name in the header (and empty cells below it)."""

    def edit(data: Path) -> None:
        path = data / f"{table}.csv"
        write_rows(path, [r + [""] for r in rows_of(path)])

    return edit


def append_text(name: str, line: str) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        path = data / name
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")

    return edit


def append_row(table: str, values: dict[str, str]) -> Callable[[Path], None]:
    def edit(data: Path) -> None:
        path = data / f"{table}.csv"
        rows = rows_of(path)
        rows.append([values.get(c, "") for c in rows[0]])
        write_rows(path, rows)

    return edit


# Line numbers in the fixture: flows.csv 2 aa-2023-t1, 3 aa-2023-option, 4 aa-2023-t2,
# 5 aa-2026-now, 6 aa-2026-later, 7 aa-2026-back; claims.csv line n+1 is claim c<n>;
# entities.csv 2 amazon, 3 anthropic, 4 google; sources.csv 2 co-2023 ... 6 seed-x.
BIG = str(2**63)
CASES: list[Case] = [
    # -- the package descriptor (datapackage.json) ---------------------------------------------
    Case("json-syntax", "descriptor", text("datapackage.json", '{"name": "x",\n  "resources": [\n'), "datapackage.json:3"),
    Case("json-not-utf8", "descriptor", text("datapackage.json", b'{"name": "\xff"}'), "datapackage.json"),
    Case("json-top-level-list", "descriptor", text("datapackage.json", "[]\n"), "datapackage.json:1"),
    Case("no-resources", "descriptor", package(lambda d: d.pop("resources")), "datapackage.json:1: resources"),
    Case("empty-resources", "descriptor", package(lambda d: d.__setitem__("resources", [])), "datapackage.json:"),
    Case("resources-not-a-list", "descriptor", package(lambda d: d.__setitem__("resources", {"a": 1})), ": resources:"),
    Case("no-package-name", "descriptor", package(lambda d: d.pop("name")), ": name:"),
    Case("version-not-text", "descriptor", package(lambda d: d.__setitem__("version", 1.2)), ": version:"),
    Case("resource-without-schema", "descriptor", package(lambda d: resource(d, "chips").pop("schema")), "resources[5]"),
    Case("resource-without-path", "descriptor", package(lambda d: resource(d, "chips").pop("path")), "resources[5]"),
    Case("resource-without-name", "descriptor", package(lambda d: resource(d, "chips").pop("name")), "resources[5]"),
    Case("fields-missing", "descriptor", package(lambda d: resource(d, "chips")["schema"].pop("fields")), "resources[5].schema"),
    Case("field-without-name", "descriptor", package(lambda d: field(d, "chips", "note").pop("name")), "resources[5].schema.fields[11]"),
    Case("field-unknown-type", "descriptor", package(lambda d: field(d, "chips", "note").__setitem__("type", "date")), ".fields[11]"),
    Case("field-type-not-text", "descriptor", package(lambda d: field(d, "chips", "note").__setitem__("type", 7)), ".fields[11]"),
    Case(
        "field-duplicated",
        "descriptor",
        package(lambda d: resource(d, "chips")["schema"]["fields"].append(dict(field(d, "chips", "note")))),
        ".fields[12]",
    ),
    Case("enum-not-a-list", "descriptor", constraint("chips", "use", "enum", "training,inference"), "constraints.enum"),
    Case("required-not-boolean", "descriptor", constraint("chips", "name", "required", "yes"), "constraints.required"),
    Case("minimum-not-a-number", "descriptor", constraint("flows", "amount_usd", "minimum", "0"), "constraints.minimum"),
    Case("pattern-invalid-regex", "descriptor", constraint("entities", "entity_id", "pattern", "[a-z"), "constraints.pattern"),
    Case("primary-key-missing", "descriptor", package(lambda d: resource(d, "chips")["schema"].pop("primaryKey")), "primaryKey"),
    Case(
        "primary-key-unknown-field",
        "descriptor",
        package(lambda d: resource(d, "chips")["schema"].__setitem__("primaryKey", ["id"])),
        "primaryKey",
    ),
    Case(
        "primary-key-composite",
        "descriptor",
        package(lambda d: resource(d, "chips")["schema"].__setitem__("primaryKey", ["chip_id", "name"])),
        "primaryKey",
    ),
    Case(
        "foreign-key-unknown-resource",
        "descriptor",
        package(lambda d: resource(d, "chips")["schema"]["foreignKeys"][0]["reference"].__setitem__("resource", "vendors")),
        "foreignKeys[0]",
    ),
    Case(
        "foreign-key-unknown-field",
        "descriptor",
        package(lambda d: resource(d, "chips")["schema"]["foreignKeys"][0].__setitem__("fields", ["maker_id"])),
        "foreignKeys[0]",
    ),
    Case(
        "foreign-key-malformed",
        "descriptor",
        package(lambda d: resource(d, "chips")["schema"]["foreignKeys"][0].pop("reference")),
        "foreignKeys[0]",
    ),
    Case(
        "list-reference-unknown-resource",
        "descriptor",
        package(lambda d: field(d, "chips", "source_ids")["listReference"].__setitem__("resource", "papers")),
        "listReference",
    ),
    Case("resource-renamed", "descriptor", rename_resource("flows", "legs"), "resources[3]"),
    Case(
        "resource-duplicated",
        "descriptor",
        package(lambda d: d["resources"].append(json.loads(json.dumps(resource(d, "chips"))))),
        "resources[10]",
    ),
    Case("core-column-removed", "descriptor", drop_column("agreements", "status"), "resources[2].schema.fields: status"),
    Case("core-column-retyped", "descriptor", retype("flows", "amount_usd", "string"), "amount_usd"),
    # -- resource files: declared, inside data/, regular files -----------------------------------
    Case("path-is-a-directory", "path", directory_path("chips"), "chips.csv"),
    Case("path-is-a-symlink", "path", symlinked("chips"), "chips.csv"),
    Case("path-escapes-data", "path", cells(copied("chips", "../outside.csv"), point_path("chips", "../outside.csv")), "resources[5].path"),
    Case("path-absolute", "path", absolute_path("chips"), "resources[5].path"),
    Case("path-not-csv", "path", cells(copied("chips", "chips.txt"), point_path("chips", "chips.txt")), "resources[5].path"),
    Case("path-a-list", "path", point_path("chips", ["chips.csv", "more.csv"]), "resources[5].path"),  # type: ignore[arg-type]
    Case("path-shared", "path", point_path("sites", "chips.csv"), "resources[6].path"),
    # -- CSV structure -----------------------------------------------------------------------------
    Case("header-duplicated-column", "csv", duplicate_header("flows", "note"), "flows.csv:1: note"),
    Case("header-empty-column", "csv", empty_column("flows"), "flows.csv:1: column 23"),
    Case("nul-byte", "csv", append_text("entities.csv", "meta\0,Meta,lab,,\n"), "entities.csv:5"),
    # -- numbers, dates and digits that are not ASCII ------------------------------------------------
    Case("superscript-digit-amount", "unicode-digits", cell("flows", 2, "amount_usd", "1000²"), "flows.csv:2: amount_usd"),
    Case("arabic-indic-amount", "unicode-digits", cell("flows", 2, "amount_usd", "١٠٠٠"), "flows.csv:2: amount_usd"),
    Case(
        "fullwidth-date",
        "unicode-digits",
        cells(cell("flows", 2, "date", "２０２３-09-25"), cell("claims", 3, "value", "２０２３-09")),
        "flows.csv:2: date",
    ),
    Case("devanagari-number", "unicode-digits", cell("flows", 7, "capacity_gw", "५"), "flows.csv:7: capacity_gw"),
    Case(
        "underscore-number",
        "unicode-digits",
        cells(cell("flows", 7, "capacity_gw", "5_0"), cell("claims", 17, "value", "5_0")),
        "flows.csv:7: capacity_gw",
    ),
    Case("arabic-indic-published", "unicode-digits", cell("sources", 3, "published", "٢٠٢٤-03"), "sources.csv:3: published"),
    Case("arabic-indic-claim-amount", "unicode-digits", cell("claims", 2, "value", "١٠٠٠"), "claims.csv:2: value"),
    Case("superscript-claim-amount", "unicode-digits", cell("claims", 2, "value", "100²"), "claims.csv:2: value"),
    Case("fullwidth-claim-date", "unicode-digits", cell("claims", 3, "value", "２０２３-09"), "claims.csv:3: value"),
    Case("underscore-claim-number", "unicode-digits", cell("claims", 17, "value", "5_0"), "claims.csv:17: value"),
    # -- overflow: money has a sane upper bound --------------------------------------------------------
    Case(
        "amount-2-to-63", "overflow", cells(cell("flows", 2, "amount_usd", BIG), cell("claims", 2, "value", BIG)), "flows.csv:2: amount_usd"
    ),
    Case("amount-5000-digits", "overflow", cell("flows", 2, "amount_usd", "9" * 5000), "flows.csv:2: amount_usd"),
    Case(
        "money-total-overflows-int64",
        "overflow",
        cells(
            cell("flows", 5, "amount_usd", str(5 * 10**18)),
            cell("claims", 10, "value", str(5 * 10**18)),
            cell("flows", 7, "amount_usd", str(5 * 10**18)),
            cell("claims", 15, "value", str(5 * 10**18)),
        ),
        "flows.csv:5: amount_usd",
    ),
    Case(
        "amount-above-maximum",
        "overflow",
        cells(cell("flows", 7, "amount_usd", str(10**13 + 1)), cell("claims", 15, "value", str(10**13 + 1))),
        "flows.csv:7: amount_usd",
    ),
    Case(
        "negative-return-2-to-63",
        "overflow",
        append_row(
            "investor_returns",
            {
                "return_id": "r1",
                "investor_id": "amazon",
                "lab_id": "anthropic",
                "period": "2024",
                "period_precision": "year",
                "kind": "gain_on_stake",
                "amount_usd": "-" + str(2**63 + 1),
                "source_ids": "co-2023",
            },
        ),
        "investor_returns.csv:2: amount_usd",
    ),
    Case(
        "capacity-1e308",
        "overflow",
        cells(cell("flows", 7, "capacity_gw", "1e308"), cell("claims", 17, "value", "1e308")),
        "flows.csv:7: capacity_gw",
    ),
    Case("shares-2-to-63", "overflow", cell("flows", 3, "shares", BIG), "flows.csv:3: shares"),
    Case("claim-amount-huge", "overflow", cell("claims", 2, "value", "9" * 30), "claims.csv:2: value"),
    # -- claim values checked against their field's type -------------------------------------------------
    Case("claim-date-not-real", "claim-values", cell("claims", 3, "value", "2023-02-30"), "claims.csv:3: value"),
    Case(
        "claim-date-words",
        "claim-values",
        cells(cell("claims", 3, "value", "September"), cell("claims", 3, "verdict", "unverified")),
        "claims.csv:3: value",
    ),
    Case(
        "claim-entity-unknown",
        "claim-values",
        cells(
            append_row(
                "claims",
                {
                    "claim_id": "c99",
                    "source_id": "wire-a",
                    "flow_id": "aa-2023-t1",
                    "field": "from_id",
                    "value": "nobody",
                    "verdict": "unverified",
                },
            )
        ),
        APPENDED_CLAIM,
    ),
    Case("claim-chip-unknown", "claim-values", cell("claims", 22, "value", "h100"), "claims.csv:22: value"),
    Case(
        "claim-kind-not-allowed",
        "claim-values",
        append_row(
            "claims",
            {
                "claim_id": "c99",
                "source_id": "wire-a",
                "flow_id": "aa-2023-t1",
                "field": "kind",
                "value": "loan",
                "verdict": "conflicts",
                "note": "x",
            },
        ),
        APPENDED_CLAIM,
    ),
    Case(
        "claim-status-not-allowed",
        "claim-values",
        append_row(
            "claims",
            {
                "claim_id": "c99",
                "source_id": "wire-a",
                "agreement_id": "aa-2023",
                "field": "status",
                "value": "done",
                "verdict": "unverified",
            },
        ),
        APPENDED_CLAIM,
    ),
    Case(
        "claim-announced-not-real",
        "claim-values",
        append_row(
            "claims",
            {
                "claim_id": "c99",
                "source_id": "wire-a",
                "agreement_id": "aa-2023",
                "field": "announced",
                "value": "2023-13",
                "verdict": "unverified",
            },
        ),
        APPENDED_CLAIM,
    ),
    Case("date-year-implausible", "claim-values", cell("sources", 2, "published", "0202-09-25"), "sources.csv:2: published"),
    # -- cycles and self-references ----------------------------------------------------------------
    Case("superseded-by-itself", "cycles", cell("flows", 3, "superseded_by", "aa-2023-option"), "flows.csv:3: superseded_by"),
    Case("superseded-cycle", "cycles", cell("flows", 4, "superseded_by", "aa-2023-option"), "flows.csv:3: superseded_by"),
    Case(
        "superseded-three-cycle",
        "cycles",
        cells(cell("flows", 4, "superseded_by", "aa-2026-now"), cell("flows", 5, "superseded_by", "aa-2023-option")),
        "superseded_by",
    ),
    Case("parent-is-itself", "cycles", cell("entities", 2, "parent_id", "amazon"), "entities.csv:2: parent_id"),
    Case(
        "parent-cycle", "cycles", cells(cell("entities", 2, "parent_id", "google"), cell("entities", 4, "parent_id", "amazon")), "parent_id"
    ),
    # -- duplicate sources ----------------------------------------------------------------------------
    Case("duplicate-url", "duplicate-urls", cell("sources", 4, "url", "https://example.com/a"), "sources.csv:4: url"),
    Case("duplicate-url-variant", "duplicate-urls", cell("sources", 4, "url", "https://EXAMPLE.com/a/#top"), "sources.csv:4: url"),
    # -- text that is not plain text -------------------------------------------------------------------
    Case("url-with-markup", "text", cell("sources", 3, "url", "https://a.example/x>)<img src=x>"), "sources.csv:3: url"),
    Case("control-character", "text", cell("agreements", 2, "title", "Deal\x1b[31m one"), "agreements.csv:2: title"),
    Case("line-break-in-title", "text", cell("agreements", 2, "title", "Deal\n# one"), "agreements.csv:2: title"),
]
