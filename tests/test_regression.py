"""Tests of peoscales.regress against R (tests/reference/regression.R) and for bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import peoscales
from peoscales._regression import RegressionResult, regress
from peoscales.errors import (
    CollinearityError,
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    ParameterError,
)

REF = Path(__file__).parent / "reference"
EXPECTED = json.loads((REF / "regression_expected.json").read_text())
# The maths is exact (least squares, closed-form VIF, F and t distributions): R and
# statsmodels agree to rounding, so the tolerance is 1e-8 relative.
RTOL = 1e-8
ATOL = 1e-12

SINGLE = ["wbns_autonomy", "wbns_competence", "swing_nwhi", "care_type"]
BLOCKS = [["wbns_autonomy", "wbns_competence"], ["swing_nwhi", "swing_nhwi"], ["care_type"]]
REFERENCE = {"care_type": "jeugdhulp"}
ALL_VARS = ["brs", *(c for block in BLOCKS for c in block)]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "regression_data.csv", index_col="respondent")


def r_name(term: str) -> str:
    """R's coefficient names as peoscales writes them."""
    if term == "(Intercept)":
        return "Intercept"
    match = re.fullmatch(r"care_type(.+)", term)
    return f"care_type[T.{match.group(1)}]" if match else term


def close(actual, expected) -> None:
    expected = np.array([np.nan if v is None else v for v in np.atleast_1d(expected)], float)
    np.testing.assert_allclose(np.atleast_1d(actual), expected, rtol=RTOL, atol=ATOL)


def check_coefficients(frame: pd.DataFrame, ref: dict, *, ci: str = "ci_low") -> None:
    assert list(frame.index) == [r_name(t) for t in ref["term"]]
    for ours, theirs in [
        ("b", "b"),
        ("se", "se"),
        ("t", "t"),
        ("p", "p"),
        ("beta", "beta"),
        ("vif", "vif"),
        ("ci_low", "ci_low_confint"),
        ("ci_high", "ci_high_confint"),
    ]:
        close(frame[ours].to_numpy(), ref[theirs])


def check_model(res, ref: dict) -> None:
    close(res.r2, ref["r2"])
    close(res.adj_r2, ref["adj_r2"])
    close(res.f, ref["f"])
    close(res.p, ref["p"])
    assert (res.df1, res.df2) == (ref["df1"], ref["df2"])


# --------------------------------------------------------------------------- R reference


def test_single_model_matches_lm(data):
    res = regress(data, "brs", SINGLE, reference=REFERENCE)
    ref = EXPECTED["single"]
    check_model(res, ref)
    check_coefficients(res.to_frame(), ref["coef"])
    assert res.n == ref["n"]
    assert res.n_excluded == EXPECTED["n_total"] - ref["n"]
    assert sorted(res.excluded) == sorted(EXPECTED["single_dropped"])
    assert res.reference == {"care_type": "jeugdhulp"}
    close(np.sqrt(res.fit.scale), ref["sigma"])


@pytest.mark.parametrize(
    "formula",
    [
        "brs ~ wbns_autonomy + wbns_competence + swing_nwhi + care_type",
        "brs ~ wbns_autonomy + wbns_competence + swing_nwhi + C(care_type)",
    ],
)
def test_formula_gives_the_same_model(data, formula):
    res = regress(data, formula, reference=REFERENCE)
    ref = EXPECTED["single"]
    check_model(res, ref)
    frame = res.to_frame().rename(index=lambda t: t.replace("C(care_type)", "care_type"))
    frame = frame.loc[[r_name(t) for t in ref["coef"]["term"]]]
    check_coefficients(frame, ref["coef"])
    assert res.n_excluded == len(EXPECTED["single_dropped"])


