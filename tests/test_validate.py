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


# -- the package descriptor ----------------------------------------------------------------------


def test_invalid_json_names_the_line(ledger):
    data, seeds = ledger
    path = data / "datapackage.json"
    lines = path.read_text().splitlines()
    lines[40] = lines[40] + ","  # a trailing comma
    path.write_text("\n".join(lines) + "\n")
    found = problems(data, seeds)
    assert len(found) == 1 and found[0].startswith(f"{path}:4") and "is not valid JSON" in found[0], found


def test_descriptor_problems_name_the_json_path(ledger):
    data, seeds = ledger
    path = data / "datapackage.json"
    path.write_text(path.read_text().replace('"primaryKey": [\n          "chip_id"\n        ]', '"primaryKey": []'))
    found = problems(data, seeds)
    assert any("resources[5].schema.primaryKey: [] is not one column" in p for p in found), found


# -- suggestions stay near-linear ------------------------------------------------------------------


def test_ten_thousand_bad_references_validate_in_seconds(tmp_path):
    import time

    rows = {name: [dict(r) for r in table] for name, table in ROWS.items()}
    template = rows["sources"][1]
    rows["sources"] += [{**template, "source_id": f"outlet-{n:05d}", "url": f"https://example.com/{n}"} for n in range(3000)]
    rows["claims"] += [
        {
            "claim_id": f"bad-{n}",
            "source_id": f"outlet-{n % 3000:05d}x{n}",
            "flow_id": "aa-2023-t1",
            "field": "amount_usd",
            "value": "1000",
            "verdict": "agrees",
        }
        for n in range(10_000)
    ]
    data = write_ledger(tmp_path / "data", rows)
    started = time.perf_counter()
    found = problems(data, write_seeds(tmp_path / "seeds"))
    took = time.perf_counter() - started
    assert sum("unknown source" in p for p in found) == 10_000
    assert any("unknown source 'outlet-00042x42' — fix: did you mean" in p and "'outlet-00042'" in p for p in found)
    assert took < 20, f"{took:.1f} s"  # difflib against every key took minutes


def test_suggestions_in_a_large_table_find_typos_at_either_end():
    from analysis.tables import Suggester

    keys = [
        f"{company}-{partner}-{year}"
        for company in ("amazon", "google", "nvidia", "oracle")
        for partner in range(80)
        for year in (2023, 2024)
    ]
    suggest = Suggester(keys)
    assert "amazon-7-2024" in suggest("amazon-7-2025")  # near the end
    assert "oracle-12-2023" in suggest("xracle-12-2023")  # near the start
    assert suggest("zzzz") == []


# -- load(): one validation per ledger, cached by content -----------------------------------------


def test_every_load_returns_its_own_copy():
    first = analysis.load()
    first.flows["scribble"] = 1
    assert "scribble" not in analysis.load().flows


def test_the_cache_is_the_same_from_the_book_folder(monkeypatch):
    from analysis.dataset import DEFAULT_DATA, cache_dir

    assert cache_dir(DEFAULT_DATA) == ROOT / "_build" / ".ledger-cache"
    monkeypatch.chdir(ROOT / "book")  # where a chapter's kernel runs
    assert cache_dir(DEFAULT_DATA) == ROOT / "_build" / ".ledger-cache"


def test_a_second_process_reads_the_cache_and_an_edit_invalidates_it(tmp_path, monkeypatch):
    from analysis import dataset

    repo = tmp_path / "repo"
    (repo / "analysis").mkdir(parents=True)
    (repo / "_config.yml").write_text("title: x\n")
    data = write_ledger(repo / "data")
    seeds = write_seeds(tmp_path / "seeds")
    dataset._MEMO.clear()  # an earlier test may have loaded the same fixture in this process
    first = analysis.load(data, seeds_dir=seeds)
    assert list((repo / "_build" / ".ledger-cache").glob("*.pickle"))
    dataset._MEMO.clear()  # as if in another process

    def no_validation(*args):
        raise AssertionError("validated again")

    monkeypatch.setattr(dataset, "_load", no_validation)
    again = analysis.load(data, seeds_dir=seeds)
    assert again.flows.equals(first.flows)
    set_cell(data / "entities.csv", 2, "name", "Amazon.com")
    with pytest.raises(AssertionError, match="validated again"):
        analysis.load(data, seeds_dir=seeds)
