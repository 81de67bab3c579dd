"""Live preview: build, serve on 127.0.0.1, rebuild on save, reload open pages.

Usage: python tools/serve.py [--port 8000]

It watches book/, data/, analysis/, _config.yml and _toc.yml. A save triggers one incremental
`jupyter-book build`: prose edits re-execute nothing, ledger edits re-execute the chapters that
read the ledger (see book/_ext/rt_ledger_cache.py). Pages served by this preview get a small
script that reloads them after each successful build; the files in _build/html are untouched.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as site_build  # noqa: E402 - tools/build.py, the one build command

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
WATCHED = ["book", "data", "analysis", "_config.yml", "_toc.yml"]
RELOAD = b"""<script>(function(){var v=null;setInterval(function(){fetch('/__build').then(function(r){return r.text()})
.then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})();</script>"""


class State:
    build = 0


def snapshot() -> dict[Path, float]:
    files: dict[Path, float] = {}
    for name in WATCHED:
        path = ROOT / name
        candidates = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for p in candidates:
            if "__pycache__" not in p.parts and not p.name.startswith("."):
                files[p] = p.stat().st_mtime
    return files


def build() -> bool:
    started = time.monotonic()
    result = site_build.run(ROOT, strict=False)  # a warning shows here but does not stop the preview
    for line in result.log.splitlines():
        if (
            ("WARNING" in line and "IPKernelApp" not in line)
            or "ERROR" in line
            or "ledger changed" in line
            or "Executing notebook" in line
            or "executed in parallel" in line
        ):
            print("  " + line.strip())
    took = time.monotonic() - started
    if result.ok:
        State.build += 1
        print(f"built in {took:.1f}s — open pages reload by themselves")
        return True
    print(f"build FAILED after {took:.1f}s; the last good site stays up (fix the error above and save)")
    return False


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(HTML), **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.path == "/__build":
            body = str(State.build).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.exists():
            body = path.read_bytes().replace(b"</body>", RELOAD + b"</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    # Bind first: a busy port should fail before a long build, not after it.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(Handler))
    seen = snapshot()  # before building: an edit saved during the first build triggers another
    build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"previewing on http://127.0.0.1:{args.port}/ — watching {', '.join(WATCHED)} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(0.5)
            now = snapshot()
            if now != seen:
                time.sleep(0.3)  # let an editor finish writing
                now = snapshot()
                changed = sorted(str(p.relative_to(ROOT)) for p in set(now) | set(seen) if now.get(p) != seen.get(p))
                seen = now
                print(f"changed: {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}")
                build()
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