def test_hierarchical_steps_match_anova_of_nested_models(data):
    res = regress(data, "brs", blocks=BLOCKS, reference=REFERENCE)
    assert res.hierarchical
    assert len(res.steps) == 3
    assert res.n == EXPECTED["all_vars_n"]
    assert sorted(res.excluded) == sorted(EXPECTED["steps_dropped"])
    for step, ref in zip(res.steps, EXPECTED["steps"]):
        check_model(step, ref)
        close(step.r2_change, ref["r2_change"])
        close(step.f_change, ref["f_change"])
        close(step.p_change, ref["p_change"])
        assert (step.df1_change, step.df2_change) == (ref["df1_change"], ref["df2_change"])
        check_coefficients(step.coefficients, ref["coef"])
    frame = res.steps_frame()
    close(frame["r2_change"].to_numpy(), [s["r2_change"] for s in EXPECTED["steps"]])
    assert res.steps[2].variables == ("care_type",)
    assert res.steps[2].added == (
        "care_type[T.jeugd-ggz]",
        "care_type[T.jeugdbescherming]",
        "care_type[T.overig]",
    )
    check_coefficients(res.to_frame(), EXPECTED["steps"][2]["coef"])


def test_listwise_sample_spans_all_blocks(data):
    # A model fitted on the rows complete on every block's variables is R's model on
    # complete.cases over all of them, not on its own variables only.
    res = regress(data.dropna(subset=ALL_VARS), "brs", SINGLE, reference=REFERENCE)
    check_model(res, EXPECTED["full_on_cc"])
    check_coefficients(res.to_frame(), EXPECTED["full_on_cc"]["coef"])
    assert res.n_excluded == 0


def test_vif_equals_car_vif_for_numeric_predictors(data):
    predictors = ["wbns_autonomy", "wbns_competence", "swing_nwhi", "swing_nhwi"]
    complete = data.dropna(subset=["brs", *predictors, "care_type"])
    res = regress(complete, "brs", predictors)
    ref = EXPECTED["numeric_only"]
    check_model(res, ref)
    check_coefficients(res.to_frame(), ref["coef"])
    close(res.to_frame()["vif"].to_numpy()[1:], ref["car_vif"])


@pytest.mark.parametrize("index", range(4))
def test_robust_standard_errors_match_sandwich(data, index):
    ref = EXPECTED["robust"][index]
    res = regress(data, "brs", SINGLE, reference=REFERENCE, robust=ref["type"])
    frame = res.to_frame()
    close(frame["b"].to_numpy(), EXPECTED["single"]["coef"]["b"])
    for column in ["se", "t", "p", "ci_low", "ci_high"]:
        close(frame[column].to_numpy(), ref[column])
    close(res.f, ref["f"])
    close(res.p, ref["f_p"])
    assert (res.df1, res.df2) == (ref["df1"], ref["df2"])
    # R² does not depend on the covariance estimator.
    close(res.r2, EXPECTED["single"]["r2"])


def test_robust_r2_change_is_the_wald_test_of_the_block(data):
    res = regress(data, "brs", blocks=BLOCKS, reference=REFERENCE, robust="HC3")
    ref = EXPECTED["robust_change_hc3"]
    step = res.steps[2]
    close(step.f_change, ref["f"])
    close(step.p_change, ref["p"])
    assert (step.df1_change, step.df2_change) == (ref["df1"], ref["df2"])
    close(step.r2_change, EXPECTED["steps"][2]["r2_change"])


# --------------------------------------------------------------------------- behaviour


def test_caller_data_is_not_modified_and_index_kept(data):
    before = data.copy()
    res = regress(data, "brs", blocks=BLOCKS, reference=REFERENCE)
    pd.testing.assert_frame_equal(data, before)
    assert all(label in data.index for label in res.excluded)
    assert data.loc[res.excluded, ALL_VARS].isna().any(axis=1).all()


def test_reference_level_changes_dummies_not_fit(data):
    default = regress(data, "brs", SINGLE)
    assert default.reference == {"care_type": "jeugd-ggz"}  # first in sorted order
    chosen = regress(data, "brs", SINGLE, reference=REFERENCE)
    assert "care_type[T.jeugd-ggz]" in chosen.to_frame().index
    assert "care_type[T.jeugdhulp]" in default.to_frame().index
    close(default.r2, chosen.r2)
    # b of jeugdhulp vs jeugd-ggz is minus b of jeugd-ggz vs jeugdhulp.
    close(
        default.to_frame().loc["care_type[T.jeugdhulp]", "b"],
        -chosen.to_frame().loc["care_type[T.jeugd-ggz]", "b"],
    )


