"""No broken internal link or anchor in the built site (external links: `make linkcheck`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from served_site import HTML, pages

ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}
EXTERNAL = ("http:", "https:", "mailto:", "data:", "javascript:", "tel:")


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def ids(path: Path) -> frozenset[str]:
    return frozenset(tag["id"] for tag in soup(path).find_all(id=True))


def broken_links(page: str) -> list[str]:
    source = HTML / page
    problems = []
    for tag_name, attribute in ATTRIBUTES.items():
        for tag in soup(source).find_all(tag_name):
            target = tag.get(attribute)
            if not target or target.startswith(EXTERNAL) or target.startswith("//"):
                continue
            parts = urlsplit(target)
            path = (source.parent / unquote(parts.path)).resolve() if parts.path else source
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                problems.append(f"{page}: <{tag_name} {attribute}={target!r}> points at a missing file")
                continue
            if parts.fragment and path.suffix == ".html" and unquote(parts.fragment) not in ids(path):
                problems.append(f"{page}: <{tag_name} {attribute}={target!r}> points at a missing anchor")
    return problems


@pytest.mark.parametrize("page", pages())
def test_internal_links_resolve(page):
    assert broken_links(page) == []


def test_checker_catches_a_broken_link(tmp_path, monkeypatch):
    (tmp_path / "a.html").write_text('<a href="b.html#x">b</a><a href="missing.html">m</a><a href="#here">h</a><p id="here"></p>')
    (tmp_path / "b.html").write_text('<p id="y"></p>')
    monkeypatch.setattr(__import__(__name__), "HTML", tmp_path)
    assert broken_links("a.html") == [
        "a.html: <a href='b.html#x'> points at a missing anchor",
        "a.html: <a href='missing.html'> points at a missing file",
    ]
