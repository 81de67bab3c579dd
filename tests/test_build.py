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
    chapter.write_text(chapter.read_text().replace('## What "up to" meant each time', '## What "up to" meant, each time'))
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
    assert sorted(executed(data)) == sorted(
        str(repo / f"{f}.md") for f in chapters_with_code() if "import analysis" in (repo / f"{f}.md").read_text()
    )
    assert "Amazon Renamed" in (repo / "_build/html/book/amazon-anthropic.html").read_text()


def test_warnings_fail_the_build(repo):
    broken = repo / "book" / "intro.md"
    broken.write_text(broken.read_text() + "\nSee {ref}`no-such-label`.\n")
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run(
        [str(JB), "build", ".", "--builder", "html", "-n", "-W", "--keep-going"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "no-such-label" in result.stdout + result.stderr


def test_failing_cell_is_named_and_reported_outside_the_site(repo):
    chapter = repo / "book" / "amazon-anthropic.md"
    original = chapter.read_text()
    chapter.write_text(original.replace("ds = analysis.load()", "ds = analysis.load()\nraise RuntimeError('boom in chapter')", 1))
    env = {**os.environ, "PYTHONPATH": str(repo)}
    try:
        result = subprocess.run([sys.executable, "tools/build.py"], cwd=repo, env=env, capture_output=True, text=True)
    finally:
        chapter.write_text(original)
    assert result.returncode != 0
    line = next(i for i, text in enumerate(chapter.read_text().splitlines(), 1) if text == "ds = analysis.load()") + 1
    assert f"book/amazon-anthropic.md:{line}: code cell 1 raised RuntimeError: boom in chapter" in result.stderr
    report = repo / "_build" / "reports" / "amazon-anthropic.err.log"
    assert "boom in chapter" in report.read_text()
    assert not list((repo / "_build" / "html").rglob("*.err.log")), "reports must not be published"


def test_live_preview_rebuilds_on_save(repo):
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    server = subprocess.Popen(
        [sys.executable, "tools/serve.py", "--port", str(port)],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def get(path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.read().decode()

    def wait_for_build(number: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if get("/__build") == number:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        server.terminate()
        raise AssertionError(f"build {number} never finished; preview output:\n{server.communicate(timeout=10)[0][-3000:]}")

    try:
        wait_for_build("1")
        page = get("/book/intro.html")
        assert "/__build" in page, "served pages carry the reload script"
        assert "/__build" not in (repo / "_build/html/book/intro.html").read_text(), "the built files stay clean"
        intro = repo / "book" / "intro.md"
        intro.write_text(intro.read_text().replace("leg by leg.", "leg by leg, live."))
        wait_for_build("2")
        assert "leg by leg, live." in get("/book/intro.html")
    finally:
        server.terminate()
        server.wait(timeout=10)
