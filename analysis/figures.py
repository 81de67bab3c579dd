"""Every chart of the book, one function each: `figures.amazon_tranches(ds) -> Figure`.

A chapter's chart cell is one call. Each function shapes the ledger for its chart (through
`metrics` and `views`), writes the takeaway title from the numbers, says which legs or sources
back each plotted row, and returns the published figure (analysis/frame.py). Every chart has a
wide and a narrow layout (analysis/charts.py). `ALL` lists the figures for tests and tools.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from . import charts, headline, metrics, present, reconcile, views, vocab
from .charts import INK, Layout
from .frame import Figure, KeyItem, figure
from .palette import PALETTE
from .tables import split_list

STATUS_KEY = [KeyItem("firm", "ink", "solid"), KeyItem("conditional (up to)", "ink", "faint")]
BN = "US$ billion"


def _ids(value) -> list[str]:
    return [] if value is None or (not isinstance(value, list) and pd.isna(value)) else split_list(value)


def _company_key(ids, names) -> list[KeyItem]:
    pairs = dict(zip(ids, names))
    return [KeyItem(name, i if i in charts.COMPANIES else "other") for i, name in pairs.items()]


def _tip(name: str, title: str, fmt: str | None = None) -> alt.Tooltip:
    return alt.Tooltip(name, title=title, format=fmt) if fmt else alt.Tooltip(name, title=title)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


# --- The story on one page ------------------------------------------------------------------


ROUNDTRIP_TIPS = [
    _tip("pair:N", "Investor → lab"),
    _tip("direction:N", "Leg"),
    _tip("status_label:N", "Money"),
    _tip("amount_abs_bn:Q", BN, ",.2f"),
]


def _long_table(rows: pd.DataFrame, first: str, first_title: str) -> pd.DataFrame:
    return pd.DataFrame(
        {first_title: rows[first], "Leg": rows["direction"], "Money": rows["status_label"], BN: rows["amount_abs_bn"].round(3)}
    )


def overview_roundtrip(ds) -> Figure:
    """Every priced pair (firm dollars both ways): the pairs behind the headline ratio."""
    numbers = headline.headline(ds)
    priced = headline.priced_pairs(ds).sort_values("back_firm", ascending=False)
    table = views.roundtrip_long(ds, priced)

    def build(layout: Layout):
        axis = "US$ bn: ← in · back →" if layout.narrow else "US$ billion: ← invested in the lab · committed back →"
        return charts.diverging(table, layout, value_title=axis, tooltip=ROUNDTRIP_TIPS)

    return figure(
        ds,
        build,
        name="overview-round-trip",
        title=f"For every firm dollar invested, {numbers['hl_ratio'].shown} is committed back",
        subtitle=(
            "Firm investment in each lab (left of the line) against the lab's firm commitments to spend with the same company "
            "(right). Conditional or 'up to' money is drawn light and left out of the ratio."
        ),
        description=(
            f"Diverging bar chart of {len(priced)} investor–lab pairs: {numbers['hl_firm_in'].shown} invested firm on the left, "
            f"{numbers['hl_firm_back'].shown} committed back firm on the right."
        ),
        table=_long_table(table, "pair", "Investor → lab"),
        flows=table["flow_ids"],
        key=[*_company_key(table["company_id"], table["company"]), *STATUS_KEY],
    )


def hero_roundtrip(ds) -> Figure:
    """The front page's chart: firm money in (left) and firm money back (right) for each priced
    pair, each labelled with its round-trip ratio."""
    numbers = headline.headline(ds)
    priced = headline.priced_pairs(ds)
    rows = []
    for p in priced.itertuples():
        for direction, sign, amount in (("in", -1, p.in_firm), ("back", 1, p.back_firm)):
            rows.append(
                {
                    "pair": p.pair,
                    "direction": vocab.label("direction", direction),
                    "status": "firm",
                    "status_label": vocab.label("money", "firm"),
                    "status_rank": 0,
                    "company_id": p.investor,
                    "company": ds.entity_name(p.investor),
                    "amount_bn": sign * amount / 1e9,
                    "amount_abs_bn": amount / 1e9,
                    "ratio": str(present.ratio(p.ratio_firm)) if sign > 0 else "",
                    "flow_ids": p.flow_ids,
                }
            )
    table = pd.DataFrame(rows)
    order = list(priced["pair"])
    backs = table[table["ratio"] != ""]

    def build(layout: Layout):
        axis = "US$ bn, firm: ← in · back →" if layout.narrow else "US$ billion, firm: ← invested in the lab · committed back →"
        domain = [float(table["amount_bn"].min()) * 1.1, float(table["amount_bn"].max()) * 1.25]
        bars = charts.diverging(table, layout, order=order, value_title=axis, tooltip=ROUNDTRIP_TIPS, fit=False, domain=domain)
        labels = (
            alt.Chart(backs)
            .mark_text(align="left", dx=5, fontWeight=700, yOffset=charts.bar_offset(layout))
            .encode(y=alt.Y("pair:N", sort=order), x="amount_bn:Q", text="ratio:N")
        )
        return charts.finish(alt.layer(bars, labels), layout, height=layout.row * len(order))

    return figure(
        ds,
        build,
        name="front-page-round-trip",
        title=f"{numbers['hl_ratio'].shown} back for every firm dollar in",
        subtitle=(
            "Firm dollars only: each investor's money into the lab (left) and the lab's commitment back to it (right). Label: back ÷ in."
        ),
        description=(
            f"Bar chart of {len(order)} investor–lab pairs. Together they invested {numbers['hl_firm_in'].shown} firm and received "
            f"{numbers['hl_firm_back'].shown} of firm commitments back, {numbers['hl_ratio'].shown}; the largest ratio is "
            f"{numbers['hl_top_pair'].shown} at {numbers['hl_top_ratio'].shown}."
        ),
        table=pd.DataFrame(
            {
                "Investor → lab": priced["pair"],
                "Firm money in (US$)": priced["in_firm"],
                "Firm commitment back (US$)": priced["back_firm"],
                "Round-trip ratio": priced["ratio_firm"].round(2),
            }
        ),
        flows=priced["flow_ids"],
        key=_company_key(table["company_id"], table["company"]),
    )


# --- Amazon and Anthropic --------------------------------------------------------------------


def amazon_tranches(ds) -> Figure:
    money_in = metrics.investments(ds, "amazon", "anthropic")
    standing = money_in[money_in["superseded_by"].isna()]
    split = metrics.money_split(money_in)
    table = metrics.tranche_table(ds, money_in).rename(columns={"investor": "company_id", "investor_name": "company"})
    table["status_label"] = table["status"].map(lambda s: vocab.label("money", s))
    tips = [
        _tip("date_label:N", "Date"),
        _tip("company:N", "Investor"),
        _tip("status_label:N", "Money"),
        _tip("amount_bn:Q", BN, ",.2f"),
        _tip("condition:N", "Condition"),
    ]

    def build(layout: Layout):
        return charts.diverging(table, layout, row="label", value_title=BN, tooltip=tips)

    return figure(
        ds,
        build,
        name="amazon-anthropic-tranches",
        title=f"Amazon has committed {present.usd(split['firm'])} firm; {present.usd(split['conditional'])} more hangs on milestones",
        subtitle="Amazon's investments in Anthropic, tranche by tranche.",
        description=(
            f"Bar chart of Amazon's {len(standing)} standing investment legs in Anthropic from {present.date(money_in['date'].iloc[0])} "
            f"to {present.date(money_in['date'].iloc[-1])}: {present.usd(split['firm'])} firm "
            f"and {present.usd(split['conditional'])} conditional."
        ),
        table=pd.DataFrame(
            {"Date": table["date_label"], "Money": table["status_label"], BN: table["amount_bn"], "Condition": table["condition"]}
        ),
        flows=[[f] for f in table["flow_id"]],
        key=[KeyItem("Amazon, firm", "amazon", "solid"), KeyItem("Amazon, conditional (up to)", "amazon", "faint")],
    )


def amazon_cumulative(ds) -> Figure:
    money_in = metrics.investments(ds, "amazon", "anthropic")
    split = metrics.money_split(money_in)
    running = metrics.cumulative(money_in)
    running["firm_bn"] = running["firm_total"] / 1e9
    running["headline_bn"] = (running["firm_total"] + running["conditional_total"]) / 1e9
    running["from"] = running["date_start"].dt.strftime("%b %Y")
    colour = charts.color("amazon")
    tips = [_tip("from:N", "From"), _tip("firm_bn:Q", "Firm, US$ bn", ",.2f"), _tip("headline_bn:Q", "Up to, US$ bn", ",.2f")]
    # A step chart draws each level until the next date: carry the last level on for a few months
    # so the latest step (the latest tranche) has width and shows.
    last = running.iloc[[-1]].assign(date_start=running["date_start"].iloc[-1] + pd.Timedelta(days=150))
    drawn = pd.concat([running, last], ignore_index=True)

    def build(layout: Layout):
        x = alt.X("date_start:T", title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}))
        band = (
            alt.Chart(drawn)
            .mark_area(interpolate="step-after", fillOpacity=charts.CERTAINTY["faint"][0], color=colour)
            .encode(x=x, y=alt.Y("headline_bn:Q", title="US$ billion, cumulative"), y2="firm_bn:Q", tooltip=tips)
        )
        edge = alt.Chart(drawn).mark_line(interpolate="step-after", strokeDash=[4, 3], color=colour).encode(x=x, y="headline_bn:Q")
        firm = alt.Chart(drawn).mark_area(interpolate="step-after", color=colour).encode(x=x, y="firm_bn:Q", tooltip=tips)
        return charts.finish(alt.layer(band, edge, firm), layout, height=260 if layout.narrow else 300)

    return figure(
        ds,
        build,
        name="amazon-anthropic-cumulative",
        title=(
            f"Amazon's firm stake grew in steps to {present.usd(split['firm'])}; "
            f"up to {present.usd(split['headline'])} if milestones are met"
        ),
        subtitle="Cumulative investment by Amazon in Anthropic.",
        description=(
            f"Step chart of Amazon's cumulative investment in Anthropic, reaching {present.usd(split['firm'])} firm "
            f"and {present.usd(split['headline'])} including conditional money."
        ),
        table=pd.DataFrame({"From": running["from"], "Firm, US$ bn": running["firm_bn"], "Up to, US$ bn": running["headline_bn"]}),
        flows=[list(money_in.loc[money_in["date_start"] <= d, "flow_id"]) for d in running["date_start"]],
        key=[KeyItem("firm", "amazon", "solid"), KeyItem("conditional money still open (up to)", "amazon", "faint")],
    )


# --- The circular economy --------------------------------------------------------------------


def roundtrip_ratios(ds) -> Figure:
    pairs = metrics.pairs(ds)
    ratios = views.ratio_table(ds, pairs).sort_values("ratio_firm", ascending=False)
    flows = pairs.set_index("pair").loc[ratios["pair"], "flow_ids"].tolist()
    top, low = ratios.iloc[0], ratios.iloc[-1]
    tips = [
        _tip("pair:N", "Investor → lab"),
        _tip("ratio_firm:Q", "Back per dollar in (×)", ".1f"),
        _tip("in_firm_bn:Q", "Invested, firm, US$ bn", ",.2f"),
        _tip("back_firm_bn:Q", "Committed back, firm, US$ bn", ",.1f"),
    ]

    def build(layout: Layout):
        return charts.hbars(
            ratios,
            "pair",
            "ratio_firm",
            layout,
            value_title="Commitment back per dollar invested (×)",
            tooltip=tips,
            color_field="investor_name",
            color_scale=charts.company_scale(ratios["investor"], ratios["investor_name"]),
        )

    return figure(
        ds,
        build,
        name="round-trip-ratios",
        title=f"{top['pair']} tops the round trip: {present.ratio(top['ratio_firm'])} back per dollar",
        subtitle="Firm commitments from the lab to the investor, divided by the investor's firm money in the lab.",
        description=(
            f"Bar chart of round-trip ratios for {len(ratios)} pairs, from {present.ratio(low['ratio_firm'])} "
            f"to {present.ratio(top['ratio_firm'])}."
        ),
        table=pd.DataFrame(
            {
                "Investor → lab": ratios["pair"],
                "Back per dollar in (×)": ratios["ratio_firm"].round(2),
                "Invested, firm, US$ bn": ratios["in_firm_bn"],
                "Committed back, firm, US$ bn": ratios["back_firm_bn"],
            }
        ),
        flows=flows,
        key=_company_key(ratios["investor"], ratios["investor_name"]),
    )


def who_pays_whom(ds) -> Figure:
    """Per lab, each company's money in (left) and the lab's commitments back to it (right)."""
    table = views.lab_ledgers(ds)
    into = -table.loc[table["amount_bn"] < 0, "amount_bn"].sum() * 1e9
    back = table.loc[table["amount_bn"] > 0, "amount_bn"].sum() * 1e9
    investors = set(table.loc[table["amount_bn"] < 0, ["lab_id", "company_id"]].itertuples(index=False, name=None))
    pays_back = pd.Series([(lab, c) in investors for lab, c in zip(table["lab_id"], table["company_id"])], index=table.index)
    to_investors = table[(table["amount_bn"] > 0) & pays_back]
    share = to_investors["amount_bn"].sum() * 1e9 / back
    tips = [_tip("lab:N", "Lab"), _tip("company:N", "Company"), *ROUNDTRIP_TIPS[1:]]
    labs = list(dict.fromkeys(table["lab"]))
    scale = charts.company_scale(table["company_id"], table["company"])

    def build(layout: Layout):
        gutter = 0 if layout.narrow else 110
        width = layout.width - gutter - 24
        panels = []
        for lab in labs:
            part = table[table["lab"] == lab].assign(row=lambda t: t["company"])
            order = list(part.groupby("company")["amount_abs_bn"].sum().sort_values(ascending=False).index)
            chart = charts.diverging(
                part,
                layout,
                row="company",
                order=order,
                value_title="US$ billion: ← money in · committed back →" if not layout.narrow else "US$ bn: ← in · back →",
                tooltip=tips,
                fit=False,
                width=width,
                scale=scale,
            ).properties(title=alt.Title(lab, anchor="start", fontSize=layout.font + 2, color=PALETTE["text"][0], offset=8))
            panels.append(chart)
        combined = alt.vconcat(*panels, spacing=28).resolve_scale(x="shared").configure(**charts.theme(layout))
        return combined.configure_axisY(minExtent=gutter, maxExtent=gutter) if gutter else combined

    return figure(
        ds,
        build,
        name="who-pays-whom",
        title=(
            f"The two labs took {present.usd(into, 0)} and promised {present.usd(back, 2)} back, "
            f"{present.percent(share)} of it to companies that invested in them"
        ),
        subtitle=(
            "For each lab: money each company invested in it (left of the line) and what the lab has committed "
            "to spend with that company (right). Standing legs with a dollar figure."
        ),
        description=(
            f"Two panels, Anthropic and OpenAI, each listing companies with money invested in the lab and commitments back to "
            f"them: {present.usd(into, 0)} in, {present.usd(back, 2)} back in total."
        ),
        table=pd.DataFrame(
            {
                "Lab": table["lab"],
                "Company": table["company"],
                "Leg": table["direction"],
                "Money": table["status_label"],
                BN: table["amount_abs_bn"].round(3),
            }
        ),
        flows=table["flow_ids"],
        key=[*_company_key(table["company_id"], table["company"]), *STATUS_KEY],
    )


def gross_vs_deduplicated(ds) -> Figure:
    dedup = metrics.gross_vs_deduplicated(ds)
    totals = pd.DataFrame(
        {"measure": ["Every announced figure", "Replaced legs taken out"], "usd_bn": [dedup["gross"] / 1e9, dedup["deduplicated"] / 1e9]}
    )
    standing = ds.flows.loc[ds.flows["superseded_by"].isna(), "flow_id"]

    def build(layout: Layout):
        return charts.hbars(
            totals, "measure", "usd_bn", layout, value_title=BN, tooltip=[_tip("measure:N", "Total"), _tip("usd_bn:Q", BN, ",.1f")]
        )

    return figure(
        ds,
        build,
        name="gross-vs-deduplicated",
        title=f"Adding up every announcement counts {present.usd(dedup['double_counted'], 0)} twice",
        subtitle="All legs in the ledger, headline dollars (firm plus 'up to').",
        description=(
            f"Two bars: {present.usd(dedup['gross'], 2)} when every announced figure is added, "
            f"{present.usd(dedup['deduplicated'], 2)} when legs later replaced are removed."
        ),
        table=pd.DataFrame({"Total": totals["measure"], BN: totals["usd_bn"].round(2)}),
        flows=[list(ds.flows["flow_id"]), list(standing)],
    )


STAGE_STYLE = {"headline": "faint", "firm": "light", "paid": "solid"}


def announced_firm_paid(ds) -> Figure:
    pairs = metrics.pairs(ds)
    stages = views.money_stages(ds, pairs)
    stages["stage_label"] = stages["stage"].map(lambda s: vocab.label("money", s))
    totals = stages.groupby("stage")["amount_usd"].sum()
    flows = pairs.set_index("pair")["flow_ids"]
    scale = charts.company_scale(stages["investor"], stages["investor_name"])
    tips = [_tip("pair:N", "Investor → lab"), _tip("stage_label:N", "Stage"), _tip("amount_bn:Q", BN, ",.2f")]

    def build(layout: Layout):
        order = list(dict.fromkeys(stages["pair"]))
        layers = []
        for stage, height in (("headline", 1.0), ("firm", 0.7), ("paid", 0.4)):
            part = stages[stages["stage"] == stage]
            opacity, dash = charts.CERTAINTY[STAGE_STYLE[stage]]
            layers.append(
                alt.Chart(part)
                .mark_bar(
                    height=charts.bar_height(layout) * height,
                    yOffset=charts.bar_offset(layout),
                    fillOpacity=opacity,
                    strokeDash=dash,
                    strokeWidth=1.5,
                )
                .encode(
                    y=charts.rows_y("pair", order, layout),
                    x=alt.X("amount_bn:Q", title="US$ billion invested in the lab", axis=alt.Axis(tickCount=4 if layout.narrow else 8)),
                    color=alt.Color("investor_name:N", scale=scale, legend=None),
                    stroke=alt.Stroke("investor_name:N", scale=scale, legend=None),
                    tooltip=tips,
                )
            )
        return charts.finish_rows(layers, stages, "pair", order, layout)

    return figure(
        ds,
        build,
        name="announced-firm-paid",
        title=f"Of {present.usd(totals['headline'], 0)} announced, {present.usd(totals['paid'], 0)} is reported paid",
        subtitle=(
            "Investment in each lab: the announced ceiling (outline), the firm part inside it, "
            "and the money a source says was paid (solid)."
        ),
        description=(
            f"Nested bars for each investor–lab pair: headline {present.usd(totals['headline'], 0)}, "
            f"firm {present.usd(totals['firm'], 0)}, paid {present.usd(totals['paid'], 0)} in total."
        ),
        table=pd.DataFrame({"Investor → lab": stages["pair"], "Stage": stages["stage_label"], BN: stages["amount_bn"].round(3)}),
        flows=[flows[p] for p in stages["pair"]],
        key=[
            *_company_key(stages["investor"], stages["investor_name"]),
            KeyItem("announced, up to", "ink", "faint"),
            KeyItem("firm", "ink", "light"),
            KeyItem("reported paid", "ink", "solid"),
        ],
    )


def investor_gains(ds) -> Figure:
    gains = views.returns(ds).reset_index(drop=True)
    gains["when"] = gains["period"].map(present.short_date)
    gains["row"] = gains["investor"] + ", " + gains["when"]
    gains["kind_label"] = gains["kind"].map(lambda k: vocab.label("return_kind", k))
    top = gains.sort_values("amount_usd", ascending=False).iloc[0]
    tips = [
        _tip("investor:N", "Investor"),
        _tip("lab:N", "Stake in"),
        _tip("when:N", "Period ending"),
        _tip("kind_label:N", "What"),
        _tip("amount_bn:Q", BN, ",.1f"),
        _tip("note:N", "Note"),
    ]

    def build(layout: Layout):
        return charts.hbars(
            gains,
            "row",
            "amount_bn",
            layout,
            value_title="US$ billion reported (losses left of zero)",
            tooltip=tips,
            color_field="investor",
            color_scale=charts.company_scale(gains["investor_id"], gains["investor"]),
        )

    return figure(
        ds,
        build,
        name="investor-gains",
        title="Marking up the labs has become a large source of the investors' profits",
        subtitle=(
            "Gains (and losses) investors report on their stakes in the labs, by reporting period. "
            "Some include other holdings (see each note); overlapping figures are left out."
        ),
        description=f"Bars of {len(gains)} reported gains and losses on the investors' stakes, largest {present.usd(top['amount_usd'])}.",
        table=pd.DataFrame(
            {
                "Investor": gains["investor"],
                "Stake in": gains["lab"],
                "Period ending": gains["when"],
                "What": gains["kind_label"],
                BN: gains["amount_bn"],
                "Note": gains["note"].fillna(""),
            }
        ),
        sources=[_ids(s) for s in gains["source_ids"]],
        key=_company_key(gains["investor_id"], gains["investor"]),
    )


# --- Custom silicon --------------------------------------------------------------------------


def _period_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day a partial date can mean: a year-only date covers the whole year."""
    ends = []
    for s, p in zip(start, precision):
        if pd.isna(s):
            ends.append(pd.NaT)
        elif p == "year":
            ends.append(pd.Timestamp(year=s.year, month=12, day=31))
        elif p == "month":
            ends.append(s + pd.offsets.MonthEnd(0))
        else:
            ends.append(s)
    return pd.Series(ends, index=start.index, dtype="datetime64[us]")


