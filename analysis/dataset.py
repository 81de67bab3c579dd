"""Load the ledger: validate everything, then return one typed DataFrame per table."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .problems import LedgerError, Problem
from .rules import check_rules
from .schema import Package, Table, read_package
from .tables import RawTable, check_cells, check_references, read_csv

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"
PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}


@dataclass
class Dataset:
    """The validated ledger. Each table is a DataFrame indexed 0..n-1 in file order."""

    package: Package
    entities: pd.DataFrame
    sources: pd.DataFrame
    agreements: pd.DataFrame
    flows: pd.DataFrame
    claims: pd.DataFrame
    chips: pd.DataFrame
    sites: pd.DataFrame
    funding_rounds: pd.DataFrame
    regulatory_actions: pd.DataFrame
    investor_returns: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def entity_name(self, entity_id: str) -> str:
        names = dict(zip(self.entities["entity_id"], self.entities["name"]))
        return names.get(entity_id, entity_id)


def default_seeds_dir(data_root: Path) -> Path | None:
    """Where the seed articles live: $ROUND_TRIP_SEEDS, else shared/seeds beside the repository."""
    env = os.environ.get("ROUND_TRIP_SEEDS")
    candidate = Path(env) if env else data_root.resolve().parent.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


def validate(path: str | Path = DEFAULT_DATA, seeds_dir: Path | None | str = "auto") -> tuple[Package, dict[str, RawTable], list[Problem]]:
    """Every problem in the ledger at `path` (empty when it is clean)."""
    root = Path(path)
    if not (root / "datapackage.json").exists():
        return None, {}, [Problem(str(root / "datapackage.json"), 0, "", "not found", "point at the folder holding datapackage.json")]  # type: ignore[return-value]
    package = read_package(root)
    problems: list[Problem] = []
    raws: dict[str, RawTable] = {}
    for table in package.tables:
        raw = read_csv(table, root, problems)
        if raw is not None:
            check_cells(raw, problems)
            raws[table.name] = raw
    check_references(package, raws, problems)
    seeds = default_seeds_dir(root) if seeds_dir == "auto" else (Path(seeds_dir) if seeds_dir else None)
    problems += check_rules(raws, seeds)
    return package, raws, sorted(set(problems))


def load(path: str | Path = DEFAULT_DATA, seeds_dir: Path | None | str = "auto") -> Dataset:
    """Validate the ledger and return it typed; raise LedgerError listing every problem."""
    package, raws, problems = validate(path, seeds_dir)
    if problems:
        raise LedgerError(problems)
    frames = {t.name: _frame(t, raws[t.name]) for t in package.tables}
    dataset = Dataset(package=package, **frames)
    from .reconcile import flow_confidence  # computed, never typed: see reconcile.py

    dataset.flows["confidence"] = dataset.flows["flow_id"].map(flow_confidence(dataset)).astype("string")
    return dataset


def _frame(table: Table, raw: RawTable) -> pd.DataFrame:
    data = {f.name: [r.cells.get(f.name, "") for r in raw.rows] for f in table.fields}
    frame = pd.DataFrame(data, columns=table.field_names)
    for f in table.fields:
        column = frame[f.name].replace("", None)
        if f.type == "boolean":
            column = column.map({"true": True, "false": False}, na_action="ignore")
        elif f.type in ("integer", "number"):
            column = pd.to_numeric(column)
        frame[f.name] = column.astype(PANDAS_TYPES.get(f.type, "string"))
        if f.is_partial_date:
            # The start of the stated period, for plotting; the string keeps the precision.
            frame[f"{f.name}_start"] = pd.to_datetime(frame[f.name].map(_pad, na_action="ignore"), format="%Y-%m-%d")
    return frame


def _pad(value: str) -> str:
    return value + "-01" * ((10 - len(value)) // 3)
