"""Tests of peoscales.reliability, cronbach_alpha and omega against R's psych.

``reliability`` is imported from its module: the package attribute of the same name can
be replaced by the module object when pytest imports the module for its doctests.

Reference values come from tests/reference/reliability.R (psych 2.2.9), stored next to
it. Tolerances: 1e-8 for alpha and the item statistics (closed-form, exact maths);
1e-4 for omega (iterative factor fits on both sides).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales._kernels import reliability as kern
from peoscales._reliability import reliability
from peoscales.errors import (
    ConstantColumnWarning,
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    OutOfRangeError,
    ParameterError,
    ReverseKeyWarning,
)

REF = Path(__file__).parent / "reference"
EXACT = 1e-8
ITERATIVE = 1e-4

SCALES = {f"s{s}": [f"s{s}_{j}" for j in range(1, 7)] for s in (1, 2, 3)}
REVERSED = [f"s{s}_{j}" for s in (1, 2, 3) for j in (2, 5)]


def _json(name: str) -> dict:
    with open(REF / name) as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def likert() -> pd.DataFrame:
    return pd.read_csv(REF / "reliability_likert_data.csv")


@pytest.fixture(scope="module")
def scales_ref() -> pd.DataFrame:
    return pd.read_csv(REF / "reliability_scales.csv")


@pytest.fixture(scope="module")
def items_ref() -> pd.DataFrame:
    return pd.read_csv(REF / "reliability_items.csv")


@pytest.fixture(scope="module", params=["pairwise", "listwise"])
def fitted(request, likert):
    res = reliability(likert, items=SCALES, reverse=REVERSED, missing=request.param, seed=1)
    return request.param, res


# --------------------------------------------------------------------------------------
# Agreement with psych
# --------------------------------------------------------------------------------------


def test_scale_statistics_match_psych_alpha(fitted, scales_ref):
    missing, res = fitted
    ref = scales_ref[scales_ref["missing"] == missing].set_index("scale")
    table = res.table()
    for ours, theirs in [
        ("alpha", "raw_alpha"),
        ("std_alpha", "std_alpha"),
        ("g6", "G6"),
        ("average_r", "average_r"),
        ("median_r", "median_r"),
        ("ci_low", "feldt_low"),
        ("ci_high", "feldt_high"),
        ("split_half_odd_even", "odd_even"),
        ("split_half_random", "mean_split"),
    ]:
        np.testing.assert_allclose(table[ours], ref.loc[table.index, theirs], rtol=0, atol=EXACT)
    assert (table["n"] == ref.loc[table.index, "n"]).all()


def test_rows_left_out_are_counted(fitted, likert):
    missing, res = fitted
    for sid, cols in SCALES.items():
        answered = likert[cols].notna()
        kept = answered.all(axis=1) if missing == "listwise" else answered.any(axis=1)
        assert res[sid].n == kept.sum()
        assert res[sid].n_excluded == (~kept).sum()
        assert res[sid].n + res[sid].n_excluded == len(likert)


def test_omega_total_matches_psych_omega(fitted, scales_ref):
    missing, res = fitted
    ref = scales_ref[scales_ref["missing"] == missing].set_index("scale")
    got = res.table()["omega_total"]
    np.testing.assert_allclose(got, ref.loc[got.index, "omega_total"], rtol=0, atol=ITERATIVE)


def test_item_statistics_match_psych(fitted, items_ref):
    missing, res = fitted
    ref = items_ref[items_ref["missing"] == missing].set_index("item")
    items = res.items().droplevel("scale")
    for col in ["n", "mean", "sd", "r_cor", "r_drop", "alpha_if_deleted"]:
        np.testing.assert_allclose(items[col], ref.loc[items.index, col], rtol=0, atol=EXACT)
    assert items["reversed"].sum() == len(REVERSED)
    assert items.loc["s2_5", "reversed"]


def test_feldt_interval_at_other_level(likert, scales_ref):
    res = reliability(likert, items=SCALES, reverse=REVERSED, confidence=0.90)
    ref = scales_ref[scales_ref["missing"] == "pairwise"].set_index("scale")
    np.testing.assert_allclose(res.table()["ci_low"], ref["feldt90_low"], atol=EXACT)
    np.testing.assert_allclose(res.table()["ci_high"], ref["feldt90_high"], atol=EXACT)


def test_omega_hierarchical_matches_psych(likert):
    ref = _json("reliability_omega_h.json")
    res = reliability(likert, items=SCALES, reverse=REVERSED)
    assert res.omega_hierarchical == pytest.approx(ref["three"]["omega_h"], abs=ITERATIVE)
    assert res.omega_total_all == pytest.approx(ref["three"]["omega_total"], abs=ITERATIVE)
    np.testing.assert_allclose(res.general_loadings, ref["three"]["g_loadings"], atol=ITERATIVE)
    # Two group factors: psych sets both general loadings of the factors to sqrt(phi).
    two = peoscales.omega(likert[SCALES["s1"] + SCALES["s2"]], n_factors=2, reverse=REVERSED[:4])
    assert two.omega_hierarchical == pytest.approx(ref["two"]["omega_h"], abs=ITERATIVE)
    assert two.omega_total == pytest.approx(ref["two"]["omega_total"], abs=ITERATIVE)


def test_minres_loadings_match_psych_fa():
    ref = _json("reliability_fa1.json")
    complete = pd.read_csv(REF / "reliability_likert_complete_data.csv")
    x = complete[SCALES["s1"]].to_numpy(float)
    x[:, [1, 4]] *= -1
    load = kern.minres(np.corrcoef(x.T), 1)[:, 0]
    np.testing.assert_allclose(load, ref["loadings"], atol=ITERATIVE)
    res = peoscales.omega(complete[SCALES["s1"]], reverse=["s1_2", "s1_5"])
    assert float(res) == pytest.approx(ref["omega_total"], abs=ITERATIVE)
    assert np.isnan(res.omega_hierarchical)


def test_published_bfi_neuroticism_values():
    """psych's documented alpha(bfi[16:20]): .8140, .8147, G6 .7991, average r .4679."""
    bfi = pd.read_csv(REF / "reliability_bfi_neuroticism_data.csv")
    ref = _json("reliability_bfi.json")
    res = reliability(bfi)["scale"]
    assert round(res.alpha, 4) == 0.8140
    assert round(res.std_alpha, 4) == 0.8147
    assert round(res.g6, 4) == 0.7991
    assert round(res.average_r, 4) == 0.4679
    assert res.alpha == pytest.approx(ref["raw_alpha"], abs=EXACT)
    assert res.median_r == pytest.approx(ref["median_r"], abs=EXACT)
    np.testing.assert_allclose(res.item_table["r_drop"], ref["r_drop"], atol=EXACT)
    np.testing.assert_allclose(res.item_table["r_cor"], ref["r_cor"], atol=EXACT)
    np.testing.assert_allclose(
        res.item_table["alpha_if_deleted"], ref["alpha_if_deleted"], atol=EXACT
    )


