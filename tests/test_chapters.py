"""Chapters are thin: every number in their prose is glued from the ledger, never typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("*.md"))
CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```\s*$", re.DOTALL | re.MULTILINE)
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
HAND_TYPED = [
    ("dollar amount", re.compile(r"(US)?\$\s?\d")),
    ("percentage", re.compile(r"\d(\.\d+)?\s?(%|per ?cent)")),
    ("gigawatts", re.compile(r"\d(\.\d+)?\s?(GW|gigawatts?)\b", re.IGNORECASE)),
    ("amount in words", re.compile(r"\d(\.\d+)?\s?(thousand|million|billion|trillion)\b", re.IGNORECASE)),
]


def prose(text: str) -> str:
    return GLUE_ROLE.sub("GLUED", CODE_CELL.sub("", FRONT_MATTER.sub("", text)))


def hand_typed(text: str) -> list[str]:
    found = []
    for line in prose(text).splitlines():
        for what, pattern in HAND_TYPED:
            if pattern.search(line):
                found.append(f"{what}: {line.strip()}")
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_no_hand_typed_numbers(chapter):
    assert hand_typed(chapter.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "text",
    ["Amazon put in $8 billion.", "a 27% stake", "up to 5 GW of capacity", "about 1.5 billion dollars", "US$4bn"],
)
def test_detector_catches_typed_numbers(text):
    assert hand_typed(text)


def test_detector_ignores_glue_and_code():
    text = "Amazon put in {glue}`aa_firm`.\n\n```{code-cell} ipython3\nx = '$5 billion'\n```\n"
    assert hand_typed(text) == []


@pytest.fixture(scope="module")
def headline_keys():
    import analysis
    from analysis import headline

    return set(headline.headline(analysis.load()))


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if "{glue}" in c.read_text()], ids=lambda p: p.name)
def test_every_glued_name_is_defined(chapter, headline_keys):
    """A chapter glues its own names, plus every headline quantity when it calls glue_all."""
    text = chapter.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue(?::\w+)?\}`([\w]+)", text))
    code = "\n".join(CODE_CELL.findall(text))
    literals = set(re.findall(r"[\"'](\w+)[\"']", code))  # glue("x", …), a {"x": …} table, helper("x", …)
    defined = literals | {f"{k}_when" for k in re.findall(r"stated\(\"(\w+)\"", code)}
    if "headline.glue_all(" in text:
        defined |= headline_keys
    assert used - defined == set()


TOPICS = ["intro", "overview", "amazon-anthropic", "circular-economy", "custom-silicon", "competition", "regulation"]


@pytest.mark.parametrize("chapter", TOPICS)
def test_no_code_toggles_in_story_chapters(chapter):
    """Readers get no 'show code' toggles: code cells are removed, never hidden."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    assert "hide-input" not in text and "hide-cell" not in text and "hide-output" not in text


@pytest.mark.parametrize("chapter", TOPICS[1:])
def test_topic_chapters_link_to_deal_pages(chapter):
    """Every topic chapter sends readers to the deals it discusses (prose links or a deal table)."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    assert re.search(r'href="deals/[\w-]+\.html"', text) or "story.deal_links(" in text or "story.pairs_table(" in text
