"""Claims -> standing value, confidence and conflicts, on the hand-made fixture ledger."""

from __future__ import annotations

import copy

import pytest
from ledger_fixture import ROWS, write_ledger, write_seeds

import analysis
from analysis import reconcile
from analysis.vocab import CONFIDENCE_LEVELS


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    return analysis.load(write_ledger(root / "data"), seeds_dir=write_seeds(root / "seeds"))


@pytest.fixture(scope="module")
def table(ds):
    return reconcile.reconcile(ds).set_index(["subject_id", "field"])


def test_primary_source_confirms(table):
    assert table.loc[("aa-2023-t1", "amount_usd"), "confidence"] == "confirmed"


def test_less_precise_date_claim_still_agrees(table):
    # the source says 2023-09, the ledger 2023-09-25
    assert table.loc[("aa-2023-t1", "date"), "agrees"] == 1


def test_two_independent_outlets_confirm_despite_explained_conflict(table):
    row = table.loc[("aa-2023-t2", "amount_usd")]
    assert row["confidence"] == "confirmed"
    assert row["conflicts"] == 1
    assert row["conflicting"] == [{"source_id": "seed-x", "publisher": "unknown", "value": "2500", "note": "the seed garbles the tranche"}]
    assert row["standing_value"] == "3000"


def test_single_outlet_is_single_source(table):
    assert table.loc[("aa-2023-option", "amount_usd_max"), "confidence"] == "single-source"


def test_unconfirmed_value_with_conflict_is_contested(table):
    row = table.loc[("aa-2026-now", "amount_usd")]
    assert (row["confidence"], row["agrees"], row["conflicts"]) == ("contested", 1, 1)


def test_superseded_claim_does_not_contest(tmp_path):
    rows = copy.deepcopy(ROWS)
    rows["claims"] = [c for c in rows["claims"] if c["claim_id"] not in ("c23", "c24")]
    ds = analysis.load(write_ledger(tmp_path / "data", rows), seeds_dir=write_seeds(tmp_path / "seeds"))
    row = reconcile.reconcile(ds).set_index(["subject_id", "field"]).loc[("aa-2026-back", "amount_usd")]
    assert (row["confidence"], row["superseded"], row["conflicts"]) == ("single-source", 1, 0)


def test_a_content_farm_cannot_contest_a_figure(tmp_path):
    rows = copy.deepcopy(ROWS)
    next(c for c in rows["claims"] if c["claim_id"] == "c10")["source_id"] = "farm"
    ds = analysis.load(write_ledger(tmp_path / "data", rows), seeds_dir=write_seeds(tmp_path / "seeds"))
    row = reconcile.reconcile(ds).set_index(["subject_id", "field"]).loc[("aa-2026-now", "amount_usd")]
    assert (row["confidence"], row["conflicts"]) == ("single-source", 1)


def test_a_primary_source_outweighs_a_digest_that_conflicts(table):
    row = table.loc[("aa-2026-back", "amount_usd")]
    assert (row["confidence"], row["conflicts"], row["best_tier"]) == ("confirmed", 1, "primary")


def test_a_copy_is_not_an_independent_source(table):
    # Wire A and a copy of Wire A's story agree: one publisher, so not confirmed
    row = table.loc[("aa-2023-option", "amount_usd_max")]
    assert (row["agrees"], row["independent"], row["confidence"]) == (2, 1, "single-source")


def test_a_figure_only_a_content_farm_states_is_unverified(table):
    row = table.loc[("aa-2026-back", "funded_usd")]
    assert (row["confidence"], row["standing_value"], row["best_tier"]) == ("unverified", "1000", "digest")


def test_a_figure_backed_only_by_a_seed_is_unverified(table):
    assert table.loc[("aa-2026-back", "chip"), "confidence"] == "unverified"


def test_derived_agreement_totals(table):
    assert table.loc[("aa-2026", "invested_usd_max"), "standing_value"] == "2500"
    assert table.loc[("aa-2026", "cumulative_invested_usd"), "standing_value"] == "4500"


def test_a_legs_badge_follows_its_money_figures(ds):
    confidence = dict(zip(ds.flows["flow_id"], ds.flows["confidence"]))
    assert confidence == {
        "aa-2023-t1": "confirmed",
        "aa-2023-option": "single-source",
        "aa-2023-t2": "confirmed",  # amount confirmed; its date from one outlet does not lower the badge
        "aa-2026-now": "contested",
        "aa-2026-later": "single-source",
        "aa-2026-back": "unverified",  # its amount is confirmed, but its paid figure rests on a content farm
    }


def test_conflicts_table_lists_conflicting_and_superseded(ds):
    table = reconcile.conflicts(ds)
    assert sorted(table["claim_id"]) == ["c10", "c18", "c24", "c7"]
    c10 = table.set_index("claim_id").loc["c10"]
    assert (c10["value"], c10["standing_value"], c10["verdict"]) == ("400", "500", "conflicts")


def test_real_ledger_has_every_verdict():
    ds = analysis.load()
    verdicts = set(ds.claims["verdict"])
    assert {"agrees", "conflicts", "superseded"} <= verdicts
    assert set(ds.flows["confidence"]) <= set(CONFIDENCE_LEVELS)
    assert ds.flows["confidence"].notna().all()


def test_sources_for_readers_list_the_best_first_and_never_a_mirror(ds):
    table = reconcile.sources_for_readers(ds.sources)
    # primary, original reporting (newest first: 2026, then 28 and March 2024), the copy, the digests
    assert list(table["source_id"]) == ["co-2026", "co-2023", "blog-c", "wire-b", "wire-a", "mirror-a", "farm", "seed-x"]
    assert table.set_index("source_id").at["mirror-a", "shown"] == "Wire A (read via a copy)"
