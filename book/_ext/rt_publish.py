"""The data release beside the site: each table, the package, a zip of it all, and the flows
with their computed confidence, under _build/html/data/."""

from __future__ import annotations

from pathlib import Path

from rt_ledger_cache import ledger_hash
from sphinx.application import Sphinx


def publish_data(app: Sphinx, exception) -> None:
    """Zip entries get a fixed timestamp so two builds give identical bytes."""
    if exception is not None or app.builder.format != "html":
        return
    import zipfile

    import analysis

    root = Path(app.confdir) / "data"
    out = Path(app.outdir) / "data"
    stamp = Path(app.outdir).parent / ".published-ledger.sha256"  # beside the site, not in it
    current = ledger_hash(Path(app.confdir))
    if (out / "round-trip-ledger.zip").exists() and stamp.exists() and stamp.read_text() == current:
        return  # already published from this exact ledger
    out.mkdir(parents=True, exist_ok=True)
    files = sorted([*root.glob("*.csv"), root / "datapackage.json", root / "LICENSE.md"])
    for path in files:
        (out / path.name).write_bytes(path.read_bytes())
    dataset = getattr(app, "_rt_dataset", None) or analysis.load(root)
    flows = dataset.flows
    published = flows.drop(columns=[c for c in flows.columns if c.endswith("_start")])
    (out / "flows_reconciled.csv").write_text(published.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    with zipfile.ZipFile(out / "round-trip-ledger.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in [*files, out / "flows_reconciled.csv"]:
            info = zipfile.ZipInfo(f"round-trip-ledger/{path.name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    stamp.write_text(current)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", publish_data)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
