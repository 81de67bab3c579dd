"""Round Trip's analysis package: load and validate the ledger, reconcile claims, compute
metrics and draw charts. Chapters import from here; all logic that could be wrong lives here."""

from .dataset import Dataset, load, validate
from .problems import LedgerError, Problem

__all__ = ["Dataset", "LedgerError", "Problem", "load", "validate"]
