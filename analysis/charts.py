"""House style for every chart in the book: one colour grammar, two layouts, one figure frame.

Colour grammar (the same in every chart, light and dark):
- a company's colour means that company and nothing else (Okabe–Ito, colour-blind safe);
- marks that are not about a company are drawn in ink (`INK`);
- certainty is lightness: firm, paid or confirmed is solid; conditional ("up to") or less
  certain is light with a dashed outline — never a different hue;
- direction is position: money into a lab is drawn left of zero, commitments back right.

Every chart is drawn twice at build time: `WIDE` (680 px, desktop) and `NARROW` (340 px, phones,
labels above the bars); CSS container queries show the one that fits, so chart text is never
scaled below 11 px. Titles, subtitles and keys (legends) are HTML around the chart, so they
wrap. Dark mode restyles the same SVGs through `palette.dark_css()`: every colour used here has
a dark counterpart in `PALETTE` (analysis/palette.py).

The published figure (`Figure`, `frame.html`) is in `analysis/frame.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .palette import PALETTE

COMPANIES = tuple(k for k in PALETTE if k not in {"ink", "text", "muted", "grid", "domain"})
COMPANY_COLORS = {k: PALETTE[k][0] for k in COMPANIES}
INK = PALETTE["ink"][0]
OTHER_COLOR = PALETTE["other"][0]
# Arial's metrics everywhere: Liberation Sans and Arimo are metric-compatible with it, so text
# laid out at build time (vl-convert measures with Liberation Sans) fits when the reader's
# browser draws it with Arial, Helvetica or Liberation Sans: no clipped labels.
FONT = "Arial, 'Liberation Sans', Arimo, Helvetica, sans-serif"

# Certainty as lightness: (fill opacity, dash). Used for firm/conditional, paid/firm/headline,
# confirmed/single-source/contested alike.
SOLID, LIGHT, FAINT = "solid", "light", "faint"
CERTAINTY = {SOLID: (1.0, [1, 0]), LIGHT: (0.4, [1, 0]), FAINT: (0.15, [4, 3])}
STATUS_STYLE = {"firm": SOLID, "conditional": FAINT}


@dataclass(frozen=True)
class Layout:
    name: str
    width: int  # the whole SVG, axes included
    narrow: bool
    font: int = 13
    row: int = 30  # band height per bar row


WIDE = Layout("wide", 680, narrow=False, row=30)
NARROW = Layout("narrow", 340, narrow=True, row=46)
LAYOUTS = (WIDE, NARROW)


def color(company_id: str) -> str:
    return COMPANY_COLORS.get(company_id, OTHER_COLOR)


def theme(layout: Layout = WIDE) -> dict:
    """The book's Vega-Lite config for one layout. Titles and legends are HTML, not SVG."""
    text, muted, grid, domain = (PALETTE[k][0] for k in ("text", "muted", "grid", "domain"))
    size = layout.font
    return {
        "font": FONT,
        "background": "transparent",
        "padding": 4,
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": size,
            "titleFontSize": size,
            "titleFontWeight": 500,
            "labelColor": text,
            "titleColor": muted,
            "gridColor": grid,
            "domainColor": domain,
            "tickColor": domain,
            "labelLimit": 0,  # never truncate: layouts leave room or put labels above rows
            "labelOverlap": True,
        },
        "legend": {"disable": True},
        "text": {"fontSize": size, "color": text, "font": FONT},
        "bar": {"strokeWidth": 1.5},
        "mark": {"color": INK},
    }


