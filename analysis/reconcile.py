"""From claims to confidence: what each source says about each field, and what stands.

The ledger's row holds the standing value. Each claim either agrees with it, conflicts with it
(and says why the ledger's value stands), was superseded by later events, or cannot be checked.

Confidence of a field:
- confirmed: a primary source (company announcement, filing, regulator) or two independent
  outlets (different publishers, seed articles excluded) agree with the standing value;
- contested: some source conflicts and the standing value is not confirmed, so the
  disagreement is not explained by better evidence;
- single-source: otherwise (one outlet, or only a seed article).
A flow takes the weakest confidence of its deal figures (amounts, date, capacity, term);
whether the money was paid is sourced too, but does not change how sure we are of the deal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .claims import DEAL_FIGURES, OUTLET_KINDS, PRIMARY_KINDS, held_values

if TYPE_CHECKING:
    from .dataset import Dataset

CONFIRMED, SINGLE, CONTESTED = "confirmed", "single-source", "contested"
CONFIDENCE_ORDER = (CONTESTED, SINGLE, CONFIRMED)  # weakest first


def field_confidence(claims: pd.DataFrame) -> str:
    """Confidence of one (subject, field) from its claims joined with their sources' kind and publisher."""
    agreeing = claims[claims["verdict"] == "agrees"]
    primary = agreeing["source_kind"].isin(PRIMARY_KINDS).any()
    outlets = agreeing.loc[agreeing["source_kind"].isin(OUTLET_KINDS), "publisher"].str.casefold().nunique()
    if primary or outlets >= 2:
        return CONFIRMED
    if (claims["verdict"] == "conflicts").any():
        return CONTESTED
    return SINGLE


def reconcile(ds: Dataset) -> pd.DataFrame:
    """One row per (subject, field) that has claims: the standing value, the claims by verdict,
    the computed confidence and the conflicting claims with their notes."""
    claims = _claims_with_sources(ds)
    held = held_values(as_cells(ds.flows), as_cells(ds.agreements))
    rows = []
    for (subject, subject_id, field), group in claims.groupby(["subject", "subject_id", "field"], sort=True):
        standing = held.get((subject, subject_id), {}).get(field, "")
        conflicts = group[group["verdict"] == "conflicts"]
        rows.append(
            {
                "subject": subject,
                "subject_id": subject_id,
                "field": field,
                "standing_value": standing,
                "claims": len(group),
                "agrees": int((group["verdict"] == "agrees").sum()),
                "conflicts": len(conflicts),
                "superseded": int((group["verdict"] == "superseded").sum()),
                "unverified": int((group["verdict"] == "unverified").sum()),
                "confidence": field_confidence(group),
                "sources": sorted(group.loc[group["verdict"] == "agrees", "source_id"]),
                "conflicting": [
                    {"source_id": r.source_id, "publisher": r.publisher, "value": r.value, "note": r.note} for r in conflicts.itertuples()
                ],
            }
        )
    return pd.DataFrame(rows)


def flow_confidence(ds: Dataset) -> dict[str, str]:
    """flow_id -> the weakest confidence among the flow's sourced figures."""
    table = reconcile(ds)
    table = table[(table["subject"] == "flow") & table["field"].isin(DEAL_FIGURES)]
    rank = {c: i for i, c in enumerate(CONFIDENCE_ORDER)}
    weakest = table.groupby("subject_id")["confidence"].agg(lambda s: min(s, key=rank.__getitem__))
    return weakest.to_dict()


def conflicts(ds: Dataset) -> pd.DataFrame:
    """Every conflicting or superseded claim beside the value that stands, for the method chapter."""
    claims = _claims_with_sources(ds)
    table = claims[claims["verdict"].isin(["conflicts", "superseded"])].copy()
    standing = reconcile(ds).set_index(["subject", "subject_id", "field"])["standing_value"]
    table["standing_value"] = [standing.get((s, i, f), "") for s, i, f in zip(table["subject"], table["subject_id"], table["field"])]
    return table[
        [
            "claim_id",
            "subject",
            "subject_id",
            "field",
            "value",
            "standing_value",
            "verdict",
            "source_id",
            "publisher",
            "source_kind",
            "note",
        ]
    ].reset_index(drop=True)


def as_cells(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Rows of a typed table back as CSV cells, so derived values match the validator's."""

    def cell(value) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, pd.Timestamp):
            return ""
        return str(value)

    return [{k: cell(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _claims_with_sources(ds: Dataset) -> pd.DataFrame:
    claims = ds.claims.copy()
    claims["subject"] = claims["flow_id"].notna().map({True: "flow", False: "agreement"})
    claims["subject_id"] = claims["flow_id"].fillna(claims["agreement_id"])
    sources = ds.sources.set_index("source_id")
    claims["source_kind"] = claims["source_id"].map(sources["kind"])
    claims["publisher"] = claims["source_id"].map(sources["publisher"])
    return claims
