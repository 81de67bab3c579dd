"""Round Trip's analysis package: load and validate the ledger, reconcile claims, compute
metrics and draw charts. Chapters import from here; all logic that could be wrong lives here."""

from .dataset import Dataset, load, validate
from .problems import LedgerError, Problem

__all__ = ["Dataset", "LedgerError", "Problem", "load", "validate"]


def __getattr__(name: str):
    # analysis.as_of(ds, day): the ledger as it could be known on a day (analysis/history.py),
    # imported on first use so `python -m analysis validate` does not load the HTML templates.
    if name == "as_of":
        from .history import as_of

        return as_of
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
