"""Charts: static first, interactive on demand, files beside the site.

- Each chart's figure (analysis/frame.py) carries its files (CSV, SVG, PNG, compiled Vega specs)
  as one JSON payload; here they are written under `_charts/` and the payload removed, so the
  page ships only the static SVGs.
- Chart pages load charts.css (with the dark-mode colours generated from analysis.charts) and
  the small charts.js; charts.js fetches the Vega runtime (vega only, no Vega-Lite compiler:
  specs are compiled at build time) when a reader points at, focuses or touches a chart.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from rt_static import generated_static
from sphinx.application import Sphinx

VEGA_BUNDLE = "vega-runtime.js"
COLOURS = "chart-colours.css"
CHARTS_DIR = "_charts"
PREFIX = "__RT_CHARTS__/"
# The page's social card when it has no chart of its own: the front page's chart.
DEFAULT_CARD = "_charts/front-page-round-trip.png"
# Where the site is published (sitemap, og:url, og:image); the local preview by default.
BASE_URL = os.environ.get("ROUND_TRIP_BASE_URL", "http://127.0.0.1:8000/")
PAYLOAD = re.compile(r'<script type="application/json" class="rt-chart-files">(.*?)</script>', re.S)
# Vega alone: importing the runtime by the URL vl-convert vendors it under (resolved from
# vl-convert's own copy, offline) lets the bundler drop Vega-Lite and vega-embed: 203 KB gzip
# instead of 305.
SNIPPET = 'import * as vg from "https://cdn.jsdelivr.net/npm/vega@{version}/+esm"; window.rtVega = {{ View: vg.View, parse: vg.parse }};'


def write_vega_bundle(app: Sphinx, config) -> None:
    """The Vega runtime alone (no Vega-Lite, no vega-embed), served by the site itself."""
    import vl_convert

    static = generated_static(app, config)
    for stale in ("vega-bundle.js", "vega-bundle.version"):  # the full Vega-Lite bundle served before
        (static / stale).unlink(missing_ok=True)
    bundle = static / VEGA_BUNDLE
    stamp = bundle.with_suffix(".version")
    snippet = SNIPPET.format(version=vl_convert.get_vega_version())
    version = f"vl-convert {vl_convert.__version__} {snippet}"
    if not (bundle.exists() and stamp.exists() and stamp.read_text() == version):  # bundling takes ~10 s
        # A function scope keeps the bundle's top-level names (such as `_`) off the page.
        bundle.write_text("(function () {\n" + vl_convert.javascript_bundle(snippet) + "\n})();\n", encoding="utf-8")
        stamp.write_text(version)


def write_colours(app: Sphinx, config) -> None:
    """Dark-mode colours of every chart, generated from the one palette in analysis.charts."""
    from analysis import palette

    target = generated_static(app, config) / COLOURS
    css = palette.dark_css()
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")


def _write_files(outdir: Path, payload: str) -> None:
    files = json.loads(payload)
    target = outdir / CHARTS_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if "/" in name or name.startswith("."):
            raise ValueError(f"chart file name {name!r} must be a plain file name")
        if content.startswith("base64:"):
            (target / name).write_bytes(base64.b64decode(content[len("base64:") :]))
        else:
            (target / name).write_text(content, encoding="utf-8")


def sharing(app: Sphinx, config) -> None:
    """Base URL for the sitemap and Open Graph tags, and the default card image."""
    base = BASE_URL if BASE_URL.endswith("/") else BASE_URL + "/"
    config.html_baseurl = base
    config.ogp_site_url = base
    config.ogp_image = DEFAULT_CARD


def chart_card(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """A page with charts shares its first chart's PNG as its card (before sphinxext-opengraph runs)."""
    match = re.search(r'data-chart="([a-z0-9-]+)"', context.get("body", ""))
    if match and context.get("meta") is not None:
        context["meta"].setdefault("og:image", f"{CHARTS_DIR}/{match.group(1)}.png")


BARE_TABLE = re.compile(r'(<div class="rt-table-scroll"[^>]*>\s*)?(<table\b[^>]*\brt-table\b.*?</table>)', re.S)


def _wrap(match: re.Match) -> str:
    box, table = match.group(1), match.group(2)
    if box and "tabindex" in box:  # already in a named, focusable scrolling box (analysis.render.table)
        return match.group(0)
    if box:  # a box without a name: the keyboard must be able to scroll it
        return box.replace('class="rt-table-scroll"', 'class="rt-table-scroll" role="region" aria-label="Table" tabindex="0"', 1) + table
    return f'<div class="rt-table-scroll" role="region" aria-label="Table" tabindex="0">{table}</div>'


def table_boxes(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Every house table scrolls in its own keyboard-reachable box, never widening the page."""
    body = context.get("body", "")
    if "rt-table" in body:
        context["body"] = BARE_TABLE.sub(_wrap, body)


def chart_pages(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """On pages with a chart: write its files, point links at them, load the chart assets."""
    body = context.get("body", "")
    if 'class="rt-chart"' not in body:
        return
    for payload in PAYLOAD.findall(body):
        _write_files(Path(app.outdir), payload)
    relative = context["pathto"](CHARTS_DIR, 1) + "/"
    context["body"] = PAYLOAD.sub("", body).replace(PREFIX, relative)
    app.add_css_file("charts.css", priority=600)
    app.add_css_file(COLOURS, priority=601)
    app.add_js_file("charts.js", priority=601, defer="defer")
    context.setdefault("rt_chart_page", True)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", write_vega_bundle)
    app.connect("config-inited", write_colours)
    app.connect("config-inited", sharing)
    app.connect("html-page-context", chart_card, priority=400)
    app.connect("html-page-context", chart_pages)
    app.connect("html-page-context", table_boxes)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