def chip_generations(ds) -> Figure:
    chips = views.chips(ds).merge(ds.chips[["chip_id", "announced_precision", "available_precision"]], on="chip_id")
    chips["announced_end"] = _period_end(chips["announced_start"], chips["announced_precision"])
    chips["available_end"] = _period_end(chips["available_start"], chips["available_precision"])
    chips["use_label"] = chips["use"].map(lambda u: vocab.label("chip_use", u) if isinstance(u, str) else "")
    chips["announced_shown"] = chips["announced"].map(present.date)
    chips["available_shown"] = chips["available"].map(lambda v: present.date(v) if isinstance(v, str) else "not yet")
    events = []
    for c in chips.itertuples():
        events.append(
            {
                "chip": c.name,
                "vendor": c.vendor,
                "vendor_id": c.vendor_id,
                "event": "announced",
                "start": c.announced_start,
                "end": c.announced_end,
            }
        )
        if not pd.isna(c.available_start):
            events.append(
                {
                    "chip": c.name,
                    "vendor": c.vendor,
                    "vendor_id": c.vendor_id,
                    "event": "available",
                    "start": c.available_start,
                    "end": c.available_end,
                }
            )
    events = pd.DataFrame(events).merge(chips[["name", "use_label", "announced_shown", "available_shown"]], left_on="chip", right_on="name")
    # A day-precise date still needs a visible mark: at least three weeks wide.
    events["end_drawn"] = [max(e, s + pd.Timedelta(days=21)) for s, e in zip(events["start"], events["end"])]
    gaps = chips[chips["available_start"].notna() & (chips["available_start"] > chips["announced_end"])]
    vendors = chips["vendor_id"].map(lambda v: ds.entities.set_index("entity_id").loc[v, "kind"])
    designers = list(dict.fromkeys(chips.loc[vendors == "cloud", "vendor"]))
    merchants = list(dict.fromkeys(chips.loc[vendors == "chipmaker", "vendor"]))
    scale = charts.company_scale(chips["vendor_id"], chips["vendor"])
    tips = [
        _tip("chip:N", "Chip"),
        _tip("vendor:N", "Designed by"),
        _tip("use_label:N", "Used for"),
        _tip("announced_shown:N", "Announced"),
        _tip("available_shown:N", "Generally available"),
    ]
    order = list(chips["name"])

    def build(layout: Layout):
        y = charts.rows_y("chip", order, layout)
        x = alt.X(
            "start:T",
            title=None,
            scale=alt.Scale(padding=8),
            axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1 if not layout.narrow else 2}),
        )
        gap = (
            alt.Chart(gaps.rename(columns={"name": "chip"}))
            .mark_rule(strokeWidth=1.5, color=PALETTE["muted"][0], yOffset=charts.bar_offset(layout))
            .encode(y=y, x=alt.X("announced_end:T", title=None), x2="available_start:T")
        )
        spans = (
            alt.Chart(events)
            .mark_bar(height=charts.bar_height(layout) * 0.8, yOffset=charts.bar_offset(layout), strokeWidth=1.5)
            .encode(
                y=y,
                x=x,
                x2="end_drawn:T",
                color=alt.Color("vendor:N", scale=scale, legend=None),
                stroke=alt.Stroke("vendor:N", scale=scale, legend=None),
                **charts.certainty_encodings("event", {"announced": "faint", "available": "solid"}),
                tooltip=tips,
            )
        )
        layers = [gap, spans]
        return charts.finish_rows(layers, events.drop_duplicates("chip"), "chip", order, layout)

    return figure(
        ds,
        build,
        name="chip-generations",
        title=f"{', '.join(designers[:-1])} and {designers[-1]} now design their own AI chips, beside {' and '.join(merchants)}",
        subtitle=(
            "Each chip from its announcement (outline) to general availability (solid), where a source dates it. "
            "A date known only to the year is drawn across the whole year."
        ),
        description=(
            f"Timeline of {len(chips)} AI chips from {chips['vendor'].nunique()} designers, with announcement and availability dates."
        ),
        table=pd.DataFrame(
            {
                "Chip": chips["name"],
                "Designed by": chips["vendor"],
                "Used for": chips["use_label"],
                "Announced": chips["announced_shown"],
                "Generally available": chips["available_shown"],
            }
        ),
        sources=[_ids(s) for s in ds.chips.set_index("chip_id").loc[chips["chip_id"], "source_ids"]],
        key=[
            *_company_key(chips["vendor_id"], chips["vendor"]),
            KeyItem("announced", "ink", "faint"),
            KeyItem("generally available", "ink", "solid"),
        ],
    )


