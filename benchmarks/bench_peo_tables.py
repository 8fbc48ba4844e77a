"""Speed and memory of the PEO report tables against plain pandas.

Run: python benchmarks/bench_peo_tables.py

Counts answers of a coded item (a frequency table) and crosses it with employer type (a
crosstab) for synthetic survey data of growing size, with peoscales and with the pandas
one-liners an analyst would write (``value_counts``, ``pd.crosstab``), and checks that both
give the same counts. Times are the best of five runs.

Target: ``frequency_table`` at most 1.5x the time of ``value_counts`` at 1,000,000 rows. It
counts the distinct codes with one hashing pass (``value_counts`` itself) and maps only
those to the table's rows, so the ratio is about 1 plus a fixed cost of under a millisecond.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from _harness import peak_mb, record, timed
from peoscales.errors import SmallExpectedCountWarning
from peoscales.peo import crosstab_table, frequency_table, get_codebook


def measure(func):
    """The result, the best wall time of five untraced runs and the peak MiB of a traced one."""
    result, elapsed = timed(func, repeat=5)
    return result, elapsed, peak_mb(func)


def main() -> None:
    book = get_codebook("2021-09")
    rng = np.random.default_rng(1)
    rows = []
    for n in (10_000, 100_000, 1_000_000):
        data = pd.DataFrame(
            {
                "space_reflect": rng.integers(1, 5, n).astype(float),
                "employer": rng.integers(1, 5, n).astype(float),
            }
        )
        data.loc[rng.random(n) < 0.05, "space_reflect"] = np.nan

        ours, t_ours, m_ours = measure(
            lambda d=data: frequency_table(d, "space_reflect", codebook=book)
        )
        base, t_base, m_base = measure(
            lambda d=data: d["space_reflect"].value_counts().sort_index()
        )
        assert ours.table["n"].to_numpy()[:4].tolist() == base.to_numpy().tolist()
        rows.append(("frequency_table", n, t_ours, t_base, m_ours, m_base))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SmallExpectedCountWarning)
            ours_ct, t_ours, m_ours = measure(
                lambda d=data: crosstab_table(
                    d, "space_reflect", "employer", codebook=book, min_group_size=None
                )
            )
        base_ct, t_base, m_base = measure(
            lambda d=data: pd.crosstab(d["space_reflect"], d["employer"])
        )
        assert np.array_equal(ours_ct.counts.to_numpy()[:, :4], base_ct.to_numpy())
        rows.append(("crosstab_table", n, t_ours, t_base, m_ours, m_base))

    print(
        f"{'function':<16}{'n':>10}{'ours s':>10}{'pandas s':>10}{'ratio':>8}"
        f"{'ours MiB':>10}{'pandas MiB':>12}"
    )
    for name, n, t1, t2, m1, m2 in rows:
        print(f"{name:<16}{n:>10}{t1:>10.4f}{t2:>10.4f}{t1 / t2:>8.2f}{m1:>10.1f}{m2:>12.1f}")
    ratio = next(t1 / t2 for name, n, t1, t2, *_ in rows[::-1] if name == "frequency_table")
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(
        f"frequency_table at 1,000,000 rows: {ratio:.2f}x value_counts (target <= 1.5x: {verdict})"
    )
    crosstab_ratio = next(t1 / t2 for name, n, t1, t2, *_ in rows[::-1] if name == "crosstab_table")
    record(
        "bench_peo_tables",
        {"frequency_vs_value_counts": ratio, "crosstab_vs_pd_crosstab": crosstab_ratio},
        size="1,000,000 rows",
    )


if __name__ == "__main__":
    main()