def test_categorical_order_and_numeric_codes_as_factor(data):
    frame = data.assign(
        care_type=pd.Categorical(
            data["care_type"], categories=["overig", "jeugdhulp", "jeugd-ggz", "jeugdbescherming"]
        ),
        care_code=data["care_type"].map(
            {"jeugd-ggz": 1, "jeugdhulp": 2, "jeugdbescherming": 3, "overig": 4}
        ),
    )
    cat = regress(frame, "brs", SINGLE)
    assert cat.reference == {"care_type": "overig"}
    coded = regress(frame, "brs", [*SINGLE[:3], "care_code"], reference={"care_code": 2}).to_frame()
    assert list(coded.index[-3:]) == ["care_code[T.1.0]", "care_code[T.3.0]", "care_code[T.4.0]"]
    ref = EXPECTED["single"]["coef"]
    close(coded["b"].to_numpy(), ref["b"])


def test_standardize_false_leaves_beta_out(data):
    res = regress(data, "brs", SINGLE, standardize=False)
    assert "beta" not in res.to_frame().columns
    assert res.to_apa("wbns_autonomy").startswith("b = ")


def test_confidence_level(data):
    res = regress(data, "brs", SINGLE, reference=REFERENCE, confidence=0.99)
    frame = res.to_frame()
    from scipy import stats

    q = stats.t.ppf(0.995, res.df2)
    close(frame["ci_high"].to_numpy(), (frame["b"] + q * frame["se"]).to_numpy())


def test_apa_strings_and_display(data):
    res = regress(data, "brs", blocks=BLOCKS, reference=REFERENCE)
    ref = EXPECTED["steps"][2]
    r2 = f"{ref['r2']:.2f}".lstrip("0")
    assert res.to_apa() == f"R² = {r2}, F(7, 281) = {ref['f']:.2f}, p < .001"
    change = EXPECTED["steps"][1]
    dr2 = f"{change['r2_change']:.2f}".lstrip("0")
    assert res.to_apa(step=2) == f"ΔR² = {dr2}, F(2, 284) = {change['f_change']:.2f}, p < .001"
    assert res.steps[1].to_apa() == res.to_apa(step=2)
    assert re.fullmatch(
        r"β = \.\d\d, t\(281\) = \d\.\d\d, p [<=] \.\d{3}", res.to_apa("wbns_autonomy")
    )
    text = res.summary()
    assert "n = 289, 31 row(s) with missing values left out" in text
    assert "Model summary per step" in text
    assert "swing_nwhi, swing_nhwi" in text
    assert str(res) == text
    page = res._repr_html_()
    assert "<table" in page and "ΔR²" in page and "care_type[T.overig]" in page
    assert "n = 289" in res.steps[2].summary() or "Step 3" in res.steps[2].summary()
    with pytest.raises(ParameterError, match="steps"):
        res.to_apa(step=4)
    with pytest.raises(ParameterError, match="not in the model"):
        res.to_apa("age")


def test_display_without_missing_values():
    frame = pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0, 4.5], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    res = regress(frame, "y", "x")
    assert "no rows left out" in res.summary()
    assert not res.hierarchical
    close(res.to_frame().loc["x", "vif"], 1.0)
    assert isinstance(res, RegressionResult)
    assert peoscales.regress is regress


# --------------------------------------------------------------------------- bad input


