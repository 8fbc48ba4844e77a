"""Tests of peoscales.score_dask and peoscales.corr_matrix_dask (data larger than memory).

Reference values come from R: ``tests/reference/scoring.R`` (psych::scoreItems on
``scoring_data.csv``) and ``tests/reference/correlation.R`` (psych::corr.test and
stats::cor on ``correlation_data.csv``, which has missing values and a 1e6 offset
column). The data are split into uneven partitions here. Scores and correlation
statistics are closed-form, so agreement with R is required to 1e-8 (absolute; R's
output is stored with 15 significant digits) and with the in-memory functions to 1e-10.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import warnings
from pathlib import Path

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales.errors import (
    ConstantColumnWarning,
    DataTypeError,
    IncompleteScoresWarning,
    InsufficientDataError,
    MissingColumnsError,
    OutOfRangeError,
    ParameterError,
)

REF = Path(__file__).parent / "reference"
EXACT = 1e-8  # against R's stored output (15 significant digits)
SAME = 1e-10  # against the in-memory functions: the same formulas, other rounding order


class Counter:
    """Counts the partitions dask loads (to check that nothing is computed early)."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __dask_tokenize__(self) -> int:
        return id(self)

    def __call__(self, piece: pd.DataFrame) -> pd.DataFrame:
        with self.lock:
            self.calls += 1
        return piece


def split(data: pd.DataFrame, sizes: list[int], counter: Counter | None = None):
    """A dask DataFrame whose partitions are consecutive pieces of ``sizes`` rows."""
    assert sum(sizes) == len(data)
    edges = np.cumsum([0, *sizes])
    pieces = [data.iloc[a:b] for a, b in itertools.pairwise(edges)]
    return dd.from_map(counter or Counter(), pieces, meta=data.iloc[:0], enforce_metadata=False)


def matrix(values: list) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)


def close(ours, theirs, atol: float) -> None:
    np.testing.assert_allclose(np.asarray(ours, dtype=float), theirs, rtol=0, atol=atol)


@pytest.fixture(scope="module")
def items() -> pd.DataFrame:
    return pd.read_csv(REF / "scoring_data.csv", index_col="row")


@pytest.fixture(scope="module")
def psych_scores() -> pd.DataFrame:
    return pd.read_csv(REF / "scoring_psych.csv", index_col="row")


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((REF / "correlation_expected.json").read_text())


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "correlation_data.csv")