def gigawatts_by_lab(ds) -> Figure:
    capacity = views.capacity_by_lab(ds)
    capacity["supplier_id"] = ds.flows.set_index("flow_id").loc[capacity["flow_id"], "to_id"].to_numpy()
    capacity["chips"] = capacity["family"].map(
        lambda f: vocab.label("chip_family", f) if f in vocab.LABELS["chip_family"] else "not stated"
    )
    capacity["when"] = capacity["date"].map(present.date)
    by_lab = capacity.groupby("lab")["capacity_gw"].sum()
    scale = charts.company_scale(capacity["supplier_id"], capacity["supplier"])
    tips = [
        _tip("lab:N", "Lab"),
        _tip("supplier:N", "Supplier"),
        _tip("chips:N", "Chips"),
        _tip("capacity_gw:Q", "Gigawatts", ".1f"),
        _tip("when:N", "Agreed"),
    ]

    def build(layout: Layout):
        order = list(dict.fromkeys(capacity["lab"]))
        bars = (
            alt.Chart(capacity)
            .mark_bar(height=charts.bar_height(layout), yOffset=charts.bar_offset(layout))
            .encode(
                y=charts.rows_y("lab", order, layout),
                x=alt.X("sum(capacity_gw):Q", title="Gigawatts contracted", axis=alt.Axis(tickCount=4 if layout.narrow else 8)),
                color=alt.Color("supplier:N", scale=scale, legend=None),
                order=alt.Order("date:N"),
                detail="flow_id:N",
                tooltip=tips,
            )
        )
        layers = [bars]
        return charts.finish_rows(layers, capacity.drop_duplicates("lab"), "lab", order, layout)

    return figure(
        ds,
        build,
        name="gigawatts-by-lab",
        title=f"Anthropic has {present.gw(by_lab.get('Anthropic', 0))} lined up, OpenAI {present.gw(by_lab.get('OpenAI', 0))}",
        subtitle=(
            "Capacity stated in the labs' standing compute, cloud and chip commitments, one segment per agreement, coloured by supplier."
        ),
        description="Stacked bars of contracted gigawatts for Anthropic and OpenAI, one segment per commitment, by supplier.",
        table=pd.DataFrame(
            {
                "Lab": capacity["lab"],
                "Supplier": capacity["supplier"],
                "Chips": capacity["chips"],
                "Gigawatts": capacity["capacity_gw"],
                "Agreed": capacity["when"],
            }
        ),
        flows=[[f] for f in capacity["flow_id"]],
        key=_company_key(capacity["supplier_id"], capacity["supplier"]),
    )


