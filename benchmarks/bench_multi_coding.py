"""Speed of coding a check-all-that-apply question against plain pandas.

Run: python benchmarks/bench_multi_coding.py

``code_wave`` reads the question from a SurveyMonkey-shaped export (one column per
option, a chosen cell holding the option's text) and from a Qualtrics column listing the
choices ("1,3"), for synthetic exports of growing size. The baselines are what an analyst
would write for the same True/False columns: ``frame.notna()`` for the boxes and
``Series.str.get_dummies(",")`` for the listing column; both must give the same choices.
``code_wave`` also matches the question, validates every value and works out the
routing, so the ratio includes that. Times are the best of three runs.

No target: the coding looks at each distinct cell once (its cost grows with the
distinct answers, not the respondents), so the ratio should stay flat as n grows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from _harness import record, timed
from peoscales.instruments.loader import parse_definition
from peoscales.peo import code_wave

QUESTION = "Aan wie vraag je steun? (meer antwoorden mogelijk)"
TEXTS = ["Collega", "Leidinggevende", "Partner, familie of vrienden", "Coach", "Huisarts"]
CODEBOOK = f"""
name = "bench_support"
kind = "codebook"
[response_scales.support]
kind = "multi"
options = [{", ".join(f'{{ code = {i + 1}, nl = "{t}" }}' for i, t in enumerate(TEXTS))}]
[[items]]
id = "support"
response_scale = "support"
nl = "{QUESTION}"
"""


def main() -> None:
    book = parse_definition(CODEBOOK, "bench_support.toml")
    columns = [f"support_{i + 1}" for i in range(len(TEXTS))]
    rng = np.random.default_rng(3)
    rows = []
    for n in (10_000, 100_000, 1_000_000):
        picks = rng.random((n, len(TEXTS))) < 0.35
        boxes = pd.DataFrame(
            {f"{QUESTION} | {t}": np.where(picks[:, j], t, None) for j, t in enumerate(TEXTS)}
        )
        ours, t_ours = timed(lambda b=boxes: code_wave(b, book), repeat=3)
        base, t_base = timed(lambda b=boxes: b.notna(), repeat=3)
        assert np.array_equal(ours.data[columns].to_numpy(dtype=bool), base.to_numpy())
        rows.append(("boxes", n, t_ours, t_base))

        codes = np.arange(1, len(TEXTS) + 1).astype(str)
        listed = pd.DataFrame(
            {QUESTION: [",".join(codes[row]) for row in picks]}  # building the input only
        )
        ours, t_ours = timed(lambda d=listed: code_wave(d, book), repeat=3)
        base, t_base = timed(lambda d=listed: d[QUESTION].str.get_dummies(","), repeat=3)
        expected = base.reindex(columns=codes, fill_value=0).to_numpy(dtype=bool)
        assert np.array_equal(ours.data[columns].to_numpy(dtype=bool), expected)
        rows.append(("listed", n, t_ours, t_base))

    print(f"{'layout':<10}{'n':>10}{'ours s':>10}{'pandas s':>10}{'ratio':>8}")
    for name, n, t1, t2 in rows:
        print(f"{name:<10}{n:>10}{t1:>10.4f}{t2:>10.4f}{t1 / t2:>8.2f}")
    # The ratio printed above (code_wave time / pandas time), per layout and size.
    record(
        "bench_multi_coding",
        {f"{name}.time n={n:,}": t1 / t2 for name, n, t1, t2 in rows},
        size="10,000 to 1,000,000 respondents",
    )


if __name__ == "__main__":
    main()
