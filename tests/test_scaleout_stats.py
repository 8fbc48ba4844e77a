"""Tests of reliability_dask, describe_dask and frequency_table_dask.

The references: R's psych::alpha output stored by ``tests/reference/reliability.R``
(``reliability_scales.csv``, ``reliability_items.csv``) on
``reliability_likert_data.csv`` (missing answers, reverse-keyed items), to 1e-8; and the
in-memory functions (themselves checked against R/psych in their own tests) on the same
data, to 1e-12, with the data split into uneven partitions (a single row, an empty one,
unequal blocks).
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales import peo
from peoscales.errors import (
    ConstantColumnWarning,
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    MissingDataWarning,
    OutOfRangeError,
    ParameterError,
    ReverseKeyWarning,
)

REF = Path(__file__).parent / "reference"
EXACT = 1e-8  # against R's stored output
SAME = 1e-12  # against the in-memory functions
SCALES = {f"s{s}": [f"s{s}_{j}" for j in range(1, 7)] for s in (1, 2, 3)}
REVERSED = [f"s{s}_{j}" for s in (1, 2, 3) for j in (2, 5)]


def split(data: pd.DataFrame, sizes: list[int]) -> dd.DataFrame:
    """A dask DataFrame whose partitions are consecutive pieces of ``sizes`` rows."""
    assert sum(sizes) == len(data)
    edges = np.cumsum([0, *sizes])
    pieces = [data.iloc[a:b] for a, b in itertools.pairwise(edges)]
    return dd.from_map(lambda piece: piece, pieces, meta=data.iloc[:0], enforce_metadata=False)


def uneven(n: int) -> list[int]:
    sizes = [1, 0, n // 4, 2, n // 3]
    return [*sizes, n - sum(sizes)]


@pytest.fixture(scope="module")
def likert() -> pd.DataFrame:
    return pd.read_csv(REF / "reliability_likert_data.csv")


# --- reliability_dask --------------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_reliability_dask_matches_psych_alpha(likert: pd.DataFrame, missing: str) -> None:
    ref = pd.read_csv(REF / "reliability_scales.csv").set_index(["missing", "scale"])
    items = pd.read_csv(REF / "reliability_items.csv")
    ddf = split(likert, uneven(len(likert)))
    res = peoscales.reliability_dask(ddf, items=SCALES, reverse=REVERSED, missing=missing)
    table = res.table()
    theirs = ref.loc[missing]
    for ours, column in [
        ("alpha", "raw_alpha"),
        ("std_alpha", "std_alpha"),
        ("g6", "G6"),
        ("average_r", "average_r"),
        ("median_r", "median_r"),
        ("ci_low", "feldt_low"),
        ("ci_high", "feldt_high"),
        ("omega_total", "omega_total"),
        ("split_half_odd_even", "odd_even"),
        ("split_half_random", "mean_split"),
    ]:
        tol = 1e-6 if ours == "omega_total" else EXACT  # minres is iterative
        np.testing.assert_allclose(table[ours], theirs.loc[table.index, column], atol=tol)
    assert (table["n"] == theirs.loc[table.index, "n"]).all()
    mine = pd.concat([res[s].item_table for s in SCALES])
    theirs_items = items[items["missing"] == missing].set_index("item").loc[mine.index]
    for column in ("r_drop", "r_cor", "mean", "sd"):
        if column in theirs_items:
            np.testing.assert_allclose(mine[column], theirs_items[column], atol=EXACT)


@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_reliability_dask_equals_reliability(likert: pd.DataFrame, missing: str) -> None:
    ddf = split(likert, uneven(len(likert)))
    ours = peoscales.reliability_dask(ddf, items=SCALES, reverse=REVERSED, missing=missing, seed=4)
    whole = peoscales.reliability(likert, items=SCALES, reverse=REVERSED, missing=missing, seed=4)
    same_tables(ours, whole)
    pd.testing.assert_frame_equal(ours.items(), whole.items(), check_exact=False, atol=SAME, rtol=0)


def same_tables(ours, whole) -> None:
    """Equal to 1e-12; omega (an iterative minres fit, stopped at its tolerance) to 1e-9."""
    iterative = ["omega_total"]
    left, right = ours.table(), whole.table()
    pd.testing.assert_frame_equal(
        left.drop(columns=iterative), right.drop(columns=iterative),
        check_exact=False, atol=SAME, rtol=0,
    )  # fmt: skip
    np.testing.assert_allclose(left[iterative], right[iterative], atol=1e-9)


def test_reliability_dask_instrument_with_general_factor() -> None:
    answers = peoscales.simulate("wbns", 600, seed=5, missing_share=0.05)
    ddf = split(answers, uneven(len(answers)))
    ours = peoscales.reliability_dask(ddf, "wbns")
    whole = peoscales.reliability(answers, "wbns")
    same_tables(ours, whole)
    assert ours.omega_hierarchical == pytest.approx(whole.omega_hierarchical, abs=1e-9)
    assert ours.general_loadings is not None and whole.general_loadings is not None
    np.testing.assert_allclose(ours.general_loadings, whole.general_loadings, atol=1e-9)
    assert ours["wbns_autonomy"].n_excluded == whole["wbns_autonomy"].n_excluded


def test_reliability_dask_warns_once_for_a_missing_reverse_key(likert: pd.DataFrame) -> None:
    ddf = split(likert, [100, 150, 150])
    with pytest.warns(ReverseKeyWarning, match="'s1_2'") as caught:
        peoscales.reliability_dask(ddf, items={"s1": SCALES["s1"]})
    assert len([w for w in caught if w.category is ReverseKeyWarning]) == 1


def test_reliability_dask_constant_item_gives_nan(likert: pd.DataFrame) -> None:
    data = likert[SCALES["s1"]].copy()
    data["s1_3"] = 3.0
    with pytest.warns(ConstantColumnWarning, match="'s1_3'"):
        res = peoscales.reliability_dask(split(data, uneven(len(data))), reverse=["s1_2", "s1_5"])
    assert np.isnan(res["scale"].alpha)


def test_reliability_dask_refusals(likert: pd.DataFrame) -> None:
    ddf = split(likert, [200, 200])
    with pytest.raises(ParameterError, match=r"bootstrap.*all rows"):
        peoscales.reliability_dask(ddf, items=SCALES, ci_method="bootstrap")
    with pytest.raises(MissingColumnsError, match="nope"):
        peoscales.reliability_dask(ddf, items=["s1_1", "nope"])
    with pytest.raises(DataTypeError, match="dask DataFrame"):
        peoscales.reliability_dask(likert, items=SCALES)
    with pytest.raises(ParameterError, match="progress"):
        peoscales.reliability_dask(ddf, items=SCALES, progress="yes")


def test_reliability_dask_names_the_partition_with_a_bad_code() -> None:
    answers = peoscales.simulate("brs", 60, seed=2)
    answers.iloc[45, 0] = 9
    with pytest.raises(OutOfRangeError, match=r"^partition 2: "):
        peoscales.reliability_dask(split(answers, [20, 20, 20]), "brs")


def test_reliability_dask_too_few_respondents() -> None:
    answers = peoscales.simulate("brs", 3, seed=2)
    answers.iloc[1:] = np.nan
    with pytest.raises(InsufficientDataError, match="1 respondent"):
        peoscales.reliability_dask(split(answers, [1, 2]), "brs")


# --- describe_dask -----------------------------------------------------------------------------
def _with_odd_values(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "likert": rng.integers(1, 6, n).astype(float),
            "score": np.round(rng.normal(3.5, 0.7, n), 2),
            "offset": 1e6 + rng.normal(size=n),
            "count": rng.poisson(2.0, n),
        },
        index=pd.Index([f"r{i}" for i in range(n)], name="respondent"),
    )
    data.loc[rng.random(n) < 0.1, "likert"] = np.nan
    data.loc[rng.random(n) < 0.05, "score"] = np.nan
    return data


def test_describe_dask_equals_describe() -> None:
    data = _with_odd_values(1000, 1)
    ours = peoscales.describe_dask(split(data, uneven(len(data)))).table
    whole = peoscales.describe(data).table
    # The third and fourth moments of 1e6 + x: describe's mean carries a rounding error
    # of ~1e-10 that shifts them by ~1e-9 (relative); describe_dask centres each
    # partition on one of its values first. Both are checked against exact arithmetic.
    moments = ["skew", "kurtosis"]
    pd.testing.assert_frame_equal(
        ours.drop(index="offset", columns=moments), whole.drop(index="offset", columns=moments),
        check_exact=False, atol=SAME, rtol=1e-12,
    )  # fmt: skip
    exact = exact_moments(data["offset"].to_numpy())
    np.testing.assert_allclose(ours.loc["offset", moments], exact, rtol=1e-13)
    np.testing.assert_allclose(whole.loc["offset", moments], exact, rtol=1e-7)
    assert ours["n"].tolist() == whole["n"].tolist()
    assert ours["missing"].tolist() == whole["missing"].tolist()


def exact_moments(x: np.ndarray) -> list[float]:
    """Skew and kurtosis (psych's type 3) in exact rational arithmetic."""
    values = [Fraction(v) for v in x]
    n = len(values)
    mean = sum(values) / n
    m2, m3, m4 = (sum((v - mean) ** p for v in values) for p in (2, 3, 4))
    var = m2 / (n - 1)
    skew = float(m3 / n) / float(var) ** 1.5
    kurtosis = float(m4 / (n * var * var)) - 3.0
    return [skew, kurtosis]


def test_describe_dask_columns_and_refusals() -> None:
    data = _with_odd_values(50, 2)
    data["text"] = "x"
    ddf = split(data, [25, 25])
    res = peoscales.describe_dask(ddf, "score")
    assert res.table.index.tolist() == ["score"]
    assert "text" not in peoscales.describe_dask(ddf).table.index
    with pytest.raises(DataTypeError, match="text"):
        peoscales.describe_dask(ddf, ["score", "text"])
    with pytest.raises(MissingColumnsError, match="scroe"):
        peoscales.describe_dask(ddf, "scroe")
    with pytest.raises(ParameterError, match="max_distinct"):
        peoscales.describe_dask(ddf, max_distinct=0)


def test_describe_dask_too_many_distinct_values() -> None:
    data = _with_odd_values(200, 3)
    with pytest.warns(MissingDataWarning, match=r"'offset'.*max_distinct=20"):
        res = peoscales.describe_dask(split(data, [50, 150]), max_distinct=20)
    whole = peoscales.describe(data)
    blank = res.table.loc[["offset", "score"], ["median", "trimmed", "mad"]]
    assert blank.isna().all().all()
    kept = ["mean", "sd", "skew", "kurtosis", "min", "max"]
    np.testing.assert_allclose(res.table[kept], whole.table[kept], atol=1e-9, rtol=1e-12)
    np.testing.assert_allclose(
        res.table.loc["likert", ["median", "trimmed", "mad"]],
        whole.table.loc["likert", ["median", "trimmed", "mad"]],
        atol=SAME,
    )


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.integers(-3, 7), st.integers(-5000, 5000).map(lambda v: v / 97)),
        min_size=1,
        max_size=60,
    ),
    cuts=st.lists(st.integers(0, 60), max_size=4),
)
def test_describe_dask_does_not_depend_on_the_partitions(values: list, cuts: list[int]) -> None:
    data = pd.DataFrame({"x": [np.nan if v is None else float(v) for v in values]})
    data["y"] = data["x"].round()
    edges = sorted({0, len(data), *(min(c, len(data)) for c in cuts)})
    sizes = [b - a for a, b in itertools.pairwise(edges)]
    ours = peoscales.describe_dask(split(data, sizes)).table
    whole = peoscales.describe(data).table
    pd.testing.assert_frame_equal(ours, whole, check_exact=False, atol=1e-9, rtol=1e-9)


