"""Chart-ready tables: the ledger reshaped for one chart each. Numbers come from metrics."""

from __future__ import annotations

import pandas as pd

from . import metrics, reconcile, vocab
from .tables import split_list

LABS = ("anthropic", "openai")


def roundtrip_long(ds, pairs: pd.DataFrame) -> pd.DataFrame:
    """pairs -> one row per (pair, direction, status) with a signed amount for diverging bars
    (money in negative, left of zero) and the investor as the row's company."""
    rows = []
    for p in pairs.itertuples():
        for direction, sign, firm, conditional in (("in", -1, p.in_firm, p.in_conditional), ("back", 1, p.back_firm, p.back_conditional)):
            for rank, (status, amount) in enumerate((("firm", firm), ("conditional", conditional))):
                if amount:
                    rows.append(
                        {
                            "pair": p.pair,
                            "direction": vocab.label("direction", direction),
                            "status": status,
                            "status_label": vocab.label("money", status),
                            "status_rank": rank,
                            "company_id": p.investor,
                            "company": ds.entity_name(p.investor),
                            "amount_bn": sign * amount / 1e9,
                            "amount_abs_bn": amount / 1e9,
                            "flow_ids": p.flow_ids,
                        }
                    )
    return pd.DataFrame(rows)


def lab_ledgers(ds) -> pd.DataFrame:
    """For each lab, per counterparty: money invested in the lab and commitments back to it,
    firm and conditional, standing legs with a dollar figure (signed: money in negative)."""
    flows = ds.flows[ds.flows["superseded_by"].isna()].copy()
    flows["conditional_usd"] = metrics.conditional_part(flows)
    rows = []
    for lab in LABS:
        into = flows[(flows["to_id"] == lab) & flows["kind"].isin(vocab.MONEY_IN_KINDS)].assign(company_id=lambda f: f["from_id"], d="in")
        back = flows[(flows["from_id"] == lab) & flows["kind"].isin(vocab.COMMITMENT_KINDS)].assign(
            company_id=lambda f: f["to_id"], d="back"
        )
        for (company, d), legs in pd.concat([into, back]).groupby(["company_id", "d"], sort=True):
            sign = -1 if d == "in" else 1
            for rank, (status, amount) in enumerate(
                (("firm", int(legs["amount_usd"].fillna(0).sum())), ("conditional", int(legs["conditional_usd"].sum())))
            ):
                if amount:
                    rows.append(
                        {
                            "lab_id": lab,
                            "lab": ds.entity_name(lab),
                            "company_id": company,
                            "company": ds.entity_name(company),
                            "direction": vocab.label("direction", d),
                            "status": status,
                            "status_label": vocab.label("money", status),
                            "status_rank": rank,
                            "amount_bn": sign * amount / 1e9,
                            "amount_abs_bn": amount / 1e9,
                            "flow_ids": sorted(legs["flow_id"]),
                        }
                    )
    return pd.DataFrame(rows)


def ratio_table(ds, pairs: pd.DataFrame) -> pd.DataFrame:
    table = pairs[pairs["ratio_firm"].notna()].copy()
    table["investor_name"] = table["investor"].map(ds.entity_name)
    table["in_firm_bn"] = table["in_firm"] / 1e9
    table["back_firm_bn"] = table["back_firm"] / 1e9
    return table[
        ["pair", "investor", "investor_name", "investee", "in_firm", "back_firm", "ratio_firm", "in_firm_bn", "back_firm_bn"]
    ].reset_index(drop=True)


def chips(ds) -> pd.DataFrame:
    table = ds.chips.copy()
    table["vendor"] = table["vendor_id"].map(ds.entity_name)
    table["row"] = table["vendor"] + " · " + table["name"]
    table = table[table["announced_start"].notna()].sort_values(["vendor", "announced_start"])
    table["status"] = table["available"].notna().map({True: "available", False: "announced only"})
    return table[
        [
            "chip_id",
            "row",
            "vendor_id",
            "vendor",
            "family",
            "name",
            "use",
            "announced",
            "available",
            "announced_start",
            "available_start",
            "status",
        ]
    ].reset_index(drop=True)


def capacity_by_lab(ds) -> pd.DataFrame:
    """Gigawatts of compute the labs have contracted, by lab, supplier and chip family (standing legs only)."""
    flows = ds.flows[ds.flows["capacity_gw"].notna() & ds.flows["superseded_by"].isna() & ds.flows["from_id"].isin(LABS)].copy()
    flows["lab"] = flows["from_id"].map(ds.entity_name)
    flows["supplier"] = flows["to_id"].map(ds.entity_name)
    flows["family"] = flows["chip_family"].fillna("not stated")
    return flows[["flow_id", "date", "lab", "supplier", "family", "capacity_gw"]].sort_values(["lab", "date"]).reset_index(drop=True)


def matrix(ds, pairs: pd.DataFrame) -> pd.DataFrame:
    from .present import usd

    table = pairs[pairs["investee"].isin(LABS)].copy()
    table["supplier"] = table["investor"].map(ds.entity_name)
    table["lab"] = table["investee"].map(ds.entity_name)
    table["back_bn"] = table["back_headline"] / 1e9
    table["label"] = [str(usd(v)) if v else (f"{gw:g} GW" if gw else "—") for v, gw in zip(table["back_headline"], table["back_gw"])]
    table["invested"] = [str(usd(v)) if v else "no dollar figure" for v in table["in_headline"]]
    return table[["supplier", "lab", "back_bn", "label", "invested", "back_headline", "in_headline"]].reset_index(drop=True)


