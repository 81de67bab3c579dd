"""Load the ledger: validate everything, then return one typed DataFrame per table.

Validation runs in stages, each on what the stage before accepted: the package descriptor
(schema.py), the files it declares (integrity.py), every cell (tables.py), references between
tables, integrity across rows (integrity.py), then the ledger's rules (rules.py).

The rules see only tables that passed the earlier stages, so they never trip over a value the
schema refused; `_one_per_cell` keeps the first problem found in each cell.

A validated ledger is cached by content: the sha256 of the data folder, datapackage.json, the
seed articles' names and this package's code. Within one process `load()` reuses it; across
processes (the dozen chapter kernels of one build, the Sphinx process, tests) it is a pickle
under `_build/.ledger-cache/` beside the data folder's repository, never inside the site.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import platform
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from . import integrity
from .problems import LedgerError, Problem
from .reconcile import flow_confidence
from .rules import check_rules
from .schema import Package, Table, load_package
from .tables import RawTable, _shown_path, check_cells, check_references, read_csv

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA = PACKAGE_DIR.parent / "data"
PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}
CACHE_ENV = "ROUND_TRIP_LEDGER_CACHE"  # "off" disables the on-disk cache; a path moves it
CACHE_FORMAT = "1"
T = TypeVar("T")


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
    others: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)  # tables a ledger adds

    def table(self, name: str) -> pd.DataFrame:
        if name in self.others:
            return self.others[name]
        return getattr(self, name)

    def entity_name(self, entity_id: str) -> str:
        return self.entity_names().get(entity_id, entity_id)

    def entity_names(self) -> dict[str, str]:
        """entity_id -> name (pages ask for thousands of names)."""
        return self.memo("entity names", lambda: dict(zip(self.entities["entity_id"], self.entities["name"])))

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()` once per ledger: lookups that pages, tables and charts ask for row after
        row (recomputing them made the book grow with the square of the ledger). A dataset
        whose tables are replaced recomputes; the result is shared, so callers never change it."""
        tables = tuple(getattr(self, t) for t in TABLES) + tuple(self.others.values())
        cache = self.__dict__.setdefault("_memo", {})
        held = cache.get(name)
        if held is None or len(held[0]) != len(tables) or any(a is not b for a, b in zip(held[0], tables)):
            held = cache[name] = (tables, compute())
        return held[1]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_memo", None)  # derived lookups are not part of the cached ledger
        return state

    def copy(self) -> Dataset:
        """A copy whose tables can be changed without touching the cached ledger."""
        frames = {f.name: getattr(self, f.name).copy() for f in dataclasses.fields(self) if f.name not in ("package", "others")}
        return Dataset(package=self.package, others={k: v.copy() for k, v in self.others.items()}, **frames)


TABLES = tuple(f.name for f in dataclasses.fields(Dataset) if f.name not in ("package", "others"))


def default_seeds_dir(data_root: Path) -> Path | None:
    """Where the seed articles live: $ROUND_TRIP_SEEDS, else shared/seeds beside the repository."""
    env = os.environ.get("ROUND_TRIP_SEEDS")
    candidate = Path(env) if env else data_root.resolve().parent.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


def _seeds(root: Path, seeds_dir: Path | None | str) -> Path | None:
    return default_seeds_dir(root) if seeds_dir == "auto" else (Path(seeds_dir) if seeds_dir else None)


def validate(path: str | Path = DEFAULT_DATA, seeds_dir: Path | None | str = "auto") -> tuple[Package, dict[str, RawTable], list[Problem]]:
    """Every problem in the ledger at `path` (empty when it is clean)."""
    root = Path(path)
    package, problems = load_package(root, shown=_shown_path(root / "datapackage.json"))
    if package is None:
        return None, {}, sorted(set(problems))  # type: ignore[return-value]
    problems, readable = integrity.check_files(package, root)
    raws: dict[str, RawTable] = {}
    for table in package.tables:
        if table.name not in readable:
            continue
        raw = read_csv(table, root, problems)
        if raw is not None:
            check_cells(raw, problems)
            raws[table.name] = raw
    check_references(package, raws, problems)
    problems += integrity.check(package, raws)
    seeds = _seeds(root, seeds_dir)
    problems += check_rules(_clean(raws, problems), seeds)
    return package, raws, sorted(set(_one_per_cell(problems)))


