"""Derived money (analysis/money.py) against a plain, loop-by-loop reading of its definitions,
on the real ledger and on random ledgers: the vectorised version must agree on every total."""

from __future__ import annotations

import random

import pandas as pd
import pytest

import analysis
from analysis import money
from analysis.claims import held_values
from analysis.vocab import COMMITMENT_KINDS, FLOW_KINDS, INVESTMENT_KINDS


def reference_totals(flows: list[dict], agreements: list[dict]) -> dict[str, dict[str, str]]:
    """The definitions, one agreement at a time (an oracle for the test, not for the product)."""

    def amount(c, column):
        return int(c[column]) if c.get(column, "").isdigit() else 0

    def open_conditional(c):
        if c.get("conditional") != "true" or c.get("superseded_by"):
            return 0
        return max(amount(c, "amount_usd_max") - amount(c, "amount_usd"), 0)

    announced = {a["agreement_id"]: a["announced"] for a in agreements}
    totals = {}
    for agreement_id, day in announced.items():
        legs = [c for c in flows if c["agreement_id"] == agreement_id]
        invest = [c for c in legs if c["kind"] in INVESTMENT_KINDS]
        commit = [c for c in legs if c["kind"] in COMMITMENT_KINDS]
        out = {
            "invested_usd": sum(amount(c, "amount_usd") for c in invest),
            "invested_usd_max": sum(amount(c, "amount_usd") + open_conditional(c) for c in invest),
            "committed_usd": sum(amount(c, "amount_usd") for c in commit),
            "committed_usd_max": sum(amount(c, "amount_usd") + open_conditional(c) for c in commit),
        }
        out = {k: str(v) if v else "" for k, v in out.items()}
        pairs = {(c["from_id"], c["to_id"]) for c in invest}
        out["cumulative_invested_usd"] = out["cumulative_invested_usd_max"] = ""
        if len(pairs) == 1:
            (pair,) = pairs
            earlier = [
                c
                for c in flows
                if c["kind"] in INVESTMENT_KINDS and (c["from_id"], c["to_id"]) == pair and announced.get(c["agreement_id"], "") <= day
            ]
            out["cumulative_invested_usd"] = str(sum(amount(c, "amount_usd") for c in earlier))
            out["cumulative_invested_usd_max"] = str(sum(amount(c, "amount_usd") + open_conditional(c) for c in earlier))
        totals[agreement_id] = out
    return totals


def computed(flows, agreements):
    held = held_values(flows, agreements)
    return {a["agreement_id"]: {k: held[("agreement", a["agreement_id"])][k] for k in money.AGREEMENT_TOTALS} for a in agreements}


def test_real_ledger_totals_match_the_definitions():
    _, raws, _ = analysis.validate()
    flows, agreements = [r.cells for r in raws["flows"].rows], [r.cells for r in raws["agreements"].rows]
    assert computed(flows, agreements) == reference_totals(flows, agreements)


@pytest.mark.parametrize("seed", range(25))
def test_random_ledger_totals_match_the_definitions(seed):
    rng = random.Random(seed)
    days = ["2023", "2023-09", "2023-09-25", "2024-03", "2024-03-28", "2025", "2026-04"]
    agreements = [{"agreement_id": f"a{i}", "announced": rng.choice(days)} for i in range(rng.randint(1, 8))]
    companies = ["amazon", "anthropic", "google", "openai"]
    flows = []
    for i in range(rng.randint(0, 25)):
        firm, ceiling = rng.choice(["", "0", "100", "2500"]), rng.choice(["", "100", "4000"])
        flows.append(
            {
                "flow_id": f"f{i}",
                # now and then a leg of an agreement the table does not hold (reported by the FK check)
                "agreement_id": rng.choice([a["agreement_id"] for a in agreements] + ["ghost"]),
                "from_id": rng.choice(companies),
                "to_id": rng.choice(companies),
                "kind": rng.choice(FLOW_KINDS),
                "amount_usd": firm,
                "amount_usd_max": ceiling,
                "conditional": rng.choice(["true", "false"]),
                "superseded_by": rng.choice(["", "", "f0"]),
            }
        )
    assert computed(flows, agreements) == reference_totals(flows, agreements)


def test_metrics_and_validator_share_the_implementation():
    ds = analysis.load()
    typed = money.agreement_totals(ds.flows, ds.agreements).astype("string").fillna("")
    _, raws, _ = analysis.validate()
    cells = computed([r.cells for r in raws["flows"].rows], [r.cells for r in raws["agreements"].rows])
    assert typed.to_dict("index") == cells
    assert (money.headline(ds.flows) == ds.flows["amount_usd"].fillna(0) + money.conditional_part(ds.flows)).all()
    assert isinstance(money.conditional_part(ds.flows), pd.Series)
