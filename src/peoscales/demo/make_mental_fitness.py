"""Generate the embedded demo data set ``mental_fitness.csv``.

Run ``python -m peoscales.demo.make_mental_fitness`` to rewrite the file. The
data are synthetic: 499 youth-care professionals answering the BRS, the 12-item
SWING (coded 1-4) and the W-BNS, with demographics, built so that the findings of
the 2021 mental-fitness survey (Garage2020 & PGGM&CO) show up again:

- over 80% have average or high resilience (BRS bands);
- resilience is higher in jeugdhulp than in jeugdbescherming;
- negative work-to-home interference goes with lower resilience and lower
  autonomy, competence and relatedness;
- competence rises with age;
- resilience correlates positively with all three needs.

The latent structure is fixed below; :func:`peoscales.simulate` turns it into
answers. Everything is drawn from one seeded generator, so the file is the same
on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from peoscales._simulate import simulate
from peoscales.demo._schema import CARE_TYPES, EDUCATION

__all__ = ["build_mental_fitness", "main"]

N_RESPONDENTS = 499
SEED = 2021
DATA_FILE = Path(__file__).with_name("mental_fitness.csv")
#: Share of single answers left empty at random, and respondents who stopped
#: before the W-BNS (their need scores are missing).
ITEM_MISSING = 0.01
DROPOUTS = 3


def _demographics(rng: np.random.Generator, n: int) -> pd.DataFrame:
    # 85% women, 14% men, gender unknown for two respondents (as in the report).
    n_women = round(0.85 * n)
    gender = np.array(["vrouw"] * n_women + ["man"] * (n - n_women - 2) + [None] * 2, dtype=object)
    gender = gender[rng.permutation(n)]
    # Mean age 43, youngest 22, oldest 68.
    age = np.clip(np.round(rng.normal(43.0, 10.5, n)), 22, 68)
    age[np.argmin(age)], age[np.argmax(age)] = 22, 68
    education = rng.choice(EDUCATION, size=n, p=[0.12, 0.68, 0.20])
    care_type = rng.choice(CARE_TYPES, size=n, p=[0.22, 0.44, 0.24, 0.10])
    years = np.round((age - 22) * rng.uniform(0.3, 0.95, n))
    return pd.DataFrame(
        {
            "respondent": np.arange(1, n + 1),
            "gender": gender,
            "age": age.astype(np.int64),
            "education": education,
            "care_type": care_type,
            "years_experience": years.astype(np.int64),
        }
    )


def _latent(rng: np.random.Generator, demo: pd.DataFrame) -> pd.DataFrame:
    """Factor scores on the scale of the item latents (item SD 1, loading .7)."""
    n = len(demo)
    age_z = (demo["age"].to_numpy() - 43.0) / 10.5
    jeugdhulp = (demo["care_type"] == "jeugdhulp").to_numpy(dtype=float)
    jeugdbescherming = (demo["care_type"] == "jeugdbescherming").to_numpy(dtype=float)

    def noise(sd: float) -> np.ndarray:
        return rng.normal(0.0, sd, n)

    # Work-to-home interference is rare ("hardly"), home-to-work a bit more common.
    nwhi = -0.75 + noise(1.0)
    nhwi = -0.35 + 0.45 * (nwhi + 0.75) + noise(0.9)
    resilience = 0.35 + 0.35 * jeugdhulp - 0.30 * jeugdbescherming - 0.45 * nwhi + noise(0.85)
    autonomy = 0.35 + 0.35 * resilience - 0.35 * nwhi + noise(0.8)
    competence = 0.55 + 0.35 * resilience - 0.30 * nwhi + 0.35 * age_z + noise(0.75)
    relatedness = 0.35 + 0.35 * resilience - 0.30 * nwhi + noise(0.8)
    return pd.DataFrame(
        {
            "brs": resilience,
            "swing_nwhi": nwhi,
            "swing_nhwi": nhwi,
            "wbns_autonomy": autonomy,
            "wbns_competence": competence,
            "wbns_relatedness": relatedness,
        }
    )


def build_mental_fitness(seed: int = SEED) -> pd.DataFrame:
    """Build the demo data set (plain dtypes, as written to the CSV file).

    Examples
    --------
    >>> data = build_mental_fitness()
    >>> data.shape
    (499, 42)
    """
    rng = np.random.default_rng(seed)
    demo = _demographics(rng, N_RESPONDENTS)
    eta = _latent(rng, demo)
    parts = [
        simulate("brs", N_RESPONDENTS, seed=rng, factor_scores=eta, skew=0.2),
        # A frequency scale: answers pile up at "(bijna) nooit" and "soms" by the means above.
        simulate("swing12", N_RESPONDENTS, seed=rng, factor_scores=eta, skew=0.0),
        simulate("wbns", N_RESPONDENTS, seed=rng, factor_scores=eta, skew=0.2),
    ]
    items = pd.concat(parts, axis=1)
    items[rng.random(items.shape) < ITEM_MISSING] = np.nan
    wbns = [c for c in items.columns if c.startswith("wbns_")]
    stopped = rng.choice(N_RESPONDENTS, size=DROPOUTS, replace=False)
    items.loc[stopped, wbns] = np.nan
    return pd.concat([demo, items.astype("Int64")], axis=1)


def main(path: str | Path = DATA_FILE) -> Path:
    """Write the demo data set to ``path`` (default: the packaged file)."""
    data = build_mental_fitness()
    path = Path(path)
    data.to_csv(path, index=False, lineterminator="\n")
    return path


if __name__ == "__main__":  # pragma: no cover - a command
    written = main(*sys.argv[1:2])
    print(f"wrote {written}")
