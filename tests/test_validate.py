"""Bad input gets a clear error naming file, row, column and a fix — never a traceback."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from ledger_fixture import ROOT, ROWS, write_ledger, write_seeds

import analysis
from analysis.__main__ import main


@pytest.fixture
def ledger(tmp_path):
    seeds = write_seeds(tmp_path / "seeds")
    return write_ledger(tmp_path / "data"), seeds


def rewrite(path, edit):
    """Apply `edit(rows)` to a CSV's rows (lists of strings, header first)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path, line, column, value):
    def edit(rows):
        rows[line - 1][rows[0].index(column)] = value

    rewrite(path, edit)


def problems(data, seeds):
    _, _, found = analysis.validate(data, seeds_dir=seeds)
    return [str(p) for p in found]


def test_fixture_is_clean(ledger):
    assert problems(*ledger) == []


@pytest.mark.parametrize(
    ("table", "line", "column", "value", "expected"),
    [
        ("flows", 2, "amount_usd", "1,000", "'1,000' is not a whole number — fix: write whole US dollars with digits only"),
        ("flows", 2, "amount_usd", "-5", "'-5' is negative"),
        ("flows", 3, "capacity_gw", "lots", "'lots' is not a number"),
        ("flows", 2, "conditional", "yes", "'yes' is not a boolean — fix: write true or false"),
        ("flows", 2, "date", "2023-02-30", "'2023-02-30' is not a real date"),
        ("flows", 2, "date", "Sept 2023", "'Sept 2023' does not match the pattern"),
        ("flows", 2, "kind", "equiti", "'equiti' is not one of the allowed values (did you mean 'equity'?)"),
        ("agreements", 2, "title", "", "title: is required but empty"),
        ("flows", 3, "flow_id", "aa-2023-t1", "duplicate id 'aa-2023-t1' (first used on line 2)"),
        (
            "flows",
            2,
            "from_id",
            "aws",
            "unknown entity 'aws' — fix: did you mean 'amazon'? 'aws' is a name sources use for it (Amazon, AWS",
        ),
        ("flows", 2, "agreement_id", "aa-2024", "unknown agreement 'aa-2024' — fix: did you mean 'aa-2026' or 'aa-2023'?"),
        ("claims", 2, "source_id", "nowhere", "unknown source 'nowhere'"),
        ("flows", 2, "date_precision", "month", "date_precision: says 'month' but '2023-09-25' is a day-precision date"),
    ],
)
def test_each_bad_cell_is_named(ledger, table, line, column, value, expected):
    data, seeds = ledger
    set_cell(data / f"{table}.csv", line, column, value)
    found = problems(data, seeds)
    prefix = f"{data / table}.csv:{line}: {column}: "
    assert any(p.startswith(prefix) and expected in p for p in found), found


def test_malformed_csv_names_the_line(ledger):
    data, seeds = ledger
    path = data / "agreements.csv"
    path.write_text(path.read_text() + 'aa-2030,2030,year,"unclosed title,announced,amazon\n')
    found = problems(data, seeds)
    assert any(p.startswith(f"{path}:4: ") and "malformed CSV" in p for p in found), found


def test_ragged_row_is_reported_not_dropped(ledger):
    data, seeds = ledger
    path = data / "entities.csv"
    path.write_text(path.read_text() + "meta,Meta,other\n")
    found = problems(data, seeds)
    assert any(p.startswith(f"{path}:5: ") and "has 3 cells but the header has 5" in p for p in found), found


def test_missing_and_unknown_columns(ledger):
    data, seeds = ledger
    rewrite(data / "sources.csv", lambda rows: rows[0].__setitem__(rows[0].index("publisher"), "publsher"))
    found = problems(data, seeds)
    assert any("sources.csv:1: publisher: column is missing" in p for p in found), found
    assert any("sources.csv:1: publsher: column is not in the schema — fix: did you mean 'publisher'?" in p for p in found), found


def test_missing_file(ledger):
    data, seeds = ledger
    (data / "chips.csv").unlink()
    assert any("chips.csv: file is missing" in p for p in problems(data, seeds))


def test_load_raises_with_every_problem(ledger):
    data, seeds = ledger
    set_cell(data / "flows.csv", 2, "amount_usd", "-1")
    set_cell(data / "flows.csv", 3, "kind", "loan")
    with pytest.raises(analysis.LedgerError) as err:
        analysis.load(data, seeds_dir=seeds)
    assert len(err.value.problems) >= 2
    assert "flows.csv:2: amount_usd" in str(err.value) and "flows.csv:3: kind" in str(err.value)


def test_cli_exit_codes(ledger, capsys, monkeypatch):
    data, seeds = ledger
    monkeypatch.setenv("ROUND_TRIP_SEEDS", str(seeds))
    assert main(["validate", str(data)]) == 0
    assert "OK" in capsys.readouterr().out
    set_cell(data / "flows.csv", 2, "amount_usd", "12.5")
    assert main(["validate", str(data)]) == 1
    out = capsys.readouterr().out
    assert f"{data}/flows.csv:2: amount_usd: '12.5' is not a whole number" in out


def test_cli_on_corrupted_copy_of_real_data(tmp_path):
    """The acceptance check: a corrupted row of the real ledger exits 1, naming file, row, column."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    set_cell(data / "flows.csv", 3, "amount_usd", "two billion")
    result = subprocess.run([sys.executable, "-m", "analysis", "validate", str(data)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    # paths are shown relative to where the author runs the command
    assert "data/flows.csv:3: amount_usd: 'two billion' is not a whole number" in result.stdout
    assert result.stdout.count("\n") == 1, "one bad cell, one problem"
    assert "Traceback" not in result.stdout + result.stderr


def test_real_ledger_validates():
    result = subprocess.run([sys.executable, "-m", "analysis", "validate"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK")


def test_fixture_rows_unchanged_by_tests():
    # Guard: the parametrised tests edit copies, never the shared fixture rows.
    assert ROWS["flows"][0]["amount_usd"] == "1000"
