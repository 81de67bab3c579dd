"""The data release beside the site, under _build/html/data/: `python -m analysis publish`
(analysis/publish.py) writes each declared table, the package, the licence, the reconciled
flows and a deterministic zip, with spreadsheet formulas neutralised. The build calls the same
function, so the release never differs from what the command makes."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx


def publish_data(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from analysis.publish import publish

    publish(
        Path(app.confdir) / "data",
        Path(app.outdir) / "data",
        dataset=getattr(app, "_rt_dataset", None),
        stamp=Path(app.outdir).parent / ".published-ledger.sha256",  # beside the site, not in it: kept when the ledger is unchanged
    )


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", publish_data)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
