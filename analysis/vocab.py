"""The book's vocabulary: every kind, tier, verdict and column the ledger uses, and the words
readers see for each. One place: metrics, reconcile, rules, charts, tables and deal pages all
read these sets and labels from here, so a kind is classified once and named once.

`label()` is strict: an enum value with no reader-facing word raises, so a new kind cannot
reach a page as a raw snake_case id.
"""

from __future__ import annotations

# --- Legs (flows) -------------------------------------------------------------------------
INVESTMENT_KINDS = ("equity", "convertible_note")
COMMITMENT_KINDS = ("cloud_commitment", "compute_contract", "chip_purchase")
# Money that goes *in* to a lab (a warrant gives the lab's counterparty shares, not dollars).
MONEY_IN_KINDS = (*INVESTMENT_KINDS, "warrant")
FLOW_KINDS = (*INVESTMENT_KINDS, *COMMITMENT_KINDS, "warrant", "capacity_backstop", "other")

# --- Sources ------------------------------------------------------------------------------
SOURCE_KINDS = ("press_release", "filing", "regulator", "news", "analysis", "seed")
PRIMARY_KINDS = frozenset({"press_release", "filing", "regulator"})
OUTLET_KINDS = frozenset({"news", "analysis"})
# Tiers, best first. primary: the company, a filing, a regulator or a court. original: the
# outlet that did the reporting. secondary: a rewrite of another outlet's reporting (names
# it). copy: the same page on another host (names and links it). digest: a content farm or an
# AI-written digest, at most corroboration, never a figure's only backing.
TIERS = ("primary", "original", "secondary", "copy", "digest")
STRONG_TIERS = frozenset({"primary", "original"})
NEEDS_ORIGINAL = frozenset({"secondary", "copy"})

# --- Claims and confidence ----------------------------------------------------------------
VERDICTS = ("agrees", "conflicts", "superseded", "unverified")
CONFIRMED, SINGLE, CONTESTED, UNVERIFIED = "confirmed", "single-source", "contested", "unverified"
CONFIDENCE_LEVELS = (CONFIRMED, SINGLE, CONTESTED, UNVERIFIED)  # strongest first
# What a dated claim did to a figure's story (analysis/history.py).
FIGURE_EVENTS = ("first_reported", "repeated", "confirmed", "contradicted", "revised")

# --- Labels readers see ---------------------------------------------------------------------
LABELS: dict[str, dict[str, str]] = {
    "flow_kind": {
        "equity": "equity",
        "convertible_note": "convertible note",
        "cloud_commitment": "cloud commitment",
        "compute_contract": "compute contract",
        "chip_purchase": "chip purchase",
        "warrant": "warrant (shares)",
        "capacity_backstop": "capacity backstop",
        "other": "other",
    },
    "direction": {"in": "money in", "back": "commitment back", "other": "other"},
    "money": {"firm": "firm", "conditional": "conditional (up to)", "paid": "reported paid", "headline": "headline (up to)"},
    "source_kind": {
        "press_release": "company announcement",
        "filing": "filing",
        "regulator": "regulator",
        "news": "news report",
        "analysis": "analysis",
        "seed": "seed article",
    },
    "tier": {
        "primary": "primary source",
        "original": "original reporting",
        "secondary": "secondary (rewrite)",
        "copy": "copy of another page",
        "digest": "content farm or AI digest",
    },
    "verdict": {"agrees": "agrees", "conflicts": "conflicts", "superseded": "superseded", "unverified": "unverified"},
    "confidence": {CONFIRMED: "confirmed", SINGLE: "single source", CONTESTED: "contested", UNVERIFIED: "unverified"},
    "figure_event": {
        "first_reported": "first reported",
        "repeated": "repeated",
        "confirmed": "confirmed by a primary source",
        "contradicted": "contradicted",
        "revised": "revised",
    },
    "agreement_status": {
        "announced": "announced",
        "completed": "completed",
        "amended": "amended",
        "superseded": "superseded",
        "terminated": "terminated",
        "reported": "reported, not announced",
    },
    "entity_kind": {
        "cloud": "cloud provider",
        "lab": "AI lab",
        "chipmaker": "chip maker",
        "neocloud": "specialist cloud",
        "regulator": "regulator",
        "investor": "investor",
        "other": "other",
    },
    "chip_family": {
        "trainium": "Trainium (Amazon)",
        "inferentia": "Inferentia (Amazon)",
        "tpu": "TPU (Google)",
        "maia": "Maia (Microsoft)",
        "mtia": "MTIA (Meta)",
        "nvidia-gpu": "Nvidia GPU",
        "amd-instinct": "AMD Instinct",
        "custom-asic": "custom accelerator",
        "other": "other chips",
    },
    "chip_use": {"training": "training", "inference": "inference", "both": "training and inference"},
    "regulatory_kind": {
        "study": "study",
        "inquiry": "inquiry",
        "order": "order",
        "report": "report",
        "decision": "decision",
        "statement": "statement",
    },
    "return_kind": {
        "gain_on_stake": "gain on stake",
        "loss_share": "share of losses",
        "carrying_value": "carrying value",
        "cloud_revenue": "cloud revenue",
        "backlog": "backlog",
    },
    # Fields a claim can be about, and columns readers see in tables.
    "field": {
        "amount_usd": "firm amount",
        "amount_usd_max": "up-to amount",
        "date": "date",
        "capacity_gw": "capacity",
        "term_years": "term",
        "conditional": "conditional or not",
        "kind": "kind of leg",
        "from_id": "who pays",
        "to_id": "who receives",
        "chip": "chips",
        "funded": "paid or not",
        "funded_usd": "amount paid",
        "funded_by": "paid by",
        "announced": "announcement date",
        "status": "status",
        "invested_usd": "firm investment",
        "invested_usd_max": "investment, up to",
        "committed_usd": "firm commitment",
        "committed_usd_max": "commitment, up to",
        "cumulative_invested_usd": "total invested so far (firm)",
        "cumulative_invested_usd_max": "total invested so far (up to)",
        "shares": "shares",
        "condition": "condition",
        "chip_family": "chip family",
        "superseded_by": "replaced by",
        "note": "note",
        "pre_money_usd": "valuation before the round",
        "post_money_usd": "valuation after the round",
    },
}


def label(vocabulary: str, value: str) -> str:
    """The reader-facing word for `value` in `vocabulary`; KeyError if none is defined."""
    try:
        return LABELS[vocabulary][value]
    except KeyError:
        raise KeyError(f"no reader-facing label for {value!r} in {vocabulary!r}: add it to analysis/vocab.py LABELS") from None


def labels(vocabulary: str) -> dict[str, str]:
    """The whole label table of one vocabulary (for Altair scales and legends)."""
    return dict(LABELS[vocabulary])


def direction(kind: str) -> str:
    """'in' for money going into a lab, 'back' for a commitment back, 'other' otherwise."""
    if kind in MONEY_IN_KINDS:
        return "in"
    if kind in COMMITMENT_KINDS:
        return "back"
    return "other"