def test_collinear_predictors_are_named(data):
    frame = data.assign(
        total=data["wbns_autonomy"] + data["wbns_competence"], shifted=2 * data["age"] + 3
    )
    with pytest.raises(
        CollinearityError,
        match=r"'total' = 1\.000·'wbns_autonomy' \+ 1\.000·'wbns_competence'\. .*leave one",
    ):
        regress(frame, "brs", ["wbns_autonomy", "wbns_competence", "total"])
    # Across blocks the later column is the one expressed by the earlier ones.
    with pytest.raises(
        CollinearityError,
        match=r"^Perfectly collinear predictors 'total', 'wbns_autonomy', 'wbns_competence': "
        r"'wbns_competence' = 1\.000·'total' − 1\.000·'wbns_autonomy'\.",
    ):
        regress(frame, "brs", blocks=[["total"], ["wbns_autonomy", "wbns_competence"]])
    with pytest.raises(CollinearityError, match=r"'shifted' = 3\.000 \+ 2\.000·'age'"):
        regress(frame, "brs ~ age + shifted")


def test_constant_predictor_is_named(data):
    frame = data.assign(one=3.0)
    with pytest.raises(CollinearityError, match="'one' is constant in the analysis sample"):
        regress(frame, "brs", ["wbns_autonomy", "one"])


def test_unknown_column_suggests_close_names(data):
    with pytest.raises(
        MissingColumnsError, match=r"'wbns_autonomie'.*did you mean 'wbns_autonomy'"
    ):
        regress(data, "brs", ["wbns_autonomie"])
    with pytest.raises(MissingColumnsError, match=r"did you mean 'swing_nwhi'"):
        regress(data, "brs ~ swing_nwh + age")


def test_non_numeric_dependent_variable(data):
    with pytest.raises(DataTypeError, match=r"dependent variable 'care_type' is not numeric.*'j"):
        regress(data, "care_type", ["brs"])
    with pytest.raises(DataTypeError, match="not numeric"):
        regress(data, "care_type ~ brs")


