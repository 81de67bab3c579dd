"""The book has no live-code (Thebe) buttons, yet sphinx-thebe injects its script and an
inline `const THEBE_JS_URL` twice under Sphinx 7.4, a SyntaxError on every page."""

from __future__ import annotations

from sphinx.application import Sphinx


def _mentions_thebe(asset) -> bool:
    body = asset.attributes.get("body", "") if hasattr(asset, "attributes") else ""
    return "thebe" in (str(getattr(asset, "filename", "") or "") + str(body)).lower()


def drop_thebe(app: Sphinx, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if files is not None:
            files[:] = [f for f in files if not _mentions_thebe(f)]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
