"""BLAS thread limiting under concurrency.

The limit is process-wide, so overlapping callers must share it: after any mix of
concurrent calls (and calls that fail half-way) the original number of BLAS threads
must be back, and results must equal the serial ones.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales._kernels import _blas
from peoscales._kernels._blas import blas_threads, single_blas_thread


@pytest.fixture
def two_blas_threads() -> Iterator[list[int]]:
    """Skip unless BLAS runs on several threads here (else a lost limit would not show).

    The counts are not raised by the test itself: OpenBLAS ignores a thread count set
    from another thread once the main thread has set one, which would hide what the
    code under test does.
    """
    original = blas_threads()
    if not original:
        pytest.skip("threadpoolctl finds no BLAS library in this numpy")
    if max(original) < 2:
        pytest.skip("BLAS runs on one thread here, so a limit left behind would not show")
    yield original
    assert blas_threads() == original


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    data = peoscales.simulate("wbns", 400, seed=3, missing_share=0.05)
    return data


def test_nested_blocks_restore_on_the_last_exit(two_blas_threads) -> None:
    with single_blas_thread():
        assert set(blas_threads()) == {1}
        with single_blas_thread():
            assert set(blas_threads()) == {1}
        assert set(blas_threads()) == {1}  # the outer block still holds the limit
    assert blas_threads() == two_blas_threads


class _FakeLibrary:
    """Stands in for a BLAS library: one process-wide thread count, as OpenBLAS has."""

    def __init__(self) -> None:
        self.num_threads = 2


class _FakeLimiter:
    def __init__(self, library: _FakeLibrary, limits: int) -> None:
        self.library, self.original = library, library.num_threads
        library.num_threads = limits

    def restore_original_limits(self) -> None:
        self.library.num_threads = self.original


class _FakeController:
    def __init__(self) -> None:
        self.library = _FakeLibrary()

    def limit(self, *, limits: int, user_api: str) -> _FakeLimiter:
        return _FakeLimiter(self.library, limits)


def test_overlapping_blocks_in_threads_restore_the_original(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The failure this guards against: thread B enters while A holds the limit, saves
    # "1" as the original, and restores 1 after A has restored 2, for good. A fake
    # library makes the order of events exact (real OpenBLAS also ignores some counts
    # set from threads other than the main one, which would blur the picture).
    fake = _FakeController()
    monkeypatch.setattr(_blas, "_blas_controller", lambda: fake)
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()
    seen_by_b: list[int] = []

    def first() -> None:
        with single_blas_thread():
            a_inside.set()
            assert b_inside.wait(5)
        a_left.set()

    def second() -> None:
        assert a_inside.wait(5)
        with single_blas_thread():
            b_inside.set()
            assert a_left.wait(5)
            seen_by_b.append(fake.library.num_threads)  # A has left; B still inside

    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(first), pool.submit(second)]:
            future.result()
    assert seen_by_b == [1]
    assert fake.library.num_threads == 2
    assert _blas._holders == 0


def test_exception_inside_the_block_restores(two_blas_threads) -> None:
    with pytest.raises(RuntimeError), single_blas_thread():
        raise RuntimeError("half-way")
    assert blas_threads() == two_blas_threads


def test_concurrent_corr_matrix_and_bootstrap_equal_serial_and_restore(
    two_blas_threads, answers: pd.DataFrame
) -> None:
    def corr() -> np.ndarray:
        return peoscales.corr_matrix(answers).r.to_numpy()

    def boot() -> float:
        res = peoscales.reliability(answers, "wbns", ci_method="bootstrap", n_boot=200, seed=5)
        return float(res.to_frame()["ci_low"].iloc[0])

    serial_r, serial_low = corr(), boot()
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(corr if i % 2 else boot) for i in range(8)]
        results = [f.result() for f in futures]
    for i, result in enumerate(results):
        if i % 2:
            np.testing.assert_array_equal(result, serial_r)
        else:
            assert result == serial_low
    assert blas_threads() == two_blas_threads


def test_a_call_failing_mid_way_restores(two_blas_threads, answers: pd.DataFrame) -> None:
    bad = answers.copy()
    bad.iloc[0, 0] = 99  # out of the declared range: raises inside reliability

    def failing() -> None:
        with pytest.raises(peoscales.errors.PeoscalesError):
            peoscales.reliability(bad, "wbns", ci_method="bootstrap", n_boot=200, seed=5)

    with ThreadPoolExecutor(4) as pool:
        for future in [pool.submit(failing) for _ in range(4)]:
            future.result()
    assert blas_threads() == two_blas_threads


def test_scoring_shares_the_limit_with_other_callers(two_blas_threads) -> None:
    # score limits BLAS for large inputs. Overlapping (not nested) with another holder
    # of the limit, a limit of its own saved the other's "1" as the original and put it
    # back when it ended, after the other had restored the real count.
    from peoscales._kernels import native
    from peoscales._scoring import _single_threaded_blas

    with native.disabled():  # the compiled kernel uses no BLAS and sets no limit
        scoring = _single_threaded_blas(10**6)
    outer = single_blas_thread()
    outer.__enter__()
    scoring.__enter__()
    outer.__exit__(None, None, None)
    assert set(blas_threads()) == {1}  # scoring still runs
    scoring.__exit__(None, None, None)
    assert blas_threads() == two_blas_threads


@pytest.mark.usefixtures("kernels")
def test_concurrent_scoring_restores_and_equals_serial(two_blas_threads) -> None:
    data = peoscales.simulate("brs", 40_000, seed=2)  # 240,000 cells: the limited path
    serial = peoscales.score(data, "brs")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: peoscales.score(data, "brs"), range(4)))
    for result in results:
        pd.testing.assert_frame_equal(result, serial)
    assert blas_threads() == two_blas_threads