def test_pingouin_missing_data_example():
    """pingouin's cronbach_wide_missing: pairwise .73266 (as psych), listwise .80169."""
    data = pingouin.read_dataset("cronbach_wide_missing")
    before = data.copy()
    with pytest.warns(ReverseKeyWarning, match="'Q1'"):
        pairwise = peoscales.cronbach_alpha(data)
    with pytest.warns(ReverseKeyWarning, match="'Q4' looks reverse-keyed"):
        listwise = peoscales.cronbach_alpha(data, missing="listwise")
    assert float(pairwise) == pytest.approx(0.732660835214447, abs=EXACT)
    assert float(listwise) == pytest.approx(0.8016949152542373, abs=EXACT)
    assert (listwise.n, listwise.n_excluded) == (9, 3)
    assert (pairwise.n, pairwise.n_excluded) == (12, 0)
    # Same Feldt interval as pingouin (which rounds to 3 decimals).
    _, ci = pingouin.cronbach_alpha(data)
    np.testing.assert_allclose([pairwise.ci_low, pairwise.ci_high], ci, atol=5e-4)
    pd.testing.assert_frame_equal(data, before)


# --------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------


def _s1_items(likert: pd.DataFrame, complete: bool) -> np.ndarray:
    """Scale s1's items: from the stored complete data set, or as answered (with gaps)."""
    source = pd.read_csv(REF / "reliability_likert_complete_data.csv") if complete else likert
    return source[SCALES["s1"]].to_numpy(float)


@pytest.mark.parametrize("shift", [0.0, 0.37], ids=["whole-number codes", "non-integer data"])
@pytest.mark.parametrize("complete", [False, True], ids=["missing", "complete"])
def test_bootstrap_replicates_equal_refits_on_resamples(likert, shift, complete):
    # Whole-number codes take the exact float32 path, other data the float64 path;
    # complete data the variance-of-the-total shortcut, missing data pairwise covariances.
    x = _s1_items(likert, complete) + shift
    x[:, [1, 4]] *= -1
    counts = kern.bootstrap_counts(len(x), 5, np.random.default_rng(3))
    batched = kern.bootstrap_alpha(x, counts)
    for b in range(5):
        resample = pd.DataFrame(np.repeat(x, counts[b].astype(int), axis=0))
        alpha, _ = pingouin.cronbach_alpha(resample)
        assert batched[b] == pytest.approx(alpha, abs=EXACT)


