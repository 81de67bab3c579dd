"""How a claim's value is compared with the ledger's value for the same field."""

from __future__ import annotations

import math

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
# Totals a source states for a whole agreement are checked against the sum of its legs.
DERIVED_AGREEMENT_FIELDS = (
    "invested_usd",  # firm investment legs (equity, convertible notes)
    "invested_usd_max",  # firm + open conditional investment: the "up to" headline
    "committed_usd",  # firm commitment legs (cloud, compute, chips)
    "committed_usd_max",
    "cumulative_invested_usd",  # the investor's firm total in the lab after this agreement
    "cumulative_invested_usd_max",
)
AGREEMENT_FIELDS = ("announced", "status", *DERIVED_AGREEMENT_FIELDS)
# Figures a reader sees: each must be backed by at least one agreeing claim.
DEAL_FIGURES = ("amount_usd", "amount_usd_max", "date", "capacity_gw", "term_years")
SOURCED_FLOW_FIELDS = (*DEAL_FIGURES, "funded", "funded_usd", "funded_by")
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


def _money(cells: dict[str, str], column: str) -> int:
    value = cells.get(column, "")
    return int(value) if value.isdigit() else 0


def _open_conditional(cells: dict[str, str]) -> int:
    if cells.get("conditional") != "true" or cells.get("superseded_by"):
        return 0
    return max(_money(cells, "amount_usd_max") - _money(cells, "amount_usd"), 0)


def agreement_totals(flows: list[dict[str, str]], agreements: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """agreement_id -> derived field -> value (as a string, like a CSV cell; '' when undefined).

    Works on raw cells so the validator and the reconciler compute exactly the same thing.
    """
    by_agreement: dict[str, list[dict[str, str]]] = {}
    for cells in flows:
        by_agreement.setdefault(cells.get("agreement_id", ""), []).append(cells)
    announced = {a.get("agreement_id", ""): a.get("announced", "") for a in agreements}
    totals: dict[str, dict[str, str]] = {}
    for agreement_id in announced:
        legs = by_agreement.get(agreement_id, [])
        invest = [c for c in legs if c.get("kind") in INVESTMENT_KINDS]
        commit = [c for c in legs if c.get("kind") in COMMITMENT_KINDS]
        values = {
            "invested_usd": sum(_money(c, "amount_usd") for c in invest),
            "invested_usd_max": sum(_money(c, "amount_usd") + _open_conditional(c) for c in invest),
            "committed_usd": sum(_money(c, "amount_usd") for c in commit),
            "committed_usd_max": sum(_money(c, "amount_usd") + _open_conditional(c) for c in commit),
        }
        out = {k: str(v) if v else "" for k, v in values.items()}
        pairs = {(c.get("from_id"), c.get("to_id")) for c in invest}
        out["cumulative_invested_usd"] = out["cumulative_invested_usd_max"] = ""
        if len(pairs) == 1:
            ((investor, lab),) = pairs
            earlier = [
                c
                for c in flows
                if c.get("kind") in INVESTMENT_KINDS
                and (c.get("from_id"), c.get("to_id")) == (investor, lab)
                and announced.get(c.get("agreement_id", ""), "") <= announced[agreement_id]
            ]
            out["cumulative_invested_usd"] = str(sum(_money(c, "amount_usd") for c in earlier))
            out["cumulative_invested_usd_max"] = str(sum(_money(c, "amount_usd") + _open_conditional(c) for c in earlier))
        totals[agreement_id] = out
    return totals


def held_values(flows: list[dict[str, str]], agreements: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """(subject, id) -> field -> the ledger's value as a CSV cell, including derived agreement totals."""
    held: dict[tuple[str, str], dict[str, str]] = {}
    for cells in flows:
        row = dict(cells)
        row["chip"] = "|".join(v for v in (cells.get("chip", ""), cells.get("chip_family", "")) if v)
        held[("flow", cells.get("flow_id", ""))] = row
    totals = agreement_totals(flows, agreements)
    for cells in agreements:
        agreement_id = cells.get("agreement_id", "")
        held[("agreement", agreement_id)] = {**cells, **totals.get(agreement_id, {})}
    return held
