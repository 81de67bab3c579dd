import pandas as pd

from analysis.csvsafe import neutralise_cell, neutralise_frame


def test_formula_leading_cells_are_quoted():
    for payload in ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"):
        assert neutralise_cell(payload) == "'" + payload


def test_plain_text_and_numbers_are_left_alone():
    assert neutralise_cell("Amazon") == "Amazon"
    assert neutralise_cell("-1.5") == "-1.5"
    assert neutralise_cell("") == ""


def test_frame_neutralises_text_columns_only():
    frame = pd.DataFrame({"note": ["=1+1", "ok"], "amount": [-5, 3]})
    out = neutralise_frame(frame)
    assert list(out["note"]) == ["'=1+1", "ok"]
    assert list(out["amount"]) == [-5, 3]
    assert list(frame["note"]) == ["=1+1", "ok"]  # the input is not modified
