"""Generate the embedded demo data set ``mental_fitness.csv``.

Run ``python -m peoscales.demo.make_mental_fitness`` to rewrite the files. The
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

The questions beside the instruments (codebook ``mental_fitness_2021``: job
function, tasks, changed working conditions, relation with clients, support,
supervisor, technology) are in a second file, ``mental_fitness_questions.csv``,
drawn from a generator of their own so that the first file never changes. They
hold the survey's published figures: working conditions completely or partly
changed for 83% (412 of the 496 who answered), the relation with clients
somewhat worse for (ruim) 40% (200 of 496) and support sought from colleagues by
60% (299); attitudes to technology more positive in the organisation than with
clients, and most never used e-learning, online therapy, VR or biofeedback. The
three respondents who stopped before the W-BNS did not reach these questions
(they come after it); job function and tasks were asked first.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peoscales._simulate import simulate
from peoscales.demo._schema import CARE_TYPES, EDUCATION

__all__ = ["build_mental_fitness", "build_questions", "main"]

N_RESPONDENTS = 499
SEED = 2021
DATA_FILE = Path(__file__).with_name("mental_fitness.csv")
QUESTIONS_FILE = Path(__file__).with_name("mental_fitness_questions.csv")
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


# ------------------------------------------------------------------ the other questions

#: Job functions (codebook codes 1-8) per type of care: shares of each function.
_FUNCTIONS = {
    "jeugd-ggz": [0.25, 0.10, 0.00, 0.00, 0.12, 0.35, 0.07, 0.11],
    "jeugdhulp": [0.30, 0.20, 0.00, 0.15, 0.15, 0.08, 0.05, 0.07],
    "jeugdbescherming": [0.05, 0.00, 0.75, 0.00, 0.00, 0.08, 0.06, 0.06],
    "overig": [0.20, 0.30, 0.00, 0.00, 0.00, 0.10, 0.10, 0.30],
}
_OTHER_FUNCTIONS = ("Trajectbegeleider", "Casemanager", "Medewerker SAVE", "Jongerenwerker")
#: Exact counts of the 496 who answered, in code order (seed 002's percentages).
CONDITIONS = (84, 262, 150)  # niet / deels / volledig veranderd: 412 changed = 83%
RELATION = (30, 200, 231, 30, 5)  # sterk / enigszins verslechterd ... sterk verbeterd
SUPPORT_COLLEAGUES = 299  # 60% of 496 (and of 499)
#: Answer shares (codes 1-5) of the attitude items: the organisation, then clients.
_ORGANISATION = [0.02, 0.05, 0.18, 0.50, 0.25]
_CLIENTS = [0.05, 0.15, 0.30, 0.38, 0.12]
_SUPERVISOR = ([0.04, 0.09, 0.20, 0.45, 0.22], [0.05, 0.12, 0.23, 0.42, 0.18])
#: Technology use: share "nooit gebruikt", and of the others "regelmatig".
_USE = {
    "video_calling": (0.02, 0.85),
    "email": (0.01, 0.95),
    "messaging": (0.06, 0.75),
    "elearning": (0.55, 0.25),
    "online_therapy": (0.80, 0.20),
    "vr": (0.93, 0.10),
    "biofeedback": (0.95, 0.10),
}


def _exact(rng: np.random.Generator, counts: tuple[int, ...], n: int) -> np.ndarray:
    """Codes 1, 2, ... with exactly ``counts`` of each, in random order (length ``n``)."""
    codes = np.repeat(np.arange(1, len(counts) + 1), counts)
    assert len(codes) == n
    return codes[rng.permutation(n)]


def _ordinal(rng: np.random.Generator, latent: np.ndarray, shares: list[float]) -> np.ndarray:
    """Codes 1..k from a latent variable cut at the quantiles of ``shares``."""
    from scipy.stats import norm

    cuts = norm.ppf(np.cumsum(shares)[:-1])
    return np.searchsorted(cuts, latent) + 1


def _listing(chosen: np.ndarray, codes: list[int]) -> list[str]:
    """Each respondent's ticked options as a comma-separated list of codes."""
    return [",".join(str(c) for c, t in zip(codes, row) if t) for row in chosen]


