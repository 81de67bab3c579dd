"""Shared fixtures. Everything that needs a built site uses the one `make book` built, and
everything that needs a browser visit of each page reads the one pass `visited` makes.

- site: base URL of _build/html served on loopback (session)
- browser: Playwright Chromium, sync API (session)
- visited: {page path: site_pass.PageReport} — one visit per page of `site`, collecting errors,
  off-host requests, chart states and axe-core in light and dark mode (session)
- site_copy: a copy of the repository built cold (copies.py); tests restore what they edit
- ledger_copy: a copy with the CONTRIBUTING.md deal and markup payloads in its ledger, built
"""

import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import copies  # noqa: E402
from served_site import CHROMIUM, CHROMIUM_ARGS, HTML, pages, serve  # noqa: E402


@pytest.fixture(scope="session")
def site():
    """The built site, served on 127.0.0.1 for the whole test session."""
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make book` first", pytrace=False)
    with serve() as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Chromium driven by Playwright (see served_site.CHROMIUM)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def visit_the_site(where: Path) -> dict:
    """One browser pass over the built site (site_pass.visit_all), on a server of its own."""
    from site_pass import visit_all
    from theme_rules import MISSING_RULES, original_css

    if not (HTML / "index.html").exists():
        raise RuntimeError("the site is not built: run `make book` first")
    with serve() as base:
        return visit_all(base, pages(), per_mode=(MISSING_RULES, original_css()))


# The browser pass and the two copies run in the background from the moment the tests are
# collected; their fixtures wait for them. Each starts only when a collected test uses it, and
# the modules that use one run last, so the unit and notebook tests run meanwhile.
BACKGROUND = {"visited": visit_the_site, "site_copy": copies.site_copy, "ledger_copy": copies.ledger_copy}
_started: dict[str, copies.Background] = {}


def _uses_background(item) -> bool:
    return bool(BACKGROUND.keys() & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(session, config, items):
    later = {item.module for item in items if _uses_background(item) and getattr(item, "module", None) is not None}
    items.sort(key=lambda item: getattr(item, "module", None) in later)  # stable: modules stay whole and in order


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    used = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    for name, make in BACKGROUND.items():
        if name in used:
            _started[name] = copies.Background(make, Path(tempfile.mkdtemp(prefix=f"round-trip-{name}-")))


def pytest_sessionfinish(session):
    for started in _started.values():
        started.cleanup()


def _background(name: str):
    if name not in _started:  # not seen at collection (e.g. requested dynamically): start now
        _started[name] = copies.Background(BACKGROUND[name], Path(tempfile.mkdtemp(prefix=f"round-trip-{name}-")))
    return _started[name].result()


@pytest.fixture(scope="session")
def visited() -> dict:
    """{page path: site_pass.PageReport}: one visit per page of the built site, shared by every
    per-page browser check."""
    return _background("visited")


@pytest.fixture(scope="session")
def site_copy() -> copies.BuiltCopy:
    """The repository copied and built cold (every chapter executes). Restore what you edit."""
    return _background("site_copy")


@pytest.fixture(scope="session")
def ledger_copy() -> copies.BuiltCopy:
    """The repository with markup payloads in every text column and in datapackage.json, and
    CONTRIBUTING.md's example deal appended, validated and built from `make book`'s cache."""
    return _background("ledger_copy")
