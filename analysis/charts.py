"""House style for every chart in the book, and the figure each chart is published in.

One theme, colour-blind-safe company colours (Okabe–Ito), firm money drawn solid and
conditional money drawn light with a dashed outline — everywhere. A published chart is a
<figure> holding a static SVG rendered at build time (visible without JavaScript), the
Vega-Lite spec that the site's own Vega bundle turns into the interactive chart, a text
description, a source note generated from the ledger and the plotted data as CSV.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import vl_convert as vlc

from .present import date as show_date
from .vocab import PRIMARY_KINDS

# Okabe & Ito (2008) palette: distinguishable with the common colour-vision deficiencies.
COMPANY_COLORS = {
    "amazon": "#E69F00",
    "anthropic": "#D55E00",
    "google": "#009E73",
    "microsoft": "#0072B2",
    "openai": "#3B3B3B",
    "nvidia": "#56B4E9",
    "oracle": "#CC79A7",
    "amd": "#B8A100",
    "broadcom": "#8C6D31",
    "coreweave": "#7B5EA7",
    "softbank": "#999999",
}
OTHER_COLOR = "#BBBBBB"
STATUS_ORDER = ["firm", "conditional"]
STATUS_OPACITY = {"firm": 1.0, "conditional": 0.35}
STATUS_DASH = {"firm": [1, 0], "conditional": [4, 3]}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 640


def theme() -> dict:
    """The book's Vega-Lite config."""
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
            "title": {"anchor": "start", "fontSize": 16, "fontWeight": 600, "subtitleFontSize": 12, "subtitleColor": "#555", "offset": 12},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": 500,
                "gridColor": "#e6e6e6",
                "domainColor": "#888",
                "tickColor": "#888",
            },
            # symbolFillColor shows on legends with no colour channel (firm vs conditional).
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "top", "symbolFillColor": "#666666"},
            "bar": {"strokeWidth": 1.5},
        }
    }


def company_scale(entity_ids, names=None) -> alt.Scale:
    """Colour scale giving each company its book-wide colour; the domain is the names shown."""
    pairs = list(dict.fromkeys(zip(entity_ids, names if names is not None else entity_ids)))
    return alt.Scale(domain=[n for _, n in pairs], range=[COMPANY_COLORS.get(e, OTHER_COLOR) for e, _ in pairs])


def status_encodings(field_name: str = "status") -> dict:
    """Firm solid, conditional light and dashed: pass as **kwargs to .encode()."""
    return {
        "opacity": alt.Opacity(
            f"{field_name}:O",
            title="Money",
            scale=alt.Scale(domain=STATUS_ORDER, range=[STATUS_OPACITY[s] for s in STATUS_ORDER]),
            sort=STATUS_ORDER,
            legend=alt.Legend(title="Money", symbolType="square"),
        ),
        "strokeDash": alt.StrokeDash(
            f"{field_name}:O",
            scale=alt.Scale(domain=STATUS_ORDER, range=[STATUS_DASH[s] for s in STATUS_ORDER]),
            sort=STATUS_ORDER,
            legend=alt.Legend(title="Money", symbolType="square"),
        ),
    }


@dataclass
class SourceRef:
    source_id: str
    publisher: str
    published: str
    url: str
    title: str = ""
    kind: str = ""


@dataclass
class Figure:
    """A chart as published: see the module docstring. Displayed via _repr_html_."""

    chart: alt.TopLevelMixin
    name: str
    description: str
    data: pd.DataFrame
    sources: list[SourceRef] = field(default_factory=list)

    def spec(self) -> dict:
        spec = self.chart.to_dict()
        spec.pop("$schema", None)  # a URL the browser would never need
        spec["description"] = self.description
        return spec

    def svg(self) -> str:
        svg = vlc.vegalite_to_svg(self.spec())
        # The static SVG is presentational; the figure's caption and table carry the meaning.
        return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)

    def csv(self) -> str:
        return self.data.to_csv(index=False, lineterminator="\n")

    def _repr_html_(self) -> str:
        if os.environ.get("ROUND_TRIP_STOCK_CHARTS"):
            return stock_html(self)
        return figure_html(self)