def accelerators_per_site(ds) -> Figure:
    sites = ds.sites[ds.sites["chip_count"].notna()].copy()
    sites["operator"] = sites["operator_id"].map(ds.entity_name)
    sites["site"] = sites["name"].str.split(",").str[0] + " (" + sites["operator"] + ")"
    sites["chips_k"] = sites["chip_count"].astype(float) / 1e3
    sites["chip"] = sites["chip_id"].map(lambda c: ds.chips.set_index("chip_id")["name"].get(c, "") if isinstance(c, str) else "")
    sites = sites.sort_values("chips_k", ascending=False).reset_index(drop=True)
    tips = [
        _tip("site:N", "Site"),
        _tip("location:N", "Where"),
        _tip("chip:N", "Chips"),
        _tip("chips_k:Q", "Accelerators (thousands)", ",.0f"),
    ]

    def build(layout: Layout):
        return charts.hbars(
            sites,
            "site",
            "chips_k",
            layout,
            value_title="Accelerators (thousands)",
            tooltip=tips,
            fmt=",.0f",
            color_field="operator",
            color_scale=charts.company_scale(sites["operator_id"], sites["operator"]),
            above=True,
        )

    return figure(
        ds,
        build,
        name="accelerators-per-site",
        title="Rainier and Abilene: hundreds of thousands of accelerators per site",
        subtitle="Accelerators per site as sources state them (thousands).",
        description=f"Bar chart of accelerator counts at {len(sites)} sites.",
        table=pd.DataFrame(
            {
                "Site": sites["name"],
                "Operator": sites["operator"],
                "Where": sites["location"],
                "Chips": sites["chip"],
                "Accelerators": sites["chip_count"],
            }
        ),
        sources=[_ids(s) for s in sites["source_ids"]],
        key=_company_key(sites["operator_id"], sites["operator"]),
    )


