"""What was known when, on the fixture: the commitment back (aa-2026-back) was reported as
8000 by Wire A (March 2024), revised to 10000 by Blog C (2026), confirmed by Amazon's own
announcement (2 May 2026) and contradicted by a content farm (June 2026)."""

from __future__ import annotations

import pytest
from ledger_fixture import write_ledger, write_seeds
from markupsafe import Markup

import analysis
from analysis import history, reconcile


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    return analysis.load(write_ledger(root / "data"), seeds_dir=write_seeds(root / "seeds"))


def leg(ds, flow_id):
    return ds.flows.set_index("flow_id").loc[flow_id]


def test_a_figure_is_unknown_before_its_first_report(ds):
    then = history.as_of(ds, "2024-02-29")
    assert "aa-2026-back" not in set(then.flows["flow_id"])
    assert set(then.flows["flow_id"]) == {"aa-2023-t1"}  # only Amazon's 2023 announcement was out
    assert set(then.sources["source_id"]) == {"co-2023"}


def test_between_report_and_revision_the_first_value_stands(ds):
    then = history.as_of(ds, "2025-06-30")
    back = leg(then, "aa-2026-back")
    assert back["amount_usd"] == 8000
    assert back["confidence"] == "single-source"  # Wire A's report agreed with the figure of its day
    assert back["capacity_gw"] is pd_na() and back["term_years"] is pd_na()  # Blog C (2026) not yet published
    claim = then.claims.set_index("claim_id").loc["c18"]
    assert claim["verdict"] == "agrees"


def test_after_the_revision_and_the_confirmation(ds):
    revised = leg(history.as_of(ds, "2026-03-01"), "aa-2026-back")
    assert (revised["amount_usd"], revised["capacity_gw"]) == (10000, 5)
    confirmed = history.as_of(ds, "2026-05-02")
    back = leg(confirmed, "aa-2026-back")
    assert back["amount_usd"] == 10000
    table = reconcile.reconcile(confirmed).set_index(["subject_id", "field"])
    assert table.loc[("aa-2026-back", "amount_usd"), "confidence"] == "confirmed"
    assert table.loc[("aa-2026-back", "amount_usd"), "superseded"] == 1


def test_a_source_known_only_by_its_month_counts_from_the_first_day(ds):
    assert "mirror-a" not in set(history.as_of(ds, "2024-03-31").sources["source_id"])
    assert "mirror-a" in set(history.as_of(ds, "2024-04-01").sources["source_id"])


def test_an_undated_source_is_never_known_as_of_a_date(ds):
    assert "seed-x" not in set(history.as_of(ds, "2099-01-01").sources["source_id"])


def test_as_of_is_part_of_the_package(ds):
    assert analysis.as_of is history.as_of


def test_as_of_needs_a_day(ds):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        history.as_of(ds, "2024-03")


def test_figure_history_tells_the_story(ds):
    story = history.figure_history(ds, "aa-2026-back", "amount_usd")
    assert list(zip(story["date"], story["publisher"], story["value"], story["event"])) == [
        ("2024-03", "Wire A", "8000", "first_reported"),
        ("2026", "Blog C", "10000", "revised"),
        ("2026-05-02", "Amazon", "10000", "confirmed"),
        ("2026-06", "Farm D", "12000", "contradicted"),
    ]
    assert list(story["event_label"])[2] == "confirmed by a primary source"


def test_a_copy_appears_under_its_originals_name(ds):
    story = history.figure_history(ds, "aa-2023-option", "amount_usd_max")
    assert list(zip(story["publisher"], story["event"])) == [
        ("Wire A", "first_reported"),
        ("Wire A (read via a copy)", "repeated"),
    ]


def test_deal_figures_html(ds):
    html = history.deal_figures_html(ds, "aa-2026")
    assert isinstance(html, Markup)
    text = str(html)
    assert "$10,000 (confirmed)" not in text  # values are formatted for readers, with labels
    assert "Firm amount</span>: <strong>$10,000</strong>" in text
    assert 'First reported by <a href="https://example.com/a">Wire A</a> in March 2024, as $8,000' in text
    assert 'Revised to $10,000 by <a href="https://example.com/c">Blog C</a> in 2026' in text
    assert 'Confirmed by a primary source, <a href="https://example.com/co-2026">Amazon (primary source)</a> on 2 May 2026' in text
    assert "which gave $12,000" in text
    assert "(unverified)" in text  # the paid figure only a content farm states is shown, labelled
    # a deal's stated total, the investor's running total including the 2023 deal (1000 + 3000 + 500)
    assert "Total invested so far (firm)</span>: <strong>$4,500</strong>" in text


def test_deal_figures_html_escapes_ledger_text(tmp_path):
    import copy

    from ledger_fixture import ROWS

    rows = copy.deepcopy(ROWS)
    rows["sources"][1]["publisher"] = "<script>alert('x')</script> `Wire`"
    ds = analysis.load(write_ledger(tmp_path / "data", rows), seeds_dir=write_seeds(tmp_path / "seeds"))
    text = str(history.deal_figures_html(ds, "aa-2026"))
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "`" not in text


def pd_na():
    import pandas as pd

    return pd.NA


def test_the_real_ledger_only_grows_with_time():
    ds = analysis.load()
    days = ["2019-01-01", "2023-01-01", "2024-06-30", "2025-06-30", "2099-12-31"]
    known = [history.as_of(ds, day) for day in days]
    for before, after in zip(known, known[1:]):
        assert set(before.claims["claim_id"]) <= set(after.claims["claim_id"])
        assert set(before.flows["flow_id"]) <= set(after.flows["flow_id"])
    latest = known[-1].flows.set_index("flow_id")
    today = ds.flows.set_index("flow_id").loc[latest.index]
    # once every dated source is out, a figure some dated source agrees with has its final value
    agreed = known[-1].claims[(known[-1].claims["verdict"] == "agrees") & known[-1].claims["flow_id"].notna()]
    for flow_id, field in set(zip(agreed["flow_id"], agreed["field"])):
        if field == "amount_usd":
            assert latest.at[flow_id, field] == today.at[flow_id, field], flow_id
    assert latest["confidence"].notna().all()


def test_every_deal_at_once_matches_one_at_a_time():
    ds = analysis.load()
    every = history.deals_figures_html(ds)
    assert set(every) == set(ds.agreements["agreement_id"])
    for agreement_id in ("amazon-anthropic-2026", "amazon-anthropic-2023", "microsoft-openai-2019"):
        assert every[agreement_id] == history.deal_figures_html(ds, agreement_id)
    assert "Firm amount" in every["amazon-anthropic-2026"]
