"""One page per agreement, generated from the ledger: who pays whom, each leg, what each
source says, the sources, and the chapters that discuss it.

A page is a `Page`: a title (plain text) and blocks of HTML built only through
`analysis.render`, so no ledger text is ever parsed as Markdown or pasted into HTML unescaped.
book/_ext/rt_pages.py turns a Page into docutils nodes (the title as a text node, so the page
title, <title> and the theme's headings are escaped by the HTML writer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from . import render
from .history import deals_figures_html
from .metrics import paid_part
from .money import conditional_part
from .present import date, gw, usd
from .tables import split_list
from .vocab import COMMITMENT_KINDS, MONEY_IN_KINDS, TIERS, label

# Where the "Discussed in" list of chapters goes; the Sphinx extension fills it in after every
# chapter has been read (chapters link to deals from code, so only the doctrees know).
DISCUSSED_IN = "discussed-in"
PROSE = "prose"  # where the page's own MyST prose goes (the extension parses it there)


@dataclass
class Page:
    """A generated page: `title` is plain text; each block is (heading or None, HTML)."""

    name: str  # the file name without .md, e.g. "amazon-anthropic-2023"
    title: str
    blocks: list[tuple[str | None, Markup | str]] = field(default_factory=list)
    prose: str = ""  # our own words in MyST (glossary roles), never ledger text; placed at PROSE
    orphan: bool = True  # reached from the explorer or an index, not listed in the sidebar


# --- Names ---------------------------------------------------------------------------------


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sides(parties: list[str], legs: list, kinds: dict[str, str]) -> tuple[list[str], list[str]]:
    labs = [p for p in parties if kinds.get(p) == "lab"]
    others = [p for p in parties if p not in labs]
    if labs and others:
        return others, labs
    if legs:
        from_id, to_id, kind = legs[0]
        return ([to_id], [from_id]) if kind in COMMITMENT_KINDS else ([from_id], [to_id])
    return parties[:1], parties[1:] or parties[:1]


def _all_sides(ds) -> dict[str, tuple[list[str], list[str]]]:
    legs: dict[str, list] = {}
    for agreement_id, from_id, to_id, kind in zip(ds.flows["agreement_id"], ds.flows["from_id"], ds.flows["to_id"], ds.flows["kind"]):
        legs.setdefault(agreement_id, []).append((from_id, to_id, kind))
    kinds = dict(zip(ds.entities["entity_id"], ds.entities["kind"]))
    result = {}
    for agreement_id, listed in zip(ds.agreements["agreement_id"], ds.agreements["parties"]):
        parties: list[str] = []
        for from_id, to_id, _ in legs.get(agreement_id, []):
            parties += [p for p in (from_id, to_id) if p not in parties]
        result[agreement_id] = _sides(parties or split_list(listed), legs.get(agreement_id, []), kinds)
    return result


def sides(ds, agreement_id: str) -> tuple[list[str], list[str]]:
    """Who provides and who receives in an agreement, as entity ids in order of appearance.

    The arrow points the way money goes in: an investor or a supplier of compute or chips on
    the left, the lab it backs or sells to on the right (a lab's commitment to spend is the
    supplier selling to the lab). Without a lab, the first leg's direction decides.
    """
    return ds.memo("sides", lambda: _all_sides(ds))[agreement_id]


def parties_label(ds, agreement_id: str) -> str:
    """'Amazon → Anthropic', 'Microsoft and Nvidia → Anthropic'."""
    giving, taking = sides(ds, agreement_id)
    return f"{join_names([ds.entity_name(e) for e in giving])} → {join_names([ds.entity_name(e) for e in taking])}"


def _all_headlines(ds) -> dict[str, str]:
    flows = ds.flows[ds.flows["superseded_by"].isna()]
    money = pd.DataFrame(
        {
            "agreement_id": flows["agreement_id"],
            "direction": flows["kind"].map(lambda k: "in" if k in MONEY_IN_KINDS else "back" if k in COMMITMENT_KINDS else None),
            "firm": flows["amount_usd"].fillna(0).astype("int64"),
            "conditional": conditional_part(flows).astype("int64"),
        }
    ).dropna(subset=["direction"])
    sums = money.groupby(["agreement_id", "direction"])[["firm", "conditional"]].sum()
    words = {"in": "invested", "back": "of spending committed"}
    result: dict[str, str] = {}
    for agreement_id in ds.agreements["agreement_id"]:
        parts = []
        for direction in ("in", "back"):
            if (agreement_id, direction) not in sums.index:
                continue
            firm, conditional = sums.loc[(agreement_id, direction)]
            if firm + conditional:
                amount = f"{usd(firm + conditional)} {words[direction]}"
                parts.append(amount if conditional == 0 else f"up to {amount}")
        result[agreement_id] = ", ".join(parts)
    return result


def headline(ds, agreement_id: str) -> str:
    """The agreement's money in a few words: '$300 million invested, $3 billion of spending
    committed'; legs replaced by later legs left out, open conditional money as 'up to'."""
    return ds.memo("headlines", lambda: _all_headlines(ds))[agreement_id]


