"""The published figure: one chart in a frame readers can read, check, cite and reuse.

Modelled on Our World in Data's chart frame. A `Figure` renders (`_repr_html_`) as a <figure>:
- an HTML title and subtitle (they wrap) and an HTML key (legend);
- three views without JavaScript (radio-button tabs): Chart (static SVGs, wide and narrow, the
  first paint), Table (the plotted rows, each with the sources behind it) and Sources (only
  the sources behind what is drawn, best tier first; copies under their original's name);
- a permalink, a "cite this chart" line, downloads (CSV, SVG, PNG; the images carry title,
  source line and licence).

Files (downloads, the compiled Vega specs the interactive view fetches) travel in the page as
one JSON payload; book/_ext/rt_charts.py writes them under the site's `_charts/` and removes
the payload. Every ledger text reaches HTML through analysis.render (escaped by construction).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import vl_convert as vlc
from markupsafe import Markup

from . import csvsafe, metrics, render
from .charts import FONT, LAYOUTS, WIDE, Layout
from .palette import PALETTE
from .present import date as show_date
from .vocab import label

CHARTS_PREFIX = "__RT_CHARTS__/"  # rewritten by book/_ext/rt_charts.py to the page's path to _charts/
LICENCE = "CC BY 4.0"
TIER_RANK = {"primary": 0, "original": 1, "secondary": 2, "copy": 3}  # digests and seeds never back a chart


@dataclass(frozen=True)
class SourceRef:
    source_id: str
    publisher: str
    published: str
    url: str
    title: str = ""
    kind: str = ""
    tier: str = ""
    via_url: str = ""  # for a copy: where the text was read (the original is `url`)

    @property
    def rank(self) -> tuple:
        return (TIER_RANK.get(self.tier, 9), "" if not self.published else _neg(self.published), self.publisher)

    def html(self) -> Markup:
        when = f" ({show_date(self.published)})" if self.published else ""
        name = render.link(self.url, f"{self.publisher}{when}") if render.is_safe_url(self.url) else render.text(f"{self.publisher}{when}")
        if self.via_url and render.is_safe_url(self.via_url):
            return render.render("{{ name }}, {{ via }}", name=name, via=render.link(self.via_url, "read via a copy"))
        return name


def _neg(iso: str) -> str:
    """Sort key putting newer ISO dates first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in iso)


@dataclass(frozen=True)
class KeyItem:
    """One entry of a chart's HTML key: a swatch in a palette colour and a style."""

    text: str
    colour: str = "ink"  # a PALETTE name
    style: str = "solid"  # solid | light | faint | dot | glyph
    glyph: str = ""


