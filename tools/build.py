"""Build the site (warnings are errors) and keep build reports out of it.

Usage: python tools/build.py

Runs `jupyter-book build . -n -W --keep-going`, shows its output, and saves the full log to
_build/reports/build.log. When a chapter cell raises, it names the chapter, the cell and the
line in the chapter's source, and writes that chapter's traceback to
_build/reports/<chapter>.err.log. Reports live beside the site, never inside _build/html.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "_build" / "reports"
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


def main() -> int:
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "--builder", "html", "-n", "-W", "--keep-going"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    captured = []
    for line in process.stdout:  # type: ignore[union-attr]
        sys.stdout.write(line)
        captured.append(line)
    code = process.wait()
    log = "".join(captured)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "build.log").write_text(ANSI.sub("", log), encoding="utf-8")
    if code == 0:
        return 0
    print("\nThe build failed. Nothing was published.", file=sys.stderr)
    for failure in failures(log):
        report = REPORTS / f"{failure.chapter.stem}.err.log"
        report.write_text(failure.traceback + "\n", encoding="utf-8")
        where = failure.chapter.relative_to(ROOT) if failure.chapter.is_relative_to(ROOT) else failure.chapter
        line = failure.source_line()
        at = f"{where}:{line}" if line else str(where)
        cell = f"code cell {failure.cell}" if failure.cell else "a code cell"
        print(f"{at}: {cell} raised {failure.error} — traceback in {report.relative_to(ROOT)}", file=sys.stderr)
    print(f"Full log: {(REPORTS / 'build.log').relative_to(ROOT)}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