def uneven(n: int) -> list[int]:
    """Partition sizes: a single row, an empty partition, and unequal blocks."""
    sizes = [1, 0, n // 4, 2, n // 3]
    return [*sizes, n - sum(sizes)]


# --- score_dask -----------------------------------------------------------------------------
def test_score_dask_agrees_with_psych(items: pd.DataFrame, psych_scores: pd.DataFrame) -> None:
    ddf = split(items, uneven(len(items)))
    scores = peoscales.score_dask(ddf, ["brs", "swing_1to4", "wbns"], min_valid=1).compute()
    # psych::scoreItems(impute = "none") scores anyone with one answer: min_valid=1.
    assert list(scores.columns) == list(psych_scores.columns)
    assert scores.index.equals(items.index)
    close(scores, psych_scores.to_numpy(), EXACT)


def test_score_dask_equals_score_with_missing_scores(items: pd.DataFrame) -> None:
    data = items.copy()
    data.index = [f"r{i}" for i in range(len(data))]  # a text index survives
    data.iloc[3:9, :6] = np.nan  # BRS unanswered in two partitions: missing scores
    data.iloc[40:44, 2:6] = np.nan
    ddf = split(data, uneven(len(data)))
    lazy = peoscales.score_dask(ddf, ["brs", "wbns"], method="sum")
    with pytest.warns(IncompleteScoresWarning):
        whole = peoscales.score(data, ["brs", "wbns"], method="sum", details=True)
    computed = lazy.compute()
    # (dask stores text labels as its own string dtype; the labels and order are kept)
    assert computed.index.tolist() == data.index.tolist()
    assert list(lazy.columns) == list(whole.scores.columns)
    assert all(lazy.dtypes == np.float64)
    pd.testing.assert_frame_equal(
        computed, whole.scores, check_exact=False, atol=SAME, rtol=0, check_index_type=False
    )
    # The documented way to count the respondents below the minimum.
    missing = lazy.isna().sum().compute()
    pd.testing.assert_series_equal(
        missing, whole.n_below_minimum, check_names=False, check_dtype=False
    )
    assert missing["brs"] >= 10  # at least the rows blanked above


def test_score_dask_issues_no_warning_per_partition(items: pd.DataFrame) -> None:
    data = items.copy()
    data.iloc[::7, :6] = np.nan  # below the minimum in every partition
    lazy = peoscales.score_dask(split(data, uneven(len(data))), "brs")
    # pytest turns warnings into errors: a partition's warning would fail the compute.
    with warnings.catch_warnings(record=True) as caught:
        scores = lazy.compute()
    assert not [w for w in caught if issubclass(w.category, IncompleteScoresWarning)]
    with pytest.warns(IncompleteScoresWarning):
        whole = peoscales.score(data, "brs")
    pd.testing.assert_frame_equal(scores, whole, check_exact=False, atol=SAME, rtol=0)
    assert scores["brs"].isna()[::7].all()


def test_score_dask_is_lazy_and_keeps_partitions(items: pd.DataFrame) -> None:
    counter = Counter()
    ddf = split(items, uneven(len(items)), counter)
    lazy = peoscales.score_dask(ddf, "brs", scales="brs")
    assert counter.calls == 0
    assert lazy.npartitions == ddf.npartitions
    lazy.compute()
    assert counter.calls == ddf.npartitions


def test_score_dask_keeps_known_divisions(items: pd.DataFrame) -> None:
    ddf = dd.from_pandas(items, npartitions=4)
    lazy = peoscales.score_dask(ddf, "brs")
    assert lazy.known_divisions
    assert lazy.divisions == ddf.divisions


def test_score_dask_out_of_range_surfaces_on_compute(items: pd.DataFrame) -> None:
    data = items.copy()
    data.loc[data.index[60], "brs_3"] = 7.0
    lazy = peoscales.score_dask(split(data, uneven(len(data))), "brs")  # no error yet
    with pytest.raises(OutOfRangeError, match=r"'brs_3' \(expected whole numbers 1-5\).*7\.0.*60"):
        lazy.compute()


def test_score_dask_text_surfaces_on_compute(items: pd.DataFrame) -> None:
    data = items.astype({"brs_2": object})
    data.loc[data.index[5], "brs_2"] = "eens"
    lazy = peoscales.score_dask(dd.from_pandas(data, npartitions=3), "brs")
    with pytest.raises(DataTypeError, match=r"'brs_2'.*'eens'"):
        lazy.compute()


def test_score_dask_checks_options_at_once(items: pd.DataFrame) -> None:
    ddf = dd.from_pandas(items.drop(columns="brs_4"), npartitions=2)
    with pytest.raises(MissingColumnsError, match="brs_4"):
        peoscales.score_dask(ddf, "brs")
    with pytest.raises(ParameterError, match=r"unknown scale.*'brs_total'"):
        peoscales.score_dask(ddf, "swing12", scales=["brs_total"])
    with pytest.raises(ParameterError, match=r"min_valid=9 for scale 'brs'"):
        peoscales.score_dask(dd.from_pandas(items, npartitions=2), "brs", min_valid=9)
    with pytest.raises(ParameterError, match=r"details=True is not supported.*isna\(\)\.sum"):
        peoscales.score_dask(dd.from_pandas(items, npartitions=2), "brs", details=True)


@pytest.mark.parametrize("function", ["score_dask", "corr_matrix_dask"])
def test_refuses_pandas_input(function: str, items: pd.DataFrame) -> None:
    call = getattr(peoscales, function)
    args = (items, "brs") if function == "score_dask" else (items,)
    in_memory = "score" if function == "score_dask" else "corr_matrix"
    with pytest.raises(DataTypeError, match=rf"needs a dask DataFrame.*peoscales\.{in_memory}\b"):
        call(*args)


@pytest.mark.parametrize("function", ["score_dask", "corr_matrix_dask"])
def test_missing_dask_names_the_extra(function: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "dask" or m.startswith("dask.")]:
        monkeypatch.setitem(sys.modules, name, None)  # "import dask..." now fails
    call = getattr(peoscales, function)
    args = (pd.DataFrame(), "brs") if function == "score_dask" else (pd.DataFrame(),)
    with pytest.raises(
        ImportError, match=rf'{function} needs dask.*pip install "peoscales\[dask\]"'
    ):
        call(*args)


# --- corr_matrix_dask ------------------------------------------------------------------------
def test_corr_matrix_dask_agrees_with_r(data: pd.DataFrame, expected: dict) -> None:
    res = peoscales.corr_matrix_dask(split(data, uneven(len(data))))
    ref = expected["pearson_pairwise"]
    close(res.r, matrix(ref["r_cor"]), EXACT)
    close(res.r, matrix(ref["r"]), EXACT)
    close(res.n, matrix(ref["n"]), 0)
    close(res.p, matrix(ref["p"]), EXACT)
    close(res.ci_low, matrix(ref["ci_low"]), EXACT)
    close(res.ci_high, matrix(ref["ci_high"]), EXACT)
    np.testing.assert_allclose(res.mean, expected["means"], rtol=1e-14)  # 1e6 offset: relative
    close(res.sd, expected["sds"], EXACT)
    assert res.n_rows == len(data)


@pytest.mark.parametrize("adjust", ["holm", "bonferroni", "fdr_bh"])
def test_corr_matrix_dask_adjusts_as_r(data: pd.DataFrame, expected: dict, adjust: str) -> None:
    res = peoscales.corr_matrix_dask(
        dd.from_pandas(data, npartitions=7), adjust=adjust, confidence=0.9
    )
    close(res.p_adjusted, matrix(expected["pearson_pairwise"][f"p_{adjust}"]), EXACT)
    assert res.adjust == adjust and res.confidence == 0.9


def test_corr_matrix_dask_listwise_agrees_with_r(data: pd.DataFrame, expected: dict) -> None:
    res = peoscales.corr_matrix_dask(split(data, uneven(len(data))), missing="listwise")
    ref = expected["pearson_listwise"]
    close(res.r, matrix(ref["r_cor"]), EXACT)
    close(res.p, matrix(ref["p"]), EXACT)
    close(res.ci_low, matrix(ref["ci_low"]), EXACT)
    assert (res.n.to_numpy() == expected["n_complete"]).all()
    assert res.n_excluded == len(data) - expected["n_complete"]


def test_corr_matrix_dask_sparse_pairs_as_r(expected: dict) -> None:
    sparse = pd.read_csv(REF / "correlation_sparse.csv")
    res = peoscales.corr_matrix_dask(split(sparse, [3, 1, 5, 3]), adjust="fdr_bh")
    close(res.n, matrix(expected["sparse_n"]), 0)
    close(res.r, matrix(expected["sparse_r"]), EXACT)
    close(res.p_adjusted, matrix(expected["sparse_p_fdr_bh"]), EXACT)


@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_corr_matrix_dask_equals_corr_matrix(data: pd.DataFrame, missing: str) -> None:
    shifted = data.assign(offset=data["offset"] + 1e9, far=data["werkdruk"] * 1e-3 - 5e7)
    # A column with no answers in the first partitions: its shift comes from a later one.
    shifted.loc[:20, "far"] = np.nan
    ours = peoscales.corr_matrix_dask(split(shifted, uneven(len(shifted))), missing=missing)
    theirs = peoscales.corr_matrix(shifted, missing=missing)
    for name in ("r", "p", "ci_low", "ci_high"):
        close(getattr(ours, name), getattr(theirs, name).to_numpy(), SAME)
    pd.testing.assert_frame_equal(ours.n, theirs.n)
    pd.testing.assert_series_equal(ours.n_obs, theirs.n_obs)
    np.testing.assert_allclose(ours.mean, theirs.mean, rtol=1e-14)
    close(ours.sd, theirs.sd.to_numpy(), SAME)
    assert (ours.n_rows, ours.n_excluded) == (theirs.n_rows, theirs.n_excluded)
    assert ours.to_apa().to_text() == theirs.to_apa().to_text()


def test_corr_matrix_dask_columns_in_order(data: pd.DataFrame) -> None:
    cols = ["verzuim", "offset", "veerkracht"]
    res = peoscales.corr_matrix_dask(dd.from_pandas(data, npartitions=3), columns=cols)
    assert res.columns == cols
    close(res.r, peoscales.corr_matrix(data, columns=cols).r.to_numpy(), SAME)


def test_corr_matrix_dask_counts_rows_in_no_pair() -> None:
    frame = pd.DataFrame(
        {"a": [1.0, 2, np.nan, 4, 5, 3], "b": [2.0, np.nan, np.nan, 3, 5, 1], "c": [1.0] * 6}
    )
    frame["c"] = [3.0, 1, 2, np.nan, np.nan, 5]
    res = peoscales.corr_matrix_dask(split(frame, [2, 2, 2]))
    assert res.n_excluded == peoscales.corr_matrix(frame).n_excluded == 1


def test_corr_matrix_dask_warns_about_constant_columns() -> None:
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [2.0] * 6, "c": [1.0, 3, 2, 5, 4, 6]})
    with pytest.warns(ConstantColumnWarning, match="'b' have no variance") as ours:
        res = peoscales.corr_matrix_dask(split(frame, [4, 2]))
    with pytest.warns(ConstantColumnWarning) as theirs:
        peoscales.corr_matrix(frame)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert np.isnan(res.r.loc["a", "b"]) and np.isnan(res.r.loc["b", "b"])


