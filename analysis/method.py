"""The method page's tables: how the ledger's claims are sourced and where sources disagree.

Everything here returns reader-facing words (vocab labels, formatted money and dates) and HTML
only through analysis/render.py.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from . import render
from .history import show
from .present import count, percent
from .present import date as show_date
from .reconcile import conflicts
from .summary import figures
from .vocab import CONFIDENCE_LEVELS, LABELS, TIERS, label

FIGURE_FIELDS = frozenset({"amount_usd", "amount_usd_max", "funded_usd", "capacity_gw", "term_years"})


def tier_table(ds) -> pd.DataFrame:
    """Per tier (best first): sources, claims, and figures whose best backing is that tier."""
    tiers = ds.claims["source_id"].map(ds.sources.set_index("source_id")["tier"])
    best = figures(ds)["best_tier"]
    rows = []
    for tier in TIERS:
        claims = tiers == tier
        rows.append(
            {
                "Tier": label("tier", tier),
                "Sources": count(int((ds.sources["tier"] == tier).sum())),
                "Claims (share)": f"{count(int(claims.sum()))} ({percent(claims.mean())})",
                "Figures it backs best": count(int((best == tier).sum())),
            }
        )
    return pd.DataFrame(rows)


def tier_table_html(ds) -> Markup:
    return render.frame_table(tier_table(ds), label="Sources, claims and figures by tier")


def confidence_counts(ds) -> dict[str, int]:
    """Figures (leg figures and stated deal totals) per confidence level, strongest first."""
    counts = figures(ds)["confidence"].value_counts()
    return {level: int(counts.get(level, 0)) for level in CONFIDENCE_LEVELS}


def disputes_html(ds) -> Markup:
    """Every conflicting or superseded claim, grouped by deal (one folded section per deal,
    largest first), each beside the value the ledger keeps and, folded, the reason."""
    table = conflicts(ds)
    if table.empty:
        return Markup("")
    agreements = ds.agreements.set_index("agreement_id")
    legs = ds.flows.set_index("flow_id")
    sections = []
    for deal, rows in sorted(table.groupby("deal"), key=lambda item: (-len(item[1]), item[0])):
        cells = [(_figure(ds, legs, deal, r.subject, r.subject_id, r.field), _disagreement(ds, r)) for r in rows.itertuples()]
        title = agreements.at[deal, "title"] if deal in agreements.index else deal
        sections.append(
            {
                "title": title,
                "count": len(rows),
                "link": render.link(f"deals/{deal}.html", "its deal page", external=False),
                "table": render.table(["Figure", "What a source said, and what the ledger keeps"], cells, label=f"Disagreements: {title}"),
            }
        )
    return render.render(_DISPUTES, sections=sections)


_DISPUTES = """<div class="rt-disputes">
{% for s in sections %}<details class="rt-dispute-deal">
<summary>{{ s.title }}: {{ s.count }} disagreement{{ 's' if s.count != 1 }}</summary>
{{ s.table }}
<p>All sources for this deal are on {{ s.link }}.</p>
</details>
{% endfor %}</div>"""


def _figure(ds, legs: pd.DataFrame, deal: str, subject: str, subject_id: str, field: str) -> Markup:
    name = label("field", field).capitalize()
    if subject != "flow" or subject_id not in legs.index:
        return render.text(f"{name} (whole deal)")
    leg = legs.loc[subject_id]
    what = f"{label('flow_kind', leg['kind'])}, {ds.entity_name(leg['from_id'])} → {ds.entity_name(leg['to_id'])}"
    return render.render(
        "{{ name }} of the {{ link }}", name=name, link=render.link(f"deals/{deal}.html#{subject_id}", what, external=False)
    )


def _disagreement(ds, r) -> Markup:
    """'$25 billion, according to X (content farm or AI digest). The ledger keeps $100 billion.'
    and the reason, folded."""
    tier = f" ({label('tier', r.tier)})" if r.tier in ("digest", "copy", "secondary") else ""
    who = f"{r.shown}{tier}"
    return render.render(
        _DISAGREEMENT,
        value=_value(ds, r.field, r.value),
        source=render.link(r.url, who) if render.is_safe_url(r.url) else render.text(who),
        superseded=r.verdict == "superseded",
        keeps=_value(ds, r.field, r.standing_value) or "no value",
        note=r.note,
    )


_DISAGREEMENT = """{{ value }}, according to {{ source }}{% if superseded %} (right when published, later replaced){% endif %}. \
The ledger keeps {{ keeps }}.{% if note %}<details><summary>Why</summary>{{ note }}</details>{% endif %}"""


def _value(ds, field: str, value: str) -> str:
    """A claim's or the ledger's value in reader words."""
    if value == "" or value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if field in FIGURE_FIELDS or field.endswith("_usd") or field.endswith("_usd_max"):
        return show(field, value)
    if field in ("date", "announced", "funded_by"):
        return str(show_date(value))
    if field in ("conditional", "funded"):
        return {"true": "yes", "false": "no"}.get(value, value)
    if field == "kind":
        return label("flow_kind", value)
    if field == "status":
        return label("agreement_status", value)
    if field in ("from_id", "to_id"):
        return ds.entity_name(value)
    if field == "chip":  # a part name, a chip family id, or the ledger's "part|family"
        families = LABELS["chip_family"]
        return ", ".join(families.get(part, part) for part in value.split("|") if part)
    return value