def test_bad_reference(data):
    with pytest.raises(
        ParameterError, match=r"'jeugdzorg' is not a level of 'care_type'.*jeugdhulp"
    ):
        regress(data, "brs", SINGLE, reference={"care_type": "jeugdzorg"})
    with pytest.raises(ParameterError, match="not a predictor"):
        regress(data, "brs", SINGLE, reference={"gender": "vrouw"})
    with pytest.raises(ParameterError, match="must be a dict"):
        regress(data, "brs", SINGLE, reference="jeugdhulp")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"predictors": ["age", "age"]}, "named more than once"),
        ({"blocks": [["age"], ["age", "swing_nwhi"]]}, "named more than once"),
        ({"predictors": ["brs", "age"]}, "also among the predictors"),
        ({"predictors": ["age"], "blocks": [["age"]]}, "not both"),
        ({}, "No predictors"),
        ({"blocks": "age"}, "list of lists"),
        ({"predictors": []}, "non-empty list"),
        ({"predictors": ["age"], "robust": "HC5"}, "robust='HC5' is not supported"),
        ({"predictors": ["age"], "confidence": 95}, "confidence"),
        ({"predictors": ["age"], "standardize": "yes"}, "standardize"),
    ],
)
def test_bad_options(data, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        regress(data, "brs", **kwargs)


def test_formula_errors(data):
    with pytest.raises(ParameterError, match="no intercept"):
        regress(data, "brs ~ age - 1")
    with pytest.raises(ParameterError, match="leave predictors and blocks out"):
        regress(data, "brs ~ age", ["age"])
    with pytest.raises(ParameterError, match="cannot be parsed"):
        regress(data, "brs ~ (age")


def test_too_few_rows_and_constant_outcome():
    frame = pd.DataFrame({"y": [1.0, 2.0, np.nan], "a": [1.0, 3.0, 2.0], "b": [2.0, 1.0, 5.0]})
    with pytest.raises(
        InsufficientDataError, match=r"2 complete row\(s\) for 3 coefficients.*1 row"
    ):
        regress(frame, "y", ["a", "b"])
    flat = pd.DataFrame({"y": [2.0] * 5, "a": [1.0, 2.0, 3.0, 4.0, 6.0]})
    with pytest.raises(InsufficientDataError, match="same value"):
        regress(flat, "y", ["a"])


def test_not_a_dataframe():
    with pytest.raises(DataTypeError, match="DataFrame"):
        regress([[1, 2]], "y", ["x"])


# --------------------------------------------------------------------------- properties

# Survey-like values: scale scores on a grid of quarter points.
likert = st.integers(4, 20).map(lambda k: k / 4)


@st.composite
def regression_data(draw):
    n = draw(st.integers(8, 40))
    x = draw(arrays(np.float64, (n, 3), elements=likert))
    noise = draw(arrays(np.float64, n, elements=st.integers(-8, 8).map(lambda k: k / 4)))
    coef = draw(arrays(np.float64, 3, elements=st.integers(-4, 4).map(lambda k: k / 2)))
    y = x @ coef + noise
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(y=y)
    return frame


def _fits(frame: pd.DataFrame, **kwargs):
    try:
        return regress(frame, "y", **kwargs)
    except (CollinearityError, InsufficientDataError):
        return None


@settings(max_examples=60)
@given(regression_data(), st.randoms(use_true_random=False))
def test_r2_bounds_and_row_order_invariance(frame, rnd):
    res = _fits(frame, predictors=["a", "b", "c"])
    if res is None:
        return
    assert 0.0 <= res.r2 <= 1.0 + 1e-12
    order = list(frame.index)
    rnd.shuffle(order)
    shuffled = _fits(frame.loc[order], predictors=["a", "b", "c"])
    assert shuffled is not None
    np.testing.assert_allclose(
        shuffled.to_frame()["b"].to_numpy(), res.to_frame()["b"].to_numpy(), rtol=1e-6, atol=1e-7
    )
    np.testing.assert_allclose(shuffled.r2, res.r2, rtol=1e-6, atol=1e-9)


@settings(max_examples=60)
@given(regression_data())
def test_r2_changes_sum_to_final_r2(frame):
    res = _fits(frame, blocks=[["a"], ["b", "c"]])
    if res is None:
        return
    total = sum(step.r2_change for step in res.steps)
    np.testing.assert_allclose(total, res.r2, rtol=1e-10, atol=1e-12)
    assert all(step.r2_change >= -1e-10 for step in res.steps)


def test_integer_column_names_and_text_digits_in_the_outcome(data):
    frame = data[["brs", "wbns_autonomy", "care_type"]].copy()
    frame.columns = ["brs", 1, 2]
    frame["brs"] = frame["brs"].map(lambda v: None if pd.isna(v) else repr(v)).astype(object)
    res = regress(frame, "brs", [1, 2], reference={2: "jeugdhulp"})
    plain = regress(data, "brs", ["wbns_autonomy", "care_type"], reference=REFERENCE)
    np.testing.assert_allclose(res.to_frame()["b"], plain.to_frame()["b"], rtol=1e-12)
    assert list(res.to_frame().index[:2]) == ["Intercept", "1"]
    assert res.n_excluded == plain.n_excluded
    formula = regress(
        data.assign(brs=frame["brs"]), "brs ~ wbns_autonomy + care_type", reference=REFERENCE
    )
    np.testing.assert_allclose(formula.r2, plain.r2, rtol=1e-12)


def test_step_views_show_fit_and_change_like_the_model_summary():
    frame = pd.DataFrame(
        {
            "y": [1.0, 2.0, 2.5, 4.0, 4.5, 3.0, 5.5, 6.0],
            "a": [1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 6.0, 6.5],
            "b": [0.5, 0.1, 0.9, 0.4, 0.3, 0.8, 0.2, 0.7],
        }
    )
    res = regress(frame, "y", blocks=[["a"], ["b"]])
    step = res.steps[1]
    page = step._repr_html_()
    text = step.summary()
    r2 = f"{step.r2:.3f}".lstrip("0")
    dr2 = f"{step.r2_change:.3f}".lstrip("0")
    for view in (page, text):
        assert r2 in view and dr2 in view and f"{step.f_change:.2f}" in view
    # Readable labels, not the raw coefficient columns.
    assert "ci_low" not in page and "vif" not in page and "VIF" in page and "ΔR²" in page
    assert "0.000" not in page
    # The step's row is the same as the model's per-step summary.
    assert res._repr_html_().count(f"<td>{dr2}</td>") >= 1
