"""From claims to confidence: what each source says about each figure, and what stands.

The ledger's row holds the standing value. Each claim either agrees with it, conflicts with it
(and says why the ledger's value stands), was superseded by later events, or cannot be checked.

Confidence of one figure (a leg's amount, ceiling, paid amount, date, capacity or term, or an
agreement's total):
- confirmed: a primary source (the company, a filing, a regulator) agrees, or two independent
  publishers that are not content farms or AI digests agree. Independent means different
  original publishers: a copy or a rewrite of Reuters is Reuters;
- contested: a source that is not a content farm or AI digest states a different value, and
  the standing value is not confirmed (a digest can no more dispute a figure than back it);
- single-source: one publisher (not a digest) agrees and nothing conflicts;
- unverified: only content farms, AI digests or seed articles back it. The figure is still
  shown, with this label, never hidden.
A leg's badge follows its money figures (firm amount, ceiling, paid): the weakest of them. A
leg with no dollar figure follows its capacity and term, and failing those its date.

`load()` runs this on every chapter, so it counts with numpy over integer group codes and
joins by position: no pandas operation per figure, and time grows linearly with the claims.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .claims import FLOW_FIELDS, MONEY_FIGURES
from .money import agreement_totals
from .vocab import CONFIDENCE_LEVELS, CONFIRMED, CONTESTED, SINGLE, TIERS, UNVERIFIED

if TYPE_CHECKING:
    from .dataset import Dataset

CONFIDENCE_ORDER = tuple(reversed(CONFIDENCE_LEVELS))  # weakest first
KEY = ["subject", "subject_id", "field"]
TIER_RANK = {t: i for i, t in enumerate(TIERS)}
# Which figures a leg's badge follows, in order of preference.
BADGE_GROUPS = {**{f: 0 for f in MONEY_FIGURES}, "capacity_gw": 1, "term_years": 1, "date": 2}


def sources_as_shown(sources: pd.DataFrame) -> pd.DataFrame:
    """Per source: `independent` (whose reporting it is, case-folded: the original publisher
    of a copy or rewrite, else its publisher) and `shown` (its name as readers see it: a copy
    appears under its original's name, never under the mirror's)."""
    original = sources["original_publisher"]
    own = original.isna() | (original.str.strip() == "")
    independent = sources["publisher"].where(own, original).str.strip().str.casefold()
    shown = sources["publisher"].where(sources["tier"] != "copy", original + " (read via a copy)")
    shown = shown.where((sources["tier"] != "secondary") | own, sources["publisher"] + ", citing " + original)
    return pd.DataFrame({"source_id": sources["source_id"], "independent": independent, "shown": shown.fillna(sources["publisher"])})


def sources_for_readers(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources as a source note lists them: best tier first (primary, then original reporting,
    rewrites, copies, digests), newest first within a tier, each with `shown`, the name readers
    see (a copy under its original's name, never the mirror host's)."""
    shown = sources_as_shown(sources)
    table = sources.assign(shown=shown["shown"].to_numpy(), tier_rank=sources["tier"].map(TIER_RANK).to_numpy())
    table = table.sort_values(["tier_rank", "published", "shown"], ascending=[True, False, True], na_position="last", kind="stable")
    return table.reset_index(drop=True)


