"""Self-hosted Vega, loaded on chart pages only: no CDN, nothing leaves the reader's machine."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

VEGA_BUNDLE = "vega-bundle.js"


def write_vega_bundle(app: Sphinx, config) -> None:
    import vl_convert

    static = Path(app.outdir).parent / "roundtrip-static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = static / VEGA_BUNDLE
    # The bundle declares top-level names (such as `_`) that clash with other scripts on the
    # page; a function scope keeps them private. It still sets window.vegaEmbed itself.
    stamp = bundle.with_suffix(".version")
    version = f"vl-convert {vl_convert.__version__}"
    if not (bundle.exists() and stamp.exists() and stamp.read_text() == version):  # bundling takes ~2 s
        bundle.write_text("(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n", encoding="utf-8")
        stamp.write_text(version)
    if str(static) not in config.html_static_path:  # shared with rt_icons' font
        config.html_static_path.append(str(static))


def chart_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Only pages that show a chart load the Vega bundle."""
    if 'class="rt-chart"' in context.get("body", ""):
        app.add_js_file(VEGA_BUNDLE, priority=600)
        app.add_js_file("charts.js", priority=601)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", write_vega_bundle)
    app.connect("html-page-context", chart_scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
