"""The build: warnings are errors, data edits re-execute the chapters that read the ledger,
prose edits execute nothing. Runs real builds of a copy of the repository."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
JB = Path(sys.executable).parent / "jupyter-book"
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "__pycache__", "test-results")


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for entry in toc.get("chapters", []):
        files.append(entry["file"])
    for part in toc.get("parts", []):
        files += [entry["file"] for entry in part.get("chapters", [])]
    return files


def chapters_with_code() -> list[str]:
    return [f for f in toc_files() if "```{code-cell}" in (ROOT / f"{f}.md").read_text()]


def test_every_executable_chapter_was_executed_for_nbval():
    """nbval runs the notebooks the build executed; none may be missing from that set."""
    executed = ROOT / "_build" / "jupyter_execute"
    missing = [f for f in chapters_with_code() if not (executed / f"{f}.ipynb").exists()]
    assert missing == [], f"not executed by the build (run make book): {missing}"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    target = tmp_path_factory.mktemp("repo") / "round-trip"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def build(repo: Path) -> str:
    # PYTHONPATH makes the chapters import this copy's analysis package (and so its data/).
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run(
        [str(JB), "build", ".", "--builder", "html", "-n", "-W", "--keep-going"], cwd=repo, env=env, capture_output=True, text=True
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    return log


def executed(log: str) -> list[str]:
    return re.findall(r"(\S+\.md): Executing notebook", log)


def test_rebuilds(repo):
    first = build(repo)
    assert len(executed(first)) == len(chapters_with_code())

    unchanged = build(repo)
    assert executed(unchanged) == [], "a no-change rebuild must not execute anything"

    # Prose edit: the page changes, nothing executes.
    chapter = repo / "book" / "amazon-anthropic.md"
    chapter.write_text(chapter.read_text().replace("## What \"up to\" meant each time", "## What \"up to\" meant, each time"))
    prose = build(repo)
    assert executed(prose) == []
    assert "meant, each time" in (repo / "_build/html/book/amazon-anthropic.html").read_text()

    # Data edit: renaming an entity must reach the chart without touching any chapter.
    entities = repo / "data" / "entities.csv"
    rows = list(csv.reader(entities.open(newline="")))
    for row in rows:
        if row[0] == "amazon":
            row[1] = "Amazon Renamed"
    with entities.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    data = build(repo)
    assert "ledger changed" in data
    assert sorted(executed(data)) == sorted(str(repo / f"{f}.md") for f in chapters_with_code() if "import analysis" in (repo / f"{f}.md").read_text())
    assert "Amazon Renamed" in (repo / "_build/html/book/amazon-anthropic.html").read_text()


def test_warnings_fail_the_build(repo):
    broken = repo / "book" / "intro.md"
    broken.write_text(broken.read_text() + "\nSee {ref}`no-such-label`.\n")
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run([str(JB), "build", ".", "--builder", "html", "-n", "-W", "--keep-going"], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "no-such-label" in result.stdout + result.stderr


def test_failing_cell_fails_the_build(repo):
    chapter = repo / "book" / "amazon-anthropic.md"
    chapter.write_text(chapter.read_text().replace("ds = analysis.load()", "ds = analysis.load()\nraise RuntimeError('boom in chapter')", 1))
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run([str(JB), "build", ".", "--builder", "html", "-n", "-W", "--keep-going"], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "boom in chapter" in result.stdout + result.stderr