def test_corr_matrix_dask_is_lazy_with_compute_false(data: pd.DataFrame) -> None:
    counter = Counter()
    ddf = split(data, uneven(len(data)), counter)
    delayed = peoscales.corr_matrix_dask(ddf, compute=False)
    assert counter.calls == 0
    (res,) = dask.compute(delayed)
    assert counter.calls == ddf.npartitions
    close(res.r, peoscales.corr_matrix(data).r.to_numpy(), SAME)


def test_corr_matrix_dask_does_not_change_the_data(data: pd.DataFrame) -> None:
    before = data.copy()
    peoscales.corr_matrix_dask(dd.from_pandas(data, npartitions=4))
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize("method", ["spearman", "kendall"])
def test_corr_matrix_dask_refuses_rank_methods(data: pd.DataFrame, method: str) -> None:
    with pytest.raises(
        ParameterError, match=rf"method='{method}' is not supported.*ranks.*corr_matrix"
    ):
        peoscales.corr_matrix_dask(dd.from_pandas(data, npartitions=2), method=method)  # type: ignore[arg-type]


def test_corr_matrix_dask_bad_arguments(data: pd.DataFrame) -> None:
    ddf = dd.from_pandas(data, npartitions=2)
    with pytest.raises(ParameterError, match="method='pearsn' is not supported"):
        peoscales.corr_matrix_dask(ddf, method="pearsn")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="adjust='BH' is not supported"):
        peoscales.corr_matrix_dask(ddf, adjust="BH")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="confidence must lie between 0 and 1"):
        peoscales.corr_matrix_dask(ddf, confidence=95)
    with pytest.raises(ParameterError, match="split_every must be a whole number of 2 or more"):
        peoscales.corr_matrix_dask(ddf, split_every=1)
    with pytest.raises(MissingColumnsError, match=r"'verlof'.*did you mean 'verloop'"):
        peoscales.corr_matrix_dask(ddf, columns=["veerkracht", "verlof"])
    with pytest.raises(InsufficientDataError, match="at least two columns, got 1"):
        peoscales.corr_matrix_dask(ddf, columns=["veerkracht"])


