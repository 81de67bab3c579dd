"""Rules beyond the schema, each with its own message and fix."""

from __future__ import annotations

import copy

import pytest
from ledger_fixture import ROWS, write_ledger, write_seeds

import analysis


def problems_with(tmp_path, mutate, seed_names=("x.txt",)):
    rows = copy.deepcopy(ROWS)
    mutate(rows)
    data = write_ledger(tmp_path / "data", rows)
    seeds = write_seeds(tmp_path / "seeds", seed_names)
    return [str(p) for p in analysis.validate(data, seeds_dir=seeds)[2]]


def flow(rows, flow_id):
    return next(f for f in rows["flows"] if f["flow_id"] == flow_id)


def claim(rows, claim_id):
    return next(c for c in rows["claims"] if c["claim_id"] == claim_id)


def assert_problem(found, where, text):
    assert any(where in p and text in p for p in found), found


def test_firm_above_ceiling(tmp_path):
    found = problems_with(tmp_path, lambda r: flow(r, "aa-2023-option").update(amount_usd="4000"))
    assert_problem(found, "flows.csv:3: amount_usd", "firm amount 4000 is larger than the 'up to' amount 3000")


def test_conditional_needs_a_ceiling(tmp_path):
    found = problems_with(tmp_path, lambda r: flow(r, "aa-2026-later").update(amount_usd_max=""))
    assert_problem(found, "flows.csv:6: amount_usd_max", "is empty but the flow is conditional")


def test_every_flow_is_sourced(tmp_path):
    def mutate(rows):
        rows["claims"] = [c for c in rows["claims"] if c.get("flow_id") != "aa-2023-option"]

    found = problems_with(tmp_path, mutate)
    assert_problem(found, "flows.csv:3: flow_id", "flow 'aa-2023-option' has no agreeing claim, so no source")


def test_every_figure_is_sourced(tmp_path):
    found = problems_with(tmp_path, lambda r: r["claims"].remove(claim(r, "c16")))
    assert_problem(found, "flows.csv:7: capacity_gw", "'5' is not backed by any agreeing claim")


def test_agreeing_claim_must_match_the_ledger(tmp_path):
    found = problems_with(tmp_path, lambda r: claim(r, "c1").update(value="1200"))
    assert_problem(found, "claims.csv:2: value", "says '1200' but the ledger holds '1000' for amount_usd, yet the verdict is 'agrees'")


def test_conflict_needs_a_note(tmp_path):
    found = problems_with(tmp_path, lambda r: claim(r, "c7").update(note=""))
    assert_problem(found, "claims.csv:8: note", "is empty but the verdict is 'conflicts'")


def test_conflict_that_agrees(tmp_path):
    found = problems_with(tmp_path, lambda r: claim(r, "c7").update(value="3000"))
    assert_problem(found, "claims.csv:8: verdict", "is 'conflicts' but '3000' matches the ledger's amount_usd")


def test_claim_names_exactly_one_subject(tmp_path):
    found = problems_with(tmp_path, lambda r: claim(r, "c1").update(agreement_id="aa-2023"))
    assert_problem(found, "claims.csv:2: flow_id", "exactly one of flow_id or agreement_id")


def test_claim_points_at_existing_rows(tmp_path):
    found = problems_with(tmp_path, lambda r: claim(r, "c1").update(flow_id="aa-2023-t9"))
    assert_problem(found, "claims.csv:2: flow_id", "unknown flow 'aa-2023-t9'")


def test_field_must_fit_the_subject(tmp_path):
    found = problems_with(tmp_path, lambda r: claim(r, "c19").update(field="capacity_gw"))
    assert_problem(found, "claims.csv:20: field", "'capacity_gw' is not a field of a agreement claim")


def test_agreement_total_is_checked_against_its_legs(tmp_path):
    found = problems_with(tmp_path, lambda r: claim(r, "c19").update(value="2000"))
    assert_problem(found, "claims.csv:20: value", "says '2000' but the ledger holds '2500' for invested_usd_max")


