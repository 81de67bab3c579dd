"""Files the build generates for the site (the Vega bundle, the icon font) live beside the site
in _build/roundtrip-static, which Sphinx copies into _static like book/_static."""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx


def generated_static(app: Sphinx, config) -> Path:
    """The folder, created and registered once. It is registered relative to the book's root:
    an absolute path would enter the config hash in .buildinfo and make two checkouts'
    sites differ."""
    folder = Path(app.outdir).parent / "roundtrip-static"
    folder.mkdir(parents=True, exist_ok=True)
    relative = os.path.relpath(folder, app.confdir)
    if relative not in config.html_static_path:
        config.html_static_path.append(relative)
    return folder


def mystnb_css_first(app: Sphinx) -> None:
    """myst-nb copies its stylesheet into _static only when the build finishes, so pages
    written by a cold build link it without Sphinx's `?v=` checksum and pages written by any
    later build link it with one: two builds of the same sources differed. Copy it before any
    page is written (myst-nb copies the same file again at the end)."""
    if app.builder.format == "html":
        from myst_nb.sphinx_ext import add_global_html_resources

        (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", mystnb_css_first)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