def test_corr_matrix_dask_bad_values_surface_on_compute(data: pd.DataFrame) -> None:
    infinite = data.copy()
    infinite.loc[100, "werkdruk"] = np.inf
    with pytest.raises(
        ParameterError, match=r"infinite values in column\(s\) 'werkdruk' \(rows 100\)"
    ):
        peoscales.corr_matrix_dask(split(infinite, uneven(len(infinite))))
    text = data.astype({"verzuim": object})
    text.loc[7, "verzuim"] = "vaak"
    with pytest.raises(DataTypeError, match=r"'verzuim' \(e\.g\. 'vaak' in rows 7\)"):
        peoscales.corr_matrix_dask(dd.from_pandas(text, npartitions=3))
    empty = data.assign(leeg=np.nan)
    with pytest.raises(InsufficientDataError, match=r"'leeg' have no answers at all"):
        peoscales.corr_matrix_dask(dd.from_pandas(empty, npartitions=3))
    few = data.copy()
    few.loc[3:, "verzuim"] = np.nan
    with pytest.raises(InsufficientDataError, match=r"Listwise deletion leaves 2 of 150 rows"):
        peoscales.corr_matrix_dask(dd.from_pandas(few, npartitions=3), missing="listwise")


# --- invariant: the partitioning does not change the result -------------------------------
@st.composite
def partitioned(draw: st.DrawFn) -> tuple[pd.DataFrame, list[int]]:
    n = draw(st.integers(3, 30))
    p = draw(st.integers(2, 4))
    codes = st.one_of(st.none(), st.integers(1, 5))
    columns = {}
    for j in range(p):
        values = np.array(
            [
                np.nan if v is None else float(v)
                for v in draw(st.lists(codes, min_size=n, max_size=n))
            ]
        )
        offset = draw(st.sampled_from([0.0, 1e6, -3e8]))
        columns[f"v{j}"] = offset + values * draw(st.sampled_from([1.0, 0.1, 1e-4]))
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=6)))
    edges = [0, *cuts, n]
    return pd.DataFrame(columns), [b - a for a, b in itertools.pairwise(edges)]


