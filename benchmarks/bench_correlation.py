"""Pairwise Pearson correlations with n and p versus ``pandas.DataFrame.corr()``.

Run: ``python benchmarks/bench_correlation.py [n_rows] [n_cols]`` (default 100,000 x 100
with 10% of the values missing at random).

peoscales returns r, n, p, adjusted p and confidence intervals; pandas returns r alone.
Both must agree on r. Time is the best of three runs each; peak memory is measured with
tracemalloc in a separate run and compared with the size of the input.

The matrix products use the BLAS threads numpy is built with; on a machine whose cores
are busy with other work, threaded BLAS can slow down badly, and
``OPENBLAS_NUM_THREADS=1 python benchmarks/bench_correlation.py`` gives a steadier
single-threaded comparison (pandas is single-threaded).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

import peoscales
from _harness import MB, best_time, peak_bytes, record


def make_data(n_rows: int, n_cols: int, seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    factor = rng.standard_normal((n_rows, 1))
    x = 0.5 * factor + rng.standard_normal((n_rows, n_cols)) + 3.0
    x[rng.random(x.shape) < 0.10] = np.nan
    return pd.DataFrame(x, columns=[f"v{j}" for j in range(n_cols)])


def main() -> None:
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_cols = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    data = make_data(n_rows, n_cols)
    input_bytes = data.memory_usage(index=False).sum()

    def ours() -> peoscales.CorrelationResult:
        return peoscales.corr_matrix(data)

    def baseline() -> pd.DataFrame:
        return data.corr()

    result = ours()
    reference = baseline()
    diff = np.nanmax(np.abs(result.r.to_numpy() - reference.to_numpy()))
    assert diff < 1e-10, f"r differs from pandas by {diff:.2e}"
    mask = data.notna().to_numpy().astype(np.int64)
    assert np.array_equal(result.n.to_numpy(), mask.T @ mask), "pairwise n is wrong"

    t_ours = best_time(ours, 3)
    t_base = best_time(baseline, 3)
    m_ours = peak_bytes(ours)
    m_base = peak_bytes(baseline)
    mb = 1 / MB
    print(f"Pairwise Pearson, {n_rows:,} x {n_cols}, 10% missing (input {input_bytes * mb:.0f} MB)")
    print(f"{'':34}{'time (s)':>10}{'peak (MB)':>12}{'peak/input':>12}")
    print(
        f"{'peoscales.corr_matrix (r, n, p, CI)':34}{t_ours:10.3f}{m_ours * mb:12.1f}"
        f"{m_ours / input_bytes:12.2f}"
    )
    print(
        f"{'pandas DataFrame.corr() (r only)':34}{t_base:10.3f}{m_base * mb:12.1f}"
        f"{m_base / input_bytes:12.2f}"
    )
    print(f"speed-up: {t_base / t_ours:.1f}x   max |r difference|: {diff:.1e}")
    record("bench_correlation", {"speed": t_base / t_ours}, size=f"{n_rows:,} x {n_cols}")


if __name__ == "__main__":
    main()
