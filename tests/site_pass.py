"""One browser pass over a built site: every page is visited once, and everything the browser
tests ask about it is collected during that visit — console and page errors, requests that
left the machine, each chart's state, axe-core's serious violations in light and then dark
mode, and whatever a caller's probe reads from the page (the safety test's payload checks).

Pages are visited a few at a time (asyncio, one Chromium): most of a visit is waiting for a
page to settle, so this is much faster than one page after another, even on two cores.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from served_site import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SERIOUS = {"serious", "critical"}
CONCURRENT = 4
CHART_TIMEOUT_MS = 15_000

CHARTS_JS = """() => [...document.querySelectorAll('figure.rt-chart')].map(f => ({
  id: f.id,
  ready: f.classList.contains('rt-chart-ready'),
  marks: f.querySelectorAll(".rt-chart-live svg.marks g[class*='mark-'] path, .rt-chart-live svg.marks g[class*='mark-'] text").length,
  staticHidden: (() => { const s = f.querySelector('.rt-chart-static'); return !s || s.offsetParent === null; })(),
}))"""
# Every rule in light mode; in dark mode only colours differ, so only axe's (default, AA) colour
# rules run again.
AXE_JS = """async (mode) => {
  const options = {resultTypes: ['violations']};
  if (mode === 'dark') options.runOnly = {type: 'rule', values: ['color-contrast', 'link-in-text-block']};
  const result = await axe.run(document, options);
  return result.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => {
    const where = v.nodes.slice(0, 3).map(n => JSON.stringify(n.target)).join(', ');
    return `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s), e.g. ${where}`;
  });
}"""
# All charts drawn again (charts.js redraws on a theme change) in the wanted mode.
CHARTS_SETTLED_JS = """mode => [...document.querySelectorAll('figure.rt-chart')].every(f =>
  (f.classList.contains('rt-chart-ready') || f.classList.contains('rt-chart-failed')) && (!f.dataset.mode || f.dataset.mode === mode))"""
NO_TRANSITIONS_JS = "() => document.getAnimations().every(a => a.playState !== 'running')"
# What the theme's own switcher does (pydata-sphinx-theme's setTheme), without the menu.
DARK_JS = "() => { document.documentElement.dataset.mode = 'dark'; document.documentElement.dataset.theme = 'dark'; }"


@dataclass
class PageReport:
    path: str
    errors: list[str] = field(default_factory=list)  # console errors and warnings, page errors, dialogs
    offhost: list[str] = field(default_factory=list)  # requests to any host but loopback (blocked)
    charts: list[dict] = field(default_factory=list)  # id, ready, marks, staticHidden
    axe: dict[str, list[str]] = field(default_factory=dict)  # mode -> serious/critical violations
    probe: object = None  # what the caller's probe returned
    per_mode: dict[str, object] = field(default_factory=dict)  # mode -> what the per-mode probe returned
    failure: str = ""  # the visit itself failed (timeout, crash)


def visit_all(
    base: str, paths: list[str], *, axe: bool = True, probe: str | None = None, per_mode: tuple[str, object] | None = None
) -> dict[str, PageReport]:
    """Visit every page of the site at `base` once. `probe` is a JavaScript function run last,
    in the page (after the dark-mode pass when `axe` is on); its result lands in `.probe`.
    `per_mode` is (function, argument), run in light mode and, when `axe` is on, again in dark
    mode; results land in `.per_mode[mode]`."""
    if axe and not AXE.exists():
        raise RuntimeError(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (make test does)")
    reports: dict[str, PageReport] = {}
    # Run in a thread of its own: the sync Playwright of the `browser` fixture owns this one's loop.
    worker = threading.Thread(target=lambda: reports.update(asyncio.run(_visit_all(base, paths, axe, probe, per_mode))))
    worker.start()
    worker.join()
    missing = [p for p in paths if p not in reports]
    if missing:
        raise RuntimeError(f"the browser pass stopped before visiting {missing[:5]}")
    return reports


async def _visit_all(base: str, paths: list[str], axe: bool, probe: str | None, per_mode) -> dict[str, PageReport]:
    from playwright.async_api import async_playwright

    axe_source = AXE.read_text(encoding="utf-8") if axe else ""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        limit = asyncio.Semaphore(CONCURRENT)

        async def one(path: str) -> PageReport:
            async with limit:
                return await _visit(browser, base, path, axe_source, probe, per_mode)

        reports = await asyncio.gather(*(one(path) for path in paths))
        await browser.close()
    return {r.path: r for r in reports}


async def _visit(browser, base: str, path: str, axe_source: str, probe: str | None, per_mode) -> PageReport:
    report = PageReport(path)
    context = await browser.new_context()
    page = await context.new_page()
    page.on("console", lambda m: report.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: report.errors.append(f"pageerror: {e}"))

    async def on_dialog(dialog):
        report.errors.append(f"dialog: {dialog.message}")
        await dialog.dismiss()

    page.on("dialog", on_dialog)

    async def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOOPBACK:
            await route.continue_()
        else:
            report.offhost.append(url)
            await route.abort()

    await page.route("**/*", guard)
    try:
        await page.goto(f"{base}/{path}", wait_until="load")
        await _point_at_charts(page)
        await _charts_settled(page, "light")
        report.charts = await page.evaluate(CHARTS_JS)
        if per_mode:
            report.per_mode["light"] = await page.evaluate(*per_mode)
        if axe_source:
            await page.add_script_tag(content=axe_source)
            report.axe["light"] = await page.evaluate(AXE_JS, "light")
            await page.evaluate(DARK_JS)
            await _charts_settled(page, "dark")
            # The theme eases colours from light to dark: measure contrast once they have arrived.
            await page.wait_for_function(NO_TRANSITIONS_JS, timeout=CHART_TIMEOUT_MS)
            report.axe["dark"] = await page.evaluate(AXE_JS, "dark")
            if per_mode:
                report.per_mode["dark"] = await page.evaluate(*per_mode)
        if probe:
            report.probe = await page.evaluate(probe)
    except Exception as error:  # noqa: BLE001 - reported as the page's failure, asserted by the tests
        report.failure = f"{type(error).__name__}: {error}"
    finally:
        await context.close()
    return report


async def _point_at_charts(page) -> None:
    """A chart turns interactive when a reader points at it: point at each one, on the page the
    reader ends up on (the root redirects to the front page)."""
    for _ in range(3):
        try:
            await page.wait_for_load_state("load")
            if await page.evaluate("!!document.querySelector('meta[http-equiv=refresh i]')"):
                await page.wait_for_timeout(300)
                continue
            for chart in await page.query_selector_all("figure.rt-chart"):
                await chart.hover()
            return
        except Exception:  # noqa: BLE001 - navigated meanwhile: look again; an undrawn chart is reported by `charts`
            await page.wait_for_timeout(300)


async def _charts_settled(page, mode: str) -> None:
    try:
        await page.wait_for_function(CHARTS_SETTLED_JS, arg=mode, timeout=CHART_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - a chart that never draws is reported by its state in `charts`
        pass
