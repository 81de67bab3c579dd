"""Counts that describe the ledger at a glance (`python -m analysis summary`)."""

from __future__ import annotations

from .dataset import Dataset


def summary_lines(ds: Dataset) -> list[str]:
    lines = [f"{ds.package.title} — version {ds.package.version}", ""]
    for table in ds.package.tables:
        lines.append(f"{table.name:<20} {len(ds.table(table.name)):>5} rows")
    for title, series in (
        ("flows by kind", ds.flows["kind"]),
        ("flows by confidence", ds.flows["confidence"]),
        ("sources by kind", ds.sources["kind"]),
        ("claims by verdict", ds.claims["verdict"]),
        ("agreements by status", ds.agreements["status"]),
    ):
        lines += ["", title]
        for value, count in series.value_counts().sort_index().items():
            lines.append(f"  {value:<18} {count:>5}")
    return lines