def _clean(raws: dict[str, RawTable], problems: list[Problem]) -> dict[str, RawTable]:
    """The tables with no problem so far: the rules assume well-formed cells, and their remarks
    on a table that is already wrong would mostly repeat (or follow from) what was reported.
    Once those problems are fixed, the next run checks the rules there too."""
    reported = {p.file for p in problems}
    return {name: raw for name, raw in raws.items() if raw.file not in reported}


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first problem found in each cell: later stages' remarks on a cell that is already
    wrong would only repeat it."""
    seen: set[tuple[str, int, str]] = set()
    out = []
    for p in problems:
        key = (p.file, p.row, p.column)
        if p.row and p.column:
            if key in seen:
                continue
            seen.add(key)
        out.append(p)
    return out


# -- loading, with a cache keyed on the ledger's content ---------------------------------------

_MEMO: dict[str, Dataset] = {}
MEMO_SIZE = 4


def load(path: str | Path = DEFAULT_DATA, seeds_dir: Path | None | str = "auto", cache: bool = True) -> Dataset:
    """Validate the ledger and return it typed; raise LedgerError listing every problem.

    A ledger already validated (same content, same code) is taken from the cache; each call
    returns its own copy, so a chapter may add columns without affecting another."""
    root = Path(path)
    seeds = _seeds(root, seeds_dir)
    key = ledger_hash(root, seeds) if cache else None
    if key is not None:
        if key in _MEMO:
            return _for(_MEMO[key], root)
        stored = _read_cache(root, key)
        if stored is not None:
            _MEMO[key] = stored
            return _for(stored, root)
    dataset = _load(root, seeds)
    if key is not None:
        while len(_MEMO) >= MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))  # the oldest ledger this process loaded
        _MEMO[key] = dataset
        _write_cache(root, key, dataset)
        return _for(dataset, root)
    return dataset


def _load(root: Path, seeds: Path | None) -> Dataset:
    package, raws, problems = validate(root, seeds)
    if problems:
        raise LedgerError(problems)
    frames = {t.name: _frame(t, raws[t.name]) for t in package.tables}
    known = {name: frames.pop(name) for name in TABLES}
    dataset = Dataset(package=package, others=frames, **known)
    # Computed, never typed: see reconcile.py.
    dataset.flows["confidence"] = dataset.flows["flow_id"].map(flow_confidence(dataset)).astype("string")
    return dataset


def _for(dataset: Dataset, root: Path) -> Dataset:
    out = dataset.copy()
    if out.package.root != root:
        out.package = dataclasses.replace(out.package, root=root)
    return out


def ledger_hash(root: Path, seeds: Path | None = None) -> str:
    """sha256 over what a loaded ledger depends on: every file in the data folder (a link by its
    target), the seed articles' names, this package's code and the Python and pandas versions."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{platform.python_version()}\0{pd.__version__}\0".encode())
    files = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        files += [Path(folder) / n for n in sorted(names)]
    files += sorted(PACKAGE_DIR.glob("*.py"))
    for path in files:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else f"analysis/{path.name}"
        digest.update(name.encode() + b"\0")
        try:
            digest.update(b"->" + os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    if seeds is not None:
        digest.update(("seeds\0" + "\0".join(sorted(p.name for p in seeds.glob("*.txt")))).encode())
    return digest.hexdigest()


def cache_dir(root: Path) -> Path | None:
    """Where loaded ledgers are kept: _build/.ledger-cache in the repository that holds the data
    folder (the same place whether the caller runs in the repository or in book/), or nowhere
    for a data folder outside a repository (tests' temporary ledgers)."""
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    repo = root.resolve().parent
    if root.resolve() == DEFAULT_DATA.resolve() or ((repo / "analysis").is_dir() and (repo / "_config.yml").is_file()):
        return repo / "_build" / ".ledger-cache"
    return None


def _read_cache(root: Path, key: str) -> Dataset | None:
    folder = cache_dir(root)
    path = folder / f"{key}.pickle" if folder else None
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            dataset = pickle.load(handle)
        return dataset if isinstance(dataset, Dataset) else None
    except Exception:  # a cache written by other code, or cut short: validate again
        return None


def _write_cache(root: Path, key: str, dataset: Dataset) -> None:
    folder = cache_dir(root)
    if folder is None:
        return
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            temporary = Path(handle.name)
            pickle.dump(dataset, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{key}.pickle")  # atomic: parallel kernels may race
        temporary = None
        for old in sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-4]:
            old.unlink(missing_ok=True)  # keep the few most recent ledgers
    except Exception:
        pass  # a read-only checkout, a full disk, a race with another kernel: the ledger still loads
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _frame(table: Table, raw: RawTable) -> pd.DataFrame:
    """One table typed: whole numbers Int64, decimals Float64, booleans, text as strings, with an
    empty cell as missing; each partial date gets a `<name>_start` timestamp beside it."""
    columns: dict[str, object] = {}
    starts: dict[str, object] = {}  # after the table's own columns
    for f in table.fields:
        values = [r.cells.get(f.name) or None for r in raw.rows]
        if f.type == "boolean":
            columns[f.name] = pd.array([None if v is None else v == "true" for v in values], dtype="boolean")
        elif f.type == "integer":
            columns[f.name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif f.type == "number":
            columns[f.name] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        else:
            columns[f.name] = pd.array(values, dtype="string")
        if f.is_partial_date:
            # The start of the stated period, for plotting; the string keeps the precision.
            padded = [None if v is None else v + "-01" * ((10 - len(v)) // 3) for v in values]
            starts[f"{f.name}_start"] = pd.to_datetime(pd.Series(padded, dtype=object), format="%Y-%m-%d")
    return pd.DataFrame({**columns, **starts}, index=pd.RangeIndex(len(raw.rows)))
