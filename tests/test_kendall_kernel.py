"""The Kendall tau-b kernel against scipy.stats.kendalltau, pair by pair.

The kernel counts concordant, discordant and tied pairs of rows in integers, from
cross-tables for columns with few values and by sorting otherwise, and then divides as
SciPy does; so every pair must agree with ``kendalltau(variant="b")`` on its shared rows
to rounding, by either route, whatever the block and group boundaries.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from peoscales._kernels import kendall as kernel
from peoscales._kernels.kendall import pairwise_kendall

ROUNDING = 1e-15  # integer counts, then the division SciPy does: a few ulps at most


def scipy_kendall(x: np.ndarray) -> np.ndarray:
    """tau-b of every pair (diagonal included) from scipy on the pair's shared rows."""
    p = x.shape[1]
    tau = np.full((p, p), np.nan)
    for i in range(p):
        for j in range(p):
            both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            a, b = x[both, i], x[both, j]
            if np.unique(a).size < 2 or np.unique(b).size < 2:
                continue  # undefined: fewer than two rows, or a constant column
            tau[i, j] = stats.kendalltau(a, b, variant="b").statistic
    return tau


@st.composite
def samples(draw: st.DrawFn) -> np.ndarray:
    """Correlated columns with 1 to 1,000 possible values (ties), some values missing."""
    n = draw(st.integers(0, 60))
    p = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    latent = rng.standard_normal((n, 1)) * rng.uniform(-2.0, 2.0, p)
    z = latent + rng.standard_normal((n, p))
    levels = rng.choice([1, 2, 3, 5, 7, 20, 1000], p)
    x = np.floor(special.ndtr(z) * levels) / 4.0 - 2.0
    x[rng.random((n, p)) < draw(st.sampled_from([0.0, 0.1, 0.4, 0.9]))] = np.nan
    return x


ROUTES = {
    # Every pair sorted, one pair per block.
    "sorted": {"TABLE_LEVELS": 0, "SORT_BLOCK_ELEMENTS": 1},
    "default": {},
    # Every pair tabulated, in groups of a few columns and blocks of a few rows.
    "tabulated": {"TABLE_LEVELS": 10**6, "GROUP_LEVELS": 7, "TABLE_BLOCK_ELEMENTS": 64},
}


@pytest.fixture(params=list(ROUTES))
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in ROUTES[request.param].items():
        monkeypatch.setattr(kernel, name, value)
    yield


@pytest.mark.usefixtures("route")
@given(samples())
def test_every_pair_equals_scipy(x: np.ndarray) -> None:
    before = x.copy()
    tau = pairwise_kendall(x)
    np.testing.assert_allclose(tau, scipy_kendall(x), rtol=0, atol=ROUNDING)
    np.testing.assert_array_equal(tau, tau.T)  # exactly symmetric, NaN in the same places
    np.testing.assert_array_equal(x, before)


@given(samples())
def test_column_major_input_gives_the_same_result(x: np.ndarray) -> None:
    np.testing.assert_array_equal(pairwise_kendall(np.asfortranarray(x)), pairwise_kendall(x))


def test_routes_agree_on_many_rows_of_mixed_columns() -> None:
    # Likert items (tabulated), a sum score and a continuous column (sorted), several
    # blocks of pairs at the default block size.
    rng = np.random.default_rng(11)
    z = rng.standard_normal((3000, 1)) + rng.standard_normal((3000, 8))
    x = np.floor(special.ndtr(z) * 5) + 1
    x[:, 6] = x[:, :5].sum(axis=1)
    x[:, 7] = z[:, 7]
    x[rng.random(x.shape) < 0.1] = np.nan
    np.testing.assert_allclose(pairwise_kendall(x), scipy_kendall(x), rtol=0, atol=ROUNDING)


def test_more_rows_than_16_bit_ranks_hold() -> None:
    rng = np.random.default_rng(5)
    x = rng.standard_normal((40_000, 2))
    x[:, 1] += x[:, 0]
    x[rng.random(x.shape) < 0.1] = np.nan
    np.testing.assert_allclose(pairwise_kendall(x), scipy_kendall(x), rtol=0, atol=ROUNDING)


# --- undefined pairs and other edges (as the pair-by-pair loop it replaces) ---------------
nan = np.nan


def test_column_constant_on_the_shared_rows_gives_nan() -> None:
    # The second column varies, but not on the rows where the first is answered.
    x = np.array([[1, 5], [2, 5], [3, 5], [nan, 6], [nan, 7]], dtype=float)
    np.testing.assert_array_equal(pairwise_kendall(x), [[1, nan], [nan, 1]])


@pytest.mark.parametrize(
    "x",
    [
        [[1, nan], [2, nan], [3, 1], [nan, 2], [nan, 3]],  # one shared row
        [[1, nan], [2, nan], [nan, 1], [nan, 2]],  # none
    ],
)
def test_fewer_than_two_shared_rows_give_nan(x: list) -> None:
    np.testing.assert_array_equal(pairwise_kendall(np.array(x, dtype=float)), [[1, nan], [nan, 1]])


def test_all_missing_and_constant_columns_are_nan_with_nan_diagonal() -> None:
    x = np.array([[1, nan, 2, 4], [2, nan, 1, 4], [3, nan, 3, 4]], dtype=float)
    third = 1 / 3  # concordant 2, discordant 1, no ties
    expected = [
        [1, nan, third, nan],
        [nan, nan, nan, nan],
        [third, nan, 1, nan],
        [nan, nan, nan, nan],
    ]
    np.testing.assert_allclose(pairwise_kendall(x), expected, rtol=0, atol=ROUNDING)


@pytest.mark.parametrize("n", [0, 1])
def test_fewer_than_two_rows_give_nan_everywhere(n: int) -> None:
    tau = pairwise_kendall(np.ones((n, 3)))
    assert tau.shape == (3, 3)
    assert np.isnan(tau).all()


def test_no_columns() -> None:
    assert pairwise_kendall(np.empty((5, 0))).shape == (0, 0)


def test_perfect_agreement_with_ties_is_one_to_rounding() -> None:
    # 8 / sqrt(8) / sqrt(8) is 1 - 2**-53 in floating point, in SciPy as here.
    x = np.array([[1, 10], [1, 10], [2, 20], [3, 30], [3, 30]], dtype=float)
    for sign in (1, -1):
        tau = pairwise_kendall(x * [1, sign])
        np.testing.assert_allclose(tau, [[1, sign], [sign, 1]], rtol=0, atol=ROUNDING)
        assert np.abs(tau).max() <= 1


def test_infinite_values_rank_like_any_other() -> None:
    x = np.array([[-np.inf, 1, np.inf], [0, 2, np.inf], [np.inf, 3, np.inf]])
    np.testing.assert_array_equal(pairwise_kendall(x), [[1, 1, nan], [1, 1, nan], [nan, nan, nan]])