# --- Competition -----------------------------------------------------------------------------


def alliance_matrix(ds) -> Figure:
    pairs = metrics.pairs(ds)
    chosen = pairs[pairs["investee"].isin(views.LABS)].reset_index(drop=True)
    grid = views.matrix(ds, pairs).reset_index(drop=True)
    grid["supplier_id"] = chosen["investor"]
    grid["gw"] = chosen["back_gw"]
    grid["capacity"] = [present.gw(g) if g else "" for g in grid["gw"]]
    grid["dollars"] = grid["back_headline"] > 0
    order = list(dict.fromkeys(grid["supplier"]))
    scale = charts.company_scale(grid["supplier_id"], grid["supplier"])
    tips = [
        _tip("supplier:N", "Investor and supplier"),
        _tip("lab:N", "Lab"),
        _tip("label:N", "Committed back"),
        _tip("invested:N", "Invested"),
        _tip("capacity:N", "Capacity"),
    ]

    def build(layout: Layout):
        base = alt.Chart(grid).encode(
            x=alt.X("lab:N", title=None, axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight=600, domain=False, ticks=False)),
            y=alt.Y("supplier:N", title=None, sort=order, axis=alt.Axis(domain=False, ticks=False, labelPadding=8)),
            tooltip=tips,
        )
        size = alt.Size("back_bn:Q", scale=alt.Scale(type="sqrt", range=[30, 900 if not layout.narrow else 500]), legend=None)
        money = (
            base.transform_filter("datum.back_bn > 0")
            .mark_circle(opacity=1, xOffset=-22)
            .encode(size=size, color=alt.Color("supplier:N", scale=scale, legend=None))
        )
        # Gigawatts only: a hollow ring, never on the dollar scale.
        power = (
            base.transform_filter("datum.back_bn == 0 && datum.gw > 0")
            .mark_point(shape="circle", filled=False, size=180, strokeWidth=2, strokeDash=[3, 2], xOffset=-22)
            .encode(stroke=alt.Stroke("supplier:N", scale=scale, legend=None))
        )
        text = base.mark_text(align="left", dx=-4).encode(text="label:N")
        chart = alt.layer(money, power, text).properties(height=alt.Step(44))
        return charts.finish(chart, layout)

    return figure(
        ds,
        build,
        name="alliance-matrix",
        title="No lab is exclusive any more: each has several backer-suppliers",
        subtitle=(
            "What each lab has committed to spend with each company that invested in it. "
            "Filled circles: dollars (area by amount). Dashed rings: a commitment stated only in gigawatts."
        ),
        description=(
            f"Grid of {len(grid)} investor–lab pairs with the lab's headline commitment back to the investor, in dollars or gigawatts."
        ),
        table=pd.DataFrame(
            {
                "Investor and supplier": grid["supplier"],
                "Lab": grid["lab"],
                "Committed back": grid["label"],
                "Invested": grid["invested"],
                "Capacity": grid["capacity"],
            }
        ),
        flows=chosen["flow_ids"],
        key=[*_company_key(grid["supplier_id"], grid["supplier"]), KeyItem("commitment in gigawatts only", "ink", "ring")],
    )


