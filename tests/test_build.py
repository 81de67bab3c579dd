"""The build: warnings are errors, ledger edits re-execute the chapters that read the ledger,
prose edits execute nothing, a raising cell is named, two builds give the same bytes, and the
live preview rebuilds on save. Real builds of copies of the repository (see copies.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml
from copies import ROOT, appended, build, edited, executed, fingerprint


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


def chapters_reading_the_ledger() -> list[str]:
    return [f for f in chapters_with_code() if "import analysis" in (ROOT / f"{f}.md").read_text()]


def test_every_executable_chapter_was_executed_for_nbval():
    """nbval runs the notebooks the build executed; none may be missing from that set."""
    executed_dir = ROOT / "_build" / "jupyter_execute"
    missing = [f for f in chapters_with_code() if not (executed_dir / f"{f}.ipynb").exists()]
    assert missing == [], f"not executed by the build (run make book): {missing}"


@pytest.mark.slow
def test_a_cold_build_in_another_folder_gives_the_same_site(site_copy):
    """Reproducible: a cold build of a copy (every chapter executed afresh in a new kernel,
    elsewhere on disk) is byte for byte the site `make book` built here (in warm kernels)."""
    assert sorted(executed(site_copy.first.log)) == sorted(str(site_copy.repo / f"{f}.md") for f in chapters_with_code())
    # Each chapter ran once, in the parallel pass (book/_ext/rt_execute.py); myst-nb found it cached.
    assert "Executing notebook" not in site_copy.first.log
    assert "at a time in new kernels" in site_copy.first.log
    ours, theirs = fingerprint(ROOT / "_build" / "html"), site_copy.fingerprint
    assert ours.keys() == theirs.keys()
    assert sorted(name for name in ours if ours[name] != theirs[name]) == []


@pytest.mark.slow
def test_no_change_rebuild_executes_nothing(site_copy):
    result = build(site_copy.repo)
    assert result.ok, result.log[-3000:]
    assert executed(result.log) == []


@pytest.mark.slow
def test_prose_edit_executes_nothing(site_copy):
    with appended(site_copy.repo / "book" / "amazon-anthropic.md", "\n\nA sentence the prose test added.\n"):
        result = build(site_copy.repo)
        assert result.ok, result.log[-3000:]
        assert executed(result.log) == []
        assert "A sentence the prose test added." in (site_copy.html / "book" / "amazon-anthropic.html").read_text()


@pytest.mark.slow
def test_a_rebuild_publishes_the_same_site_as_a_cold_build(site_copy):
    """Edit a chapter, rebuild, undo the edit, rebuild: what is published is
    the cold build byte for byte — sitemap and search index included, which Sphinx and
    sphinx-sitemap assemble from the pages a build happens to write (book/_ext/rt_incremental.py)."""
    with appended(site_copy.repo / "book" / "regulation.md", "\n\nA sentence the rebuild test added.\n"):
        assert build(site_copy.repo).ok
    result = build(site_copy.repo)
    assert result.ok, result.log[-3000:]
    now = fingerprint(site_copy.html)
    assert sorted(name for name in now.keys() | site_copy.fingerprint.keys() if now.get(name) != site_copy.fingerprint.get(name)) == []


@pytest.mark.slow
def test_warnings_fail_the_build(site_copy):
    with appended(site_copy.repo / "book" / "intro.md", "\n\nSee {ref}`no-such-label`.\n"):
        result = build(site_copy.repo)
    assert not result.ok
    assert "no-such-label" in result.log


@pytest.mark.slow
def test_failing_cell_is_named_and_reported_outside_the_site(site_copy):
    """The raise goes at the end of the chapter's first code cell; the message names that line."""
    repo = site_copy.repo
    chapter = repo / "book" / "amazon-anthropic.md"
    lines = chapter.read_text().splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith("```{code-cell}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] == "```")  # the cell's closing fence
    fence = "\n".join(lines[end - 1 : end + 1])
    other = repo / "book" / "regulation.md"  # a second chapter to run, so both go to the parallel pass
    with edited(chapter, fence, lines[end - 1] + "\nraise RuntimeError('boom in chapter')\n```"):
        with edited(other, "import analysis\n", "import analysis  # touched by the failing-cell test\n"):
            result = subprocess.run([sys.executable, "tools/build.py"], cwd=repo, capture_output=True, text=True)
    assert result.returncode != 0
    log = (repo / "_build" / "reports" / "build.log").read_text()
    assert "amazon-anthropic.md: failed in parallel" in log and "regulation.md: executed in parallel" in log
    assert f"book/amazon-anthropic.md:{end + 1}: code cell 1 raised RuntimeError: boom in chapter" in result.stderr, result.stderr
    assert "boom in chapter" in (repo / "_build" / "reports" / "amazon-anthropic.err.log").read_text()
    assert not list(site_copy.html.rglob("*.err.log")), "reports must not be published"


@pytest.mark.slow
def test_ledger_edit_re_executes_exactly_the_chapters_that_read_it(ledger_copy):
    """The edited ledger (see copies.py) was built from `make book`'s notebook cache: only
    the chapters importing analysis ran again, and the edit reached the pages."""
    log = ledger_copy.first.log
    assert "ledger changed" in log
    assert sorted(executed(log)) == sorted(str(ledger_copy.repo / f"{f}.md") for f in chapters_reading_the_ledger())
    assert "Executing notebook" not in log, "the chapters ran in parallel, once each"
    assert "at a time in warm kernels" in log
    assert "PAYLOAD[entities.name]" in (ledger_copy.html / "book" / "overview.html").read_text()


@pytest.mark.slow
def test_live_preview_rebuilds_on_save(site_copy):
    repo = site_copy.repo
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "tools/serve.py", "--port", str(port)],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
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
            time.sleep(0.3)
        server.terminate()
        raise AssertionError(f"build {number} never finished; preview output:\n{server.communicate(timeout=10)[0][-3000:]}")

    intro = repo / "book" / "intro.md"
    original = intro.read_text()
    try:
        wait_for_build("1")
        page = get("/book/intro.html")
        assert "/__build" in page, "served pages carry the reload script"
        assert "/__build" not in (site_copy.html / "book" / "intro.html").read_text(), "the built files stay clean"
        intro.write_text(original + "\n\nA sentence saved during the preview.\n")
        wait_for_build("2")
        assert "A sentence saved during the preview." in get("/book/intro.html")
    finally:
        server.terminate()  # before restoring: a restore would start another build
        server.wait(timeout=10)
        intro.write_text(original)
