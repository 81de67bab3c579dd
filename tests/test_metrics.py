"""Metric functions, with expected values worked out by hand from the fixture rows."""

from __future__ import annotations

import pytest
from ledger_fixture import write_ledger, write_seeds

import analysis
from analysis import metrics


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    return analysis.load(write_ledger(root / "data"), seeds_dir=write_seeds(root / "seeds"))


def test_investments_are_date_ordered(ds):
    legs = metrics.investments(ds, "amazon", "anthropic")
    assert list(legs["flow_id"]) == ["aa-2023-option", "aa-2023-t1", "aa-2023-t2", "aa-2026-later", "aa-2026-now"]


def test_money_split_skips_superseded_options(ds):
    # firm 1000 + 3000 + 500; open conditional: only the 2026 milestone leg (2000); the
    # 2023 option was exercised as t2, so counting it would double the 3000.
    split = metrics.money_split(metrics.investments(ds, "amazon", "anthropic"))
    assert split == {"firm": 4500, "conditional": 2000, "headline": 6500}


def test_commitments_back(ds):
    back = metrics.commitments(ds, "anthropic", "amazon")
    assert list(back["flow_id"]) == ["aa-2026-back"]
    assert metrics.money_split(back)["firm"] == 10000


def test_tranche_table_splits_firm_and_conditional(ds):
    table = metrics.tranche_table(ds, metrics.investments(ds, "amazon", "anthropic"))
    rows = list(zip(table["flow_id"], table["status"], table["amount_usd"]))
    assert rows == [
        ("aa-2023-t1", "firm", 1000),
        ("aa-2023-t2", "firm", 3000),
        ("aa-2026-later", "conditional", 2000),
        ("aa-2026-now", "firm", 500),
    ]
    assert set(table["label"]) == {"Sep 2023", "Mar 2024", "Apr 2026"}


def test_real_amazon_anthropic_headline():
    """The chapter's headline numbers, checked by hand against data/flows.csv:
    firm 1.25 + 2.75 (2023 deal) + 1.3 + 1.3 + 1.4 (2024 deal) + 5 (2026) = 13 billion;
    conditional: the 2026 milestone leg, up to 20 billion; back to AWS: 100 billion."""
    ds = analysis.load()
    split = metrics.money_split(metrics.investments(ds, "amazon", "anthropic"))
    assert split == {"firm": 13_000_000_000, "conditional": 20_000_000_000, "headline": 33_000_000_000}
    assert metrics.money_split(metrics.commitments(ds, "anthropic", "amazon"))["firm"] == 100_000_000_000
