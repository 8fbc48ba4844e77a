"""The compiled kernels (``_native.c``) against the numpy kernels they replace.

Both must give the same results to the last bit: scale scores, answered counts, the
minimum-valid rule, non-substantive codes and refusals of bad codes, on float64 and
float32 columns, across tiles and thread shares; and the same bootstrap resampling
counts from the same generator.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import peoscales
from peoscales._kernels import native
from peoscales._kernels import reliability as boot
from peoscales._kernels import scoring as kernel

compiled_only = pytest.mark.skipif(
    native.get() is None, reason="the compiled kernels are not built or are switched off"
)


def test_the_compiled_kernels_are_built_where_required() -> None:
    # CI sets PEOSCALES_REQUIRE_NATIVE=1, under which setup.py fails without them: a
    # build that silently fell back to numpy would otherwise go unnoticed.
    if os.environ.get("PEOSCALES_REQUIRE_NATIVE", "") in ("", "0"):
        pytest.skip("PEOSCALES_REQUIRE_NATIVE is not set")
    assert native.built()


def test_disabled_switches_to_numpy_and_back() -> None:
    before = native.get()
    with native.disabled():
        assert native.get() is None
    assert native.get() is before


@st.composite
def problems(draw: st.DrawFn) -> dict[str, object]:
    p = draw(st.integers(1, 8))
    s = draw(st.integers(1, 4))
    n = draw(st.sampled_from([0, 1, 5, 1023, 1024, 1025, 2500]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    membership = rng.random((p, s)) < 0.6
    membership[np.arange(s) % p, np.arange(s)] = True
    membership[:, 0] |= ~membership.any(axis=1)
    low = rng.integers(-3, 2, p).astype(float)
    high = low + rng.integers(1, 7, p)
    integer = rng.random(p) < 0.8
    x = np.floor(low + rng.random((n, p)) * (high - low + 1))
    fractional = ~integer & (rng.random(p) < 0.5)
    x[:, fractional] = (low + rng.random((n, p)) * (high - low))[:, fractional]
    x[rng.random((n, p)) < draw(st.sampled_from([0.0, 0.1, 0.5]))] = np.nan
    codes = None
    if draw(st.booleans()) and n:
        codes = np.full((p, 2), np.nan)
        codes[:, 0] = high + 4  # "weet niet", outside the range
        codes[rng.random(p) < 0.3, 1] = low[0]  # sometimes a code inside the range
        hit = rng.random((n, p)) < 0.05
        x[hit] = np.broadcast_to(codes[:, 0], (n, p))[hit]
    if draw(st.booleans()) and n:  # a bad code somewhere
        x[rng.integers(n), rng.integers(p)] = draw(st.sampled_from([high[0] + 1.5, -99.0, 0.5]))
    k = membership.sum(axis=0)
    return {
        "x": x,
        "membership": membership,
        "reverse": rng.random(p) < 0.4,
        "low": low,
        "high": high,
        "integer": integer,
        "required": np.minimum(rng.integers(1, 4, s), k).astype(float),
        "multiplier": np.where(rng.random(s) < 0.5, 1.0, k.astype(float)),
        "codes": codes,
        "single": draw(st.booleans()),
        "layout": draw(st.sampled_from(["matrix", "fortran", "runs"])),
        # Fractions are summed in another order by the numpy kernel's matrix product.
        "exact": not fractional.any(),
    }


def _arguments(problem: dict[str, object]) -> tuple[object, ...]:
    x = np.asarray(problem["x"])
    if problem["single"]:
        x = x.astype(np.float32)
    if problem["layout"] == "fortran":
        x = np.asfortranarray(x)
    elif problem["layout"] == "runs":
        x = [np.ascontiguousarray(x.T[:1]), np.ascontiguousarray(x.T[1:])]  # type: ignore[assignment]
        x = [run for run in x if run.shape[0]]  # type: ignore[assignment]
    return (
        x,
        problem["membership"],
        problem["reverse"],
        problem["low"],
        problem["high"],
        problem["integer"],
        problem["required"],
        problem["multiplier"],
        problem["codes"],
    )


def _assert_same(a: kernel.ScaleScores, b: kernel.ScaleScores, exact: bool) -> None:
    assert a.in_range == b.in_range
    if not a.in_range:
        return  # the kernels stop early: the other fields are incomplete
    if exact:
        np.testing.assert_array_equal(a.scores, b.scores)
    else:
        np.testing.assert_allclose(a.scores, b.scores, rtol=0, atol=1e-12)  # codes below 10
    np.testing.assert_array_equal(a.answered, b.answered)
    np.testing.assert_array_equal(a.below, b.below)
    np.testing.assert_array_equal(a.nonsubstantive, b.nonsubstantive)


@compiled_only
@settings(max_examples=80, deadline=None)
@given(problems())
def test_compiled_scores_equal_numpy_scores_to_the_bit(problem: dict[str, object]) -> None:
    args = _arguments(problem)
    ours = kernel.score_matrix(*args, answered=True)  # type: ignore[arg-type]
    with native.disabled():
        theirs = kernel.score_matrix(*args, answered=True)  # type: ignore[arg-type]
    _assert_same(ours, theirs, bool(problem["exact"]))


@compiled_only
@pytest.mark.parametrize("row", [0, 1023, 1024, 40_000, 99_999])
def test_a_bad_code_in_any_tile_or_thread_share_is_refused(row: int) -> None:
    x = np.random.default_rng(1).integers(1, 6, (100_000, 6)).astype(float)
    x[row, 3] = 2.5
    args = (np.ones((6, 1), bool), np.zeros(6, bool), np.ones(6), np.full(6, 5.0))
    rules = (np.ones(6, bool), np.array([4.0]), np.array([1.0]))
    assert len(kernel._thread_shares(len(x), kernel.COMPILED_TILE)) > 1  # shares, if 2+ cores
    assert not kernel.score_matrix(x, *args, *rules).in_range
    x[row, 3] = 2.0
    assert kernel.score_matrix(x, *args, *rules).in_range


@compiled_only
def test_scoring_a_frame_reads_its_columns_in_place_and_agrees_with_numpy() -> None:
    data = peoscales.simulate(["brs", "swing12"], 60_000, seed=4, missing_share=0.1)
    data["brs_2"] = data["brs_2"].astype(np.float32)  # a column of another block and type
    before = data.copy()
    with pytest.warns(peoscales.errors.IncompleteScoresWarning):
        ours = peoscales.score(data, ["brs", "swing12"], details=True)
    with native.disabled(), pytest.warns(peoscales.errors.IncompleteScoresWarning):
        theirs = peoscales.score(data, ["brs", "swing12"], details=True)
    pd.testing.assert_frame_equal(ours.scores, theirs.scores, check_exact=True)
    pd.testing.assert_frame_equal(ours.answered, theirs.answered)
    pd.testing.assert_frame_equal(data, before)


@compiled_only
def test_the_compiled_kernel_names_what_it_cannot_read() -> None:
    module = native.get()
    assert module is not None
    items = np.zeros((1, 5))
    ptr, member, rules = np.array([0, 1]), np.array([0]), np.array([[1.0, 1.0]])
    out, below, found = np.empty((1, 3)), np.zeros(1, np.int64), np.zeros(1, np.int64)
    with pytest.raises(TypeError, match="column 0 must hold float64 or float32"):
        module.score_rows([np.arange(3)], items, None, ptr, member, rules, 0, 3, out, None,
                          below, found)  # fmt: skip
    with pytest.raises(ValueError, match="rows 0:4 are not within 0:3"):
        module.score_rows([np.ones(3)], items, None, ptr, member, rules, 0, 4, out, None,
                          below, found)  # fmt: skip
    with pytest.raises(ValueError, match="scores: expected 3 values"):
        module.score_rows([np.ones(3)], items, None, ptr, member, rules, 0, 3, out[:, :2],
                          None, below, found)  # fmt: skip
    with pytest.raises(ValueError, match="not a column"):
        module.score_rows([np.ones(3)], items, None, ptr, np.array([5]), rules, 0, 3, out,
                          None, below, found)  # fmt: skip
    with pytest.raises(ValueError, match="scale_ptr must not decrease"):
        module.score_rows([np.ones(3)], items, None, np.array([0, 1, 0]), member,
                          np.ones((2, 2)), 0, 3, np.empty((2, 3)), None, np.zeros(2, np.int64),
                          found)  # fmt: skip
    with pytest.raises(TypeError, match="only codes and answered may be None"):
        module.score_rows([np.ones(3)], items, None, ptr, member, None, 0, 3, out, None,
                          below, found)  # fmt: skip
    with pytest.raises(ValueError, match=r"tile must be in 1\.\.1024"):
        module.score_rows([np.ones(3)], items, None, ptr, member, rules, 0, 3, out, None,
                          below, found, 0)  # fmt: skip


# --- bootstrap resampling counts -----------------------------------------------------------
@compiled_only
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    ("n", "n_boot", "chunk"), [(1, 3, 2), (7, 5, 5), (500, 130, 64), (70_000, 2, 1)]
)
def test_compiled_counts_equal_numpy_counts(n: int, n_boot: int, chunk: int, dtype: type) -> None:
    _, batches = boot._batch_plan(n, n_boot, np.random.default_rng(2026), chunk)

    def draw() -> np.ndarray:
        return boot._draw_counts(batches, n, np.empty((n_boot + 3, n), dtype=dtype)).copy()

    ours = draw()
    with native.disabled():
        theirs = draw()
    assert ours.shape == (n_boot, n)
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours.sum(axis=1), np.full(n_boot, n))
    # Batch by batch gives the same counts as all batches in one call.
    one_by_one = np.vstack([boot._draw_counts([b], n, np.empty((b[2], n))) for b in batches])
    np.testing.assert_array_equal(one_by_one, ours)
    # With copies of chosen rows' counts after each replicate's counts, both ways.
    gather = np.random.default_rng(n).integers(0, n, size=2 * n + 1)

    def draw_gathered() -> np.ndarray:
        out = np.full((n_boot + 3, n + gather.size), np.nan, dtype=dtype)
        return boot._draw_counts(batches, n, out, gather).copy()

    gathered = draw_gathered()
    with native.disabled():
        np.testing.assert_array_equal(draw_gathered(), gathered)
    np.testing.assert_array_equal(gathered[:, :n], ours)
    np.testing.assert_array_equal(gathered[:, n:], ours[:, gather])


def test_batch_states_are_seeded_as_numpy_seeds_sfc64() -> None:
    root = np.random.SeedSequence(12345)
    words = root.generate_state(9, np.uint64).reshape(3, 3)
    states = boot._sfc64_states(words)
    np.testing.assert_array_equal(states[0], np.random.SFC64(root).state["state"]["state"])
    for row, seed in zip(states, words):
        bits = np.random.SFC64()
        bits.state = {"bit_generator": "SFC64", "state": {"state": row}, "has_uint32": 0,
                      "uinteger": 0}  # fmt: skip
        # The stream of a state equals the stream numpy draws after its own seeding.
        reference = np.random.SFC64(0)
        ref_state = reference.state
        ref_state["state"]["state"] = np.array([*seed, 1], dtype=np.uint64)
        reference.state = ref_state
        reference.random_raw(12)
        assert bits.random_raw(5).tolist() == reference.random_raw(5).tolist()


@compiled_only
def test_the_compiled_counts_name_what_they_cannot_use() -> None:
    module = native.get()
    assert module is not None
    states = np.zeros((2, 4), dtype=np.uint64)
    with pytest.raises(ValueError, match="need 3 states"):
        module.bootstrap_counts(states, 5, 2, np.empty((5, 5)))
    with pytest.raises(ValueError, match="not a multiple of n"):
        module.bootstrap_counts(states, 5, 2, np.empty(7))
    with pytest.raises(TypeError, match="float64 or float32"):
        module.bootstrap_counts(states, 5, 2, np.empty((4, 5), dtype=np.int64))
    with pytest.raises(ValueError, match="n must be in"):
        module.bootstrap_counts(states, 0, 2, np.empty((4, 5)))
    gather = np.array([0, 4], dtype=np.int64)
    with pytest.raises(ValueError, match="not a multiple of n = 7"):
        module.bootstrap_counts(states, 5, 2, np.empty((4, 5)), gather)
    with pytest.raises(ValueError, match=r"gather\[1\] = 5 is not a row in 0\.\.4"):
        module.bootstrap_counts(states, 5, 2, np.empty((4, 7)), np.array([0, 5], dtype=np.int64))
    with pytest.raises(ValueError, match="gather"):
        module.bootstrap_counts(states, 5, 2, np.empty((4, 7)), gather.astype(np.int32))


@compiled_only
@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 90),
    t=st.sampled_from([1, 3, 7, 8, 9, 15, 16, 17, 28, 32, 33, 45]),
    n_boot=st.integers(1, 40),
    chunk=st.integers(1, 9),
    seed=st.integers(0, 2**32 - 1),
)
def test_compiled_bootstrap_sums_are_the_counts_times_the_features(
    n: int, t: int, n_boot: int, chunk: int, seed: int
) -> None:
    # Every padded width (8, 16, 32) and the general one, odd and even row counts,
    # partial last batches: the sums equal the product of the same counts.
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, t)) * 10.0 ** rng.integers(-3, 4, size=t)
    _, batches = boot._batch_plan(n, n_boot, np.random.default_rng(seed), chunk)
    states = np.array([state for state, _, _ in batches], dtype=np.uint64)
    counts = boot._draw_counts(batches, n, np.empty((n_boot, n)))
    module = native.get()
    assert module is not None
    sums = np.full((n_boot, t), np.nan)
    module.bootstrap_sums(states, n, chunk, features, sums)
    bound = np.broadcast_to(1e-14 * np.abs(features).sum(axis=0) * n + 1e-300, sums.shape)
    np.testing.assert_array_less(np.abs(sums - counts @ features), bound)


@compiled_only
def test_the_compiled_sums_name_what_they_cannot_use() -> None:
    module = native.get()
    assert module is not None
    states = np.zeros((2, 4), dtype=np.uint64)
    features = np.ones((5, 3))
    with pytest.raises(ValueError, match="need 3 states"):
        module.bootstrap_sums(states, 5, 2, features, np.empty((5, 3)))
    with pytest.raises(ValueError, match="features hold 15 values, not a multiple of n = 4"):
        module.bootstrap_sums(states, 4, 2, features, np.empty((4, 3)))
    with pytest.raises(ValueError, match="out holds 7 values, not a multiple of t = 3"):
        module.bootstrap_sums(states, 5, 2, features, np.empty(7))
    with pytest.raises(ValueError, match="features"):
        module.bootstrap_sums(states, 5, 2, features.astype(np.float32), np.empty((4, 3)))
    with pytest.raises(TypeError, match="not None"):
        module.bootstrap_sums(states, 5, 2, None, np.empty((4, 3)))
    with pytest.raises(ValueError, match="n must be in"):
        module.bootstrap_sums(states, 0, 2, features, np.empty((4, 3)))


def test_row_numbers_are_the_high_half_of_the_product() -> None:
    raw = np.array([0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 1, 0x9E3779B97F4A7C15], np.uint64)
    for n in (1, 2, 3, 500, 65_537, 2**32 - 1):
        expected = [(int(r) * n) >> 64 for r in raw]
        assert boot._row_numbers(raw.copy(), n).tolist() == expected


@pytest.mark.usefixtures("kernels")
def test_resampled_rows_are_uniform() -> None:
    # 400 replicates of 250 rows: each row's total count is Binomial(100,000, 1/250).
    counts = np.vstack(list(boot.bootstrap_count_batches(250, 400, np.random.default_rng(9))))
    totals = counts.sum(axis=0)
    assert stats.chisquare(totals).pvalue > 1e-4
    assert np.all(counts.sum(axis=1) == 250)


def test_threads_follow_the_cpus_the_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from peoscales._kernels import _threads
    from peoscales._kernels import scoring as scoring_kernel

    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert _threads.usable_cpus() == 1
    assert boot._boot_threads(1000) == 1
    assert scoring_kernel._thread_shares(10**6, 1024) == [(0, 10**6)]
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 5}, raising=False)
    assert _threads.usable_cpus() == 4
    assert boot._boot_threads(1000) == 4
    assert len(scoring_kernel._thread_shares(10**6, 1024)) == 4
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert _threads.usable_cpus() == 64  # no affinity masks: the machine's count


# --- pairwise Pearson operands -------------------------------------------------------------
@compiled_only
def test_the_pearson_operands_name_what_they_cannot_use() -> None:
    module = native.get()
    assert module is not None
    out = np.empty(3 * 2 * 4, dtype=np.float32)
    columns = [np.array([1.0, 2.0, np.nan]), np.array([3.0, 4.0, 5.0])]
    assert module.pearson_block(columns, np.array([2.0, 4.0]), 35.0, 0, 3, out, 4)
    operands = out.reshape(6, 4)[:, :3]
    np.testing.assert_array_equal(operands[:2], [[1, 1, 0], [1, 1, 1]])  # answered
    np.testing.assert_array_equal(operands[2:4], [[-1, 0, 0], [-1, 0, 1]])  # centred
    np.testing.assert_array_equal(operands[4:], [[1, 0, 0], [1, 0, 1]])  # squares
    assert not module.pearson_block(columns, np.array([2.0, 4.0]), 0.5, 0, 3, out, 4)
    with pytest.raises(TypeError, match="column 1 must hold float64 or float32"):
        module.pearson_block([columns[0], np.arange(3)], np.zeros(2), 1.0, 0, 3, out, 4)
    with pytest.raises(ValueError, match="rows 0:4 do not fit 0:3"):
        module.pearson_block(columns, np.zeros(2), 1.0, 0, 4, out, 4)
    with pytest.raises(ValueError, match="out: expected 24 values"):
        module.pearson_block(columns, np.zeros(2), 1.0, 0, 3, out[:-1], 4)


# --- bootstrap alphas from their sums ------------------------------------------------------
@compiled_only
@given(
    k=st.integers(2, 9),
    reps=st.integers(1, 40),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=60, deadline=None)
def test_compiled_alphas_from_sums_equal_numpy_to_the_bit(k: int, reps: int, seed: int) -> None:
    # Random sums (and pairs with fewer than two rows, which give NaN): the compiled
    # alphas are the numpy formulas in the same order, so the same to the last bit.
    rng = np.random.default_rng(seed)
    t = k * (k + 1) // 2
    sums = rng.normal(size=(t + k + 1, reps)) * 50
    sums[t + k] = rng.integers(1, 60, size=reps)
    segments = rng.integers(0, 3, size=(k, 2 * k, reps)).astype(float)
    compiled = boot._alpha_from_sums(sums, segments)
    with native.disabled():
        expected = boot._alpha_from_sums(sums, segments)
    np.testing.assert_array_equal(compiled, expected)


@compiled_only
def test_the_compiled_alphas_name_what_they_cannot_use() -> None:
    module = native.get()
    assert module is not None
    sums, segments, out = np.zeros((6, 3)), np.zeros((2, 4, 3)), np.empty(3)
    module.alpha_from_sums(sums, segments, out)
    with pytest.raises(ValueError, match=r"segments must be \(k, 2k, 3\)"):
        module.alpha_from_sums(sums, np.zeros((1, 2, 3)), out)
    with pytest.raises(ValueError, match="sums: expected 18 values"):
        module.alpha_from_sums(sums[:5], segments, out)
    with pytest.raises(ValueError, match="a non-empty out"):
        module.alpha_from_sums(sums, segments, np.empty(0))
