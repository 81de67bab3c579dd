"""Tables the chapters show readers: ledger rows in words (vocab labels, money formatted by
`present`), every value escaped through `render`, every deal linked to its page."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from . import headline, metrics, present, render
from .vocab import label


def deal_link(ds, agreement_id: str, prefix: str = "deals/", short: bool = False) -> Markup:
    """A link to a deal's page, labelled with the deal's display title, which names the parties
    (or, in a narrow table cell, with the month it was announced, the title then shows as the
    link's tooltip)."""
    from .deal_pages import display_title

    deal = ds.agreements.set_index("agreement_id").loc[agreement_id]
    href = f"{prefix}{agreement_id}.html"
    if not short:
        return render.link(href, display_title(ds, agreement_id))
    return render.render(
        # nowrap: in a narrow cell each link stays one line instead of one word per line
        '<a href="{{ href }}" title="{{ title }}" style="white-space: nowrap">{{ when }}</a>',
        href=href,
        title=display_title(ds, agreement_id),
        when=f"{present.short_date(deal['announced'])} deal",
    )


def deal_links(ds, agreement_ids, prefix: str = "deals/", short: bool = False) -> Markup:
    """Links to several deals' pages, oldest first: a list, or a comma-separated run when short."""
    chosen = ds.agreements[ds.agreements["agreement_id"].isin(set(agreement_ids))].sort_values(["announced_start", "agreement_id"])
    links = [deal_link(ds, a, prefix, short) for a in chosen["agreement_id"]]
    if short:
        return Markup(", ").join(links)
    return render.render('<ul class="rt-deal-links">{% for l in links %}<li>{{ l }}</li>{% endfor %}</ul>', links=links)


def _money(value) -> str:
    return "" if value is None or pd.isna(value) or value == 0 else str(present.usd(value))


def _agreements(ds, flow_ids) -> list[str]:
    flows = ds.flows[ds.flows["flow_id"].isin(set(flow_ids))]
    return sorted(set(flows["agreement_id"]))


def why_no_ratio(row) -> str:
    """In words, why a circular pair has no round-trip ratio."""
    if row["in_firm"] == 0:
        return "no firm dollars in"
    if row["back_conditional"]:
        return "back is 'up to' only"
    if row["back_gw"]:
        return "back in gigawatts only"
    return "back has no amount"


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
                deal_links(ds, _agreements(ds, p["flow_ids"]), prefix, short=True),
            ]
        )
    columns = [
        "Investor → lab",
        "Firm money in",
        "Firm commitment back",
        "'Up to' back",
        "Capacity back",
        "Round-trip ratio",
        "Deals",
    ]
    return render.table(columns, rows, label="Every circular pair", wide=["Round-trip ratio"])


def legs_table(ds, flows: pd.DataFrame, prefix: str = "deals/") -> Markup:
    """Legs in words: when, who pays whom, kind, firm, up to, paid, capacity and chips,
    confidence, and the deal (linked). A replaced leg says so in its kind."""
    paid = metrics.paid_part(flows)
    rows = []
    for (_, f), paid_usd in zip(flows.iterrows(), paid):
        kind = label("flow_kind", f["kind"]) + (" (replaced by a later leg)" if not pd.isna(f["superseded_by"]) else "")
        capacity = " of ".join(
            x
            for x in (
                str(present.gw(f["capacity_gw"])) if not pd.isna(f["capacity_gw"]) else "",
                label("chip_family", f["chip_family"]) if not pd.isna(f["chip_family"]) else "",
            )
            if x
        )
        rows.append(
            [
                present.short_date(f["date"]),
                f"{ds.entity_name(f['from_id'])} → {ds.entity_name(f['to_id'])}",
                kind,
                _money(f["amount_usd"]),
                _money(f["amount_usd_max"]),
                _money(paid_usd) if not pd.isna(f["funded"]) else "not reported",
                capacity,
                label("confidence", f["confidence"]) if not pd.isna(f["confidence"]) else "",
                deal_link(ds, f["agreement_id"], prefix, short=True),
            ]
        )
    columns = ["When", "Who pays whom", "Kind", "Firm", "Up to", "Reported paid", "Capacity and chips", "Confidence", "Deal"]
    return render.table(columns, rows, label="Legs")


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


def actions_list(ds, prefix: str = "deals/") -> Markup:
    """Every regulatory action, oldest first, as a list a phone can read: date, authority, kind
    and title in one line; what it found or did, and the deals it concerned, folded under it."""
    table = ds.regulatory_actions.sort_values(["date_start", "action_id"])
    items = [
        {
            "when": present.date(r["date"]),
            "who": ds.entity_name(r["regulator_id"]),
            "kind": label("regulatory_kind", r["kind"]),
            "title": r["title"],
            "outcome": r["outcome"],
            "deals": deal_links(ds, [] if pd.isna(r["agreement_ids"]) else r["agreement_ids"].split(";"), prefix, short=True),
        }
        for _, r in table.iterrows()
    ]
    return render.render(
        """<ul class="rt-actions">
{% for a in items %}<li><details><summary><strong>{{ a.when }}</strong> · {{ a.who }} ({{ a.kind }}): {{ a.title }}</summary>
<p>{{ a.outcome }}{% if a.deals %} Deals: {{ a.deals }}.{% endif %}</p></details></li>
{% endfor %}</ul>""",
        items=items,
    )