def test_every_seed_file_is_a_source(tmp_path):
    found = problems_with(tmp_path, lambda r: None, seed_names=("x.txt", "y.txt"))
    assert_problem(found, "sources.csv: seed_file", "seed article y.txt is not recorded as a source")


def test_seed_file_must_exist(tmp_path):
    found = problems_with(tmp_path, lambda r: r["sources"][4].update(seed_file="z.txt"))
    assert_problem(found, "sources.csv:6: seed_file", "'z.txt' is not a file in")


def test_web_sources_have_urls(tmp_path):
    found = problems_with(tmp_path, lambda r: r["sources"][0].update(url="example.com/page"))
    assert_problem(found, "sources.csv:2: url", "'example.com/page' is not a web address")


@pytest.mark.parametrize(("column", "other"), [("from_id", "to_id"), ("to_id", "from_id")])
def test_flow_between_two_entities(tmp_path, column, other):
    """Either end changed to the other end's entity is caught (reported on to_id)."""

    def same_ends(rows):
        leg = flow(rows, "aa-2023-t1")
        assert leg[column] != leg[other]
        leg[column] = leg[other]

    found = problems_with(tmp_path, same_ends)
    assert_problem(found, "flows.csv:2: to_id", "is the same entity as from_id")


def test_agreement_without_flows(tmp_path):
    def mutate(rows):
        rows["agreements"].append(
            {
                "agreement_id": "aa-2030",
                "announced": "2030",
                "announced_precision": "year",
                "title": "t",
                "status": "reported",
                "parties": "amazon",
            }
        )

    found = problems_with(tmp_path, mutate)
    assert_problem(found, "agreements.csv:4: agreement_id", "agreement 'aa-2030' has no flows")


def test_list_references_are_checked(tmp_path):
    found = problems_with(tmp_path, lambda r: r["agreements"][0].update(parties="amazon;antropic"))
    assert_problem(found, "agreements.csv:2: parties", "unknown entity 'antropic' — fix: did you mean 'anthropic'?")


def test_seed_needs_claims(tmp_path):
    def mutate(rows):
        rows["claims"] = [c for c in rows["claims"] if c["source_id"] != "seed-x"]

    found = problems_with(tmp_path, mutate)
    assert_problem(found, "sources.csv:6: source_id", "seed article 'seed-x' has no claims")


# Source tiers. Fixture sources: 0 co-2023 (line 2), 1 wire-a, 2 wire-b, 3 blog-c, 4 seed-x,
# 5 mirror-a, a copy (line 7).
@pytest.mark.parametrize(
    ("source", "change", "where", "text"),
    [
        # a copy names its original publisher and URL; a rewrite names its original publisher
        (5, {"original_publisher": ""}, "sources.csv:7: original_publisher", "is empty but the tier is 'copy'"),
        (5, {"original_url": ""}, "sources.csv:7: original_url", "is empty but the tier is 'copy'"),
        (2, {"tier": "secondary"}, "sources.csv:4: original_publisher", "is empty but the tier is 'secondary'"),
        # only a copy links an original page
        (5, {"tier": "secondary"}, "sources.csv:7: original_url", "is set but the tier is 'secondary'"),
        # only companies, filings and regulators are primary, and they always are (or a copy of one)
        (1, {"tier": "primary"}, "sources.csv:3: tier", "is 'primary' but the kind is 'news'"),
        (0, {"tier": "original"}, "sources.csv:2: tier", "is 'original' but the kind is 'press_release'"),
        # a seed article is a digest
        (4, {"tier": "original"}, "sources.csv:6: tier", "is 'original' but the kind is 'seed'"),
    ],
)
def test_source_tiers(tmp_path, source, change, where, text):
    found = problems_with(tmp_path, lambda r: r["sources"][source].update(change))
    assert_problem(found, where, text)
    assert any(where in p and " — fix: " in p for p in found), found


def test_a_copy_of_a_company_announcement_stays_a_copy(tmp_path):
    found = problems_with(tmp_path, lambda r: r["sources"][5].update(kind="press_release"))
    assert not [p for p in found if "sources.csv:7" in p], found