def _text_where(mask: np.ndarray, text: str) -> np.ndarray:
    """``text`` where ``mask`` holds, else empty (None)."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = text
    return out


def build_questions(data: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The answers to the questions beside the instruments, as an export lists them.

    ``data`` is :func:`build_mental_fitness`'s frame. Closed answers are the
    codebook's Dutch texts; the check-all-that-apply questions (``tasks``,
    ``support``) are one column of chosen codes each (``"1,5"``), their "other"
    text in ``<item>_9_TEXT``, as Qualtrics exports them; empty where not answered.

    Examples
    --------
    >>> answers = build_questions(build_mental_fitness())
    >>> answers.shape
    (499, 22)
    >>> answers["conditions_changed"].value_counts().to_dict()
    {'deels veranderd': 262, 'volledig veranderd': 150, 'niet veranderd': 84}
    """
    from peoscales.instruments.registry import get_instrument

    book = get_instrument("mental_fitness_2021")
    rng = np.random.default_rng([seed, 2])  # a stream of its own: the first file stays
    n = len(data)
    wbns = [c for c in data.columns if c.startswith("wbns_")]
    reached = data[wbns].notna().any(axis=1).to_numpy()  # did not stop before the W-BNS
    m = int(reached.sum())

    def labels(scale: str, codes: np.ndarray) -> np.ndarray:
        names = {o.code: o.label("nl") for o in book.response_scales[scale].options}
        return np.array([names[float(c)] for c in codes], dtype=object)

    out: dict[str, Any] = {"respondent": data["respondent"].to_numpy()}
    care = data["care_type"].to_numpy()
    function = np.array([rng.choice(8, p=_FUNCTIONS[c]) + 1 for c in care])
    out["job_function"] = labels("job_function", function)
    other = np.full(n, None, dtype=object)
    other[function == 8] = rng.choice(_OTHER_FUNCTIONS, size=int((function == 8).sum()))
    out["job_function_other_text"] = other

    treats = np.isin(function, [6])
    manages = function == 7
    ticks = np.column_stack(
        [
            rng.random(n) < np.where(manages, 0.3, 0.85),
            rng.random(n) < np.where(treats, 0.8, 0.25),
            rng.random(n) < np.where(treats, 0.6, 0.25),
            rng.random(n) < 0.55,
            rng.random(n) < 0.9,
            rng.random(n) < np.where(manages, 0.95, 0.04),
            rng.random(n) < 0.03,
        ]
    )
    out["tasks"] = _listing(ticks, [1, 2, 3, 4, 5, 6, 9])
    out["tasks_9_TEXT"] = _text_where(ticks[:, 6], "Scholing en training geven")

    def reached_only(values: np.ndarray) -> np.ndarray:
        full = np.full(n, None, dtype=object)
        full[reached] = values
        return full

    out["conditions_changed"] = reached_only(labels("changed3", _exact(rng, CONDITIONS, m)))
    out["client_relation"] = reached_only(labels("relation5", _exact(rng, RELATION, m)))

    colleagues = _exact(rng, (m - SUPPORT_COLLEAGUES, SUPPORT_COLLEAGUES), m) == 2
    others = rng.random((m, 4)) < [0.35, 0.15, 0.45, 0.06]
    nobody = ~colleagues & ~others.any(axis=1) & (rng.random(m) < 0.7)
    named_other = rng.random(m) < 0.03
    support = np.column_stack([colleagues, others, nobody & ~named_other, named_other])
    out["support"] = reached_only(np.array(_listing(support, [1, 2, 3, 4, 5, 6, 9]), dtype=object))
    out["support_9_TEXT"] = reached_only(_text_where(named_other, "Huisarts"))

    boss = rng.normal(size=m)
    for item, shares in zip(("supervisor_knows_needs", "supervisor_helps"), _SUPERVISOR):
        codes = _ordinal(rng, 0.8 * boss + 0.6 * rng.normal(size=m), shares)
        out[item] = reached_only(labels("agree5", codes))
    mind = rng.normal(size=m)  # how much one likes technology
    for domain in ("colleagues", "agencies", "admin", "clients"):
        shares = _CLIENTS if domain == "clients" else _ORGANISATION
        codes = _ordinal(rng, 0.7 * mind + 0.71 * rng.normal(size=m), shares)
        out[f"tech_attitude_{domain}"] = reached_only(labels("attitude5", codes))
    for tool, (never, regular) in _USE.items():
        used = rng.random(m) >= never
        codes = np.where(used, np.where(rng.random(m) < regular, 3, 2), 1)
        out[f"tech_use_{tool}"] = reached_only(labels("use3", codes))
    answers = pd.DataFrame(out)
    # single answers left empty at random, as in the instruments (not the published ones)
    likert = [c for c in answers.columns if c.startswith(("supervisor_", "tech_"))]
    gaps = rng.random((n, len(likert))) < ITEM_MISSING
    answers[likert] = answers[likert].mask(gaps)
    return answers


def main(path: str | Path = DATA_FILE, questions: str | Path = QUESTIONS_FILE) -> Path:
    """Write the demo data set to ``path`` and the other questions to ``questions``
    (default: the packaged files)."""
    data = build_mental_fitness()
    path = Path(path)
    data.to_csv(path, index=False, lineterminator="\n")
    build_questions(data).to_csv(questions, index=False, lineterminator="\n")
    return path


if __name__ == "__main__":  # pragma: no cover - a command
    written = main(*sys.argv[1:3])
    print(f"wrote {written} and its questions")
