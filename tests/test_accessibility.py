"""axe-core on every page, in light and dark mode: no serious or critical violation.

axe-core is the release pinned in package-lock.json (`npm ci`, run by `make test`), injected
into each page during the one browser pass of conftest.visited."""

from __future__ import annotations

import json

import pytest
from served_site import pages, serve
from site_pass import AXE, ROOT, visit_all


def test_axe_is_the_pinned_release():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    assert json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"] == pinned, "an exact pin"
    assert f"axe v{pinned}" in AXE.read_text(encoding="utf-8")[:200], "node_modules holds another axe-core: run npm ci"


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", pages())
def test_no_serious_accessibility_violations(visited, path, mode):
    report = visited[path]
    assert report.failure == "", f"{path}: {report.failure}"
    assert report.axe[mode] == []


def test_axe_detects_a_violation(tmp_path):
    (tmp_path / "bad.html").write_text(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="a.png"><p style="color:#eee;background:#fff">low</p>'
        '<button aria-label="Close the menu">Open</button></main></body></html>'
    )
    with serve(tmp_path) as base:
        report = visit_all(base, ["bad.html"])["bad.html"]
    found = {line.split(" ")[0] for line in report.axe["light"]}
    assert {"image-alt", "color-contrast", "label-content-name-mismatch"} <= found, report.axe
