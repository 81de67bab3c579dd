"""The method page's tables on the fixture: tiers, figure confidence, disagreements by deal."""

from __future__ import annotations

import copy

import pytest
from ledger_fixture import ROWS, write_ledger, write_seeds

import analysis
from analysis import method, summary


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    return analysis.load(write_ledger(root / "data"), seeds_dir=write_seeds(root / "seeds"))


def test_tier_table_counts_sources_claims_and_best_backing(ds):
    table = method.tier_table(ds).set_index("Tier")
    assert table.loc["primary source", "Sources"] == "2"
    assert table.loc["copy of another page", "Claims (share)"] == "1 (4%)"  # 1 of the fixture's 25 claims
    assert table.loc["content farm or AI digest", "Figures it backs best"] == "1"  # the commitment's paid figure


def test_figure_confidence_counts(ds):
    # confirmed: the first tranche's amount and date (Amazon), the second tranche's amount (two
    # wires), the commitment's amount (Amazon, 2026); contested: the 2026 firm leg (Wire B);
    # unverified: the paid figure only a content farm states; the other 11 rest on one publisher.
    counts = method.confidence_counts(ds)
    assert counts == {"confirmed": 4, "single-source": 11, "contested": 1, "unverified": 1}


def test_disputes_are_grouped_by_deal_with_reasons_folded(ds):
    html = str(method.disputes_html(ds))
    assert html.count('<details class="rt-dispute-deal">') == 2
    assert "Deal two: 3 disagreements" in html and "Deal one: 1 disagreement<" in html
    assert html.index("Deal two") < html.index("Deal one")  # most disputed deal first
    assert "<details><summary>Why</summary>an early report said 400</details>" in html
    assert '$400, according to <a href="https://example.com/b">Wire B</a>. The ledger keeps $500.' in html
    assert "(right when published, later replaced). The ledger keeps $10,000." in html


def test_disputes_escape_ledger_text(tmp_path):
    rows = copy.deepcopy(ROWS)
    next(c for c in rows["claims"] if c["claim_id"] == "c10")["note"] = "<img src=x onerror=alert(1)>"
    rows["agreements"][1]["title"] = "<b>Deal two</b>"
    ds = analysis.load(write_ledger(tmp_path / "data", rows), seeds_dir=write_seeds(tmp_path / "seeds"))
    html = str(method.disputes_html(ds))
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_summary_lists_unverified_figures(ds):
    lines = summary.summary_lines(ds)
    assert "figures left unverified (backed only by content farms, AI digests or seeds): 1" in lines
    assert "  aa-2026-back  funded_usd = 1000  [farm]" in lines
    tiers = lines[lines.index("claims by source tier") + 1 :][:5]
    assert [line.split()[0] for line in tiers] == ["primary", "original", "secondary", "copy", "digest"]
