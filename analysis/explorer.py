"""The deals explorer: every agreement and every leg in one table (book/deals/index).

Without JavaScript it is a plain table in its own scrolling box; book/_static/explorer.js adds
sorting (each header becomes a button) and filters (text, kind, confidence). Sort keys travel
in data-sort attributes so the script never parses formatted money or dates.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from . import render
from .deal_pages import PROSE, Page, deal_link, money, paid
from .metrics import paid_part
from .present import date
from .vocab import label

COLUMNS = (
    # (header, sort type) — the script sorts "text" alphabetically and "number" numerically
    ("Deal", "text"),
    ("Who → whom", "text"),
    ("Kind", "text"),
    ("Date", "text"),
    ("Firm", "number"),
    ("Up to", "number"),
    ("Paid", "number"),
    ("Confidence", "number"),
)

_TABLE = """<div class="rt-table-scroll rt-explorer" role="region" aria-label="Every deal and leg" tabindex="0">
<table class="rt-table rt-explorer-table" data-rt-explorer>
<thead><tr>{% for name, kind in columns %}<th scope="col" data-type="{{ kind }}">{{ name }}</th>{% endfor %}</tr></thead>
<tbody>
{% for r in rows %}<tr data-kind="{{ r.kind }}" data-confidence="{{ r.confidence }}">
{% for key, (name, kind) in zip(keys, columns) %}<td data-label="{{ name }}"
{%- if key ~ '_sort' in r %} data-sort="{{ r[key ~ '_sort'] }}"{% endif %}>{{ r[key] }}</td>{% endfor %}
</tr>
{% endfor %}</tbody>
</table>
</div>"""
KEYS = ("deal", "who", "kind", "date", "firm", "max", "paid", "confidence")

CONFIDENCE_RANK = {"confirmed": 3, "single-source": 2, "contested": 1, "unverified": 0}


def _number(value) -> str:
    return "" if pd.isna(value) else str(int(value))


def rows(ds) -> list[dict]:
    """One row per leg, agreements oldest first; an agreement without legs still gets a row."""
    names = dict(zip(ds.entities["entity_id"], ds.entities["name"]))
    flows = ds.flows.assign(_paid=paid_part(ds.flows)).sort_values(["date_start", "flow_id"])
    legs_of = dict(iter(flows.groupby("agreement_id", sort=False)))
    rows = []
    agreements = ds.agreements.sort_values(["announced", "agreement_id"])
    for agreement_id, announced in zip(agreements["agreement_id"], agreements["announced"]):
        base = {"deal": deal_link(ds, agreement_id), "deal_sort": f"{announced} {agreement_id}"}
        if agreement_id not in legs_of:
            empty = dict.fromkeys(
                ("who", "kind", "firm", "firm_sort", "max", "max_sort", "paid", "paid_sort", "confidence", "confidence_sort"), ""
            )
            rows.append({**base, **empty, "date": date(announced), "date_sort": announced})
            continue
        for leg in legs_of[agreement_id].to_dict("records"):
            rows.append(
                {
                    **base,
                    "who": f"{names[leg['from_id']]} → {names[leg['to_id']]}",
                    "kind": label("flow_kind", leg["kind"]),
                    "date": date(leg["date"]),
                    "date_sort": leg["date"],
                    "firm": money(leg["amount_usd"]),
                    "firm_sort": _number(leg["amount_usd"]),
                    "max": money(leg["amount_usd_max"]),
                    "max_sort": _number(leg["amount_usd_max"]),
                    "paid": paid(ds, leg),
                    "paid_sort": str(int(leg["_paid"])),
                    "confidence": label("confidence", leg["confidence"]),
                    "confidence_sort": str(CONFIDENCE_RANK.get(leg["confidence"], 0)),
                }
            )
    return rows


def table(ds) -> Markup:
    return render.render(_TABLE, columns=COLUMNS, keys=KEYS, rows=rows(ds), zip=zip)


def explorer_page(ds) -> Page:
    legs, agreements = len(ds.flows), len(ds.agreements)
    intro = render.render(
        "<p>{{ agreements }} agreements and their {{ legs }} legs. Each deal links to its page: every leg, "
        "what each source says and how sure we are. Firm and up-to amounts are not added up here: "
        "a later leg can replace an earlier one.</p>",
        agreements=agreements,
        legs=legs,
    )
    prose = (
        "Sort by any column, or filter by a word, a kind of leg or a confidence level. "
        "See the {doc}`glossary <../glossary>` for {term}`firm`, {term}`up to <up to>` and {term}`conditional` money."
    )
    return Page(name="index", title="Deals explorer", blocks=[(None, intro), (None, PROSE), (None, table(ds))], prose=prose, orphan=False)
