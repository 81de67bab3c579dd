"""Sphinx extension for Round Trip: self-hosted Vega on chart pages only, and a notebook
cache that knows about the ledger.

jupyter-cache keys a notebook on its code cells alone, so editing a CSV would otherwise
publish stale numbers. Here the ledger's content (data/ and analysis/) is hashed; when the
hash changes, every chapter that imports `analysis` is marked outdated and its cache record
dropped, so exactly those chapters re-execute. Prose edits leave code and ledger untouched,
so they re-execute nothing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
READS_LEDGER = re.compile(r"^\s*(from|import)\s+analysis\b", re.MULTILINE)
VEGA_BUNDLE = "vega-bundle.js"


def ledger_hash(root: Path) -> str:
    digest = hashlib.sha256()
    files = sorted([*root.glob("data/*.csv"), root / "data" / "datapackage.json", *root.glob("analysis/**/*.py")])
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _hash_file(app: Sphinx) -> Path:
    return Path(app.config.nb_execution_cache_path) / "ledger.sha256"


def _ledger_docs(app: Sphinx, env) -> list[str]:
    docs = []
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix in (".md", ".ipynb") and READS_LEDGER.search(path.read_text(encoding="utf-8")):
            docs.append(docname)
    return sorted(docs)


def mark_ledger_chapters(app: Sphinx, env, added, changed, removed):
    root = Path(app.confdir)
    app._rt_ledger_hash = ledger_hash(root)
    stored = _hash_file(app)
    previous = stored.read_text().strip() if stored.exists() else ""
    if previous == app._rt_ledger_hash:
        return []
    docs = _ledger_docs(app, env)
    _drop_cache_records(app, [Path(env.doc2path(d)).resolve() for d in docs])
    if previous:
        logger.info(f"[roundtrip] ledger changed: re-executing {len(docs)} chapter(s) that read it: {', '.join(docs)}")
    return docs


def _drop_cache_records(app: Sphinx, paths: list[Path]) -> None:
    cache_dir = Path(app.config.nb_execution_cache_path)
    if not cache_dir.exists():
        return
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    wanted = {str(p) for p in paths}
    for record in cache.list_cache_records():
        if str(Path(record.uri).resolve()) in wanted:
            cache.remove_cache(record.pk)


def remember_ledger(app: Sphinx, exception) -> None:
    if exception is None and getattr(app, "_rt_ledger_hash", None):
        path = _hash_file(app)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(app._rt_ledger_hash + "\n")


def publish_data(app: Sphinx, exception) -> None:
    """Put the data release beside the site: `python -m analysis publish` (analysis/publish.py)
    writes each declared table, the package, the licence, the reconciled flows and a
    deterministic zip, with spreadsheet formulas neutralised; kept when the ledger is unchanged."""
    if exception is not None or app.builder.format != "html":
        return
    from analysis.publish import publish

    publish(
        Path(app.confdir) / "data",
        Path(app.outdir) / "data",
        dataset=getattr(app, "_rt_dataset", None),
        stamp=Path(app.outdir).parent / ".published-ledger.sha256",  # beside the site, not in it
    )


# The theme's sidebar toggles are <summary> elements holding only an icon; screen readers
# announce nothing. Each gets a name (this is the whole of the change, applied to every page).
NAMELESS_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = '<summary aria-label="Show or hide the pages in this section"><span class="toctree-toggle" role="presentation">'


def name_sidebar_toggles(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if NAMELESS_TOGGLE in text:
            page.write_text(text.replace(NAMELESS_TOGGLE, NAMED_TOGGLE), encoding="utf-8")


def write_vega_bundle(app: Sphinx, config) -> None:
    """Serve Vega from the site itself: no CDN, nothing leaves the reader's machine."""
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
    config.html_static_path.append(str(static))


def drop_thebe(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The book has no live-code (Thebe) buttons, yet sphinx-thebe injects its script and an
    inline `const THEBE_JS_URL` twice under Sphinx 7.4, a SyntaxError on every page."""
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if files is None:
            continue
        kept = [
            f
            for f in files
            if "thebe"
            not in (str(getattr(f, "filename", "") or "") + str(f.attributes.get("body", "") if hasattr(f, "attributes") else "")).lower()
        ]
        files[:] = kept


def chart_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Only pages that show a chart load the Vega bundle."""
    if 'class="rt-chart"' in context.get("body", ""):
        app.add_js_file(VEGA_BUNDLE, priority=600)
        app.add_js_file("charts.js", priority=601)


def write_deal_pages(app: Sphinx) -> None:
    """One page per agreement, regenerated from the ledger before Sphinx looks for sources.
    An invalid ledger stops the build here, before anything is written to the site."""
    import analysis
    from analysis import deal_pages

    root = Path(app.confdir)
    folder = root / "book" / "deals"
    stamp = folder / ".ledger.sha256"
    current = ledger_hash(root)
    if (folder / "index.md").exists() and stamp.exists() and stamp.read_text() == current:
        return  # the ledger has not changed since these pages were written
    app._rt_dataset = analysis.load(root / "data")  # loaded once per build, reused by publish_data
    deal_pages.write(app._rt_dataset, folder)
    stamp.write_text(current)


def stamp_pages(app: Sphinx, config) -> None:
    """Every page names the ledger version and its last update (from datapackage.json, so two
    builds of the same ledger are identical), links the citation and states the licences."""
    import html
    import json

    package = json.loads((Path(app.confdir) / "data" / "datapackage.json").read_text(encoding="utf-8"))
    version, updated = html.escape(package.get("version", "")), html.escape(package.get("updated", ""))
    config.html_last_updated_fmt = None  # the build date would differ between identical builds
    app._rt_footer = (
        f'<p class="rt-footer">Ledger version {version}, last updated {updated}. '
        '<a href="CITE_URL">Cite this book and data</a>. '
        "Code under the MIT licence; data under CC BY 4.0.</p>"
    )
    config.html_theme_options["extra_footer"] = app._rt_footer


def footer_links(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The footer's link to the citation page, relative to each page."""
    if "pathto" in context and getattr(app, "_rt_footer", None):
        context["theme_extra_footer"] = app._rt_footer.replace("CITE_URL", context["pathto"]("book/cite"))


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
    """The theme ships the whole Font Awesome solid font (about 150 KB) for a handful of icons.
    Serve a subset with only the icons the themes use; roundtrip.css points the font at it."""
    import pydata_sphinx_theme
    import sphinx_book_theme
    from fontTools import subset

    themes = [Path(pydata_sphinx_theme.__file__).parent, Path(sphinx_book_theme.__file__).parent]
    source = themes[0] / "theme" / "pydata_sphinx_theme" / "static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    target = Path(app.outdir).parent / "roundtrip-static" / ICON_FONT
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = target.with_suffix(".themes")
    wanted = f"pydata-sphinx-theme {pydata_sphinx_theme.__version__}, sphinx-book-theme {sphinx_book_theme.__version__}"
    if target.exists() and stamp.exists() and stamp.read_text() == wanted:
        return  # same themes, same icons: skip rescanning them on every rebuild
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
    app.connect("config-inited", write_vega_bundle)
    app.connect("config-inited", subset_icon_font)
    app.connect("config-inited", stamp_pages)
    app.connect("builder-inited", write_deal_pages)
    app.connect("env-get-outdated", mark_ledger_chapters)
    app.connect("html-page-context", chart_scripts)
    app.connect("html-page-context", drop_thebe, priority=900)
    app.connect("html-page-context", footer_links)
    app.connect("build-finished", remember_ledger)
    app.connect("build-finished", publish_data)
    app.connect("build-finished", name_sidebar_toggles)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