def _all_titles(ds) -> dict[str, str]:
    titles = {}
    for agreement_id, title in zip(ds.agreements["agreement_id"], ds.agreements["title"]):
        money = headline(ds, agreement_id)
        title = str(title) if not money or "$" in str(title) else f"{title} — {money}"
        titles[agreement_id] = f"{parties_label(ds, agreement_id)}: {title}"
    return titles


def display_title(ds, agreement_id: str) -> str:
    """The title readers see everywhere (deal pages, explorer, companies, chapters): who →
    whom, the agreement's title, and its money when the title does not already state it."""
    return ds.memo("titles", lambda: _all_titles(ds))[agreement_id]


def leg_label(ds, leg) -> str:
    """'Amazon → Anthropic · convertible note · 25 September 2023'."""
    return f"{ds.entity_name(leg['from_id'])} → {ds.entity_name(leg['to_id'])} · {label('flow_kind', leg['kind'])} · {date(leg['date'])}"


def deal_href(agreement_id: str, prefix: str = "") -> str:
    return f"{prefix}{agreement_id}.html"


def deal_link(ds, agreement_id: str, prefix: str = "") -> Markup:
    """A link to a deal page under its display title; `prefix` is the path to book/deals/."""
    return render.link(deal_href(agreement_id, prefix), display_title(ds, agreement_id), external=False)


def deal_list(ds, agreement_ids, prefix: str = "deals/") -> Markup:
    """A list of links to deal pages under their display titles, oldest first (chapters use it)."""
    chosen = ds.agreements[ds.agreements["agreement_id"].isin(set(agreement_ids))].sort_values(["announced", "agreement_id"])
    links = [deal_link(ds, a, prefix) for a in chosen["agreement_id"]]
    return render.render('<ul class="rt-deal-links">{% for d in links %}<li>{{ d }}</li>{% endfor %}</ul>', links=links)


def subject_link(ds, subject_id: str, prefix: str = "deals/") -> Markup:
    """A link to a leg's row on its deal page (labelled by who, kind and date) or to an agreement's page."""
    flows = ds.flows.set_index("flow_id")
    if subject_id in flows.index:
        leg = flows.loc[subject_id]
        return render.link(f"{deal_href(leg['agreement_id'], prefix)}#{subject_id}", leg_label(ds, leg), external=False)
    return deal_link(ds, subject_id, prefix)


def company_links(ds, entity_ids, prefix: str = "../companies/") -> Markup:
    """Names joined by commas, each linked to its company page when it has one."""
    from .company_pages import companies

    with_page = set(companies(ds))
    links = [
        render.link(f"{prefix}{e}.html", ds.entity_name(e), external=False) if e in with_page else render.text(ds.entity_name(e))
        for e in entity_ids
    ]
    return Markup(", ").join(links)


# --- Values as readers see them -----------------------------------------------------------------

MONEY_FIELDS = ("_usd", "_usd_max")
DATE_FIELDS = ("date", "announced", "funded_by")


def money(value) -> str:
    return "" if pd.isna(value) else usd(value)


def paid(ds, leg) -> str:
    """'$1.25 billion', 'yes', 'not yet' or 'unknown' (the amount as metrics.paid_part reads it)."""
    if pd.isna(leg["funded"]):
        return "unknown"
    if not leg["funded"]:
        return "not yet"
    amounts = ds.memo("paid", lambda: dict(zip(ds.flows["flow_id"], paid_part(ds.flows))))
    amount = amounts.get(leg["flow_id"], 0)
    return usd(amount) if amount else "yes"


def claim_value(ds, field_name: str, value) -> str:
    """A claimed value in words: money, dates, names and kinds as elsewhere in the book."""
    if pd.isna(value):
        return ""
    text = str(value)
    try:
        if field_name.endswith(MONEY_FIELDS):
            return usd(int(text))
        if field_name in DATE_FIELDS:
            return date(text)
        if field_name == "capacity_gw":
            return gw(float(text))
        if field_name == "term_years":
            return f"{float(text):g} years"
        if field_name in ("conditional", "funded"):
            return {"true": "yes", "false": "no"}.get(text.lower(), text)
        if field_name in ("from_id", "to_id"):
            return ds.entity_name(text)
        if field_name == "kind":
            return label("flow_kind", text)
        if field_name == "chip_family":
            return label("chip_family", text)
    except (ValueError, KeyError, IndexError):
        pass  # a claim value the ledger does not hold in this form: show what the source says
    return text


