"""The data release (`python -m analysis publish`): declared tables only, formulas neutralised,
a deterministic zip."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile

import pytest
from ledger_fixture import DATA, ROOT, ROWS, write_ledger, write_seeds

import analysis
from analysis.publish import RECONCILED, ZIP_NAME, publish

PAYLOADS = ['=HYPERLINK("https://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3"]


@pytest.fixture
def ledger(tmp_path):
    seeds = write_seeds(tmp_path / "seeds")
    data = write_ledger(tmp_path / "data")
    (data / "LICENSE.md").write_bytes((DATA / "LICENSE.md").read_bytes())
    return data, seeds


def with_notes(tmp_path):
    rows = {name: [dict(r) for r in table] for name, table in ROWS.items()}
    for row, payload in zip(rows["flows"], PAYLOADS):
        row["note"] = payload
    seeds = write_seeds(tmp_path / "seeds")
    data = write_ledger(tmp_path / "data", rows)
    (data / "LICENSE.md").write_bytes((DATA / "LICENSE.md").read_bytes())
    return data, seeds


def notes_in(text: str) -> list[str]:
    return [row["note"] for row in csv.DictReader(io.StringIO(text))][: len(PAYLOADS)]


def test_formulas_come_out_quoted_in_the_csv_and_the_zip(tmp_path):
    data, seeds = with_notes(tmp_path)
    out = tmp_path / "release"
    publish(data, out, seeds_dir=seeds)
    expected = ["'" + p for p in PAYLOADS]
    assert notes_in((out / "flows.csv").read_text()) == expected
    assert notes_in((out / RECONCILED).read_text()) == expected
    with zipfile.ZipFile(out / ZIP_NAME) as archive:
        assert notes_in(archive.read("round-trip-ledger/flows.csv").decode()) == expected
        assert notes_in(archive.read(f"round-trip-ledger/{RECONCILED}").decode()) == expected
    # Numbers are values, not formulas: a negative amount is not quoted.
    assert "'" not in "".join(r["amount_usd"] for r in csv.DictReader((out / "flows.csv").open()))


def test_the_release_is_every_declared_table_and_nothing_else(ledger, tmp_path):
    data, seeds = ledger
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    os.symlink(secret, data / "linked.csv")  # a stray symlink to a file elsewhere
    (data / "stray.csv").write_text("not,declared\n1,2\n")  # a CSV nobody declared
    out = tmp_path / "release"
    publish(data, out, seeds_dir=seeds)
    package = analysis.validate(data, seeds_dir=seeds)[0]
    tables = {t.path for t in package.tables}
    expected = tables | {"datapackage.json", "LICENSE.md", RECONCILED}
    assert {p.name for p in out.iterdir()} == expected | {ZIP_NAME}
    with zipfile.ZipFile(out / ZIP_NAME) as archive:
        assert {n.split("/", 1)[1] for n in archive.namelist()} == expected
        assert all(info.date_time == (2026, 1, 1, 0, 0, 0) for info in archive.infolist())
        assert b"hunter2" not in b"".join(archive.read(n) for n in archive.namelist())


def test_a_declared_symlink_is_a_validation_error_and_never_published(ledger, tmp_path):
    data, seeds = ledger
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((data / "chips.csv").read_bytes())
    (data / "chips.csv").unlink()
    os.symlink(outside, data / "chips.csv")
    problems = [str(p) for p in analysis.validate(data, seeds_dir=seeds)[2]]
    assert any("chips.csv: is a symbolic link" in p for p in problems), problems
    with pytest.raises(analysis.LedgerError):
        publish(data, tmp_path / "release", seeds_dir=seeds)
    assert not (tmp_path / "release").exists()


def test_a_path_leaving_data_is_a_validation_error(ledger, tmp_path):
    data, seeds = ledger
    text = (data / "datapackage.json").read_text()
    (data / "datapackage.json").write_text(text.replace('"path": "chips.csv"', '"path": "../chips.csv"'))
    (tmp_path / "chips.csv").write_bytes((data / "chips.csv").read_bytes())
    problems = [str(p) for p in analysis.validate(data, seeds_dir=seeds)[2]]
    assert any("path: '../chips.csv' leaves the data folder" in p for p in problems), problems


def test_the_zip_is_the_same_bytes_every_time(ledger, tmp_path):
    data, seeds = ledger
    publish(data, tmp_path / "a", seeds_dir=seeds)
    publish(data, tmp_path / "b", seeds_dir=seeds)
    assert (tmp_path / "a" / ZIP_NAME).read_bytes() == (tmp_path / "b" / ZIP_NAME).read_bytes()


def test_a_stamp_skips_an_unchanged_ledger(ledger, tmp_path):
    data, seeds = ledger
    stamp = tmp_path / "stamp"
    assert publish(data, tmp_path / "out", stamp=stamp, seeds_dir=seeds)
    assert publish(data, tmp_path / "out", stamp=stamp, seeds_dir=seeds) == []
    (data / "entities.csv").write_text((data / "entities.csv").read_text().replace("Anthropic", "Anthropic PBC"))
    assert publish(data, tmp_path / "out", stamp=stamp, seeds_dir=seeds)


def test_command_line(ledger, tmp_path):
    data, seeds = ledger
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ROUND_TRIP_SEEDS": str(seeds)}
    command = [sys.executable, "-m", "analysis", "publish", "data", "--out", "release"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "release" / ZIP_NAME).is_file()
    (data / "LICENSE.md").unlink()
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "data/LICENSE.md: is missing" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_reconciled_flows_write_values_as_the_ledger_does(ledger, tmp_path):
    """Booleans stay true/false (not pandas' True/False); blanks stay blank."""
    data, seeds = ledger
    out = tmp_path / "release"
    publish(data, out, seeds_dir=seeds)
    source = {r["flow_id"]: r for r in csv.DictReader((data / "flows.csv").open())}
    reconciled = list(csv.DictReader((out / RECONCILED).open()))
    assert len(reconciled) == len(source)
    for row in reconciled:
        for column in ("conditional", "funded"):
            assert row[column] == source[row["flow_id"]][column], (row["flow_id"], column)
    assert {r["conditional"] for r in reconciled} <= {"true", "false", ""}
