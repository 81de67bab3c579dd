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


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if "{glue}" in c.read_text()], ids=lambda p: p.name)
def test_every_glued_name_is_defined(chapter):
    text = chapter.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue(?::\w+)?\}`([\w]+)", text))
    defined = set(re.findall(r"glue\(\"(\w+)\"", text))
    assert used - defined == set()
