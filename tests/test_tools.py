"""Authoring tools: chapter template, chapter hygiene, build-failure parsing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from ledger_fixture import ROOT
from test_chapters import hand_typed

sys.path.insert(0, str(ROOT / "tools"))
import build  # noqa: E402
import check_chapters  # noqa: E402
import new_chapter  # noqa: E402


@pytest.fixture
def skeleton(tmp_path):
    for name in ("templates", "book"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("_static", "_ext"))
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    return tmp_path


def test_new_chapter_from_template(skeleton):
    path = new_chapter.create("chip-supply", "Chip supply", root=skeleton)
    text = path.read_text()
    assert text.startswith("---\njupytext:") and "# Chip supply" in text and "__" not in text
    toc = (skeleton / "_toc.yml").read_text()
    assert toc.index("book/chip-supply") < toc.index("book/data"), "new chapters go before the Data page"
    assert hand_typed(text) == [], "the template itself follows the glue rule"
    assert check_chapters.problems([path]) == []


def test_new_chapter_refuses_bad_or_taken_names(skeleton):
    with pytest.raises(SystemExit, match="lowercase words"):
        new_chapter.create("Chip Supply", "x", root=skeleton)
    with pytest.raises(SystemExit, match="already exists"):
        new_chapter.create("overview", "x", root=skeleton)


def test_hygiene_rejects_ipynb_and_stored_outputs(tmp_path):
    notebook = tmp_path / "chapter.ipynb"
    notebook.write_text("{}")
    assert "not .ipynb" in check_chapters.problems([notebook])[0]
    header = (ROOT / "templates" / "chapter.md").read_text().split("# __TITLE__")[0]
    chapter = tmp_path / "bad.md"
    chapter.write_text(header.replace("name: python3", "name: julia") + "# T\n\n```{code-cell} ipython3\n1\n```\n")
    assert "no python3 kernelspec" in check_chapters.problems([chapter])[0]


def test_real_chapters_are_clean():
    assert check_chapters.main([]) == 0


def test_build_log_parsing(tmp_path):
    chapter = tmp_path / "c.md"
    chapter.write_text(
        "# T\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\nx = 1\ny = 2\n```\n\n```{code-cell} ipython3\nz = 1 / 0\n```\n"
    )
    log = (
        f"\x1b[91m{chapter}: WARNING: Executing notebook failed: CellExecutionError\x1b[0m\n"
        "Traceback (most recent call last):\n"
        "nbclient.exceptions.CellExecutionError: An error occurred\n"
        "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[2]\x1b[39m\x1b[32m, line 1\x1b[39m\n"
        "ZeroDivisionError: division by zero\n"
    )
    (failure,) = build.failures(log)
    assert (failure.chapter, failure.cell, failure.line_in_cell) == (Path(chapter), 2, 1)
    assert failure.error == "ZeroDivisionError: division by zero"
    assert failure.source_line() == 11
