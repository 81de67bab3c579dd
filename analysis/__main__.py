"""Command line: `python -m analysis validate [PATH]` and `python -m analysis summary [PATH]`."""

from __future__ import annotations

import argparse
import sys

from .dataset import load, validate
from .problems import LedgerError


def _validate(path: str) -> int:
    package, raws, problems = validate(path)
    if problems:
        for problem in problems:
            print(problem)
        print(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} found; nothing was built.", file=sys.stderr)
        return 1
    width = max(len(name) for name in raws)
    print(f"OK: {path} is valid ({package.title}, version {package.version})")
    for name, raw in raws.items():
        print(f"  {name:<{width}}  {len(raw.rows):>5} rows")
    return 0


def _summary(path: str) -> int:
    try:
        ds = load(path)
    except LedgerError as err:
        print(err)
        return 1
    from .summary import summary_lines

    print("\n".join(summary_lines(ds)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Validate and summarise the Round Trip ledger.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("validate", "check every table, row and rule; exit 1 on any problem"),
        ("summary", "counts by table, kind, verdict and confidence"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("path", nargs="?", default="data", help="folder holding datapackage.json (default: data)")
    args = parser.parse_args(argv)
    return {"validate": _validate, "summary": _summary}[args.command](args.path)


if __name__ == "__main__":
    sys.exit(main())
