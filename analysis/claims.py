"""How a claim's value is compared with the ledger's value for the same field."""

from __future__ import annotations

import math

from .money import AGREEMENT_TOTALS, agreement_totals, cells_frame
from .vocab import COMMITMENT_KINDS, INVESTMENT_KINDS, OUTLET_KINDS, PRIMARY_KINDS  # noqa: F401 (re-exported)

FLOW_FIELDS = (
    "amount_usd",
    "amount_usd_max",
    "date",
    "capacity_gw",
    "term_years",
    "conditional",
    "kind",
    "from_id",
    "to_id",
    "chip",
    "funded",
    "funded_usd",
    "funded_by",
)
DERIVED_AGREEMENT_FIELDS = AGREEMENT_TOTALS  # checked against the sum of the agreement's legs
AGREEMENT_FIELDS = ("announced", "status", *DERIVED_AGREEMENT_FIELDS)
# Figures a reader sees: each must be backed by at least one agreeing claim.
DEAL_FIGURES = ("amount_usd", "amount_usd_max", "date", "capacity_gw", "term_years")
SOURCED_FLOW_FIELDS = (*DEAL_FIGURES, "funded", "funded_usd", "funded_by")
# Figures that get their own confidence; a leg's badge follows its money figures.
MONEY_FIGURES = ("amount_usd", "amount_usd_max", "funded_usd")
FLOW_FIGURES = (*MONEY_FIGURES, "capacity_gw", "term_years", "date")
INTEGER_FIELDS = {"amount_usd", "amount_usd_max", "funded_usd", *DERIVED_AGREEMENT_FIELDS}
NUMBER_FIELDS = {"capacity_gw", "term_years"}
DATE_FIELDS = {"date", "announced", "funded_by"}


def value_error(field: str, value: str) -> str | None:
    """Why a claim's value is not in the canonical form for its field, or None."""
    if field in INTEGER_FIELDS:
        return None if value.isdigit() else f"'{value}' is not whole US dollars (digits only)"
    if field in NUMBER_FIELDS:
        try:
            return None if math.isfinite(float(value)) else f"'{value}' is not a finite number"
        except ValueError:
            return f"'{value}' is not a number"
    if field in ("conditional", "funded"):
        return None if value in ("true", "false") else f"'{value}' is not true or false"
    return None


def consistent(field: str, claimed: str, held: str) -> bool:
    """Does a claim say the same thing as the ledger's value?

    A date claim may be less precise than the ledger ('2023-09' is consistent with
    '2023-09-25'): a source naming only the month does not contradict the day.
    """
    if held == "":
        return False
    if field in INTEGER_FIELDS:
        return int(claimed) == int(held)
    if field in NUMBER_FIELDS:
        return math.isclose(float(claimed), float(held), rel_tol=1e-9)
    if field in DATE_FIELDS:
        return held == claimed or held.startswith(claimed + "-")
    if field == "chip":
        # `held` is "chip|family": a source naming the family does not contradict the part.
        return claimed in held.split("|")
    return claimed == held


def held_values(flows: list[dict[str, str]], agreements: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """(subject, id) -> field -> the ledger's value as a CSV cell, including derived agreement totals."""
    held: dict[tuple[str, str], dict[str, str]] = {}
    for cells in flows:
        row = dict(cells)
        row["chip"] = "|".join(v for v in (cells.get("chip", ""), cells.get("chip_family", "")) if v)
        held[("flow", cells.get("flow_id", ""))] = row
    totals = agreement_totals(cells_frame(flows, _TOTAL_INPUTS), cells_frame(agreements, ("agreement_id", "announced")))
    totals = totals.astype("string").fillna("").to_dict("index")
    for cells in agreements:
        agreement_id = cells.get("agreement_id", "")
        held[("agreement", agreement_id)] = {**cells, **totals.get(agreement_id, {})}
    return held


_TOTAL_INPUTS = ("agreement_id", "from_id", "to_id", "kind", "amount_usd", "amount_usd_max", "conditional", "superseded_by")