def test_bootstrap_interval_is_deterministic_with_seed(likert):
    kwargs = {"items": SCALES, "reverse": REVERSED, "ci_method": "bootstrap", "n_boot": 200}
    one = reliability(likert, seed=11, **kwargs)
    two = reliability(likert, seed=11, **kwargs)
    three = reliability(likert, seed=12, **kwargs)
    pd.testing.assert_frame_equal(one.table(), two.table())
    assert not np.allclose(one.table()["ci_low"], three.table()["ci_low"])
    s1 = one["s1"]
    assert s1.replicates is not None and s1.replicates.shape == (200,)
    assert s1.ci_low < s1.alpha < s1.ci_high
    assert s1.ci_low == pytest.approx(np.quantile(s1.replicates, 0.025))


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

_data = st.integers(min_value=0, max_value=2**32 - 1)


def _sample(seed: int, n: int = 60, k: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=n)
    x = np.clip(np.round(3 + trait[:, None] + rng.normal(size=(n, k))), 1, 5)
    x[rng.random((n, k)) < 0.1] = np.nan
    x[:, 0] = np.where(np.isnan(x[:, 0]), 3, x[:, 0])
    x[0] = [1, 5, 1, 5, 1][:k]  # guarantees variance
    x[1] = [5, 1, 5, 1, 5][:k]
    return pd.DataFrame(x, columns=[f"q{j}" for j in range(k)])


@given(seed=_data, perm_seed=_data)
def test_alpha_invariant_to_item_order(seed, perm_seed):
    data = _sample(seed)
    order = list(np.random.default_rng(perm_seed).permutation(data.columns))
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReverseKeyWarning)
            a = peoscales.cronbach_alpha(data)
            b = peoscales.cronbach_alpha(data[order])
    assert float(a) == pytest.approx(float(b), abs=1e-12)
    assert a.std_alpha == pytest.approx(b.std_alpha, abs=1e-12)


@given(seed=_data, level=st.floats(min_value=0.5, max_value=0.99))
def test_feldt_interval_contains_alpha(seed, level):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReverseKeyWarning)
        res = peoscales.cronbach_alpha(_sample(seed), confidence=level)
    assert res.ci_low <= res.alpha <= res.ci_high


@given(seed=_data)
def test_reversing_twice_and_negating_are_the_same(seed):
    import warnings

    data = _sample(seed)
    flipped = data.copy()
    flipped["q2"] = 6 - flipped["q2"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReverseKeyWarning)
        a = peoscales.cronbach_alpha(data)
        b = peoscales.cronbach_alpha(flipped, reverse=["q2"])
    assert float(a) == pytest.approx(float(b), abs=1e-12)


@settings(max_examples=20)
@given(seed=_data)
def test_pairwise_equals_listwise_on_complete_data(seed):
    import warnings

    data = _sample(seed).fillna(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReverseKeyWarning)
        a = reliability(data, missing="pairwise")["scale"]
        b = reliability(data, missing="listwise")["scale"]
    assert a.alpha == pytest.approx(b.alpha, abs=1e-12)
    assert a.omega_total == pytest.approx(b.omega_total, abs=1e-8)


# --------------------------------------------------------------------------------------
# Instruments, warnings, bad input
# --------------------------------------------------------------------------------------


def _brs_answers(n: int = 150, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=n)
    cols = {}
    for j in range(1, 7):
        sign = -1 if j % 2 == 0 else 1
        cols[f"brs_{j}"] = np.clip(np.round(3 + sign * trait + rng.normal(size=n)), 1, 5)
    return pd.DataFrame(cols, index=[f"r{i}" for i in range(n)])


def test_instrument_reverse_keys_are_applied():
    answers = _brs_answers()
    before = answers.copy()
    res = reliability(answers, "brs")
    manual = answers.copy()
    for col in ["brs_2", "brs_4", "brs_6"]:
        manual[col] = 6 - manual[col]
    expected, _ = pingouin.cronbach_alpha(manual)
    assert res["brs"].alpha == pytest.approx(expected, abs=EXACT)
    assert res["brs"].reverse == ("brs_2", "brs_4", "brs_6")
    assert res["brs"].item_table["mean"].tolist() == pytest.approx(answers.mean().tolist())
    pd.testing.assert_frame_equal(answers, before)
    assert np.isnan(res.omega_hierarchical)  # one scale


