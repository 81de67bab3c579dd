"""Accessibility fixes to the theme's markup, applied to every built page.

The theme's sidebar toggles are <summary> elements holding only an icon, so screen readers
announce nothing. Each gets visually hidden text rather than an aria-label: an aria-label
that differs from what is visible fails WCAG 2.5.3 (axe: label-content-name-mismatch)."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

NAMELESS_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = (
    '<summary><span class="visually-hidden">Show or hide the pages in this section</span><span class="toctree-toggle" role="presentation">'
)


def name_sidebar_toggles(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if NAMELESS_TOGGLE in text:
            page.write_text(text.replace(NAMELESS_TOGGLE, NAMED_TOGGLE), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", name_sidebar_toggles)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
