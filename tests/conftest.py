import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from served_site import CHROMIUM, CHROMIUM_ARGS, HTML, serve  # noqa: E402


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
