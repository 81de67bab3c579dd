"""What the ledger adds up to: firm vs conditional money, commitments back, round-trip ratios.

Definitions used throughout the book:
- firm money: the sum of `amount_usd`, what has been committed without conditions;
- conditional money: for conditional legs still open (not superseded by a later leg), the
  part of the 'up to' ceiling above the firm amount;
- headline: firm + conditional, what an "up to" announcement adds up to.
"""

from __future__ import annotations

import pandas as pd

from .present import date as show_date
from .present import short_date

INVESTMENT_KINDS = ("equity", "convertible_note")
COMMITMENT_KINDS = ("cloud_commitment", "compute_contract", "chip_purchase")


def conditional_part(flows: pd.DataFrame) -> pd.Series:
    """Per flow, the money above the firm amount that depends on conditions (0 when none)."""
    open_conditional = flows["conditional"].fillna(False) & flows["superseded_by"].isna()
    ceiling = flows["amount_usd_max"].fillna(0)
    firm = flows["amount_usd"].fillna(0)
    return (ceiling - firm).clip(lower=0).where(open_conditional, 0).astype("Int64")


def money_split(flows: pd.DataFrame) -> dict[str, int]:
    """Firm, conditional and headline totals of a set of flows, in whole dollars."""
    firm = int(flows["amount_usd"].fillna(0).sum())
    conditional = int(conditional_part(flows).sum())
    return {"firm": firm, "conditional": conditional, "headline": firm + conditional}


def legs(ds, from_id: str, to_id: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Flows of the given kinds from one entity to another, oldest first."""
    flows = ds.flows
    chosen = flows[(flows["from_id"] == from_id) & (flows["to_id"] == to_id) & flows["kind"].isin(kinds)]
    return chosen.sort_values(["date_start", "flow_id"]).reset_index(drop=True)


def investments(ds, investor: str, lab: str) -> pd.DataFrame:
    return legs(ds, investor, lab, INVESTMENT_KINDS)


def commitments(ds, lab: str, supplier: str) -> pd.DataFrame:
    return legs(ds, lab, supplier, COMMITMENT_KINDS)


def tranche_table(ds, flows: pd.DataFrame) -> pd.DataFrame:
    """One row per (flow, firm|conditional part) with an amount, for tranche charts."""
    names = dict(zip(ds.entities["entity_id"], ds.entities["name"]))
    conditional = conditional_part(flows)
    rows = []
    for flow, extra in zip(flows.itertuples(), conditional):
        label = short_date(flow.date)
        parts = [("firm", flow.amount_usd), ("conditional", extra)]
        for rank, (status, amount) in enumerate(parts):
            if pd.isna(amount) or amount == 0:
                continue
            rows.append(
                {
                    "flow_id": flow.flow_id,
                    "label": label,
                    "date": flow.date,
                    "date_label": show_date(flow.date),
                    "investor": flow.from_id,
                    "investor_name": names.get(flow.from_id, flow.from_id),
                    "status": status,
                    "status_rank": rank,
                    "amount_usd": int(amount),
                    "amount_bn": int(amount) / 1e9,
                    "condition": "" if status == "firm" or pd.isna(flow.condition) else flow.condition,
                }
            )
    return pd.DataFrame(rows)


def agreeing_sources(ds, flow_ids) -> list[str]:
    """Source ids of the claims that back the given flows."""
    claims = ds.claims
    chosen = claims[claims["flow_id"].isin(set(flow_ids)) & (claims["verdict"] == "agrees")]
    return sorted(set(chosen["source_id"]))