def test_instrument_columns_mapping():
    answers = _brs_answers()
    renamed = answers.rename(columns=lambda c: c.upper())
    mapping = {c: c.upper() for c in answers.columns}
    a = reliability(answers, "brs")["brs"].alpha
    b = reliability(renamed, "brs", columns=mapping)["brs"]
    assert b.alpha == pytest.approx(a, abs=1e-14)
    assert b.items[0] == "BRS_1"


def test_instrument_out_of_range_codes_are_refused():
    answers = _brs_answers()
    answers.iloc[3, 0] = 7
    with pytest.raises(OutOfRangeError, match="brs_1"):
        reliability(answers, "brs")


def test_missing_reverse_key_warns_and_names_items():
    answers = _brs_answers()
    with pytest.warns(ReverseKeyWarning, match=r"'brs_2', 'brs_4', 'brs_6' look reverse-keyed"):
        res = reliability(answers, items=list(answers.columns))
    assert res["scale"].alpha < 0.5  # nothing was flipped behind the user's back


def test_constant_item_gives_nan_and_warning():
    answers = _brs_answers()
    answers["brs_3"] = 4.0
    with pytest.warns(ConstantColumnWarning, match="'brs_3'"):
        res = reliability(answers, "brs")["brs"]
    assert np.isnan(res.alpha) and np.isnan(res.std_alpha) and np.isnan(res.omega_total)
    assert res.alpha != 0.0
    assert np.isnan(res.item_table["r_drop"]).all()
    assert res.item_table.loc["brs_3", "sd"] == 0.0


def test_non_numeric_columns_are_listed():
    data = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "2", "y"], "c": ["low", "mid", "high"]})
    with pytest.raises(DataTypeError, match=r"'b'.*'c'"):
        peoscales.cronbach_alpha(data)


def test_fewer_than_two_items():
    with pytest.raises(InsufficientDataError, match="at least two items"):
        peoscales.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))


def test_column_entirely_missing():
    data = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3], "c": [np.nan] * 4})
    with pytest.raises(InsufficientDataError, match=r"'c'.*no answers"):
        peoscales.cronbach_alpha(data)


def test_pair_never_answered_together():
    data = pd.DataFrame(
        {
            "a": [1, 2, 3, np.nan, np.nan, np.nan],
            "b": [np.nan, np.nan, np.nan, 1, 3, 2],
            "c": [2, 1, 4, 3, 2, 5],
        }
    )
    with pytest.raises(InsufficientDataError, match="'a' & 'b'"):
        peoscales.cronbach_alpha(data)


def test_unknown_columns_and_options():
    data = _brs_answers()
    with pytest.raises(MissingColumnsError, match="brs_9"):
        reliability(data, items=["brs_1", "brs_9"])
    with pytest.raises(ParameterError, match="ci_method='wald'"):
        reliability(data, items=["brs_1", "brs_2"], ci_method="wald")
    with pytest.raises(ParameterError, match="missing='mean'"):
        reliability(data, items=["brs_1", "brs_2"], missing="mean")
    with pytest.raises(ParameterError, match="not among the items"):
        reliability(data, items=["brs_1", "brs_2"], reverse=["brs_3"])
    with pytest.raises(ParameterError, match="not both"):
        reliability(data, "brs", items=["brs_1", "brs_2"])
    with pytest.raises(ParameterError, match="n_boot"):
        peoscales.cronbach_alpha(data, n_boot=0)


def test_listwise_with_too_few_rows():
    data = pd.DataFrame({"a": [1, np.nan, 3], "b": [np.nan, 2, 3]})
    with pytest.raises(InsufficientDataError, match="1 respondent"):
        peoscales.cronbach_alpha(data, missing="listwise")


def test_caller_index_and_data_untouched(likert):
    before = likert.copy()
    reliability(likert, items=SCALES, reverse=REVERSED, ci_method="bootstrap", n_boot=50)
    pd.testing.assert_frame_equal(likert, before)


def test_display(likert):
    res = reliability(likert, items=SCALES, reverse=REVERSED)
    text = res.summary()
    assert "omega hierarchical = .570" in text
    assert "[.771, .831]" in text
    assert "<table" in res._repr_html_() and "omega hierarchical = .570" in res._repr_html_()
    assert "alpha_if_deleted" in res["s1"].summary()
    assert res["s1"].to_frame().shape == (6, 7)
    assert list(res.to_frame().index) == ["s1", "s2", "s3"]
    with pytest.raises(ParameterError, match="No scale 's9'"):
        res["s9"]
    assert "alpha = .802 [.771, .831] (95% feldt)" in str(
        peoscales.cronbach_alpha(likert[SCALES["s1"]], reverse=["s1_2", "s1_5"])
    )


