"""Derived money, computed once: open conditional money, headline amounts and agreement totals.

The validator (on CSV cells, via `cells_frame`) and the metrics (on the typed ledger) both
call these functions, so a total a source states is checked against exactly the number the
book shows.

- firm: `amount_usd`;
- open conditional: for a conditional leg not superseded by a later leg, the part of the
  'up to' ceiling above the firm amount;
- headline: firm + open conditional (a superseded leg keeps only its firm part).
"""

from __future__ import annotations

import re

import pandas as pd

from .vocab import COMMITMENT_KINDS, INVESTMENT_KINDS

MONEY_COLUMNS = ("amount_usd", "amount_usd_max")
# Totals a source may state for a whole agreement, checked against the sum of its legs.
AGREEMENT_TOTALS = (
    "invested_usd",  # firm investment legs (equity, convertible notes)
    "invested_usd_max",  # firm + open conditional investment: the "up to" headline
    "committed_usd",  # firm commitment legs (cloud, compute, chips)
    "committed_usd_max",
    "cumulative_invested_usd",  # the investor's firm total in the lab after this agreement
    "cumulative_invested_usd_max",
)


def conditional_part(flows: pd.DataFrame) -> pd.Series:
    """Per flow, the money above the firm amount that depends on conditions (0 when none)."""
    open_conditional = flows["conditional"].fillna(False).astype(bool) & flows["superseded_by"].isna()
    ceiling = flows["amount_usd_max"].fillna(0)
    firm = flows["amount_usd"].fillna(0)
    return (ceiling - firm).clip(lower=0).where(open_conditional, 0).astype("Int64")


def headline(flows: pd.DataFrame) -> pd.Series:
    """Per flow: firm amount plus open conditional money (for an 'up to' leg with no firm part,
    its ceiling). A superseded leg adds no conditional money: the leg that replaced it counts."""
    return (flows["amount_usd"].fillna(0) + conditional_part(flows)).astype("Int64")


def agreement_totals(flows: pd.DataFrame, agreements: pd.DataFrame) -> pd.DataFrame:
    """One row per agreement (indexed by agreement_id) with the AGREEMENT_TOTALS columns (Int64;
    NA when undefined: an agreement with no such legs, or a cumulative total when its
    investment legs do not have exactly one investor and one lab)."""
    legs = flows[["agreement_id", "from_id", "to_id", "kind"]].assign(firm=flows["amount_usd"].fillna(0), up_to=headline(flows))
    invest = legs[legs["kind"].isin(INVESTMENT_KINDS)]
    commit = legs[legs["kind"].isin(COMMITMENT_KINDS)]
    ids = pd.Index(agreements["agreement_id"], name="agreement_id")
    out = pd.DataFrame(index=ids)
    for prefix, chosen in (("invested_usd", invest), ("committed_usd", commit)):
        sums = chosen.groupby("agreement_id")[["firm", "up_to"]].sum()
        out[prefix] = sums["firm"].reindex(ids)
        out[f"{prefix}_max"] = sums["up_to"].reindex(ids)
    out = out.astype("Int64").mask(out == 0)  # no such money: undefined, not zero

    # Cumulative: every investment leg from the same investor to the same lab whose agreement
    # was announced no later than this one (ISO strings compare in date order).
    announced = agreements.set_index("agreement_id")["announced"].fillna("")
    pairs = invest.drop_duplicates(["agreement_id", "from_id", "to_id"])
    single = pairs.groupby("agreement_id")["from_id"].transform("size") == 1
    pairs = pairs.loc[single, ["agreement_id", "from_id", "to_id"]].assign(announced=lambda t: t["agreement_id"].map(announced).fillna(""))
    earlier = invest[["from_id", "to_id", "firm", "up_to"]].assign(leg_announced=invest["agreement_id"].map(announced).fillna(""))
    joined = pairs.merge(earlier, on=["from_id", "to_id"])
    joined = joined[joined["leg_announced"] <= joined["announced"]]
    cumulative = joined.groupby("agreement_id")[["firm", "up_to"]].sum()
    out["cumulative_invested_usd"] = cumulative["firm"].reindex(ids).astype("Int64")
    out["cumulative_invested_usd_max"] = cumulative["up_to"].reindex(ids).astype("Int64")
    return out[list(AGREEMENT_TOTALS)]


def cells_frame(rows: list[dict[str, str]], columns: tuple[str, ...]) -> pd.DataFrame:
    """Raw CSV cells as the few typed columns the functions above read. A money cell that is
    not plain ASCII digits counts as missing here: the schema check reports it."""
    data: dict[str, object] = {c: [r.get(c, "") for r in rows] for c in columns}
    for column in MONEY_COLUMNS:
        if column in data:
            data[column] = pd.array([int(v) if _DIGITS.fullmatch(v) else None for v in data[column]], dtype="Int64")
    if "conditional" in data:
        data["conditional"] = [v == "true" for v in data["conditional"]]
    if "superseded_by" in data:
        data["superseded_by"] = [v or None for v in data["superseded_by"]]
    return pd.DataFrame(data, columns=list(columns))


_DIGITS = re.compile(r"[0-9]{1,18}")  # at most 18 digits: sums stay inside int64
