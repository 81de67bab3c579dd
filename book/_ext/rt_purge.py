"""The themes' stylesheets trimmed to the selectors the built site uses.

pydata-sphinx-theme's stylesheet is about 64 KB gzip on every page: all of Bootstrap and every
Font Awesome icon class (2,500 selectors), of which the book uses a few hundred. When the build
finishes, PurgeCSS (npm, pinned in package-lock.json; run offline from node_modules) keeps the
rules whose selectors appear in some built page or in a script a page loads, since the themes'
scripts add classes and attributes at run time. States that only scripts set are also kept
by name below, in case a script builds a class name from parts. Same pages, same output.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("purge_css.mjs")
PURGECSS = ROOT / "node_modules" / "purgecss"

# Under _build/html/_static. mystnb's name carries its content hash.
TRIMMED = ["styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css", "basic.css", "sphinx-design.min.css", "mystnb.*.css"]

# Classes the themes' scripts toggle: the mobile drawer and sidebars (pst-sidebar-hidden,
# pst-squeeze, hide), the header once scrolled (scrolled), the page-TOC and menus (active, show),
# the search page's results (empty), the theme's dark menus (dropdown-menu-dark).
RUNTIME_CLASSES = ["active", "show", "hide", "scrolled", "pst-sidebar-hidden", "pst-squeeze", "empty", "dropdown-menu-dark", "highlighted"]
# Attributes scripts set: light/dark mode on <html>, expanded/current states, a busy button.
RUNTIME_ATTRIBUTES = ["data-theme", "data-mode", "data-busy", "aria-expanded", "aria-current", "aria-selected", "open"]

SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"')


def content_files(outdir: Path) -> list[Path]:
    """Every built page, and every local script a page loads (sorted: same input, same output)."""
    pages = sorted(p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts)
    scripts: set[Path] = set()
    for page in pages:
        for src in SCRIPT_SRC.findall(page.read_text(encoding="utf-8")):
            if "://" not in src:
                script = (page.parent / src.split("?")[0]).resolve()
                if script.is_file() and script.is_relative_to(outdir.resolve()):
                    scripts.add(script)
    return pages + sorted(scripts)


def stylesheets(outdir: Path) -> list[Path]:
    static = outdir / "_static"
    return [path for pattern in TRIMMED for path in sorted(static.glob(pattern))]


def purge(outdir: Path) -> None:
    css = stylesheets(outdir)
    request = {
        "css": [str(p) for p in css],
        "content": [str(p) for p in content_files(outdir)],
        "safelist": {"standard": [f"^{re.escape(name)}$" for name in RUNTIME_CLASSES]},
        "dynamicAttributes": RUNTIME_ATTRIBUTES,
    }
    done = subprocess.run(["node", str(SCRIPT)], input=json.dumps(request), capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"PurgeCSS failed:\n{done.stderr[-2000:]}")
    for path, text in json.loads(done.stdout).items():
        # The theme's source map describes the untrimmed file: drop the pointer to it.
        text = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", text)
        Path(path).write_text(text, encoding="utf-8")


def trim_theme_css(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if shutil.which("node") is None or not PURGECSS.is_dir():
        logger.warning("the themes' CSS is not trimmed: PurgeCSS is not installed (run `make book`, which runs `npm ci`)")
        return
    purge(Path(app.outdir))


def setup(app: Sphinx) -> dict:
    # After myst-nb copies its stylesheet into _static when the build finishes (priority 500).
    app.connect("build-finished", trim_theme_css, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
