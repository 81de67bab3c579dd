"""An incremental build publishes the same site as a cold one.

Two parts of the site are assembled from the pages written in *this* build, so a rebuild that
rewrites a few pages (a prose edit, a CSV edit) would publish them incomplete:
- sphinx-sitemap lists only the pages it saw written (jdillard/sphinx-sitemap#13, open): every
  page of the book is added back before it writes sitemap.xml, in a fixed order;
- Sphinx's search index keeps a page's index entries (the glossary's terms) only while that
  page is written, so the pages that hold index entries are rewritten on every build (they
  are few and small); and it keeps every word a rewritten page no longer has, with no page,
  so those are dropped before the index is written.
"""

from __future__ import annotations

import queue

from sphinx.application import Sphinx


def pages_with_index_entries(app: Sphinx, env, added, changed, removed) -> list[str]:
    entries = env.domains["index"].entries  # docname -> index entries found when it was read
    return sorted(docname for docname, found in entries.items() if found and docname in env.found_docs)


def complete_sitemap(app: Sphinx, exception) -> None:
    links = getattr(app.env.app, "sitemap_links", None)
    if exception is not None or links is None or links.empty():
        return  # nothing written: the sitemap of the last build stands
    seen = {}
    while True:
        try:
            link, updated = links.get_nowait()
        except queue.Empty:
            break
        seen[link] = updated
    excluded = app.config.sitemap_excludes
    from sphinx_sitemap import is_excluded

    order = {}  # page order, as a cold build writes them
    for docname in sorted(app.env.found_docs):
        link = app.builder.get_target_uri(docname)
        order[link] = len(order)
        if not is_excluded(link, excluded):
            seen.setdefault(link, None)
    for link in sorted(seen, key=lambda link: (order.get(link, len(order)), link)):
        links.put((link, seen[link]))


def drop_words_without_pages(app: Sphinx) -> list:
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:  # Sphinx 7.4's IndexBuilder keeps these two maps privately
        for words in (indexer._mapping, indexer._title_mapping):
            for word in [w for w, pages in words.items() if not pages]:
                del words[word]
    return []  # html-collect-pages: no extra pages, just a hook before the index is written


def setup(app: Sphinx) -> dict:
    app.connect("html-collect-pages", drop_words_without_pages)
    app.connect("env-get-outdated", pages_with_index_entries)
    app.connect("build-finished", complete_sitemap, priority=400)  # before sphinx-sitemap's (500)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