def _outcome(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConstantColumnWarning)
        try:
            result = call()
        except InsufficientDataError as exc:
            return str(exc), []
    return result, [str(w.message) for w in caught]


@settings(max_examples=40)
@given(partitioned())
def test_partitioning_does_not_change_the_result(case: tuple[pd.DataFrame, list[int]]) -> None:
    frame, sizes = case
    ours, our_warnings = _outcome(lambda: peoscales.corr_matrix_dask(split(frame, sizes)))
    theirs, their_warnings = _outcome(lambda: peoscales.corr_matrix(frame))
    assert our_warnings == their_warnings
    if isinstance(theirs, str):
        assert ours == theirs
        return
    for name in ("r", "sd"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=0, atol=SAME)
    # p and the CI are ill-conditioned at |r| = 1 (with n = 3, r = 1 - 1e-16 gives p = 1e-8
    # where r = 1 gives 0): compare them where r is not within 1e-6 of a perfect correlation.
    sound = (1 - np.abs(theirs.r.to_numpy()) > 1e-6) | np.isnan(theirs.r.to_numpy())
    for name in ("p", "ci_low", "ci_high"):
        np.testing.assert_allclose(
            getattr(ours, name).to_numpy()[sound],
            getattr(theirs, name).to_numpy()[sound],
            rtol=0,
            atol=SAME,
        )
    np.testing.assert_allclose(ours.mean, theirs.mean, rtol=1e-14)
    pd.testing.assert_frame_equal(ours.n, theirs.n)
    assert ours.n_excluded == theirs.n_excluded


def every_split(n: int) -> list[list[int]]:
    """Every way to cut ``n`` rows into consecutive partitions, and one with an empty one."""
    sizes = []
    for k in range(n):
        for cuts in itertools.combinations(range(1, n), k):
            sizes.append([b - a for a, b in itertools.pairwise([0, *cuts, n])])
    return [*sizes, [0, n]]


