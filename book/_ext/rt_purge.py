"""The themes' stylesheets trimmed to the selectors the built site uses.

pydata-sphinx-theme's stylesheet is about 64 KB gzip on every page: all of Bootstrap and every
Font Awesome icon class (2,500 selectors), of which the book uses a few hundred. When the build
finishes, PurgeCSS (npm, pinned in package-lock.json; run offline from node_modules) keeps the
rules whose selectors appear in some built page or in a script a page loads, since the themes'
scripts add classes and attributes at run time. States that only scripts set are also kept
by name below, in case a script builds a class name from parts. Same pages, same output.
"""

from __future__ import annotations

import hashlib
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


def content(outdir: Path) -> dict[Path, str]:
    """Every built page, and every local script a page loads, with its text (sorted: same
    input, same output). Each file is read once: PurgeCSS gets the paths, the reuse key the words."""
    built = sorted(p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts)
    pages = {p: p.read_text(encoding="utf-8") for p in built}
    scripts: set[Path] = set()
    for page, text in pages.items():
        for src in SCRIPT_SRC.findall(text):
            if "://" not in src:
                script = (page.parent / src.split("?")[0]).resolve()
                if script.is_file() and script.is_relative_to(outdir.resolve()):
                    scripts.add(script)
    return {**pages, **{s: s.read_text(encoding="utf-8") for s in sorted(scripts)}}


def stylesheets(outdir: Path) -> list[Path]:
    static = outdir / "_static"
    return [path for pattern in TRIMMED for path in sorted(static.glob(pattern))]


# PurgeCSS's default extractor: the words it finds in a page or script.
WORDS = re.compile(r"[A-Za-z0-9_-]+")
# Values of attribute selectors that match part of a word ([class*="col-"], [href^="http"]).
PARTIAL_VALUES = re.compile(r"""\[[^\]=]*[~|^$*]=\s*["']?([^"'\]\s]+)""")


def deciding_words(css: list[str], texts: list[str]) -> list[str]:
    """The words of the built pages that can decide what PurgeCSS keeps: those the stylesheets
    contain, and those holding a partial attribute value. Any other word (a renamed company,
    an edited note) cannot change the result, so the trimmed stylesheets are reused."""
    text = "\n".join(css)
    vocabulary = set(WORDS.findall(text))
    partial = re.compile("|".join(re.escape(v) for v in sorted(set(PARTIAL_VALUES.findall(text)))) or "(?!)")
    words = set()
    for text in texts:
        words.update(WORDS.findall(text))
    return sorted(w for w in words if w in vocabulary or partial.search(w))


def purge(outdir: Path) -> None:
    css = stylesheets(outdir)
    files = content(outdir)
    request = {
        "css": [str(p) for p in css],
        "content": [str(p) for p in files],
        "safelist": {"standard": [f"^{re.escape(name)}$" for name in RUNTIME_CLASSES]},
        "dynamicAttributes": RUNTIME_ATTRIBUTES,
    }
    sources = [p.read_text(encoding="utf-8") for p in css]
    names = [p.relative_to(outdir).as_posix() for p in css]
    inputs = [names, sources, request["safelist"], RUNTIME_ATTRIBUTES, deciding_words(sources, list(files.values()))]
    key = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
    stored = outdir.parent / ".purged-css.json"  # beside the site, never in it
    if stored.is_file() and (last := json.loads(stored.read_text(encoding="utf-8")))["key"] == key:
        trimmed = {str(outdir / name): text for name, text in last["files"].items()}
    else:
        done = subprocess.run(["node", str(SCRIPT)], input=json.dumps(request), capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"PurgeCSS failed:\n{done.stderr[-2000:]}")
        # The theme's source map describes the untrimmed file: drop the pointer to it.
        trimmed = {path: re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", text) for path, text in json.loads(done.stdout).items()}
        files = {Path(path).relative_to(outdir).as_posix(): text for path, text in trimmed.items()}
        stored.write_text(json.dumps({"key": key, "files": files}), encoding="utf-8")
    for path, text in trimmed.items():
        Path(path).write_text(text, encoding="utf-8")


def trim_theme_css(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if shutil.which("node") is None or not PURGECSS.is_dir():
        logger.warning("the themes' CSS is not trimmed: PurgeCSS is not installed (run `make book`, which runs `npm ci`)")
        return
    purge(Path(app.outdir))


def untrim(app: Sphinx) -> None:
    """Remove last build's trimmed stylesheets, so the builder copies the themes' own afresh
    instead of overwriting files that differ from them (which Sphinx reports on every build)."""
    if app.builder.format == "html":
        for path in stylesheets(Path(app.outdir)):
            path.unlink()


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", untrim, priority=400)  # before rt_static puts myst-nb's stylesheet back
    # After myst-nb copies its stylesheet into _static when the build finishes (priority 500).
    app.connect("build-finished", trim_theme_css, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
