import pandas as pd
import pytest

from analysis import present


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (1_250_000_000, "$1.25 billion"),
        (38_000_000_000, "$38 billion"),
        (350_000_000, "$350 million"),
        (2.5e12, "$2.5 trillion"),
        (pd.NA, "not stated"),
        (None, "not stated"),
    ],
)
def test_usd(amount, shown):
    assert present.usd(amount) == shown
    assert repr(present.usd(amount)) == shown  # glue shows repr: no quotes


@pytest.mark.parametrize(("value", "shown"), [("2023-09-25", "25 September 2023"), ("2024-03", "March 2024"), ("2025", "2025")])
def test_date(value, shown):
    assert present.date(value) == shown


def test_short_date_and_ratio():
    assert present.short_date("2023-09-25") == "Sep 2023"
    assert present.ratio(7.692) == "7.7×"
    assert present.gw(4.5) == "4.5 GW"
