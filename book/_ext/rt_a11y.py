"""Accessibility fixes to the themes' markup.

An aria-label that differs from an element's visible text fails WCAG 2.5.3 (axe:
label-content-name-mismatch), so controls are named by their text:
- the sidebar's toggles are <summary> elements holding only an icon: each gets visually
  hidden text (their markup comes from the theme's navigation, so built pages are rewritten);
- myst-nb's hide-input toggles show "Show code cell source" but were labelled "Toggle hidden
  content": the label goes, the text names them;
- the search button: see book/_templates/components/search-button-field.html."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

NAMELESS_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = (
    '<summary><span class="visually-hidden">Show or hide the pages in this section</span><span class="toctree-toggle" role="presentation">'
)


MISLABELLED_CELL_TOGGLE = '<summary aria-label="Toggle hidden content">'


def name_cell_toggles(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if MISLABELLED_CELL_TOGGLE in context.get("body", ""):
        context["body"] = context["body"].replace(MISLABELLED_CELL_TOGGLE, "<summary>")


def name_sidebar_toggles(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if NAMELESS_TOGGLE in text:
            page.write_text(text.replace(NAMELESS_TOGGLE, NAMED_TOGGLE), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", name_cell_toggles)
    app.connect("build-finished", name_sidebar_toggles)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
