"""CONTRIBUTING.md, followed literally: add a deal (two companies, a source, an agreement, two
legs and their claims), validate, build once — the deal appears in the charts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from copies import ROOT
from copies import contributing_steps as steps

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_guide_covers_a_whole_deal():
    files = [f for f, _ in steps()]
    assert files == ["data/entities.csv", "data/sources.csv", "data/agreements.csv", "data/flows.csv", "data/claims.csv"]


def test_documented_error_messages_are_real(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    for file, rows in steps():
        with (tmp_path / file).open("a", encoding="utf-8") as handle:
            handle.write(rows)
    flows = data / "flows.csv"
    lines = flows.read_text().splitlines()
    number = len(lines) - 1  # the first example leg, as an editor numbers lines
    lines[number - 1] = (
        lines[number - 1].replace(",examplecloud,examplelab,", ",aws,examplelab,").replace(",2000000000,", ',"2,000,000,000",')
    )
    flows.write_text("\n".join(lines) + "\n")
    result = subprocess.run([sys.executable, "-m", "analysis", "validate", "data"], cwd=tmp_path, capture_output=True, text=True)
    documented = re.search(r"```text\n(.*?)```", GUIDE, re.DOTALL).group(1).splitlines()
    for expected in documented:
        expected = re.sub(r"^data/flows.csv:\d+:", f"data/flows.csv:{number}:", expected)
        assert expected in result.stdout, result.stdout


@pytest.mark.slow
def test_new_deal_reaches_the_charts(ledger_copy):
    """ledger_copy appended the guide's rows (after putting markup payloads into existing
    text, which leaves these rows as typed), validated and built."""
    for page in ("overview", "circular-economy", "competition"):
        html = (ledger_copy.html / "book" / f"{page}.html").read_text(encoding="utf-8")
        # Each chart's data download is a CSV file beside the site, linked from its figure.
        links = re.findall(r'href="([^"]+\.csv)" download', html)
        csvs = [(ledger_copy.html / "book" / link).resolve().read_text(encoding="utf-8") for link in links]
        assert csvs, f"{page}: no chart data downloads found"
        assert any("Example Cloud" in c for c in csvs), f"the new deal is missing from the charts on {page}"
        assert "Example Cloud" in html, f"{page}: the new company is not drawn"
