"""The one path from ledger text to HTML: Jinja2 with autoescaping (MarkupSafe).

Everything the book shows from the ledger or the data package goes through here. Values are
escaped unless they are `Markup` built by this module (a link, a table), so a title, note or
publisher can never become an element, a script or an attribute. URLs are checked against
`URL_PATTERN`, the same pattern datapackage.json declares for sources.url, before they become
an href.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

# Absolute http(s) URL: no whitespace, quotes, angle brackets or backslashes anywhere.
URL_PATTERN = r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s\"'<>\\`]*)?"
_URL = re.compile(URL_PATTERN)

ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True)

_TABLE = ENV.from_string(
    """<div class="rt-table-scroll"{% if label %} role="region" aria-label="{{ label }}" tabindex="0"{% endif %}>
<table class="{{ classes }}">
<thead><tr>{% for c in columns %}<th scope="col"{% if c in wide %} class="rt-wide"{% endif %}>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr{% if row_ids %} id="{{ row_ids[loop.index0] }}"{% endif %}>
{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
</div>"""
)


class UnsafeURL(ValueError):
    pass


def is_safe_url(url: str) -> bool:
    return isinstance(url, str) and _URL.fullmatch(url) is not None


def safe_url(url: str) -> str:
    """`url` itself when it is an absolute http(s) URL with nothing that could break out of an
    attribute; otherwise UnsafeURL (the validator rejects such rows long before this)."""
    if not is_safe_url(url):
        raise UnsafeURL(f"refusing to link {url!r}: not an absolute http(s) URL")
    return url


def text(value) -> Markup:
    """Any value as escaped text; missing values (None, NaN, pd.NA) as an empty string."""
    if value is None:
        return Markup("")
    try:
        import pandas as pd

        if not isinstance(value, (list, tuple, dict)) and pd.isna(value):
            return Markup("")
    except (TypeError, ValueError):
        pass
    return escape(str(value))


def link(href: str, label, *, external: bool | None = None) -> Markup:
    """<a href=…>label</a>. External hrefs must pass safe_url; internal ones are relative paths
    built by the book (escaped all the same)."""
    if external is None:
        external = "://" in href
    if external:
        href = safe_url(href)
    return Markup('<a href="{}">{}</a>').format(href, label if isinstance(label, Markup) else text(label))


def render(template: str, **context) -> Markup:
    """Render a template string with autoescaping."""
    return Markup(_compiled(template).render(**context))


@functools.lru_cache(maxsize=256)
def _compiled(template: str):
    # Compiling is most of the cost of a small template; pages render the same few many times.
    return ENV.from_string(template)


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    classes: str = "rt-table",
    label: str = "",
    row_ids: Sequence[str] | None = None,
    wide: Iterable[str] = (),
) -> Markup:
    """An HTML table inside its own scrolling box. Cells are escaped unless they are Markup
    from this module; missing values show as empty cells."""
    cells = [[c if isinstance(c, Markup) else text(c) for c in row] for row in rows]
    return Markup(_TABLE.render(columns=list(columns), rows=cells, classes=classes, label=label, row_ids=row_ids, wide=set(wide)))


def frame_table(frame, **kwargs) -> Markup:
    """A DataFrame as a table (see `table`): its column names are the headers."""
    return table(list(frame.columns), frame.itertuples(index=False, name=None), **kwargs)
