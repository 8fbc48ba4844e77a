"""The scoring kernel against a plain computation, block by block.

The compiled kernel adds the keyed codes one by one; the numpy kernel sums
whole-number codes through one packed matrix product and other codes through masked
products. Each test runs with both (the ``kernels`` fixture): all must give exactly
``sum / count`` of the keyed answers (whole numbers: exact in float64, so equality is
tested with no tolerance), whatever the block boundaries, and must refuse every bad code.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peoscales._kernels import scoring as kernel

pytestmark = pytest.mark.usefixtures("kernels")


def plain_scores(
    x: np.ndarray,
    membership: np.ndarray,
    reverse: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    required: np.ndarray,
    multiplier: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and answered counts, scale by scale, with NaN-aware numpy sums."""
    keyed = np.where(reverse, low + high - x, x)
    scores, counts = [], []
    for k in range(membership.shape[1]):
        part = keyed[:, membership[:, k]]
        count = np.sum(~np.isnan(part), axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.nansum(part, axis=1) / count * multiplier[k]
        scores.append(np.where(count < required[k], np.nan, score))
        counts.append(count)
    return np.array(scores), np.array(counts)


def plain_for(problem: dict[str, np.ndarray], x: np.ndarray | None = None) -> np.ndarray:
    """Plain scores of a problem, optionally on other data."""
    keys = ("membership", "reverse", "low", "high", "required", "multiplier")
    data = problem["x"] if x is None else x
    return plain_scores(data, *(problem[k] for k in keys))[0]


@st.composite
def problems(draw: st.DrawFn) -> dict[str, np.ndarray]:
    p = draw(st.integers(1, 9))
    s = draw(st.integers(1, 4))
    n = draw(st.integers(0, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    membership = rng.random((p, s)) < 0.6
    membership[np.arange(s) % p, np.arange(s)] = True  # no empty scale; scales may overlap
    membership[:, 0] |= ~membership.any(axis=1)  # no item outside every scale
    low = rng.integers(-3, 2, p).astype(float)
    high = low + rng.integers(1, 7, p)
    x = np.floor(low + rng.random((n, p)) * (high - low + 1))
    x[rng.random((n, p)) < draw(st.sampled_from([0.0, 0.2, 0.6]))] = np.nan
    k = membership.sum(axis=0)
    required = np.minimum(rng.integers(1, 4, s), k).astype(float)
    multiplier = np.where(rng.random(s) < 0.5, 1.0, k.astype(float))
    return {
        "x": x,
        "membership": membership,
        "reverse": rng.random(p) < 0.4,
        "low": low,
        "high": high,
        "required": required,
        "multiplier": multiplier,
    }


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 rows, so that a few dozen rows cross several block boundaries."""
    monkeypatch.setattr(kernel, "block_rows_for", lambda p: 7)


def _run(problem: dict[str, np.ndarray], integer: np.ndarray, **kw: object) -> kernel.ScaleScores:
    return kernel.score_matrix(
        problem["x"],
        problem["membership"],
        problem["reverse"],
        problem["low"],
        problem["high"],
        integer,
        problem["required"],
        problem["multiplier"],
        answered=True,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.usefixtures("small_blocks")
@settings(max_examples=60, deadline=None)
@given(problems(), st.booleans())
def test_both_summations_equal_the_plain_computation_exactly(
    problem: dict[str, np.ndarray], packed: bool
) -> None:
    p = problem["x"].shape[1]
    # All items integer-coded takes the packed product; one that is not, the masked one.
    integer = np.ones(p, dtype=bool) if packed else np.arange(p) > 0
    result = _run(problem, integer)
    expected, counts = plain_scores(
        problem["x"],
        problem["membership"],
        problem["reverse"],
        problem["low"],
        problem["high"],
        problem["required"],
        problem["multiplier"],
    )
    assert result.in_range
    np.testing.assert_array_equal(result.scores, expected)  # exact: whole numbers
    assert result.answered is not None
    np.testing.assert_array_equal(result.answered, counts)
    np.testing.assert_array_equal(result.below, (counts < problem["required"][:, None]).sum(1))


def _brs_like(n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, (n, 6)).astype(float)
    x[rng.random(x.shape) < 0.1] = np.nan
    return {
        "x": x,
        "membership": np.ones((6, 1), dtype=bool),
        "reverse": np.array([False, True, False, True, False, True]),
        "low": np.ones(6),
        "high": np.full(6, 5.0),
        "required": np.array([5.0]),
        "multiplier": np.array([1.0]),
    }


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    "bad", [0.0, 6.0, 2.5, float(np.nextafter(3.0, 4.0)), np.inf, -np.inf, -1e300]
)
@pytest.mark.parametrize("packed", [True, False])
def test_a_bad_code_in_a_late_block_is_refused(bad: float, packed: bool) -> None:
    problem = _brs_like(100)
    problem["x"][93, 4] = bad
    integer = np.ones(6, dtype=bool)
    if not packed:
        integer[0] = False  # item 0 may hold fractions; item 4 may not
    assert not _run(problem, integer).in_range


def test_fractions_are_scored_where_the_scale_allows_them() -> None:
    problem = _brs_like(30)
    problem["x"][:, 0] = np.linspace(1.0, 5.0, 30)
    result = _run(problem, np.arange(6) > 0)
    expected = plain_for(problem)
    assert result.in_range
    np.testing.assert_allclose(result.scores, expected, rtol=0, atol=1e-12)


@pytest.mark.usefixtures("small_blocks")
def test_nonsubstantive_codes_in_some_blocks_count_as_missing() -> None:
    problem = _brs_like(50)
    codes = np.tile([9.0, 8.0], (6, 1))
    x = problem["x"].copy()
    x[[3, 40, 41], 2] = 9.0
    x[44, 5] = 8.0
    result = _run({**problem, "x": x}, np.ones(6, dtype=bool), nonsubstantive=codes)
    masked = x.copy()
    masked[masked >= 8] = np.nan
    expected = plain_for(problem, masked)
    assert result.in_range
    np.testing.assert_array_equal(result.scores, expected)
    np.testing.assert_array_equal(result.nonsubstantive, [0, 0, 3, 0, 0, 1])
    assert x[3, 2] == 9.0  # the input is only read


def test_nonsubstantive_code_inside_the_range_is_masked_in_every_block() -> None:
    problem = _brs_like(40)
    codes = np.full((6, 1), 3.0)  # not allowed by the loader, but handled
    result = _run(problem, np.ones(6, dtype=bool), nonsubstantive=codes)
    masked = problem["x"].copy()
    masked[masked == 3] = np.nan
    expected = plain_for(problem, masked)
    np.testing.assert_array_equal(result.scores, expected)
    assert result.nonsubstantive.sum() == np.sum(problem["x"] == 3)


def test_codes_too_wide_for_the_packed_product_fall_back_to_masked_sums() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(0, 2**40, (20, 3)).astype(float)
    membership = np.ones((3, 1), dtype=bool)
    low, high = np.zeros(3), np.full(3, 2.0**40)
    assert kernel._PackedSums.digit_bits(membership.T.astype(float), low, high) is None
    problem = {
        "x": x,
        "membership": membership,
        "reverse": np.array([True, False, False]),
        "low": low,
        "high": high,
        "required": np.array([1.0]),
        "multiplier": np.array([1.0]),
    }
    result = _run(problem, np.ones(3, dtype=bool))
    expected = plain_for(problem)
    np.testing.assert_array_equal(result.scores, expected)


def _three_shares(n: int, rows: int) -> list[tuple[int, int]]:
    """Split the rows into three shares of whole blocks, however few rows there are."""
    blocks = -(-n // rows) if n else 1
    per = max(1, -(-blocks // 3)) * rows
    return [(start, min(start + per, n)) for start in range(0, n, per)] or [(0, n)]


@pytest.mark.usefixtures("small_blocks")
@settings(max_examples=60, deadline=None)
@given(problems(), st.booleans())
def test_threaded_shares_give_the_same_result_to_the_bit(
    problem: dict[str, np.ndarray], packed: bool
) -> None:
    p = problem["x"].shape[1]
    integer = np.ones(p, dtype=bool) if packed else np.arange(p) > 0
    single = _run(problem, integer)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernel, "_thread_shares", _three_shares)
        threaded = _run(problem, integer)
    np.testing.assert_array_equal(threaded.scores, single.scores)
    np.testing.assert_array_equal(threaded.answered, single.answered)
    np.testing.assert_array_equal(threaded.below, single.below)
    assert threaded.in_range == single.in_range


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("row", [2, 50, 93])
def test_a_bad_code_in_any_thread_share_is_refused(
    row: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kernel, "_thread_shares", _three_shares)
    problem = _brs_like(100)
    problem["x"][row, 4] = 7.0
    assert not _run(problem, np.ones(6, dtype=bool)).in_range


def test_large_data_is_split_into_contiguous_shares_covering_every_row() -> None:
    for n in (0, 1, 1_000, 100_000, 1_000_003):
        shares = kernel._thread_shares(n, 7_000)
        assert shares[0][0] == 0 and shares[-1][1] == n
        assert all(a[1] == b[0] for a, b in itertools.pairwise(shares))
