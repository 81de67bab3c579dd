"""Deal and company pages: titles that name the parties, ledger text that stays text, links
both ways between chapters and deals, and one page per company.

The payload tests build a small Sphinx project (the book's own extension, theme and templates)
over the fixture ledger with markup in every text a deal page shows, and read the HTML.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ledger_fixture import ROWS, write_ledger, write_seeds

import analysis
from analysis import company_pages, deal_pages
from analysis.render import text as render_text

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html" / "book"
PAYLOAD = """it's "quoted" “curly” `tick` {x} $5 & <b>bold</b> </script><script>window.__x=1</script><img src=x onerror=alert(1)>"""


# --- Unit: names and titles ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    return analysis.load(write_ledger(root / "data"), seeds_dir=write_seeds(root / "seeds"))


def test_display_title_names_the_investor_and_the_lab(ds):
    assert deal_pages.display_title(ds, "aa-2023") == "Amazon → Anthropic: Deal one — $4,000 invested"
    # the lab's commitment back is Amazon selling to Anthropic: the arrow still points at the lab
    assert deal_pages.parties_label(ds, "aa-2026") == "Amazon → Anthropic"
    assert deal_pages.headline(ds, "aa-2026") == "up to $2,500 invested, $10,000 of spending committed"


def test_display_title_keeps_a_title_that_states_its_money(ds, monkeypatch):
    patched = ds.agreements.copy()
    patched.loc[patched["agreement_id"] == "aa-2023", "title"] = "Deal one ($4B)"
    monkeypatch.setattr(ds, "agreements", patched)
    assert deal_pages.display_title(ds, "aa-2023") == "Amazon → Anthropic: Deal one ($4B)"


def test_sides_without_a_lab_follow_the_first_leg(ds, monkeypatch):
    flows = ds.flows.copy()
    flows.loc[flows["agreement_id"] == "aa-2023", "to_id"] = "google"
    monkeypatch.setattr(ds, "flows", flows)
    assert deal_pages.parties_label(ds, "aa-2023") == "Amazon → Google"


def test_chapters_deal_links_use_the_display_title(ds):
    from analysis import story, views

    title = str(render_text(deal_pages.display_title(ds, "aa-2026")))
    assert f">{title}</a>" in str(story.deal_link(ds, "aa-2026"))
    assert f'title="{title}"' in str(story.deal_link(ds, "aa-2026", short=True))
    assert f">{title}</a>" in str(views.deal_links(ds, ["aa-2026"]))


def test_readers_see_labels_not_field_names_or_ids(ds):
    page = deal_pages.page(ds, "aa-2026")
    html = "".join(str(block) for _, block in page.blocks)
    visible = re.sub(r"<[^>]+>", " ", html)
    for raw in ("amount_usd", "cloud_commitment", "single-source", "aa-2026-back", "capacity_gw", "invested_usd_max"):
        assert raw not in visible, raw
    assert "firm amount" in visible and "cloud commitment" in visible and "5 GW" in visible
    assert 'id="aa-2026-back"' in html  # leg ids stay as anchors


def test_sources_list_primary_first_and_copies_under_their_original(ds, monkeypatch):
    sources = ds.sources.copy()
    copy_row = sources["source_id"] == "blog-c"
    sources.loc[copy_row, ["tier", "original_publisher", "original_url", "publisher", "url"]] = [
        "copy",
        "The Original",
        "https://original.example/story",
        "mirror.example",
        "https://mirror.example/x",
    ]
    monkeypatch.setattr(ds, "sources", sources)
    listing = str(deal_pages.sources_list(ds, ["blog-c", "wire-a", "co-2023"]))
    assert listing.index("Amazon") < listing.index("Wire A") < listing.index("The Original")
    assert '<a href="https://original.example/story">The Original</a>' in listing
    assert "read via" in listing and ">mirror.example<" not in listing