def field_label(field_name: str) -> str:
    try:
        return label("field", field_name)
    except KeyError:
        return field_name.replace("_", " ")


# --- The page ---------------------------------------------------------------------------------------

# What every table of legs shows after naming the leg (deal pages, company pages)
LEG_COLUMNS = ["Firm", "Up to", "Kind", "Date", "Paid", "Confidence"]


def leg_cells(ds, leg) -> list[str]:
    """The LEG_COLUMNS cells of one leg, money first: on a phone the first columns are the
    ones seen without scrolling the table."""
    return [
        money(leg["amount_usd"]),
        money(leg["amount_usd_max"]),
        label("flow_kind", leg["kind"]),
        date(leg["date"]),
        paid(ds, leg),
        label("confidence", leg["confidence"]),
    ]


def _legs_table(ds, legs: pd.DataFrame, agreement_id: str) -> Markup:
    flows = ds.flows.set_index("flow_id")
    rows = []
    for _, leg in legs.iterrows():
        replaced = ""
        if not pd.isna(leg["superseded_by"]):
            other = flows.loc[leg["superseded_by"]]
            page = "" if other["agreement_id"] == agreement_id else deal_href(other["agreement_id"])
            replaced = render.link(f"{page}#{leg['superseded_by']}", leg_label(ds, other), external=False)
        rows.append(
            [
                f"{ds.entity_name(leg['from_id'])} → {ds.entity_name(leg['to_id'])}",
                *leg_cells(ds, leg),
                "" if pd.isna(leg["capacity_gw"]) else gw(leg["capacity_gw"]),
                "" if pd.isna(leg["term_years"]) else f"{leg['term_years']:g} years",
                replaced,
            ]
        )
    columns = ["Who → whom", *LEG_COLUMNS, "Capacity", "Term", "Replaced by"]
    return render.table(columns, rows, label="Legs of this deal", row_ids=list(legs["flow_id"]), classes="rt-table rt-deal-legs")


def _leg_notes(ds, legs: pd.DataFrame) -> Markup:
    """Conditions and notes fold under each leg's name, so the legs table stays narrow."""
    items = [
        (leg_label(ds, leg), leg["condition"], leg["note"])
        for _, leg in legs.iterrows()
        if not (pd.isna(leg["condition"]) and pd.isna(leg["note"]))
    ]
    return render.render(
        """{% for name, condition, note in items %}<details class="rt-note"><summary>{{ name }}</summary>
{% if condition %}<p><strong>Condition:</strong> {{ condition }}</p>{% endif %}{% if note %}<p>{{ note }}</p>{% endif %}
</details>
{% endfor %}""",
        items=[(n, render.text(c), render.text(t)) for n, c, t in items],
    )


WHY = Markup("<details><summary>why</summary>{}</details>")


def _claims_table(ds, claims: pd.DataFrame, legs: pd.DataFrame) -> Markup:
    names = {f: leg_label(ds, leg) for f, (_, leg) in zip(legs["flow_id"], legs.iterrows())}
    order = {f: i for i, f in enumerate(legs["flow_id"])}
    claims = claims.assign(_order=claims["flow_id"].map(order).fillna(-1)).sort_values(["_order", "field", "claim_id"])
    links = ds.memo(
        "source links", lambda: {s: source_name_link(row) for s, (_, row) in zip(ds.sources["source_id"], ds.sources.iterrows())}
    )
    rows = []
    for leg, field_name, value, verdict, source_id, note in zip(
        claims["flow_id"], claims["field"], claims["value"], claims["verdict"], claims["source_id"], claims["note"]
    ):
        about = "the agreement" if pd.isna(leg) else render.link(f"#{leg}", names.get(leg, "a leg"), external=False)
        rows.append(
            [
                about,
                field_label(field_name),
                claim_value(ds, field_name, value),
                label("verdict", verdict),
                links[source_id],
                "" if pd.isna(note) else WHY.format(note),
            ]
        )
    columns = ["About", "Figure", "Source says", "Verdict", "Source", "Note"]
    return render.table(columns, rows, label="What each source says", classes="rt-table rt-deal-claims")


def _by_agreement(ds) -> dict[str, tuple[pd.Series, pd.DataFrame, pd.DataFrame]]:
    """Each agreement's row, legs and claims (its own and its legs'), split once for all pages."""
    agreement_of = dict(zip(ds.flows["flow_id"], ds.flows["agreement_id"]))
    claims = ds.claims.assign(_agreement=ds.claims["agreement_id"].fillna(ds.claims["flow_id"].map(agreement_of)))
    legs = dict(iter(ds.flows.groupby("agreement_id", sort=False)))
    claimed = dict(iter(claims.groupby("_agreement", sort=False)))
    empty_legs, empty_claims = ds.flows.iloc[:0], claims.iloc[:0]
    return {
        a: (row, legs.get(a, empty_legs), claimed.get(a, empty_claims))
        for a, (_, row) in zip(ds.agreements["agreement_id"], ds.agreements.iterrows())
    }


