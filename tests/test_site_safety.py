"""Ledger and package text is always inert. The `ledger_copy` fixture (copies.py) puts a
tagged markup payload into every text column of every table and into datapackage.json's
titles and descriptions, and builds. Every page of that site is then visited in Chromium:
nothing ran, no dialog opened, no payload became an element or a link, and every payload
reached the pages as the literal text it was typed as (quotes and all)."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys

import pytest
from copies import MARK, PAYLOADS, ROOT
from served_site import pages, serve
from site_pass import visit_all

# Read in each page, after it settled: did anything run, did anything become markup, and the
# page's text (its title, meta descriptions and body, minus scripts and styles).
PROBE = """() => {
  const body = (document.body || document.createElement('body')).cloneNode(true);  // index.html only redirects
  body.querySelectorAll('script, style, template').forEach(e => e.remove());
  const metas = [...document.querySelectorAll('meta[content]')].map(m => m.content);
  const url = a => /^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value);
  const live = [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
      .filter(a => /^on/i.test(a.name) || a.name === 'autofocus' || url(a))
      .map(a => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`));
  const injected = [...document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript"]')].map(e => e.outerHTML);
  return {ran: window.__x !== undefined, live, injected, text: [document.title, ...metas, body.textContent].join('\\n')};
}"""


@pytest.fixture(scope="module")
def payload_pass(ledger_copy):
    with serve(ledger_copy.html) as base:
        return visit_all(base, pages(ledger_copy.html), axe=False, probe=PROBE)


@pytest.mark.slow
def test_nothing_runs_and_nothing_becomes_markup(payload_pass):
    problems = []
    for path, report in sorted(payload_pass.items()):
        if report.failure:
            problems.append(f"{path}: the visit failed: {report.failure}")
            continue
        if report.probe["ran"]:
            problems.append(f"{path}: a payload ran (window.__x is set)")
        problems += [f"{path}: {e}" for e in report.errors if e.startswith("dialog")]
        problems += [f"{path}: payload became live markup: {m}" for m in report.probe["live"] + report.probe["injected"]]
    assert problems == []


@pytest.mark.slow
def test_every_payload_reached_the_pages_as_text(ledger_copy, payload_pass):
    """Each tagged payload is found, character for character, as text on some page; so the
    test above is not passing because the text was dropped, mangled or typographically curled."""
    text = "\n".join(r.probe["text"] for r in payload_pass.values() if r.probe)
    shown = {where for where in ledger_copy.payloads if f"{MARK}[{where}]" in text}
    altered = sorted(where for where in shown if ledger_copy.payloads[where] not in text)
    assert altered == [], f"shown, but not as typed: {altered}"
    # Everything a reader is shown about a deal, a company, a source and the package.
    must_show = {
        "entities.name",
        "agreements.title",
        "agreements.summary",
        "flows.note",
        "claims.note",
        "sources.publisher",
        "datapackage.title",
        "datapackage.flows.title",
        "datapackage.flows.description",
    }
    assert must_show <= shown, f"never shown: {sorted(must_show - shown)}"
    kinds = {p for where in shown for p in PAYLOADS if ledger_copy.payloads[where].endswith(p)}
    assert kinds == set(PAYLOADS), "every kind of payload reached a page as text"


@pytest.mark.slow
def test_the_deal_title_is_text_in_the_page_title_and_print_heading(ledger_copy):
    """The theme prints the page title in <title> and in a print-only <h1>, outside the page's body."""
    page = (ledger_copy.html / "book" / "deals" / "amazon-anthropic-2023.html").read_text(encoding="utf-8")
    for where in (r"<title>[^<]*", r'<div id="jb-print-docs-body" class="onlyprint">\s*<h1>[^<]*'):
        found = re.search(where, page)
        assert found and "&lt;/script&gt;&lt;script&gt;window.__x=1" in found.group(0), f"{where}: {found and found.group(0)[:300]}"


@pytest.mark.slow
def test_chart_tooltips_show_payloads_as_text(ledger_copy, browser):
    with serve(ledger_copy.html) as base:
        page = browser.new_page()
        page.goto(f"{base}/book/amazon-anthropic.html")
        page.locator("figure.rt-chart").first.hover()  # the interactive chart loads when pointed at
        chart = page.locator("figure.rt-chart.rt-chart-ready").first
        chart.wait_for(timeout=15_000)
        chart.locator(".rt-chart-live svg .mark-rect path").first.hover()
        tooltip = chart.locator(".rt-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert MARK in tooltip.inner_text()
        assert tooltip.locator("img, script, svg, a").count() == 0
        assert page.evaluate("window.__x === undefined")
        page.close()


BAD_URLS = [
    "javascript:window.__x=1",
    "https://a.example/x>)<img src=x onerror=window.__x=1>",
    'https://a.example/x" onmouseover="window.__x=1',
    "https://a.example/a b",
    "//a.example/relative",
    "data:text/html,<script>window.__x=1</script>",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_source_url_that_is_not_a_plain_http_url_is_rejected(tmp_path, url):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "sources.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("url")] = url
    with (data / "sources.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = subprocess.run([sys.executable, "-m", "analysis", "validate", "data"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "data/sources.csv:2" in result.stdout and "url" in result.stdout, result.stdout
