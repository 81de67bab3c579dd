"""Every chart of the book builds from the real ledger into a complete published figure, and the
frame's rules hold: sources tied to rows, no seed or digest as backing, copies under their
original's name, reader words only, formulas neutralised in the CSV."""

import dataclasses
import re
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
import vl_convert as vlc

import analysis
from analysis import charts, figures, frame, palette

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ds():
    return analysis.load()


@pytest.fixture(scope="module")
def built(ds):
    return {build.__name__: build(ds) for build in figures.ALL}


@pytest.mark.parametrize("name", [b.__name__ for b in figures.ALL])
def test_figure_is_complete(built, name):
    fig = built[name]
    assert fig.title.strip() and fig.description.strip()
    assert len(fig.table) > 0 and len(fig.row_sources) == len(fig.table)
    assert fig.sources, "sources behind the chart"
    assert all(s.tier in frame.TIER_RANK and s.kind != "seed" for s in fig.sources), "seeds and digests never back a chart"
    for column in fig.table.columns:
        assert not re.fullmatch(r"[a-z]+(_[a-z]+)+", column), f"{name}: column {column!r} is a field name"
    for layout in charts.LAYOUTS:
        fig.build(layout).to_dict(validate=True)  # the build skips Altair's schema check; here it runs
        spec = fig.spec(layout)
        assert "title" not in spec, "titles are HTML around the chart"
        assert spec["description"] == fig.description
        svg = fig.svg(layout)
        width = float(re.search(r'width="([0-9.]+)"', svg).group(1))
        assert width <= layout.width + 40, f"{name} {layout.name} is {width} px wide"


def test_sources_are_ranked_by_tier(built):
    fig = built["overview_roundtrip"]
    ranks = [frame.TIER_RANK[s.tier] for s in fig.sources]
    assert ranks == sorted(ranks)


def test_a_copy_is_shown_under_its_original(ds):
    copies = ds.sources[(ds.sources["tier"] == "copy") & ds.sources["original_publisher"].notna()]
    assert not copies.empty, "the ledger reads some reporting through copies"
    row = copies.iloc[0]
    ref = frame.sources_for(ds, [row["source_id"]])[0]
    assert ref.publisher == row["original_publisher"]
    assert "read via a copy" in ref.html()


def test_source_html_escapes_and_names_copies():
    ref = frame.SourceRef("x", "<b>Wire</b>", "2024-03", "https://example.com/a", tier="copy", via_url="https://mirror.example/a")
    out = str(ref.html())
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert 'href="https://mirror.example/a">read via a copy' in out


def test_csv_neutralises_formulas(built):
    fig = built["regulatory_actions"]
    poisoned = dataclasses.replace(fig, table=fig.table.assign(Action="=HYPERLINK(1)"))
    assert "'=HYPERLINK(1)" in poisoned.csv()


def test_frame_html_has_three_views_and_downloads(built):
    html = str(frame.frame_html(built["amazon_tranches"]))
    for view in ("chart", "table", "sources"):
        assert f'id="rt-amazon-anthropic-tranches-{view}"' in html
    for ext in ("csv", "svg", "png"):
        assert f'{frame.CHARTS_PREFIX}amazon-anthropic-tranches.{ext}"' in html
    assert "rt-svg-wide" in html and "rt-svg-narrow" in html
    assert "Cite this chart" in html and 'href="#chart-amazon-anthropic-tranches"' in html


def test_export_image_carries_title_source_and_licence(built):
    fig = built["amazon_tranches"]
    svg = fig.export_svg()
    text = " ".join(re.findall(r"<text [^>]*>([^<]*)</text>", svg))
    assert fig.title.split()[0] in text and "Source:" in text and frame.LICENCE in text
    assert fig.drawing()[len("<svg ") :] in svg, "the page's own drawing, set in place"
    png = vlc.svg_to_png(svg, scale=1)
    assert png.startswith(b"\x89PNG")


def test_export_image_escapes_ledger_text(built):
    fig = dataclasses.replace(built["regulatory_actions"], title='<script>alert(1)</script> & "quotes"')
    svg = fig.export_svg()
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in svg
    ElementTree.fromstring(svg)  # well-formed XML: the PNG and the download need it


def test_dark_css_covers_every_palette_colour():
    css = palette.dark_css()
    for name, (light, dark) in palette.PALETTE.items():
        assert f'[fill="{light}" i]{{fill:{dark}}}' in css
        assert f".rt-c-{name}{{--c:{light}}}" in css
    lights = [light.lower() for light, _ in palette.PALETTE.values()]
    assert len(set(lights)) == len(lights), "each light colour means one thing"


def test_company_colours_are_only_used_for_companies(built):
    """Ink, not a company colour, draws marks that are not about a company."""
    spec = str(built["confidence_by_deal"].spec())
    assert not any(c in spec for c in charts.COMPANY_COLORS.values())


def test_year_only_dates_span_the_year():
    start = pd.Series(pd.to_datetime(["2025-01-01", "2025-03-01", "2025-03-09"]))
    ends = figures._period_end(start, pd.Series(["year", "month", "day"]))
    assert [d.strftime("%Y-%m-%d") for d in ends] == ["2025-12-31", "2025-03-31", "2025-03-09"]


def test_figure_names_are_unique_slugs(built):
    names = [f.name for f in built.values()]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9-]+", n) for n in names)


def test_every_chapter_chart_is_one_call():
    """Chapters draw charts only through analysis.figures: no Altair or chart builder inline."""
    for page in (ROOT / "book").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "alt.Chart" not in text and "charts.figure(" not in text and "charts._" not in text, page.name
