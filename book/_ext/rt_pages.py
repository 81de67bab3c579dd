"""One page per agreement, generated from the ledger (analysis.deal_pages) before Sphinx looks
for sources. An invalid ledger stops the build here, before anything is written to the site."""

from __future__ import annotations

from pathlib import Path

from rt_ledger_cache import ledger_hash
from sphinx.application import Sphinx


def write_deal_pages(app: Sphinx) -> None:
    import analysis
    from analysis import deal_pages

    root = Path(app.confdir)
    folder = root / "book" / "deals"
    stamp = folder / ".ledger.sha256"
    current = ledger_hash(root)
    if (folder / "index.md").exists() and stamp.exists() and stamp.read_text() == current:
        return  # the ledger has not changed since these pages were written
    app._rt_dataset = analysis.load(root / "data")  # loaded once per build, reused by rt_publish
    deal_pages.write(app._rt_dataset, folder)
    stamp.write_text(current)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", write_deal_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