def test_company_totals_by_direction(ds):
    totals = company_pages.totals(ds, "amazon")
    # firm 1000 + 3000 + 500 (the superseded option counts nothing); up to adds the open 2000
    assert totals["Invested in others"] == {"firm": 4500, "headline": 6500}
    assert totals["Commitments received (others to spend with it)"] == {"firm": 10000, "headline": 10000}
    assert company_pages.totals(ds, "anthropic")["Investment received"] == {"firm": 4500, "headline": 6500}
    assert company_pages.totals(ds, "google")["Invested in others"] == {"firm": 0, "headline": 0}


# --- Payloads: built through the book's own extension and theme --------------------------------------


def payload_rows() -> dict:
    rows = copy.deepcopy(ROWS)
    rows["agreements"][0]["title"] = PAYLOAD
    rows["agreements"][0]["summary"] = PAYLOAD
    rows["entities"][0]["name"] = "Amazon " + PAYLOAD
    rows["flows"][1]["condition"] = PAYLOAD
    rows["flows"][0]["note"] = PAYLOAD
    rows["sources"][1]["publisher"] = PAYLOAD
    rows["sources"][1]["title"] = PAYLOAD
    rows["claims"][6]["note"] = PAYLOAD
    return rows


class Page(HTMLParser):
    """Text of <title>, the first <h1> in the article and the print heading; every element and attribute."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.texts: dict[str, str] = {"title": "", "h1": "", "print": ""}
        self.tags: list[tuple[str, dict]] = []
        self.in_print = False
        self.h1s = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id") == "jb-print-docs-body":
            self.in_print = True
        if tag == "h1":
            self.h1s += 1
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "h1" and self.in_print:
            self.in_print = False

    def handle_data(self, data):
        if self.stack[-1:] == ["title"]:
            self.texts["title"] += data
        elif "h1" in self.stack and self.in_print:
            self.texts["print"] += data
        elif "h1" in self.stack and self.h1s == 2:
            self.texts["h1"] += data


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("payload-book")
    write_ledger(project / "data", payload_rows())
    (project / "book").mkdir()
    (project / "book" / "glossary.md").write_text((ROOT / "book" / "glossary.md").read_text())
    (project / "book" / "chapter.md").write_text("# A chapter\n\nSee [the first deal](deals/aa-2023.md).\n")
    (project / "index.md").write_text("# Home\n\n```{toctree}\nbook/chapter\nbook/deals/index\nbook/companies/index\nbook/glossary\n```\n")
    (project / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT / "book" / "_ext")!r})
            extensions = ["myst_parser", "rt_pages", "rt_titles"]
            html_theme = "sphinx_book_theme"
            templates_path = [{str(ROOT / "book" / "_templates")!r}]
            exclude_patterns = ["_build", "data"]
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ROUND_TRIP_SEEDS": str(write_seeds(project / "seeds"))}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-q", ".", "_build/html"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project / "_build" / "html" / "book"


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_payload_title_is_literal_text_in_title_heading_and_print_heading(payload_site):
    page = parse(payload_site / "deals" / "aa-2023.html")
    expected = f"Amazon {PAYLOAD} → Anthropic: {PAYLOAD}"
    assert page.texts["title"].startswith(expected)
    assert page.texts["h1"].strip().startswith(expected)
    assert page.texts["print"].strip() == expected


@pytest.mark.parametrize("page_path", ["deals/aa-2023.html", "deals/index.html", "companies/amazon.html", "companies/index.html"])
def test_payloads_never_become_elements_or_attributes(payload_site, page_path):
    page = parse(payload_site / page_path)
    scripts = [a for tag, a in page.tags if tag == "script" and not a.get("src")]
    assert not any("__x" in str(a) for a in scripts)
    assert not [a for tag, a in page.tags if tag == "img" and a.get("src") == "x"]
    assert not [a for tag, a in page.tags if any(k.startswith("on") and "alert" in (v or "") for k, v in a.items())]
    assert not [a for tag, a in page.tags if tag == "b"]
    text = (payload_site / page_path).read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;window.__x=1" in text  # shown, escaped


def test_payload_deal_page_shows_each_text_once_as_text(payload_site):
    text = (payload_site / "deals" / "aa-2023.html").read_text(encoding="utf-8")
    # title (twice: <title> aside), summary, note, condition, publisher, source title, claim note
    assert text.count("&lt;img src=x onerror=alert(1)&gt;") >= 6
    assert "it&#39;s" in text or "it's" in text
    assert "“curly”" in text and "`tick`" in text and "{x}" in text


def test_payload_deal_page_links_back_to_the_chapter(payload_site):
    text = (payload_site / "deals" / "aa-2023.html").read_text(encoding="utf-8")
    assert re.search(r'Discussed in: </strong><a class="reference internal" href="\.\./chapter\.html">A chapter</a>', text)
    # a deal no chapter links to says nothing about chapters
    assert "Discussed in" not in (payload_site / "deals" / "aa-2026.html").read_text(encoding="utf-8")


# --- The built book ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger():
    if not (HTML / "deals" / "index.html").exists():
        pytest.fail("the site is not built: run `make book` first", pytrace=False)
    return analysis.load()


def test_every_deal_page_title_names_both_sides(ledger):
    for agreement_id in ledger.agreements["agreement_id"]:
        page = parse(HTML / "deals" / f"{agreement_id}.html")
        giving, taking = deal_pages.sides(ledger, agreement_id)
        heading = page.texts["h1"]
        names = [ledger.entity_name(e) for e in giving + taking]
        assert all(name in heading.split(":")[0] for name in names), (agreement_id, heading)
        assert " → " in heading


def test_every_deal_a_chapter_links_links_back_to_that_chapter(ledger):
    chapters = [p for p in HTML.glob("*.html")]
    linked = 0
    for chapter in chapters:
        for agreement_id in set(re.findall(r'href="deals/([a-z0-9-]+)\.html', chapter.read_text(encoding="utf-8"))) - {"index"}:
            deal = (HTML / "deals" / f"{agreement_id}.html").read_text(encoding="utf-8")
            assert f'href="../{chapter.name}"' in deal, (agreement_id, chapter.name)
            linked += 1
    assert linked > 0


def test_every_deal_page_links_to_a_chapter_that_discusses_it(ledger):
    for agreement_id in ledger.agreements["agreement_id"]:
        deal = (HTML / "deals" / f"{agreement_id}.html").read_text(encoding="utf-8")
        discussed = re.search(r'<p class="rt-discussed-in">(.*?)</p>', deal, re.S)
        assert discussed and re.search(r'href="\.\./[a-z-]+\.html"', discussed.group(1)), f"no chapter discusses {agreement_id}"


def test_one_page_per_company_and_none_for_regulators(ledger):
    companies = company_pages.companies(ledger)
    built = {p.stem for p in (HTML / "companies").glob("*.html")} - {"index"}
    assert built == set(companies)
    regulators = set(ledger.entities.loc[ledger.entities["kind"] == "regulator", "entity_id"])
    assert regulators and not regulators & built
    index = (HTML / "companies" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{c}.html"' in index for c in companies)


def test_company_page_links_every_deal_it_takes_part_in(ledger):
    text = (HTML / "companies" / "amazon.html").read_text(encoding="utf-8")
    for agreement_id in company_pages.agreements_of(ledger, "amazon"):
        assert f'href="../deals/{agreement_id}.html"' in text


def test_sidebar_lists_no_deal_or_company_page():
    for page in (HTML / "overview.html", HTML / "deals" / "amazon-anthropic-2023.html"):
        sidebar = page.read_text(encoding="utf-8").split('class="bd-sidebar-primary', 1)[1].split("</nav>", 1)[0]
        assert "deals/index.html" in sidebar or "index.html" in sidebar
        assert "amazon-anthropic-2023.html" not in sidebar and "companies/amazon.html" not in sidebar
        assert "execution.html" not in sidebar