def stock_html(fig: Figure) -> str:
    """The chart as stock Altair would publish it — Vega loaded from a CDN, no static fallback,
    no source note — used only as the baseline in `make bench` (ROUND_TRIP_STOCK_CHARTS=1)."""
    from altair.utils.html import spec_to_html

    slug = re.sub(r"[^a-z0-9]+", "-", fig.name.lower()).strip("-")
    body = spec_to_html(
        fig.chart.to_dict(),
        mode="vega-lite",
        vega_version=alt.VEGA_VERSION,
        vegaembed_version=alt.VEGAEMBED_VERSION,
        vegalite_version=alt.VEGALITE_VERSION,
        output_div=f"altair-viz-{slug}",
        fullhtml=False,
    )
    return f'<div class="rt-stock-chart">{body}</div>'


def figure_html(fig: Figure) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fig.name.lower()).strip("-")
    spec_json = json.dumps(fig.spec(), sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    csv_href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(fig.csv().encode("utf-8")).decode("ascii")
    notes = _source_note(fig.sources)
    return (
        f'<figure class="rt-chart" id="chart-{slug}">\n'
        f'<div class="rt-chart-static">{fig.svg()}</div>\n'
        f'<div class="rt-chart-live"></div>\n'
        f'<script type="application/json" class="rt-chart-spec">{spec_json}</script>\n'
        f"<figcaption>\n"
        f'<p class="rt-chart-description">{html.escape(fig.description)}</p>\n'
        f"{notes}\n"
        f"{_data_table(fig)}\n"
        f'<p class="rt-chart-download"><a href="{csv_href}" download="{slug}.csv">Download the data behind this chart (CSV)</a></p>\n'
        f"</figcaption>\n"
        f"</figure>"
    )


def _source_link(s: SourceRef) -> str:
    when = f" ({html.escape(show_date(s.published))})" if s.published else ""
    return f'<a href="{html.escape(s.url, quote=True)}">{html.escape(s.publisher)}{when}</a>'


def _source_note(sources: list[SourceRef]) -> str:
    """A short note naming the best sources, with every source behind the chart one click away."""
    if not sources:
        return '<p class="rt-chart-sources">Sources: none recorded.</p>'
    newest_first = sorted(sources, key=lambda s: s.published or "", reverse=True)
    ranked = sorted(newest_first, key=lambda s: s.kind not in PRIMARY_KINDS)  # stable: primary sources lead
    lead = "; ".join(_source_link(s) for s in ranked[:3])
    more = len(sources) - 3
    note = f'<p class="rt-chart-sources">Sources: {lead}'
    if more > 0:
        items = "".join(f"<li>{_source_link(s)}</li>" for s in sources)
        note += (
            f' and {more} more.</p>\n<details class="rt-chart-all-sources"><summary>All {len(sources)} sources behind this chart</summary>'
            f"<ul>{items}</ul></details>"
        )
    else:
        note += ".</p>"
    return note


def _data_table(fig: Figure) -> str:
    """The plotted data as an accessible table, collapsed by default."""
    body = fig.data.to_html(index=False, escape=True, border=0, classes="rt-table", na_rep="")
    return (
        f'<details class="rt-chart-table"><summary>Data table ({len(fig.data)} rows)</summary>'
        f'<div class="rt-table-scroll">{body}</div></details>'
    )


def sources_for(ds, source_ids) -> list[SourceRef]:
    """The sources rows behind a chart, newest first, each once."""
    wanted = set(source_ids)
    # Seed articles are checked against the ledger, never relied on: they back no chart.
    rows = ds.sources[ds.sources["source_id"].isin(wanted) & (ds.sources["kind"] != "seed")].sort_values(
        ["published", "publisher"], ascending=[False, True], na_position="last"
    )
    return [
        SourceRef(r.source_id, r.publisher, "" if pd.isna(r.published) else r.published, r.url, "" if pd.isna(r.title) else r.title, r.kind)
        for r in rows.itertuples()
    ]


def tranche_chart(tranches: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """One bar per date, legs announced together stacked, firm below conditional.

    `tranches` has label, date_label, amount_bn, status, investor, flow_id, condition.
    """
    order = list(dict.fromkeys(tranches["label"]))
    return (
        alt.Chart(tranches, title=alt.Title(title, subtitle=subtitle or alt.Undefined))
        .mark_bar(size=34)
        .encode(
            x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160)),
            y=alt.Y("amount_bn:Q", title="US$ billion", stack=True),
            color=alt.Color("investor_name:N", scale=company_scale(tranches["investor"], tranches["investor_name"]), title="Investor"),
            stroke=alt.Stroke("investor_name:N", scale=company_scale(tranches["investor"], tranches["investor_name"]), title="Investor"),
            detail="flow_id:N",
            order=alt.Order("status_rank:Q"),
            tooltip=[
                alt.Tooltip("date_label:N", title="Date"),
                alt.Tooltip("investor_name:N", title="Investor"),
                alt.Tooltip("status:N", title="Money"),
                alt.Tooltip("amount_bn:Q", title="US$ billion", format=",.2f"),
                alt.Tooltip("condition:N", title="Condition"),
            ],
            **status_encodings(),
        )
        .properties(width=WIDTH, height=320)
        .configure(**theme()["config"])
    )


