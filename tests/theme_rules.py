"""What the trimmed theme stylesheets are checked against: the stylesheets as the themes and
extensions ship them, and a probe that lists, in a page, the untrimmed rules that match one of
its elements but no longer reach it. Run in the one browser pass (conftest.visited), in light
and dark mode; asserted by tests/test_weight.py."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path


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
  // Parsed once per page: the dark-mode run on the same page reuses the light run's parse.
  if (!window.__rtOriginalSelectors) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(original);
    window.__rtOriginalSelectors = [...selectors(sheet.cssRules, new Set(), matters)];
  }
  const applies = (selector) => {
    for (const candidate of [selector.replace(/::?[a-zA-Z-]+(?![\\w(-])/g, ""), selector]) {
      try { return document.querySelector(candidate) !== null; } catch (e) { /* try the next */ }
    }
    return false;
  };
  return window.__rtOriginalSelectors.filter((s) => !loaded.has(s) && applies(s));
}"""


@cache
def original_css() -> str:
    # Constructed stylesheets refuse @import; the theme's stylesheets import nothing we check.
    return re.sub(r"@import[^;]*;", "", untrimmed_css())
