"""Page weight without losing looks or behaviour (book/_ext/rt_assets.py, rt_purge.py and
back-to-top.js): every theme rule that applies to a page's elements still reaches the page,
pages load an extension's assets only when their body uses it, and what bootstrap.js did
(back to top) and the header's controls still work."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from served_site import HTML, pages
from test_layout import readable_pages
from theme_rules import untrimmed_css

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import rt_assets  # noqa: E402
import rt_purge  # noqa: E402


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_theme_rule_a_page_uses_reaches_it(visited, mode):
    """From the one visit of each page (conftest.visited runs theme_rules.MISSING_RULES in light
    and dark mode): no rule of the untrimmed theme CSS that matches an element is lost."""
    checked = {path: visited[path].per_mode.get(mode) for path in readable_pages()}
    assert all(result is not None for result in checked.values()), "every page was checked"
    missing = {path: lost[:10] for path, lost in checked.items() if lost}
    assert missing == {}, "rules of the untrimmed theme CSS that match these pages' elements no longer reach them"


def test_trimmed_css_keeps_dark_mode_and_sidebars():
    """The run-time states: what scripts switch on, no page shows when built, so the test above
    cannot see them; they must still be styled after trimming."""
    styles = HTML / "_static" / "styles"
    theme = (styles / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    book = (styles / "sphinx-book-theme.css").read_text(encoding="utf-8")
    for selector in ["html[data-theme=dark]", ".bd-sidebar-primary", "#pst-search-dialog[open]", ".bd-sidebar-secondary.hide"]:
        assert selector in theme + book, selector
    for selector in [".bd-sidebar-primary.pst-sidebar-hidden", ".scrolled .bd-header-article"]:
        assert selector in book, selector
    untrimmed = untrimmed_css()
    assert len(theme) < len(untrimmed) / 3, "the theme's stylesheet was not trimmed"
    dark = re.compile(r"html\[data-theme=dark\]\{([^}]*)\}")
    assert dark.findall(untrimmed), "the theme's dark-mode colours are written differently: update this test"
    assert set(dark.findall(theme + book)) >= set(dark.findall(untrimmed)), "dark-mode colours were trimmed away"


def loaded_assets(path: str) -> set[str]:
    text = (HTML / path).read_text(encoding="utf-8")
    return {rt_assets.asset_key(src) for src in re.findall(r'(?:src|href)="([^"]+\.(?:js|css)(?:\?[^"]*)?)"', text)}


def test_pages_load_code_assets_only_with_code():
    with_code, without_code = [], []
    for path in pages():
        body = (HTML / path).read_text(encoding="utf-8")
        article = body[body.find('<article class="bd-article"') :] if '<article class="bd-article"' in body else ""
        (with_code if 'class="highlight"' in article else without_code).append(path)
    assert "book/deals/amazon-anthropic-2026.html" in without_code
    for path in without_code:
        assert not loaded_assets(path) & {"copybutton.js", "clipboard.min.js", "copybutton.css", "pygments.css"}, path
    for path in with_code:
        assert {"copybutton.js", "clipboard.min.js", "pygments.css"} <= loaded_assets(path), path


@pytest.mark.parametrize(
    ("asset", "body", "kept"),
    [
        ("_static/copybutton.js", '<div class="highlight-python notranslate"><div class="highlight"><pre>x</pre></div></div>', True),
        ("_static/copybutton.js", "<p>Prose only.</p>", False),
        ("_static/pygments.css", '<div class="highlight-myst-ansi"><pre>x</pre></div>', True),
        ("_static/design-tabs.js", '<div class="sd-tab-set docutils">', True),
        ("_static/design-tabs.js", '<div class="sd-card">', False),
        ("_static/sphinx-design.min.css", '<div class="sd-card">', True),
        ("_static/togglebutton.js", '<div class="admonition dropdown">', True),
        ("_static/togglebutton.css", '<div class="admonition note">', False),
        ("_static/mystnb.0123abcd.css", '<div class="cell docutils container">', True),
        ("_static/mystnb.0123abcd.css", '<span class="pasted-inline">$5.0B</span>', True),
        ("_static/mystnb.0123abcd.css", '<table class="rt-table">', False),
        ("_static/styles/pydata-sphinx-theme.css", "<p>Prose only.</p>", True),  # the theme's own: never dropped
    ],
)
def test_assets_are_dropped_only_when_unused(asset, body, kept):
    assert rt_assets.unused(asset, rt_assets.body_classes(body)) is not kept


def test_trimmed_css_is_reused_only_while_the_deciding_words_are_the_same(tmp_path):
    """A rebuild reuses the last trimmed stylesheets unless a word that PurgeCSS could act on
    came or went: a class the CSS names, or a word holding a partial attribute value."""
    css = ['.card { color: red } .rt-chart[data-kind^="bar"] { x: y } a[href*="wiki"] { z: w }']
    page = tmp_path / "page.html"

    def words(html: str) -> list[str]:
        page.write_text(html)
        return rt_purge.deciding_words(css, [page.read_text()])

    before = words('<div class="card">Amazon invests</div>')
    assert words('<div class="card">Amazon (edited) invests</div>') == before, "prose words decide nothing"
    assert words('<div class="card rt-chart">Amazon invests</div>') != before, "a class the CSS names"
    assert words('<div class="card">Amazon invests, says wikipedia</div>') != before, "a word holding a partial value"


def test_no_bootstrap_and_header_buttons_keep_their_titles():
    text = (HTML / "book" / "intro.html").read_text(encoding="utf-8")
    assert "bootstrap.js" not in text
    buttons = re.findall(r"<button\b[^>]*>", text)
    header = [b for b in buttons if 'data-bs-toggle="tooltip"' in b]
    assert header, "the header's buttons were not found"
    assert all(re.search(r'\btitle="[^"]+"', b) for b in header), header


def test_back_to_top_works_on_a_phone(browser, site):
    """The book theme shows the button on narrower screens only."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{site}/book/circular-economy.html", wait_until="load")
    back = page.locator("#pst-back-to-top")
    assert not back.is_visible()
    page.evaluate("window.scrollTo(0, 3000)")
    page.wait_for_function("window.scrollY > 2000")
    page.evaluate("window.scrollTo(0, 2500)")  # scrolling back up shows the button
    back.wait_for(state="visible", timeout=5_000)
    back.click()
    page.wait_for_function("window.scrollY === 0", timeout=5_000)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_theme_switch_turns_the_page_dark(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site}/book/circular-economy.html", wait_until="load")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    switch = page.locator(".theme-switch-button >> visible=true").first
    for _ in range(3):  # the switch cycles light -> auto -> dark
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
        switch.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    channels = [int(n) for n in re.findall(r"\d+", dark)[:3]]
    assert sum(channels) < 3 * 80, f"dark mode's background is {dark}"
    assert errors == []
    context.close()


def test_phone_hamburger_opens_the_sidebar_drawer(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{site}/book/intro.html", wait_until="load")
    page.locator(".primary-toggle >> visible=true").first.click()
    drawer = page.locator("#pst-primary-sidebar-modal")
    drawer.wait_for(state="visible")
    assert drawer.evaluate("d => d.open && d.matches(':modal')")
    assert drawer.bounding_box()["width"] > 200
    assert drawer.locator("a[href*='overview']").first.is_visible()
    page.keyboard.press("Escape")
    drawer.wait_for(state="hidden")
    context.close()


def test_wide_sidebar_button_hides_and_shows_the_sidebar(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{site}/book/intro.html", wait_until="load")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    toggle = page.locator(".primary-toggle >> visible=true").first
    toggle.click()
    sidebar.wait_for(state="hidden")  # the book theme slides it out and hides it
    toggle.click()
    sidebar.wait_for(state="visible")
    context.close()
