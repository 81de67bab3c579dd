"""The synthetic ledger used to measure scale: the real one ×N, still valid."""

from __future__ import annotations

import csv

from ledger_fixture import DATA

import analysis
from analysis.synthetic import scale


def rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_scaled_ledger_is_valid_and_n_times_larger(tmp_path):
    out = scale(DATA, tmp_path / "data", 3)
    package, raws, problems = analysis.validate(out, seeds_dir=None)
    assert problems == []
    for table in ("agreements", "flows", "claims", "entities"):
        assert len(raws[table].rows) == 3 * len(rows(DATA / f"{table}.csv")), table
    assert len(raws["chips"].rows) == len(rows(DATA / "chips.csv"))  # context tables are kept once
    ids = [r.cells["flow_id"] for r in raws["flows"].rows]
    assert len(set(ids)) == len(ids) and any(i.endswith("-x3") for i in ids)
