"""One page per agreement, generated from the ledger: its legs, claims, sources and confidence.

Pages are MyST markdown written into book/deals/ at build time (never committed), so each
agreement has a stable URL, deals/<agreement_id>.html. Every text from the ledger is escaped:
markdown punctuation in titles, HTML in tables.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from .present import date, gw, usd
from .tables import split_list
from .vocab import labels

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~&:])")
KIND_NAMES = labels("flow_kind")


def md(text: str) -> str:
    """Text safe to place in markdown: every punctuation character that could start markup is escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def _cell(value) -> str:
    return "" if value is None or pd.isna(value) else html.escape(str(value))


def _table(frame: pd.DataFrame) -> str:
    """An HTML table of already-escaped cells, inside a raw block."""
    return "```{raw} html\n" + frame.to_html(index=False, escape=False, border=0, classes="rt-table") + "\n```\n"


def page(ds, agreement_id: str) -> str:
    agreement = ds.agreements.set_index("agreement_id").loc[agreement_id]
    legs = ds.flows[ds.flows["agreement_id"] == agreement_id]
    claims = ds.claims[(ds.claims["agreement_id"] == agreement_id) | ds.claims["flow_id"].isin(legs["flow_id"])]
    sources = ds.sources.set_index("source_id")
    parties = ", ".join(ds.entity_name(e) for e in split_list(agreement["parties"]))

    lines = [
        f"({agreement_id})=",
        f"# {md(agreement['title'])}",
        "",
        f"**Announced** {md(date(agreement['announced']))} · **status** {md(agreement['status'])} · **parties** {md(parties)}",
        "",
    ]
    if not pd.isna(agreement["summary"]):
        lines += [md(agreement["summary"]), ""]

    lines += ["## Legs", ""]
    leg_rows = pd.DataFrame(
        {
            "leg": [f'<span id="{_cell(f)}">{_cell(f)}</span>' for f in legs["flow_id"]],
            "date": legs["date"].map(lambda d: _cell(date(d))),
            "from → to": [_cell(f"{ds.entity_name(a)} → {ds.entity_name(b)}") for a, b in zip(legs["from_id"], legs["to_id"])],
            "kind": legs["kind"].map(lambda k: _cell(KIND_NAMES.get(k, k))),
            "firm": legs["amount_usd"].map(lambda v: "" if pd.isna(v) else _cell(usd(v))),
            "up to": legs["amount_usd_max"].map(lambda v: "" if pd.isna(v) else _cell(usd(v))),
            "capacity": legs["capacity_gw"].map(lambda v: "" if pd.isna(v) else _cell(gw(v))),
            "condition": legs["condition"].map(_cell),
            "paid": [_paid(f, u) for f, u in zip(legs["funded"], legs["funded_usd"])],
            "confidence": legs["confidence"].map(_cell),
            "replaced by": legs["superseded_by"].map(lambda v: "" if pd.isna(v) else _leg_link(ds, v, agreement_id)),
        }
    )
    lines += [_table(leg_rows), ""]
    notes = [(f, n) for f, n in zip(legs["flow_id"], legs["note"]) if not pd.isna(n)]
    if notes:
        lines += ["### Notes on the legs", ""]
        lines += [f"- **{md(f)}**: {md(n)}" for f, n in notes]
        lines += [""]

    lines += ["## What each source says", ""]
    claim_rows = pd.DataFrame(
        {
            "about": claims["flow_id"].fillna(claims["agreement_id"]).map(_cell),
            "field": claims["field"].map(_cell),
            "value": claims["value"].map(_cell),
            "verdict": claims["verdict"].map(_cell),
            "source": claims["source_id"].map(lambda s: _source_link(sources, s)),
            "note": claims["note"].map(_cell),
        }
    )
    lines += [_table(claim_rows), ""]

    used = sorted(set(claims["source_id"]))
    lines += ["## Sources", ""]
    for source_id in used:
        row = sources.loc[source_id]
        when = f" ({md(date(row['published']))})" if not pd.isna(row["published"]) else ""
        title = f" — {md(row['title'])}" if not pd.isna(row["title"]) else ""
        kind = md(str(row["kind"]).replace("_", " "))
        if str(row["url"]).startswith("http"):
            lines.append(f"- [{md(row['publisher'])}{when}](<{row['url']}>){title} · {kind}")
        else:
            lines.append(f"- {md(row['publisher'])}{when}{title} · {kind} (seed article, not a web page)")
    lines += ["", "[All deals](index.md) · [How confidence is computed](../sources-and-method.md)", ""]
    return "\n".join(lines)


def _leg_link(ds, flow_id: str, here: str) -> str:
    """A link to a leg's row, on this page or on its own agreement's page."""
    agreement = ds.flows.set_index("flow_id").at[flow_id, "agreement_id"]
    page = "" if agreement == here else f"{_cell(agreement)}.html"
    return f'<a href="{page}#{_cell(flow_id)}">{_cell(flow_id)}</a>'


def _paid(funded, funded_usd) -> str:
    if pd.isna(funded):
        return "unknown"
    if not funded:
        return "not yet"
    return _cell(usd(funded_usd)) if not pd.isna(funded_usd) else "yes"


def _source_link(sources: pd.DataFrame, source_id: str) -> str:
    row = sources.loc[source_id]
    label = html.escape(str(row["publisher"]))
    url = str(row["url"])
    return f'<a href="{html.escape(url, quote=True)}">{label}</a>' if url.startswith("http") else label


def index(ds) -> str:
    lines = [
        "# Every deal",
        "",
        "One page per agreement in the ledger, with its legs, what each source says and the confidence",
        "computed for each leg. Each page keeps its address as the ledger grows.",
        "",
    ]
    agreements = ds.agreements.sort_values(["announced", "agreement_id"])
    rows = pd.DataFrame(
        {
            "announced": agreements["announced"].map(lambda d: _cell(date(d))),
            "deal": [f'<a href="{_cell(a)}.html">{_cell(t)}</a>' for a, t in zip(agreements["agreement_id"], agreements["title"])],
            "status": agreements["status"].map(_cell),
            "legs": agreements["agreement_id"].map(lambda a: str(int((ds.flows["agreement_id"] == a).sum()))),
        }
    )
    lines += [_table(rows), ""]
    return "\n".join(lines)


def write(ds, folder: Path) -> list[Path]:
    """Write index.md and one page per agreement; remove pages of agreements that are gone."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {folder / "index.md": index(ds)}
    for agreement_id in ds.agreements["agreement_id"]:
        wanted[folder / f"{agreement_id}.md"] = page(ds, agreement_id)
    for stale in set(folder.glob("*.md")) - set(wanted):
        stale.unlink()
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")  # unchanged pages keep their mtime: no rebuild
    return sorted(wanted)
