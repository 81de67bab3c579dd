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
import re
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import vl_convert as vlc

from .present import date as show_date

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
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": 500, "gridColor": "#e6e6e6", "domainColor": "#888", "tickColor": "#888"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "top"},
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
        "opacity": alt.Opacity(f"{field_name}:O", title="Money", scale=alt.Scale(domain=STATUS_ORDER, range=[STATUS_OPACITY[s] for s in STATUS_ORDER]),
                               sort=STATUS_ORDER, legend=alt.Legend(title="Money", symbolType="square")),
        "strokeDash": alt.StrokeDash(f"{field_name}:O", scale=alt.Scale(domain=STATUS_ORDER, range=[STATUS_DASH[s] for s in STATUS_ORDER]),
                                     sort=STATUS_ORDER, legend=alt.Legend(title="Money", symbolType="square")),
    }


@dataclass
class SourceRef:
    source_id: str
    publisher: str
    published: str
    url: str
    title: str = ""


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
        return figure_html(self)


def figure_html(fig: Figure) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fig.name.lower()).strip("-")
    spec_json = json.dumps(fig.spec(), sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    csv_href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(fig.csv().encode("utf-8")).decode("ascii")
    notes = "; ".join(
        f'<a href="{html.escape(s.url, quote=True)}">{html.escape(s.publisher)}'
        + (f" ({html.escape(show_date(s.published))})" if s.published else "")
        + "</a>"
        for s in fig.sources
    )
    return (
        f'<figure class="rt-chart" id="chart-{slug}">\n'
        f'<div class="rt-chart-static">{fig.svg()}</div>\n'
        f'<div class="rt-chart-live" role="img" aria-label="{html.escape(fig.description, quote=True)}"></div>\n'
        f'<script type="application/json" class="rt-chart-spec">{spec_json}</script>\n'
        f"<figcaption>\n"
        f'<p class="rt-chart-description">{html.escape(fig.description)}</p>\n'
        f'<p class="rt-chart-sources">Sources: {notes if notes else "none recorded"}</p>\n'
        f'<p class="rt-chart-download"><a href="{csv_href}" download="{slug}.csv">Download the data behind this chart (CSV)</a></p>\n'
        f"</figcaption>\n"
        f"</figure>"
    )


def sources_for(ds, source_ids) -> list[SourceRef]:
    """The sources rows behind a chart, newest first, each once."""
    wanted = set(source_ids)
    # Seed articles are checked against the ledger, never relied on: they back no chart.
    rows = ds.sources[ds.sources["source_id"].isin(wanted) & (ds.sources["kind"] != "seed")].sort_values(["published", "publisher"], ascending=[False, True], na_position="last")
    return [
        SourceRef(r.source_id, r.publisher, "" if pd.isna(r.published) else r.published, r.url, "" if pd.isna(r.title) else r.title)
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
