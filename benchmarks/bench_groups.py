"""Descriptives, t-test, ANOVA with post-hoc tests and crosstabs versus pandas and pingouin.

Run: ``python benchmarks/bench_groups.py [n_rows]`` (default 200,000 respondents, four
unequal groups, 5% of the outcome missing).

Each row pits one peoscales call against the baseline that gives the same numbers
(pandas ``agg`` for descriptives; pingouin ``ttest``, ``anova`` + ``pairwise_tukey``,
``welch_anova`` + ``pairwise_gameshowell`` and ``chi2_independence``) and asserts that
they agree. Time is the best of three runs; peak memory (tracemalloc) is measured in a
separate run.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import pingouin as pg

import peoscales
from _harness import MB, best_time, peak_bytes, record


def make_data(n_rows: int, seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    groups = rng.choice(["jh", "jb", "jr", "gs"], size=n_rows, p=[0.45, 0.3, 0.15, 0.1])
    shift = pd.Series({"jh": 0.0, "jb": -0.3, "jr": -0.1, "gs": 0.25})[groups].to_numpy()
    spread = pd.Series({"jh": 0.6, "jb": 0.8, "jr": 0.5, "gs": 0.7})[groups].to_numpy()
    data = pd.DataFrame({"type": groups})
    for j in range(8):
        y = 3.4 + shift + spread * rng.standard_normal(n_rows)
        y[rng.random(n_rows) < 0.05] = np.nan
        data[f"y{j}"] = y
    data["sex"] = np.where(rng.random(n_rows) < 0.3 + 0.2 * (groups == "jb"), "man", "vrouw")
    return data


def psych_describe_pandas(data: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """psych::describe columns with plain pandas (skew/kurtosis converted to type 3)."""
    x = data[cols]
    out = x.agg(["count", "mean", "std", "median", "min", "max"]).T
    n = out["count"]
    dev = x - x.mean()
    out["skew"] = (dev**3).sum() / (n * out["std"] ** 3)
    out["kurtosis"] = (dev**4).sum() / (n * out["std"] ** 4) - 3
    return out


def main() -> None:
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    data = make_data(n_rows)
    cols = [f"y{j}" for j in range(8)]
    complete = data.dropna(subset=["y0"])  # pingouin needs complete rows
    rows: list[tuple[str, Callable[[], object], Callable[[], object], float]] = []
    # The name each row's speed-up is recorded under, in the order of the rows.
    keys = ["describe", "welch_ttest", "anova_tukey", "welch_anova_gameshowell", "crosstab"]

    # describe
    ours = peoscales.describe(data, cols).to_frame()
    base = psych_describe_pandas(data, cols)
    diff = max(
        np.abs(ours[a].to_numpy() - base[b].to_numpy()).max()
        for a, b in [("mean", "mean"), ("sd", "std"), ("median", "median"), ("skew", "skew")]
    )
    assert diff < 1e-9, diff
    rows.append(
        (
            "describe, 8 columns",
            lambda: peoscales.describe(data, cols),
            lambda: psych_describe_pandas(data, cols),
            diff,
        )
    )

    # Welch t-test
    two = complete[complete["type"].isin(["jh", "jb"])]
    t_ours = peoscales.ttest(complete, "y0", "type", groups=("jh", "jb"))
    t_base = pg.ttest(
        two.loc[two["type"] == "jh", "y0"], two.loc[two["type"] == "jb", "y0"], correction=True
    )
    diff = abs(t_ours.t - float(t_base["T"].iloc[0]))
    assert diff < 1e-9, diff
    rows.append(
        (
            "Welch t-test with d, g and CIs",
            lambda: peoscales.ttest(complete, "y0", "type", groups=("jh", "jb")),
            lambda: pg.ttest(
                two.loc[two["type"] == "jh", "y0"],
                two.loc[two["type"] == "jb", "y0"],
                correction=True,
            ),
            diff,
        )
    )

    # ANOVA + Tukey
    a_ours = peoscales.anova(complete, "y0", "type", posthoc="tukey")
    a_base = pg.pairwise_tukey(complete, dv="y0", between="type")
    merged = a_ours.posthoc.merge(a_base, left_on=["group1", "group2"], right_on=["A", "B"])
    diff = max(
        abs(a_ours.f - float(pg.anova(complete, dv="y0", between="type")["F"].iloc[0])),
        np.abs(merged["p"] - merged["p_tukey"]).max(),
    )
    assert len(merged) == 6 and diff < 1e-6, diff
    rows.append(
        (
            "ANOVA + Tukey HSD",
            lambda: peoscales.anova(complete, "y0", "type", posthoc="tukey"),
            lambda: (
                pg.anova(complete, dv="y0", between="type"),
                pg.pairwise_tukey(complete, dv="y0", between="type"),
            ),
            diff,
        )
    )

    # Welch ANOVA + Games-Howell
    w_ours = peoscales.anova(complete, "y0", "type", welch=True)
    w_base = pg.welch_anova(complete, dv="y0", between="type")
    g_base = pg.pairwise_gameshowell(complete, dv="y0", between="type")
    merged = w_ours.posthoc.merge(g_base, left_on=["group1", "group2"], right_on=["A", "B"])
    diff = max(
        abs(w_ours.welch["f"] - float(w_base["F"].iloc[0])),
        np.abs(merged["p"] - merged["pval"]).max(),
    )
    assert len(merged) == 6 and diff < 1e-6, diff
    rows.append(
        (
            "Welch ANOVA + Games-Howell",
            lambda: peoscales.anova(complete, "y0", "type", welch=True),
            lambda: (
                pg.welch_anova(complete, dv="y0", between="type"),
                pg.pairwise_gameshowell(complete, dv="y0", between="type"),
            ),
            diff,
        )
    )

    # crosstab 2 x 4
    x_ours = peoscales.crosstab(data, "sex", "type")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, _, x_base = pg.chi2_independence(data, "sex", "type")
    diff = abs(x_ours.chi2 - float(x_base.loc[0, "chi2"]))
    assert diff < 1e-6 * x_ours.chi2, diff

    def pingouin_chi2() -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pg.chi2_independence(data, "sex", "type")

    rows.append(
        (
            "crosstab 2 x 4 (chi-square, V)",
            lambda: peoscales.crosstab(data, "sex", "type"),
            pingouin_chi2,
            diff,
        )
    )

    mb = 1 / MB
    print(f"Group comparisons, {n_rows:,} respondents, 4 groups (baseline: pandas / pingouin)")
    header = f"{'analysis':32}{'ours (s)':>10}{'base (s)':>10}{'speed-up':>10}"
    header += f"{'ours MB':>10}{'base MB':>10}{'max |diff|':>12}"
    print(header)
    speedups = {}
    for key, (name, fn_ours, fn_base, d) in zip(keys, rows, strict=True):
        t1, t2 = best_time(fn_ours), best_time(fn_base)
        m1, m2 = peak_bytes(fn_ours), peak_bytes(fn_base)
        speedups[key] = t2 / t1
        print(
            f"{name:32}{t1:10.3f}{t2:10.3f}{t2 / t1:9.1f}x{m1 * mb:10.1f}{m2 * mb:10.1f}{d:12.1e}"
        )
    record("bench_groups", speedups, size=f"{n_rows:,} respondents, 4 groups")


if __name__ == "__main__":
    main()