def finish(chart, layout: Layout, height: int | None = None, *, fit: bool = True):
    """Size a chart for its layout (the whole SVG exactly `layout.width` wide) and theme it."""
    props = {"width": layout.width}
    if height:
        props["height"] = height
    if fit:
        chart = chart.properties(**props, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart.configure(**theme(layout))


def company_scale(ids: Iterable[str], names: Iterable[str]) -> alt.Scale:
    """Each company's colour, with the names shown as the domain."""
    pairs = list(dict.fromkeys(zip(ids, names)))
    return alt.Scale(domain=[n for _, n in pairs], range=[color(i) for i, _ in pairs])


def certainty_encodings(field_name: str, styles: dict[str, str], stroke_field: str | None = None) -> dict:
    """Lightness and dash for a certainty field (values -> SOLID/LIGHT/FAINT): **kwargs for encode."""
    domain = list(styles)
    return {
        "fillOpacity": alt.FillOpacity(
            # "ordinal": each value its own opacity (a nominal opacity scale would interpolate).
            f"{field_name}:N",
            scale=alt.Scale(type="ordinal", domain=domain, range=[CERTAINTY[styles[v]][0] for v in domain]),
            legend=None,
        ),
        "strokeDash": alt.StrokeDash(
            f"{field_name}:N", scale=alt.Scale(domain=domain, range=[CERTAINTY[styles[v]][1] for v in domain]), legend=None
        ),
    }


def status_encodings(field_name: str = "status") -> dict:
    """Firm solid, conditional light and dashed: pass as **kwargs to .encode()."""
    return certainty_encodings(field_name, STATUS_STYLE)


def abs_axis(title: str, layout: Layout, **kwargs) -> alt.Axis:
    """A value axis for diverging bars: labels show amounts, never negative numbers."""
    return alt.Axis(title=title, labelExpr="format(abs(datum.value), ',')", tickCount=4 if layout.narrow else 8, **kwargs)


def rows_y(field_name: str, order: list[str], layout: Layout, *, labels_above: bool | None = None) -> alt.Y:
    """The category axis of a horizontal bar chart. Narrow layouts put labels above the bars."""
    above = layout.narrow if labels_above is None else labels_above
    return alt.Y(
        f"{field_name}:N",
        sort=order,
        title=None,
        axis=None if above else alt.Axis(labelPadding=6, ticks=False, domain=False),
        scale=alt.Scale(paddingInner=0.15 if above else 0.25, paddingOuter=0.1),
    )


def finish_rows(layers: list, data, field_name: str, order: list[str], layout: Layout):
    """A one-row-per-category chart: its layers plus the row names (above the bars on narrow
    layouts), finished at the layout's row height."""
    labels = row_labels(data, field_name, order, layout)
    return finish(alt.layer(*layers, *([] if labels is None else [labels])), layout, height=layout.row * len(order))


def row_labels(data, field_name: str, order: list[str], layout: Layout, *, above: bool | None = None):
    """Row names written above each bar (narrow layouts): full names, nothing truncated."""
    if not (layout.narrow if above is None else above):
        return None
    if isinstance(data, pd.DataFrame):
        data = data.drop_duplicates(field_name)
    return (
        alt.Chart(data)
        .mark_text(align="left", baseline="top", yOffset=-layout.row * 0.42, fontWeight=600)
        .encode(y=alt.Y(f"{field_name}:N", sort=order), x=alt.value(0), text=f"{field_name}:N")
    )


def bar_height(layout: Layout, above: bool | None = None) -> float:
    above = layout.narrow if above is None else above
    return layout.row * (0.34 if above else 0.7)


def bar_offset(layout: Layout, above: bool | None = None) -> float:
    """With labels above, bars sit in the lower part of their band, under the label."""
    above = layout.narrow if above is None else above
    return layout.row * 0.24 if above else 0


def _headroom(values: pd.Series, labels: bool) -> alt.Scale:
    """Room right of the longest bar for its value label, so the label is never clipped."""
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    span = high - low
    room = 0.2 if labels else 0.02
    return alt.Scale(domain=[low - room * span if low < 0 else 0.0, high + room * span], nice=False)


def hbars(
    table: pd.DataFrame,
    category: str,
    value: str,
    layout: Layout,
    *,
    value_title: str,
    tooltip: list,
    fmt: str = ",.1f",
    color_field: str | None = None,
    color_scale: alt.Scale | None = None,
    labels: bool = True,
    above: bool | None = None,
    extra: dict | None = None,
):
    """Horizontal bars with value labels, in the table's order; ink unless coloured by company."""
    order = list(dict.fromkeys(table[category]))
    above = layout.narrow if above is None else above
    base = alt.Chart(table).encode(y=rows_y(category, order, layout, labels_above=above))
    enc = {
        "x": alt.X(
            f"{value}:Q", title=value_title, axis=alt.Axis(tickCount=4 if layout.narrow else 8), scale=_headroom(table[value], labels)
        ),
        "tooltip": tooltip,
        **(extra or {}),
    }
    if color_field:
        enc["color"] = alt.Color(f"{color_field}:N", scale=color_scale, legend=None)
        enc["stroke"] = alt.Stroke(f"{color_field}:N", scale=color_scale, legend=None)
    layers = [base.mark_bar(height=bar_height(layout, above), yOffset=bar_offset(layout, above), color=INK, stroke=INK).encode(**enc)]
    if labels:
        # Value labels beyond the bar's end: right of positive bars, left of negative ones.
        for test, align, dx in ((f"datum['{value}'] >= 0", "left", 4), (f"datum['{value}'] < 0", "right", -4)):
            layers.append(
                base.transform_filter(test)
                .mark_text(align=align, dx=dx, yOffset=bar_offset(layout, above))
                .encode(x=f"{value}:Q", text=alt.Text(f"{value}:Q", format=fmt), tooltip=tooltip)
            )
    label_layer = row_labels(table, category, order, layout, above=above)
    if label_layer is not None:
        layers.append(label_layer)
    return finish(alt.layer(*layers), layout, height=layout.row * len(order))


def diverging(
    table: pd.DataFrame,
    layout: Layout,
    *,
    row: str = "pair",
    order: list[str] | None = None,
    value_title: str,
    tooltip: list,
    fit: bool = True,
    width: int | None = None,
    scale: alt.Scale | None = None,
    domain: list[float] | None = None,
):
    """Money in left of zero, commitments back right, per row; colour = the company, lightness =
    firm or conditional. `table`: row, amount_bn (signed), status, company_id, company."""
    order = order or list(dict.fromkeys(table[row]))
    scale = scale or company_scale(table["company_id"], table["company"])
    base = alt.Chart(table)
    bars = base.mark_bar(height=bar_height(layout), yOffset=bar_offset(layout)).encode(
        y=rows_y(row, order, layout),
        x=alt.X(
            "amount_bn:Q",
            stack=True,
            axis=abs_axis(value_title, layout),
            scale=alt.Scale(domain=domain, nice=False) if domain else alt.Undefined,
        ),
        color=alt.Color("company:N", scale=scale, legend=None),
        stroke=alt.Stroke("company:N", scale=scale, legend=None),
        order=alt.Order("status_rank:Q"),
        tooltip=tooltip,
        **status_encodings(),
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=PALETTE["domain"][0]).encode(x="x:Q")
    layers = [bars, zero]
    label_layer = row_labels(table, row, order, layout)
    if label_layer is not None:
        layers.append(label_layer)
    chart = alt.layer(*layers).properties(height=layout.row * len(order))
    if width:
        chart = chart.properties(width=width)
    return finish(chart, layout, fit=fit) if fit else chart