@dataclass
class Figure:
    name: str
    title: str
    subtitle: str
    description: str
    build: Callable[[Layout], object]  # layout -> a configured Altair chart (no title)
    table: pd.DataFrame  # the plotted rows in readers' words
    row_sources: list[list[SourceRef]]
    key: list[KeyItem] = field(default_factory=list)
    version: str = ""
    # Each layout's spec, Vega and drawing are made once: the page, the downloads and the
    # interactive view's files all read them. Keyed (what, layout name).
    _made: dict[tuple[str, str], object] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def sources(self) -> list[SourceRef]:
        """Every source behind a drawn row, each once, best tier first."""
        unique = {s.source_id: s for row in self.row_sources for s in row}
        return sorted(unique.values(), key=lambda s: s.rank)

    @property
    def data(self) -> pd.DataFrame:
        """The table as published in CSV: readers' columns plus the source ids of each row."""
        out = self.table.copy()
        out["source ids"] = ["; ".join(s.source_id for s in row) for row in self.row_sources]
        return out

    @property
    def chart(self):
        return self.build(WIDE)

    def _once(self, what: str, layout: Layout, make: Callable[[], object]):
        if (what, layout.name) not in self._made:
            self._made[(what, layout.name)] = make()
        return self._made[(what, layout.name)]

    def spec(self, layout: Layout = WIDE) -> dict:
        """The Vega-Lite spec (a fresh copy: callers may change it). Altair's schema check is
        left to the tests (tests/test_figures.py), where it costs the build nothing."""

        def make() -> dict:
            spec = self.build(layout).to_dict(validate=False)
            spec.pop("$schema", None)
            spec["description"] = self.description
            return spec

        return copy.deepcopy(self._once("spec", layout, make))

    def vega(self, layout: Layout = WIDE) -> dict:
        """The spec compiled to Vega, so the browser needs only the Vega runtime (compiled once
        per layout: the interactive view's file and the static drawing both use it)."""
        return copy.deepcopy(self._once("vega", layout, lambda: vlc.vegalite_to_vega(self.spec(layout))))

    def drawing(self, layout: Layout = WIDE) -> str:
        """The chart drawn as SVG by Vega, as it comes (drawn once per layout)."""
        return self._once("svg", layout, lambda: vlc.vega_to_svg(self.vega(layout)))

    def svg(self, layout: Layout = WIDE) -> str:
        """The drawing as the page shows it."""
        svg = self.drawing(layout)
        # Presentational: the title, description and Table view carry the meaning.
        svg = svg.replace(' class="marks"', f' class="marks rt-svg rt-svg-{layout.name}"', 1)
        return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)

    def csv(self) -> str:
        return csvsafe.neutralise_frame(self.data).to_csv(index=False, lineterminator="\n")

    def source_line(self, limit: int = 3) -> str:
        names = list(dict.fromkeys(s.publisher for s in self.sources))
        shown = ", ".join(names[:limit])
        more = len(names) - limit
        return f"Source: {shown}" + (f" and {more} more" if more > 0 else "") if names else "Source: none recorded"

    def export_svg(self) -> str:
        """The wide drawing with the title, subtitle, source line and licence set above it, on
        white: the SVG and PNG files readers download and share. Composed around the drawing
        the page already has, rather than drawn again by Vega."""
        chart = self.drawing(WIDE)
        width, height = (float(re.search(rf'\b{d}="([0-9.]+)"', chart).group(1)) for d in ("width", "height"))
        text, muted = PALETTE["text"][0], PALETTE["muted"][0]
        foot = f"{self.source_line()}. Round Trip, ledger {self.version}. Licence: {LICENCE}."
        lines = [(line, 17, 700, text) for line in textwrap.wrap(self.title, 70)]
        lines += [(line, 13, 400, muted) for line in [*textwrap.wrap(self.subtitle, 95), "", *textwrap.wrap(foot, 95)]]
        y, drawn = EXPORT_PADDING - 4, []
        for n, (line, size, weight, colour) in enumerate(lines):
            y += round(size * 1.3) + (4 if n and weight != lines[n - 1][2] else 0)  # a little air under the title
            drawn.append((line, y, size, weight, colour))
        top = y + EXPORT_PADDING
        return render.render(
            EXPORT,
            width=round(width + 2 * EXPORT_PADDING),
            height=round(top + height + EXPORT_PADDING),
            lines=drawn,
            pad=EXPORT_PADDING,
            top=top,
            font=FONT,
            chart=Markup(chart.replace("<svg ", f'<svg x="{EXPORT_PADDING}" y="{top}" ', 1)),
        )

    def files(self) -> dict[str, str]:
        """Files written beside the site (text, or base64 for the PNG)."""
        image = self.export_svg()
        png = vlc.svg_to_png(image, scale=2)
        out = {
            f"{self.name}.csv": self.csv(),
            f"{self.name}.svg": image,
            f"{self.name}.png": "base64:" + base64.b64encode(png).decode("ascii"),
        }
        for layout in LAYOUTS:
            out[f"{self.name}.{layout.name}.vg.json"] = json.dumps(self.vega(layout), sort_keys=True, separators=(",", ":"))
        return out

    def _repr_html_(self) -> str:
        if os.environ.get("ROUND_TRIP_STOCK_CHARTS"):
            return stock_html(self)
        return str(frame_html(self))


