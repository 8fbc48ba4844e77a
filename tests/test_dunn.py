"""Dunn's test after Kruskal–Wallis, and the p-value adjustments, against R.

Reference values: ``tests/reference/within.R`` (Dunn's z written from its formula, as
``dunn.test``/``FSA::dunnTest``, and ``p.adjust``) on ``tests/reference/within_data.csv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales._kernels.posthoc import p_adjust
from peoscales.errors import ParameterError

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "within_expected.json").read_text())


def load() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "within_data.csv")


@pytest.mark.parametrize("case", EXPECTED["dunn"], ids=lambda c: f"{c['dv']}-{c['adjust']}")
def test_dunn_matches_r(case: dict) -> None:
    res = peoscales.anova(
        load(), case["dv"], "group", method="kruskal", posthoc="dunn", adjust=case["adjust"]
    )
    assert res.h == pytest.approx(case["h"], abs=1e-8)
    ph = res.posthoc
    assert ph is not None and res.adjust == case["adjust"]
    assert ph["group1"].tolist() == case["group1"]
    assert ph["group2"].tolist() == case["group2"]
    for key in ("diff", "z", "p", "p_adjusted"):
        np.testing.assert_allclose(ph[key], case[key], rtol=0, atol=1e-8, err_msg=key)


def test_no_posthoc_by_default_and_views() -> None:
    data = load()
    assert peoscales.anova(data, "a", "group", method="kruskal").posthoc is None
    res = peoscales.anova(data, "a", "group", method="kruskal", posthoc="dunn")
    assert "Post-hoc comparisons (Dunn)" in res.summary()
    assert "p (holm)" in res._repr_html_()


def test_errors() -> None:
    data = load()
    with pytest.raises(ParameterError, match="kruskal"):
        peoscales.anova(data, "a", "group", posthoc="dunn")
    with pytest.raises(ParameterError, match="adjust"):
        peoscales.anova(data, "a", "group", method="kruskal", posthoc="dunn", adjust="sidak")
    with pytest.raises(ParameterError, match="dunn"):
        peoscales.anova(data, "a", "group", method="kruskal", posthoc="tukey")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=12))
def test_adjustments_are_ordered_and_bounded(p: list[float]) -> None:
    raw = np.asarray(p)
    holm, bonf, bh = (p_adjust(raw, m) for m in ("holm", "bonferroni", "fdr_bh"))
    assert np.all(raw <= bh + 1e-15) and np.all(bh <= holm + 1e-15)
    assert np.all(holm <= bonf + 1e-15) and np.all(bonf <= 1)
    # Adjusted p keeps the order of the raw p.
    order = np.argsort(raw, kind="stable")
    for adjusted in (holm, bh):
        assert np.all(np.diff(adjusted[order]) >= -1e-15)
