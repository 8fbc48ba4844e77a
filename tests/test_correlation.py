"""Tests of peoscales.corr_matrix against R (psych::corr.test, stats::cor) and invariants.

Reference values come from ``tests/reference/correlation.R`` (R 4.2, psych 2.2.9) on the
committed data ``correlation_data.csv`` (150 rows, missing values, ties, a 1e6 offset)
and ``correlation_sparse.csv``. r, n, p and the confidence limits are closed-form, so
agreement is required to 1e-8 (absolute).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

import peoscales
from peoscales._kernels.correlation import pairwise_pearson, pairwise_spearman
from peoscales.errors import (
    ConstantColumnWarning,
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    ParameterError,
)

REF = Path(__file__).parent / "reference"
EXACT = 1e-8  # closed-form statistics: agreement with R to 1e-8 absolute


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((REF / "correlation_expected.json").read_text())


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "correlation_data.csv")


@pytest.fixture(scope="module")
def sparse() -> pd.DataFrame:
    return pd.read_csv(REF / "correlation_sparse.csv")


def matrix(values: list) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)


def close(ours: pd.DataFrame | np.ndarray, theirs: list, atol: float = EXACT) -> None:
    np.testing.assert_allclose(np.asarray(ours, dtype=float), matrix(theirs), rtol=0, atol=atol)


# --- agreement with R ----------------------------------------------------------------------
@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_matches_psych_corr_test(data, expected, method, missing):
    ref = expected[f"{method}_{missing}"]
    res = peoscales.corr_matrix(data, method=method, missing=missing)
    close(res.r, ref["r"])
    close(res.r, ref["r_cor"])  # stats::cor with the same deletion
    close(res.n, ref["n"], atol=0)
    close(res.p, ref["p"])
    close(res.ci_low, ref["ci_low"])
    close(res.ci_high, ref["ci_high"])
    close(res.p_adjusted, ref["p"])  # adjust="none"


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("adjust", ["holm", "bonferroni", "fdr_bh"])
def test_adjusted_p_matches_psych(data, expected, method, adjust):
    res = peoscales.corr_matrix(data, method=method, adjust=adjust)
    close(res.p_adjusted, expected[f"{method}_pairwise"][f"p_{adjust}"])
    close(res.p, expected[f"{method}_pairwise"]["p"])  # raw p untouched


def test_listwise_counts_dropped_rows(data, expected):
    res = peoscales.corr_matrix(data, missing="listwise")
    assert res.n_rows == 150
    assert res.n_excluded == 150 - expected["n_complete"]
    assert (res.n.to_numpy() == expected["n_complete"]).all()
    assert (res.n_obs == expected["n_complete"]).all()
    # psych::corr.test(use = "complete") would report the smallest pairwise n instead.
    assert expected["n_complete"] < min(map(min, expected["pearson_pairwise"]["n"]))


def test_means_and_sds_match_r(data, expected):
    res = peoscales.corr_matrix(data)
    np.testing.assert_allclose(res.mean, expected["means"], rtol=1e-12)
    np.testing.assert_allclose(res.sd, expected["sds"], rtol=1e-10)
    assert list(res.n_obs) == list(data.notna().sum())


def test_large_offset_keeps_precision(data, expected):
    # The 'offset' column is 1e6 + x; the centred products lose nothing (pandas loses ~1e-11).
    r = peoscales.corr_matrix(data).r
    close(r.loc["offset"].to_numpy()[None, :], [expected["pearson_pairwise"]["r"][3]], atol=1e-12)
    shifted = data + 1e6
    close(peoscales.corr_matrix(shifted).r, expected["pearson_pairwise"]["r"])


def test_blocks_with_unrepresentative_first_block(monkeypatch):
    # Many small blocks over trending, offset data: the first block's mean (the shift)
    # is far from the rest, and the accumulated products must still be exact.
    from peoscales._kernels import correlation as kernel

    monkeypatch.setattr(kernel, "BLOCK_ELEMENTS", 64)  # 256-row blocks
    rng = np.random.default_rng(7)
    trend = np.linspace(0, 50, 3000)[:, None]
    x = 1e6 + trend * [1.0, 0.5, -0.2] + rng.standard_normal((3000, 3))
    x[rng.random(x.shape) < 0.15] = np.nan
    r, n = kernel.pairwise_pearson(x)[:2]
    naive = _per_pair(x, lambda a, b: np.corrcoef(a, b)[0, 1])
    off = ~np.eye(3, dtype=bool)
    np.testing.assert_allclose(r[off], naive[off], rtol=0, atol=1e-10)
    mask = (~np.isnan(x)).astype(int)
    np.testing.assert_array_equal(n, mask.T @ mask)


@pytest.mark.parametrize("rows", [1, 255, 256, 257, 3000])
def test_pearson_does_not_depend_on_cores(monkeypatch, rows):
    # Two fixed shares of row blocks are summed in threads and added in a fixed order:
    # one core or several give bit-identical results, for any number of blocks
    # (one share only, an odd number of blocks, a short last block).
    from peoscales._kernels import correlation as kernel

    monkeypatch.setattr(kernel, "BLOCK_ELEMENTS", 64)  # 256-row blocks of 3 columns
    rng = np.random.default_rng(rows)
    x = rng.standard_normal((rows, 3)) + np.array([0.0, 5.0, -3.0])
    x[rng.random(x.shape) < 0.2] = np.nan
    monkeypatch.setattr(kernel, "usable_cpus", lambda: 1)
    one = kernel.pairwise_pearson(x)
    monkeypatch.setattr(kernel, "usable_cpus", lambda: 2)
    two = kernel.pairwise_pearson(x)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)
    mask = (~np.isnan(x)).astype(int)
    np.testing.assert_array_equal(two.n, mask.T @ mask)
    assert two.unpaired_rows == int(((~np.isnan(x)).sum(axis=1) < 2).sum())


def test_sparse_pairs_and_adjustment_count_only_tested_pairs(sparse, expected):
    res = peoscales.corr_matrix(sparse)
    close(res.r, expected["sparse_r"])
    close(res.n, expected["sparse_n"], atol=0)
    # c and d share two rows: r is defined (±1) but p and the CI are not.
    assert res.n.loc["c", "d"] == 2
    assert np.isnan(res.p.loc["c", "d"]) and np.isnan(res.ci_low.loc["c", "d"])
    for adjust in ("holm", "bonferroni", "fdr_bh"):
        adjusted = peoscales.corr_matrix(sparse, adjust=adjust).p_adjusted
        close(adjusted, expected[f"sparse_p_{adjust}"])
    # Five pairs have a p-value: neither the diagonal nor the untestable pair is counted.
    bonf = peoscales.corr_matrix(sparse, adjust="bonferroni")
    raw = bonf.p.loc["a", "c"]
    assert bonf.p_adjusted.loc["a", "c"] == pytest.approx(min(1.0, 5 * raw), abs=1e-15)
    bh = peoscales.corr_matrix(sparse, adjust="fdr_bh")
    upper = bh.p.to_numpy()[np.triu_indices(4, 1)]
    tested = np.sort(upper[np.isfinite(upper)])
    largest = bh.p_adjusted.to_numpy()[bh.p.to_numpy() == tested[-1]][0]
    assert largest == pytest.approx(tested[-1], abs=1e-15)  # BH leaves the largest of m as is


def test_spearman_fast_path_on_complete_data(data, expected):
    complete = data.dropna()
    res = peoscales.corr_matrix(complete, method="spearman")
    close(res.r, expected["spearman_listwise"]["r"])
    close(res.p, expected["spearman_listwise"]["p"])


# --- invariants ---------------------------------------------------------------------------
# Survey data: values to six decimals. Subnormal numbers (1e-300) make any variance
# underflow, in the pair-by-pair oracle as much as in the kernel, and mean nothing here.
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 6))


@st.composite
def frames(draw, with_missing: bool = True) -> np.ndarray:
    n = draw(st.integers(4, 40))
    p = draw(st.integers(2, 6))
    x = draw(hnp.arrays(np.float64, (n, p), elements=st.integers(-5, 5).map(float) | finite))
    if with_missing:
        holes = draw(hnp.arrays(bool, (n, p), elements=st.booleans()))
        x = np.where(holes & (np.arange(n)[:, None] >= 3), np.nan, x)
    return x


def _quiet(x: np.ndarray, **kw) -> peoscales.CorrelationResult:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantColumnWarning)
        return peoscales.corr_matrix(pd.DataFrame(x), **kw)


@given(frames(), st.sampled_from(["pearson", "spearman", "kendall"]))
def test_symmetric_unit_diagonal_p_in_unit_interval(x, method):
    res = _quiet(x, method=method)
    r = res.r.to_numpy()
    np.testing.assert_array_equal(np.isnan(r), np.isnan(r.T))
    np.testing.assert_allclose(r, r.T, atol=1e-12)
    diag = np.diag(r)
    assert np.all((diag == 1) | np.isnan(diag))
    assert np.nanmax(np.abs(r), initial=0) <= 1
    p = res.p.to_numpy()
    assert np.all((p[~np.isnan(p)] >= 0) & (p[~np.isnan(p)] <= 1))
    lo, hi = res.ci_low.to_numpy(), res.ci_high.to_numpy()
    ok = ~np.isnan(lo)
    assert np.all(lo[ok] <= r[ok] + 1e-12) and np.all(r[ok] <= hi[ok] + 1e-12)


@given(frames(with_missing=False), st.sampled_from(["pearson", "spearman", "kendall"]))
def test_pairwise_equals_listwise_on_complete_data(x, method):
    a = _quiet(x, method=method)
    b = _quiet(x, method=method, missing="listwise")
    np.testing.assert_allclose(a.r, b.r, atol=1e-12)
    np.testing.assert_array_equal(a.n, b.n)
    np.testing.assert_allclose(a.p, b.p, atol=1e-12)


@given(frames(), st.randoms(use_true_random=False), st.sampled_from(["pearson", "spearman"]))
def test_invariant_to_column_permutation(x, rnd, method):
    order = list(range(x.shape[1]))
    rnd.shuffle(order)
    a = _quiet(x, method=method)
    b = _quiet(x[:, order], method=method)
    np.testing.assert_allclose(a.r.to_numpy()[np.ix_(order, order)], b.r, atol=1e-12)
    np.testing.assert_array_equal(a.n.to_numpy()[np.ix_(order, order)], b.n)


def _per_pair(x: np.ndarray, fn) -> np.ndarray:
    p = x.shape[1]
    out = np.full((p, p), np.nan)
    for i in range(p):
        for j in range(p):
            both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            a, b = x[both, i], x[both, j]
            if both.sum() >= 2 and np.ptp(a) > 0 and np.ptp(b) > 0:
                out[i, j] = fn(a, b)
    return out


@given(frames())
def test_kernels_equal_pair_by_pair_computation(x):
    # Oracles computed pair by pair on the shared rows, the way R does.
    r_pearson, n = pairwise_pearson(x)[:2]
    naive = _per_pair(x, lambda a, b: np.corrcoef(a, b)[0, 1])
    off = ~np.eye(x.shape[1], dtype=bool)
    np.testing.assert_allclose(r_pearson[off], naive[off], atol=1e-9)
    mask = (~np.isnan(x)).astype(int)
    np.testing.assert_array_equal(n, mask.T @ mask)
    naive_s = _per_pair(x, lambda a, b: stats.pearsonr(stats.rankdata(a), stats.rankdata(b))[0])
    np.testing.assert_allclose(pairwise_spearman(x)[off], naive_s[off], atol=1e-9)


# --- bad input ---------------------------------------------------------------------------
def test_non_numeric_columns_are_listed():
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "3"], "c": ["laag", "hoog", "hoog"]})
    with pytest.raises(DataTypeError, match=r"'b' \(e\.g\. 'x', 'y'.*'c' \(e\.g\. 'laag'"):
        peoscales.corr_matrix(df)


def test_fewer_than_two_columns():
    with pytest.raises(InsufficientDataError, match=r"at least two columns, got 1 \('a'\)"):
        peoscales.corr_matrix(pd.DataFrame({"a": [1.0, 2, 3]}))
    with pytest.raises(InsufficientDataError, match="at least two columns"):
        peoscales.corr_matrix(pd.DataFrame({"a": [1.0, 2], "b": [1.0, 3]}), columns=["b"])


def test_column_entirely_missing_is_an_error():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "leeg": [np.nan] * 4, "b": [2.0, 1, 4, 3]})
    with pytest.raises(InsufficientDataError, match=r"'leeg' have no answers.*columns=\["):
        peoscales.corr_matrix(df)


def test_constant_column_gives_nan_and_warning():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "vast": [3.0] * 5, "b": [2.0, 1, 4, 3, 5]})
    with pytest.warns(ConstantColumnWarning, match="'vast' have no variance"):
        res = peoscales.corr_matrix(df)
    assert res.r.loc["vast"].isna().all() and res.r["vast"].isna().all()
    assert res.p.loc["vast"].isna().all()
    assert res.r.loc["a", "b"] == pytest.approx(0.8)


def test_pair_constant_on_shared_rows_warns():
    df = pd.DataFrame({"a": [1.0, 1, 1, 2, 3], "b": [2.0, 3, 4, np.nan, np.nan]})
    with pytest.warns(ConstantColumnWarning, match="'a'–'b' do not vary"):
        res = peoscales.corr_matrix(df)
    assert np.isnan(res.r.loc["a", "b"])


def test_listwise_with_too_few_complete_rows():
    df = pd.DataFrame({"a": [1.0, 2, np.nan, 4], "b": [np.nan, 1, 2, 3]})
    with pytest.raises(InsufficientDataError, match="leaves 2 of 4 rows"):
        peoscales.corr_matrix(df, missing="listwise")


def test_options_are_checked():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3]})
    with pytest.raises(ParameterError, match="method='pearsn'"):
        peoscales.corr_matrix(df, method="pearsn")
    with pytest.raises(ParameterError, match=r"adjust='BH'.*'fdr_bh'"):
        peoscales.corr_matrix(df, adjust="BH")
    with pytest.raises(ParameterError, match="missing='complete'"):
        peoscales.corr_matrix(df, missing="complete")
    with pytest.raises(ParameterError, match="confidence must lie between 0 and 1"):
        peoscales.corr_matrix(df, confidence=95)
    with pytest.raises(ParameterError, match="columns must be a list"):
        peoscales.corr_matrix(df, columns="a")
    with pytest.raises(MissingColumnsError, match=r"'A'.*did you mean 'a'"):
        peoscales.corr_matrix(df, columns=["A", "b"])
    with pytest.raises(ParameterError, match=r"infinite values in column.*'b'"):
        peoscales.corr_matrix(df.assign(b=[1.0, np.inf, 2, 3]))


def test_input_not_mutated_and_labels_kept():
    df = pd.DataFrame(
        {("schaal", 1): [1.0, 2, np.nan, 4, 5], 7: [2.0, 1, 4, 3, np.nan], "c": [5, 3, 4, 1, 2]},
        index=["r1", "r2", "r3", "r4", "r5"],
    )
    before = df.copy()
    res = peoscales.corr_matrix(df, method="spearman", missing="listwise")
    pd.testing.assert_frame_equal(df, before)
    assert list(res.r.index) == [("schaal", 1), 7, "c"]
    assert list(res.p.columns) == [("schaal", 1), 7, "c"]
    assert res.n_excluded == 2


def test_rows_in_no_pair_are_counted(data):
    # Pairwise: rows with fewer than two answers enter no correlation.
    df = data.copy()
    df.iloc[:4, 1:] = np.nan
    df.iloc[4, :] = np.nan
    expected = int((df.notna().sum(axis=1) < 2).sum())
    assert expected == 5
    for method in ("pearson", "spearman", "kendall"):
        assert peoscales.corr_matrix(df, method=method).n_excluded == expected


def test_to_frame_and_summary(data):
    res = peoscales.corr_matrix(data, adjust="holm")
    frame = res.to_frame()
    assert len(frame) == 15
    assert list(frame.columns) == [
        "var1",
        "var2",
        "n",
        "r",
        "ci_low",
        "ci_high",
        "p",
        "p_adjusted",
    ]
    row = frame[(frame.var1 == "veerkracht") & (frame.var2 == "werkdruk")].iloc[0]
    assert row.r == res.r.loc["veerkracht", "werkdruk"]
    assert row.n == res.n.loc["werkdruk", "veerkracht"]
    text = res.summary()
    assert "Pearson correlations of 6 variables, pairwise deletion" in text
    assert "Holm, 15 tests" in text and "95% CI" in text
    html = res._repr_html_()
    assert "<table" in html and "veerkracht" in html


def test_a_pair_that_barely_varies_on_its_rows_is_not_called_constant() -> None:
    # Column b holds 0, 0, 1e-6 on the rows it shares with c, and 2 elsewhere: its
    # spread there is lost in the one-pass sums, and R's cor(use = "pairwise") gives 1.
    x = np.full((6, 3), np.nan)
    x[:3, 0] = [0.0, 0.0, 0.0]
    x[:3, 1] = [0.0, 0.0, 1e-6]
    x[:3, 2] = [0.0, 0.0, 1.0]
    x[5, 1] = 2.0
    res = pairwise_pearson(x)
    assert res.r[1, 2] == pytest.approx(1.0, abs=1e-12)
    assert res.r[2, 1] == pytest.approx(1.0, abs=1e-12)
    assert not res.constant[1, 2]
    assert np.isnan(res.r[0, 1]) and res.constant[0, 1]  # column a is constant


# --- whole-number blocks: float32 products that are exact ---------------------------------
def _exact_sums(x: np.ndarray, shift: np.ndarray) -> tuple[np.ndarray, ...]:
    """N, S, Q and C of the module notes in integer arithmetic (numpy int64 matmul)."""
    answered = ~np.isnan(x)
    mask = answered.astype(np.int64)
    centred = np.where(answered, x - shift, 0.0).astype(np.int64)
    return (
        mask.T @ mask,
        centred.T @ mask,
        (centred * centred).T @ mask,
        centred.T @ centred,
    )


whole_codes = st.tuples(
    st.integers(1, 700), st.integers(2, 6), st.integers(0, 2**32 - 1), st.sampled_from("CF")
)


@given(whole_codes, st.sampled_from([np.float32, np.float64]), st.booleans())
def test_whole_number_blocks_give_the_exact_sums(case, dtype, compiled) -> None:
    # Any block size, layout and type, compiled or numpy operands: the float32 products
    # of whole codes are the sums integer arithmetic gives, to the last bit.
    from peoscales._kernels import correlation as kernel
    from peoscales._kernels import native

    n, p, seed, order = case
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 8, size=(n, p)).astype(dtype)
    x[rng.random(x.shape) < 0.2] = np.nan
    x = np.asarray(x, order=order)
    step = int(rng.integers(1, 300))
    shift = kernel._shift(x, step).astype(np.float64)
    assert np.array_equal(shift, np.rint(shift))  # whole codes get a whole shift
    with native.disabled() if not compiled else _nothing():
        count, sums, squares, cross, unpaired = kernel._pearson_sums(x, shift, step, 0, n)
    for got, want in zip((count, sums, squares, cross), _exact_sums(x, shift)):
        np.testing.assert_array_equal(got, want.astype(np.float64))
    assert unpaired == int(np.count_nonzero((~np.isnan(x)).sum(axis=1) < 2))


def _nothing():
    import contextlib

    return contextlib.nullcontext()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "breaker",
    [
        0.5,  # not a whole number
        1 + 2.0**-23,  # whole to within float32's last bit: not whole
        40.0,  # whole, but beyond sqrt(2**24 / rows) = 35 from the shift
        np.inf,
    ],
)
def test_a_block_that_is_not_whole_codes_takes_float64(monkeypatch, dtype, breaker) -> None:
    # Blocks before the breaking value are exact; from its block on, float64. Either way
    # the sums agree with a plain float64 computation.
    from peoscales._kernels import correlation as kernel

    rng = np.random.default_rng(3)
    n, p = 3000, 4
    x = rng.integers(1, 6, size=(n, p)).astype(np.float64)
    x[rng.random(x.shape) < 0.1] = np.nan
    x[2500, 2] = breaker
    x = np.asfortranarray(x.astype(dtype))
    step = 13107 // 13  # 1008 rows: the limit is floor(sqrt(2**24 / 1008)) = 129 ...
    monkeypatch.setattr(kernel, "FLOAT32_EXACT", 1008.0 * 35**2)  # ... made 35 here
    shift = kernel._shift(x, step).astype(np.float64)
    exact = kernel._Float32Operands(x, shift, step)
    assert exact.limit == 35
    assert exact.fill(0, step) and exact.fill(step, 2 * step)
    assert not exact.fill(2 * step, n)
    count, sums, squares, cross, _ = kernel._pearson_sums(x, shift, step, 0, n)
    wide = x.astype(np.float64)
    answered = ~np.isnan(wide)
    centred = np.where(answered, wide - shift, 0.0)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(count, answered.T.astype(float) @ answered)
        np.testing.assert_allclose(sums, centred.T @ answered, rtol=1e-15)
        np.testing.assert_allclose(cross, centred.T @ centred, rtol=1e-15)
        np.testing.assert_allclose(squares, (centred * centred).T @ answered, rtol=1e-15)


def test_a_float32_column_far_from_zero_takes_float64() -> None:
    # A whole shift beyond 2**23 is not exact in float32 arithmetic: the compiled
    # operands refuse the block (the numpy ones check the values in float64).
    from peoscales._kernels import correlation as kernel

    x = np.asfortranarray(
        np.array([[2.0**24, 1.0], [2.0**24 + 2, 2.0], [2.0**24, 3.0]], np.float32)
    )
    shift = kernel._shift(x, 3).astype(np.float64)
    assert shift[0] >= 2**23
    exact = kernel._Float32Operands(x, shift, 3)
    if exact._compiled is not None:
        assert not exact.fill(0, 3)
    r = kernel.pairwise_pearson(x.astype(np.float64)).r
    np.testing.assert_allclose(r[0, 1], 0.0, atol=1e-12)
