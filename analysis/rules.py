"""Rules beyond the Table Schema: what makes the ledger trustworthy, not just well-typed."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .claims import AGREEMENT_FIELDS, FLOW_FIELDS, SOURCED_FLOW_FIELDS, consistent, held_values, value_error
from .problems import Problem
from .tables import RawTable
from .vocab import LABELS, NEEDS_ORIGINAL, PRIMARY_KINDS


def check_rules(raws: dict[str, RawTable], seeds_dir: Path | None) -> list[Problem]:
    problems: list[Problem] = []
    flows, claims, sources = raws.get("flows"), raws.get("claims"), raws.get("sources")
    if flows is not None:
        problems += _flow_amounts(flows)
    if claims is not None and flows is not None and raws.get("agreements") is not None:
        problems += _claims_match_ledger(claims, flows, raws["agreements"])
        problems += _flows_sourced(flows, claims)
        problems += _agreements_have_flows(raws["agreements"], flows)
    if sources is not None:
        problems += _sources_well_formed(sources)
        problems += _source_tiers(sources)
        if claims is not None:
            problems += _seeds_have_claims(sources, claims)
        if seeds_dir is not None:
            problems += _seeds_are_sources(sources, seeds_dir)
    return problems


def _flow_amounts(flows: RawTable) -> list[Problem]:
    out = []
    for row in flows.rows:
        c = row.cells
        firm, most = c.get("amount_usd", ""), c.get("amount_usd_max", "")
        if firm.isdigit() and most.isdigit() and int(firm) > int(most):
            out.append(
                Problem(
                    flows.file,
                    row.line,
                    "amount_usd",
                    f"firm amount {firm} is larger than the 'up to' amount {most}",
                    "amount_usd is what is committed now; amount_usd_max the ceiling: swap or correct them",
                )
            )
        if c.get("conditional") == "true" and not most and not (c.get("kind") == "warrant" and c.get("shares")):
            out.append(
                Problem(
                    flows.file,
                    row.line,
                    "amount_usd_max",
                    "is empty but the flow is conditional",
                    "write the 'up to' amount the condition could unlock (for a warrant with no stated value: "
                    "the number of shares), or set conditional to false",
                )
            )
        if c.get("from_id") and c.get("from_id") == c.get("to_id"):
            out.append(
                Problem(
                    flows.file,
                    row.line,
                    "to_id",
                    f"is the same entity as from_id ('{c['to_id']}')",
                    "a flow moves between two different entities",
                )
            )
    return out


def _claims_match_ledger(claims: RawTable, flows: RawTable, agreements: RawTable) -> list[Problem]:
    out = []
    held_by_subject = held_values([r.cells for r in flows.rows], [r.cells for r in agreements.rows])
    for row in claims.rows:
        c = row.cells
        flow_id, agreement_id, field = c.get("flow_id", ""), c.get("agreement_id", ""), c.get("field", "")
        verdict, value = c.get("verdict", ""), c.get("value", "")
        if bool(flow_id) == bool(agreement_id):
            out.append(
                Problem(
                    claims.file,
                    row.line,
                    "flow_id",
                    "a claim must name exactly one of flow_id or agreement_id",
                    "fill one and leave the other empty",
                )
            )
            continue
        allowed = FLOW_FIELDS if flow_id else AGREEMENT_FIELDS
        if field not in allowed:
            kind = "flow" if flow_id else "agreement"
            out.append(
                Problem(claims.file, row.line, "field", f"'{field}' is not a field of a {kind} claim", "use one of: " + ", ".join(allowed))
            )
            continue
        if verdict in ("conflicts", "superseded") and not c.get("note"):
            out.append(
                Problem(
                    claims.file,
                    row.line,
                    "note",
                    f"is empty but the verdict is '{verdict}'",
                    "say in our own words which value stands and why",
                )
            )
        problem = value_error(field, value)
        if problem:
            out.append(
                Problem(claims.file, row.line, "value", problem, "write the canonical form: whole dollars, ISO dates, decimals, true/false")
            )
            continue
        target = held_by_subject.get(("flow", flow_id) if flow_id else ("agreement", agreement_id))
        if target is None:
            continue  # an unknown id is reported by the foreign-key check
        held = target.get(field, "")
        if held and value_error(field, held):
            continue  # the ledger's own cell is invalid and reported by the schema check
        if verdict == "agrees" and field.startswith("cumulative") and not held:
            out.append(
                Problem(
                    claims.file,
                    row.line,
                    "field",
                    f"{field} is undefined: the agreement's investment legs do not have one investor and one lab",
                    "claim invested_usd or invested_usd_max instead, or split the agreement",
                )
            )
            continue
        if verdict == "agrees" and not consistent(field, value, held):
            out.append(
                Problem(
                    claims.file,
                    row.line,
                    "value",
                    f"says '{value}' but the ledger holds '{held}' for {field}, yet the verdict is 'agrees'",
                    "if the source really says this, set the verdict to conflicts and explain in note; otherwise correct the value",
                )
            )
        if verdict == "conflicts" and held and consistent(field, value, held):
            out.append(
                Problem(
                    claims.file,
                    row.line,
                    "verdict",
                    f"is 'conflicts' but '{value}' matches the ledger's {field}",
                    "set the verdict to agrees",
                )
            )
    return out


def _flows_sourced(flows: RawTable, claims: RawTable) -> list[Problem]:
    agreeing: dict[str, set[str]] = defaultdict(set)
    for row in claims.rows:
        if row.cells.get("verdict") == "agrees" and row.cells.get("flow_id"):
            agreeing[row.cells["flow_id"]].add(row.cells.get("field", ""))
    out = []
    for row in flows.rows:
        flow_id = row.cells.get("flow_id", "")
        if not agreeing.get(flow_id):
            out.append(
                Problem(
                    flows.file,
                    row.line,
                    "flow_id",
                    f"flow '{flow_id}' has no agreeing claim, so no source",
                    "add a row to data/claims.csv citing a source that states this leg",
                )
            )
            continue
        for field in SOURCED_FLOW_FIELDS:
            value = row.cells.get(field, "")
            if value and not value_error(field, value) and field not in agreeing[flow_id]:
                out.append(
                    Problem(
                        flows.file,
                        row.line,
                        field,
                        f"'{row.cells[field]}' is not backed by any agreeing claim",
                        f"add a claim (field {field}, verdict agrees) from a source that states it, or clear the cell",
                    )
                )
    return out


def _agreements_have_flows(agreements: RawTable, flows: RawTable) -> list[Problem]:
    used = {r.cells.get("agreement_id") for r in flows.rows}
    return [
        Problem(
            agreements.file,
            row.line,
            "agreement_id",
            f"agreement '{row.cells['agreement_id']}' has no flows",
            "add its legs to data/flows.csv",
        )
        for row in agreements.rows
        if row.cells.get("agreement_id") and row.cells["agreement_id"] not in used
    ]


def _sources_well_formed(sources: RawTable) -> list[Problem]:
    out = []
    for row in sources.rows:
        c = row.cells
        if c.get("kind") == "seed" and not c.get("seed_file"):
            out.append(
                Problem(
                    sources.file,
                    row.line,
                    "seed_file",
                    "is empty but the kind is 'seed'",
                    "write the seed's file name, e.g. 000_98c109d3ad7e94b6.txt",
                )
            )
        if c.get("kind") != "seed" and c.get("seed_file"):
            out.append(
                Problem(
                    sources.file, row.line, "seed_file", f"is set but the kind is '{c.get('kind')}'", "only seed articles have a seed_file"
                )
            )
        url = c.get("url", "")
        if c.get("kind") != "seed" and url and not url.startswith(("https://", "http://")):
            out.append(
                Problem(sources.file, row.line, "url", f"'{url}' is not a web address", "write the full public URL, starting with https://")
            )
    return out


def _source_tiers(sources: RawTable) -> list[Problem]:
    """Tiers must say what a source is: a copy or rewrite names its original, only a company,
    filing or regulator is primary, and a seed article is at most a digest."""
    primary_kinds = ", ".join(sorted(LABELS["source_kind"][k] for k in PRIMARY_KINDS))
    out = []
    for row in sources.rows:
        c = row.cells
        tier, kind = c.get("tier", ""), c.get("kind", "")
        problem = None
        if tier in NEEDS_ORIGINAL and not c.get("original_publisher"):
            out.append(
                Problem(
                    sources.file,
                    row.line,
                    "original_publisher",
                    f"is empty but the tier is '{tier}'",
                    "name the outlet or company whose reporting this repeats (readers see it, and it decides independence)",
                )
            )
        if tier == "copy" and not c.get("original_url"):
            out.append(
                Problem(
                    sources.file,
                    row.line,
                    "original_url",
                    "is empty but the tier is 'copy'",
                    "write the URL of the original page this copies (readers are sent there first)",
                )
            )
        if tier != "copy" and c.get("original_url"):
            problem = (
                "original_url",
                f"is set but the tier is '{tier}'",
                "only a copy links an original page: clear it, or set tier to copy",
            )
        elif tier == "primary" and kind and kind not in PRIMARY_KINDS:
            problem = (
                "tier",
                f"is 'primary' but the kind is '{kind}'",
                f"only a {primary_kinds} is primary: use original, secondary, copy or digest",
            )
        elif kind in PRIMARY_KINDS and tier in ("original", "digest"):
            problem = (
                "tier",
                f"is '{tier}' but the kind is '{kind}'",
                "a company announcement, filing or regulator's text is primary: set tier to primary "
                "(or copy/secondary with original_publisher when this host only repeats it)",
            )
        elif kind == "seed" and tier and tier != "digest":
            problem = (
                "tier",
                f"is '{tier}' but the kind is 'seed'",
                "a seed article is a digest: it corroborates, never backs a figure alone",
            )
        if problem:
            out.append(Problem(sources.file, row.line, *problem))
    return out


def _seeds_have_claims(sources: RawTable, claims: RawTable) -> list[Problem]:
    """Every figure a seed article states must be recorded as a claim; a seed with none is unread."""
    claimed = {r.cells.get("source_id") for r in claims.rows}
    return [
        Problem(
            sources.file,
            row.line,
            "source_id",
            f"seed article '{row.cells['source_id']}' has no claims",
            "record every figure and date it states in data/claims.csv, with a verdict",
        )
        for row in sources.rows
        if row.cells.get("kind") == "seed" and row.cells.get("source_id") not in claimed
    ]


def _seeds_are_sources(sources: RawTable, seeds_dir: Path) -> list[Problem]:
    recorded = {r.cells.get("seed_file") for r in sources.rows}
    out = []
    for path in sorted(seeds_dir.glob("*.txt")):
        if path.name not in recorded:
            out.append(
                Problem(
                    sources.file,
                    0,
                    "seed_file",
                    f"seed article {path.name} is not recorded as a source",
                    "add a row with kind seed and seed_file set to its name, then record its figures as claims",
                )
            )
    for row in sources.rows:
        name = row.cells.get("seed_file")
        if name and not (seeds_dir / name).exists():
            out.append(Problem(sources.file, row.line, "seed_file", f"'{name}' is not a file in {seeds_dir}", "check the file name"))
    return out