def test_two_items_alpha_if_deleted_is_nan():
    data = _brs_answers()[["brs_1", "brs_3"]]
    res = reliability(data)["scale"]
    assert np.isnan(res.item_table["alpha_if_deleted"]).all()
    assert np.isfinite(res.alpha)
    assert np.isnan(res.omega_total)


def test_omega_hierarchical_of_a_multiscale_instrument():
    answers = peoscales.simulate("wbns", 400, seed=3)
    keyed = answers.copy()
    inst = peoscales.get_instrument("wbns")
    for scale in inst.scales.values():
        for item in scale.reverse:
            keyed[item] = 6 - keyed[item]
    res = reliability(answers, "wbns")
    items = [i for s in inst.scales.values() for i in s.items]
    direct = peoscales.omega(keyed[items], n_factors=3)
    assert res.omega_hierarchical == pytest.approx(direct.omega_hierarchical, abs=1e-10)
    assert 0 < res.omega_hierarchical < res.omega_total_all < 1
    # No general factor is sought across different instruments.
    both = peoscales.simulate(["brs", "wbns"], 300, seed=4)
    assert np.isnan(reliability(both, ["brs", "wbns"]).omega_hierarchical)


@settings(max_examples=15)
@given(seed=_data, boot_seed=st.integers(0, 2**31 - 1))
def test_bootstrap_is_deterministic_for_any_seed(seed, boot_seed):
    import warnings

    data = _sample(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReverseKeyWarning)
        a = peoscales.cronbach_alpha(data, ci_method="bootstrap", n_boot=50, seed=boot_seed)
        b = peoscales.cronbach_alpha(data, ci_method="bootstrap", n_boot=50, seed=boot_seed)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)


def test_scale_result_html_and_alpha_result_frame(likert):
    one = reliability(likert, items={"s1": SCALES["s1"]}, reverse=["s1_2", "s1_5"])["s1"]
    assert "<table" in one._repr_html_() and "r_drop" in one._repr_html_()
    frame = peoscales.cronbach_alpha(likert[SCALES["s1"]], reverse=["s1_2", "s1_5"]).to_frame()
    assert list(frame.columns) == [
        "alpha",
        "ci_low",
        "ci_high",
        "std_alpha",
        "n",
        "n_excluded",
        "k",
    ]
    assert frame.loc["alpha", "alpha"] == pytest.approx(one.alpha, abs=1e-15)


def test_bootstrap_without_prebuilt_features_gives_the_same(likert, monkeypatch):
    # Large data build their per-row features block by block at each batch instead.
    x = likert[SCALES["s2"]].to_numpy(float)
    built = kern.bootstrap_alphas(x, 300, np.random.default_rng(5))
    monkeypatch.setattr(kern, "PLAN_BYTES", 0)
    monkeypatch.setattr(kern, "BLOCK_ROWS", 64)
    blocked = kern.bootstrap_alphas(x, 300, np.random.default_rng(5))
    np.testing.assert_allclose(blocked, built, rtol=0, atol=1e-14)
    # A batch is the same as its replicates computed one by one on resampled rows.
    counts = next(kern.bootstrap_count_batches(len(x), 300, np.random.default_rng(5)))
    assert built[0] == pytest.approx(kern.bootstrap_alpha(x, counts[:1])[0], abs=1e-14)


@pytest.mark.parametrize("complete", [False, True], ids=["missing", "complete"])
def test_bootstrap_does_not_depend_on_threads(likert, monkeypatch, complete):
    # Each batch of replicates has its own child generator and output slice: one
    # thread and several give bit-identical replicates for the same seed.
    x = _s1_items(likert, complete)
    monkeypatch.setattr(kern, "BOOT_CHUNK", 7)
    monkeypatch.setattr(kern, "_boot_threads", lambda n_batches: 1)
    one = kern.bootstrap_alphas(x, 100, np.random.default_rng(8))
    monkeypatch.setattr(kern, "_boot_threads", lambda n_batches: 3)
    three = kern.bootstrap_alphas(x, 100, np.random.default_rng(8))
    np.testing.assert_array_equal(three, one)