def _pair_warnings(function, data) -> tuple[pd.DataFrame, list[str]]:
    """The correlations of ``function(data)`` and the ConstantColumnWarnings it issues."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConstantColumnWarning)
        result = function(data)
    return result.r, [str(w.message) for w in caught]


@pytest.mark.parametrize("offset", [0.0, 1e6])
def test_a_pair_constant_on_its_rows_is_nan_however_partitioned(offset: float) -> None:
    # v0 is 0.4 on each row it shares with v1 (1, 1, 2 there) and 0.1 on the row where v1
    # is missing: constant on the pair's rows, so r is undefined. Both columns vary.
    frame = pd.DataFrame(
        {"v0": offset + np.array([0.4, 0.1, 0.4, 0.4]), "v1": [1.0, np.nan, 1.0, 2.0]}
    )
    message = "Pair(s) 'v0'–'v1' do not vary on the rows they share; their correlations are NaN."
    expected = np.array([[1.0, np.nan], [np.nan, 1.0]])
    r, messages = _pair_warnings(peoscales.corr_matrix, frame)
    np.testing.assert_array_equal(r.to_numpy(), expected)
    assert messages == [message]
    for sizes in every_split(len(frame)):
        r, messages = _pair_warnings(peoscales.corr_matrix_dask, split(frame, sizes))
        np.testing.assert_array_equal(r.to_numpy(), expected, err_msg=f"partitions {sizes}")
        assert messages == [message], sizes


def test_a_pair_that_barely_varies_on_its_rows_is_defined_however_partitioned() -> None:
    # b holds 0, 0 and 1e-6 on the rows it shares with c (0, 0, 1) and 2 elsewhere: it
    # varies there, and R's cor(use = "pairwise") gives 1. The one-pass sums of a
    # partition holding all of b lose that spread in rounding (which made it NaN there).
    frame = pd.DataFrame(
        {
            "a": [0.0, 0.0, 0.0, np.nan, np.nan, np.nan],
            "b": [0.0, 0.0, 1e-6, np.nan, np.nan, 2.0],
            "c": [0.0, 0.0, 1.0, np.nan, np.nan, np.nan],
        }
    )
    message = (
        "Column(s) 'a' have no variance (one value, or one answer); their correlations "
        "are NaN. Leave them out with columns=[...]."
    )
    for sizes in every_split(len(frame)):
        r, messages = _pair_warnings(peoscales.corr_matrix_dask, split(frame, sizes))
        assert r.loc["b", "c"] == pytest.approx(1.0, abs=1e-12), sizes
        assert r.loc["c", "b"] == pytest.approx(1.0, abs=1e-12), sizes
        assert messages == [message], sizes


def test_a_filter_question_and_its_follow_ups_however_partitioned() -> None:
    # g and h are asked only where the filter f is 1, so f is constant on their rows
    # (NaN), though it varies; k is 3 in the first half and 5 in the second, so it is
    # constant within some partitions but not on any pair's rows.
    f = [1.0, 2, 1, 1, 2, 1, 2, 1]
    g = [4.0, np.nan, 2, 5, np.nan, 1, np.nan, 3]
    h = [2.0, np.nan, 2, 4, np.nan, 1, np.nan, 5]
    k = [3.0, 3, 3, 3, 5, 5, 5, 5]
    frame = pd.DataFrame({"f": f, "g": g, "h": h, "k": k})

    def r(x: str, y: str) -> float:  # Pearson on the pair's rows, from its definition
        both = frame[[x, y]].dropna().to_numpy()
        a, b = both[:, 0] - both[:, 0].mean(), both[:, 1] - both[:, 1].mean()
        return float(a @ b / np.sqrt((a @ a) * (b @ b)))

    undefined = [{"f", "g"}, {"f", "h"}]
    names = list(frame.columns)
    expected = np.array(
        [
            [np.nan if {x, y} in undefined else 1.0 if x == y else r(x, y) for y in names]
            for x in names
        ]
    )
    message = (
        "Pair(s) 'f'–'g', 'f'–'h' do not vary on the rows they share; their correlations are NaN."
    )
    for sizes in [[8], [4, 4], [1, 7], [3, 2, 3], [2, 2, 2, 2], [0, 5, 3], [1] * 8]:
        got, messages = _pair_warnings(peoscales.corr_matrix_dask, split(frame, sizes))
        np.testing.assert_allclose(got.to_numpy(), expected, rtol=0, atol=SAME, err_msg=f"{sizes}")
        assert messages == [message], sizes
    got, messages = _pair_warnings(peoscales.corr_matrix, frame)
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=0, atol=SAME)
    assert messages == [message]


@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_corr_matrix_dask_float32_partitions_equal_corr_matrix(
    data: pd.DataFrame, missing: str
) -> None:
    # float32 partitions go to the moments kernel without a float64 copy; the values
    # are the same numbers, so the result is that of corr_matrix on them as float64.
    codes = data.astype("float32")
    got = peoscales.corr_matrix_dask(split(codes, uneven(len(codes))), missing=missing)
    expected = peoscales.corr_matrix(codes.astype("float64"), missing=missing)
    for name in ("r", "n", "p", "ci_low", "ci_high"):
        np.testing.assert_allclose(
            getattr(got, name).to_numpy(), getattr(expected, name).to_numpy(), rtol=0, atol=SAME
        )
    assert got.n_excluded == expected.n_excluded


def test_corr_matrix_dask_float32_bad_values_named(data: pd.DataFrame) -> None:
    codes = data.astype("float32")
    codes.loc[100, "werkdruk"] = np.inf
    with pytest.raises(
        ParameterError, match=r"infinite values in column\(s\) 'werkdruk' \(rows 100\)"
    ):
        peoscales.corr_matrix_dask(split(codes, uneven(len(codes))))
