"""Benchmark the site: build times, and per page weight and speed — this site beside the stock
configuration (Altair's default CDN loading, no static fallback) as the baseline.

Usage: python tools/bench.py [--json PATH] [--markdown PATH] [--scales 1,10,30] [--scales-only]

With --scales, the real ledger is also scaled ×N (analysis/synthetic.py: agreements cloned with
their legs, claims and sources) and, for each N, the engine's times (validate, a cold load()
without the cache, a load() from the cache, and reading the same CSVs with pandas for scale)
and a cold build of a copy of the repository holding the scaled ledger are measured, with the
time each chapter took to execute. --scales-only skips the page and stock measurements and
replaces only the scale section of the markdown report.

The stock baseline is this repository built with ROUND_TRIP_STOCK_CHARTS=1 (each chart as
Altair's own HTML, loading Vega from its CDN, with no static SVG) and without the layout
override in book/_templates (so the theme loads all its stock assets).

Works on throwaway copies of the repository, so it never touches your _build/. Prints the
machine it ran on, then the tables. Goals (reported, never asserted): chart page <= 600 KB
gzip, text page <= 300 KB gzip, first chart visible at first paint, all charts interactive
<= 1 s after load, cold build <= 60 s, no-change rebuild <= 5 s.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))
import build as site_build  # noqa: E402 - tools/build.py, the one build command
from served_site import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

PAGES = [
    "book/overview.html",
    "book/amazon-anthropic.html",
    "book/circular-economy.html",
    "book/custom-silicon.html",
    "book/intro.html",
    "book/deals/amazon-anthropic-2026.html",
]
# Recorded in the page from the first script on: when a chart is first visible and when all
# charts on the page are interactive (a Vega view is attached), in ms since navigation start.
PROBE = """
window.__rt = {first: null, all: null};
(function tick() {
  var figures = document.querySelectorAll('figure.rt-chart, .rt-stock-chart');
  var visible = Array.from(document.querySelectorAll('figure.rt-chart svg, .vega-embed svg, .vega-embed canvas'))
    .some(function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  if (visible && window.__rt.first === null) window.__rt.first = performance.now();
  var ready = document.querySelectorAll('figure.rt-chart.rt-chart-ready, .rt-stock-chart .vega-embed').length;
  if (figures.length && ready >= figures.length && window.__rt.all === null) window.__rt.all = performance.now();
  if (window.__rt.all === null && performance.now() < 15000) requestAnimationFrame(tick);
})();
"""


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor(),
    )
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0")
    chromium = (
        subprocess.run([CHROMIUM or "chromium", "--version"], capture_output=True, text=True).stdout.strip()
        if CHROMIUM
        else "Playwright bundled"
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory) / 2**20, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "browser": chromium,
    }


def copy_repo(where: Path) -> Path:
    return site_build.copy_repo(where / "round-trip")


def build(repo: Path, stock: bool = False) -> float:
    env = {"ROUND_TRIP_STOCK_CHARTS": "1"} if stock else {}
    started = time.monotonic()
    result = site_build.run(repo, strict=False, env=env)
    took = time.monotonic() - started
    if not result.ok:
        raise SystemExit(f"build failed in {repo}:\n{result.log[-4000:]}")
    return took


REPEATS = 3  # each rebuild is timed this many times; the report gives the median and the range


def build_times(repo: Path) -> dict[str, list[float]]:
    """Seconds per build step: one cold build, then each kind of rebuild REPEATS times (an edit
    is made, undone and made again, so every run rebuilds after a real change)."""
    times = {"cold build": [build(repo)]}
    times["no-change rebuild"] = [build(repo) for _ in range(REPEATS)]
    chapter = repo / "book" / "regulation.md"
    prose = [chapter.read_text(), chapter.read_text().replace("**The question.**", "**The question, restated.**", 1)]
    times["rebuild after a prose edit"] = []
    for n in range(REPEATS):
        chapter.write_text(prose[(n + 1) % 2])
        times["rebuild after a prose edit"].append(build(repo))
    entities = repo / "data" / "entities.csv"
    rows = list(csv.reader(entities.open(newline="")))
    names = [rows[1][1], rows[1][1] + " (edited)"]
    times["rebuild after a CSV edit"] = []
    for n in range(REPEATS):
        rows[1][1] = names[(n + 1) % 2]
        with entities.open("w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        times["rebuild after a CSV edit"].append(build(repo))
    return times


def transfer(html: Path, urls: list[str]) -> tuple[int, int, int]:
    """Bytes of the site's own files a page requested: raw, gzip-compressed, and JavaScript."""
    files = [html / urlsplit(u).path.lstrip("/") for u in dict.fromkeys(urls)]
    files = [f / "index.html" if f.is_dir() else f for f in files if f.exists()]
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
    return raw, zipped, sum(f.stat().st_size for f in files if f.suffix == ".js")


ENGINE = """
import glob, json, time
import pandas as pd
import analysis
from analysis import dataset

def best(f, n):
    times = []
    for _ in range(n):
        started = time.perf_counter()
        f()
        times.append(time.perf_counter() - started)
    return min(times)

files = sorted(glob.glob("data/*.csv"))
read = best(lambda: [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], 3)
validate = best(lambda: analysis.validate("data"), 1)
cold = best(lambda: analysis.load("data", cache=False), 1)
analysis.load("data")  # fills the cache

def cached():
    dataset._MEMO.clear()  # as a new process would
    analysis.load("data")

print(json.dumps({"read_s": read, "validate_s": validate, "load_cold_s": cold, "load_cached_s": best(cached, 3),
                  "flows": len(analysis.load("data").flows), "claims": len(analysis.load("data").claims)}))
"""


def timed_build(repo: Path) -> dict:
    """A cold build of `repo` that reports failure instead of stopping the benchmark."""
    import resource

    env = {**os.environ, "PYTHONPATH": str(repo)}
    command = site_build.command(strict=False)  # a warning is reported, not fatal, at scale
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and every kernel it ran
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    chapters = {}
    cache = repo / "_build" / ".jupyter_cache"
    if cache.exists():
        from jupyter_cache import get_cache

        for record in get_cache(str(cache)).list_cache_records():
            chapters[Path(record.uri).stem] = round(record.data.get("execution_seconds", 0), 1)
    return {
        "seconds": took,
        "cpu_seconds": cpu,
        "ok": result.returncode == 0,
        "tail": (result.stdout + result.stderr)[-1500:] if result.returncode else "",
        "chapters": chapters,
        "deal_pages": len(list((repo / "book" / "deals").glob("*.md"))),
    }


def scale_times(scales: list[int]) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from analysis.synthetic import scale

    rows = []
    for factor in scales:
        with tempfile.TemporaryDirectory() as where:
            repo = copy_repo(Path(where))
            if factor != 1:
                shutil.rmtree(repo / "data")
                scale(ROOT / "data", repo / "data", factor)
            env = {**os.environ, "PYTHONPATH": str(repo), "ROUND_TRIP_LEDGER_CACHE": str(Path(where) / "engine-cache")}
            engine = subprocess.run([sys.executable, "-c", ENGINE], cwd=repo, env=env, capture_output=True, text=True)
            if engine.returncode != 0:
                raise SystemExit(f"the engine failed on the ledger ×{factor}:\n{engine.stderr[-2000:]}")
            row = {"scale": factor, **json.loads(engine.stdout)}
            print(f"×{factor}: engine {row}", flush=True)
            row["build"] = timed_build(repo)
            print(f"×{factor}: cold build {row['build']['seconds']:.0f} s, ok={row['build']['ok']}", flush=True)
            rows.append(row)
    return rows


SCALE_COLUMNS = [
    "scale",
    "flows",
    "claims",
    "read CSVs (s)",
    "validate (s)",
    "load, cold (s)",
    "load, cached (s)",
    "cold build (s)",
    "wall vs ×1",
    "build CPU (s)",
    "CPU vs ×1",
]


def scale_rows(rows: list[dict]) -> list[dict]:
    base = next((r["build"] for r in rows if r["scale"] == 1 and r["build"]["ok"]), None)

    def versus(build: dict, measure: str) -> str | None:
        return f"{build[measure] / base[measure]:.1f}×" if base and build["ok"] and measure in build and measure in base else None

    out = []
    for r in rows:
        build = r["build"]
        out.append(
            {
                "scale": f"×{r['scale']}",
                "flows": r["flows"],
                "claims": r["claims"],
                "read CSVs (s)": round(r["read_s"], 3),
                "validate (s)": round(r["validate_s"], 2),
                "load, cold (s)": round(r["load_cold_s"], 2),
                "load, cached (s)": round(r["load_cached_s"], 3),
                "cold build (s)": round(build["seconds"], 1) if build["ok"] else f"failed after {build['seconds']:.0f}",
                "wall vs ×1": versus(build, "seconds"),
                "build CPU (s)": round(build["cpu_seconds"], 1) if "cpu_seconds" in build else None,
                "CPU vs ×1": versus(build, "cpu_seconds"),
            }
        )
    return out


def scale_markdown(rows: list[dict], machine_line: str) -> str:
    chapters = sorted({c for r in rows for c in r["build"]["chapters"]})
    timing = [{"chapter": c, **{f"×{r['scale']}": r["build"]["chapters"].get(c) for r in rows}} for c in chapters]
    timing.append({"chapter": "deal pages written", **{f"×{r['scale']}": r["build"]["deal_pages"] for r in rows}})
    failures = "".join(
        f"\n\nThe ×{r['scale']} build failed; the end of its log:\n\n```\n{r['build']['tail']}\n```" for r in rows if not r["build"]["ok"]
    )
    return (
        "## Scale\n\n"
        "The real ledger scaled ×N by `analysis/synthetic.py` (agreements cloned with their legs, claims and sources, ids "
        "suffixed, still valid). Engine times are the best of a few runs in one process: reading the same CSVs with pandas "
        "(for scale), `validate`, `load()` without the cache, and `load()` from the cache as a new process (a chapter kernel) "
        "finds it. The cold build is a fresh copy of the repository holding the scaled ledger, its chapters executed in "
        "parallel, one kernel per core; its CPU time counts the build and every chapter kernel it ran (on a shared machine the wall "
        "time also counts other jobs; CPU time does not).\n\n"
        f"{machine_line}\n\n"
        + md_table(scale_rows(rows), SCALE_COLUMNS)
        + "\n\nSeconds each chapter took to execute in the cold build, and deal pages written:\n\n"
        + md_table(timing, ["chapter", *[f"×{r['scale']}" for r in rows]])
        + failures
        + "\n"
    )


def replace_section(text: str, section: str) -> str:
    """`text` with its '## Scale' section replaced by (or appended as) `section`."""
    start = text.find("## Scale")
    if start == -1:
        return text.rstrip("\n") + "\n\n" + section
    end = text.find("\n## ", start + 1)
    return text[:start] + section + (text[end + 1 :] if end != -1 else "")


def page_metrics(html: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with serve(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in PAGES:
            page = browser.new_page()
            page.add_init_script(PROBE)
            local, blocked = [], []

            def route(r, *, local=local, blocked=blocked):
                if urlsplit(r.request.url).hostname in ("127.0.0.1", "localhost"):
                    local.append(r.request.url)
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(f"{base}/{path}", wait_until="load")
            page.wait_for_timeout(2500)
            probe = page.evaluate("window.__rt")
            paint = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
            charts = page.locator("figure.rt-chart, .rt-stock-chart").count()
            raw, zipped, js = transfer(html, local)
            # Charts turn interactive when pointed at: hover each, time it, weigh the page again.
            slowest = 0.0
            for figure in page.locator("figure.rt-chart").all():
                started = time.perf_counter()
                figure.hover()
                figure.and_(page.locator(".rt-chart-ready")).wait_for(timeout=10_000)
                slowest = max(slowest, time.perf_counter() - started)
            interactive = transfer(html, local)[1]
            page.close()
            results.append(
                {
                    "page": path,
                    "charts": charts,
                    "html_kb": round((html / path).stat().st_size / 1024, 1),
                    "js_kb": round(js / 1024, 1),
                    "transfer_kb": round(raw / 1024, 1),
                    "transfer_gzip_kb": round(zipped / 1024, 1),
                    "first_paint_ms": round(paint, 0) if paint else None,
                    "interactive_gzip_kb": round(interactive / 1024, 1),
                    "hover_to_interactive_ms": round(slowest * 1000, 0) if slowest else None,
                    "first_chart_ms": round(probe["first"], 0) if probe and probe["first"] is not None else None,
                    "all_charts_ms": round(probe["all"], 0) if probe and probe["all"] is not None else None,
                    "blocked_requests": len(blocked),
                }
            )
        browser.close()
    return results


def table(rows: list[dict], columns: list[str]) -> str:
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(str("—" if r.get(c) is None else r.get(c)).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(lines)


PAGE_COLUMNS = [
    "page",
    "charts",
    "html_kb",
    "js_kb",
    "transfer_kb",
    "transfer_gzip_kb",
    "first_paint_ms",
    "first_chart_ms",
    "all_charts_ms",
    "interactive_gzip_kb",
    "hover_to_interactive_ms",
    "blocked_requests",
]
GOALS = """Goals (reported, never asserted in tests): chart page first load <= 150 KB gzip, text page <= 80 KB
gzip, chart page fully interactive (every chart pointed at) <= 350 KB gzip, first chart visible at first paint,
each chart interactive <= 1 s after a reader points at it, cold build <= 60 s and no-change rebuild <= 5 s
on a 2-core machine."""


def md_table(rows: list[dict], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join("—" if r.get(c) is None else str(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def markdown(report: dict) -> str:
    m = report["machine"]
    build_rows = [
        {"step": step, "seconds": round(statistics.median(runs), 1), "runs": " · ".join(f"{t:.1f}" for t in runs)}
        for step, runs in report["build"].items()
    ]
    build_rows.append({"step": "cold build, stock configuration", "seconds": round(report["stock_build"]["cold build"], 1)})
    columns = PAGE_COLUMNS
    return (
        "\n\n".join(
            [
                "# Benchmark",
                "Measured with `make bench` (tools/bench.py) on throwaway copies of the repository. Page transfer counts every "
                "file the page loads from this site, raw and gzip-compressed; times are milliseconds from navigation start in "
                "headless Chromium on localhost. The stock configuration is the same book with Altair's default chart HTML "
                "(Vega from a CDN, no static fallback) and the theme's stock assets; offline, its CDN requests are blocked, so "
                "its charts never draw and its transfer excludes the CDN scripts it would also download.",
                f"**Machine**: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB memory, "
                f"Python {m['python']}, {m['os']}, {m['browser']}.",
                GOALS,
                "## Build times (seconds)",
                f"Each rebuild is timed {REPEATS} times (an edit made, undone and made again); the table gives the median and every run.",
                md_table(build_rows, ["step", "seconds", "runs"]),
                "## Pages, this site",
                md_table(report["pages"], columns),
                "## Pages, stock configuration",
                md_table(report["stock_pages"], columns),
            ]
        )
        + "\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "bench.json")
    parser.add_argument("--markdown", type=Path, help="also write the results as a markdown report (e.g. BENCHMARK.md)")
    parser.add_argument("--scales", default="", help="also measure the ledger scaled ×N, e.g. 1,10,30")
    parser.add_argument("--scales-only", action="store_true", help="measure only the scales (and update only that section)")
    args = parser.parse_args()
    report = {"machine": machine()}
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in report["machine"].items()))
    scales = [int(n) for n in args.scales.split(",") if n.strip()]
    m = report["machine"]
    machine_line = f"**Machine**: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB memory, Python {m['python']}, {m['os']}."
    if scales:
        report["scales"] = scale_times(scales)
        print("\nScale")
        print(table(scale_rows(report["scales"]), SCALE_COLUMNS))
    if args.scales_only:
        if args.markdown and scales:
            current = args.markdown.read_text(encoding="utf-8") if args.markdown.exists() else "# Benchmark\n"
            args.markdown.write_text(replace_section(current, scale_markdown(report["scales"], machine_line)), encoding="utf-8")
            print(f"Updated the scale section of {args.markdown}")
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
        return 0
    with tempfile.TemporaryDirectory() as ours_dir, tempfile.TemporaryDirectory() as stock_dir:
        ours = copy_repo(Path(ours_dir))
        report["build"] = build_times(ours)
        stock = copy_repo(Path(stock_dir))
        (stock / "book" / "_templates" / "layout.html").unlink()  # the theme's stock assets
        report["stock_build"] = {"cold build": build(stock, stock=True)}
        report["pages"] = page_metrics(ours / "_build" / "html")
        report["stock_pages"] = page_metrics(stock / "_build" / "html")
    print("\nBuild times (seconds)")
    rows = [
        {
            "step": k,
            "this site": round(statistics.median(v), 1),
            "stock": round(report["stock_build"].get(k), 1) if k in report["stock_build"] else None,
        }
        for k, v in report["build"].items()
    ]
    print(table(rows, ["step", "this site", "stock"]))
    columns = PAGE_COLUMNS
    print("\nPages, this site")
    print(table(report["pages"], columns))
    print("\nPages, stock configuration (Altair's CDN loading, no fallback): offline, CDN requests are blocked")
    print(table(report["stock_pages"], columns))
    if args.markdown:
        text = markdown(report)
        if scales:
            text = replace_section(text, scale_markdown(report["scales"], machine_line))
        elif args.markdown.exists() and "## Scale" in (current := args.markdown.read_text(encoding="utf-8")):
            text = replace_section(text, current[current.index("## Scale") :])  # scales not measured this time: keep them
        args.markdown.write_text(text, encoding="utf-8")
        print(f"Wrote {args.markdown}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2))
    print(f"\nSaved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