EXPORT_PADDING = 16
EXPORT = """<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{{ width }}" height="{{ height }}" \
viewBox="0 0 {{ width }} {{ height }}"><rect width="{{ width }}" height="{{ height }}" fill="white"/>
{% for line, y, size, weight, colour in lines %}<text x="{{ pad }}" y="{{ y }}" font-family="{{ font }}" font-size="{{ size }}" \
font-weight="{{ weight }}" fill="{{ colour }}">{{ line }}</text>
{% endfor %}{{ chart }}</svg>
"""


def stock_html(fig: Figure) -> str:
    """The chart as stock Altair would publish it — Vega-Lite loaded from a CDN, no static
    fallback, no frame — used only as the baseline in `make bench` (ROUND_TRIP_STOCK_CHARTS=1)."""
    import altair as alt
    from altair.utils.html import spec_to_html

    spec = fig.spec(WIDE)
    spec["title"] = {"text": fig.title, "subtitle": fig.subtitle}
    body = spec_to_html(
        spec,
        mode="vega-lite",
        vega_version=alt.VEGA_VERSION,
        vegaembed_version=alt.VEGAEMBED_VERSION,
        vegalite_version=alt.VEGALITE_VERSION,
        output_div=f"altair-viz-{fig.name}",
        fullhtml=False,
    )
    return f'<div class="rt-stock-chart">{body}</div>'


FRAME = """<figure class="rt-chart" id="chart-{{ f.name }}" aria-labelledby="chart-{{ f.name }}-title"
 data-chart="{{ f.name }}" data-charts="{{ prefix }}">
<header class="rt-chart-head">
<p class="rt-chart-title" id="chart-{{ f.name }}-title">{{ f.title }}</p>
{% if f.subtitle %}<p class="rt-chart-subtitle">{{ f.subtitle }}</p>{% endif %}
</header>
<div class="rt-views">
{% for view in ("chart", "table", "sources") %}
<input type="radio" class="rt-view-input rt-view-{{ view }}" name="rt-view-{{ f.name }}" id="rt-{{ f.name }}-{{ view }}"
 {%- if loop.first %} checked{% endif %}>
<label for="rt-{{ f.name }}-{{ view }}">{{ view | capitalize }}</label>
{% endfor %}
<div class="rt-panel rt-panel-chart">
{% if key %}<ul class="rt-key">{% for k in key %}<li class="rt-c-{{ k.colour }}">
<span class="rt-swatch rt-swatch-{{ k.style }}" aria-hidden="true">{{ k.glyph }}</span>{{ k.text }}</li>{% endfor %}</ul>{% endif %}
<div class="rt-chart-static">{{ wide }}{{ narrow }}</div>
<div class="rt-chart-live" hidden></div>
</div>
<div class="rt-panel rt-panel-table">{{ table }}</div>
<div class="rt-panel rt-panel-sources">
<p>{{ count }} sources back what this chart draws, best first: primary sources (the companies, filings, regulators), then the
 outlets that did the reporting. A copy is listed under the original's name.</p>
<ol class="rt-sources">{% for s in sources %}<li>{{ s.html() }} <span class="rt-tier">{{ tier(s.tier) }}</span></li>{% endfor %}</ol>
</div>
</div>
<figcaption>
<p class="rt-chart-description">{{ f.description }}</p>
<p class="rt-chart-sources">{{ f.source_line() }}{% if count %} — see
 <label for="rt-{{ f.name }}-sources" class="rt-link">all {{ count }} sources</label>{% endif %}.</p>
<p class="rt-chart-downloads">Download: <a href="{{ prefix }}{{ f.name }}.csv" download>data (CSV)</a> ·
 <a href="{{ prefix }}{{ f.name }}.svg" download>image (SVG)</a> · <a href="{{ prefix }}{{ f.name }}.png" download>image (PNG)</a></p>
<p class="rt-chart-cite">Cite this chart: Round Trip, “{{ f.title }}”, ledger version {{ f.version }},
 <a class="rt-permalink" href="#chart-{{ f.name }}">permalink</a>. Licence {{ licence }}.
 <button type="button" class="rt-copy" data-copy="#chart-{{ f.name }}" hidden>Copy link</button></p>
</figcaption>
<script type="application/json" class="rt-chart-files">{{ files }}</script>
</figure>"""


