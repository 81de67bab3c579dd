"""What the ledger adds up to: firm vs conditional money, commitments back, round-trip ratios.

Definitions used throughout the book:
- firm money: the sum of `amount_usd`, what has been committed without conditions;
- conditional money: for conditional legs still open (not superseded by a later leg), the
  part of the 'up to' ceiling above the firm amount;
- headline: firm + conditional, what an "up to" announcement adds up to.
"""

from __future__ import annotations

import pandas as pd

# Derived money has one implementation, shared with the validator: see money.py.
from .money import conditional_part
from .money import headline as _headline
from .present import date as show_date
from .present import short_date
from .vocab import COMMITMENT_KINDS, INVESTMENT_KINDS  # noqa: F401 (re-exported)


def paid_part(flows: pd.DataFrame) -> pd.Series:
    """Per flow, the money a source says was paid in: funded_usd when stated, else the firm
    amount of a leg marked funded; 0 when unpaid or unknown."""
    funded = flows["funded"].fillna(False).astype(bool)
    stated = flows["funded_usd"]
    return stated.where(stated.notna(), flows["amount_usd"].where(funded, 0)).fillna(0).astype("Int64")


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
    by_flow = ds.memo("agreeing sources", lambda: _agreeing_by_flow(ds.claims))
    return sorted(set().union(*(by_flow.get(f, ()) for f in set(flow_ids))))


def _agreeing_by_flow(claims: pd.DataFrame) -> dict[str, frozenset[str]]:
    agrees = claims[claims["verdict"] == "agrees"]
    return {flow: frozenset(ids) for flow, ids in agrees.groupby("flow_id")["source_id"]}


def pairs(ds) -> pd.DataFrame:
    """One row per (investor, investee) with money in, commitments back and round-trip ratios.

    in: equity and notes from the investor; back: cloud, compute and chip commitments from the
    investee to the same company. ratio_firm = back_firm / in_firm and ratio_headline =
    back_headline / in_headline; undefined (NaN) when either side has no dollar figure.
    Standing legs only: a leg replaced by a later one (superseded_by) is left out, so an
    option and the tranche it became count once and a replaced letter of intent not at all.
    """
    return ds.memo("pairs", lambda: _pairs(ds)).copy()


def _pairs(ds) -> pd.DataFrame:
    standing = ds.flows[ds.flows["superseded_by"].isna()]
    flows = standing.assign(headline=_headline(standing), conditional_usd=conditional_part(standing))
    invest = flows[flows["kind"].isin(INVESTMENT_KINDS) | (flows["kind"] == "warrant")]
    commitments_back = flows[flows["kind"].isin(COMMITMENT_KINDS + ("other",))]
    back_by_pair = dict(iter(commitments_back.groupby(["from_id", "to_id"], sort=False)))
    nothing_back = commitments_back.iloc[0:0]
    rows = []
    for (investor, investee), legs_in in invest.groupby(["from_id", "to_id"], sort=True):
        back = back_by_pair.get((investee, investor), nothing_back)
        row = {
            "investor": investor,
            "investee": investee,
            "pair": f"{ds.entity_name(investor)} → {ds.entity_name(investee)}",
            "in_firm": int(legs_in["amount_usd"].fillna(0).sum()),
            "in_conditional": int(legs_in["conditional_usd"].sum()),
            "in_headline": int(legs_in["headline"].sum()),
            "in_paid": int(paid_part(legs_in).sum()),
            "back_firm": int(back["amount_usd"].fillna(0).sum()),
            "back_conditional": int(back["conditional_usd"].sum()),
            "back_headline": int(back["headline"].sum()),
            "back_gw": float(back["capacity_gw"].fillna(0).sum()),
            "back_legs": len(back),
            "flow_ids": sorted([*legs_in["flow_id"], *back["flow_id"]]),
            "first": min([*legs_in["date"], *back["date"]]),
        }
        row["ratio_firm"] = row["back_firm"] / row["in_firm"] if row["in_firm"] and row["back_firm"] else float("nan")
        row["ratio_headline"] = row["back_headline"] / row["in_headline"] if row["in_headline"] and row["back_headline"] else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def circular_pairs(ds) -> pd.DataFrame:
    """Pairs where money goes in and a commitment comes back (at least one leg each way)."""
    table = pairs(ds)
    return table[table["back_legs"] > 0].reset_index(drop=True)


def gross_vs_deduplicated(ds) -> dict[str, int]:
    """Adding up every announced figure counts some money twice: pledges that a later leg
    funded, options later exercised, letters of intent replaced by a different deal. The
    de-duplicated total keeps the leg that stands."""
    flows = ds.flows
    money = flows["amount_usd"].fillna(0) + conditional_part(flows.assign(superseded_by=pd.NA))
    gross = int(money.sum())
    deduplicated = int(_headline(flows).sum())
    return {"gross": gross, "deduplicated": deduplicated, "double_counted": gross - deduplicated}


def cumulative(flows: pd.DataFrame) -> pd.DataFrame:
    """Running firm and headline totals of a set of legs, one row per date, oldest first."""
    table = flows.assign(firm=flows["amount_usd"].fillna(0), conditional=conditional_part(flows))
    table = table.groupby("date_start", as_index=False)[["firm", "conditional"]].sum().sort_values("date_start")
    table["firm_total"] = table["firm"].cumsum().astype("int64")
    table["conditional_total"] = table["conditional"].cumsum().astype("int64")
    return table[["date_start", "firm_total", "conditional_total"]].reset_index(drop=True)
