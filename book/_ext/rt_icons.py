"""The theme ships the whole Font Awesome solid font (about 150 KB) for a handful of icons.
Serve a subset with only the icons the themes use; roundtrip.css points the font at it."""

from __future__ import annotations

import re
from pathlib import Path

from rt_static import generated_static
from sphinx.application import Sphinx

ICON_FONT = "roundtrip-icons.woff2"
FA_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]{4})"\}')
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def icon_codepoints(theme_dirs: list[Path]) -> set[int]:
    """Codepoints of every solid icon the themes can show: the fa-* classes named in their
    templates, scripts and Python code (the sidebar toggles are added from Python), and the
    icon characters their stylesheets use directly."""
    css = "".join(p.read_text(encoding="utf-8") for d in theme_dirs for p in sorted(d.rglob("*.css")))
    rules = {cls: int(code, 16) for group, code in FA_RULE.findall(css) for cls in re.findall(r"\.(fa-[a-z0-9-]+):before", group)}
    named = set()
    for d in theme_dirs:
        for path in sorted([*d.rglob("*.html"), *d.rglob("*.js"), *d.rglob("*.py")]):
            if path.stat().st_size < 400_000:  # skip the icon library itself
                named |= set(re.findall(r"\b(fa-[a-z0-9-]+)\b", path.read_text(encoding="utf-8", errors="ignore")))
    return {rules[c] for c in named if c in rules} | {ord(ch) for ch in PRIVATE_USE.findall(css)}


def subset_icon_font(app: Sphinx, config) -> None:
    import pydata_sphinx_theme
    import sphinx_book_theme

    themes = [Path(pydata_sphinx_theme.__file__).parent, Path(sphinx_book_theme.__file__).parent]
    source = themes[0] / "theme" / "pydata_sphinx_theme" / "static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    target = generated_static(app, config) / ICON_FONT
    stamp = target.with_suffix(".themes")
    wanted = f"pydata-sphinx-theme {pydata_sphinx_theme.__version__}, sphinx-book-theme {sphinx_book_theme.__version__}"
    if target.exists() and stamp.exists() and stamp.read_text() == wanted:
        return  # same themes, same icons: skip rescanning them on every rebuild
    from fontTools import subset

    codepoints = icon_codepoints(themes)
    options = subset.Options()
    options.flavor = "woff2"
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    stamp.write_text(wanted)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", subset_icon_font)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
