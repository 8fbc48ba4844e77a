"""Mediation: paths, Sobel tests and bootstrap intervals against R.

Reference values come from R (``tests/reference/mediation.R``: lm for the paths, Sobel by
its formula, and every bootstrap replicate refitted with ``lm(weights = counts)``) on
``tests/reference/mediation_data.csv``. The resamples are the same on both sides: R drew
them and stored their counts in ``mediation_counts.csv``; here they replace peoscales'
own draws, so the bootstrap intervals must agree to rounding error.
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
from peoscales import MediationResult
from peoscales._kernels import mediation as kern
from peoscales._kernels.reliability import bootstrap_count_batches
from peoscales.errors import (
    CollinearityError,
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    ParameterError,
)

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "mediation_expected.json").read_text())
COUNTS = np.loadtxt(REFERENCE / "mediation_counts.csv", delimiter=",")
EXACT = 1e-8
PATHS = ("b", "se", "t", "p", "df", "ci_low", "ci_high")


def load() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "mediation_data.csv")


@pytest.fixture
def r_resamples(monkeypatch: pytest.MonkeyPatch) -> None:
    def moments(products: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
        assert (products.shape[0], n_boot) == COUNTS.shape[::-1]
        return kern.moments_from_counts(COUNTS, products)

    monkeypatch.setattr(kern, "bootstrap_moments", moments)


def test_bootstrap_moments_are_those_of_the_count_batches() -> None:
    rng = np.random.default_rng(0)
    products = kern.row_products(rng.normal(size=(50, 3)))
    threaded = kern.bootstrap_moments(products, 1000, np.random.default_rng(7))
    counts = np.vstack(list(bootstrap_count_batches(50, 1000, np.random.default_rng(7))))
    np.testing.assert_allclose(threaded, counts @ products, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["single", "parallel"])
@pytest.mark.usefixtures("r_resamples")
def test_matches_r(name: str) -> None:
    case = EXPECTED[name]
    mediators = case["mediators"] if isinstance(case["mediators"], list) else [case["mediators"]]
    covs = case["covariates"] if isinstance(case["covariates"], list) else [case["covariates"]]
    data = load()
    # R used the rows complete in all five columns (one set of resamples for both cases);
    # without the covariate, the row missing only age is left out here by hand.
    left_out = 0 if covs else int(data["age"].isna().sum())
    data = data if covs else data.dropna(subset=["age"])
    res = peoscales.mediate(data, "x", mediators, "y", covariates=covs, n_boot=500)
    assert isinstance(res, MediationResult)
    assert (res.n, res.n_excluded + left_out) == (case["n"], case["n_excluded"])
    k = len(mediators)
    for j, med in enumerate(mediators):
        label = f"{{}}{j + 1}" if k > 1 else "{}"
        for path in ("a", "b"):
            ours = res.paths.loc[label.format(path)]
            theirs = case["paths"][f"{path}_{med}"]
            for key in PATHS:
                assert ours[key] == pytest.approx(theirs[key], abs=EXACT), (path, key)
        sob = case["sobel"][med]
        for key in ("indirect", "se", "z", "p"):
            assert res.sobel.loc[med, key] == pytest.approx(sob[key], abs=EXACT), key
    for ours_key, theirs_key in (("c", "c"), ("c′", "c_prime")):
        for key in PATHS:
            assert res.paths.loc[ours_key, key] == pytest.approx(
                case["paths"][theirs_key][key], abs=EXACT
            )
    np.testing.assert_allclose(
        res.replicates[:5], np.asarray(case["first_replicates"])[:, :k], rtol=0, atol=1e-10
    )
    indirect = res.effects.iloc[: len(case["effects"])]
    for (_, row), theirs in zip(indirect.iterrows(), case["effects"]):
        assert row["effect"] == pytest.approx(theirs["effect"], abs=EXACT)
        assert row["se"] == pytest.approx(theirs["se"], abs=1e-10)
        assert [row["percentile_low"], row["percentile_high"]] == pytest.approx(
            theirs["percentile"], abs=1e-10
        )
        assert [row["bca_low"], row["bca_high"]] == pytest.approx(theirs["bca"], abs=1e-10)
    assert res.indirect == pytest.approx(case["effects"][-1]["effect"], abs=EXACT)
    assert (res.ci_low, res.ci_high) == pytest.approx(case["effects"][-1]["percentile"], abs=1e-10)
    assert res.total == pytest.approx(case["paths"]["c"]["b"], abs=EXACT)


@pytest.mark.usefixtures("r_resamples")
def test_bca_is_the_main_interval_when_chosen() -> None:
    res = peoscales.mediate(load(), "x", "m1", "y", covariates=["age"], n_boot=500, ci_method="bca")
    assert (res.ci_low, res.ci_high) == pytest.approx(
        EXPECTED["single"]["effects"][0]["bca"], abs=1e-10
    )


def test_effects_add_up_and_seed_reproduces() -> None:
    data = load()
    res = peoscales.mediate(data, "x", ["m1", "m2"], "y", n_boot=300, seed=5)
    # OLS identity: total = direct + sum of a_j b_j (same rows in every model).
    assert res.total == pytest.approx(res.direct + res.indirect, abs=1e-12)
    assert res.proportion_mediated == pytest.approx(res.indirect / res.total)
    again = peoscales.mediate(data, "x", ["m1", "m2"], "y", n_boot=300, seed=5)
    np.testing.assert_array_equal(res.replicates, again.replicates)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31), st.floats(0.5, 50), st.floats(-10, 10))
def test_invariant_to_shifting_and_scaling_the_mediator(
    seed: int, scale: float, shift: float
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=60)
    m = 0.4 * x + rng.normal(size=60)
    y = 0.5 * m + rng.normal(size=60)
    data = pd.DataFrame({"x": x, "m": m, "y": y})
    moved = data.assign(m=data["m"] * scale + shift)
    a = peoscales.mediate(data, "x", "m", "y", n_boot=200, seed=1)
    b = peoscales.mediate(moved, "x", "m", "y", n_boot=200, seed=1)
    assert b.indirect == pytest.approx(a.indirect, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(b.replicates, a.replicates, rtol=1e-7, atol=1e-10)
    assert b.paths.loc["a", "b"] == pytest.approx(a.paths.loc["a", "b"] * scale, rel=1e-9)


def test_views_and_input() -> None:
    data = load()
    before = data.copy()
    res = peoscales.mediate(data, "x", "m1", "y", covariates=["age"], n_boot=200, seed=1)
    pd.testing.assert_frame_equal(data, before)
    assert res.to_frame().index.tolist() == ["indirect via m1", "direct", "total"]
    text = res.summary()
    assert res.to_apa() in text and "rows left out for missing values: 4" in text
    assert "<table" in res._repr_html_()
    assert res.to_apa().startswith("indirect effect = 0.19, 95% CI [")


def test_errors() -> None:
    data = load()
    with pytest.raises(MissingColumnsError, match="'m3'"):
        peoscales.mediate(data, "x", "m3", "y")
    with pytest.raises(ParameterError, match="more than once"):
        peoscales.mediate(data, "x", ["m1", "x"], "y")
    with pytest.raises(ParameterError, match="n_boot"):
        peoscales.mediate(data, "x", "m1", "y", n_boot=10)
    with pytest.raises(ParameterError, match="ci_method"):
        peoscales.mediate(data, "x", "m1", "y", ci_method="normal")
    with pytest.raises(DataTypeError, match="'g'"):
        peoscales.mediate(data.assign(g="a"), "x", "g", "y")
    with pytest.raises(CollinearityError, match="collinear"):
        peoscales.mediate(data.assign(m3=2 * data["x"]), "x", "m3", "y")
    with pytest.raises(InsufficientDataError, match="complete rows"):
        peoscales.mediate(data.iloc[:4], "x", "m1", "y", covariates=["age"])


@pytest.mark.parametrize("noise", [0.0, 1e-10, 1e-9])
def test_nearly_collinear_columns_are_refused_as_r_drops_them(noise: float) -> None:
    # R's lm (tol 1e-7 in dqrdc2) gives NA for a column that the columns before it
    # determine up to 1e-7 of its norm: a covariate that is the sum of x and m1 up to
    # tiny noise, and a mediator equal to x up to tiny noise.
    data = load().dropna()
    wiggle = noise * np.random.default_rng(1).normal(size=len(data))
    with pytest.raises(CollinearityError, match="collinear"):
        peoscales.mediate(data.assign(c=data["x"] + data["m1"] + wiggle), "x", "m1", "y",
                          covariates=["c"])  # fmt: skip
    with pytest.raises(CollinearityError, match="collinear"):
        peoscales.mediate(data.assign(m3=data["x"] * 3 + 1 + wiggle), "x", ["m1", "m3"], "y")
    # A covariate distinct by 1e-3 of its size passes.
    distinct = 1e-3 * np.random.default_rng(2).normal(size=len(data))
    peoscales.mediate(data.assign(c=data["x"] + data["m1"] + distinct), "x", "m1", "y",
                      covariates=["c"], n_boot=100)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_distinct_row_products_rebuild_every_cross_product(p: int, seed: int) -> None:
    v = np.random.default_rng(seed).normal(size=(7, p))
    products = kern.row_products(v)
    assert products.shape == (7, p * (p + 1) // 2)
    full = kern.full_moments(products, p)
    np.testing.assert_array_equal(full, v[:, :, None] * v[:, None, :])


def _bootstrap_in_child(queue: object) -> None:
    reps = kern.bootstrap_indirect(_V, 1, 0, 2000, np.random.default_rng(3))
    queue.put(reps.sum())  # type: ignore[attr-defined]


_V = np.column_stack([np.ones(300), np.random.default_rng(0).normal(size=(300, 3))])


def test_bootstrap_threads_work_in_a_forked_process() -> None:
    import multiprocessing
    import warnings

    expected = kern.bootstrap_indirect(_V, 1, 0, 2000, np.random.default_rng(3)).sum()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        child = context.Process(target=_bootstrap_in_child, args=(queue,))
        child.start()
    child.join(60)
    assert child.exitcode == 0
    assert queue.get(timeout=5) == expected


def test_tables_are_built_when_first_read_and_survive_pickling() -> None:
    import copy
    import pickle

    rng = np.random.default_rng(5)
    x = rng.normal(size=120)
    m = 0.5 * x + rng.normal(size=120)
    data = pd.DataFrame({"x": x, "m": m, "y": 0.4 * m + rng.normal(size=120)})
    res = peoscales.mediate(data, "x", "m", "y", n_boot=200, seed=3)
    assert not res._tables  # nothing built yet
    effects = res.effects
    assert res.effects is effects  # built once
    for other in (pickle.loads(pickle.dumps(res)), copy.deepcopy(res)):
        pd.testing.assert_frame_equal(other.effects, res.effects)
        pd.testing.assert_frame_equal(other.paths, res.paths)
        pd.testing.assert_frame_equal(other.sobel, res.sobel)
        assert other.indirect == res.indirect