@pytest.mark.parametrize("complete", [False, True], ids=["missing", "complete"])
def test_bootstrap_replicates_in_every_batch_equal_refits(likert, monkeypatch, complete):
    # Replicates past the first batch, drawn in threads, are alpha of the resamples
    # that bootstrap_count_batches gives for the same seed (pingouin refit; exact
    # maths, so 1e-8).
    x = _s1_items(likert, complete)
    monkeypatch.setattr(kern, "BOOT_CHUNK", 4)
    monkeypatch.setattr(kern, "_boot_threads", lambda n_batches: 2)
    alphas = kern.bootstrap_alphas(x, 10, np.random.default_rng(21))
    counts = np.vstack(list(kern.bootstrap_count_batches(len(x), 10, np.random.default_rng(21))))
    assert counts.shape == (10, len(x))
    np.testing.assert_array_equal(counts.sum(axis=1), len(x))
    assert len({tuple(row) for row in counts}) == 10
    for b in (0, 5, 9):
        resample = pd.DataFrame(np.repeat(x, counts[b].astype(int), axis=0))
        alpha, _ = pingouin.cronbach_alpha(resample)
        assert alphas[b] == pytest.approx(alpha, abs=EXACT)


# --------------------------------------------------------------------------------------
# Undeclared reverse-keyed items: omega flips them as psych::omega (flip = TRUE)
# --------------------------------------------------------------------------------------
# Reference: section 4 of tests/reference/reliability.R, on the BRS and W-BNS items of
# the demo survey as answered. Tolerance 1e-4 (iterative fits on both sides); ordinal
# cases too (psych's polychoric search stops at ~1e-4, see test_polychoric.py).

BRS = [f"brs_{j}" for j in range(1, 7)]


@pytest.fixture(scope="module")
def unkeyed() -> pd.DataFrame:
    return pd.read_csv(REF / "reliability_reverse_data.csv")


def _wbns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("wbns_")]


@pytest.mark.parametrize(
    ("case", "options"),
    [
        ("brs", {}),
        ("wbns", {}),
        ("brs_listwise", {"missing": "listwise"}),
        ("wbns_three", {"n_factors": 3}),
        ("brs_ordinal", {"ordinal": True}),
        ("wbns_ordinal", {"ordinal": True}),
    ],
)
def test_omega_flips_undeclared_reverse_items_as_psych(unkeyed, case, options):
    ref = _json("reliability_reverse.json")[case]
    cols = BRS if case.startswith("brs") else _wbns(unkeyed)
    first = ref["flipped"][0]
    with pytest.warns(ReverseKeyWarning, match=rf"'{first}'.*reversed for omega.*reverse=\["):
        res = peoscales.omega(unkeyed[cols], **options)
    assert res.omega_total == pytest.approx(ref["omega_total"], abs=ITERATIVE)
    assert res.flipped == tuple(ref["flipped"])
    np.testing.assert_allclose(res.general_loadings, ref["g_loadings"], rtol=0, atol=ITERATIVE)
    if "omega_h" in ref:
        assert res.omega_hierarchical == pytest.approx(ref["omega_h"], abs=ITERATIVE)
    assert "Reversed for omega" in res.summary() and first in res._repr_html_()


def test_omega_without_flip_warns_and_matches_psych_flip_false(unkeyed):
    ref = _json("reliability_reverse.json")["brs_no_flip"]
    with pytest.warns(ReverseKeyWarning, match=r"'brs_1', 'brs_3', 'brs_5'.*not reversed"):
        res = peoscales.omega(unkeyed[BRS], flip=False)
    assert res.omega_total == pytest.approx(ref["omega_total"], abs=ITERATIVE)
    assert res.flipped == ()
    with pytest.raises(ParameterError, match="flip must be True or False"):
        peoscales.omega(unkeyed[BRS], flip="yes")


def test_omega_with_declared_keys_flips_nothing_and_agrees(unkeyed):
    ref = _json("reliability_reverse.json")["brs"]
    res = peoscales.omega(unkeyed[BRS], reverse=["brs_2", "brs_4", "brs_6"])  # no warning
    assert res.flipped == ()
    assert res.omega_total == pytest.approx(ref["omega_total"], abs=ITERATIVE)
    assert (res.general_loadings > 0).all()


@pytest.mark.parametrize("ordinal", [False, True])
def test_reliability_omega_of_adhoc_sets_flips_as_psych(unkeyed, ordinal):
    refs = _json("reliability_reverse.json")
    suffix = "_ordinal" if ordinal else ""
    with pytest.warns(ReverseKeyWarning) as caught:
        res = reliability(unkeyed, items={"brs": BRS, "wbns": _wbns(unkeyed)}, ordinal=ordinal)
    messages = [str(w.message) for w in caught]
    assert any("Omega total reversed 'brs_1', 'brs_3', 'brs_5'" in m for m in messages)
    assert any("Omega total reversed 'wbns_autonomy_2'" in m for m in messages)
    for scale in ("brs", "wbns"):
        ref = refs[scale + suffix]
        assert res[scale].omega_total == pytest.approx(ref["omega_total"], abs=ITERATIVE)
        assert res[scale].omega_flipped == tuple(ref["flipped"])
    # alpha itself is left as keyed (psych::alpha does not flip either)
    assert res["brs"].alpha < 0.2