# --- frequency_table_dask ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def wave() -> pd.DataFrame:
    return peo.code_wave(peo.load_demo_export(), wave="2021-09").data


@pytest.mark.parametrize(
    "item,options",
    [
        ("stay_one_year", {}),
        ("stay_one_year", {"percent_of": "substantive", "rounding": "largest_remainder"}),
        ("space_reflect", {"grouping": "dichotomy", "percent_of": "all"}),
        ("experience", {"descending": True, "lang": "en"}),
        ("employer", {"sort": "descending"}),
    ],
)
def test_frequency_table_dask_equals_frequency_table(
    wave: pd.DataFrame, item: str, options: dict
) -> None:
    ddf = split(wave, uneven(len(wave)))
    ours = peoscales.frequency_table_dask(ddf, item, codebook="2021-09", **options)
    whole = peoscales.frequency_table(wave, item, codebook="2021-09", **options)
    pd.testing.assert_frame_equal(ours.table, whole.table)
    assert (ours.n_total, ours.n_base, ours.n_ungrouped) == (
        whole.n_total,
        whole.n_base,
        whole.n_ungrouped,
    )
    assert ours.summary() == whole.summary()


def test_frequency_table_dask_without_codebook_needs_known_categories() -> None:
    mood = pd.Series(["good", "good", "bad", None, "good"] * 3)
    data = pd.DataFrame({"mood": mood})
    ddf = dd.from_pandas(data, npartitions=3)
    with pytest.raises(ParameterError, match="as_known"):
        peoscales.frequency_table_dask(ddf, "mood")
    ddf["mood"] = ddf["mood"].astype("category").cat.as_known()
    ours = peoscales.frequency_table_dask(ddf, "mood", min_group_size=None)
    # The same categories (dask lists them in order of appearance) in memory.
    known = pd.CategoricalDtype(ddf["mood"].cat.categories)
    whole = peoscales.frequency_table(data.astype(known), "mood", min_group_size=None)
    pd.testing.assert_frame_equal(ours.table, whole.table)


