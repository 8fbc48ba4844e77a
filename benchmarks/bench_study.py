"""What a study report costs beyond the analyses it shows.

Run: python benchmarks/bench_study.py

``study_report`` computes nothing itself: it calls score, reliability, categorize,
corr_matrix and one Welch ANOVA per scale (with Games-Howell pairs where the groups
differ) and lays the results out. This script times the report (without charts, which
only draw) against the same calls made directly, on the embedded mental-fitness data
(499 respondents, six scales, four groups) and on a sample of it repeated to 20,000
respondents, and checks that both give the same numbers. Times are CPU times (best of
three runs), steadier than wall times on a shared machine.

Target: the report at most 1.5x the time of the direct calls (the layout, the HTML page
and the sample tables are the difference).
"""

from __future__ import annotations

import warnings

import pandas as pd

from _harness import best_cpu_time, record
from peoscales import anova, categorize, corr_matrix, reliability, score, study_report
from peoscales.demo import load_mental_fitness
from peoscales.errors import IncompleteScoresWarning

INSTRUMENTS = ["brs", "swing12", "wbns"]


def direct(data: pd.DataFrame) -> dict[str, object]:
    """The analyses of the report, called one by one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        scoring = score(data, INSTRUMENTS, details=True)
    rel = reliability(data, INSTRUMENTS)
    scores = scoring.scores
    bands = categorize(scores[["brs"]], INSTRUMENTS)
    corr = corr_matrix(scores)
    apa = corr.to_apa(diagonal=rel.table()["alpha"])
    frame = pd.concat([data[["care_type"]], scores], axis=1)
    tests = {}
    for scale in scores.columns:
        test = anova(frame, scale, "care_type", welch=True, posthoc=None)
        if test.welch["p"] < 0.05:
            test = anova(frame, scale, "care_type", welch=True)
        tests[scale] = test
    return {"scoring": scoring, "rel": rel, "bands": bands, "apa": apa, "tests": tests}


def main() -> None:
    base = load_mental_fitness()
    big = base.sample(20_000, replace=True, random_state=1)
    big.index = pd.RangeIndex(len(big), name="respondent")
    print(f"{'respondents':>12}{'report s':>10}{'direct s':>10}{'ratio':>8}")
    ratios = []
    for data in (base, big):
        report = study_report(data, INSTRUMENTS, by="care_type", charts=False)
        calls = direct(data)
        pd.testing.assert_frame_equal(report.tables["scoring"].scores, calls["scoring"].scores)
        assert report.tables["brs by care_type"].welch == calls["tests"]["brs"].welch
        t_report = best_cpu_time(
            lambda d=data: study_report(d, INSTRUMENTS, by="care_type", charts=False)
        )
        t_direct = best_cpu_time(lambda d=data: direct(d))
        ratios.append(t_report / t_direct)
        print(f"{len(data):>12}{t_report:>10.3f}{t_direct:>10.3f}{t_report / t_direct:>8.2f}")
    verdict = "met" if max(ratios) <= 1.5 else "NOT met"
    print(f"report / direct calls: up to {max(ratios):.2f}x (target <= 1.5x: {verdict})")
    record("bench_study", {"overhead": max(ratios)}, size="499 and 20,000 respondents")


if __name__ == "__main__":
    main()
