"""The deals explorer: every agreement and leg in one table, sortable and filterable in a real
browser, readable without JavaScript, and no generated page scrolls sideways on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import analysis
from analysis.vocab import label

HTML = Path(__file__).resolve().parent.parent / "_build" / "html" / "book"
EXPLORER = "book/deals/index.html"


@pytest.fixture(scope="module")
def ledger():
    return analysis.load()


def test_explorer_lists_every_agreement_and_leg_without_javascript(ledger):
    text = (HTML / "deals" / "index.html").read_text(encoding="utf-8")
    table = text.split("data-rt-explorer", 1)[1].split("</table>", 1)[0]
    for agreement_id in ledger.agreements["agreement_id"]:
        assert f'href="{agreement_id}.html"' in table, agreement_id
    assert len(re.findall(r"<tr data-kind=", table)) == len(ledger.flows)
    assert "explorer.js" in text


def test_only_the_explorer_loads_its_script():
    assert "explorer.js" not in (HTML / "overview.html").read_text(encoding="utf-8")
    assert "explorer.js" not in (HTML / "deals" / "amazon-anthropic-2023.html").read_text(encoding="utf-8")


def visible_rows(page) -> list[str]:
    return page.eval_on_selector_all("table[data-rt-explorer] tbody tr:not([hidden])", "rows => rows.map(r => r.innerText)")


def test_explorer_filters_and_sorts_in_chromium(site, browser, ledger):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}/{EXPLORER}")
    assert len(visible_rows(page)) == len(ledger.flows)

    page.fill(".rt-explorer-controls input[type=search]", "coreweave")
    coreweave = [r for r in visible_rows(page)]
    expected = ledger.flows[(ledger.flows["from_id"] == "coreweave") | (ledger.flows["to_id"] == "coreweave")]
    assert len(coreweave) >= len(expected) > 0
    assert all("coreweave" in r.lower() for r in coreweave)
    assert page.inner_text(".rt-explorer-count") == f"Showing {len(coreweave)} of {len(ledger.flows)} legs."

    page.fill(".rt-explorer-controls input[type=search]", "")
    kinds = page.locator(".rt-explorer-controls select").first
    kinds.select_option(label("flow_kind", "equity"))
    equity = visible_rows(page)
    assert len(equity) == int((ledger.flows["kind"] == "equity").sum())
    kinds.select_option("")

    page.click("th >> text=Firm")
    firm = page.eval_on_selector_all(
        "table[data-rt-explorer] tbody tr:not([hidden]) td:nth-child(5)", "cells => cells.map(c => c.getAttribute('data-sort'))"
    )
    numbers = [int(v) for v in firm if v]
    assert numbers == sorted(numbers) and numbers[0] == int(ledger.flows["amount_usd"].min())
    assert all(v == "" for v in firm[len(numbers) :]), "legs with no firm amount sort last"
    page.click("th >> text=Firm")
    assert page.get_attribute("th:nth-child(5)", "aria-sort") == "descending"
    assert errors == []
    page.close()


PHONE_PAGES = [EXPLORER, "book/deals/amazon-anthropic-2026.html", "book/companies/amazon.html", "book/companies/index.html"]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_generated_pages_do_not_scroll_sideways_on_a_phone(site, browser, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
