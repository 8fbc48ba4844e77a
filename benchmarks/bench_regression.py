"""Hierarchical regression with betas and VIFs: peoscales.regress vs statsmodels by hand.

Data: 200,000 respondents, 8 numeric predictors and a 4-level categorical one, 2% missing
values. Model: two blocks (6 predictors, then 2 predictors and the category), the full SPSS
table (b, SE, beta, t, p, CI, VIF) and the R² change.

The baseline is what an analyst writes with statsmodels alone: listwise deletion with
pandas, ``smf.ols`` for each step, betas from z-scored columns, ``anova_lm`` for the R²
change and ``variance_inflation_factor`` per predictor (one auxiliary regression each).
Both must agree to 1e-8.

Run: python benchmarks/bench_regression.py [--n 200000]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm
from statsmodels.stats.outliers_influence import variance_inflation_factor

import peoscales
from _harness import peak_mb, record, timed

BLOCK1 = [f"x{j}" for j in range(1, 7)]
BLOCK2 = ["x7", "x8", "group"]


def make_data(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)) + 0.3 * rng.normal(size=(n, 1))
    group = rng.choice(["a", "b", "c", "d"], size=n)
    y = x @ np.linspace(0.5, -0.3, 8) + (group == "b") * 0.4 + rng.normal(size=n)
    frame = pd.DataFrame(x, columns=[f"x{j}" for j in range(1, 9)]).assign(y=y, group=group)
    for col in ["y", "x2", "x7"]:
        frame.loc[rng.random(n) < 0.02, col] = np.nan
    return frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    args = parser.parse_args()
    data = make_data(args.n)

    def ours():
        res = peoscales.regress(data, "y", blocks=[BLOCK1, BLOCK2], reference={"group": "a"})
        table = res.to_frame()
        return (
            table["b"].to_numpy(),
            table["beta"].to_numpy()[1:],
            table["vif"].to_numpy()[1:],
            res.steps[1].f_change,
        )

    def baseline():
        frame = data.dropna(subset=["y", *BLOCK1, *BLOCK2])
        m1 = smf.ols("y ~ " + " + ".join(BLOCK1), frame).fit()
        m2 = smf.ols("y ~ " + " + ".join([*BLOCK1, "x7", "x8", "C(group)"]), frame).fit()
        f_change = anova_lm(m1, m2)["F"].iloc[1]
        exog = m2.model.exog
        z = (exog[:, 1:] - exog[:, 1:].mean(axis=0)) / exog[:, 1:].std(axis=0, ddof=1)
        zy = (frame["y"] - frame["y"].mean()) / frame["y"].std(ddof=1)
        beta = np.linalg.lstsq(np.column_stack([np.ones(len(z)), z]), zy.to_numpy(), rcond=None)[0][
            1:
        ]
        vif = np.array([variance_inflation_factor(exog, j) for j in range(1, exog.shape[1])])
        # patsy puts the dummies first; reorder to peoscales' order (block order).
        names = m2.model.exog_names[1:]
        order = [names.index(n) for n in [*BLOCK1, "x7", "x8"]] + [
            names.index(f"C(group)[T.{g}]") for g in "bcd"
        ]
        b = np.concatenate([[m2.params.iloc[0]], m2.params.iloc[1:].to_numpy()[order]])
        return b, beta[order], vif[order], f_change

    mine, t_ours = timed(ours, repeat=3)
    theirs, t_base = timed(baseline, repeat=3)
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-8)
    m_ours = peak_mb(ours)
    m_base = peak_mb(baseline)
    print(f"hierarchical regression, n = {args.n:,}, 2 blocks, 11 design columns")
    print(f"{'':<28}{'time (s)':>10}{'peak (MB)':>12}")
    print(f"{'peoscales.regress':<28}{t_ours:>10.3f}{m_ours:>12.1f}")
    print(f"{'statsmodels by hand':<28}{t_base:>10.3f}{m_base:>12.1f}")
    print(f"{'ratio (baseline / ours)':<28}{t_base / t_ours:>10.2f}{m_base / m_ours:>12.2f}")
    print("results agree to 1e-8 (b, beta, VIF, F change)")
    record("bench_regression", {"speed": t_base / t_ours}, size=f"n = {args.n:,}, 2 blocks")


if __name__ == "__main__":
    main()
