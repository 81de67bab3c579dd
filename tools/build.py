"""Build the site (warnings are errors) and keep build reports out of it.

Usage: python tools/build.py

The one place the `jupyter-book build` command is written: `make book`, tools/serve.py,
tools/bench.py and the tests all call `run()`. It runs `jupyter-book build . -n -W
--keep-going` with the repository's own `analysis` package first on the path, saves the full
log to _build/reports/build.log and, when a chapter cell raises, names the chapter, the cell
and the line in the chapter's source and writes that chapter's traceback to
_build/reports/<chapter>.err.log. Reports live beside the site, never inside _build/html.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "_build" / "reports"
# What a copy of the repository leaves out (tests and bench build copies, never the original).
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "__pycache__", "test-results", "node_modules"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FAILED = re.compile(r"^(\S+\.(?:md|ipynb)): WARNING: Executing notebook failed")
CELL = re.compile(r"Cell In\[(\d+)\], line (\d+)")
RAISED = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit)): ?(.*)$")


@dataclass
class CellFailure:
    chapter: Path
    cell: int | None
    line_in_cell: int | None
    error: str
    traceback: str

    def source_line(self) -> int | None:
        """The line in the chapter's .md file: the Nth code cell's first line plus the offset."""
        if self.cell is None or self.line_in_cell is None or self.chapter.suffix != ".md":
            return None
        lines = self.chapter.read_text(encoding="utf-8").splitlines()
        starts = [i for i, text in enumerate(lines, 1) if text.startswith("```{code-cell}")]
        if self.cell > len(starts):
            return None
        first = starts[self.cell - 1] + 1
        while first <= len(lines) and (lines[first - 1].startswith(":") or not lines[first - 1].strip()):
            first += 1  # skip the cell's options (:tags:) and the blank line after them
        return first + self.line_in_cell - 1


def failures(log: str) -> list[CellFailure]:
    """Every chapter whose execution failed, with the cell and error, from a build log."""
    lines = ANSI.sub("", log).splitlines()
    found: list[CellFailure] = []
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := FAILED.search(line))]
    for n, (start, path) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        block = lines[start:end]
        cell = next((m for line in block if (m := CELL.search(line))), None)
        raised = [m for line in block if (m := RAISED.match(line.strip())) and not m.group(1).startswith(("nbclient", "myst_nb"))]
        error = f"{raised[0].group(1)}: {raised[0].group(2)}" if raised else "the cell raised an error"
        found.append(
            CellFailure(Path(path), int(cell.group(1)) if cell else None, int(cell.group(2)) if cell else None, error, "\n".join(block))
        )
    return found


@dataclass
class Build:
    code: int
    log: str  # stdout and stderr, ANSI colours removed

    @property
    def ok(self) -> bool:
        return self.code == 0


def command(strict: bool = True) -> list[str]:
    """`strict` turns warnings into errors (every real build); the live preview shows them instead."""
    warnings = ["-W"] if strict else []
    return [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "--builder", "html", "-n", *warnings, "--keep-going"]


def run(root: Path = ROOT, *, strict: bool = True, echo: bool = False, env: dict[str, str] | None = None) -> Build:
    """Build the site of the repository at `root`; its reports go to `root`/_build/reports."""
    # PYTHONPATH makes the chapters import this checkout's analysis package (and so its data/).
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(root)}
    process = subprocess.Popen(command(strict), cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    captured = []
    for line in process.stdout:  # type: ignore[union-attr]
        if echo:
            sys.stdout.write(line)
        captured.append(line)
    result = Build(process.wait(), ANSI.sub("", "".join(captured)))
    reports = root / "_build" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "build.log").write_text(result.log, encoding="utf-8")
    if not result.ok:
        for failure in failures(result.log):
            (reports / f"{failure.chapter.stem}.err.log").write_text(failure.traceback + "\n", encoding="utf-8")
    return result


def explain(result: Build, root: Path = ROOT) -> str:
    """What failed, one line per raising cell, pointing at the chapter's source and its report."""
    lines = ["The build failed. Nothing was published."]
    for failure in failures(result.log):
        where = failure.chapter.relative_to(root) if failure.chapter.is_relative_to(root) else failure.chapter
        line = failure.source_line()
        at = f"{where}:{line}" if line else str(where)
        cell = f"code cell {failure.cell}" if failure.cell else "a code cell"
        lines.append(f"{at}: {cell} raised {failure.error} — traceback in _build/reports/{failure.chapter.stem}.err.log")
    lines.append("Full log: _build/reports/build.log")
    return "\n".join(lines)


def copy_repo(target: Path) -> Path:
    """A copy of this repository (sources, ledger, config; no venv, build or caches) to build
    apart from the original. It shares the original's node_modules (the build runs PurgeCSS)."""
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return target


def main() -> int:
    result = run(ROOT, echo=True)
    if not result.ok:
        print("\n" + explain(result), file=sys.stderr)
    return result.code


if __name__ == "__main__":
    sys.exit(main())
