"""The book's colours: each with its dark-mode counterpart, and the CSS that applies them.

Kept apart from analysis/charts.py (which needs Altair) so the build can write the dark-mode
stylesheet without importing the chart library.
"""

from __future__ import annotations

# name -> (light, dark). Light values are unique, so dark mode can restyle an SVG by colour.
PALETTE: dict[str, tuple[str, str]] = {
    # Companies: Okabe & Ito (2008), with lighter variants that stay visible on a dark page.
    "amazon": ("#E69F00", "#F2B33D"),
    "anthropic": ("#D55E00", "#F07A2A"),
    "google": ("#009E73", "#2CC497"),
    "microsoft": ("#0072B2", "#4FA8E0"),
    "openai": ("#3B3B3B", "#CFCFCF"),
    "nvidia": ("#56B4E9", "#7CC8F2"),
    "oracle": ("#CC79A7", "#E09CC3"),
    "amd": ("#B8A100", "#D9C21A"),
    "broadcom": ("#8C6D31", "#C29A52"),
    "coreweave": ("#7B5EA7", "#A68AD6"),
    "softbank": ("#999999", "#B0B0B0"),
    "other": ("#BBBBBB", "#7A7A7A"),
    # Not companies.
    "ink": ("#2F3A45", "#D5DDE5"),
    "text": ("#1F1F1F", "#E6E6E6"),
    "muted": ("#5C5C5C", "#B4B4B4"),
    "grid": ("#E4E4E4", "#3A3F44"),
    "domain": ("#8A8A8A", "#8F949A"),
}


def dark_css() -> str:
    """CSS that repaints the charts' SVGs (static and interactive) in dark mode, and the
    colour variables the HTML keys use."""
    lines = []
    for name, (light, dark) in PALETTE.items():
        lines.append(f".rt-c-{name}{{--c:{light}}}")
        lines.append(f"html[data-theme=dark] .rt-c-{name}{{--c:{dark}}}")
        for attr in ("fill", "stroke"):
            lines.append(f'html[data-theme=dark] .rt-chart svg [{attr}="{light}" i]{{{attr}:{dark}}}')
    return "\n".join(lines) + "\n"
