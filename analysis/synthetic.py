"""A synthetic ledger: the real one scaled ×N, still valid, for measuring how the engine and the
build grow with the data (`make bench` uses it).

Usage: python -m analysis.synthetic N OUT [--data data]

Copy k (2..N) of every agreement comes with its legs, the claims on them and the sources those
claims cite, every id suffixed with `-x<k>`. Each copy also gets its own copy of the entities
(`amazon-x2`, named "Amazon 2"), so derived totals such as an investor's cumulative stake in a
lab stay what the copied claims say; the other tables (chips, sites, funding rounds, regulatory
actions, investor returns) are kept once. Source addresses get `?copy=<k>`, so no page is
recorded twice.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path

from .schema import read_package
from .tables import split_list

ENTITY_FIELDS = ("from_id", "to_id")  # claim fields whose value is an entity id


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def scale(data: str | Path, out: str | Path, factor: int) -> Path:
    """Write the ledger at `data` scaled ×`factor` into the folder `out`; return `out`."""
    data, out = Path(data), Path(out)
    if factor < 1:
        raise ValueError("the factor is a whole number, 1 or more")
    package = read_package(data)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("datapackage.json", "LICENSE.md"):
        if (data / name).is_file():
            shutil.copyfile(data / name, out / name)
    tables = {t.name: read_rows(data / t.path) for t in package.tables}
    grown = {name: [dict(r) for r in rows] for name, (_, rows) in tables.items()}
    cited = {r["source_id"] for r in tables["claims"][1] if r.get("flow_id") or r.get("agreement_id")}
    for k in range(2, factor + 1):
        s = f"-x{k}"

        def ids(value: str, s: str = s) -> str:
            return ";".join(v + s for v in split_list(value))

        def entity(row: dict[str, str], k: int = k, s: str = s) -> dict[str, str]:
            return {
                **row,
                "entity_id": row["entity_id"] + s,
                "name": f"{row['name']} {k}",
                "parent_id": row["parent_id"] + s if row.get("parent_id") else "",
                "aliases": ";".join(f"{a} {k}" for a in split_list(row.get("aliases", ""))),
            }

        def source(row: dict[str, str], k: int = k, s: str = s) -> dict[str, str]:
            url = row["url"]
            return {**row, "source_id": row["source_id"] + s, "url": f"{url}{'&' if '?' in url else '?'}copy={k}"}

        def agreement(row: dict[str, str], k: int = k, s: str = s) -> dict[str, str]:
            return {**row, "agreement_id": row["agreement_id"] + s, "title": f"{row['title']} (copy {k})", "parties": ids(row["parties"])}

        def flow(row: dict[str, str], s: str = s) -> dict[str, str]:
            return {
                **row,
                "flow_id": row["flow_id"] + s,
                "agreement_id": row["agreement_id"] + s,
                "from_id": row["from_id"] + s,
                "to_id": row["to_id"] + s,
                "superseded_by": row["superseded_by"] + s if row.get("superseded_by") else "",
            }

        def claim(row: dict[str, str], s: str = s) -> dict[str, str]:
            return {
                **row,
                "claim_id": row["claim_id"] + s,
                "source_id": row["source_id"] + s,
                "flow_id": row["flow_id"] + s if row.get("flow_id") else "",
                "agreement_id": row["agreement_id"] + s if row.get("agreement_id") else "",
                "value": row["value"] + s if row.get("field") in ENTITY_FIELDS else row["value"],
            }

        grown["entities"] += [entity(r) for r in tables["entities"][1]]
        grown["sources"] += [source(r) for r in tables["sources"][1] if r["source_id"] in cited]
        grown["agreements"] += [agreement(r) for r in tables["agreements"][1]]
        grown["flows"] += [flow(r) for r in tables["flows"][1]]
        grown["claims"] += [claim(r) for r in tables["claims"][1] if r.get("flow_id") or r.get("agreement_id")]
    for t in package.tables:
        target = out / t.path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_rows(target, tables[t.name][0], grown[t.name])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int, help="how many times the real ledger, e.g. 10")
    parser.add_argument("out", type=Path, help="folder to write the scaled ledger into")
    parser.add_argument("--data", type=Path, default=Path("data"), help="the ledger to scale (default: data)")
    args = parser.parse_args(argv)
    scale(args.data, args.out, args.factor)
    print(f"Wrote the ledger ×{args.factor} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
