"""Every chart of the book builds from the real ledger into a complete published figure."""

import re

import pytest

import analysis
from analysis import figures


@pytest.fixture(scope="module")
def ds():
    return analysis.load()


@pytest.mark.parametrize("build", figures.ALL, ids=lambda f: f.__name__)
def test_figure_builds_with_description_data_and_sources(ds, build):
    fig = build(ds)
    assert fig.description.strip(), "a screen-reader description"
    assert len(fig.data) > 0, "plotted data for the table and CSV"
    assert fig.sources, "sources behind the chart"
    assert all(s.kind != "seed" for s in fig.sources), "seed articles never back a chart"
    spec = fig.spec()
    assert spec["description"] == fig.description
    assert "<svg" in fig.svg()


def test_figure_names_are_unique_slugs(ds):
    names = [build(ds).name for build in figures.ALL]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9-]+", n) for n in names)


def test_every_chapter_chart_is_one_call():
    """Chapters draw charts only through analysis.figures: no Altair or chart builder inline."""
    from pathlib import Path

    book = Path(__file__).resolve().parent.parent / "book"
    for page in book.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "alt.Chart" not in text and "charts.figure(" not in text and "charts._" not in text, page.name
