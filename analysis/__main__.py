"""Command line: `python -m analysis validate [PATH]`, `python -m analysis summary [PATH]` and
`python -m analysis publish [PATH] --out DIR`."""

from __future__ import annotations

import argparse
import sys

from .dataset import load, validate
from .problems import LedgerError, Problem


def _report(problems: list[Problem]) -> int:
    for problem in problems:
        print(problem)
    print(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} found; nothing was built.", file=sys.stderr)
    return 1


def _validate(args: argparse.Namespace) -> int:
    package, raws, problems = validate(args.path)
    if problems:
        return _report(problems)
    width = max(len(name) for name in raws)
    print(f"OK: {args.path} is valid ({package.title}, version {package.version})")
    for name, raw in raws.items():
        print(f"  {name:<{width}}  {len(raw.rows):>5} rows")
    return 0


def _summary(args: argparse.Namespace) -> int:
    try:
        ds = load(args.path)
    except LedgerError as err:
        return _report(err.problems)
    from .summary import summary_lines

    print("\n".join(summary_lines(ds)))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .publish import publish

    try:
        written = publish(args.path, args.out)
    except LedgerError as err:
        return _report(err.problems)
    except OSError as err:
        print(
            f"{err.filename or args.out}: cannot write the release ({err.strerror}) — fix: choose a folder you can write to",
            file=sys.stderr,
        )
        return 1
    print(f"Published {len(written)} files to {args.out}:")
    for path in written:
        print(f"  {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Validate, summarise and publish the Round Trip ledger.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("validate", "check every table, row and rule; exit 1 on any problem"),
        ("summary", "counts by table, kind, verdict and confidence"),
        ("publish", "write the data release: the tables, datapackage.json, the licence, reconciled flows and a zip"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("path", nargs="?", default="data", help="folder holding datapackage.json (default: data)")
        if name == "publish":
            p.add_argument("--out", default="_build/release", help="folder to write the release into (default: _build/release)")
    args = parser.parse_args(argv)
    return {"validate": _validate, "summary": _summary, "publish": _publish}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
