"""axe-core on every page, in light and dark mode: no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from served_site import pages, serve

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
SERIOUS = {"serious", "critical"}

# `site` (the built site served on loopback) and `browser` (Chromium) come from conftest.py.


def violations(browser, url: str, mode: str) -> list[str]:
    page = browser.new_page()
    page.add_init_script(f"localStorage.setItem('theme', '{mode}'); localStorage.setItem('mode', '{mode}');")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    for chart in page.locator("figure.rt-chart").all():
        chart.hover()  # the interactive chart loads on demand
        chart.and_(page.locator(".rt-chart-ready")).wait_for(timeout=10_000)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    page.add_script_tag(content=AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    page.close()
    found = []
    for violation in result["violations"]:
        if violation["impact"] in SERIOUS:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", pages())
def test_no_serious_accessibility_violations(browser, site, path, mode):
    assert violations(browser, f"{site}/{path}", mode) == []


def test_axe_detects_a_violation(browser, tmp_path):
    (tmp_path / "bad.html").write_text(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="a.png"><p style="color:#eee;background:#fff">low</p></main></body></html>'
    )
    with serve(tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}/bad.html")
        page.add_script_tag(content=AXE)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        page.close()
    assert {"image-alt", "color-contrast"} <= {v["id"] for v in result["violations"]}