@settings(max_examples=15, deadline=None)
@given(seed=_data, flips=st.lists(st.booleans(), min_size=5, max_size=5))
def test_omega_total_does_not_depend_on_item_direction(seed, flips):
    """Reversing any subset of items leaves omega total unchanged and non-negative."""
    import warnings

    data = _sample(seed)
    reversed_data = data.copy()
    for col, flip in zip(data.columns, flips):
        if flip:
            reversed_data[col] = 6 - reversed_data[col]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReverseKeyWarning)
        a = peoscales.omega(data)
        b = peoscales.omega(reversed_data)
    assert b.omega_total == pytest.approx(a.omega_total, abs=1e-7)
    assert a.omega_total >= 0


# --------------------------------------------------------------------------------------
# Views and APA text
# --------------------------------------------------------------------------------------

RAW_MISSING = re.compile(r"\b(?:nan|NaN|None|NaT|inf)\b")


def test_scale_view_shows_name_and_header_facts(likert):
    res = reliability(likert, items=SCALES, reverse=REVERSED)
    one = res["s1"]
    for view in (one.summary(), one._repr_html_()):
        assert "Reliability of s1" in view
        assert f"{one.n} (" in view and "pairwise deletion" in view
        assert "[.771, .831] (Feldt)" in view and "95% CI" in view
        for label, value in [
            ("standardised alpha", one.std_alpha),
            ("G6", one.g6),
            ("omega total", one.omega_total),
            ("average r", one.average_r),
            ("split-half (odd-even)", one.split_half_odd_even),
        ]:
            assert label in view
            assert f"{value:.3f}".lstrip("0") in view
        assert "alpha_if_deleted" in view and "r_drop" in view
    assert one._repr_html_().index("[.771, .831]") < one._repr_html_().index("r_drop")


def test_scale_table_view_is_apa_and_one_frame(likert):
    res = reliability(likert, items=SCALES, reverse=REVERSED, confidence=0.9)
    markup, text = res._repr_html_(), res.summary()
    for view in (markup, text):
        assert "90% CI" in view and "Feldt" in view
        assert "ci_low" not in view and "split_half_odd_even" not in view
    low, high = res["s1"].ci_low, res["s1"].ci_high
    assert f"[{low:.3f}, {high:.3f}]".replace("0.", ".") in markup
    assert "<td>0." not in markup  # no leading zeros, no raw floats


def test_views_never_show_raw_missing_values():
    answers = _brs_answers()
    answers["brs_3"] = 4.0
    with pytest.warns(ConstantColumnWarning):
        res = reliability(answers, "brs")
    with pytest.warns(ConstantColumnWarning):
        alpha = peoscales.cronbach_alpha(answers)
    with pytest.warns(ConstantColumnWarning):
        om = peoscales.omega(answers)
    two = reliability(answers[["brs_1", "brs_5"]], ci_method=None)["scale"]
    views = [
        res,
        res["brs"],
        alpha,
        om,
        two,
        peoscales.cronbach_alpha(answers[["brs_1", "brs_5"]], ci_method=None),
    ]
    for result in views:
        for view in (result.summary(), result._repr_html_()):
            assert not RAW_MISSING.findall(view), (type(result).__name__, view)
    assert "—" in res["brs"]._repr_html_()


def test_alpha_view_shows_level_and_method(likert):
    res = peoscales.cronbach_alpha(
        likert[SCALES["s1"]],
        reverse=["s1_2", "s1_5"],
        ci_method="bootstrap",
        n_boot=200,
        seed=2,
        confidence=0.9,
    )
    markup = res._repr_html_()
    assert "90% CI" in markup and "percentile bootstrap" in markup
    assert f"{res.alpha:.3f}".lstrip("0") in markup
    plain = peoscales.cronbach_alpha(likert[SCALES["s1"]], reverse=["s1_2", "s1_5"], ci_method=None)
    assert "CI" not in plain._repr_html_()