def claims_with_sources(ds: Dataset, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claims (all of the ledger's, or the given subset) with their subject ('flow' or
    'agreement'), the deal they belong to, and their source's kind, tier, publisher (as
    recorded and as shown), independence key, date and URL."""
    claims = (ds.claims if claims is None else claims).copy()
    claims["subject"] = np.where(claims["flow_id"].notna(), "flow", "agreement")
    claims["subject_id"] = claims["flow_id"].fillna(claims["agreement_id"])
    deal_of = pd.Series(ds.flows["agreement_id"].to_numpy(dtype=object), index=ds.flows["flow_id"].to_numpy(dtype=object))
    claims["deal"] = claims["agreement_id"].fillna(claims["flow_id"].map(deal_of))
    # One lookup of each claim's source row, then every source column taken by position
    # (object arrays: hashing pandas' string dtype is slow on a large ledger).
    sources = ds.sources[ds.sources["source_id"].isin(claims["source_id"])]  # only those cited
    sources = pd.concat([sources, sources_as_shown(sources).drop(columns="source_id")], axis=1)
    at = pd.Index(sources["source_id"].to_numpy(dtype=object)).get_indexer(claims["source_id"].to_numpy(dtype=object))
    for column, name in SOURCE_COLUMNS.items():
        values = np.append(sources[column].to_numpy(dtype=object), None)  # at == -1: unknown source
        claims[name] = values[at]
    return claims


# Source columns a claim carries, and their names beside the claim's own columns.
SOURCE_COLUMNS = {
    "kind": "source_kind",
    "tier": "tier",
    "publisher": "publisher",
    "published": "published",
    "url": "url",
    "independent": "independent",
    "shown": "shown",
}


def standing_values(ds: Dataset) -> pd.DataFrame:
    """(subject, subject_id, field, standing_value): the ledger's value of every field a claim
    can be about, as text ('' when empty), agreement totals included."""
    flows = ds.flows
    columns = {f: as_text(flows[f]) for f in FLOW_FIELDS if f != "chip" and f in flows}
    # A source naming the chip family does not contradict the part: both are held.
    columns["chip"] = as_text(flows["chip"]).str.cat(as_text(flows["chip_family"]), sep="|").str.strip("|")
    flow_long = pd.DataFrame({"subject_id": flows["flow_id"], **columns}).melt("subject_id", var_name="field", value_name="standing_value")
    totals = agreement_totals(flows, ds.agreements)
    agreements = ds.agreements.set_index("agreement_id")[["announced", "status"]]
    agreement_wide = pd.concat([agreements.apply(as_text), totals.apply(as_text)], axis=1).rename_axis("subject_id").reset_index()
    agreement_long = agreement_wide.melt("subject_id", var_name="field", value_name="standing_value")
    return pd.concat([flow_long.assign(subject="flow"), agreement_long.assign(subject="agreement")], ignore_index=True)[
        [*KEY, "standing_value"]
    ]


def group_codes(claims: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Per claim, the integer code of its (subject, subject_id, field), and the groups in key
    order. Each column is factorised on its own and the codes combined: much faster than
    hashing tuples on a large ledger."""
    parts = [pd.factorize(claims[k].to_numpy(dtype=object), sort=True) for k in KEY]
    combined = np.zeros(len(claims), dtype=np.int64)
    for codes, uniques in parts:
        combined = combined * len(uniques) + codes
    present, codes = np.unique(combined, return_inverse=True)
    columns, rest = {}, present
    for name, (_, uniques) in reversed(list(zip(KEY, parts))):
        columns[name] = uniques[rest % len(uniques)]
        rest = rest // len(uniques)
    return codes.reshape(-1), pd.DataFrame({k: columns[k] for k in KEY})


