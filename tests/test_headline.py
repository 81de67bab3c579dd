"""Headline quantities: defined once (analysis/headline.py), worked out by hand on the fixture,
and shown with one value on every page of the built site that states them."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from ledger_fixture import ROWS, write_ledger, write_seeds

import analysis
from analysis import headline

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"

# The shared fixture has one pair (Amazon -> Anthropic). Two more pairs make the headline
# definitions bite: Google -> Anthropic is priced (firm both ways); Nvidia -> Anthropic is
# circular but unpriced (its return leg is gigawatts only).
EXTRA = {
    "entities": [{"entity_id": "nvidia", "name": "Nvidia", "kind": "chipmaker"}],
    "agreements": [
        {
            "agreement_id": "ga-2025",
            "announced": "2025-10",
            "announced_precision": "month",
            "title": "Deal three",
            "status": "announced",
            "parties": "google;anthropic",
        },
        {
            "agreement_id": "na-2025",
            "announced": "2025-11",
            "announced_precision": "month",
            "title": "Deal four",
            "status": "announced",
            "parties": "nvidia;anthropic",
        },
    ],
    "flows": [
        {
            "flow_id": "ga-in",
            "agreement_id": "ga-2025",
            "date": "2025-10",
            "date_precision": "month",
            "from_id": "google",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd": "2000",
            "conditional": "false",
            "funded": "true",
            "funded_usd": "1500",
        },
        {
            "flow_id": "ga-later",
            "agreement_id": "ga-2025",
            "date": "2025-10",
            "date_precision": "month",
            "from_id": "google",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd_max": "1000",
            "conditional": "true",
            "condition": "milestones",
        },
        {
            "flow_id": "ga-back",
            "agreement_id": "ga-2025",
            "date": "2025-10",
            "date_precision": "month",
            "from_id": "anthropic",
            "to_id": "google",
            "kind": "cloud_commitment",
            "amount_usd": "30000",
            "conditional": "false",
        },
        {
            "flow_id": "na-in",
            "agreement_id": "na-2025",
            "date": "2025-11",
            "date_precision": "month",
            "from_id": "nvidia",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd": "800",
            "conditional": "false",
            "funded": "true",
        },
        {
            "flow_id": "na-back",
            "agreement_id": "na-2025",
            "date": "2025-11",
            "date_precision": "month",
            "from_id": "anthropic",
            "to_id": "nvidia",
            "kind": "chip_purchase",
            "conditional": "false",
            "capacity_gw": "1",
        },
    ],
    "claims": [
        {"claim_id": f"x-{flow}-{field}", "source_id": "blog-c", "flow_id": flow, "field": field, "value": value, "verdict": "agrees"}
        for flow, field, value in [
            ("ga-in", "amount_usd", "2000"),
            ("ga-in", "date", "2025-10"),
            ("ga-in", "funded", "true"),
            ("ga-in", "funded_usd", "1500"),
            ("ga-later", "amount_usd_max", "1000"),
            ("ga-later", "date", "2025-10"),
            ("ga-back", "amount_usd", "30000"),
            ("ga-back", "date", "2025-10"),
            ("na-in", "amount_usd", "800"),
            ("na-in", "date", "2025-11"),
            ("na-in", "funded", "true"),
            ("na-back", "capacity_gw", "1"),
            ("na-back", "date", "2025-11"),
        ]
    ],
    "investor_returns": [
        {
            "return_id": "g1",
            "investor_id": "amazon",
            "lab_id": "anthropic",
            "period": "2025-03",
            "period_precision": "month",
            "kind": "gain_on_stake",
            "amount_usd": "300",
            "source_ids": "blog-c",
        },
        {
            "return_id": "g2",
            "investor_id": "amazon",
            "lab_id": "anthropic",
            "period": "2025-09",
            "period_precision": "month",
            "kind": "gain_on_stake",
            "amount_usd": "900",
            "source_ids": "blog-c",
        },
        {
            "return_id": "g2-part",
            "investor_id": "amazon",
            "lab_id": "anthropic",
            "period": "2025-09",
            "period_precision": "month",
            "kind": "gain_on_stake",
            "amount_usd": "700",
            "source_ids": "blog-c",
            "overlaps": "g2",
        },
        {
            "return_id": "v1",
            "investor_id": "amazon",
            "lab_id": "anthropic",
            "period": "2025-12",
            "period_precision": "month",
            "kind": "carrying_value",
            "amount_usd": "5000",
            "source_ids": "blog-c",
        },
        {
            "return_id": "v0",
            "investor_id": "amazon",
            "lab_id": "anthropic",
            "period": "2025-06",
            "period_precision": "month",
            "kind": "carrying_value",
            "amount_usd": "4000",
            "source_ids": "blog-c",
        },
    ],
}


@pytest.fixture(scope="module")
def quantities(tmp_path_factory):
    rows = copy.deepcopy(ROWS)
    for table, extra in EXTRA.items():
        rows.setdefault(table, []).extend(extra)
    root = tmp_path_factory.mktemp("ledger")
    ds = analysis.load(write_ledger(root / "data", rows), seeds_dir=write_seeds(root / "seeds"))
    return headline.headline(ds)


def shown(quantities) -> dict[str, str]:
    return {k: str(q.shown) for k, q in quantities.items()}


def test_round_trip_counts_priced_pairs_only(quantities):
    # Amazon: firm in 1000 + 3000 + 500 = 4500 (the 2023 option was exercised as t2 and is
    # out), back 10000. Google: firm in 2000, back 30000. Nvidia: back is 1 GW, no dollars.
    s = shown(quantities)
    assert (s["hl_circular_pairs"], s["hl_priced_pairs"], s["hl_unpriced_pairs"]) == ("3", "2", "1")
    assert quantities["hl_firm_in"].value == 6500
    assert quantities["hl_firm_back"].value == 40000
    assert s["hl_ratio"] == "6.2×"  # 40000 / 6500 = 6.15


def test_largest_and_smallest_ratio(quantities):
    s = shown(quantities)
    assert (s["hl_top_pair"], s["hl_top_ratio"]) == ("Google → Anthropic", "15.0×")  # 30000 / 2000
    assert (s["hl_low_pair"], s["hl_low_ratio"]) == ("Amazon → Anthropic", "2.2×")  # 10000 / 4500


def test_investment_firm_share_and_paid(quantities):
    # Firm in: 4500 + 2000 + 800 = 7300; open 'up to': Amazon's 2000 milestones + Google's
    # 1000 = 3000; headline 10300. Paid: Google's stated 1500 + Nvidia's funded leg at its
    # firm 800 = 2300 (the fixture's Amazon legs say nothing of payment: unknown, not paid).
    q = quantities
    assert (q["hl_in_firm"].value, q["hl_in_headline"].value, q["hl_in_paid"].value) == (7300, 10300, 2300)
    assert str(q["hl_in_firm_share"].shown) == "71%"
    assert str(q["hl_in_paid_share"].shown) == "22%"


def test_amazon_anthropic_worked_example(quantities):
    s = shown(quantities)
    assert (s["hl_aa_firm"], s["hl_aa_conditional"], s["hl_aa_headline"]) == ("$4,500", "$2,000", "$6,500")
    assert s["hl_aa_legs"] == "4"  # t1, t2, 2026 now, 2026 milestones; the option is replaced by t2
    assert (s["hl_aa_back"], s["hl_aa_ratio"]) == ("$10,000", "2.2×")


def test_amazon_gains_leave_overlapping_rows_out(quantities):
    s = shown(quantities)
    assert s["hl_aa_gains"] == "$1,200"  # 300 + 900; the 700 component of the 900 is not added
    assert s["hl_aa_gains_to"] == "September 2025"
    assert (s["hl_aa_stake_value"], s["hl_aa_stake_value_at"]) == ("$5,000", "December 2025")  # latest, not first


def test_ledger_counts(quantities):
    s = shown(quantities)
    # 2 + 2 agreements and 6 + 5 legs; sources are the shared fixture's (this test adds none)
    assert (s["hl_agreements"], s["hl_legs"], s["hl_sources"]) == ("4", "11", str(len(ROWS["sources"])))


def test_every_quantity_says_what_it_counts(quantities):
    assert all(q.means and q.key.startswith("hl_") for q in quantities.values())


def test_glued_value_names_its_quantity_and_is_escaped():
    value = headline.Stated("<b>AT&T</b> → X", "hl_top_pair")
    assert value._repr_html_() == '<span class="rt-q" data-quantity="hl_top_pair">&lt;b&gt;AT&amp;T&lt;/b&gt; → X</span>'
    assert repr(value) == "<b>AT&T</b> → X"


# --- one value per quantity on every page ---------------------------------------------------

STATED = re.compile(r'<span class="rt-q" data-quantity="(hl_\w+)">(.*?)</span>', re.DOTALL)
USES = re.compile(r"\{glue(?::\w+)?\}`(hl_\w+)`")


def disagreements(pages: dict[str, str], sources: dict[str, str], expected: dict[str, str]) -> list[str]:
    """Every place a built page states a headline quantity with a value other than `expected`,
    and every page whose source glues a quantity that the built page does not show."""
    import html

    problems = []
    for page, text in sorted(pages.items()):
        stated = {}
        for key, value in STATED.findall(text):
            value = html.unescape(value)
            stated.setdefault(key, set()).add(value)
            if key not in expected:
                problems.append(f"{page}: states {key}, which analysis.headline does not define")
            elif value != expected[key]:
                problems.append(f"{page}: {key} is {value!r}, the ledger says {expected[key]!r}")
        for key in sorted(set(USES.findall(sources.get(page, "")))):
            if key not in stated:
                problems.append(f"{page}: its source glues {key} but the built page does not show it")
    return problems


def test_checker_catches_a_page_with_a_different_number():
    expected = {"hl_ratio": "12.2×", "hl_firm_in": "$59.3 billion"}
    good = '<p>about <span class="rt-q" data-quantity="hl_ratio">12.2×</span></p>'
    stale = '<p>about <span class="rt-q" data-quantity="hl_ratio">12.5×</span></p>'
    pages = {"book/intro": good, "book/overview": stale}
    sources = {"book/intro": "{glue}`hl_ratio`", "book/overview": "{glue}`hl_ratio` and {glue}`hl_firm_in`"}
    assert disagreements(pages, sources, expected) == [
        "book/overview: hl_ratio is '12.5×', the ledger says '12.2×'",
        "book/overview: its source glues hl_firm_in but the built page does not show it",
    ]
    assert disagreements({"book/intro": good}, {"book/intro": "{glue}`hl_ratio`"}, expected) == []


def test_chapters_never_glue_a_headline_key_themselves():
    """hl_ keys are glued only by headline.glue_all, so a page cannot define its own version."""
    for chapter in sorted((ROOT / "book").glob("*.md")):
        assert not re.search(r"glue\(\s*[\"']hl_", chapter.read_text(encoding="utf-8")), chapter.name


def test_every_page_states_the_same_value_for_each_quantity():
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make book` first", pytrace=False)
    expected = shown(headline.headline(analysis.load()))
    sources = {f"book/{p.stem}": p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.md")}
    pages = {str(p.relative_to(HTML).with_suffix("")): p.read_text(encoding="utf-8") for p in HTML.rglob("*.html")}
    used = {key for text in sources.values() for key in USES.findall(text)}
    assert used, "no chapter glues a headline quantity"
    assert disagreements(pages, sources, expected) == []


def test_chart_totals_match_the_headline_on_the_real_ledger():
    """The announced/firm/paid chart sums pairs; the headline sums legs: the two must agree."""
    from analysis import metrics, views

    ds = analysis.load()
    q = headline.headline(ds)
    totals = views.money_stages(ds, metrics.pairs(ds)).groupby("stage")["amount_usd"].sum()
    assert (totals["headline"], totals["firm"], totals["paid"]) == (q["hl_in_headline"].value, q["hl_in_firm"].value, q["hl_in_paid"].value)
    priced = headline.priced_pairs(ds)
    assert q["hl_ratio"].value == pytest.approx(priced["back_firm"].sum() / priced["in_firm"].sum())
