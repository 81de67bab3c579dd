"""Every bad input gets a clear message and exit 1, never a traceback; and whatever `validate`
accepts, `load()` and the data release accept too.

The inventory of bad inputs (one or more cases per class) is tests/bad_inputs.py;
tools/robustness.py counts how a checkout handles it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest
from bad_inputs import CASES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_fixture import DATA, ROOT, ROWS, write_ledger, write_seeds

import analysis
from analysis.__main__ import main
from analysis.publish import publish
from analysis.summary import summary_lines

ONE_PER_CLASS = list({case.kind: case for case in reversed(CASES)}.values())


@pytest.fixture
def workspace(tmp_path):
    seeds = write_seeds(tmp_path / "seeds")
    data = write_ledger(tmp_path / "data")
    (data / "LICENSE.md").write_bytes((DATA / "LICENSE.md").read_bytes())
    return tmp_path, data, seeds


@pytest.mark.parametrize("case", ONE_PER_CLASS, ids=lambda c: c.kind)
def test_each_class_through_the_command_line(workspace, case):
    where, data, seeds = workspace
    case.edit(data)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ROUND_TRIP_SEEDS": str(seeds)}
    result = subprocess.run([sys.executable, "-m", "analysis", "validate", "data"], cwd=where, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert case.where in result.stdout, result.stdout
    assert " — fix: " in result.stdout


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_bad_input_is_reported(workspace, case, monkeypatch):
    """The whole inventory, in process: exit 1 and a message at the expected place."""
    where, data, seeds = workspace
    case.edit(data)
    monkeypatch.chdir(where)
    monkeypatch.setenv("ROUND_TRIP_SEEDS", str(seeds))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", "data"])
    assert code == 1, out.getvalue()
    assert case.where in out.getvalue(), out.getvalue()
    for line in out.getvalue().splitlines():
        assert line.startswith("data/"), line  # FILE:LINE: COLUMN: what — fix: how
        assert " — fix: " in line, line


def test_the_real_ledger_has_no_bad_input():
    """The bounds and checks added for bad input hold for the ledger as it is."""
    _, _, problems = analysis.validate(DATA)
    assert problems == []


# -- the property: validate accepts => load() and publish() accept ------------------------------

TABLES = [name for name in ROWS if ROWS[name]]
COLUMNS = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]}
EXISTING = sorted({v for rows in ROWS.values() for row in rows for v in row.values() if v})
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩०१२३０１２３²³¹½⁴"
values = st.one_of(
    st.sampled_from(EXISTING),  # ids and values from elsewhere: loops, duplicates, mismatches
    st.text(max_size=12),  # any Unicode
    st.text(alphabet=DIGITS + "-.eE+", min_size=1, max_size=8),  # digits of every script
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.builds(lambda d, n: d.isoformat()[:n], st.dates(), st.sampled_from([4, 7, 10])),  # partial dates, any year
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 13)),
    st.sampled_from(["", "true", "false", "-0", "1e308", '=HYPERLINK("x")', "+cmd", "@SUM(1)", "a;b", " ", "\t"]),
)


# Free text stays valid whatever it says (short of control characters): it must then load and
# publish, whatever the script, quotes, formulas or markup in it.
FREE_TEXT = {"title", "name", "publisher", "note", "summary", "condition", "aliases", "location", "outcome", "generation"}
text = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=20)


@st.composite
def ledgers(draw):
    rows = {name: [dict(r) for r in table] for name, table in ROWS.items()}
    for _ in range(draw(st.integers(1, 4))):
        table = draw(st.sampled_from(TABLES))
        if draw(st.integers(0, 9)) == 0 and len(rows[table]) > 1:
            rows[table].pop(draw(st.integers(0, len(rows[table]) - 1)))  # a row deleted
            continue
        row = draw(st.integers(0, len(rows[table]) - 1))
        column = draw(st.sampled_from(COLUMNS[table]))
        rows[table][row][column] = draw(text if column in FREE_TEXT and draw(st.booleans()) else values)
    return rows


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=ledgers())
def test_what_validate_accepts_loads_and_publishes(tmp_path_factory, rows):
    root = tmp_path_factory.mktemp("ledger")
    seeds = write_seeds(root / "seeds")
    data = write_ledger(root / "data", rows)
    (data / "LICENSE.md").write_bytes((DATA / "LICENSE.md").read_bytes())
    _, _, problems = analysis.validate(data, seeds_dir=seeds)
    for problem in problems:
        assert problem.file and problem.message, problem
    if problems:
        return
    ds = analysis.load(data, seeds_dir=seeds, cache=False)
    summary_lines(ds)
    assert (ds.flows["amount_usd"].fillna(0) >= 0).all()
    assert int(ds.flows["amount_usd"].fillna(0).sum()) < 2**63
    publish(data, root / "release", dataset=ds, seeds_dir=seeds)
