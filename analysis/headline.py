"""The book's headline numbers, each defined once. Every page that states one glues it from here
under one fixed key, so the same quantity cannot show two values on two pages.

What is counted (all of it from standing legs: a leg replaced by a later one, such as an option
later exercised or a letter of intent replaced by a definitive deal, is left out so its money is
never counted twice):

- **Money in**: equity, convertible notes and warrants from an investor to a company it backs.
- **Commitment back**: cloud, compute and chip commitments (and other stated purchases) from
  that company to the *same* investor.
- **Circular pair**: an (investor, company) pair with at least one leg each way.
- **Firm**: an amount committed without conditions (`amount_usd`). **Up to** money is the part
  of a ceiling above the firm amount that depends on milestones, options or deployment; the
  **headline** is firm plus up to.
- **Round-trip ratio**: firm commitments back divided by firm money in. It is computed only for
  circular pairs with a firm dollar figure on *both* sides ("priced pairs"); a pair whose
  return leg is only "up to" money, only gigawatts or only shares has no ratio.
- **Reported paid**: money a source says was actually paid in (see `metrics.paid_part`).

`headline(ds)` returns every quantity; `glue_all(ds)` glues each under its key (the `KEYS`
below) for a chapter's `{glue}` roles.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import metrics, present
from .render import text as escaped
from .vocab import MONEY_IN_KINDS

AMAZON, ANTHROPIC = "amazon", "anthropic"


class Stated(present.Shown):
    """A glued number that names its quantity in the HTML (`data-quantity="hl_ratio"`), so the
    built site can be checked for one value per quantity on every page."""

    key = ""

    def __new__(cls, value: str, key: str):
        self = super().__new__(cls, value)
        self.key = key
        return self

    def _repr_html_(self) -> str:
        return f'<span class="rt-q" data-quantity="{escaped(self.key)}">{escaped(str(self))}</span>'


@dataclass(frozen=True)
class Quantity:
    key: str  # the glue key, fixed: pages write {glue}`hl_ratio`
    value: object  # the raw number (whole dollars, a ratio, a count) or a name
    shown: Stated  # as readers see it
    means: str  # what exactly is counted, in one sentence


def priced_pairs(ds) -> pd.DataFrame:
    """Circular pairs with a firm dollar figure on both sides, highest round-trip ratio first."""
    table = metrics.circular_pairs(ds)
    table = table[(table["in_firm"] > 0) & (table["back_firm"] > 0)]
    return table.sort_values(["ratio_firm", "pair"], ascending=[False, True]).reset_index(drop=True)


def _standing(flows: pd.DataFrame) -> pd.DataFrame:
    return flows[flows["superseded_by"].isna()]


def _money_in(ds) -> pd.DataFrame:
    return _standing(ds.flows[ds.flows["kind"].isin(MONEY_IN_KINDS)])


def amazon_gains(ds) -> pd.DataFrame:
    """Amazon's reported gains on its Anthropic stake, one row per period; rows marked as
    overlapping another (a component, a re-statement) are left out so nothing adds twice."""
    returns = ds.investor_returns
    chosen = returns[
        (returns["investor_id"] == AMAZON)
        & (returns["lab_id"] == ANTHROPIC)
        & (returns["kind"] == "gain_on_stake")
        & returns["overlaps"].isna()
    ]
    return chosen.sort_values("period_start").reset_index(drop=True)


def amazon_stake_value(ds) -> pd.Series | None:
    """The latest value Amazon states for its Anthropic stake (a carrying or stated value)."""
    returns = ds.investor_returns
    chosen = returns[(returns["investor_id"] == AMAZON) & (returns["lab_id"] == ANTHROPIC) & (returns["kind"] == "carrying_value")]
    return None if chosen.empty else chosen.sort_values("period_start").iloc[-1]


def headline(ds) -> dict[str, Quantity]:
    """Every headline quantity of the book, keyed by its glue key."""
    out: dict[str, Quantity] = {}

    def add(key: str, value, shown: str, means: str) -> None:
        out[key] = Quantity(key, value, Stated(str(shown), key), means)

    circular = metrics.circular_pairs(ds)
    priced = priced_pairs(ds)
    firm_in, firm_back = int(priced["in_firm"].sum()), int(priced["back_firm"].sum())
    ratio = firm_back / firm_in if firm_in else float("nan")
    add(
        "hl_circular_pairs",
        len(circular),
        present.count(len(circular)),
        "Circular pairs: money in and at least one commitment back, standing legs.",
    )
    add(
        "hl_priced_pairs",
        len(priced),
        present.count(len(priced)),
        "Circular pairs with a firm dollar figure on both sides: the pairs a ratio exists for.",
    )
    unpriced = len(circular) - len(priced)
    add(
        "hl_unpriced_pairs",
        unpriced,
        present.count(unpriced),
        "Circular pairs with no ratio: one side is only 'up to' money, gigawatts or shares.",
    )
    add("hl_firm_in", firm_in, present.usd(firm_in, 1), "Firm money in, summed over the priced pairs.")
    add("hl_firm_back", firm_back, present.usd(firm_back, 0), "Firm commitments back to the same investors, summed over the priced pairs.")
    add("hl_ratio", ratio, present.ratio(ratio), "Round-trip ratio of the priced pairs taken together: firm back / firm in.")
    if len(priced):
        top, low = priced.iloc[0], priced.iloc[-1]
        add("hl_top_pair", top["pair"], top["pair"], "The priced pair with the largest round-trip ratio.")
        add("hl_top_ratio", top["ratio_firm"], present.ratio(top["ratio_firm"]), "The largest round-trip ratio of any priced pair.")
        add("hl_low_pair", low["pair"], low["pair"], "The priced pair with the smallest round-trip ratio.")
        add("hl_low_ratio", low["ratio_firm"], present.ratio(low["ratio_firm"]), "The smallest round-trip ratio of any priced pair.")

    money_in = _money_in(ds)
    split = metrics.money_split(money_in)
    paid = int(metrics.paid_part(money_in).sum())
    share = split["firm"] / split["headline"] if split["headline"] else float("nan")
    paid_share = paid / split["headline"] if split["headline"] else float("nan")
    add(
        "hl_in_headline",
        split["headline"],
        present.usd(split["headline"], 0),
        "Every standing investment in the ledger at its headline ('up to') value.",
    )
    add("hl_in_firm", split["firm"], present.usd(split["firm"], 0), "The firm part of every standing investment.")
    add("hl_in_firm_share", share, present.percent(share), "Firm investment as a share of headline investment.")
    add("hl_in_paid", paid, present.usd(paid, 0), "Investment a source says was actually paid in.")
    add("hl_in_paid_share", paid_share, present.percent(paid_share), "Reported-paid investment as a share of headline investment.")

    aa_in = _standing(metrics.investments(ds, AMAZON, ANTHROPIC))
    aa = metrics.money_split(aa_in)
    aa_back = metrics.money_split(_standing(metrics.commitments(ds, ANTHROPIC, AMAZON)))["firm"]
    aa_ratio = aa_back / aa["firm"] if aa["firm"] else float("nan")
    add("hl_aa_firm", aa["firm"], present.usd(aa["firm"]), "Amazon's firm investment in Anthropic, all standing legs.")
    add(
        "hl_aa_conditional",
        aa["conditional"],
        present.usd(aa["conditional"]),
        "Amazon's 'up to' investment in Anthropic still open (milestones).",
    )
    add("hl_aa_headline", aa["headline"], present.usd(aa["headline"]), "Amazon's investment in Anthropic, firm plus up to.")
    add(
        "hl_aa_legs",
        len(aa_in),
        present.count(len(aa_in)),
        "Amazon's standing investment legs in Anthropic (an exercised option counts once).",
    )
    add("hl_aa_back", aa_back, present.usd(aa_back), "Anthropic's firm commitments back to Amazon (AWS).")
    add("hl_aa_ratio", aa_ratio, present.ratio(aa_ratio), "Amazon → Anthropic round-trip ratio: firm back / firm in.")
    gains = amazon_gains(ds)
    total_gains = int(gains["amount_usd"].sum())
    add(
        "hl_aa_gains",
        total_gains,
        present.usd(total_gains),
        "Gains Amazon reports on its Anthropic stake, summed over periods (overlapping rows out).",
    )
    if len(gains):
        last = gains.iloc[-1]["period"]
        add("hl_aa_gains_to", last, present.date(last), "The last period in Amazon's reported gains.")
    value = amazon_stake_value(ds)
    if value is not None:
        add(
            "hl_aa_stake_value",
            int(value["amount_usd"]),
            present.usd(value["amount_usd"]),
            "The latest stated value of Amazon's Anthropic stake.",
        )
        add("hl_aa_stake_value_at", value["period"], present.date(value["period"]), "The date of that stated value.")

    add("hl_agreements", len(ds.agreements), present.count(len(ds.agreements)), "Agreements in the ledger.")
    add("hl_legs", len(ds.flows), present.count(len(ds.flows)), "Legs (flows) in the ledger, replaced ones included.")
    add("hl_sources", len(ds.sources), present.count(len(ds.sources)), "Sources in the ledger.")
    return out


def glue_all(ds) -> dict[str, Quantity]:
    """Glue every headline quantity under its key (display=False) and return them."""
    from myst_nb import glue

    quantities = headline(ds)
    for quantity in quantities.values():
        glue(quantity.key, quantity.shown, display=False)
    return quantities
