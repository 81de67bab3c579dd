"""Copies of the repository that the build tests change and build, apart from the original.

Two copies serve every build test (tests/conftest.py makes each once per session):
- `site_copy`: the repository as it is, built cold, each chapter in a new kernel. Tests edit it and restore what they edit
  (`edited()`), so each sees the same sources.
- `ledger_copy`: the ledger edited the ways an author and an attacker would — the deal that
  CONTRIBUTING.md walks through appended, and markup payloads in every text column of every
  table and in datapackage.json — built once, starting from `make book`'s notebook cache.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build as site_build  # noqa: E402 - tools/build.py, the one build command

# The execution-status page reports how long each chapter took and when it ran: it differs
# between any two builds by design, so it is the one page left out of comparisons.
VARIES_BY_DESIGN = {"book/execution.html"}
# myst-nb's line for a chapter it executes itself, and book/_ext/rt_execute.py's for one it ran.
EXECUTED = re.compile(r"(\S+\.md): (?:Executing notebook|executed in parallel)")


def executed(log: str) -> list[str]:
    """The chapters a build executed (not taken from the cache), as paths."""
    return EXECUTED.findall(log)


def build(repo: Path, **kwargs) -> site_build.Build:
    return site_build.run(repo, **kwargs)


def fingerprint(html: Path) -> dict[str, str]:
    """Every file of a built site and the hash of its bytes."""
    return {
        p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(html.rglob("*"))
        if p.is_file() and p.relative_to(html).as_posix() not in VARIES_BY_DESIGN
    }


def make_copy(where: Path, *, with_cache: bool = False) -> Path:
    repo = site_build.copy_repo(where / "round-trip")
    cache = ROOT / "_build" / ".jupyter_cache"
    if with_cache and cache.exists():
        shutil.copytree(cache, repo / "_build" / ".jupyter_cache")
    return repo


class BuiltCopy:
    def __init__(self, repo: Path, first: site_build.Build, payloads: dict[str, str] | None = None):
        self.repo, self.first, self.payloads = repo, first, payloads or {}
        self.fingerprint = fingerprint(self.html)  # as first built, before any test edits it

    @property
    def html(self) -> Path:
        return self.repo / "_build" / "html"


def site_copy(where: Path) -> BuiltCopy:
    """The repository copied and built cold: every chapter executes, each in a new kernel
    (`make book` runs them in warm kernels, book/_ext/rt_execute.py; the two sites must match)."""
    repo = make_copy(where)
    first = build(repo, env={"ROUND_TRIP_FRESH_KERNELS": "1"})
    assert first.ok, first.log[-4000:]
    return BuiltCopy(repo, first)


def ledger_copy(where: Path) -> BuiltCopy:
    """Payloads in every text column and in datapackage.json, then the CONTRIBUTING.md deal;
    validated, and built starting from `make book`'s notebook cache."""
    repo = make_copy(where, with_cache=True)
    payloads = insert_payloads(repo)
    append_contributing_deal(repo)
    env = {**os.environ, "PYTHONPATH": str(repo)}
    checked = subprocess.run([sys.executable, "-m", "analysis", "validate"], cwd=repo, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    first = build(repo)
    assert first.ok, first.log[-4000:]
    return BuiltCopy(repo, first, payloads)


class Background:
    """`make(where)` running in a thread (a build's subprocess, or a browser driven from its
    own event loop), so it overlaps the tests."""

    def __init__(self, make, where: Path):
        self.where, self._value, self._error = where, None, None
        self._thread = threading.Thread(target=self._run, args=(make,), daemon=True)
        self._thread.start()

    def _run(self, make) -> None:
        try:
            self._value = make(self.where)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test that asks for it
            self._error = error

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def cleanup(self) -> None:
        self._thread.join()
        shutil.rmtree(self.where, ignore_errors=True)


@contextmanager
def rewritten(path: Path, text: str):
    """`path` holding `text`, restored afterwards whatever happens."""
    original = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def edited(path: Path, old: str, new: str):
    """`path` with its first `old` replaced by `new`, restored afterwards."""
    original = path.read_text(encoding="utf-8")
    assert old in original, f"{path.name} no longer contains {old!r}: update the test"
    return rewritten(path, original.replace(old, new, 1))


def appended(path: Path, text: str):
    """`path` with `text` added at its end, restored afterwards."""
    return rewritten(path, path.read_text(encoding="utf-8") + text)


# --- the deal CONTRIBUTING.md adds, step by step -------------------------------------------

STEP = re.compile(r"<!-- append to (data/\w+\.csv) -->\n```csv\n(.*?)```", re.DOTALL)


def contributing_steps() -> list[tuple[str, str]]:
    """(file, rows) for each CSV block CONTRIBUTING.md tells an author to append."""
    return STEP.findall((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))


def append_contributing_deal(repo: Path) -> None:
    for file, rows in contributing_steps():
        with (repo / file).open("a", encoding="utf-8") as handle:
            handle.write(rows)


# --- markup payloads -----------------------------------------------------------------------

# Each payload would run `window.__x = 1`, open a dialog, or become an element or a link if it
# were ever treated as markup: HTML, attribute break-outs with each kind of quote, Markdown and
# MyST links, roles and autolinks, and javascript: URLs. Straight quotes stay straight in the
# page (smartquotes is off), so a payload is never defused by typography.
PAYLOADS = [
    """</script><script>window.__x=1</script><img src=x onerror=window.__x=1>""",
    """" onmouseover="window.__x=1" autofocus onfocus="window.__x=1" x=" 'single' “curly” ‘quotes’""",
    """' onfocus='window.__x=1' autofocus x=' <svg onload=window.__x=1>""",
    """[a link](javascript:window.__x=1) <javascript:window.__x=1> **bold** {ref}`genindex` $x$""",
    """<a href="javascript:window.__x=1">click</a> &lt;b&gt;entity&lt;/b&gt; <!-- comment -->""",
]
MARK = "PAYLOAD"  # each inserted payload is tagged PAYLOAD[<table>.<column>] to find it again


def payload_for(where: str, n: int) -> str:
    return f"{MARK}[{where}] {PAYLOADS[n % len(PAYLOADS)]}"


# Strings with a format of their own: a claim's value is typed by the field it describes, and a
# seed's file name must name a file.
NOT_FREE_TEXT = {("claims", "value"), ("sources", "seed_file")}


def text_columns(package: dict) -> dict[str, list[str]]:
    """Per table, the free-text columns: strings an editor types, not ids, id lists, enums,
    patterned values (URLs, dates) or NOT_FREE_TEXT."""
    found = {}
    for resource in package["resources"]:
        schema = resource["schema"]
        named = [schema.get("primaryKey") or []] + [fk["fields"] for fk in schema.get("foreignKeys", [])]
        keys = {name for names in named for name in ([names] if isinstance(names, str) else names)}
        found[resource["name"]] = [
            f["name"]
            for f in schema["fields"]
            if f.get("type", "string") == "string"
            and f["name"] not in keys
            and not f["name"].endswith(("_id", "_ids", "_precision"))
            and not {"enum", "pattern"} & set(f.get("constraints", {}))
            and "format" not in f
            and "listReference" not in f
            and (resource["name"], f["name"]) not in NOT_FREE_TEXT
        ]
    return found


def insert_payloads(repo: Path) -> dict[str, str]:
    """Append a tagged payload to every non-empty cell of every text column, and to the
    package's and each resource's title and description. Returns {where: payload} for each
    place a payload went (`table.column` or `datapackage[.resource].key`)."""
    data = repo / "data"
    descriptor = data / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    inserted, n = {}, 0
    for resource in package["resources"]:
        columns = text_columns(package)[resource["name"]]
        path = data / resource["path"]
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header, rows = reader.fieldnames, list(reader)
        for column in columns:
            where = f"{resource['name']}.{column}"
            for row in rows:
                if row[column]:
                    row[column] = f"{row[column]} {payload_for(where, n)}"
                    inserted[where] = payload_for(where, n)
            n += 1
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        for key in ("title", "description"):
            where = f"datapackage.{resource['name']}.{key}"
            resource[key] = f"{resource.get(key, '')} {payload_for(where, n)}"
            inserted[where] = payload_for(where, n)
            n += 1
    for key in ("title", "description"):
        package[key] = f"{package.get(key, '')} {payload_for(f'datapackage.{key}', n)}"
        inserted[f"datapackage.{key}"] = payload_for(f"datapackage.{key}", n)
        n += 1
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return inserted
