"""What was known when: the ledger as it could be read on a given day, and each figure's story.

Every claim carries its source's publication date, so the ledger can be rewound:
- `as_of(ds, day)` keeps only claims whose source was published by `day`. A figure nobody had
  reported yet is unknown (empty); a figure later revised shows the value its sources gave
  then (a report right when published, later superseded, until the leg is reported again);
  a value the ledger judges wrong never stands, it only contests; confidence is recomputed
  from what was known.
- `figure_history(ds, subject_id, field)` lists, oldest first, who stated a figure, what they
  said, and what that did: first reported, repeated, confirmed by a primary source,
  contradicted, revised.
- `deal_figures_html(ds, agreement_id)` is that history for every money, capacity and term
  figure of one deal, with each figure's confidence, as escaped HTML for its deal page.

A source dated only to a month or a year counts as known from the first day of that period;
a source with no date (the seed articles) is never known as of a date, and comes last in a
history. Claims whose value cannot be checked (verdict 'unverified') are not part of a story.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup

from . import render
from .claims import FLOW_FIGURES, consistent
from .money import AGREEMENT_TOTALS, agreement_totals
from .present import date as show_date
from .present import gw, usd
from .reconcile import as_text, claims_with_sources, figure_confidence, flow_confidence
from .vocab import label

if TYPE_CHECKING:
    from .dataset import Dataset

STORY_VERDICTS = ("agrees", "superseded", "conflicts")
# Figures a deal page tells the story of: money, capacity and term (the date is in the leg table).
SHOWN_FIGURES = ("amount_usd", "amount_usd_max", "funded_usd", "capacity_gw", "term_years")
# Context tables and the column that dates each row.
DATED_TABLES = {
    "chips": "announced",
    "sites": "announced",
    "funding_rounds": "announced",
    "regulatory_actions": "date",
    "investor_returns": "period",
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def period_start(values: pd.Series) -> pd.Series:
    """'2024' -> '2024-01-01', '2024-03' -> '2024-03-01', a day stays; missing stays missing."""
    values = values.astype("string")
    length = values.str.len()
    return values.where(length != 4, values + "-01-01").where(length != 7, values + "-01")


def as_of(ds: Dataset, day: str | dt.date) -> Dataset:
    """The ledger as it could be known on `day` (an ISO date 'YYYY-MM-DD' or a date)."""
    day = _day(day)
    sources = ds.sources[(period_start(ds.sources["published"]) <= day).fillna(False).astype(bool)]
    claims = ds.claims[ds.claims["source_id"].isin(sources["source_id"])]
    flows = ds.flows[ds.flows["flow_id"].isin(claims["flow_id"])]  # a leg nobody had reported is unknown
    flows, claims = _figures_then(flows, claims, sources)
    known_agreements = set(flows["agreement_id"]) | set(claims["agreement_id"].dropna())
    agreements = ds.agreements[ds.agreements["agreement_id"].isin(known_agreements)]
    claims = claims[claims["flow_id"].isin(flows["flow_id"]) | claims["agreement_id"].isin(agreements["agreement_id"])]
    context = {name: _dated_by(ds.table(name), column, day) for name, column in DATED_TABLES.items()}
    then = dataclasses.replace(
        ds,
        sources=sources.reset_index(drop=True),
        claims=claims.reset_index(drop=True),
        flows=flows.reset_index(drop=True),
        agreements=agreements.reset_index(drop=True),
        **context,
    )
    then.flows["confidence"] = then.flows["flow_id"].map(flow_confidence(then)).astype("string")
    return then


def figure_history(ds: Dataset, subject_id: str, field: str) -> pd.DataFrame:
    """One row per claim about one figure (a leg's or an agreement's), oldest source first:
    date, date_label, publisher (as readers see it), tier, value, event, event_label,
    source_id, url, verdict."""
    stories = _stories(claims_with_sources(ds, _about(ds.claims, [subject_id])))
    rows = [
        {
            "date": r["published"],
            "date_label": _when(r["published"]) or "undated",
            "publisher": r["shown"],
            "tier": r["tier"],
            "value": r["value"],
            "event": r["event"],
            "event_label": label("figure_event", r["event"]),
            "source_id": r["source_id"],
            "url": r["url"],
            "verdict": r["verdict"],
        }
        for r in stories.get((subject_id, field), [])
    ]
    columns = ["date", "date_label", "publisher", "tier", "value", "event", "event_label", "source_id", "url", "verdict"]
    return pd.DataFrame(rows, columns=columns)


def deal_figures_html(ds: Dataset, agreement_id: str) -> Markup:
    """For each leg of the deal (and the deal's stated totals): its money, capacity and term
    figures with value, confidence and a short 'what was known when' timeline. Escaped HTML.
    To render every deal, deals_figures_html(ds) does the shared work once."""
    legs = ds.flows[ds.flows["agreement_id"] == agreement_id]
    return _DealFigures(ds, _about(ds.claims, [agreement_id, *legs["flow_id"]])).html(agreement_id)


def deals_figures_html(ds: Dataset) -> dict[str, Markup]:
    """agreement_id -> deal_figures_html(ds, agreement_id), for every agreement in one pass."""
    figures = _DealFigures(ds, ds.claims)
    return {agreement_id: figures.html(agreement_id) for agreement_id in ds.agreements["agreement_id"]}


class _DealFigures:
    """What deal pages need from the claims, computed once: confidence and story per figure,
    and the agreements' totals."""

    def __init__(self, ds: Dataset, claims: pd.DataFrame):
        self.ds = ds
        claims = claims_with_sources(ds, claims)
        levels = figure_confidence(ds, claims)
        self.confidence = dict(zip(zip(levels["subject_id"], levels["field"]), levels["confidence"]))
        self.stories = _stories(claims)
        self.legs = ds.flows.sort_values(["date_start", "flow_id"]).groupby("agreement_id", sort=False)
        self.totals = None  # computed on first need: cumulative totals read every earlier deal

    def html(self, agreement_id: str) -> Markup:
        ds, groups = self.ds, []
        legs = self.legs.get_group(agreement_id) if agreement_id in self.legs.groups else ds.flows.iloc[:0]
        for leg in legs.itertuples():
            kind = label("flow_kind", leg.kind)
            title = f"{ds.entity_name(leg.from_id)} → {ds.entity_name(leg.to_id)}: {kind}, {show_date(leg.date)}"
            values = {f: getattr(leg, f) for f in SHOWN_FIGURES}
            groups.append(_group(title, leg.flow_id, values, self.stories, self.confidence))
        if any((agreement_id, field) in self.stories for field in AGREEMENT_TOTALS):
            if self.totals is None:
                self.totals = agreement_totals(ds.flows, ds.agreements)
            totals = self.totals.loc[agreement_id].to_dict()
            groups.append(_group("The whole deal, as sources state it", agreement_id, totals, self.stories, self.confidence))
        groups = [g for g in groups if g["figures"]]
        # Backticks are escaped too, so the HTML can sit inside a Markdown raw block unchanged.
        return Markup(str(render.render(_FIGURES, groups=groups)).replace("`", "&#96;"))


_FIGURES = """{% if groups %}<div class="rt-figures">
{% for g in groups %}<section class="rt-figures-leg">
<p class="rt-figures-title"><strong>{{ g.title }}</strong></p>
<ul class="rt-figures-list">
{% for f in g.figures %}<li><span class="rt-figure-name">{{ f.name }}</span>: <strong>{{ f.value }}</strong> \
<span class="rt-confidence rt-confidence-{{ f.level }}">({{ f.confidence }})</span>
<ul class="rt-timeline">{% for line in f.timeline %}<li>{{ line }}</li>{% endfor %}</ul>
</li>
{% endfor %}</ul>
</section>
{% endfor %}</div>{% endif %}"""


def _group(title: str, subject_id: str, values: dict, stories: dict, confidence: dict) -> dict:
    figures = []
    for field, value in values.items():
        if value is None or pd.isna(value) or (subject_id, field) not in confidence:
            continue
        level = confidence[(subject_id, field)]
        figures.append(
            {
                "name": label("field", field).capitalize(),
                "value": show(field, value),
                "level": level,
                "confidence": label("confidence", level),
                "timeline": _timeline(field, stories.get((subject_id, field), []), value),
            }
        )
    return {"title": title, "figures": figures}


def show(field: str, value) -> str:
    """A figure's value as readers see it: $1.25 billion, 2.2 GW, 10 years, 25 September 2023."""
    if field in ("capacity_gw",):
        return str(gw(float(value)))
    if field == "term_years":
        years = float(value)
        return f"{years:g} year" + ("" if years == 1 else "s")
    if field in ("date", "announced", "funded_by"):
        return str(show_date(str(value)))
    return str(usd(int(value)))


def _timeline(field: str, story: list[dict], standing) -> list[Markup]:
    """The story in a few lines: first report, revisions, first primary confirmation, how many
    others repeated it, and every contradiction."""
    lines: list[Markup] = []
    repeated: dict[str, bool] = {}  # publisher -> is a digest
    confirmed = False
    standing_text = str(as_text(pd.Series([standing])).iloc[0])
    for row in story:
        event, value = row["event"], row["value"]
        context = {"who": _who(row), "when": _when(row["published"]), "said": show(field, value)}
        if event == "first_reported":
            differs = not consistent(field, value, standing_text) and not consistent(field, standing_text, value)
            lines.append(
                render.render("First reported by " + _BY + "{% if differs %}, as {{ said }}{% endif %}", differs=differs, **context)
            )
        elif event == "revised":
            lines.append(render.render("Revised to {{ said }} by " + _BY, **context))
        elif event == "confirmed" and not confirmed:
            confirmed = True
            lines.append(render.render("Confirmed by a primary source, " + _BY, **context))
        elif event == "contradicted":
            lines.append(render.render("Contradicted by " + _BY + ", which gave {{ said }}", **context))
        elif event in ("repeated", "confirmed"):
            repeated[row["shown"]] = row["tier"] == "digest"
    if repeated:
        template = (
            "Repeated by {{ n }} other publisher{{ 's' if n != 1 }}{% if d %} ({{ d }} of them content farms or AI digests){% endif %}"
        )
        lines.append(render.render(template, n=len(repeated), d=sum(repeated.values())))
    return lines


_BY = "{{ who }}{% if when %} {{ when }}{% else %}, undated{% endif %}"


def _who(row: dict) -> Markup:
    tier = f" ({label('tier', row['tier'])})" if row["tier"] in ("primary", "digest") else ""
    name = f"{row['shown']}{tier}"
    url = row["url"]
    return render.link(url, name) if isinstance(url, str) and render.is_safe_url(url) else render.text(name)


def _when(published) -> str:
    if published is None or pd.isna(published):
        return ""
    return ("on " if len(str(published)) == 10 else "in ") + str(show_date(str(published)))


def _stories(claims: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """(subject_id, field) -> its claims as records, oldest source first (undated last), each
    with the event it was in the figure's story: first reported, repeated, confirmed by a
    primary source, contradicted or revised. One pass over plain records."""
    rows = claims[claims["verdict"].isin(STORY_VERDICTS)]
    rows = rows.assign(when=period_start(rows["published"])).sort_values("when", na_position="last", kind="stable")
    columns = ["subject_id", "field", "value", "verdict", "tier", "shown", "published", "source_id", "url"]
    records = rows[columns].astype(object)
    stories: dict[tuple[str, str], list[dict]] = {}
    for record in records.where(records.notna(), None).to_dict("records"):
        stories.setdefault((record["subject_id"], record["field"]), []).append(record)
    for story in stories.values():
        current = None
        for record in story:
            field, value = record["field"], record["value"]
            if record["verdict"] == "conflicts":
                record["event"] = "contradicted"
            elif current is None:
                record["event"], current = "first_reported", value
            elif consistent(field, value, current) or consistent(field, current, value):
                record["event"] = "confirmed" if record["tier"] == "primary" else "repeated"
                current = max(current, value, key=len)  # a date keeps the most precise form seen
            else:
                record["event"], current = "revised", value
    return stories


def _about(claims: pd.DataFrame, subject_ids: list[str]) -> pd.DataFrame:
    """Claims about these legs or agreements (filtered before any join, so it stays cheap)."""
    ids = set(subject_ids)
    return claims[claims["flow_id"].isin(ids) | (claims["flow_id"].isna() & claims["agreement_id"].isin(ids))]


def _figures_then(flows: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each leg's figures as its known sources gave them, and the claims re-judged against
    those values (a report later superseded agreed with the figure of its day)."""
    when = claims["source_id"].map(period_start(sources.set_index("source_id")["published"]))
    story = claims[claims["flow_id"].notna() & claims["field"].isin(FLOW_FIGURES) & claims["verdict"].isin(STORY_VERDICTS)]
    story = story.assign(when=when)
    agreed = pd.MultiIndex.from_frame(story.loc[story["verdict"] == "agrees", ["flow_id", "field"]])
    # With no agreeing report yet, a report that was right when published (later superseded)
    # stands until the leg is reported again; a report the ledger judges wrong (conflicts)
    # never sets a figure.
    latest = story[story["verdict"] == "superseded"].sort_values("when", kind="stable")
    latest = latest.drop_duplicates(["flow_id", "field"], keep="last")
    last_report = when[claims["flow_id"].notna()].groupby(claims["flow_id"]).max()
    latest = latest[latest["when"] >= latest["flow_id"].map(last_report)]
    latest = latest.set_index(["flow_id", "field"])["value"]
    flows = flows.copy()
    for field in FLOW_FIGURES:
        keys = pd.MultiIndex.from_arrays([flows["flow_id"], [field] * len(flows)])
        reported = pd.Series(latest.reindex(keys).to_numpy(), index=flows.index, dtype="string")
        flows[field] = flows[field].where(keys.isin(agreed), _typed(reported, flows[field].dtype))
    flows["date_start"] = pd.to_datetime(period_start(flows["date"]), format="%Y-%m-%d")
    flows["date_precision"] = flows["date"].str.len().map({4: "year", 7: "month", 10: "day"}).astype("string")

    held = {(f, field): str(v) for f, field, v in _long_text(flows)}
    verdicts = [
        "agrees" if v != "agrees" and (f, field) in held and held[(f, field)] and consistent(field, value, held[(f, field)]) else v
        for f, field, value, v in zip(story["flow_id"], story["field"], story["value"], story["verdict"])
    ]
    claims = claims.copy()
    claims.loc[story.index, "verdict"] = verdicts
    return flows, claims


def _long_text(flows: pd.DataFrame):
    for field in FLOW_FIGURES:
        yield from zip(flows["flow_id"], [field] * len(flows), as_text(flows[field]))


def _typed(values: pd.Series, dtype) -> pd.Series:
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype):
        return pd.to_numeric(values).astype(dtype)
    return values.astype(dtype)


def _dated_by(table: pd.DataFrame, column: str, day: str) -> pd.DataFrame:
    """Rows dated by `day` (undated rows stay: nothing says they were not known)."""
    start = period_start(table[column])
    return table[(start.isna() | (start <= day)).fillna(True).astype(bool)].reset_index(drop=True)


def _day(day: str | dt.date) -> str:
    if isinstance(day, dt.date):
        return day.strftime("%Y-%m-%d")
    if isinstance(day, str) and _DAY.fullmatch(day):
        return day
    raise ValueError(f"as_of needs a day as 'YYYY-MM-DD' (or a date), not {day!r}")
