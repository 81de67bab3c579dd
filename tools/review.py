"""Screenshots of every page for authors to look at before calling a page done.

    make review                      # every page: 390 and 1280 px, light and dark, and no JavaScript
    python tools/review.py --only book/overview.html --charts

Writes PNGs and an index.html to flip through into _build/review/. `--charts` also shoots each
chart's figure on its own (narrow and wide), the quickest way to check a chart.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from served_site import CHROMIUM, CHROMIUM_ARGS, HTML, pages, serve  # noqa: E402

OUT = ROOT / "_build" / "review"
WIDTHS = (390, 1280)
MODES = (("light", True), ("dark", True), ("nojs", False))
DARK = "localStorage.setItem('mode','dark');localStorage.setItem('theme','dark');"


def shoot(only: list[str], charts: bool, out: Path = OUT) -> list[tuple[str, str, int, Path]]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    chosen = [p for p in pages() if not only or p in only]
    shots = []
    with serve() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            for mode, js in MODES:
                context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=js)
                if mode == "dark":
                    context.add_init_script(DARK)
                page = context.new_page()
                for path in chosen:
                    page.goto(f"{base}/{path}", wait_until="load")
                    stem = path.replace("/", "__").removesuffix(".html")
                    target = out / f"{stem}.{width}.{mode}.png"
                    page.screenshot(path=str(target), full_page=True)
                    shots.append((path, mode, width, target))
                    if charts:
                        for i, fig in enumerate(page.query_selector_all("figure.rt-chart")):
                            if js:
                                fig.hover()
                                page.wait_for_timeout(400)
                            chart = out / f"{stem}.chart{i}.{width}.{mode}.png"
                            fig.screenshot(path=str(chart))
                            shots.append((f"{path} chart {i + 1}", mode, width, chart))
                context.close()
        browser.close()
    write_index(shots, out)
    return shots


def write_index(shots, out: Path) -> None:
    rows = "\n".join(
        f"<figure><figcaption>{html.escape(name)} · {width} px · {mode}</figcaption>"
        f'<a href="{html.escape(path.name)}"><img loading="lazy" src="{html.escape(path.name)}" width="{min(width, 640)}"></a></figure>'
        for name, mode, width, path in sorted(shots, key=lambda s: (s[0], s[2], s[1]))
    )
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Round Trip review</title>"
        "<style>body{font:14px system-ui;margin:1rem}figure{display:inline-block;vertical-align:top;margin:0 1rem 2rem 0}"
        "img{border:1px solid #ccc;display:block}</style>\n" + rows + "\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="a page path such as book/overview.html (repeatable)")
    parser.add_argument("--charts", action="store_true", help="also shoot each chart on its own")
    args = parser.parse_args(argv)
    if not (HTML / "index.html").exists():
        print("The site is not built: run `make book` first.", file=sys.stderr)
        return 1
    shots = shoot(args.only, args.charts)
    print(f"{len(shots)} screenshots in {OUT.relative_to(ROOT)}/ — open {OUT.relative_to(ROOT)}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