def source_name_link(source) -> Markup:
    """A source under its original's name: a copy is shown as the page it copies."""
    if source["tier"] == "copy" and not pd.isna(source["original_publisher"]):
        href = source["original_url"] if not pd.isna(source["original_url"]) else source["url"]
        return render.link(href, source["original_publisher"])
    return render.link(source["url"], source["publisher"]) if render.is_safe_url(str(source["url"])) else render.text(source["publisher"])


_SOURCE_ITEM = render.ENV.from_string(
    "<li>{{ name }}{% if published %} ({{ published }}){% endif %}{% if title %} — {{ title }}{% endif %}"
    " · {{ kind }} · {{ tier }}{% if copy %} · read via {{ copy }}{% endif %}"
    "{% if original %} · rewrites reporting by {{ original }}{% endif %}</li>"
)


def _source_item(source) -> Markup:
    copy = source["tier"] == "copy" and render.is_safe_url(str(source["url"]))
    secondary = source["tier"] == "secondary" and not pd.isna(source["original_publisher"])
    return Markup(
        _SOURCE_ITEM.render(
            name=source_name_link(source),
            published="" if pd.isna(source["published"]) else date(source["published"]),
            title=render.text(source["title"]),
            kind=label("source_kind", source["kind"]),
            tier=label("tier", source["tier"]),
            copy=render.link(source["url"], "a copy") if copy else "",
            original=source["original_publisher"] if secondary else "",
        )
    )


def _source_items(ds) -> dict[str, Markup]:
    """Every source as a list item, best first: primary, then original reporting, then the rest;
    newest first within a tier (dicts keep this order)."""
    ranked = ds.sources.assign(rank=ds.sources["tier"].map({t: i for i, t in enumerate(TIERS)}))
    ranked = ranked.sort_values(["rank", "published", "source_id"], ascending=[True, False, True], na_position="last")
    return {row["source_id"]: _source_item(row) for _, row in ranked.iterrows()}


def sources_list(ds, source_ids) -> Markup:
    """The given sources, best first (see _source_items)."""
    wanted = set(source_ids)
    items = [item for source_id, item in ds.memo("source items", lambda: _source_items(ds)).items() if source_id in wanted]
    return Markup('<ul class="rt-sources">{}</ul>').format(Markup("").join(items))


def figures_html(ds, agreement_id: str) -> Markup:
    """Each figure's value, confidence and history (analysis.history), the work shared by
    every deal page done once per ledger."""
    return ds.memo("deal figures", lambda: deals_figures_html(ds))[agreement_id]


def page(ds, agreement_id: str) -> Page:
    agreement, legs, claims = ds.memo("by agreement", lambda: _by_agreement(ds))[agreement_id]
    parties = split_list(agreement["parties"])

    facts = render.render(
        '<p class="rt-deal-facts"><strong>Announced</strong> {{ announced }} · <strong>Status</strong> {{ status }}'
        " · <strong>Parties</strong> {{ parties }}</p>{% if summary %}<p>{{ summary }}</p>{% endif %}",
        announced=date(agreement["announced"]),
        status=label("agreement_status", agreement["status"]),
        parties=company_links(ds, parties),
        summary=render.text(agreement["summary"]),
    )
    legs_table = _legs_table(ds, legs, agreement_id)
    blocks: list[tuple[str | None, Markup | str]] = [(None, facts), (None, DISCUSSED_IN), ("Legs", PROSE), (None, legs_table)]
    if len(notes := _leg_notes(ds, legs)):
        blocks.append(("Conditions and notes", notes))
    figures = figures_html(ds, agreement_id)
    if figures:
        blocks.append(("How sure we are of each figure", figures))
    blocks += [
        ("What each source says", _claims_table(ds, claims, legs)),
        ("Sources", sources_list(ds, claims["source_id"])),
        (
            None,
            Markup('<p><a href="index.html">All deals</a> · <a href="../sources-and-method.html">How confidence is computed</a></p>'),
        ),
    ]
    prose = (
        "Amounts are {term}`firm` (committed without conditions) or {term}`up to <up to>` a ceiling "
        "that depends on {term}`conditions <conditional>`; each leg's confidence is computed from its sources."
    )
    return Page(name=agreement_id, title=display_title(ds, agreement_id), blocks=blocks, prose=prose)


def pages(ds) -> list[Page]:
    """Every deal page and the explorer (deals/index)."""
    from .explorer import explorer_page

    return [explorer_page(ds), *(page(ds, a) for a in ds.agreements["agreement_id"])]