KIND_GROUP_COLORS = {"money in": "#0072B2", "commitment back": "#E69F00", "other": "#999999"}
CONFIDENCE_COLORS = {"confirmed": "#009E73", "single-source": "#E69F00", "contested": "#D55E00", "unverified": "#999999"}


def _finish(chart, title: str, subtitle: str = "", width: int = WIDTH, height: int | None = None):
    chart = chart.properties(title=alt.Title(title, subtitle=subtitle or alt.Undefined), width=width)
    if height:
        chart = chart.properties(height=height)
    return chart.configure(**theme()["config"])


def roundtrip_chart(table: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """Diverging bars: money in to the left, commitments back to the right, per pair.

    `table` is long: pair, direction ('in'|'back'), status, amount_bn (negative for in), company.
    """
    order = list(dict.fromkeys(table["pair"]))
    bars = (
        alt.Chart(table)
        .mark_bar(height=18)
        .encode(
            y=alt.Y("pair:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("amount_bn:Q", title="US$ billion (left: invested in the lab · right: committed back)", stack=True),
            color=alt.Color(
                "direction_label:N",
                scale=alt.Scale(
                    domain=["money in", "commitment back"], range=[KIND_GROUP_COLORS["money in"], KIND_GROUP_COLORS["commitment back"]]
                ),
                title="Leg",
            ),
            stroke=alt.Stroke(
                "direction_label:N",
                scale=alt.Scale(
                    domain=["money in", "commitment back"], range=[KIND_GROUP_COLORS["money in"], KIND_GROUP_COLORS["commitment back"]]
                ),
                title="Leg",
            ),
            order=alt.Order("status_rank:Q"),
            tooltip=[
                alt.Tooltip("pair:N", title="Pair"),
                alt.Tooltip("direction_label:N", title="Leg"),
                alt.Tooltip("status:N", title="Money"),
                alt.Tooltip("amount_abs_bn:Q", title="US$ billion", format=",.2f"),
            ],
            **status_encodings(),
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#555").encode(x="x:Q")
    return _finish(alt.layer(bars, zero), title, subtitle, height=max(120, 34 * len(order)))


def ratio_chart(table: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """Round-trip ratio (commitment back ÷ money in) per pair, firm figures."""
    order = list(table.sort_values("ratio_firm", ascending=False)["pair"])
    base = alt.Chart(table).encode(y=alt.Y("pair:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)))
    bars = base.mark_bar(height=18).encode(
        x=alt.X("ratio_firm:Q", title="Commitment back per dollar invested (×)"),
        color=alt.Color("investor_name:N", scale=company_scale(table["investor"], table["investor_name"]), title="Investor"),
        tooltip=[
            alt.Tooltip("pair:N", title="Pair"),
            alt.Tooltip("ratio_firm:Q", title="Ratio (firm)", format=".1f"),
            alt.Tooltip("in_firm_bn:Q", title="Invested, US$ bn", format=",.2f"),
            alt.Tooltip("back_firm_bn:Q", title="Committed back, US$ bn", format=",.1f"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(x="ratio_firm:Q", text=alt.Text("ratio_firm:Q", format=".1f"))
    return _finish(alt.layer(bars, labels), title, subtitle, height=max(120, 34 * len(order)))


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """Who pays whom: companies on a circle, one line per (from, to, leg type), width by money.

    nodes: entity_id, name, x, y, kind. edges: x, y, x2, y2, group, amount_bn, label, legs.
    """
    lines = (
        alt.Chart(edges)
        .mark_rule(opacity=0.6, strokeCap="round")
        .encode(
            x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-1.35, 1.35])),
            y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-1.2, 1.2])),
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "group:N", scale=alt.Scale(domain=list(KIND_GROUP_COLORS), range=list(KIND_GROUP_COLORS.values())), title="Leg"
            ),
            strokeWidth=alt.StrokeWidth("amount_bn:Q", scale=alt.Scale(range=[1.5, 14]), title="US$ billion (headline)"),
            tooltip=[
                alt.Tooltip("label:N", title="Flow"),
                alt.Tooltip("group:N", title="Leg"),
                alt.Tooltip("amount_bn:Q", title="US$ billion", format=",.1f"),
                alt.Tooltip("legs:Q", title="Legs"),
            ],
        )
    )
    dots = (
        alt.Chart(nodes)
        .mark_circle(size=420, opacity=1, stroke="white", strokeWidth=2)
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.Color("name:N", scale=company_scale(nodes["entity_id"], nodes["name"]), legend=None),
            tooltip=[alt.Tooltip("name:N", title="Company"), alt.Tooltip("kind:N", title="Kind")],
        )
    )
    names = alt.Chart(nodes).mark_text(fontSize=12, fontWeight=600, dy=-18).encode(x="x:Q", y="y:Q", text="name:N")
    return _finish(alt.layer(lines, dots, names).resolve_scale(color="independent"), title, subtitle, height=460)


def bars_chart(
    table: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    subtitle: str = "",
    *,
    value_title: str,
    color: str | None = None,
    color_scale: alt.Scale | None = None,
    tooltip: list | None = None,
    fmt: str = ",.1f",
) -> alt.Chart:
    """A plain horizontal bar chart with value labels, in the table's order."""
    order = list(dict.fromkeys(table[category]))
    base = alt.Chart(table).encode(y=alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)))
    encoding = {
        "x": alt.X(f"{value}:Q", title=value_title),
        "tooltip": tooltip or [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=fmt)],
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", scale=color_scale or alt.Undefined, title=None)
    bars = base.mark_bar(height=20, color="#0072B2").encode(**encoding)
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(x=f"{value}:Q", text=alt.Text(f"{value}:Q", format=fmt))
    return _finish(alt.layer(bars, labels), title, subtitle, height=max(100, 36 * len(order)))