def agreements_timeline(ds) -> pd.DataFrame:
    table = ds.agreements.copy()
    parties = table["parties"].map(split_list)
    table["lab"] = parties.map(lambda ps: next((ds.entity_name(p) for p in ps if p in LABS), "other"))
    table["partner"] = parties.map(lambda ps: " + ".join(ds.entity_name(p) for p in ps if p not in LABS))
    table["row"] = table["partner"] + " ↔ " + table["lab"]
    return table.sort_values(["lab", "announced_start"])[
        ["agreement_id", "row", "lab", "partner", "title", "status", "announced", "announced_start"]
    ].reset_index(drop=True)


def regulation(ds) -> pd.DataFrame:
    table = ds.regulatory_actions.copy()
    table["regulator"] = table["regulator_id"].map(ds.entity_name)
    table["subjects_named"] = table["subjects"].map(lambda s: ", ".join(ds.entity_name(e) for e in split_list(s)))
    return table.sort_values(["regulator", "date_start"])[
        ["action_id", "regulator", "date", "date_start", "kind", "title", "outcome", "subjects_named", "source_ids"]
    ].reset_index(drop=True)


def conflict_counts(ds) -> pd.DataFrame:
    """Conflicting and superseded claims per source kind."""
    table = reconcile.conflicts(ds)
    counts = table.groupby(["source_kind", "verdict"], as_index=False).size().rename(columns={"size": "count"})
    counts["stack_rank"] = counts["verdict"].map({"conflicts": 0, "superseded": 1})
    return counts.sort_values(["count"], ascending=False).reset_index(drop=True)


def confidence_by_deal(ds) -> pd.DataFrame:
    flows = ds.flows.merge(ds.agreements[["agreement_id", "parties"]], on="agreement_id")
    flows["deal"] = flows["parties"].map(lambda s: " / ".join(ds.entity_name(e) for e in split_list(s)))
    counts = flows.groupby(["deal", "confidence"], as_index=False).size().rename(columns={"size": "count"})
    counts["stack_rank"] = counts["confidence"].map({c: i for i, c in enumerate(reversed(reconcile.CONFIDENCE_ORDER))})
    return counts.sort_values(["deal", "stack_rank"]).reset_index(drop=True)


def legs_html(flows: pd.DataFrame) -> str:
    """Legs as an HTML table for readers: formatted money and dates, every text escaped."""
    import html

    from .present import date, gw, usd

    def text(value) -> str:
        return "" if value is None or pd.isna(value) else html.escape(str(value))

    rows = pd.DataFrame(
        {
            "date": flows["date"].map(date),
            "kind": flows["kind"].map(text),
            "firm": [text(usd(v)) if not pd.isna(v) else "" for v in flows["amount_usd"]],
            "up to": [text(usd(v)) if not pd.isna(v) else "" for v in flows["amount_usd_max"]],
            "capacity": [text(gw(v)) if not pd.isna(v) else "" for v in flows["capacity_gw"]],
            "years": flows["term_years"].map(lambda v: "" if pd.isna(v) else f"{v:g}"),
            "chips": flows["chip_family"].map(text),
            "confidence": flows["confidence"].map(text),
            "note": flows["note"].map(text),
        }
    )
    return rows.to_html(index=False, escape=False, border=0, classes="rt-table")


STAGES = ("headline", "firm", "paid")


def money_stages(ds, pairs: pd.DataFrame) -> pd.DataFrame:
    """Investment per pair at three stages: the 'up to' headline, the firm part, what was paid."""
    rows = []
    for p in pairs[pairs["in_headline"] > 0].sort_values("in_headline", ascending=False).itertuples():
        for rank, (stage, amount) in enumerate(zip(STAGES, (p.in_headline, p.in_firm, p.in_paid))):
            rows.append(
                {
                    "pair": p.pair,
                    "investor": p.investor,
                    "investor_name": ds.entity_name(p.investor),
                    "stage": stage,
                    "stage_rank": rank,
                    "amount_usd": int(amount),
                    "amount_bn": amount / 1e9,
                }
            )
    return pd.DataFrame(rows)


def returns(ds) -> pd.DataFrame:
    """Gains and losses investors report on their stakes, one row per stated figure."""
    table = ds.investor_returns.copy()
    table = table[table["kind"].isin(["gain_on_stake", "loss_share"]) & table["overlaps"].isna()]
    table["investor"] = table["investor_id"].map(ds.entity_name)
    table["lab"] = table["lab_id"].map(ds.entity_name)
    table["amount_bn"] = table["amount_usd"].astype(float) / 1e9
    return table.sort_values(["investor", "period_start"])[
        ["return_id", "investor_id", "investor", "lab", "period", "period_start", "kind", "amount_usd", "amount_bn", "source_ids", "note"]
    ].reset_index(drop=True)


def deal_links(ds, agreement_ids, prefix: str = "deals/") -> str:
    """An HTML list linking to the deal pages of the given agreements, oldest first, under
    the titles deal pages use (who → whom: title)."""
    from .deal_pages import deal_list

    return deal_list(ds, agreement_ids, prefix)
