"""Release metadata agrees with the ledger."""

import json

import yaml
from ledger_fixture import ROOT


def test_citation_matches_the_package():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text())
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["version"] == package["version"]
    assert citation["title"] == package["title"]
    assert citation["date-released"] == package["updated"]


def test_changelog_has_the_current_version():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text())
    assert f"## {package['version']} — {package['updated']}" in (ROOT / "CHANGELOG.md").read_text()
