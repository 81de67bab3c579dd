"""Count how a checkout handles the inventory of bad inputs in tests/bad_inputs.py.

Usage: python tools/robustness.py [--repo PATH] [--markdown]

For each case: write the fixture ledger with that checkout's datapackage.json, apply the edit,
run `python -m analysis validate` from that checkout, and when it accepts the ledger, go on as
the build would (load, deal pages, summary, reconcile, metrics, and `publish` where it exists).
Every case is a bad input, so each ends one of three ways:

- crashed: a traceback, from validate or from anything after it;
- accepted silently: validate exited 0 and nothing after it failed;
- reported: validate exited 1 without a traceback (and `located` when the message names the
  file, line and column the case expects).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from bad_inputs import CASES, Case  # noqa: E402
from ledger_fixture import write_ledger, write_seeds  # noqa: E402

AFTER_VALIDATE = """
import sys, tempfile, pathlib
import analysis
data = sys.argv[1]
ds = analysis.load(data)
from analysis import deal_pages, metrics, reconcile, summary, views
out = pathlib.Path(tempfile.mkdtemp())
deal_pages.write(ds, out / "deals")
summary.summary_lines(ds)
reconcile.conflicts(ds)
metrics.pairs(ds)
totals = metrics.gross_vs_deduplicated(ds)
metrics.cumulative(ds.flows)
views.network(ds)
try:
    from analysis import publish
except ImportError:
    publish = None
if publish is not None:
    publish.publish(data, out / "release")
"""


def run_case(case: Case, repo: Path, python: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        seeds = write_seeds(where / "seeds")
        data = write_ledger(where / "data", data=repo / "data")
        case.edit(data)
        env = {**os.environ, "PYTHONPATH": str(repo), "ROUND_TRIP_SEEDS": str(seeds)}
        validate = subprocess.run([python, "-m", "analysis", "validate", "data"], cwd=where, env=env, capture_output=True, text=True)
        output = validate.stdout + validate.stderr
        result = {"case": case.name, "kind": case.kind, "exit": validate.returncode, "output": output}
        if "Traceback" in output or validate.returncode not in (0, 1):
            result["outcome"] = "crashed in validate"
        elif validate.returncode == 1:
            result["outcome"] = "reported"
            result["located"] = case.where in output
        else:
            after = subprocess.run([python, "-c", AFTER_VALIDATE, "data"], cwd=where, env=env, capture_output=True, text=True)
            result["after"] = after.stderr[-600:]
            result["outcome"] = "crashed after validate" if after.returncode else "accepted silently"
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--verbose", action="store_true", help="print each case's outcome")
    args = parser.parse_args()
    results = [run_case(case, args.repo.resolve(), args.python) for case in CASES]
    by_kind: dict[str, Counter] = {}
    for r in results:
        counts = by_kind.setdefault(r["kind"], Counter())
        counts["cases"] += 1
        counts[r["outcome"]] += 1
        if r.get("located"):
            counts["located"] += 1
        if args.verbose:
            print(f"{r['case']:<32} {r['outcome']:<24} {'' if r.get('located', True) else 'NOT LOCATED: ' + r['output'][:300]!r}")
    columns = ["cases", "crashed in validate", "crashed after validate", "accepted silently", "reported", "located"]
    print("| class | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    total = Counter()
    for kind, counts in by_kind.items():
        total.update(counts)
        print(f"| {kind} | " + " | ".join(str(counts[c]) for c in columns) + " |")
    print("| **all** | " + " | ".join(f"**{total[c]}**" for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
