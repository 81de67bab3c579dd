"""Round Trip's Sphinx extension: one module per job, each registering its own hooks.

rt_ledger_cache  ledger-aware notebook cache (data edits re-execute the chapters that read it)
rt_execute       chapters that must run execute in parallel, one kernel per core, before reading
rt_incremental   a rebuild publishes the same sitemap and search index as a cold build
rt_pages         a page per agreement, generated from the ledger before sources are read
rt_publish       the data release (tables, package, zip, reconciled flows) beside the site
rt_charts        self-hosted Vega, loaded on chart pages only
rt_footer        the ledger version, citation link and licences in every page's footer
rt_icons         the icon font subset to the icons the themes use
rt_thebe         sphinx-thebe's broken duplicate script removed
rt_titles        page titles escaped where the theme prints them raw
rt_a11y          accessible names for the theme's icon-only controls
rt_static        where generated static files go; myst-nb's stylesheet in place before pages are written
rt_assets        each page loads only the extension stylesheets and scripts its body uses
rt_purge         the themes' stylesheets trimmed to the selectors the built site uses (PurgeCSS)
"""

from __future__ import annotations

from sphinx.application import Sphinx

JOBS = [
    "rt_ledger_cache",
    "rt_execute",
    "rt_incremental",
    "rt_pages",
    "rt_publish",
    "rt_static",
    "rt_charts",
    "rt_footer",
    "rt_icons",
    "rt_thebe",
    "rt_titles",
    "rt_a11y",
    "rt_assets",
    "rt_purge",
]


def setup(app: Sphinx) -> dict:
    for module in JOBS:
        app.setup_extension(module)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
