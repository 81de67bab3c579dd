"""Every chart of the book, one function each: `figures.amazon_tranches(ds) -> charts.Figure`.

A chapter's chart cell is one call. Each function shapes the ledger for its chart (through
`metrics` and `views`), writes the takeaway title from the numbers, and returns the published
figure with its description, plotted data and sources. `ALL` lists them for tests and tools.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import charts, headline, metrics, present, views
from .reconcile import CONFIDENCE_ORDER
from .tables import split_list


def _source_ids(column: pd.Series) -> list[str]:
    """Every id in a ';'-separated source_ids column."""
    return [s for ids in column.dropna() for s in split_list(ids)]


def _pair_flows(pairs: pd.DataFrame) -> list[str]:
    return [f for ids in pairs["flow_ids"] for f in ids]


# --- The story on one page ------------------------------------------------------------------


def _pairs_for_readers(pairs: pd.DataFrame) -> pd.DataFrame:
    """The data table and CSV behind a round-trip chart, in words and whole dollars."""
    return pd.DataFrame(
        {
            "Investor → lab": pairs["pair"],
            "Firm money in (US$)": pairs["in_firm"],
            "Firm commitment back (US$)": pairs["back_firm"],
            "Round-trip ratio": pairs["ratio_firm"].round(2),
        }
    )


def overview_roundtrip(ds) -> charts.Figure:
    """Every priced pair (firm dollars both ways): the pairs behind the headline ratio."""
    numbers = headline.headline(ds)
    priced = headline.priced_pairs(ds).sort_values("back_firm", ascending=False)
    table = views.roundtrip_long(priced)
    return charts.figure(
        ds,
        charts.roundtrip_chart(
            table,
            title=f"For every firm dollar invested, {numbers['hl_ratio'].shown} is committed back",
            subtitle=(
                "Firm investment in each lab (left) against the lab's firm commitments to the same company (right). "
                "Light, dashed: conditional or 'up to' money, left out of the ratio."
            ),
        ),
        name="overview-round-trip",
        description=(
            f"Diverging bar chart of {len(priced)} investor–lab pairs: {numbers['hl_firm_in'].shown} invested firm on the left, "
            f"{numbers['hl_firm_back'].shown} committed back firm on the right."
        ),
        data=_pairs_for_readers(priced),
        flow_ids=_pair_flows(priced),
    )


def hero_roundtrip(ds) -> charts.Figure:
    """The front page's chart: firm money in beside firm money back for each priced pair,
    each pair annotated with its round-trip ratio. Narrow enough to read on a phone."""
    numbers = headline.headline(ds)
    priced = headline.priced_pairs(ds)
    rows = []
    for p in priced.itertuples():
        for rank, (label, amount) in enumerate((("money in", p.in_firm), ("commitment back", p.back_firm))):
            rows.append(
                {
                    "pair": p.pair,
                    "leg": label,
                    "leg_rank": rank,
                    "amount_bn": amount / 1e9,
                    "amount": str(present.usd(amount, 1)),
                    "ratio": str(present.ratio(p.ratio_firm)) if rank else "",
                }
            )
    table = pd.DataFrame(rows)
    order = list(priced["pair"])
    colors = alt.Scale(
        domain=["money in", "commitment back"], range=[charts.KIND_GROUP_COLORS["money in"], charts.KIND_GROUP_COLORS["commitment back"]]
    )
    base = alt.Chart(table).encode(
        y=alt.Y("pair:N", sort=order, title=None, axis=alt.Axis(labelLimit=190, labelFontSize=15)),
        yOffset=alt.YOffset("leg:N", sort=["money in", "commitment back"]),
    )
    bars = base.mark_bar(height=15).encode(
        x=alt.X("amount_bn:Q", title="US$ billion, firm", axis=alt.Axis(tickCount=3, labelFontSize=14, titleFontSize=14)),
        color=alt.Color("leg:N", scale=colors, title=None, legend=alt.Legend(orient="top", labelFontSize=14)),
        tooltip=[
            alt.Tooltip("pair:N", title="Pair"),
            alt.Tooltip("leg:N", title="Leg"),
            alt.Tooltip("amount:N", title="Firm amount"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=15, fontWeight="bold").encode(x="amount_bn:Q", text="ratio:N")
    chart = charts._finish(
        alt.layer(bars, labels),
        title=f"{numbers['hl_ratio'].shown} back for every firm dollar in",
        subtitle="Firm dollars only. Label: commitment back ÷ money in.",
        width=190,
        height=52 * len(order),
    )
    return charts.figure(
        ds,
        chart,
        name="front-page-round-trip",
        description=(
            f"Bar chart of {len(order)} investor–lab pairs. Together they invested {numbers['hl_firm_in'].shown} firm and received "
            f"{numbers['hl_firm_back'].shown} of firm commitments back, {numbers['hl_ratio'].shown}; the largest ratio is "
            f"{numbers['hl_top_pair'].shown} at {numbers['hl_top_ratio'].shown}."
        ),
        data=_pairs_for_readers(priced),
        flow_ids=_pair_flows(priced),
    )


# --- Amazon and Anthropic --------------------------------------------------------------------


def amazon_tranches(ds) -> charts.Figure:
    money_in = metrics.investments(ds, "amazon", "anthropic")
    standing = money_in[money_in["superseded_by"].isna()]
    split = metrics.money_split(money_in)
    table = metrics.tranche_table(ds, money_in)
    chart = charts.tranche_chart(
        table,
        title=f"Amazon has committed {present.usd(split['firm'])} firm; {present.usd(split['conditional'])} more hangs on milestones",
        subtitle="Amazon's investments in Anthropic by tranche. Solid: firm money. Light, dashed: conditional on milestones.",
    )
    return charts.figure(
        ds,
        chart,
        name="amazon-anthropic-tranches",
        description=(
            f"Bar chart of Amazon's {len(standing)} standing investment legs in Anthropic from {present.date(money_in['date'].iloc[0])} "
            f"to {present.date(money_in['date'].iloc[-1])}: {present.usd(split['firm'])} firm "
            f"and {present.usd(split['conditional'])} conditional."
        ),
        data=table[["flow_id", "date", "investor", "status", "amount_usd", "condition"]],
        flow_ids=money_in["flow_id"],
    )


def amazon_cumulative(ds) -> charts.Figure:
    money_in = metrics.investments(ds, "amazon", "anthropic")
    split = metrics.money_split(money_in)
    running = metrics.cumulative(money_in)
    running["firm_bn"] = running["firm_total"] / 1e9
    running["headline_bn"] = (running["firm_total"] + running["conditional_total"]) / 1e9
    return charts.figure(
        ds,
        charts.cumulative_chart(
            running,
            title=(
                f"Amazon's firm stake grew in steps to {present.usd(split['firm'])}; "
                f"up to {present.usd(split['headline'])} if milestones are met"
            ),
            subtitle="Cumulative investment by Amazon in Anthropic. Solid: firm. Light band: conditional money still open.",
        ),
        name="amazon-anthropic-cumulative",
        description=(
            f"Step chart of Amazon's cumulative investment in Anthropic, reaching {present.usd(split['firm'])} firm "
            f"and {present.usd(split['headline'])} including conditional money."
        ),
        data=running[["date_start", "firm_total", "conditional_total"]],
        flow_ids=money_in["flow_id"],
    )


# --- The circular economy --------------------------------------------------------------------


def roundtrip_ratios(ds) -> charts.Figure:
    pairs = metrics.pairs(ds)
    ratios = views.ratio_table(ds, pairs).sort_values("ratio_firm", ascending=False)
    top, low = ratios.iloc[0], ratios.iloc[-1]
    with_ratio = pairs[pairs["ratio_firm"].notna()]
    return charts.figure(
        ds,
        charts.ratio_chart(
            ratios,
            title=f"{top['pair']} tops the round trip: {present.ratio(top['ratio_firm'])} back per dollar",
            subtitle="Firm commitments from the lab to the investor, divided by the investor's firm money in the lab.",
        ),
        name="round-trip-ratios",
        description=(
            f"Bar chart of round-trip ratios for {len(ratios)} pairs, from {present.ratio(low['ratio_firm'])} "
            f"to {present.ratio(top['ratio_firm'])}."
        ),
        data=ratios.drop(columns=["in_firm_bn", "back_firm_bn"]),
        flow_ids=_pair_flows(with_ratio),
    )


def who_pays_whom(ds) -> charts.Figure:
    nodes, edges = views.network(ds)
    return charts.figure(
        ds,
        charts.network_chart(
            nodes,
            edges,
            title="Two labs sit at the centre of a web of money in and commitments out",
            subtitle=(
                "Each line is all the standing legs from one company to another; width by headline dollars. "
                "Blue: money in. Orange: commitments back."
            ),
        ),
        name="who-pays-whom",
        description=(
            f"Network of {len(nodes)} companies and {len(edges)} links between them: investments into Anthropic and OpenAI "
            "and their commitments to cloud, chip and capacity suppliers."
        ),
        data=edges[["from_id", "to_id", "group", "amount", "legs"]],
        flow_ids=ds.flows["flow_id"],
    )


def gross_vs_deduplicated(ds) -> charts.Figure:
    dedup = metrics.gross_vs_deduplicated(ds)
    totals = pd.DataFrame(
        {"measure": ["Every announced figure", "Replaced legs taken out"], "usd_bn": [dedup["gross"] / 1e9, dedup["deduplicated"] / 1e9]}
    )
    return charts.figure(
        ds,
        charts.bars_chart(
            totals,
            "measure",
            "usd_bn",
            title=f"Adding up every announcement counts {present.usd(dedup['double_counted'], 0)} twice",
            subtitle="All legs in the ledger, headline dollars (firm plus 'up to').",
            value_title="US$ billion",
        ),
        name="gross-vs-deduplicated",
        description=(
            f"Two bars: {present.usd(dedup['gross'], 2)} when every announced figure is added, "
            f"{present.usd(dedup['deduplicated'], 2)} when legs later replaced are removed."
        ),
        data=totals,
        flow_ids=ds.flows.loc[ds.flows["superseded_by"].notna(), "flow_id"],
    )


def announced_firm_paid(ds) -> charts.Figure:
    pairs = metrics.pairs(ds)
    stages = views.money_stages(ds, pairs)
    totals = stages.groupby("stage")["amount_usd"].sum()
    numbers = headline.headline(ds)  # the title states the book's headline totals, defined once
    return charts.figure(
        ds,
        charts.stages_chart(
            stages,
            title=f"Of {numbers['hl_in_headline'].shown} announced, {numbers['hl_in_paid'].shown} is reported paid",
            subtitle="Investment in each lab: announced ceiling (lightest), firm commitment, and money a source says was paid (solid).",
        ),
        name="announced-firm-paid",
        description=(
            f"Grouped bars for each investor–lab pair: headline {present.usd(totals['headline'], 0)}, "
            f"firm {present.usd(totals['firm'], 0)}, paid {present.usd(totals['paid'], 0)} in total."
        ),
        data=stages,
        flow_ids=_pair_flows(pairs),
    )


def investor_gains(ds) -> charts.Figure:
    gains = views.returns(ds)
    top = gains.sort_values("amount_usd", ascending=False).iloc[0]
    return charts.figure(
        ds,
        charts.returns_chart(
            gains,
            title="Marking up the labs has become a large source of the investors' profits",
            subtitle=(
                "Gains (and losses) reported on stakes in the labs, by period. "
                "Some include other holdings (see each note); overlapping figures are left out."
            ),
        ),
        name="investor-gains",
        description=f"Bars of {len(gains)} reported gains and losses on the investors' stakes, largest {present.usd(top['amount_usd'])}.",
        data=gains.drop(columns=["period_start"]),
        source_ids=_source_ids(gains["source_ids"]),
    )


# --- Custom silicon --------------------------------------------------------------------------


def chip_generations(ds) -> charts.Figure:
    chips = views.chips(ds)
    return charts.figure(
        ds,
        charts.timeline_chart(
            chips,
            "row",
            "announced_start",
            title="Every cloud now designs its own accelerator, on a yearly cadence",
            subtitle="Each chip from announcement (dot) to general availability (end of bar) where a source dates it.",
            color="vendor",
            color_scale=charts.company_scale(chips["vendor_id"], chips["vendor"]),
            end="available_start",
            tooltip=["name:N", "vendor:N", "use:N", "announced:N", "available:N"],
        ),
        name="chip-generations",
        description=f"Timeline of {len(chips)} AI chips by vendor, with announcement and availability dates.",
        data=chips.drop(columns=["announced_start", "available_start"]),
        source_ids=_source_ids(ds.chips["source_ids"]),
    )


def gigawatts_by_lab(ds) -> charts.Figure:
    capacity = views.capacity_by_lab(ds)
    by_lab = capacity.groupby("lab")["capacity_gw"].sum()
    stack = capacity.groupby(["lab", "family"], as_index=False)["capacity_gw"].sum()
    colors = charts.COMPANY_COLORS
    family_colors = {
        "trainium": colors["amazon"],
        "tpu": colors["google"],
        "nvidia-gpu": colors["nvidia"],
        "amd-instinct": colors["amd"],
        "custom-asic": colors["broadcom"],
        "not stated": charts.OTHER_COLOR,
    }
    chart = charts._finish(
        alt.Chart(stack)
        .mark_bar(height=28)
        .encode(
            y=alt.Y("lab:N", title=None),
            x=alt.X("capacity_gw:Q", title="Gigawatts contracted (standing legs)"),
            color=alt.Color(
                "family:N", scale=alt.Scale(domain=list(family_colors), range=list(family_colors.values())), title="Chip family"
            ),
            tooltip=["lab:N", "family:N", alt.Tooltip("capacity_gw:Q", title="GW", format=".1f")],
        ),
        title=f"Anthropic has {present.gw(by_lab.get('Anthropic', 0))} lined up, OpenAI {present.gw(by_lab.get('OpenAI', 0))}",
        subtitle="Capacity stated in the labs' compute, cloud and chip commitments, by chip family.",
        height=120,
    )
    return charts.figure(
        ds,
        chart,
        name="gigawatts-by-lab",
        description="Stacked bars of contracted gigawatts for Anthropic and OpenAI by chip family.",
        data=capacity,
        flow_ids=capacity["flow_id"],
    )


def accelerators_per_site(ds) -> charts.Figure:
    sites = ds.sites[ds.sites["chip_count"].notna()].copy()
    sites["site"] = sites["name"] + " (" + sites["operator_id"].map(ds.entity_name) + ")"
    sites["chips_k"] = sites["chip_count"].astype(float) / 1e3
    sites = sites.sort_values("chips_k", ascending=False)
    return charts.figure(
        ds,
        charts.bars_chart(
            sites,
            "site",
            "chips_k",
            title="Rainier and Abilene: hundreds of thousands of accelerators per site",
            subtitle="Accelerators per site as sources state them (thousands).",
            value_title="Accelerators (thousands)",
            fmt=",.0f",
            tooltip=["site:N", "location:N", "chip_id:N", alt.Tooltip("chips_k:Q", title="Thousands", format=",.0f")],
        ),
        name="accelerators-per-site",
        description=f"Bar chart of accelerator counts at {len(sites)} sites.",
        data=sites[["site_id", "name", "operator_id", "location", "chip_id", "chip_count"]],
        source_ids=_source_ids(sites["source_ids"]),
    )


# --- Competition -----------------------------------------------------------------------------


def alliance_matrix(ds) -> charts.Figure:
    pairs = metrics.pairs(ds)
    grid = views.matrix(ds, pairs)
    return charts.figure(
        ds,
        charts.matrix_chart(
            grid,
            title="No lab is exclusive any more: each has several backer-suppliers",
            subtitle="Headline commitments from each lab back to each company that invested in it.",
        ),
        name="alliance-matrix",
        description=f"Heatmap of {len(grid)} investor–lab pairs with the lab's headline commitment back to the investor.",
        data=grid,
        flow_ids=_pair_flows(pairs),
    )


def agreements_over_time(ds) -> charts.Figure:
    timeline = views.agreements_timeline(ds)
    years = timeline["announced"].str[:4]
    per_year = timeline.assign(year=years).groupby("year").size()
    return charts.figure(
        ds,
        charts.timeline_chart(
            timeline,
            "row",
            "announced_start",
            title=f"Deal-making peaked in {per_year.idxmax()}, as both labs signed with every major supplier",
            subtitle="Each dot is an agreement's announcement; rows are partner–lab pairs.",
            color="status",
            tooltip=["title:N", "announced:N", "status:N"],
        ),
        name="agreements-over-time",
        description=f"Timeline of {len(timeline)} agreements from {years.min()} to {years.max()}, one row per partner–lab pair.",
        data=timeline.drop(columns=["announced_start"]),
        flow_ids=ds.flows["flow_id"],
    )


# --- Regulation ------------------------------------------------------------------------------


def regulatory_actions(ds) -> charts.Figure:
    actions = views.regulation(ds)
    return charts.figure(
        ds,
        charts.timeline_chart(
            actions,
            "regulator",
            "date_start",
            title="Authorities studied the partnerships closely; none of their actions blocked a deal",
            subtitle="Each mark is one action; shape shows its kind.",
            color="kind",
            shape="kind",
            tooltip=["title:N", "date:N", "kind:N", "subjects_named:N", "outcome:N"],
        ),
        name="regulatory-actions",
        description=f"Timeline of {len(actions)} regulatory actions by {actions['regulator'].nunique()} authorities.",
        data=actions.drop(columns=["date_start"]),
        source_ids=_source_ids(actions["source_ids"]),
    )


# --- Sources and method ----------------------------------------------------------------------


def confidence_by_deal(ds) -> charts.Figure:
    counts = views.confidence_by_deal(ds)
    order = list(reversed(CONFIDENCE_ORDER))
    return charts.figure(
        ds,
        charts.stacked_count_chart(
            counts,
            "deal",
            "confidence",
            title="Most legs rest on one outlet; the anchor deals are best confirmed",
            subtitle="Legs per deal by computed confidence.",
            domain=order,
            colors=[charts.CONFIDENCE_COLORS[c] for c in order],
            value_title="Legs",
        ),
        name="confidence-by-deal",
        description="Stacked bars of legs per deal by confidence: confirmed, single-source, contested.",
        data=counts,
        flow_ids=ds.flows["flow_id"],
    )


def conflicts_by_source_kind(ds) -> charts.Figure:
    from . import reconcile

    kinds = views.conflict_counts(ds)
    return charts.figure(
        ds,
        charts.stacked_count_chart(
            kinds,
            "source_kind",
            "verdict",
            title="News rewrites, not primary sources, produce most disagreements",
            subtitle="Conflicting and superseded claims by the kind of source making them.",
            domain=["conflicts", "superseded"],
            colors=["#D55E00", "#999999"],
            value_title="Claims",
        ),
        name="conflicts-by-source-kind",
        description="Stacked bars counting conflicting and superseded claims for each kind of source.",
        data=kinds,
        source_ids=reconcile.conflicts(ds)["source_id"],
    )


# Every figure of the book, in reading order (chapter by chapter).
ALL = (
    hero_roundtrip,
    overview_roundtrip,
    amazon_tranches,
    amazon_cumulative,
    roundtrip_ratios,
    who_pays_whom,
    gross_vs_deduplicated,
    announced_firm_paid,
    investor_gains,
    chip_generations,
    gigawatts_by_lab,
    accelerators_per_site,
    alliance_matrix,
    agreements_over_time,
    regulatory_actions,
    confidence_by_deal,
    conflicts_by_source_kind,
)
