"""Tables the chapters show readers: ledger rows in words (vocab labels, money formatted by
`present`), every value escaped through `render`, every deal linked to its page."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from . import headline, metrics, present, render
from .vocab import label


def deal_link(ds, agreement_id: str, prefix: str = "deals/") -> Markup:
    """A link to a deal's page, labelled with the deal's title."""
    titles = dict(zip(ds.agreements["agreement_id"], ds.agreements["title"]))
    return render.link(f"{prefix}{agreement_id}.html", titles.get(agreement_id, agreement_id))


def deal_links(ds, agreement_ids, prefix: str = "deals/") -> Markup:
    """Links to several deals' pages, oldest first, separated by line breaks."""
    chosen = ds.agreements[ds.agreements["agreement_id"].isin(set(agreement_ids))].sort_values(["announced_start", "agreement_id"])
    return Markup("<br>").join(deal_link(ds, a, prefix) for a in chosen["agreement_id"])


def _money(value) -> str:
    return "" if value is None or pd.isna(value) or value == 0 else str(present.usd(value))


def _agreements(ds, flow_ids) -> list[str]:
    flows = ds.flows[ds.flows["flow_id"].isin(set(flow_ids))]
    return sorted(set(flows["agreement_id"]))


def why_no_ratio(row) -> str:
    """In words, why a circular pair has no round-trip ratio."""
    if row["in_firm"] == 0:
        return "no firm dollar figure going in (shares or 'up to' only)"
    if row["back_conditional"]:
        return "the commitment back is 'up to' money only"
    if row["back_gw"]:
        return "the commitment back is stated in gigawatts, not dollars"
    return "the commitment back has no stated amount"


def pairs_table(ds, prefix: str = "deals/") -> Markup:
    """Every circular pair: firm in, firm back, 'up to' back, capacity, ratio, and its deals."""
    pairs = metrics.circular_pairs(ds)
    priced = set(headline.priced_pairs(ds)["pair"])
    pairs = pairs.assign(priced=pairs["pair"].isin(priced)).sort_values(["priced", "ratio_firm", "pair"], ascending=[False, False, True])
    rows = []
    for _, p in pairs.iterrows():
        ratio = str(present.ratio(p["ratio_firm"])) if p["priced"] else f"none: {why_no_ratio(p)}"
        rows.append(
            [
                p["pair"],
                _money(p["in_firm"]),
                _money(p["back_firm"]),
                _money(p["back_conditional"]),
                str(present.gw(p["back_gw"])) if p["back_gw"] else "",
                ratio,
                deal_links(ds, _agreements(ds, p["flow_ids"]), prefix),
            ]
        )
    columns = ["Investor → lab", "Firm money in", "Firm commitment back", "'Up to' back", "Capacity back", "Round-trip ratio", "Deals"]
    return render.table(columns, rows, label="Every circular pair", wide=["Deals"])


def legs_table(ds, flows: pd.DataFrame, prefix: str = "deals/") -> Markup:
    """Legs in words: date, who pays whom, kind, firm, up to, paid, capacity, chips, confidence, deal."""
    rows = []
    for _, f in flows.iterrows():
        paid = metrics.paid_part(f.to_frame().T.astype(flows.dtypes.to_dict())).iloc[0]
        rows.append(
            [
                present.date(f["date"]),
                f"{ds.entity_name(f['from_id'])} → {ds.entity_name(f['to_id'])}",
                label("flow_kind", f["kind"]),
                _money(f["amount_usd"]),
                _money(f["amount_usd_max"]),
                _money(paid) if not pd.isna(f["funded"]) else "not reported",
                str(present.gw(f["capacity_gw"])) if not pd.isna(f["capacity_gw"]) else "",
                label("chip_family", f["chip_family"]) if not pd.isna(f["chip_family"]) else "",
                label("confidence", f["confidence"]) if not pd.isna(f["confidence"]) else "",
                "replaced by a later leg" if not pd.isna(f["superseded_by"]) else "",
                deal_link(ds, f["agreement_id"], prefix),
            ]
        )
    columns = ["Date", "Who pays whom", "Kind", "Firm", "Up to", "Reported paid", "Capacity", "Chips", "Confidence", "Status", "Deal"]
    return render.table(columns, rows, label="Legs", wide=["Deal"])


def returns_table(ds, investor: str | None = None, kinds=("gain_on_stake", "carrying_value", "backlog", "loss_share")) -> Markup:
    """Investor returns rows in words; rows that repeat another are marked, not hidden."""
    table = ds.investor_returns
    table = table[table["kind"].isin(kinds)]
    if investor:
        table = table[table["investor_id"] == investor]
    table = table.sort_values(["investor_id", "period_start", "return_id"])
    rows = [
        [
            ds.entity_name(r["investor_id"]),
            ds.entity_name(r["lab_id"]),
            present.date(r["period"]),
            label("return_kind", r["kind"]),
            present.usd(r["amount_usd"]),
            "part of, or the same as, another row: not added" if not pd.isna(r["overlaps"]) else "",
        ]
        for _, r in table.iterrows()
    ]
    return render.table(["Investor", "Company", "Period", "What", "Amount", "Counted"], rows, label="What investors report")


def actions(ds, regulator: str, *subjects: str) -> pd.DataFrame:
    """A regulator's actions naming all of `subjects`, oldest first."""
    table = ds.regulatory_actions
    named = table["subjects"].fillna("").map(lambda s: set(s.split(";")))
    chosen = table[(table["regulator_id"] == regulator) & named.map(lambda s: set(subjects) <= s)]
    return chosen.sort_values(["date_start", "action_id"]).reset_index(drop=True)


def actions_table(ds, prefix: str = "deals/") -> Markup:
    """Every regulatory action in words, oldest first, with links to the deals it concerned."""
    table = ds.regulatory_actions.sort_values(["date_start", "action_id"])
    rows = [
        [
            present.date(r["date"]),
            ds.entity_name(r["regulator_id"]),
            label("regulatory_kind", r["kind"]),
            r["title"],
            r["outcome"],
            deal_links(ds, [a for a in str(r["agreement_ids"]).split(";") if a and not pd.isna(r["agreement_ids"])], prefix),
        ]
        for _, r in table.iterrows()
    ]
    return render.table(
        ["Date", "Authority", "Kind", "Action", "What it found or did", "Deals"],
        rows,
        label="Regulatory actions",
        wide=["What it found or did"],
    )
