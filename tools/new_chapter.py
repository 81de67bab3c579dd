"""Create a chapter from templates/chapter.md and add it to _toc.yml (before the Data page).

Usage: python tools/new_chapter.py NAME "Title"   (NAME: lowercase words joined by hyphens)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOC = ROOT / "_toc.yml"
LAST = "  - file: book/data\n"


def create(name: str, title: str, root: Path = ROOT) -> Path:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise SystemExit(f"NAME '{name}' must be lowercase words joined by hyphens, e.g. chip-supply")
    target = root / "book" / f"{name}.md"
    if target.exists():
        raise SystemExit(f"{target.relative_to(root)} already exists — pick another NAME")
    prefix = name.replace("-", "_")
    text = (root / "templates" / "chapter.md").read_text(encoding="utf-8")
    target.write_text(text.replace("__TITLE__", title).replace("__PREFIX__", prefix), encoding="utf-8")
    toc = root / "_toc.yml"
    lines = toc.read_text(encoding="utf-8")
    entry = f"  - file: book/{name}\n"
    lines = lines.replace(LAST, entry + LAST) if LAST in lines else lines + entry
    toc.write_text(lines, encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    path = create(sys.argv[1], sys.argv[2])
    print(f"created {path.relative_to(ROOT)} and added it to _toc.yml; preview with: make serve")
