"""A page per company (book/companies/<entity_id>): its deals in both directions, its totals,
its chips and its sites, with links to every deal page. Regulators get no page; they appear in
the regulation chapter.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from . import render
from .deal_pages import LEG_COLUMNS, PROSE, Page, deal_link, deal_list, leg_cells
from .money import conditional_part
from .present import date, gw, usd
from .tables import split_list
from .vocab import COMMITMENT_KINDS, MONEY_IN_KINDS, label

DEALS = "../deals/"
INVESTED, RECEIVED = "Invested in others", "Commitments received (others to spend with it)"


def companies(ds) -> list[str]:
    """Entity ids with a page: every entity that takes part in the ledger and is not a regulator."""
    return ds.memo("companies", lambda: _companies(ds))


def _companies(ds) -> list[str]:
    seen = set(ds.flows["from_id"]) | set(ds.flows["to_id"]) | set(ds.chips["vendor_id"].dropna())
    seen |= set(ds.sites["operator_id"].dropna()) | set(ds.sites["tenant_id"].dropna())
    seen |= set(ds.funding_rounds["company_id"].dropna()) | set(ds.investor_returns["investor_id"].dropna())
    for leads in ds.funding_rounds["lead_ids"].dropna():
        seen |= set(split_list(leads))
    for parties in ds.agreements["parties"].dropna():
        seen |= set(split_list(parties))
    kinds = dict(zip(ds.entities["entity_id"], ds.entities["kind"]))
    return [e for e in ds.entities["entity_id"] if kinds[e] != "regulator" and (e in seen or kinds[e] == "lab")]


def agreements_of(ds, entity_id: str) -> list[str]:
    """Agreements the company is a party to or has a leg in, oldest first."""
    flows = ds.flows
    ids = set(flows.loc[(flows["from_id"] == entity_id) | (flows["to_id"] == entity_id), "agreement_id"])
    ids |= {a for a, p in zip(ds.agreements["agreement_id"], ds.agreements["parties"]) if entity_id in split_list(p)}
    chosen = ds.agreements[ds.agreements["agreement_id"].isin(ids)].sort_values(["announced", "agreement_id"])
    return list(chosen["agreement_id"])


def totals(ds, entity_id: str) -> dict[str, dict[str, int]]:
    """Firm and up-to ("headline") money by direction, legs replaced by later legs left out."""
    return ds.memo("totals", lambda: _all_totals(ds)).get(entity_id) or _no_totals()


def _no_totals() -> dict[str, dict[str, int]]:
    return {name: {"firm": 0, "headline": 0} for name, *_ in TOTALS}


# (row name, which end of the leg is the company, which kinds)
TOTALS = (
    (INVESTED, "from_id", MONEY_IN_KINDS),
    ("Investment received", "to_id", MONEY_IN_KINDS),
    ("Commitments made (to spend with others)", "from_id", COMMITMENT_KINDS),
    (RECEIVED, "to_id", COMMITMENT_KINDS),
)


def _all_totals(ds) -> dict[str, dict[str, dict[str, int]]]:
    flows = ds.flows[ds.flows["superseded_by"].isna()]
    money = flows.assign(firm=flows["amount_usd"].fillna(0).astype("int64"), conditional=conditional_part(flows).astype("int64"))
    result: dict[str, dict[str, dict[str, int]]] = {}
    for name, end, kinds in TOTALS:
        sums = money[money["kind"].isin(kinds)].groupby(end)[["firm", "conditional"]].sum()
        for entity_id, firm, conditional in zip(sums.index, sums["firm"], sums["conditional"]):
            row = result.setdefault(entity_id, _no_totals())
            row[name] = {"firm": int(firm), "headline": int(firm + conditional)}
    return result


def _usd(amount: int) -> str:
    return usd(amount) if amount else "—"


def _totals_table(ds, entity_id: str) -> Markup:
    rows = [[name, _usd(t["firm"]), _usd(t["headline"])] for name, t in totals(ds, entity_id).items()]
    return render.table(["", "Firm", "Including up-to money"], rows, label="Totals", classes="rt-table rt-company-totals")


def _legs_table(ds, entity_id: str) -> Markup:
    flows = ds.flows
    legs = flows[(flows["from_id"] == entity_id) | (flows["to_id"] == entity_id)].sort_values(["date_start", "flow_id"])
    rows = []
    for _, leg in legs.iterrows():
        pays = leg["from_id"] == entity_id
        other = leg["to_id"] if pays else leg["from_id"]
        rows.append(
            [
                f"{'to' if pays else 'from'} {ds.entity_name(other)}",
                *leg_cells(ds, leg),
                deal_link(ds, leg["agreement_id"], DEALS),
            ]
        )
    # the deal's long title last: amounts stay on screen on a phone
    columns = ["Money goes", *LEG_COLUMNS, "Deal"]
    return render.table(columns, rows, label="Legs", classes="rt-table rt-company-legs")


def _chips_table(ds, entity_id: str) -> Markup | None:
    chips = ds.chips[ds.chips["vendor_id"] == entity_id]
    if chips.empty:
        return None
    rows = [
        [
            chip["name"],
            label("chip_family", chip["family"]),
            chip["generation"],
            label("chip_use", chip["use"]) if not pd.isna(chip["use"]) else "",
            "" if pd.isna(chip["announced"]) else date(chip["announced"]),
            "" if pd.isna(chip["available"]) else date(chip["available"]),
        ]
        for _, chip in chips.iterrows()
    ]
    return render.table(["Chip", "Family", "Generation", "Use", "Announced", "Available"], rows, label="Chips", classes="rt-table")


def _site_roles(ds, site) -> str:
    tenant = "" if pd.isna(site["tenant_id"]) else f" for {ds.entity_name(site['tenant_id'])}"
    return f"run by {ds.entity_name(site['operator_id'])}{tenant}"


def _sites_table(ds, entity_id: str) -> Markup | None:
    sites = ds.sites[(ds.sites["operator_id"] == entity_id) | (ds.sites["tenant_id"] == entity_id)]
    if sites.empty:
        return None
    chip_names = dict(zip(ds.chips["chip_id"], ds.chips["name"]))
    rows = [
        [
            site["name"],
            site["location"],
            _site_roles(ds, site),
            "" if pd.isna(site["chip_id"]) else chip_names.get(site["chip_id"], ""),
            "" if pd.isna(site["capacity_gw"]) else gw(site["capacity_gw"]),
            "" if pd.isna(site["online"]) else date(site["online"]),
        ]
        for _, site in sites.iterrows()
    ]
    return render.table(["Site", "Where", "Who", "Chips", "Capacity", "Online"], rows, label="Sites", classes="rt-table")


def _rounds_table(ds, entity_id: str) -> Markup | None:
    """Funding rounds the company raised or led."""
    rounds = ds.funding_rounds
    led = rounds["lead_ids"].map(lambda v: not pd.isna(v) and entity_id in split_list(v))
    chosen = rounds[(rounds["company_id"] == entity_id) | led].sort_values(["announced", "round_id"])
    if chosen.empty:
        return None
    rows = [
        [
            f"{ds.entity_name(r['company_id'])}: {r['name']}",
            date(r["announced"]),
            "" if pd.isna(r["amount_usd"]) else usd(r["amount_usd"]),
            "" if pd.isna(r["post_money_usd"]) else usd(r["post_money_usd"]),
            "" if pd.isna(r["lead_ids"]) else ", ".join(ds.entity_name(e) for e in split_list(r["lead_ids"])),
        ]
        for _, r in chosen.iterrows()
    ]
    return render.table(["Round", "Announced", "Raised", "Valuation after the round", "Led by"], rows, label="Funding rounds")


def page(ds, entity_id: str) -> Page:
    entity = ds.entities.set_index("entity_id").loc[entity_id]
    deals = agreements_of(ds, entity_id)
    lead = render.render(
        "<p>{{ name }} is {{ article }} {{ kind }}. {% if n %}It takes part in {{ n }} agreement{{ 's' if n != 1 else '' }}"
        " in the ledger.{% else %}It takes part in no agreement in the ledger.{% endif %}</p>",
        name=entity["name"],
        article="an" if label("entity_kind", entity["kind"])[:1] in "aeiou" else "a",
        kind=label("entity_kind", entity["kind"]),
        n=len(deals),
    )
    blocks: list[tuple[str | None, Markup | str]] = [(None, lead)]
    if deals:
        blocks += [("Deals", deal_list(ds, deals, DEALS)), ("Totals", PROSE), (None, _totals_table(ds, entity_id))]
    if ((ds.flows["from_id"] == entity_id) | (ds.flows["to_id"] == entity_id)).any():
        blocks.append(("Every leg", _legs_table(ds, entity_id)))
    for heading, table in (("Funding rounds", _rounds_table), ("Chips", _chips_table), ("Sites", _sites_table)):
        block = table(ds, entity_id)
        if block is not None:
            blocks.append((heading, block))
    blocks.append((None, Markup('<p><a href="index.html">All companies</a> · <a href="../deals/index.html">Deals explorer</a></p>')))
    prose = (
        "Totals leave out legs that a later leg replaced; {term}`firm` money is committed without conditions, "
        "the second column adds {term}`up to <up to>` ceilings."
        if deals
        else ""
    )
    return Page(name=entity_id, title=str(entity["name"]), blocks=blocks, prose=prose)


def index_page(ds) -> Page:
    rows = []
    for entity_id in companies(ds):
        entity = ds.entities.set_index("entity_id").loc[entity_id]
        invested, received = (totals(ds, entity_id)[k]["firm"] for k in (INVESTED, RECEIVED))
        rows.append(
            [
                render.link(f"{entity_id}.html", entity["name"], external=False),
                label("entity_kind", entity["kind"]),
                len(agreements_of(ds, entity_id)),
                _usd(invested),
                _usd(received),
            ]
        )
    table = render.table(["Company", "What it is", "Agreements", "Invested (firm)", "Commitments received (firm)"], rows, label="Companies")
    intro = Markup(
        "<p>Every company in the ledger that invests, sells compute or chips, or builds models, "
        "with its deals, totals, chips and sites.</p>"
    )
    return Page(name="index", title="Companies", blocks=[(None, intro), (None, table)], orphan=False)


def pages(ds) -> list[Page]:
    return [index_page(ds), *(page(ds, e) for e in companies(ds))]