def cumulative_chart(table: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """Running totals over time: firm money as a solid step line, the headline as a light band above it.

    table: date_start, firm_bn, headline_bn."""
    band = (
        alt.Chart(table)
        .mark_area(
            interpolate="step-after",
            opacity=0.3,
            color=COMPANY_COLORS["amazon"],
            line={"strokeDash": [4, 3], "color": COMPANY_COLORS["amazon"]},
        )
        .encode(
            x=alt.X("date_start:T", title=None),
            y=alt.Y("headline_bn:Q", title="US$ billion, cumulative"),
            y2="firm_bn:Q",
            tooltip=[
                alt.Tooltip("date_start:T", title="From", format="%b %Y"),
                alt.Tooltip("headline_bn:Q", title="Up to, US$ bn", format=",.2f"),
            ],
        )
    )
    line = (
        alt.Chart(table)
        .mark_area(interpolate="step-after", color=COMPANY_COLORS["amazon"], opacity=1)
        .encode(
            x="date_start:T",
            y="firm_bn:Q",
            tooltip=[
                alt.Tooltip("date_start:T", title="From", format="%b %Y"),
                alt.Tooltip("firm_bn:Q", title="Firm, US$ bn", format=",.2f"),
            ],
        )
    )
    return _finish(alt.layer(band, line), title, subtitle, height=300)


def timeline_chart(
    table: pd.DataFrame,
    row: str,
    date: str,
    title: str,
    subtitle: str = "",
    *,
    color: str,
    color_scale: alt.Scale | None = None,
    tooltip: list,
    end: str | None = None,
    shape: str | None = None,
) -> alt.Chart:
    """Events on a time axis, one row per `row` value; with `end`, a bar from date to end."""
    order = list(dict.fromkeys(table[row]))
    base = alt.Chart(table).encode(
        y=alt.Y(f"{row}:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color(f"{color}:N", scale=color_scale or alt.Undefined, title=None),
        tooltip=tooltip,
    )
    layers = []
    if end:
        layers.append(base.mark_rule(strokeWidth=4, opacity=0.6).encode(x=alt.X(f"{date}:T", title=None), x2=f"{end}:T"))
    point = base.mark_point(filled=True, size=110, opacity=0.9).encode(
        x=alt.X(f"{date}:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    )
    if shape:
        point = point.encode(shape=alt.Shape(f"{shape}:N", title=None))
    layers.append(point)
    return _finish(alt.layer(*layers), title, subtitle, height=max(120, 26 * len(order)))


def matrix_chart(table: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """Supplier × lab heatmap of headline commitments back, with labels.

    table: supplier, lab, back_bn, label, legs."""
    base = alt.Chart(table).encode(
        x=alt.X("lab:N", title="Lab", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("supplier:N", title="Investor and supplier", sort=list(dict.fromkeys(table["supplier"]))),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("back_bn:Q", scale=alt.Scale(scheme="oranges", type="sqrt"), title="US$ bn back"),
        tooltip=[
            alt.Tooltip("supplier:N"),
            alt.Tooltip("lab:N"),
            alt.Tooltip("label:N", title="Committed back"),
            alt.Tooltip("invested:N", title="Invested"),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N", color=alt.condition("datum.back_bn > 120", alt.value("white"), alt.value("black"))
    )
    return _finish(alt.layer(cells, text), title, subtitle, width=360, height=40 * table["supplier"].nunique())


def stacked_count_chart(
    table: pd.DataFrame,
    category: str,
    stack: str,
    title: str,
    subtitle: str = "",
    *,
    domain: list[str],
    colors: list[str],
    value_title: str,
) -> alt.Chart:
    """Counts by category, stacked by a second field with fixed colours."""
    order = list(dict.fromkeys(table[category]))
    chart = (
        alt.Chart(table)
        .mark_bar(height=20)
        .encode(
            y=alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("count:Q", title=value_title),
            color=alt.Color(f"{stack}:N", scale=alt.Scale(domain=domain, range=colors), title=None, sort=domain),
            order=alt.Order("stack_rank:Q"),
            tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{stack}:N"), alt.Tooltip("count:Q")],
        )
    )
    return _finish(chart, title, subtitle, height=max(100, 30 * len(order)))


def figure(ds, chart, *, name: str, description: str, data: pd.DataFrame, flow_ids=(), source_ids=()) -> Figure:
    """The published figure for a chart: its sources are the claims behind `flow_ids` plus `source_ids`."""
    from .metrics import agreeing_sources

    ids = set(agreeing_sources(ds, flow_ids)) | set(source_ids)
    return Figure(chart, name=name, description=description, data=data, sources=sources_for(ds, ids))


STAGE_OPACITY = {"headline": 0.3, "firm": 0.65, "paid": 1.0}


def stages_chart(table: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """Per pair, three bars: headline ('up to'), firm, paid — lighter means less certain money."""
    order = list(dict.fromkeys(table["pair"]))
    chart = (
        alt.Chart(table)
        .mark_bar(height=9)
        .encode(
            y=alt.Y("pair:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("stage:N", sort=list(STAGE_OPACITY)),
            x=alt.X("amount_bn:Q", title="US$ billion invested in the lab"),
            color=alt.Color("investor_name:N", scale=company_scale(table["investor"], table["investor_name"]), title="Investor"),
            opacity=alt.Opacity(
                "stage:O",
                sort=list(STAGE_OPACITY),
                scale=alt.Scale(domain=list(STAGE_OPACITY), range=list(STAGE_OPACITY.values())),
                title="Stage",
            ),
            tooltip=[
                alt.Tooltip("pair:N", title="Pair"),
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("amount_bn:Q", title="US$ billion", format=",.2f"),
            ],
        )
    )
    return _finish(chart, title, subtitle, height=max(140, 36 * len(order)))


def returns_chart(table: pd.DataFrame, title: str, subtitle: str = "") -> alt.Chart:
    """Gains (and losses) investors report on their stakes, by period."""
    chart = (
        alt.Chart(table)
        .mark_bar(size=14)
        .encode(
            x=alt.X("period:O", title="Reporting period (quarter-end month)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount_bn:Q", title="US$ billion reported"),
            color=alt.Color("investor:N", scale=company_scale(table["investor_id"], table["investor"]), title="Investor"),
            xOffset=alt.XOffset("investor:N"),
            tooltip=[
                alt.Tooltip("investor:N"),
                alt.Tooltip("lab:N", title="Stake in"),
                alt.Tooltip("period:N"),
                alt.Tooltip("kind:N"),
                alt.Tooltip("amount_bn:Q", title="US$ billion", format=",.1f"),
                alt.Tooltip("note:N"),
            ],
        )
    )
    return _finish(chart, title, subtitle, height=300)
