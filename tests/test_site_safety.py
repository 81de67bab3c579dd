"""The site is reproducible (two clean builds, identical bytes) and text from the ledger is
always inert (markup in a name renders as text, in pages, tables and chart tooltips)."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from served_site import serve

ROOT = Path(__file__).resolve().parent.parent
# The execution-status page reports how long each chapter took and when it ran: it differs
# between any two builds by design, so it is the one page left out of the comparison.
VARIES_BY_DESIGN = {"book/execution.html"}
MARKUP = '<img src="x" onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    target = tmp_path_factory.mktemp("safety") / "round-trip"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "__pycache__"))
    return target


def build(repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run([sys.executable, "tools/build.py"], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def fingerprint(html: Path) -> dict[str, str]:
    return {
        p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(html.rglob("*"))
        if p.is_file() and p.relative_to(html).as_posix() not in VARIES_BY_DESIGN
    }


def test_two_clean_builds_are_identical(repo):
    build(repo)
    first = fingerprint(repo / "_build" / "html")
    shutil.rmtree(repo / "_build")
    build(repo)
    second = fingerprint(repo / "_build" / "html")
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []


def edit(path: Path, key: str, key_value: str, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        if row[key] == key_value:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_markup_in_the_ledger_renders_inert(repo, browser):
    data = repo / "data"
    edit(data / "entities.csv", "entity_id", "amazon", "name", f"Amazon {MARKUP}")
    edit(
        data / "agreements.csv",
        "agreement_id",
        "amazon-anthropic-2026",
        "title",
        f"A title with **stars**, [a link](javascript:alert(1)) and {MARKUP}",
    )
    edit(data / "flows.csv", "flow_id", "amazon-anthropic-2026-immediate", "note", "<script>window.__pwned=2</script> note")
    build(repo)
    pages = [
        "book/overview.html",
        "book/amazon-anthropic.html",
        "book/circular-economy.html",
        "book/deals/amazon-anthropic-2026.html",
        "book/sources-and-method.html",
    ]
    with serve(repo / "_build" / "html") as base:
        for path in pages:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            page.goto(f"{base}/{path}")
            page.wait_for_load_state("networkidle")
            for chart in page.locator("figure.rt-chart").all():
                chart.hover()  # the interactive chart loads on demand
                chart.and_(page.locator(".rt-chart-ready")).wait_for(timeout=10_000)
            assert page.evaluate("window.__pwned === undefined"), f"{path}: ledger markup ran"
            assert page.locator('img[src="x"]').count() == 0, f"{path}: ledger markup became an element"
            assert dialogs == []
            assert "onerror" in page.content() or path.endswith("circular-economy.html"), f"{path}: the text itself should still be shown"
            bars = page.locator(".rt-chart-live svg .mark-rect path")
            if bars.count():
                bars.first.hover()
                page.wait_for_timeout(300)
                assert page.locator(".rt-tooltip img").count() == 0, f"{path}: tooltip rendered markup"
            page.close()
        deal = (repo / "_build/html/book/deals/amazon-anthropic-2026.html").read_text()
        assert "[a link](javascript:alert(1))" in deal, "markdown in a title is shown as typed"
        assert 'href="javascript:' not in deal, "markdown in a title never becomes a link"