def figure_confidence(ds: Dataset, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (subject, subject_id, field) that has claims: counts by verdict, the number
    of independent non-digest publishers agreeing, the best tier among agreeing sources and
    the computed confidence. `claims` defaults to every claim, joined by claims_with_sources.

    Counted with numpy over integer group codes: this runs in every load()."""
    claims = claims_with_sources(ds) if claims is None else claims
    codes, table = group_codes(claims)
    n = len(table)
    verdict = claims["verdict"].to_numpy(dtype=object)
    tier = claims["tier"].to_numpy(dtype=object)
    agrees = verdict == "agrees"
    backing = agrees & (tier != "digest")

    def count(mask):
        return np.bincount(codes[mask], minlength=n)

    table["claims"] = np.bincount(codes, minlength=n)
    table["agrees"] = count(agrees)
    table["conflicts"] = count(verdict == "conflicts")
    table["superseded"] = count(verdict == "superseded")
    table["unverified"] = count(verdict == "unverified")
    primary = count(agrees & (tier == "primary")) > 0
    disputed = count((verdict == "conflicts") & (tier != "digest")) > 0
    # Independent publishers: distinct (group, publisher) pairs among non-digest agreeing claims.
    publisher = pd.factorize(claims["independent"].to_numpy(dtype=object))[0].astype(np.int64)
    width = publisher.max(initial=0) + 1
    pairs = np.unique(codes[backing] * width + publisher[backing])
    table["independent"] = np.bincount(pairs // width, minlength=n)
    rank = np.full(n, len(TIERS))
    np.minimum.at(rank, codes[agrees], pd.Series(tier[agrees]).map(TIER_RANK).fillna(len(TIERS)).to_numpy(dtype=int))
    table["best_tier"] = pd.Series(rank).map(dict(enumerate(TIERS))).to_numpy(dtype=object)
    table["confidence"] = np.select(
        [primary | (table["independent"].to_numpy() >= 2), disputed, count(backing) > 0], [CONFIRMED, CONTESTED, SINGLE], UNVERIFIED
    )
    return table


def reconcile(ds: Dataset) -> pd.DataFrame:
    """figure_confidence() with, per row, the standing value, the agreeing source ids and the
    conflicting claims with their notes."""
    claims = claims_with_sources(ds)
    table = figure_confidence(ds, claims)
    codes, _ = group_codes(claims)
    table["sources"] = _lists(len(table), codes, claims["verdict"] == "agrees", claims["source_id"], sort=True)
    conflicts = (claims["verdict"] == "conflicts").to_numpy(dtype=bool)
    conflicting = claims.loc[conflicts, ["source_id", "publisher", "value", "note"]].astype(object).to_dict("records")
    table["conflicting"] = _lists(len(table), codes[conflicts], pd.Series(True, index=range(len(conflicting))), conflicting)
    table = table.merge(standing_values(ds), on=KEY, how="left")
    table["standing_value"] = table["standing_value"].fillna("")
    first = [*KEY, "standing_value"]
    return table[first + [c for c in table.columns if c not in first]]


def _lists(n: int, codes: np.ndarray, mask: pd.Series, values, sort: bool = False) -> list[list]:
    """Per group, the values of its claims where `mask` holds (in file order, or sorted)."""
    out: list[list] = [[] for _ in range(n)]
    values = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    for code, keep, value in zip(codes.tolist(), mask.to_numpy(dtype=bool).tolist(), values):
        if keep:
            out[code].append(value)
    return [sorted(v) for v in out] if sort else out


def flow_confidence(ds: Dataset, table: pd.DataFrame | None = None) -> dict[str, str]:
    """flow_id -> the leg's badge: the weakest confidence among its money figures (or, for a
    leg with no dollar figure, its capacity and term, else its date, else any sourced field)."""
    table = figure_confidence(ds) if table is None else table
    legs = table[table["subject"] == "flow"]
    legs = legs.assign(group=legs["field"].map(BADGE_GROUPS).fillna(len(BADGE_GROUPS)), rank=legs["confidence"].map(CONFIDENCE_ORDER.index))
    preferred = legs[legs["group"] == legs.groupby("subject_id")["group"].transform("min")]
    weakest = preferred.groupby("subject_id")["rank"].min()
    return weakest.map(dict(enumerate(CONFIDENCE_ORDER))).to_dict()


def conflicts(ds: Dataset) -> pd.DataFrame:
    """Every conflicting or superseded claim beside the value that stands, with the deal it
    belongs to, for the method chapter."""
    claims = claims_with_sources(ds)
    table = claims[claims["verdict"].isin(["conflicts", "superseded"])]
    table = table.merge(standing_values(ds), on=KEY, how="left")
    table["standing_value"] = table["standing_value"].fillna("")
    return table[
        [
            "claim_id",
            "subject",
            "subject_id",
            "deal",
            "field",
            "value",
            "standing_value",
            "verdict",
            "source_id",
            "publisher",
            "shown",
            "tier",
            "source_kind",
            "url",
            "note",
        ]
    ].reset_index(drop=True)


def as_text(column: pd.Series) -> pd.Series:
    """A typed column back as CSV-like text ('' when empty): whole numbers without '.0'."""
    if pd.api.types.is_bool_dtype(column):
        return column.map({True: "true", False: "false"}).astype("string").fillna("")
    if pd.api.types.is_float_dtype(column):
        return column.map(lambda v: f"{v:g}", na_action="ignore").astype("string").fillna("")
    return column.astype("string").fillna("")
