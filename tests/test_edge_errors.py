"""Errors that used to reach users as raw exceptions or misleading messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales._simulate import _check_size
from peoscales.errors import InsufficientDataError, MissingColumnsError, ParameterError


def test_simulate_refuses_a_size_that_cannot_fit_before_allocating():
    with pytest.raises(ParameterError, match=r"n=1,000,000,000,000 respondents x 6 items"):
        peoscales.simulate("brs", n=10**12)
    _check_size(1000, 6, 1)  # an ordinary size passes


def test_describe_by_a_column_without_values():
    data = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "g": [np.nan] * 4})
    with pytest.raises(InsufficientDataError, match=r"by='g' has no values \(all 4 rows"):
        peoscales.describe(data, by="g")


def test_recode_without_any_item_column_raises_as_score_does():
    data = pd.DataFrame({"a": ["Zeer mee eens", "Mee oneens"]})
    with pytest.raises(MissingColumnsError, match=r"recode found none of the item columns.*brs"):
        peoscales.recode(data, "brs")
    with pytest.raises(MissingColumnsError):
        peoscales.score(data, "brs")
    # one item column found is enough; the others are recoded when present
    some = pd.DataFrame({"brs_1": ["Zeer mee eens"], "a": ["x"]})
    assert peoscales.recode(some, "brs")["brs_1"].tolist() == [5.0]


def test_crosstab_message_of_a_table_without_axis_names():
    with pytest.raises(InsufficientDataError) as info:
        peoscales.crosstab_from_table(np.array([[3, 4]]))
    message = str(info.value)
    assert "None" not in message
    assert "the rows (has 1)" in message and "the columns (has 2)" in message
    named = pd.DataFrame(
        [[3, 4]], index=pd.Index(["x"], name="a"), columns=pd.Index(["p", "q"], name="b")
    )
    with pytest.raises(InsufficientDataError, match=r"'a' \(has 1\) and 'b' \(has 2\)"):
        peoscales.crosstab_from_table(named)


def test_report_chart_draws_dollar_signs_literally():
    pytest.importorskip("matplotlib")
    import pandas as pd
    from matplotlib.figure import Figure

    from peoscales import plot

    label = "Salaris $5 - $10 per uur, 50% ^_{x}"
    fig = Figure()
    # mathtext would fail on the second label
    plot.bars(pd.Series({label: 40.0, "Bonus $x^{$ per jaar": 60.0}), ax=fig.add_subplot())
    svg = plot.to_svg(fig, "chart")
    # drawn as the text itself (not as mathtext glyphs)
    assert ">Salaris $5 - $10 per uur" in svg and ">Bonus $x^{$ per jaar<" in svg
