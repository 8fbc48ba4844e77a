"""Speed of peo.trend against the pandas and scipy an analyst would write.

Run: python benchmarks/bench_trend.py

Three waves of synthetic coded answers (an ordinal item and a 1-10 mark) of growing
size: peo.trend gives the shares per wave, the chi-square test, the trend tests and the
means with the ANOVA; the baseline stacks the waves and uses ``pd.crosstab``,
``scipy.stats.chi2_contingency`` and ``scipy.stats.f_oneway`` for the same counts and
statistics, checked equal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from _harness import peak_mb, record, timed
from peoscales import peo

WAVES = ("2020-05", "2021-09", "2022-04")


def baseline(waves: dict[str, pd.DataFrame]) -> tuple[np.ndarray, float, float]:
    stacked = pd.concat(waves, names=["wave"]).reset_index(level=0)
    table = pd.crosstab(stacked["wave"], stacked["equipped"])
    chi2 = stats.chi2_contingency(table.to_numpy(), correction=False).statistic
    marks = stacked.dropna(subset=["work_pleasure"])
    f = stats.f_oneway(*[g.to_numpy() for _, g in marks.groupby("wave")["work_pleasure"]])
    return table.to_numpy(), float(chi2), float(f.statistic)


def main() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for n in (10_000, 100_000, 300_000):
        waves = {
            w: pd.DataFrame(
                {
                    "equipped": rng.integers(1, 5, n).astype(float),
                    "work_pleasure": rng.integers(1, 11, n).astype(float),
                }
            )
            for w in WAVES
        }
        waves["2020-05"] = waves["2020-05"][["equipped"]]
        ours, t_ours = timed(lambda w=waves: peo.trend(w, ["equipped", "work_pleasure"]), 3)
        base, t_base = timed(lambda w=waves: baseline(w), 3)
        counts = ours.counts.loc["Toegerust om vak uit te oefenen"].to_numpy(dtype=np.int64)
        assert np.array_equal(counts.T, base[0])
        assert np.isclose(ours.tests["chi2"].iloc[0], base[1], rtol=1e-10)
        assert np.isclose(ours.mean_tests["f"].iloc[0], base[2], rtol=1e-10)
        m_ours = peak_mb(lambda w=waves: peo.trend(w, ["equipped", "work_pleasure"]))
        m_base = peak_mb(lambda w=waves: baseline(w))
        rows.append((n, t_ours, t_base, m_ours, m_base))
    print(
        f"{'n per wave':>10}{'ours s':>10}{'pandas s':>10}{'ratio':>8}{'ours MiB':>10}{'pandas MiB':>12}"
    )
    for n, t1, t2, m1, m2 in rows:
        print(f"{n:>10}{t1:>10.4f}{t2:>10.4f}{t1 / t2:>8.2f}{m1:>10.1f}{m2:>12.1f}")
    n, t1, t2, *_ = rows[-1]
    # speed as in the other benchmarks: pandas and scipy time / peo.trend time.
    record("bench_trend", {"speed": t2 / t1}, size=f"3 waves of {n:,}")


if __name__ == "__main__":
    main()
