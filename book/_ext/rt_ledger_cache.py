"""A notebook cache that knows about the ledger.

jupyter-cache keys a notebook on its code cells alone, so editing a CSV would otherwise publish
stale numbers. The ledger's content (data/, the seed articles and analysis/) is hashed; when the hash changes,
every chapter that imports `analysis` is marked outdated and its cache record dropped, so
exactly those chapters re-execute. Prose edits leave code and ledger untouched, so they
re-execute nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
READS_LEDGER = re.compile(r"^\s*(from|import)\s+analysis\b", re.MULTILINE)


def ledger_hash(root: Path) -> str:
    """One hash of everything a chapter's numbers depend on besides its own code: the one the
    analysis package keys its own cache on (the data folder, the seed articles' names, the
    package's code)."""
    from analysis.dataset import default_seeds_dir
    from analysis.dataset import ledger_hash as content_hash

    data = root / "data"
    return content_hash(data, default_seeds_dir(data))


def _hash_file(app: Sphinx) -> Path:
    return Path(app.config.nb_execution_cache_path) / "ledger.sha256"


def _ledger_docs(env) -> list[str]:
    docs = []
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix in (".md", ".ipynb") and READS_LEDGER.search(path.read_text(encoding="utf-8")):
            docs.append(docname)
    return sorted(docs)


def _drop_cache_records(app: Sphinx, chapters: list[str]) -> None:
    """Drop the cache records of these chapters (paths relative to the book's root). A record
    is matched on the end of its path, so a cache copied from another checkout (the tests build
    copies that start from `make book`'s cache) is dropped too: myst-nb would otherwise reuse
    it, as it matches notebooks on their code alone."""
    cache_dir = Path(app.config.nb_execution_cache_path)
    if not cache_dir.exists():
        return
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    endings = tuple("/" + c for c in chapters)
    for record in cache.list_cache_records():
        if Path(record.uri).resolve().as_posix().endswith(endings):
            cache.remove_cache(record.pk)


def current_hash(app: Sphinx) -> str:
    """The ledger's hash, computed once per build (the ledger does not change during one)."""
    if getattr(app, "_rt_ledger_hash", None) is None:
        app._rt_ledger_hash = ledger_hash(Path(app.confdir))
    return app._rt_ledger_hash


def ledger_changed(app: Sphinx) -> bool:
    """Whether the ledger differs from the one the cached chapters were executed with."""
    stored = _hash_file(app)
    return not stored.exists() or stored.read_text().strip() != current_hash(app)


def mark_ledger_chapters(app: Sphinx, env, added, changed, removed):
    stored = _hash_file(app)
    previous = stored.read_text().strip() if stored.exists() else ""
    if not ledger_changed(app):
        return []
    docs = _ledger_docs(env)
    root = Path(app.confdir).resolve()
    _drop_cache_records(app, [Path(env.doc2path(d)).resolve().relative_to(root).as_posix() for d in docs])
    if previous:
        logger.info(f"[roundtrip] ledger changed: re-executing {len(docs)} chapter(s) that read it: {', '.join(docs)}")
    return docs


def remember_ledger(app: Sphinx, exception) -> None:
    if exception is None and getattr(app, "_rt_ledger_hash", None):
        path = _hash_file(app)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(app._rt_ledger_hash + "\n")


def setup(app: Sphinx) -> dict:
    app.connect("env-get-outdated", mark_ledger_chapters)
    app.connect("build-finished", remember_ledger)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
