"""Chart speed: a Likert chart of 40 items x 100,000 respondents and a 100-variable heatmap.

    python benchmarks/bench_plot.py              # the full size
    python benchmarks/bench_plot.py --n 20000    # quicker

Target: each chart in under 1 s, counting and drawing (rendered to an Agg canvas)
together, because the counting is one vectorised pass (``likert_percentages``:
one ``searchsorted`` and one ``bincount``; ``corr_matrix``: one matrix product).
The baseline in the same run counts the answers the way one writes it by hand
(``value_counts`` per item); its ratio to ``likert_percentages`` is printed.
Times are the best of ``--repeat`` runs.

Recorded on a shared two-core machine (best of 3; two runs, under different load):

    Likert, 40 items x 100,000            counting 0.017-0.023 s (value_counts per item
                                          0.037-0.053 s: 2.1-2.3x slower); drawing and
                                          rendering 0.31-0.43 s; in total 0.33-0.45 s
    heatmap, 100 variables x 2,000 rows   corr_matrix 0.006-0.13 s; drawing and
                                          rendering 0.25-0.30 s; in total 0.27-0.43 s
    the same heatmap with r in all 4,950 cells: 2.8-4.2 s, which is why cell text is
    the default only up to 30 variables
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import peoscales as ps
from _harness import best_time, record
from peoscales import plot

LABELS = ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens", "weet niet"]


def _likert_data(n: int, items: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = rng.integers(1, 7, size=(n, items)).astype(float)
    codes[rng.random((n, items)) < 0.05] = np.nan
    return pd.DataFrame(codes, columns=[f"q{i + 1}" for i in range(items)])


def _by_hand(data: pd.DataFrame) -> pd.DataFrame:
    rows = {c: data[c].value_counts(normalize=True).reindex(range(1, 7)) * 100 for c in data}
    return pd.DataFrame(rows).T


def _render(draw) -> None:
    fig = Figure(figsize=(8, 10))
    draw(fig.add_subplot())
    FigureCanvasAgg(fig).draw()  # render the pixels, as saving would


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--variables", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    data = _likert_data(args.n, args.items)
    items = list(data.columns)
    pct = plot.likert_percentages(data, items, range(1, 7), LABELS)
    check = _by_hand(data).to_numpy()
    np.testing.assert_allclose(pct[LABELS].to_numpy(), np.nan_to_num(check), atol=1e-9)

    t_count = best_time(
        lambda: plot.likert_percentages(data, items, range(1, 7), LABELS), args.repeat
    )
    t_hand = best_time(lambda: _by_hand(data), args.repeat)
    t_draw = best_time(
        lambda: _render(lambda ax: plot.likert(pct, nonsubstantive=["weet niet"], ax=ax)),
        args.repeat,
    )
    print(f"Likert, {args.items} items x {args.n:,} respondents")
    print(f"  counting (likert_percentages)   {t_count:7.3f} s")
    print(f"  counting by hand (value_counts) {t_hand:7.3f} s   ({t_hand / t_count:.1f}x slower)")
    print(f"  drawing and rendering           {t_draw:7.3f} s")
    print(f"  chart in total                  {t_count + t_draw:7.3f} s   (target < 1 s)")

    rng = np.random.default_rng(2)
    k = args.variables
    frame = pd.DataFrame(rng.normal(size=(2_000, k)), columns=[f"v{i + 1}" for i in range(k)])
    res = ps.corr_matrix(frame)
    t_corr = best_time(lambda: ps.corr_matrix(frame), args.repeat)
    t_heat = best_time(
        lambda: _render(lambda ax: plot.correlation_heatmap(res.r, p=res.p, ax=ax)), args.repeat
    )
    t_text = best_time(
        lambda: _render(lambda ax: plot.correlation_heatmap(res.r, p=res.p, annotate=True, ax=ax)),
        1,
    )
    print(f"Correlation heatmap, {k} variables x 2,000 rows")
    print(f"  counting (corr_matrix)          {t_corr:7.3f} s")
    print(f"  drawing and rendering           {t_heat:7.3f} s")
    print(f"  chart in total                  {t_corr + t_heat:7.3f} s   (target < 1 s)")
    print(
        f"  with r written in all {k * (k - 1) // 2:,} cells {t_text:7.3f} s (not the default above 30)"
    )
    record(
        "bench_plot",
        {
            "likert_s": t_count + t_draw,
            "heatmap_s": t_corr + t_heat,
            "counting_vs_value_counts": t_hand / t_count,
        },
        size=f"Likert {args.items} items x {args.n:,}; heatmap {k} variables x 2,000",
    )


if __name__ == "__main__":
    main()
