"""Notebook hygiene for chapters: MyST markdown only, no stored outputs, jupytext-readable.

Chapters are MyST markdown notebooks so diffs stay readable and outputs are never committed;
this check keeps it that way. Usage: python tools/check_chapters.py [FILE ...] (default: book/).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent


def problems(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if path.suffix == ".ipynb":
            found.append(f"{shown}: chapters are MyST markdown (.md), not .ipynb — fix: jupytext --to myst {shown}, then delete the .ipynb")
            continue
        text = path.read_text(encoding="utf-8")
        if "```{code-cell}" not in text:
            continue
        try:
            notebook = jupytext.reads(text, fmt="md:myst")
        except Exception as err:  # jupytext raises several types for malformed input
            found.append(f"{shown}: jupytext cannot read it ({err}) — fix: check the front matter and code-cell fences")
            continue
        if notebook.metadata.get("kernelspec", {}).get("name") != "python3":
            found.append(f"{shown}: front matter has no python3 kernelspec — fix: copy the header of templates/chapter.md")
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and cell.get("outputs"):
                found.append(f"{shown}: cell {index} has stored outputs — fix: remove them; the build executes chapters")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted([*(ROOT / "book").glob("*.md"), *(ROOT / "book").rglob("*.ipynb")])
    found = problems([p for p in paths if p.suffix in (".md", ".ipynb") and "_build" not in p.parts])
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
