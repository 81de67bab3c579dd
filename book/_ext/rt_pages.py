"""Generated pages: one per deal (book/deals/), one per company (book/companies/), the deals
explorer and the companies index, written from the ledger before Sphinx looks for sources.

Each generated file holds only a directive (`rt-page`) naming its page; the directive builds
docutils nodes from an `analysis.deal_pages.Page`: the title as a text node (escaped by the
HTML writer wherever the theme prints it, and kept out of typographic-quote conversion so the
ledger's text shows exactly as written) and HTML blocks built by `analysis.render`. Ledger
text is never parsed as Markdown. The file also records a hash of its page, so Sphinx re-reads
exactly the pages whose content changed.

Deal and company pages are orphans: reached from the explorer and the companies index, never
listed in the sidebar (with hundreds of deals the sidebar would be rebuilt on every page).
"Discussed in" on a deal page lists the chapters that link to it, found in the chapters'
doctrees (their links are often produced by code), and is refreshed when those links change.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

FOLDERS = ("book/deals", "book/companies")
DEAL_LINK = re.compile(r"deals/([a-z0-9][a-z0-9-]*)(?:\.html|\.md)?")
ORPHAN = re.compile(r"\A---\s*\n(?:.*\n)*?orphan:\s*true\s*\n(?:.*\n)*?---", re.MULTILINE)


# --- Writing the page files ------------------------------------------------------------------------


def _dataset(app: Sphinx):
    if getattr(app, "_rt_dataset", None) is None:
        import analysis

        app._rt_dataset = analysis.load(Path(app.confdir) / "data")
    return app._rt_dataset


def _pages(app: Sphinx) -> dict:
    """Every generated page by its key ('deals/<id>', 'companies/<id>'), rendered once per build."""
    if getattr(app, "_rt_pages", None) is None:
        from analysis import company_pages, deal_pages

        ds = _dataset(app)
        app._rt_pages = {f"deals/{p.name}": p for p in deal_pages.pages(ds)}
        app._rt_pages |= {f"companies/{p.name}": p for p in company_pages.pages(ds)}
    return app._rt_pages


def _fingerprint(page) -> str:
    digest = hashlib.sha256(page.title.encode() + b"\0" + page.prose.encode())
    for heading, block in page.blocks:
        digest.update(b"\0" + str(heading).encode() + b"\0" + str(block).encode())
    return digest.hexdigest()


def page_source(key: str, page) -> str:
    front = "---\norphan: true\n---\n" if page.orphan else ""
    return (
        f"{front}% Generated from the ledger by book/_ext/rt_pages.py at build time: edit data/ or analysis/, not this file.\n"
        f"% page content sha256 {_fingerprint(page)}\n\n"
        f"````{{rt-page}} {key}\n{page.prose}\n````\n"
    )


def write_pages(app: Sphinx) -> None:
    """Write every generated page whose content changed; remove pages of agreements and
    companies that are gone. An invalid ledger stops the build here."""
    from rt_ledger_cache import current_hash

    root = Path(app.confdir)
    stamp = root / "book" / "deals" / ".pages.sha256"
    current = current_hash(app)
    if stamp.exists() and stamp.read_text() == current and all((root / f / "index.md").exists() for f in FOLDERS):
        return  # the ledger has not changed since these pages were written
    wanted = {root / "book" / f"{key}.md": page_source(key, page) for key, page in _pages(app).items()}
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
        for stale in set((root / folder).glob("*.md")) - set(wanted):
            stale.unlink()
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")  # unchanged pages keep their mtime: no re-read
    stamp.write_text(current)


def build_orphans(app: Sphinx, config) -> None:
    """Jupyter Book excludes every file missing from _toc.yml; pages marked `orphan: true`
    (generated pages, the execution report) are built all the same, linked from other pages."""
    kept = []
    for pattern in config.exclude_patterns:
        path = Path(app.srcdir) / pattern
        if path.suffix == ".md" and path.is_file() and ORPHAN.match(path.read_text(encoding="utf-8")[:2000]):
            continue
        kept.append(pattern)
    config.exclude_patterns = kept


# --- The directive -----------------------------------------------------------------------------------


class RtPage(SphinxDirective):
    """```{rt-page} deals/<agreement_id>``` — the whole page; its content (our own MyST prose)
    is parsed under the title."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        from analysis.deal_pages import DISCUSSED_IN, PROSE

        key = self.arguments[0]
        page = _pages(self.env.app)[key]
        self.env.note_dependency(__file__)
        section = nodes.section(classes=["rt-page"], support_smartquotes=False)
        section["names"].append(page.name if key.startswith("deals/") and page.name != "index" else key.replace("/", "-"))
        self.state.document.note_explicit_target(section)
        section += nodes.title(page.title, page.title)
        current = section
        blocks = page.blocks if any(b == PROSE for _, b in page.blocks) else [(None, PROSE), *page.blocks]
        for heading, block in blocks:
            if heading is not None:
                current = nodes.section(ids=[nodes.make_id(heading)], names=[nodes.fully_normalize_name(heading)])
                current += nodes.title(heading, heading)
                section += current
            if block == PROSE:
                if self.content:
                    prose = nodes.container(classes=["rt-page-prose"])
                    self.state.nested_parse(self.content, self.content_offset, prose)
                    current += prose
            elif block == DISCUSSED_IN:
                current += nodes.paragraph("", "", rt_discussed_in=page.name)
            else:
                current += nodes.raw("", str(block), format="html")
        return [section]


