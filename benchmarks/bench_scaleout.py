"""Correlations and scores of data read in partitions versus the same data in memory.

Run: ``python benchmarks/bench_scaleout.py [n_rows] [n_cols] [n_partitions]`` (default
400,000 x 30 in 20 partitions, 10% missing, one column with a 1e6 offset).

The dask runs make every partition on demand (as a reader of files would), so the whole
data set is never in memory; the baselines (``peoscales.corr_matrix``, ``peoscales.score``
and ``dask``'s own ``DataFrame.corr``, which gives r only) work on the data as one
pandas DataFrame. All must agree. Time is the best of two runs; peak memory is traced
with tracemalloc in a separate run (for the in-memory baselines it includes making the
data, which is what holding it in memory costs).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

import peoscales
from _harness import record
from peoscales.errors import IncompleteScoresWarning


def make_piece(spec: tuple[int, int, int]) -> pd.DataFrame:
    """One partition: ``rows`` rows of ``cols`` correlated columns, made from its seed."""
    seed, rows, cols = spec
    rng = np.random.default_rng(seed)
    factor = rng.standard_normal((rows, 1))
    x = 0.5 * factor + rng.standard_normal((rows, cols)) + 3.0
    x[:, 0] += 1e6
    x[rng.random(x.shape) < 0.10] = np.nan
    return pd.DataFrame(x, columns=[f"v{j}" for j in range(cols)])


def make_items(spec: tuple[int, int, int]) -> pd.DataFrame:
    """One partition of BRS, SWING-12 and W-BNS answers (codes, 10% missing)."""
    seed, rows, _ = spec
    rng = np.random.default_rng(seed)
    names = [
        iid for name in ("brs", "swing12", "wbns") for iid in peoscales.get_instrument(name).items
    ]
    high = np.array([4 if n.startswith("swing") else 5 for n in names])
    codes = rng.integers(1, high + 1, size=(rows, len(names))).astype(float)
    codes[rng.random(codes.shape) < 0.10] = np.nan
    return pd.DataFrame(codes, columns=names)


def specs(n_rows: int, n_cols: int, parts: int) -> list[tuple[int, int, int]]:
    sizes = np.diff(np.linspace(0, n_rows, parts + 1).astype(int))
    return [(2026 + k, int(size), n_cols) for k, size in enumerate(sizes)]


def lazy(maker: Callable, spec_list: list[tuple[int, int, int]]) -> dd.DataFrame:
    meta = maker((0, 0, spec_list[0][2]))
    return dd.from_map(maker, spec_list, meta=meta, enforce_metadata=False)


def best_time(fn: Callable[[], object], repeat: int = 2) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
    n_cols = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    parts = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    spec_list = specs(n_rows, n_cols, parts)
    warnings.simplefilter("ignore", IncompleteScoresWarning)
    dask.config.set(scheduler="threads")

    def whole(maker: Callable) -> pd.DataFrame:
        return pd.concat([maker(s) for s in spec_list], ignore_index=True)

    # Correctness first: every method agrees with the in-memory result.
    data = whole(make_piece)
    ours = peoscales.corr_matrix_dask(lazy(make_piece, spec_list))
    theirs = peoscales.corr_matrix(data)
    dask_r = lazy(make_piece, spec_list).corr().compute()
    np.testing.assert_allclose(ours.r, theirs.r, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.p, theirs.p, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.r, dask_r, rtol=0, atol=1e-8)
    items = whole(make_items)
    scored = peoscales.score_dask(lazy(make_items, spec_list), ["brs", "swing12", "wbns"])
    in_memory = peoscales.score(items, ["brs", "swing12", "wbns"])
    np.testing.assert_allclose(scored.compute().to_numpy(), in_memory.to_numpy(), atol=1e-12)
    del data, items

    cases: list[tuple[str, Callable[[], object]]] = [
        (
            "corr_matrix_dask (partitions)",
            lambda: peoscales.corr_matrix_dask(lazy(make_piece, spec_list)),
        ),
        ("corr_matrix (all in memory)", lambda: peoscales.corr_matrix(whole(make_piece))),
        ("dask DataFrame.corr, r only", lambda: lazy(make_piece, spec_list).corr().compute()),
        (
            "score_dask, then .mean()",
            lambda: (
                peoscales.score_dask(lazy(make_items, spec_list), ["brs", "swing12", "wbns"])
                .mean()
                .compute()
            ),
        ),
        (
            "score (all in memory), .mean()",
            lambda: peoscales.score(whole(make_items), ["brs", "swing12", "wbns"]).mean(),
        ),
    ]
    print(f"{n_rows:,} rows x {n_cols} columns in {parts} partitions (10% missing)\n")
    print(f"{'method':34} {'time (s)':>9} {'peak MB':>9}")
    results = {}
    for name, fn in cases:
        seconds = best_time(fn)
        mb = peak_mb(fn)
        results[name] = (seconds, mb)
        print(f"{name:34} {seconds:9.2f} {mb:9.1f}")
    ours_t, ours_mb = results["corr_matrix_dask (partitions)"]
    base_t, base_mb = results["corr_matrix (all in memory)"]
    dask_t, _ = results["dask DataFrame.corr, r only"]
    print(
        f"\ncorr_matrix_dask / corr_matrix: time {ours_t / base_t:.2f}x, "
        f"peak memory {ours_mb / base_mb:.2f}x; / dask corr: time {ours_t / dask_t:.2f}x"
    )
    s_t, s_mb = results["score_dask, then .mean()"]
    b_t, b_mb = results["score (all in memory), .mean()"]
    print(f"score_dask / score: time {s_t / b_t:.2f}x, peak memory {s_mb / b_mb:.2f}x")
    record(
        "bench_scaleout",
        {
            "corr.time": ours_t / base_t,
            "corr.memory": ours_mb / base_mb,
            "score.time": s_t / b_t,
            "score.memory": s_mb / b_mb,
        },
        size=f"{n_rows:,} rows x {n_cols} columns, {parts} partitions",
    )


if __name__ == "__main__":
    main()
