"""Chapters execute in parallel, before Sphinx reads them, in warm kernels.

myst-nb executes a chapter when Sphinx reads it, one after another, each in a new kernel that
spends about a second starting, importing pandas, Altair and the analysis package and starting
the chart renderer before the chapter's first line runs. Here, just before reading, every
chapter that is about to be read and has no matching record in the jupyter-cache is executed,
one worker per core, and its result stored in that cache exactly as myst-nb would store it;
myst-nb then finds the record and executes nothing.

Each worker keeps one kernel for the chapters it runs: before each chapter the kernel's
namespace is emptied (`%reset -f`), its working directory set and its execution counter
restarted, so a chapter sees what a new kernel shows it — only modules already imported stay
imported, which is the saving. A chapter that fails retires its worker's kernel, is not
stored, and myst-nb executes it again in its turn in a new kernel and reports the error where
it always has (tools/build.py names the chapter, cell and line from that report).
ROUND_TRIP_FRESH_KERNELS=1 gives every chapter a new kernel instead; the build tests build one
copy that way and require the same site byte for byte.
"""

from __future__ import annotations

import os
import queue
import re
import threading
import time
import traceback
from pathlib import Path, PurePosixPath

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def workers() -> int:
    """Kernels at a time: one per core, or ROUND_TRIP_EXECUTE_WORKERS."""
    return max(1, int(os.environ.get("ROUND_TRIP_EXECUTE_WORKERS") or os.cpu_count() or 1))


def fresh_kernels() -> bool:
    return os.environ.get("ROUND_TRIP_FRESH_KERNELS", "") not in ("", "0")


# Run silently (no output, no history) before each chapter in a warm kernel.
RESET = """get_ipython().run_line_magic("reset", "-f")
import os as _os
_os.chdir({cwd!r})
del _os
get_ipython().execution_count = 1
"""


# What every chapter imports first, run once in each new kernel while the builder is still
# starting: the data and chart libraries, and the chart renderer's JavaScript engine.
WARM_UP = """import analysis
from analysis import figures
import vl_convert
vl_convert.vegalite_to_svg({"mark": "point"})
"""


