"""Page titles are text. sphinx-book-theme copies the title's plain text (`title.astext()`, so
markup in a deal's title is live again) into `pagetitle` and prints it unescaped in its
print-only <h1>; Sphinx templates do not autoescape. Escape it once, after the theme set it."""

from __future__ import annotations

from markupsafe import escape
from sphinx.application import Sphinx


def escape_page_title(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if "pagetitle" in context:
        context["pagetitle"] = escape(context["pagetitle"])


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", escape_page_title, priority=900)  # after the theme's 500
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
