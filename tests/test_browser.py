"""Every page of the built site in a real browser: no errors, nothing leaves the machine,
every chart drawn. Run after `make book` (make test does both)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from served_site import HTML, pages

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}

# `site` (the built site served on loopback) and `browser` (Chromium) come from conftest.py.


def visit(browser, url):
    """Load a page; return it with its console errors, page errors and off-host requests."""
    page = browser.new_page()
    errors, offhost = [], []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK or f"[{host}]" in LOOPBACK:
            route.continue_()
        else:
            offhost.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(url, wait_until="load")
    return page, errors, offhost


def test_site_has_pages():
    assert "index.html" in pages() and "book/amazon-anthropic.html" in pages()


@pytest.mark.parametrize("path", pages())
def test_page_is_clean(visited, path):
    """From the one visit of this page (conftest.visited): no error, nothing off-host, every chart drawn."""
    report = visited[path]
    assert report.failure == "", f"{path}: {report.failure}"
    for chart in report.charts:
        assert chart["ready"], f"{path}: chart {chart['id']} never finished drawing"
        assert chart["marks"] > 0, f"{path}: chart {chart['id']} drew no marks"
        assert chart["staticHidden"], f"{path}: static fallback still shown for {chart['id']}"
    assert report.errors == [], f"{path}: {report.errors}"
    assert report.offhost == [], f"{path} requested hosts other than loopback: {report.offhost}"


def test_chart_pages_draw_charts(visited):
    """The pass saw charts at all (a selector gone stale would make every page trivially clean)."""
    assert sum(len(r.charts) for r in visited.values()) >= 10


def test_chart_tooltip(browser, site):
    page, errors, _ = visit(browser, f"{site}/book/amazon-anthropic.html")
    chart = page.locator("figure.rt-chart").first
    chart.hover()  # the interactive chart loads when a reader points at it
    chart.and_(page.locator(".rt-chart-ready")).wait_for(timeout=10_000)
    chart.locator(".rt-chart-live svg .mark-rect path").first.hover()
    tooltip = chart.locator(".rt-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "Amazon" in tooltip.inner_text()
    page.close()


def test_chart_pages_only_load_vega():
    """A page loads the chart script exactly when it shows a chart (and the site has both kinds);
    no page loads the Vega runtime itself: charts.js fetches it when a reader points at a chart."""
    assert not any("vega-runtime" in (HTML / p).read_text(encoding="utf-8") for p in pages())
    loads = {p: "charts.js" in (HTML / p).read_text(encoding="utf-8") for p in pages()}
    charted = {p: 'class="rt-chart"' in (HTML / p).read_text(encoding="utf-8") for p in pages()}
    assert loads == charted
    assert set(loads.values()) == {True, False}


def test_no_javascript_still_shows_the_chart(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/book/amazon-anthropic.html")
    static = page.locator("figure.rt-chart .rt-chart-static svg").first
    assert static.is_visible()
    assert static.locator("g[class*='mark-rect'] path").count() > 0
    context.close()


def test_keyboard_reaches_chart_data(browser, site):
    """With the keyboard alone a reader reaches a chart's Table view, opens it, and reaches its CSV."""
    page, _, _ = visit(browser, f"{site}/book/amazon-anthropic.html")
    reached = set()
    for _ in range(250):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement; if (!e) return ''; "
            "if (e.matches('.rt-view-input')) return 'views'; "
            "if (e.matches('.rt-chart-downloads a')) return 'csv'; return ''; })()"
        )
        if focused == "views" and "table" not in reached:
            page.keyboard.press("ArrowRight")  # radio buttons: arrows move between the views
            assert page.locator(".rt-panel-table").first.is_visible()
            reached.add("table")
            focused = ""
        if focused:
            reached.add(focused)
        if reached == {"table", "csv"}:
            break
    page.close()
    assert reached == {"table", "csv"}


def test_search_from_any_page(browser, site):
    """The search box submits to the search page, which finds ledger terms (the index is loaded there only)."""
    page, errors, _ = visit(browser, f"{site}/book/intro.html")
    assert page.locator("script[src*='searchindex']").count() == 0
    page.keyboard.press("Control+k")
    page.keyboard.type("Rainier")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=Rainier")
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    assert "Custom silicon" in page.locator("#search-results").inner_text()
    assert errors == []
    page.close()
