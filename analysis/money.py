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

import numpy as np
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
    investment legs do not have exactly one investor and one lab).

    Plain numpy over integer codes (no per-agreement loop): the validator runs it on every
    check and reconcile on every load, at any ledger size."""
    ids = pd.Index(agreements["agreement_id"], name="agreement_id")
    announced = agreements["announced"].fillna("").to_numpy(dtype=object)
    at = ids.get_indexer(flows["agreement_id"])  # -1: a leg of an unknown agreement
    firm = flows["amount_usd"].fillna(0).to_numpy(dtype=np.int64)
    up_to = headline(flows).to_numpy(dtype=np.int64)
    kind = flows["kind"].to_numpy(dtype=object)
    invest = np.isin(kind, INVESTMENT_KINDS)
    commit = np.isin(kind, COMMITMENT_KINDS)

    def per_agreement(mask, values):
        mask = mask & (at >= 0)
        out = np.zeros(len(ids), dtype=np.int64)
        np.add.at(out, at[mask], values[mask])
        return out

    columns = {
        "invested_usd": per_agreement(invest, firm),
        "invested_usd_max": per_agreement(invest, up_to),
        "committed_usd": per_agreement(commit, firm),
        "committed_usd_max": per_agreement(commit, up_to),
    }
    # No such money is undefined, not zero.
    out = {name: pd.arrays.IntegerArray(values, values == 0) for name, values in columns.items()}

    # Cumulative: the investor's legs in the same lab from agreements announced no later than
    # this one (ISO strings sort in date order; a leg of an unknown agreement counts as earliest).
    # Investment legs sorted by (pair, announcement) give prefix sums; an agreement whose legs
    # have one pair reads the sum from its pair's first leg up to its own announcement.
    ends = [flows[c].fillna("").to_numpy(dtype=object) for c in ("from_id", "to_id")]
    pair = pd.factorize(ends[0] + "\x1f" + ends[1])[0]
    base = pair.max(initial=0) + 1
    leg_announced = np.where(at >= 0, announced[at], "").astype(str)
    days = np.unique(np.concatenate([leg_announced[invest], announced.astype(str)]))
    width = len(days) + 1
    key = pair[invest] * width + np.searchsorted(days, leg_announced[invest])
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    inside = invest & (at >= 0)
    combos = np.unique(at[inside] * base + pair[inside])  # each (agreement, pair) once
    owner, owner_pair = combos // base, combos % base
    single = np.bincount(owner, minlength=len(ids)) == 1
    rows = np.flatnonzero(single)
    their_pair = np.zeros(len(ids), dtype=np.int64)
    their_pair[owner] = owner_pair
    start = np.searchsorted(sorted_key, their_pair[rows] * width, side="left")
    end = np.searchsorted(sorted_key, their_pair[rows] * width + np.searchsorted(days, announced[rows].astype(str)), side="right")
    for column, values in (("cumulative_invested_usd", firm), ("cumulative_invested_usd_max", up_to)):
        prefix = np.concatenate([[0], np.cumsum(values[invest][order])])
        total = np.zeros(len(ids), dtype=np.int64)
        total[rows] = prefix[end] - prefix[start]
        out[column] = pd.arrays.IntegerArray(total, ~single)
    return pd.DataFrame(out, index=ids)[list(AGREEMENT_TOTALS)]


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