def test_to_apa(likert, scales_ref):
    ref = scales_ref[scales_ref["missing"] == "pairwise"].set_index("scale").loc["s1"]
    res = peoscales.cronbach_alpha(likert[SCALES["s1"]], reverse=["s1_2", "s1_5"])
    assert res.to_apa() == "α = .80, 95% CI [.77, .83]"
    assert (ref["raw_alpha"], ref["feldt_low"], ref["feldt_high"]) == pytest.approx(
        (0.802, 0.771, 0.831), abs=5e-4
    )
    assert res.to_apa(decimals=3) == "α = .802, 95% CI [.771, .831]"
    one = reliability(likert, items=SCALES, reverse=REVERSED)["s1"]
    assert one.to_apa() == res.to_apa()
    none = peoscales.cronbach_alpha(likert[SCALES["s1"]], reverse=["s1_2", "s1_5"], ci_method=None)
    assert none.to_apa() == "α = .80"
    ordinal = reliability(
        likert, items={"s1": SCALES["s1"]}, reverse=["s1_2", "s1_5"], ordinal=True
    )
    assert ordinal["s1"].to_apa().startswith("ordinal α = .")


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(4, 40),
    items=st.integers(2, 6),
    missing=st.sampled_from([0.0, 0.1, 0.4]),
    whole=st.booleans(),
)
def test_weighted_pairwise_cov_equals_cov_of_repeated_rows(seed, rows, items, missing, whole):
    # The batched path writes every pairwise sum as a sum over all rows minus sums over
    # the rows missing an item; the unweighted path forms the products directly. Row
    # weights w must give the covariances of the data with row r repeated w_r times,
    # on whole-number codes (float32 products) and other data (float64).
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(rows, items)).astype(float)
    if not whole:
        x += rng.normal(scale=0.3, size=x.shape)
    x[rng.random(x.shape) < missing] = np.nan
    weights = rng.integers(0, 4, size=(3, rows)).astype(float)
    cov, n = kern.pairwise_cov(x, weights)
    for b in range(3):
        repeated = np.repeat(x, weights[b].astype(int), axis=0)
        expected_cov, expected_n = kern.pairwise_cov(repeated)
        np.testing.assert_array_equal(n[b], expected_n)
        np.testing.assert_allclose(cov[b], expected_cov, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_scratch_arrays_are_kept_per_thread_and_name_and_only_when_small() -> None:
    import threading

    from peoscales._kernels import reliability as kern_rel

    first = kern_rel.scratch("test_a", (3, 4), np.float32)
    again = kern_rel.scratch("test_a", (2, 5), np.float32)
    assert np.shares_memory(first, again) and again.shape == (2, 5)
    assert not np.shares_memory(first, kern_rel.scratch("test_b", (3, 4), np.float32))
    grown = kern_rel.scratch("test_a", (100, 100), np.float64)  # larger: a new array
    assert grown.shape == (100, 100) and grown.dtype == np.float64
    big = (kern_rel.SCRATCH_BYTES // 8 + 1,)
    assert not np.shares_memory(
        kern_rel.scratch("test_big", big, np.float64), kern_rel.scratch("test_big", big, np.float64)
    )
    other: list[np.ndarray] = []
    thread = threading.Thread(
        target=lambda: other.append(kern_rel.scratch("test_a", (2, 5), np.float32))
    )
    thread.start()
    thread.join()
    assert not np.shares_memory(other[0], kern_rel.scratch("test_a", (2, 5), np.float32))


@pytest.mark.parametrize("whole", [True, False])
def test_alpha_from_sums_is_alpha_from_the_triangle(whole: bool) -> None:
    # The bootstrap's alphas with work arrays give the numbers of the plain formula,
    # for whole-number codes (float32 products) and other numbers, with pairs that have
    # fewer than two rows (NaN).
    rng = np.random.default_rng(11)
    x = rng.integers(1, 6, size=(60, 6)).astype(float)
    if not whole:
        x += rng.normal(size=x.shape) / 5
    x[rng.random(x.shape) < 0.3] = np.nan
    x[2:, 5] = np.nan  # item 5 shares at most two rows with any other
    mask = ~np.isnan(x)
    x0, dtype = kern._weighted_inputs(x, mask, 60.0)
    plan = kern._pairwise_plan(x0, mask, dtype)
    counts = np.vstack(list(kern.bootstrap_count_batches(60, 50, np.random.default_rng(3))))
    sums, segments = kern._pairwise_sums(plan, counts)
    tri = kern._triangle_from_sums(sums, segments)[0]
    iu, ju = kern._upper(6)
    trace = tri[iu == ju].sum(axis=0)
    expected = 6 / 5 * (1.0 - trace / (trace + 2.0 * tri[iu != ju].sum(axis=0)))
    ours = kern._alpha_from_sums(sums, segments)
    np.testing.assert_allclose(ours, expected, rtol=1e-14, atol=0)
    assert np.isnan(ours).any() and np.array_equal(np.isnan(ours), np.isnan(expected))
