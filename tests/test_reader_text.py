"""What readers see on the built site is written for readers: no code toggles anywhere, and
no raw field names, snake_case enum values or ledger ids as visible text (the data page and the
execution report, which document the columns, are the exceptions)."""

from __future__ import annotations

import csv
import functools
import json
import re

import pytest
from bs4 import BeautifulSoup
from ledger_fixture import DATA
from served_site import HTML, pages

DOCUMENTS_COLUMNS = ("book/data.html", "book/execution.html")
NOT_READER_PAGES = ("genindex.html", "search.html")
ID_TABLES = {"agreements": "agreement_id", "flows": "flow_id", "sources": "source_id"}


@functools.lru_cache(maxsize=1)
def scaffolding_pattern() -> re.Pattern:
    """Every snake_case column name and enum value of the schema, and every hyphenated id of
    agreements, legs and sources, as whole words."""
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    words = set()
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            words |= {w for w in [field["name"], *field.get("constraints", {}).get("enum", [])] if "_" in w}
    for table, column in ID_TABLES.items():
        with (DATA / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            words |= {row[column] for row in csv.DictReader(handle) if "-" in row[column]}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w/.#-])({alternatives})(?![\w-])")


def visible_text(path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["script", "style", "svg", "noscript"]):
        hidden.decompose()
    return soup.get_text(" ")


READER_PAGES = [p for p in pages() if not p.startswith(NOT_READER_PAGES)] if HTML.exists() else []


def test_the_site_is_built():
    assert len(READER_PAGES) > 20, "build the site first (make book)"


def test_the_pattern_catches_scaffolding():
    pattern = scaffolding_pattern()
    assert pattern.search("a cloud_commitment of amount_usd") and pattern.search("see amazon-anthropic-2023 for more")
    assert not pattern.search("a cloud commitment of $5 billion, see deals/amazon-anthropic-2023.html")


@pytest.mark.parametrize("page", READER_PAGES)
def test_readers_see_no_scaffolding(page):
    text = visible_text(HTML / page)
    assert "Show code cell" not in text and "Hide code cell" not in text, f"{page}: a code toggle"
    if page in DOCUMENTS_COLUMNS:
        return
    found = sorted(set(scaffolding_pattern().findall(text)))
    assert found == [], f"{page} shows raw names or ids: {found}"
