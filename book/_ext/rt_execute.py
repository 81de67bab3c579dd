"""Chapters execute in parallel, before Sphinx reads them.

myst-nb executes a chapter when Sphinx reads it, one after another, and most of a chapter's
time is its own kernel (importing, computing, rendering charts) while the builder waits. Here,
just before reading, every chapter that is about to be read and has no matching record in the
jupyter-cache is executed — one kernel per core at a time — and its result stored in that cache
exactly as myst-nb would store it. myst-nb then finds the record and executes nothing.

A chapter that fails is not stored: myst-nb executes it again in its turn and reports the
error where it always has (tools/build.py names the chapter, cell and line from that report).
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def workers() -> int:
    """Kernels at a time: one per core, or ROUND_TRIP_EXECUTE_WORKERS."""
    return max(1, int(os.environ.get("ROUND_TRIP_EXECUTE_WORKERS") or os.cpu_count() or 1))


def _read(env, docname: str):
    """The chapter as myst-nb's parser reads it (same reader, same kernel alias), or None
    for a page that is not a notebook or is excluded from execution."""
    from myst_nb.core.read import create_nb_reader

    path = Path(env.doc2path(docname))
    nb_config = env.mystnb_config
    if path.suffix not in (".md", ".ipynb") or any(PurePosixPath(path.as_posix()).match(p) for p in nb_config.execution_excludepatterns):
        return None
    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    for pattern, alias in nb_config.kernel_rgx_aliases.items():
        if kernel is not None and re.fullmatch(pattern, kernel):
            notebook.metadata["kernelspec"]["name"] = alias
            break
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return None
    return path, notebook, reader.read_fmt


def execute_stale(app: Sphinx, env, docnames: list[str]) -> None:
    nb_config = env.mystnb_config
    if nb_config.execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    cache = get_cache(nb_config.execution_cache_path or ".jupyter_cache")
    stale = []
    for docname in sorted(docnames):
        chapter = _read(env, docname)
        if chapter is None:
            continue
        try:
            cache.match_cache_notebook(chapter[1])
        except KeyError:
            stale.append(chapter)
    if len(stale) < 2:
        return  # nothing to overlap: myst-nb executes it in its turn

    def run(chapter):
        path, notebook, _ = chapter
        return single_nb_execution(
            notebook,
            cwd=str(path.parent),
            allow_errors=nb_config.execution_allow_errors,
            timeout=nb_config.execution_timeout,
            meta_override=True,
        )

    count = min(workers(), len(stale))
    logger.info(f"[roundtrip] executing {len(stale)} chapter(s), {count} at a time")
    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(run, stale))
    # The cache is one SQLite file: records are written here, in the builder's own thread.
    for (path, notebook, read_fmt), result in zip(stale, results):
        if result.err is not None:
            logger.info(f"[roundtrip] {path}: failed in parallel; executed again below to report the error")
            continue
        record = cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt else cache.add_nb_to_project(str(path))
        cache.cache_notebook_bundle(
            CacheBundleIn(notebook, record.uri, data={"execution_seconds": result.time}), check_validity=False, overwrite=True
        )
        logger.info(f"[roundtrip] {path}: executed in parallel in {result.time:.2f} s")


def setup(app: Sphinx) -> dict:
    # After rt_ledger_cache has dropped the records a ledger change made stale
    # (env-get-outdated), before the first chapter is read.
    app.connect("env-before-read-docs", execute_stale)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