# --- progress bar and BLAS threads -------------------------------------------------------------
def test_progress_bar_on_the_local_scheduler(likert: pd.DataFrame, capsys) -> None:
    ddf = split(likert, [100, 100, 200])
    quiet = peoscales.reliability_dask(ddf, items=SCALES, reverse=REVERSED)
    assert "100%" not in capsys.readouterr().out
    shown = peoscales.reliability_dask(ddf, items=SCALES, reverse=REVERSED, progress=True)
    assert "100%" in capsys.readouterr().out
    pd.testing.assert_frame_equal(shown.table(), quiet.table())


def test_partitions_run_with_one_blas_thread(likert: pd.DataFrame) -> None:
    from peoscales._kernels._blas import blas_threads

    before = blas_threads()
    if not before or max(before) < 2:
        pytest.skip("BLAS runs on one thread here, so a missing limit would not show")
    seen: list[list[int]] = []

    def load(piece: pd.DataFrame) -> pd.DataFrame:
        seen.append(blas_threads())
        return piece

    pieces = [likert.iloc[:200], likert.iloc[200:]]
    ddf = dd.from_map(load, pieces, meta=likert.iloc[:0], enforce_metadata=False)
    peoscales.corr_matrix_dask(ddf)
    assert seen and all(set(threads) == {1} for threads in seen)
    assert blas_threads() == before
