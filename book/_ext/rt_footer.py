"""Every page's footer names the ledger version and its last update (from datapackage.json, so
two builds of the same ledger are identical), links the citation and states the licences."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

FOOTER = (
    '<p class="rt-footer">Ledger version {{ version }}, last updated {{ updated }}. '
    '<a href="{{ cite }}">Cite this book and data</a>. '
    "Code under the MIT licence; data under CC BY 4.0.</p>"
)


def read_release(app: Sphinx, config) -> None:
    package = json.loads((Path(app.confdir) / "data" / "datapackage.json").read_text(encoding="utf-8"))
    app._rt_release = {"version": str(package.get("version", "")), "updated": str(package.get("updated", ""))}
    config.html_last_updated_fmt = None  # the build date would differ between identical builds


def footer(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The footer, with the citation link relative to each page (package text escaped)."""
    from analysis import render

    release = getattr(app, "_rt_release", None)
    if release and "pathto" in context:
        context["theme_extra_footer"] = str(render.render(FOOTER, cite=context["pathto"]("book/cite"), **release))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", read_release)
    app.connect("html-page-context", footer)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