def agreements_over_time(ds) -> Figure:
    timeline = views.agreements_timeline(ds)
    timeline["status_label"] = timeline["status"].map(lambda s: vocab.label("agreement_status", s))
    parties = ds.agreements.set_index("agreement_id")["parties"]
    timeline["partner_id"] = [
        next((p for p in split_list(parties[a]) if p not in views.LABS), "other") if " + " not in partner else "other"
        for a, partner in zip(timeline["agreement_id"], timeline["partner"])
    ]
    timeline["partner_key"] = [p if p in charts.COMPANIES else "other" for p in timeline["partner_id"]]
    timeline["standing"] = ~timeline["status"].isin(["superseded", "terminated"])
    timeline["when"] = timeline["announced"].map(present.date)
    years = timeline["announced"].str[:4]
    per_year = timeline.assign(year=years).groupby("year").size()
    order = list(dict.fromkeys(timeline["row"]))
    names = dict(zip(timeline["partner_key"], timeline["partner"].where(timeline["partner_key"] != "other", "several or other")))
    scale = alt.Scale(domain=list(names), range=[charts.color(k) for k in names])
    tips = [_tip("title:N", "Agreement"), _tip("when:N", "Announced"), _tip("status_label:N", "Status")]
    flows = ds.flows.groupby("agreement_id")["flow_id"].apply(list)

    def build(layout: Layout):
        points = (
            alt.Chart(timeline)
            .mark_point(size=120 if not layout.narrow else 90, strokeWidth=2, opacity=1, yOffset=charts.bar_offset(layout))
            .encode(
                y=charts.rows_y("row", order, layout),
                x=alt.X(
                    "announced_start:T",
                    title=None,
                    axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1 if not layout.narrow else 2}),
                ),
                stroke=alt.Stroke("partner_key:N", scale=scale, legend=None),
                fill=alt.condition("datum.standing", alt.Fill("partner_key:N", scale=scale, legend=None), alt.value("transparent")),
                tooltip=tips,
            )
        )
        layers = [points]
        return charts.finish_rows(layers, timeline.drop_duplicates("row"), "row", order, layout)

    return figure(
        ds,
        build,
        name="agreements-over-time",
        title=f"Deal-making peaked in {per_year.idxmax()}, as both labs signed with every major supplier",
        subtitle="Each dot is an agreement's announcement; rows are partner–lab pairs. Hollow: later replaced.",
        description=f"Timeline of {len(timeline)} agreements from {years.min()} to {years.max()}, one row per partner–lab pair.",
        table=pd.DataFrame(
            {
                "Partner ↔ lab": timeline["row"],
                "Agreement": timeline["title"],
                "Announced": timeline["when"],
                "Status": timeline["status_label"],
            }
        ),
        flows=[flows.get(a, []) for a in timeline["agreement_id"]],
        key=[*[KeyItem(n, k) for k, n in names.items()], KeyItem("later replaced", "ink", "ring")],
    )


