"""Every page of the built site in a real browser: no errors, nothing leaves the machine,
every chart drawn. Run after `make book` (make test does both)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from served_site import pages

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
    page.wait_for_load_state("networkidle")
    return page, errors, offhost


def test_site_has_pages():
    assert "index.html" in pages() and "book/amazon-anthropic.html" in pages()


@pytest.mark.parametrize("path", pages())
def test_page_is_clean(browser, site, path):
    page, errors, offhost = visit(browser, f"{site}/{path}")
    try:
        charts = page.locator("figure.rt-chart")
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart_id = chart.get_attribute("id")
            chart.hover()  # the interactive chart loads on demand
            chart.and_(page.locator(".rt-chart-ready")).wait_for(timeout=10_000)
            marks = chart.locator(".rt-chart-live svg.marks g[class*='mark-'] path, .rt-chart-live svg.marks g[class*='mark-'] text")
            assert marks.count() > 0, f"{path}: chart {chart_id} drew no marks"
            assert chart.locator(".rt-chart-static").is_hidden(), f"{path}: static fallback still shown for {chart_id}"
        assert errors == [], f"{path}: {errors}"
        assert offhost == [], f"{path} requested hosts other than loopback: {offhost}"
    finally:
        page.close()


def test_chart_tooltip(browser, site):
    page, errors, _ = visit(browser, f"{site}/book/amazon-anthropic.html")
    chart = page.locator("figure.rt-chart").first
    chart.hover()
    chart.and_(page.locator(".rt-chart-ready")).wait_for(timeout=10_000)
    chart.locator(".rt-chart-live svg .mark-rect path").first.hover()
    tooltip = chart.locator(".rt-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "Amazon" in tooltip.inner_text()
    page.close()


def test_chart_pages_only_load_vega(browser, site):
    page, _, _ = visit(browser, f"{site}/book/intro.html")
    assert page.locator("script[src*='vega-runtime']").count() == 0
    page.close()


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
