"""A small, hand-made ledger for unit tests: every figure below is worked out by hand.

It uses the project's real datapackage.json, so schema changes are tested here too. The
companies are real ids but the amounts are test values, not claims about the world.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

ROWS: dict[str, list[dict[str, str]]] = {
    "entities": [
        {"entity_id": "amazon", "name": "Amazon", "kind": "cloud", "aliases": "AWS;Amazon Web Services"},
        {"entity_id": "anthropic", "name": "Anthropic", "kind": "lab"},
        {"entity_id": "google", "name": "Google", "kind": "cloud", "aliases": "Alphabet"},
    ],
    "sources": [
        {
            "source_id": "co-2023",
            "url": "https://example.com/co-2023",
            "publisher": "Amazon",
            "published": "2023-09-25",
            "published_precision": "day",
            "kind": "press_release",
            "tier": "primary",
        },
        {
            "source_id": "wire-a",
            "url": "https://example.com/a",
            "publisher": "Wire A",
            "published": "2024-03",
            "published_precision": "month",
            "kind": "news",
            "tier": "original",
        },
        {
            "source_id": "wire-b",
            "url": "https://example.com/b",
            "publisher": "Wire B",
            "published": "2024-03-28",
            "published_precision": "day",
            "kind": "news",
            "tier": "original",
        },
        {
            "source_id": "blog-c",
            "url": "https://example.com/c",
            "publisher": "Blog C",
            "published": "2026",
            "published_precision": "year",
            "kind": "analysis",
            "tier": "original",
        },
        {
            "source_id": "seed-x",
            "url": "https://example.com/seed-x",
            "publisher": "unknown",
            "kind": "seed",
            "tier": "digest",
            "seed_file": "x.txt",
        },
        # Wire A's story on another host: the same reporting, so not an independent source.
        {
            "source_id": "mirror-a",
            "url": "https://mirror.example/a",
            "publisher": "mirror.example (cached copy)",
            "published": "2024-04",
            "published_precision": "month",
            "kind": "news",
            "tier": "copy",
            "original_publisher": "Wire A",
            "original_url": "https://example.com/a",
        },
        {
            "source_id": "co-2026",
            "url": "https://example.com/co-2026",
            "publisher": "Amazon",
            "published": "2026-05-02",
            "published_precision": "day",
            "kind": "press_release",
            "tier": "primary",
        },
        {
            "source_id": "farm",
            "url": "https://farm.example/d",
            "publisher": "Farm D",
            "published": "2026-06",
            "published_precision": "month",
            "kind": "analysis",
            "tier": "digest",
        },
    ],
    "agreements": [
        {
            "agreement_id": "aa-2023",
            "announced": "2023-09-25",
            "announced_precision": "day",
            "title": "Deal one",
            "status": "completed",
            "parties": "amazon;anthropic",
        },
        {
            "agreement_id": "aa-2026",
            "announced": "2026-04",
            "announced_precision": "month",
            "title": "Deal two",
            "status": "announced",
            "parties": "amazon;anthropic",
        },
    ],
    "flows": [
        {
            "flow_id": "aa-2023-t1",
            "agreement_id": "aa-2023",
            "date": "2023-09-25",
            "date_precision": "day",
            "from_id": "amazon",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd": "1000",
            "conditional": "false",
        },
        {
            "flow_id": "aa-2023-option",
            "agreement_id": "aa-2023",
            "date": "2023-09-25",
            "date_precision": "day",
            "from_id": "amazon",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd_max": "3000",
            "conditional": "true",
            "condition": "option",
            "superseded_by": "aa-2023-t2",
        },
        {
            "flow_id": "aa-2023-t2",
            "agreement_id": "aa-2023",
            "date": "2024-03",
            "date_precision": "month",
            "from_id": "amazon",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd": "3000",
            "conditional": "false",
        },
        {
            "flow_id": "aa-2026-now",
            "agreement_id": "aa-2026",
            "date": "2026-04",
            "date_precision": "month",
            "from_id": "amazon",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd": "500",
            "conditional": "false",
        },
        {
            "flow_id": "aa-2026-later",
            "agreement_id": "aa-2026",
            "date": "2026-04",
            "date_precision": "month",
            "from_id": "amazon",
            "to_id": "anthropic",
            "kind": "equity",
            "amount_usd_max": "2000",
            "conditional": "true",
            "condition": "milestones",
        },
        {
            "flow_id": "aa-2026-back",
            "agreement_id": "aa-2026",
            "date": "2026-04",
            "date_precision": "month",
            "from_id": "anthropic",
            "to_id": "amazon",
            "kind": "cloud_commitment",
            "amount_usd": "10000",
            "conditional": "false",
            "capacity_gw": "5",
            "term_years": "10",
            "chip_family": "trainium",
            "funded_usd": "1000",
        },
    ],
    "claims": [
        # t1: a primary source -> confirmed
        {"claim_id": "c1", "source_id": "co-2023", "flow_id": "aa-2023-t1", "field": "amount_usd", "value": "1000", "verdict": "agrees"},
        {"claim_id": "c2", "source_id": "co-2023", "flow_id": "aa-2023-t1", "field": "date", "value": "2023-09", "verdict": "agrees"},
        # option: one outlet -> single-source
        {
            "claim_id": "c3",
            "source_id": "wire-a",
            "flow_id": "aa-2023-option",
            "field": "amount_usd_max",
            "value": "3000",
            "verdict": "agrees",
        },
        {"claim_id": "c4", "source_id": "wire-a", "flow_id": "aa-2023-option", "field": "date", "value": "2023-09-25", "verdict": "agrees"},
        # t2: two independent outlets -> confirmed, despite a seed that conflicts (explained)
        {"claim_id": "c5", "source_id": "wire-a", "flow_id": "aa-2023-t2", "field": "amount_usd", "value": "3000", "verdict": "agrees"},
        {"claim_id": "c6", "source_id": "wire-b", "flow_id": "aa-2023-t2", "field": "amount_usd", "value": "3000", "verdict": "agrees"},
        {
            "claim_id": "c7",
            "source_id": "seed-x",
            "flow_id": "aa-2023-t2",
            "field": "amount_usd",
            "value": "2500",
            "verdict": "conflicts",
            "note": "the seed garbles the tranche",
        },
        {"claim_id": "c8", "source_id": "wire-b", "flow_id": "aa-2023-t2", "field": "date", "value": "2024-03", "verdict": "agrees"},
        # 2026 firm leg: one outlet agrees, another conflicts -> contested
        {"claim_id": "c9", "source_id": "blog-c", "flow_id": "aa-2026-now", "field": "amount_usd", "value": "500", "verdict": "agrees"},
        {
            "claim_id": "c10",
            "source_id": "wire-b",
            "flow_id": "aa-2026-now",
            "field": "amount_usd",
            "value": "400",
            "verdict": "conflicts",
            "note": "an early report said 400",
        },
        {"claim_id": "c11", "source_id": "blog-c", "flow_id": "aa-2026-now", "field": "date", "value": "2026-04", "verdict": "agrees"},
        {
            "claim_id": "c12",
            "source_id": "blog-c",
            "flow_id": "aa-2026-later",
            "field": "amount_usd_max",
            "value": "2000",
            "verdict": "agrees",
        },
        {"claim_id": "c13", "source_id": "blog-c", "flow_id": "aa-2026-later", "field": "date", "value": "2026", "verdict": "agrees"},
        {"claim_id": "c14", "source_id": "blog-c", "flow_id": "aa-2026-back", "field": "amount_usd", "value": "10000", "verdict": "agrees"},
        {"claim_id": "c15", "source_id": "blog-c", "flow_id": "aa-2026-back", "field": "date", "value": "2026-04", "verdict": "agrees"},
        {"claim_id": "c16", "source_id": "blog-c", "flow_id": "aa-2026-back", "field": "capacity_gw", "value": "5.0", "verdict": "agrees"},
        {"claim_id": "c17", "source_id": "blog-c", "flow_id": "aa-2026-back", "field": "term_years", "value": "10", "verdict": "agrees"},
        # superseded: right when published, replaced later
        {
            "claim_id": "c18",
            "source_id": "wire-a",
            "flow_id": "aa-2026-back",
            "field": "amount_usd",
            "value": "8000",
            "verdict": "superseded",
            "note": "an earlier plan, later enlarged",
        },
        # derived agreement totals
        {
            "claim_id": "c19",
            "source_id": "blog-c",
            "agreement_id": "aa-2026",
            "field": "invested_usd_max",
            "value": "2500",
            "verdict": "agrees",
        },
        {
            "claim_id": "c20",
            "source_id": "blog-c",
            "agreement_id": "aa-2026",
            "field": "cumulative_invested_usd",
            "value": "4500",
            "verdict": "agrees",
        },
        {"claim_id": "c21", "source_id": "seed-x", "flow_id": "aa-2026-back", "field": "chip", "value": "trainium", "verdict": "agrees"},
        # a copy of Wire A repeats it: still one publisher, still single-source
        {
            "claim_id": "c22",
            "source_id": "mirror-a",
            "flow_id": "aa-2023-option",
            "field": "amount_usd_max",
            "value": "3000",
            "verdict": "agrees",
        },
        # the commitment back: reported 8000 (wire-a, 2024), revised to 10000 (blog-c, 2026),
        # confirmed by the company (co-2026), then garbled by a content farm
        {
            "claim_id": "c23",
            "source_id": "co-2026",
            "flow_id": "aa-2026-back",
            "field": "amount_usd",
            "value": "10000",
            "verdict": "agrees",
        },
        {
            "claim_id": "c24",
            "source_id": "farm",
            "flow_id": "aa-2026-back",
            "field": "amount_usd",
            "value": "12000",
            "verdict": "conflicts",
            "note": "the digest adds the capacity deal to the commitment",
        },
        # a paid figure only a content farm states: shown, but unverified, and it lowers the badge
        {"claim_id": "c25", "source_id": "farm", "flow_id": "aa-2026-back", "field": "funded_usd", "value": "1000", "verdict": "agrees"},
    ],
}


def write_ledger(target: Path, rows: dict[str, list[dict[str, str]]] | None = None, data: Path = DATA) -> Path:
    """Write the fixture ledger (or `rows`) into `target` with the real datapackage.json
    (the one in `data`, by default this checkout's)."""
    rows = ROWS if rows is None else rows
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(data / "datapackage.json", target / "datapackage.json")
    package = json.loads((data / "datapackage.json").read_text())
    for resource in package["resources"]:
        columns = [f["name"] for f in resource["schema"]["fields"]]
        with (target / resource["path"]).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in rows.get(resource["name"], []):
                writer.writerow({c: row.get(c, "") for c in columns})
    return target


def write_seeds(target: Path, names=("x.txt",)) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        (target / name).write_text("a seed article\n")
    return target
