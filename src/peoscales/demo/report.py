"""The text report printed by ``peoscales demo``.

The report is a list of sections. Each section is a function that takes the
shared :class:`DemoContext` (the data and its scale scores, computed once) and
returns plain text. Further sections (reliability, correlations) are added by
appending ``(title, function)`` pairs to :data:`SECTIONS`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from peoscales._scoring import ScoringResult, categorize, score
from peoscales.errors import IncompleteScoresWarning
from peoscales.instruments.registry import get_instrument

__all__ = ["SECTIONS", "DemoContext", "Section", "demo_context", "demo_report"]


@dataclass(frozen=True, eq=False)
class DemoContext:
    """What every section of the demo report works from.

    Attributes
    ----------
    data : DataFrame
        The demo data set (:func:`peoscales.demo.load_mental_fitness`).
    instruments : tuple of str
        The instruments scored.
    scoring : ScoringResult
        Scores of every scale with the answered counts.
    """

    data: pd.DataFrame
    instruments: tuple[str, ...]
    scoring: ScoringResult

    @property
    def scores(self) -> pd.DataFrame:
        """Scale scores, one column per scale, indexed by respondent."""
        return self.scoring.scores


#: A section: a title and a function building its text from the context.
Section = tuple[str, Callable[[DemoContext], str]]


def demo_context() -> DemoContext:
    """Load the demo data and score every scale once.

    The respondents who answered too few items are counted in the result (and
    shown in the report), so the scoring warning is not repeated here.
    """
    from peoscales.demo import DEMO_INSTRUMENTS, load_mental_fitness

    data = load_mental_fitness()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        result = score(data, list(DEMO_INSTRUMENTS), details=True)
    return DemoContext(data=data, instruments=DEMO_INSTRUMENTS, scoring=result)


def _shares(series: pd.Series) -> str:
    counts = series.value_counts(sort=False, dropna=False)
    total = counts.sum()
    parts = []
    for label, count in counts.items():
        name = "unknown" if pd.isna(label) else str(label)
        share = 100 * count / total
        parts.append(f"{name} {count} ({share:.0f}%)" if share >= 1 else f"{name} {count} (<1%)")
    return ", ".join(parts)


def sample_section(ctx: DemoContext) -> str:
    """Who answered: size, gender, age, education, type of youth care."""
    data = ctx.data
    age = data["age"]
    lines = [
        f"Respondents:      {len(data)}",
        f"Gender:           {_shares(data['gender'])}",
        f"Age:              mean {age.mean():.1f} (SD {age.std():.1f}), range {age.min()}-{age.max()}",
        f"Education:        {_shares(data['education'])}",
        f"Type of care:     {_shares(data['care_type'])}",
    ]
    return "\n".join(lines)


def scores_section(ctx: DemoContext) -> str:
    """One row per scale: items, answers needed, n scored, mean, SD, range."""
    result = ctx.scoring
    labels = {
        sid: scale.label("en")
        for name in ctx.instruments
        for sid, scale in get_instrument(name).scales.items()
    }
    table = result.table()
    shown = pd.DataFrame(
        {
            "scale": [labels.get(s, s) for s in table.index],
            "items": table["items"],
            "needs": table["required"],
            "n": table["n_scored"],
            "missing": table["n_below_minimum"],
            "mean": table["mean"].map(lambda v: f"{v:.2f}"),
            "sd": table["sd"].map(lambda v: f"{v:.2f}"),
            "min": table["min"].map(lambda v: f"{v:.2f}"),
            "max": table["max"].map(lambda v: f"{v:.2f}"),
        },
        index=table.index,
    )
    note = (
        "\n'needs' is the least number of answered items a score needs; 'missing' counts "
        "respondents below it (their score is left empty)."
    )
    return shown.to_string() + note


def bands_section(ctx: DemoContext) -> str:
    """Resilience (BRS) norm bands: count and share per band."""
    bands = categorize(ctx.scores[["brs"]], "brs")["brs"]
    counts = bands.value_counts(sort=False)
    total = int(counts.sum())
    lines = [
        f"{label:<8}{count:>5}  {100 * count / total:5.1f}%" for label, count in counts.items()
    ]
    ok = counts.get("normal", 0) + counts.get("high", 0)
    scale = get_instrument("brs").scales["brs"]
    cut = ", ".join(f"{b.name} {b.low:.2f}-{b.high:.2f}" for b in scale.bands)
    lines.append(f"Average or high resilience: {100 * ok / total:.1f}% of {total} ({cut}).")
    return "\n".join(lines)


def _scale_labels(ctx: DemoContext) -> dict[str, str]:
    return {
        sid: scale.label("en")
        for name in ctx.instruments
        for sid, scale in get_instrument(name).scales.items()
    }


def reliability_section(ctx: DemoContext) -> str:
    """Internal consistency of every scale: alpha with its CI, lambda-6, omega, split-half."""
    from peoscales._reliability import reliability

    result = reliability(ctx.data, list(ctx.instruments))
    lines = result.summary().splitlines()
    return "\n".join(lines[1:] if lines and lines[0] == "Reliability" else lines)


def correlation_section(ctx: DemoContext) -> str:
    """Correlations of the scale scores as in a report: M, SD, stars, alpha on the diagonal."""
    from peoscales._correlation import corr_matrix
    from peoscales._reliability import reliability

    alphas = reliability(ctx.data, list(ctx.instruments)).table()["alpha"]
    labels = _scale_labels(ctx)
    result = corr_matrix(ctx.scores, columns=list(labels))
    return result.to_apa(labels=labels, diagonal=alphas, title="").to_text()


def comparisons_section(ctx: DemoContext) -> str:
    """Resilience by type of youth care: a Welch t-test and a one-way ANOVA."""
    from peoscales._groups import anova, ttest

    frame = pd.concat([ctx.data[["care_type"]], ctx.scores[["brs"]]], axis=1)
    t = ttest(frame, "brs", "care_type", groups=["jeugdhulp", "jeugdbescherming"])
    f = anova(frame, "brs", "care_type")
    return "\n".join(
        [
            f"Resilience, jeugdhulp vs jeugdbescherming (Welch): {t.to_apa()}",
            f"Resilience over all types of care (one-way ANOVA): {f.to_apa()}",
        ]
    )


def regression_section(ctx: DemoContext) -> str:
    """Hierarchical regression of resilience on the three needs, then the SWING scales."""
    from peoscales._regression import regress

    needs = ["wbns_autonomy", "wbns_competence", "wbns_relatedness"]
    swing = ["swing_nwhi", "swing_nhwi"]
    model = regress(ctx.scores, "brs", blocks=[needs, swing])
    lines = [
        f"Step {step.step} (+ {', '.join(map(str, step.variables))}): {step.to_apa()}"
        for step in model.steps
    ]
    return "\n".join(lines)


#: The sections of ``peoscales demo``, in order.
SECTIONS: list[Section] = [
    ("Sample", sample_section),
    ("Scale scores", scores_section),
    ("Resilience bands (BRS)", bands_section),
    ("Reliability", reliability_section),
    ("Correlations of the scale scores", correlation_section),
    ("Group comparisons", comparisons_section),
    ("Hierarchical regression of resilience", regression_section),
]


def demo_report(sections: Sequence[Section] | None = None) -> str:
    """Build the text report of ``peoscales demo``.

    Parameters
    ----------
    sections : list of (title, function), optional
        The sections to include (default: :data:`SECTIONS`).

    Returns
    -------
    str
        The sections, each under an underlined title.

    Examples
    --------
    >>> from peoscales.demo import demo_report
    >>> text = demo_report()
    >>> text.splitlines()[0]
    'peoscales demo: synthetic mental-fitness survey of youth-care professionals'
    >>> "Average or high resilience" in text
    True
    """
    ctx = demo_context()
    chosen = SECTIONS if sections is None else sections
    title = "peoscales demo: synthetic mental-fitness survey of youth-care professionals"
    parts = [title, "=" * len(title), f"Instruments: {', '.join(ctx.instruments)}"]
    for heading, build in chosen:
        parts += ["", heading, "-" * len(heading), build(ctx)]
    return "\n".join(parts) + "\n"
