"""Counts that describe the ledger at a glance (`python -m analysis summary`, `make summary`):
rows per table, kinds and verdicts, and how well the figures are sourced — claims by source
tier, figures by the best tier backing them, and every figure left unverified."""

from __future__ import annotations

import pandas as pd

from .claims import FLOW_FIGURES
from .dataset import Dataset
from .money import AGREEMENT_TOTALS
from .reconcile import reconcile
from .vocab import CONFIDENCE_LEVELS, TIERS, UNVERIFIED


def figures(ds: Dataset) -> pd.DataFrame:
    """The reconciled figures: leg figures (money, date, capacity, term) and agreement totals
    that hold a value."""
    table = reconcile(ds)
    leg = (table["subject"] == "flow") & table["field"].isin(FLOW_FIGURES)
    total = (table["subject"] == "agreement") & table["field"].isin(AGREEMENT_TOTALS)
    return table[(leg | total) & (table["standing_value"] != "")].reset_index(drop=True)


def summary_lines(ds: Dataset) -> list[str]:
    lines = [f"{ds.package.title} — version {ds.package.version}", ""]
    for table in ds.package.tables:
        lines.append(f"{table.name:<20} {len(ds.table(table.name)):>5} rows")
    tiers = ds.claims["source_id"].map(ds.sources.set_index("source_id")["tier"])
    shown = figures(ds)
    for title, series, order in (
        ("flows by kind", ds.flows["kind"], None),
        ("flows by confidence", ds.flows["confidence"], CONFIDENCE_LEVELS),
        ("sources by kind", ds.sources["kind"], None),
        ("sources by tier", ds.sources["tier"], TIERS),
        ("claims by verdict", ds.claims["verdict"], None),
        ("claims by source tier", tiers, TIERS),
        ("figures by best backing tier", shown["best_tier"].fillna("none"), (*TIERS, "none")),
        ("figures by confidence", shown["confidence"], CONFIDENCE_LEVELS),
        ("agreements by status", ds.agreements["status"], None),
    ):
        lines += ["", title]
        lines += _counts(series, order)
    unverified = shown[shown["confidence"] == UNVERIFIED]
    lines += ["", f"figures left unverified (backed only by content farms, AI digests or seeds): {len(unverified)}"]
    lines += [
        f"  {r.subject_id}  {r.field} = {r.standing_value}  [{', '.join(r.sources) or 'no agreeing source'}]"
        for r in unverified.itertuples()
    ]
    return lines


def _counts(series: pd.Series, order) -> list[str]:
    counts = series.value_counts()
    keys = list(order) if order else sorted(counts.index)
    total = int(counts.sum())
    return [f"  {k:<18} {int(counts.get(k, 0)):>5}  {counts.get(k, 0) / total:>6.1%}" for k in keys if total]
