"""Every page at phone and desktop width, with JavaScript on and off, one visit each: nothing
scrolls sideways, chart text is at least 11 CSS px as rendered and never clipped, no table cell
holding text is squeezed below 48 px, and every chart becomes interactive when pointed at."""

import pytest
from served_site import HTML, pages

WIDTHS = (390, 1280)
MIN_TEXT_PX = 11
MIN_CELL_PX = 48

# One pass over the page in the browser: problems as readable strings.
CHECK = """([minText, minCell]) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1)
    problems.push(`scrolls sideways: ${doc.scrollWidth} px wide in ${window.innerWidth}`);
  for (const svg of document.querySelectorAll('figure.rt-chart svg')) {
    const box = svg.getBoundingClientRect();
    if (!box.width || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) continue;
    const scale = box.width / svg.viewBox.baseVal.width;
    const id = svg.closest('figure').id;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!r.width || !t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < minText) problems.push(`${id}: text "${t.textContent}" is ${size.toFixed(1)} px`);
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        problems.push(`${id}: text "${t.textContent}" is clipped`);
    }
  }
  for (const cell of document.querySelectorAll('td, th')) {
    const r = cell.getBoundingClientRect();
    if (r.width && cell.textContent.trim() && r.width < minCell)
      problems.push(`table cell "${cell.textContent.trim().slice(0, 30)}" is ${r.width.toFixed(0)} px wide`);
  }
  return problems;
}"""


VIEWS = [(w, js) for w in WIDTHS for js in (True, False)]


@pytest.fixture(scope="module", params=VIEWS, ids=lambda p: f"{p[0]}px-{'js' if p[1] else 'nojs'}")
def tab(request, browser):
    width, js = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=js)
    page = context.new_page()
    yield page, js
    context.close()


def readable_pages() -> list[str]:
    """Every page except the root's redirect (a meta refresh with nothing to read)."""
    return [p for p in pages() if 'http-equiv="refresh"' not in (HTML / p).read_text(encoding="utf-8")[:2000].lower()]


@pytest.mark.parametrize("path", readable_pages())
def test_page_reads_at_this_width(tab, site, path):
    page, js = tab
    page.goto(f"{site}/{path}", wait_until="load")
    problems = page.evaluate(CHECK, [MIN_TEXT_PX, MIN_CELL_PX])
    if js:
        loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert not [u for u in loaded if "vega-runtime" in u], f"{path}: the Vega runtime loaded before a reader pointed at a chart"
        charts = page.locator("figure.rt-chart")
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.hover()
            chart.and_(page.locator(".rt-chart-ready")).wait_for(timeout=5_000)
        problems += [f"interactive: {p}" for p in page.evaluate(CHECK, [MIN_TEXT_PX, MIN_CELL_PX])]
    assert problems == [], f"{path}:\n" + "\n".join(problems[:20])
