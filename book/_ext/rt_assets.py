"""Each page loads only the extensions' assets its own body uses.

Sphinx extensions add their stylesheets and scripts to every page, yet most pages here are prose
and tables: no code to copy or highlight, no tabs, no toggles, no notebook output. What a page
needs is decided from its rendered body (the class names in it), so a page that does use an
extension's markup always keeps its assets. The theme's own files serve the header and sidebars
of every page and stay (rt_purge trims them instead).
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')

# The markup that each optional asset acts on, as a test of the set of class names in a body.
# myst-nb's stylesheet: its own output and cell classes (its other selectors, such as
# `.admonition` or `.container`, only refine those).
MYSTNB_CLASSES = {
    *["cell", "cell_input", "cell_output", "output", "text_plain", "stream", "stderr", "traceback"],
    *["pasted-inline", "pasted-text"],  # glued values
}


def _code(classes: set[str]) -> bool:
    """sphinx-copybutton adds its button to `div.highlight pre`; Pygments colours `.highlight`."""
    return "highlight" in classes


def _pygments(classes: set[str]) -> bool:
    return any(c.startswith("highlight") for c in classes)


def _design(classes: set[str]) -> bool:
    return any(c.startswith("sd-") for c in classes)


def _tabs(classes: set[str]) -> bool:
    return "sd-tab-set" in classes


def _toggles(classes: set[str]) -> bool:
    """sphinx-togglebutton's default selector is `.toggle, .admonition.dropdown`, and its
    directive writes `details.toggle-details`."""
    return bool(classes & {"toggle", "toggle-details"}) or {"admonition", "dropdown"} <= classes


def _notebook(classes: set[str]) -> bool:
    return bool(classes & MYSTNB_CLASSES)


NEEDS = {
    "clipboard.min.js": _code,
    "copybutton.js": _code,
    "copybutton.css": _code,
    "pygments.css": _pygments,
    "sphinx-design.min.css": _design,
    "design-tabs.js": _tabs,
    "togglebutton.js": _toggles,
    "togglebutton.css": _toggles,
    "mystnb.css": _notebook,  # published as mystnb.<hash>.css
}


def asset_key(filename: str) -> str:
    name = filename.split("?")[0].rsplit("/", 1)[-1]
    return "mystnb.css" if name.startswith("mystnb.") and name.endswith(".css") else name


def body_classes(body: str) -> set[str]:
    return {name for attribute in CLASS_ATTRIBUTE.findall(body) for name in attribute.split()}


def unused(filename: str, classes: set[str]) -> bool:
    needs = NEEDS.get(asset_key(filename))
    return needs is not None and not needs(classes)


def drop_unused_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    classes = body_classes(context.get("body", ""))
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if files is not None:
            files[:] = [f for f in files if not unused(str(getattr(f, "filename", "") or ""), classes)]


def setup(app: Sphinx) -> dict:
    # After every handler that edits the body or adds assets (the themes run at 500).
    app.connect("html-page-context", drop_unused_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