# --- Chapters that discuss a deal ----------------------------------------------------------------------


def _generated(docname: str) -> bool:
    return any(docname.startswith(f + "/") for f in FOLDERS)


def collect_deal_links(app: Sphinx, doctree) -> None:
    env = app.env
    if not hasattr(env, "rt_mentions"):
        env.rt_mentions = {}
    if _generated(env.docname):
        return
    found = set()
    for node in doctree.findall(lambda n: isinstance(n, (nodes.Element, nodes.raw))):
        if isinstance(node, nodes.raw):
            found |= set(DEAL_LINK.findall(node.astext()))
        for attribute in ("refuri", "reftarget"):
            value = node.get(attribute) if isinstance(node, nodes.Element) else None
            if value:
                found |= set(DEAL_LINK.findall(value))
    if found:
        env.rt_mentions[env.docname] = found
    else:
        env.rt_mentions.pop(env.docname, None)


def purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "rt_mentions", {}).pop(docname, None)


def merge(app: Sphinx, env, docnames, other) -> None:
    env.rt_mentions = {**getattr(env, "rt_mentions", {}), **getattr(other, "rt_mentions", {})}


def _backlinks(env) -> dict[str, list[str]]:
    chapters: dict[str, list[str]] = {}
    for docname, agreements in sorted(getattr(env, "rt_mentions", {}).items()):
        for agreement in agreements:
            chapters.setdefault(agreement, []).append(docname)
    return chapters


def refresh_backlinks(app: Sphinx, env) -> list[str]:
    """Deal pages whose list of chapters changed are written again even if not re-read."""
    now = _backlinks(env)
    before = getattr(env, "rt_backlinks_written", {})
    env.rt_backlinks_written = now
    changed = {a for a in set(now) | set(before) if now.get(a) != before.get(a)}
    return [d for d in (f"book/deals/{a}" for a in sorted(changed)) if d in env.found_docs]


def fill_discussed_in(app: Sphinx, doctree, docname: str) -> None:
    for placeholder in list(doctree.findall(lambda n: isinstance(n, nodes.paragraph) and "rt_discussed_in" in n)):
        chapters = _backlinks(app.env).get(placeholder["rt_discussed_in"], [])
        if not chapters:
            placeholder.parent.remove(placeholder)
            continue
        paragraph = nodes.paragraph(classes=["rt-discussed-in"])
        paragraph += nodes.strong("", "Discussed in: ")
        for i, chapter in enumerate(chapters):
            if i:
                paragraph += nodes.Text(", ")
            title = app.env.titles[chapter].astext() if chapter in app.env.titles else chapter
            paragraph += nodes.reference("", title, internal=True, refuri=app.builder.get_relative_uri(docname, chapter))
        placeholder.replace_self(paragraph)


def explorer_script(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Only the explorer loads its script."""
    if pagename == "book/deals/index":
        app.add_js_file("explorer.js", loading_method="defer")


def setup(app: Sphinx) -> dict:
    app.add_directive("rt-page", RtPage)
    app.connect("config-inited", build_orphans, priority=950)  # after sphinx-external-toc (900)
    app.connect("builder-inited", write_pages)
    app.connect("doctree-read", collect_deal_links)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-updated", refresh_backlinks)
    app.connect("doctree-resolved", fill_discussed_in)
    app.connect("html-page-context", explorer_script)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