class Worker:
    """Runs chapters one after another, in one kernel while they succeed."""

    def __init__(self) -> None:
        self.km = None

    def warm_up(self, kernel: str = "python3") -> None:
        """Start a kernel and import what chapters import, before any chapter is known."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        async def start() -> None:
            self.km = AsyncKernelManager(kernel_name=kernel)
            await self.km.start_kernel()
            client = self.km.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
                await client.execute_interactive(WARM_UP, silent=True, store_history=False, timeout=120)
            finally:
                client.stop_channels()

        try:
            run_sync(start)()
        except Exception as error:  # noqa: BLE001 - a cold kernel is started again for the first chapter
            logger.info(f"[roundtrip] warming a kernel failed ({error}); chapters start their own")
            self.close()

    def run(self, path: Path, notebook, timeout: int, allow_errors: bool):
        from jupyter_cache.executors.utils import ExecutionResult
        from jupyter_client.manager import AsyncKernelManager
        from nbclient import NotebookClient

        meta = notebook.metadata.get("execution", {})  # per-notebook overrides, as jupyter-cache reads them
        timeout, allow_errors = meta.get("timeout", timeout), meta.get("allow_errors", allow_errors)
        cwd = str(path.parent)
        kernel = notebook.metadata.get("kernelspec", {}).get("name", "python3")
        if self.km is not None and self.km.kernel_name != kernel:
            self.close()
        if self.km is None:
            self.km = AsyncKernelManager(kernel_name=kernel)
        client = NotebookClient(
            notebook, km=self.km, timeout=timeout, allow_errors=allow_errors, record_timing=False, resources={"metadata": {"path": cwd}}
        )

        async def reset(notebook) -> None:
            await client.async_wait_for_reply(client.kc.execute(RESET.format(cwd=cwd), silent=True, store_history=False))

        client.on_notebook_start = reset
        started = time.perf_counter()
        try:
            client.execute()
        except Exception as error:  # noqa: BLE001 - reported by myst-nb's own run of the chapter
            self.close()
            return ExecutionResult(notebook, cwd, time.perf_counter() - started, error, traceback.format_exc())
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
        if fresh_kernels():
            self.close()
        return ExecutionResult(notebook, cwd, time.perf_counter() - started, None, None)

    def close(self) -> None:
        if self.km is not None:
            from jupyter_core.utils import run_sync

            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None


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


class Pool:
    """`size` workers, each a thread with its kernel; started warm (kernels importing what
    chapters import) as soon as the build starts, or cold when chapters turn out stale."""

    def __init__(self, size: int, *, warm: bool) -> None:
        self.size = size
        self.tasks: queue.Queue = queue.Queue()
        self.threads = [threading.Thread(target=self._work, args=(warm,), name=f"rt-execute-{n}", daemon=True) for n in range(size)]
        for thread in self.threads:
            thread.start()

    def _work(self, warm: bool) -> None:
        worker = Worker()
        try:
            if warm:
                worker.warm_up()
            while (task := self.tasks.get()) is not None:
                chapter, timeout, allow_errors, results, index = task
                results[index] = worker.run(*chapter, timeout, allow_errors)
        finally:
            worker.close()

    def run(self, chapters: list, timeout: int, allow_errors: bool) -> list:
        """Execute the (path, notebook) chapters; one result each, in order. Ends the pool."""
        results: list = [None] * len(chapters)
        for index, chapter in enumerate(chapters):
            self.tasks.put((chapter, timeout, allow_errors, results, index))
        self.stop()
        return results

    def stop(self) -> None:
        for _ in self.threads:
            self.tasks.put(None)
        for thread in self.threads:
            thread.join()


def warm_pool(app: Sphinx, config) -> None:
    """When chapters are bound to run (a cold cache, or the ledger changed since the last
    build: rt_ledger_cache then drops their records), start the kernels now, while Sphinx
    sets itself up."""
    if fresh_kernels() or config.nb_execution_mode != "cache":
        return
    from rt_ledger_cache import ledger_changed

    cache = Path(app.confdir) / config.nb_execution_cache_path
    if not cache.exists() or ledger_changed(app):
        app._rt_pool = Pool(workers(), warm=True)


def stop_pool(app: Sphinx, exception) -> None:
    pool, app._rt_pool = getattr(app, "_rt_pool", None), None
    if pool is not None:
        pool.stop()


def execute_stale(app: Sphinx, env, docnames: list[str]) -> None:
    nb_config = env.mystnb_config
    if nb_config.execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

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
    if not stale or (len(stale) < 2 and getattr(app, "_rt_pool", None) is None):
        stop_pool(app, None)
        return  # nothing to overlap and no warm kernel: myst-nb executes it in its turn

    pool = getattr(app, "_rt_pool", None) or Pool(min(workers(), len(stale)), warm=False)
    app._rt_pool = None
    kind = "new kernels" if fresh_kernels() else "warm kernels"
    logger.info(f"[roundtrip] executing {len(stale)} chapter(s), {pool.size} at a time in {kind}")
    results = pool.run([(path, notebook) for path, notebook, _ in stale], nb_config.execution_timeout, nb_config.execution_allow_errors)
    # The cache is one SQLite file: records are written here, in the builder's own thread.
    for (path, notebook, read_fmt), result in zip(stale, results):
        if result is None or result.err is not None:
            logger.info(f"[roundtrip] {path}: failed in parallel; executed again below to report the error")
            continue
        record = cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt else cache.add_nb_to_project(str(path))
        cache.cache_notebook_bundle(
            CacheBundleIn(notebook, record.uri, data={"execution_seconds": result.time}), check_validity=False, overwrite=True
        )
        logger.info(f"[roundtrip] {path}: executed in parallel in {result.time:.2f} s")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", warm_pool)
    # After rt_ledger_cache has dropped the records a ledger change made stale
    # (env-get-outdated), before the first chapter is read.
    app.connect("env-before-read-docs", execute_stale)
    app.connect("build-finished", stop_pool)  # kernels warmed for chapters that never came
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
