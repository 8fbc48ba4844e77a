"""Factor models: parallel analysis and CFA, peoscales against the usual routes.

1. Parallel analysis, 2,000 respondents x 30 items: peoscales (batched correlation
   matrices and batched eigvalsh) against a Python loop doing the same per replicate
   (normal data, ``np.corrcoef`` and ``np.linalg.eigvalsh``: the arithmetic of a loop
   of factor_analyzer fits without their optimiser, as ``FactorAnalyzer.fit`` fails
   with current scikit-learn), and against R's ``psych::fa.parallel`` (timed inside R
   with ``--r``). peoscales draws the correlation matrices from their Wishart
   distribution, so the mean random eigenvalues agree within Monte Carlo error.
2. CFA of W-BNS (18 items, 3 factors) on 10,000 rows resampled from the demo data:
   peoscales.cfa against semopy (ML), with the largest difference in the loadings.

Run: python benchmarks/bench_factor.py [--replicates 1000] [--r]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import peoscales as ps
from _harness import record, timed


def make_items(n: int = 2000, k: int = 30, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(n, 3))
    loadings = np.zeros((k, 3))
    loadings[np.arange(k), np.arange(k) % 3] = 0.7
    x = factors @ loadings.T + rng.normal(scale=0.7, size=(n, k))
    return pd.DataFrame(np.clip(np.round(3 + x), 1, 5), columns=[f"i{j + 1}" for j in range(k)])


def parallel(b: int, with_r: bool) -> float:
    data = make_items()
    n, p = data.shape

    def ours():
        return ps.parallel_analysis(data, n_boot=b, seed=7).eigenvalues

    def loop():
        rng = np.random.default_rng(7)
        pc, fa = np.empty((b, p)), np.empty((b, p))
        for r in range(b):
            corr = np.corrcoef(rng.standard_normal((n, p)), rowvar=False)
            pc[r] = np.linalg.eigvalsh(corr)[::-1]
            reduced = corr.copy()
            np.fill_diagonal(reduced, 1 - 1 / np.diag(np.linalg.inv(corr)))
            fa[r] = np.linalg.eigvalsh(reduced)[::-1]
        return pc.mean(axis=0), fa.mean(axis=0)

    table, t_ours = timed(ours, repeat=3)
    (pc_mean, fa_mean), t_loop = timed(loop, repeat=1)
    diff = max(
        np.abs(table["pc_random_mean"].to_numpy() - pc_mean).max(),
        np.abs(table["fa_random_mean"].to_numpy() - fa_mean).max(),
    )
    # Different draws of the same distribution: Monte Carlo error of a mean of b values.
    assert diff < 0.02 * np.sqrt(1000 / b), f"random eigenvalues differ by {diff}"
    print(f"parallel analysis, {b} replicates, {n} x {p} items")
    print(f"{'':<34}{'time (s)':>10}")
    print(f"{'peoscales.parallel_analysis':<34}{t_ours:>10.3f}")
    print(f"{'loop of corrcoef + eigvalsh':<34}{t_loop:>10.3f}   speed-up {t_loop / t_ours:.0f}x")
    if with_r:
        t_r = r_parallel(data, b)
        print(f"{'psych::fa.parallel (in R)':<34}{t_r:>10.3f}   speed-up {t_r / t_ours:.0f}x")
    print(f"max |diff| of mean random eigenvalues {diff:.1e}\n")
    return t_loop / t_ours


def r_parallel(data: pd.DataFrame, b: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.csv"
        data.to_csv(path, index=False)
        script = (
            "suppressPackageStartupMessages(library(psych)); "
            f"x <- read.csv('{path}'); "
            f"t <- system.time(fa.parallel(x, n.iter = {b}, plot = FALSE))[['elapsed']]; "
            "cat(t)"
        )
        out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().split()[-1])


def cfa_bench(rows: int) -> float:
    demo = ps.demo.load_mental_fitness()
    instrument = ps.get_instrument("wbns")
    items = [i for s in instrument.scales.values() for i in s.items]
    complete = demo[items].dropna()
    rng = np.random.default_rng(3)
    data = complete.iloc[rng.integers(0, len(complete), rows)].reset_index(drop=True)
    for scale in instrument.scales.values():
        for item in scale.reverse:
            data[item] = 6 - data[item]
    mapping = {name: list(scale.items) for name, scale in instrument.scales.items()}

    def ours():
        return ps.cfa(data, mapping)

    def semopy_fit():
        import semopy

        desc = "\n".join(f"{f} =~ {' + '.join(v)}" for f, v in mapping.items())
        model = semopy.Model(desc)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(data)
        return model.inspect()

    result, t_ours = timed(ours, repeat=3)
    estimates, t_semopy = timed(semopy_fit, repeat=1)
    theirs = estimates[estimates["op"] == "~"].set_index(["rval", "lval"])["Estimate"]
    ours_b = result.loadings["b"]
    diff = max(abs(ours_b.loc[(f, i)] - theirs.loc[(f, i)]) for f, i in ours_b.index)
    print(f"CFA of W-BNS, {rows} rows x {len(items)} items, 3 factors (ML)")
    print(f"{'':<34}{'time (s)':>10}")
    print(f"{'peoscales.cfa':<34}{t_ours:>10.3f}")
    print(f"{'semopy.Model.fit':<34}{t_semopy:>10.3f}   speed-up {t_semopy / t_ours:.0f}x")
    print(f"max |diff| of loadings against semopy {diff:.1e}")
    print(json.dumps({"chi2": round(result.chi2, 4), "df": result.df}))
    return t_semopy / t_ours


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--r", action="store_true", help="also time psych::fa.parallel in R")
    args = parser.parse_args()
    speedups = {
        "parallel_analysis.speed": parallel(args.replicates, args.r),
        "cfa.speed": cfa_bench(args.rows),
    }
    record(
        "bench_factor",
        speedups,
        size=f"2,000 x 30 items, {args.replicates:,} replicates; CFA {args.rows:,} rows",
    )


if __name__ == "__main__":
    main()
