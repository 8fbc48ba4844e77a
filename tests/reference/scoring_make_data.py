"""Make the synthetic data sets scored by ``scoring.R``.

Run ``python tests/reference/scoring_make_data.py`` to rewrite them (then rerun
``Rscript tests/reference/scoring.R``). Deterministic: fixed seeds.

- ``scoring_data.csv``: BRS (1-5), SWING 22 items coded 1-4 and W-BNS (1-5),
  n = 300, 15% of the answers missing at random, plus rows with a whole scale
  unanswered.
- ``scoring_data_0to3.csv``: SWING 22 items in the original 0-3 coding, n = 200,
  10% missing.
- ``scoring_brs_partial.csv``: BRS answers in which code 5 never occurs (every 5
  answered as 4), so the observed range (1-4) is narrower than the declared one
  (1-5): the case where reversing with the observed range goes wrong.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import peoscales

HERE = Path(__file__).resolve().parent


def main() -> None:
    data = peoscales.simulate(["brs", "swing_1to4", "wbns"], 300, seed=20261123, missing_share=0.15)
    brs = [c for c in data.columns if c.startswith("brs_")]
    swing = [c for c in data.columns if c.startswith("swing_")]
    wbns = [c for c in data.columns if c.startswith("wbns_competence_")]
    data.loc[[3, 17], brs] = np.nan
    data.loc[[5, 17], swing] = np.nan
    data.loc[[8], wbns] = np.nan
    data.index.name = "row"
    data.to_csv(HERE / "scoring_data.csv", lineterminator="\n")

    swing03 = peoscales.simulate("swing", 200, seed=20261124, missing_share=0.10)
    swing03.index.name = "row"
    swing03.to_csv(HERE / "scoring_data_0to3.csv", lineterminator="\n")

    partial = peoscales.simulate("brs", 100, seed=20261125, missing_share=0.05).clip(upper=4.0)
    partial.index.name = "row"
    partial.to_csv(HERE / "scoring_brs_partial.csv", lineterminator="\n")


if __name__ == "__main__":
    main()
