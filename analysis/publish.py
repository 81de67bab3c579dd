"""The data release: `python -m analysis publish [DATA] --out DIR`.

Writes into DIR each table the package declares, datapackage.json, LICENSE.md,
flows_reconciled.csv (the flows with their computed confidence) and round-trip-ledger.zip
holding all of them. The site's build calls `publish()` to put the release beside the pages.

- Only the resources datapackage.json declares, inside the data folder and validated, are read
  and published: a stray CSV, or a symlink to a file elsewhere, never leaves the machine.
- Every CSV cell that a spreadsheet would run as a formula is neutralised (analysis.csvsafe).
- The zip is deterministic: entries in a fixed order with a fixed timestamp and permissions,
  so the same ledger gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from .csvsafe import neutralise_cell, neutralise_frame
from .dataset import DEFAULT_DATA, Dataset, _seeds, ledger_hash, load, validate
from .problems import LedgerError, Problem
from .tables import _shown_path

ZIP_NAME = "round-trip-ledger.zip"
ZIP_FOLDER = "round-trip-ledger"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
RECONCILED = "flows_reconciled.csv"
LICENSE = "LICENSE.md"


def publish(
    data: str | Path = DEFAULT_DATA,
    out: str | Path = "_build/release",
    dataset: Dataset | None = None,
    stamp: Path | None = None,
    seeds_dir: Path | None | str = "auto",
) -> list[Path]:
    """Write the release of the ledger at `data` into `out`; return the files written.

    Raises LedgerError when the ledger does not validate or its licence is missing. With
    `stamp` (a file outside `out`), a release already made from this exact ledger is kept."""
    root, out = Path(data), Path(out)
    current = ledger_hash(root, _seeds(root, seeds_dir))
    if stamp is not None and stamp.is_file() and stamp.read_text() == current and (out / ZIP_NAME).is_file():
        return []
    package, raws, problems = validate(root, seeds_dir)
    problems += _licence_problems(root)
    if problems:
        raise LedgerError(problems)
    if dataset is None:
        dataset = load(root, seeds_dir)
    files: dict[str, bytes] = {}
    for table in package.tables:
        raw = raws[table.name]
        rows = [[r.cells.get(name, "") for name in table.field_names] for r in raw.rows]
        files[table.path] = _csv_bytes(table.field_names, rows)
    files["datapackage.json"] = (root / "datapackage.json").read_bytes()
    files[LICENSE] = (root / LICENSE).read_bytes()
    files[RECONCILED] = reconciled_csv(dataset)
    written = []
    for name, content in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    archive = out / ZIP_NAME
    archive.write_bytes(zip_bytes(files))
    written.append(archive)
    if stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current)
    return written


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_cell(h) for h in header])
    writer.writerows([[neutralise_cell(c) for c in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def reconciled_csv(dataset: Dataset) -> bytes:
    """The flows with their computed confidence, written as the ledger writes its own CSVs:
    booleans as true/false (pandas would write True/False), formulas neutralised."""
    flows = dataset.flows.drop(columns=[c for c in dataset.flows.columns if c.endswith("_start")])
    for column in flows.columns:
        if pd.api.types.is_bool_dtype(flows[column]):
            flows[column] = flows[column].map({True: "true", False: "false"}, na_action="ignore")
    return neutralise_frame(flows).to_csv(index=False, lineterminator="\n").encode("utf-8")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of `files` (name -> content) that is the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def _licence_problems(root: Path) -> list[Problem]:
    path = root / LICENSE
    shown = _shown_path(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return [Problem(shown, 0, "", "is not a regular file", "the data licence must be a plain file inside the data folder")]
    if not path.exists():
        return [
            Problem(shown, 0, "", "is missing: the data release states its licence", "add the data licence (CC BY 4.0) as data/LICENSE.md")
        ]
    return []
