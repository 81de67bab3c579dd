"""Numbers as readers see them: formatted once here, glued into prose by the chapters."""

from __future__ import annotations

import math


class Shown(str):
    """A string that displays without quotes, so myst-nb's {glue} role shows it as plain text."""

    def __repr__(self) -> str:
        return str(self)


def usd(amount: float | int | None, digits: int | None = None) -> Shown:
    """$1.25 billion, $38 billion, $350 million: the shortest exact form up to `digits` decimals."""
    if _missing(amount):
        return Shown("not stated")
    amount = float(amount)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(amount) >= size:
            return Shown(f"${_trim(amount / size, digits)} {word}")
    return Shown(f"${amount:,.0f}")


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _trim(value: float, digits: int | None) -> str:
    if digits is not None:
        return f"{value:,.{digits}f}"
    for places in range(0, 4):
        if math.isclose(round(value, places), value, abs_tol=1e-9):
            return f"{value:,.{places}f}"
    return f"{value:,.2f}"


def ratio(value: float | None) -> Shown:
    """A round-trip ratio such as 12.5×."""
    if _missing(value):
        return Shown("n/a")
    return Shown(f"{value:,.1f}×")


def percent(value: float) -> Shown:
    return Shown(f"{value * 100:,.0f}%")


def gw(value: float | None) -> Shown:
    if _missing(value):
        return Shown("not stated")
    return Shown(f"{_trim(value, None)} GW")


def count(value: int) -> Shown:
    return Shown(f"{value:,}")


def date(value: str) -> Shown:
    """'2023-09-25' -> '25 September 2023'; '2023-09' -> 'September 2023'; '2023' stays."""
    import calendar

    parts = value.split("-")
    if len(parts) == 1:
        return Shown(parts[0])
    month = calendar.month_name[int(parts[1])]
    return Shown(f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}")


def short_date(value: str) -> Shown:
    """'2023-09-25' and '2023-09' -> 'Sep 2023'; '2023' stays: for axis labels."""
    import calendar

    parts = value.split("-")
    return Shown(parts[0] if len(parts) == 1 else f"{calendar.month_abbr[int(parts[1])]} {parts[0]}")
