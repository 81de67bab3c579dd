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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import rt_assets  # noqa: E402

DARK = "localStorage.setItem('mode','dark');localStorage.setItem('theme','dark');"


def untrimmed_css() -> str:
    """The stylesheets as the themes and extensions ship them, before rt_purge trims them."""
    import myst_nb
    import pydata_sphinx_theme
    import sphinx
    import sphinx_book_theme
    import sphinx_copybutton
    import sphinx_design
    import sphinx_togglebutton

    def home(module) -> Path:
        return Path(module.__file__).parent

    files = [
        home(pydata_sphinx_theme) / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css",
        home(sphinx_book_theme) / "theme/sphinx_book_theme/static/styles/sphinx-book-theme.css",
        home(sphinx) / "themes/basic/static/basic.css.jinja",
        home(sphinx_design) / "static/sphinx-design.min.css",
        home(myst_nb) / "static/mystnb.css",
        home(sphinx_copybutton) / "_static/copybutton.css",
        home(sphinx_togglebutton) / "_static/togglebutton.css",
    ]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


# In the page: the selectors of `original` that match one of its elements (ignoring state such
# as :hover or ::before, which no test can set for every rule) but reach the page in none of its
# stylesheets. Selector lists are compared one selector at a time, as PurgeCSS trims them.
MISSING_RULES = """(original) => {
  const parts = (list) => {
    const out = []; let depth = 0, start = 0;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c === "(" || c === "[") depth++;
      else if (c === ")" || c === "]") depth--;
      else if (c === "," && depth === 0) { out.push(list.slice(start, i).trim()); start = i + 1; }
    }
    out.push(list.slice(start).trim());
    return out;
  };
  let loadedText = "";
  const selectors = (rules, out, keep) => {
    for (const rule of rules) {
      if (rule.selectorText !== undefined && keep(rule)) parts(rule.selectorText).forEach((s) => out.add(s));
      if (rule.styleSheet) selectors(rule.styleSheet.cssRules, out, keep);
      if (rule.cssRules) selectors(rule.cssRules, out, keep);
    }
    return out;
  };
  const loaded = new Set();
  for (const sheet of document.styleSheets) selectors(sheet.cssRules, loaded, (rule) => (loadedText += rule.cssText) || true);
  // A rule that only sets custom properties changes nothing unless a loaded rule reads them.
  const matters = (rule) => {
    const names = [...(rule.style || [])];
    return !names.length || !names.every((n) => n.startsWith("--")) || names.some((n) => loadedText.includes(`var(${n}`));
  };
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(original);
  const applies = (selector) => {
    for (const candidate of [selector.replace(/::?[a-zA-Z-]+(?![\\w(-])/g, ""), selector]) {
      try { return document.querySelector(candidate) !== null; } catch (e) { /* try the next */ }
    }
    return false;
  };
  return [...selectors(sheet.cssRules, new Set(), matters)].filter((s) => !loaded.has(s) && applies(s));
}"""


@pytest.fixture(scope="module")
def original_css() -> str:
    # Constructed stylesheets refuse @import; the theme's stylesheets import nothing we check.
    return re.sub(r"@import[^;]*;", "", untrimmed_css())


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_theme_rule_a_page_uses_reaches_it(browser, site, original_css, mode):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if mode == "dark":
        context.add_init_script(DARK)
    page = context.new_page()
    missing = {}
    for path in readable_pages():
        page.goto(f"{site}/{path}", wait_until="load")
        lost = page.evaluate(MISSING_RULES, original_css)
        if lost:
            missing[path] = lost[:10]
    context.close()
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