# --- Regulation ------------------------------------------------------------------------------

KIND_GLYPHS = {
    "study": "circle",
    "inquiry": "square",
    "order": "triangle-up",
    "report": "diamond",
    "decision": "cross",
    "statement": "triangle-down",
}
GLYPH_TEXT = {"circle": "●", "square": "■", "triangle-up": "▲", "diamond": "◆", "cross": "✚", "triangle-down": "▼"}


def regulatory_actions(ds) -> Figure:
    actions = views.regulation(ds).sort_values(["date_start", "action_id"]).reset_index(drop=True)
    actions["kind_label"] = actions["kind"].map(lambda k: vocab.label("regulatory_kind", k))
    actions["when"] = actions["date"].map(present.date)
    short = {"US Federal Trade Commission": "FTC", "UK Competition and Markets Authority": "CMA"}
    actions["who"] = actions["regulator"].map(lambda r: short.get(r, r))
    actions["row"] = [f"{w} {k}: {s}" for w, k, s in zip(actions["who"], actions["kind_label"], actions["subjects_named"])]
    kinds = [k for k in KIND_GLYPHS if k in set(actions["kind"])]
    tips = [
        _tip("title:N", "Action"),
        _tip("regulator:N", "Authority"),
        _tip("when:N", "Date"),
        _tip("kind_label:N", "Kind"),
        _tip("outcome:N", "Outcome"),
    ]
    order = list(actions["action_id"])

    def build(layout: Layout):
        data = actions.assign(label=[_wrap(r, 40 if layout.narrow else 90) for r in actions["row"]])
        lines = max(len(x) for x in data["label"])
        row = 16 * lines + 26
        band = row * 0.85
        y = charts.rows_y("action_id", order, layout, labels_above=True)
        x = alt.X(
            "date_start:T",
            title=None,
            scale=alt.Scale(padding=12),
            axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 6 if layout.narrow else 3}),
        )
        kind_scale = alt.Scale(domain=[vocab.label("regulatory_kind", k) for k in kinds], range=[KIND_GLYPHS[k] for k in kinds])
        points = (
            alt.Chart(data)
            .mark_point(filled=True, size=110, opacity=1, color=INK, yOffset=band / 2 - 9)
            .encode(y=y, x=x, shape=alt.Shape("kind_label:N", scale=kind_scale, legend=None), tooltip=tips)
        )
        labels = (
            alt.Chart(data)
            .mark_text(align="left", baseline="top", yOffset=-band / 2 + 1, lineHeight=16)
            .encode(y=alt.Y("action_id:N", sort=order), x=alt.value(0), text="label", tooltip=tips)
        )
        return charts.finish(alt.layer(points, labels), layout, height=row * len(order))

    return figure(
        ds,
        build,
        name="regulatory-actions",
        title="Authorities studied the partnerships closely; none of their actions blocked a deal",
        subtitle="Each row is one action by a competition authority or attorney general, oldest first; the mark's shape shows its kind.",
        description=f"Timeline of {len(actions)} regulatory actions by {actions['regulator'].nunique()} authorities.",
        table=pd.DataFrame(
            {
                "Date": actions["when"],
                "Authority": actions["regulator"],
                "Kind": actions["kind_label"],
                "Action": actions["title"],
                "Outcome": actions["outcome"].fillna(""),
            }
        ),
        sources=[_ids(s) for s in actions["source_ids"]],
        key=[KeyItem(vocab.label("regulatory_kind", k), "ink", "glyph", GLYPH_TEXT[KIND_GLYPHS[k]]) for k in kinds],
    )


