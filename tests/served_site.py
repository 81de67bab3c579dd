"""Serve the built site on loopback and drive the system Chromium, for browser tests."""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
# The system Chromium (Debian's package, installed by `make test`), or CHROMIUM=bundled to use
# the browser `playwright install chromium` downloads where that is possible (GitHub Actions).
_CHOSEN = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM = None if _CHOSEN == "bundled" else _CHOSEN
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closing a connection mid-reply (a page left, a screenshot taken) is normal.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path = HTML):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pages(directory: Path = HTML) -> list[str]:
    """Every HTML page of the built site, as paths relative to its root."""
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*.html") if "_static" not in p.parts)
