"""The ledger is a standard Frictionless data package: its own validator agrees with ours."""

from __future__ import annotations

import shutil

from frictionless import Package, validate
from ledger_fixture import ROOT


def test_package_is_valid_frictionless():
    report = validate(ROOT / "data" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_also_rejects_a_corrupted_row(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "flows.csv"
    lines = path.read_text().splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[2] = "not-a-date"  # the date column
    lines[1] = ",".join(cells)
    path.write_text("".join(lines))
    report = validate(data / "datapackage.json")
    assert not report.valid
    assert any(err[1] == "date" for err in report.flatten(["rowNumber", "fieldName"]))


def test_every_table_is_declared():
    package = Package(ROOT / "data" / "datapackage.json")
    declared = {resource.path for resource in package.resources}
    assert declared == {p.name for p in (ROOT / "data").glob("*.csv")}