# --- Sources and method ----------------------------------------------------------------------

CONFIDENCE_STYLE = {vocab.CONFIRMED: "solid", vocab.SINGLE: "light", vocab.CONTESTED: "faint", vocab.UNVERIFIED: "faint"}


def _stacked_ink(table: pd.DataFrame, category: str, stack: str, styles: dict[str, str], value_title: str, tips: list):
    def build(layout: Layout):
        order = list(dict.fromkeys(table[category]))
        bars = (
            alt.Chart(table)
            .mark_bar(height=charts.bar_height(layout), yOffset=charts.bar_offset(layout), color=INK, stroke=INK)
            .encode(
                y=charts.rows_y(category, order, layout),
                x=alt.X("count:Q", title=value_title, axis=alt.Axis(tickCount=4 if layout.narrow else 8, tickMinStep=1)),
                order=alt.Order("stack_rank:Q"),
                tooltip=tips,
                **charts.certainty_encodings(stack, styles),
            )
        )
        layers = [bars]
        return charts.finish_rows(layers, table.drop_duplicates(category), category, order, layout)

    return build


def confidence_by_deal(ds) -> Figure:
    counts = views.confidence_by_deal(ds)
    counts["confidence_label"] = counts["confidence"].map(lambda c: vocab.label("confidence", c))
    flows = ds.flows.merge(ds.agreements[["agreement_id", "parties"]], on="agreement_id")
    flows["deal"] = flows["parties"].map(lambda s: " / ".join(ds.entity_name(e) for e in split_list(s)))
    by = flows.groupby(["deal", "confidence"])["flow_id"].apply(list)
    styles = {c: CONFIDENCE_STYLE.get(c, "faint") for c in reconcile.CONFIDENCE_ORDER}
    tips = [_tip("deal:N", "Deal"), _tip("confidence_label:N", "Confidence"), _tip("count:Q", "Legs")]
    return figure(
        ds,
        _stacked_ink(counts, "deal", "confidence", styles, "Legs", tips),
        name="confidence-by-deal",
        title="Most legs rest on one outlet; the anchor deals are best confirmed",
        subtitle="Legs per deal by computed confidence.",
        description="Stacked bars of legs per deal by confidence: confirmed, single source, contested or unverified.",
        table=pd.DataFrame({"Deal": counts["deal"], "Confidence": counts["confidence_label"], "Legs": counts["count"]}),
        flows=[by[(d, c)] for d, c in zip(counts["deal"], counts["confidence"])],
        key=[
            KeyItem(vocab.label("confidence", vocab.CONFIRMED), "ink", "solid"),
            KeyItem(vocab.label("confidence", vocab.SINGLE), "ink", "light"),
            KeyItem("contested or unverified", "ink", "faint"),
        ],
    )


def conflicts_by_source_kind(ds) -> Figure:
    kinds = views.conflict_counts(ds)
    kinds["kind_label"] = kinds["source_kind"].map(lambda k: vocab.label("source_kind", k))
    kinds["verdict_label"] = kinds["verdict"].map(lambda v: vocab.label("verdict", v))
    disputes = reconcile.conflicts(ds)
    by = disputes.groupby(["source_kind", "verdict"])["source_id"].apply(list)
    tips = [_tip("kind_label:N", "Kind of source"), _tip("verdict_label:N", "Verdict"), _tip("count:Q", "Claims")]
    return figure(
        ds,
        _stacked_ink(kinds, "kind_label", "verdict", {"conflicts": "solid", "superseded": "light"}, "Claims", tips),
        name="conflicts-by-source-kind",
        title="News rewrites, not primary sources, produce most disagreements",
        subtitle="Conflicting and superseded claims by the kind of source making them.",
        description="Stacked bars counting conflicting and superseded claims for each kind of source.",
        table=pd.DataFrame({"Kind of source": kinds["kind_label"], "Verdict": kinds["verdict_label"], "Claims": kinds["count"]}),
        sources=[by[(k, v)] for k, v in zip(kinds["source_kind"], kinds["verdict"])],
        key=[KeyItem("conflicts with the ledger", "ink", "solid"), KeyItem("superseded by a later source", "ink", "light")],
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