def _cell(value):
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return value


def frame_html(fig: Figure) -> Markup:
    table = fig.table.copy()
    rows = [
        [*map(_cell, values), render.render("{% for s in row %}{{ s.html() }}{% if not loop.last %}; {% endif %}{% endfor %}", row=row)]
        for values, row in zip(table.itertuples(index=False, name=None), fig.row_sources)
    ]
    table_html = render.table([*table.columns, "Sources"], rows, label=f"Data behind: {fig.title}", wide=["Sources"])
    svgs = {layout.name: Markup(fig.svg(layout)) for layout in LAYOUTS}
    files = "" if os.environ.get("ROUND_TRIP_NO_CHART_FILES") else json.dumps(fig.files(), sort_keys=True).replace("</", "<\\/")
    return render.render(
        FRAME,
        f=fig,
        key=fig.key,
        wide=svgs["wide"],
        narrow=svgs["narrow"],
        table=table_html,
        sources=fig.sources,
        count=len(fig.sources),
        tier=lambda t: label("tier", t) if t else "",
        prefix=CHARTS_PREFIX,
        licence=LICENCE,
        files=Markup(files),
    )


def sources_for(ds, source_ids: Iterable[str]) -> list[SourceRef]:
    """SourceRefs for the ids that may back a chart (never a seed or a digest), best first;
    sources of equal rank in ledger order."""
    refs = ds.memo("chart source refs", lambda: _chart_source_refs(ds.sources))
    chosen = [refs[i] for i in set(source_ids) if i in refs]
    return [ref for _, ref in sorted(chosen, key=lambda held: (held[1].rank, held[0]))]


def _chart_source_refs(sources: pd.DataFrame) -> dict[str, tuple[int, SourceRef]]:
    """Each source that may back a chart, by id, with its position in the ledger."""
    rows = sources[(sources["kind"] != "seed") & sources["tier"].isin(list(TIER_RANK))]
    refs = {}
    for position, r in enumerate(rows.itertuples()):

        def s(v):
            return "" if pd.isna(v) else str(v)

        if r.tier == "copy" and s(r.original_publisher):
            original = s(r.original_url)
            ref = SourceRef(
                r.source_id, s(r.original_publisher), s(r.published), original or s(r.url), s(r.title), r.kind, r.tier, via_url=s(r.url)
            )
        else:
            ref = SourceRef(r.source_id, s(r.publisher), s(r.published), s(r.url), s(r.title), r.kind, r.tier)
        refs[r.source_id] = (position, ref)
    return refs


def backing(ds, flow_ids: Iterable[str] = (), source_ids: Iterable[str] = ()) -> list[str]:
    """Source ids behind some legs (their agreeing claims) plus any named directly."""
    return sorted(set(metrics.agreeing_sources(ds, flow_ids)) | set(source_ids))


def figure(
    ds,
    build: Callable[[Layout], object],
    *,
    name: str,
    title: str,
    subtitle: str,
    description: str,
    table: pd.DataFrame,
    flows: Sequence[Iterable[str]] | None = None,
    sources: Sequence[Iterable[str]] | None = None,
    key: Sequence[KeyItem] = (),
) -> Figure:
    """The published figure. `flows` / `sources`: per table row, the legs or source ids behind it."""
    n = len(table)
    flows = flows if flows is not None else [()] * n
    sources = sources if sources is not None else [()] * n
    row_sources = [sources_for(ds, backing(ds, f, s)) for f, s in zip(flows, sources)]
    return Figure(
        name=name,
        title=title,
        subtitle=subtitle,
        description=description,
        build=build,
        table=table.reset_index(drop=True),
        row_sources=row_sources,
        key=list(key),
        version=str(ds.package.version),
    )
