"""Hostile input to the instrument, scoring, table, factor and model functions.

The catalogue's second part: one row per case, with what must happen. ``Handled`` cases
are valid input whose result is checked against an independent computation;
``Refused`` cases must raise the named peoscales error with a message that names the
column, argument or field. No case may end in a raw exception or a silently wrong
result, and the caller's data is never modified.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import peoscales
from peoscales import errors as E


@dataclass(frozen=True)
class Handled:
    """Valid: ``check(result, data)`` holds; warnings of the listed classes are allowed."""

    check: Callable[[Any, Any], None]
    warns: tuple[type[Warning], ...] = ()


@dataclass(frozen=True)
class Refused:
    error: type[E.PeoscalesError]
    match: str


@dataclass(frozen=True)
class Case:
    id: str
    area: str
    data: Callable[[], Any]
    call: Callable[[Any], Any]
    expect: Handled | Refused
    tags: tuple[str, ...] = field(default=())


# --- data ------------------------------------------------------------------------------

REVERSED = ("brs_2", "brs_4", "brs_6")


def brs(n: int = 40, seed: int = 3) -> pd.DataFrame:
    return peoscales.simulate("brs", n, seed=seed)


def brs_score(d: pd.DataFrame) -> pd.Series:
    """BRS by hand: items 2, 4 and 6 reversed on 1-5 (6 - x), mean of the six."""
    keyed = d[[f"brs_{i}" for i in range(1, 7)]].astype(float).copy()
    for col in REVERSED:
        keyed[col] = 6 - keyed[col]
    return keyed.mean(axis=1)


def _set(d: pd.DataFrame, row: int, col: str, value: Any) -> pd.DataFrame:
    d = d.copy()
    d[col] = d[col].astype(object)
    d.iloc[row, d.columns.get_loc(col)] = value
    return d


def groups(n: int = 60, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "sex": rng.choice(["vrouw", "man"], n),
            "team": rng.choice(["A", "B", "C"], n),
            "score": rng.normal(3, 1, n).round(2),
        }
    )


def likert(n: int = 80, k: int = 6, seed: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 1))
    x = np.clip(np.round(3 + latent + rng.normal(scale=0.8, size=(n, k))), 1, 5)
    return pd.DataFrame(x, columns=[f"i{j}" for j in range(1, k + 1)])


def _close(a: Any, b: Any, rtol: float = 1e-9) -> None:
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=rtol, atol=1e-12)


def _scored_right(res: Any, d: pd.DataFrame) -> None:
    _close(res["brs"], brs_score(d))
    assert list(res.index) == list(d.index)


# --- the cases ---------------------------------------------------------------------------

CASES: list[Case] = [
    # score -----------------------------------------------------------------------------
    Case("valid codes", "score", brs, lambda d: peoscales.score(d, "brs"), Handled(_scored_right)),
    Case(
        "code out of range",
        "score",
        lambda: _set(brs(), 3, "brs_2", 7),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.OutOfRangeError, r"brs_2.*7"),
    ),
    Case(
        "code zero on a 1-5 scale",
        "score",
        lambda: _set(brs(), 0, "brs_1", 0),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.OutOfRangeError, r"brs_1.*0"),
    ),
    Case(
        "half code",
        "score",
        lambda: _set(brs(), 1, "brs_3", 2.5),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.OutOfRangeError, r"brs_3.*2\.5"),
    ),
    Case(
        "infinite code",
        "score",
        lambda: _set(brs(), 2, "brs_4", np.inf),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.NonFiniteValueError, r"infinite values in column\(s\) 'brs_4'"),
    ),
    Case(
        "response text instead of code",
        "score",
        lambda: _set(brs(), 2, "brs_5", "mee eens"),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.DataTypeError, r"brs_5.*mee eens.*recode"),
    ),
    Case(
        "True/False item",
        "score",
        lambda: brs().assign(brs_1=lambda d: d["brs_1"] > 3),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.DataTypeError, r"'brs_1' holds True/False"),
    ),
    Case(
        "complex item",
        "score",
        lambda: brs().assign(brs_1=lambda d: d["brs_1"].astype(complex)),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.DataTypeError, r"'brs_1' holds complex"),
    ),
    Case(
        "item column missing",
        "score",
        lambda: brs().drop(columns="brs_6"),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.MissingColumnsError, r"brs_6"),
    ),
    Case(
        "item columns in another case",
        "score",
        lambda: brs().rename(columns=str.upper),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.MissingColumnsError, r"brs_1.*BRS_1"),
    ),
    Case(
        "no item column at all",
        "score",
        lambda: pd.DataFrame({"x": [1, 2]}),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.MissingColumnsError, r"brs_1"),
    ),
    Case(
        "unknown instrument",
        "score",
        brs,
        lambda d: peoscales.score(d, "brss"),
        Refused(E.InstrumentNotFoundError, r"'brss'.*brs"),
    ),
    Case(
        "instrument name with a newline",
        "score",
        brs,
        lambda d: peoscales.score(d, "brs\n"),
        Refused(E.InstrumentNotFoundError, r"brs"),
    ),
    Case(
        "unknown scale",
        "score",
        brs,
        lambda d: peoscales.score(d, "brs", scales=["resilience2"]),
        Refused(E.ParameterError, r"resilience2"),
    ),
    Case(
        "min_valid above the number of items",
        "score",
        brs,
        lambda d: peoscales.score(d, "brs", min_valid=9),
        Refused(E.ParameterError, r"min_valid"),
    ),
    Case(
        "min_valid negative",
        "score",
        brs,
        lambda d: peoscales.score(d, "brs", min_valid=-1),
        Refused(E.ParameterError, r"min_valid"),
    ),
    Case(
        "unknown method",
        "score",
        brs,
        lambda d: peoscales.score(d, "brs", method="median"),
        Refused(E.ParameterError, r"method.*'median'"),
    ),
    Case(
        "all answers missing for one respondent",
        "score",
        lambda: (
            brs()
            .astype(float)
            .assign(
                **{f"brs_{i}": lambda d, i=i: d[f"brs_{i}"].mask(d.index == 0) for i in range(1, 7)}
            )
        ),
        lambda d: peoscales.score(d, "brs"),
        Handled(
            lambda r, d: (
                np.testing.assert_equal(np.isnan(r["brs"].iloc[0]), True),
                _close(r["brs"].iloc[1:], brs_score(d).iloc[1:]),
            ),
            warns=(E.IncompleteScoresWarning,),
        ),
    ),
    Case(
        "text digits",
        "score",
        lambda: brs().astype(str),
        lambda d: peoscales.score(d, "brs"),
        Handled(lambda r, d: _close(r["brs"], brs_score(d.astype(float)))),
    ),
    Case(
        "nullable integers with a missing answer",
        "score",
        lambda: brs().astype("Int64").assign(brs_1=lambda d: d["brs_1"].mask(d.index == 2)),
        lambda d: peoscales.score(d, "brs"),
        Handled(
            lambda r, d: _close(
                r["brs"].iloc[2],
                (
                    (6 - d.loc[2, list(REVERSED)].astype(float)).sum()
                    + d.loc[2, ["brs_3", "brs_5"]].astype(float).sum()
                )
                / 5,
            )
        ),
    ),
    Case(
        "string index kept",
        "score",
        lambda: brs().set_axis([f"p{i}" for i in range(40)]),
        lambda d: peoscales.score(d, "brs"),
        Handled(_scored_right),
    ),
    Case(
        "duplicated index kept",
        "score",
        lambda: brs().set_axis(["x"] * 40),
        lambda d: peoscales.score(d, "brs"),
        Handled(lambda r, d: (_close(r["brs"].to_numpy(), brs_score(d).to_numpy()), None)),
    ),
    Case(
        "extra unrelated columns",
        "score",
        lambda: brs().assign(note='vrije tekst, met ; en "quotes"'),
        lambda d: peoscales.score(d, "brs"),
        Handled(_scored_right),
    ),
    Case(
        "not a frame",
        "score",
        lambda: [[1, 2, 3]],
        lambda d: peoscales.score(d, "brs"),
        Refused(E.DataTypeError, r"data must be a pandas DataFrame"),
    ),
    Case(
        "duplicated item column",
        "score",
        lambda: pd.concat([brs(), brs()[["brs_1"]]], axis=1),
        lambda d: peoscales.score(d, "brs"),
        Refused(E.DuplicateColumnsError, r"brs_1"),
    ),
    # recode, categorize -----------------------------------------------------------------
    Case(
        "labels to codes",
        "recode",
        lambda: pd.DataFrame(
            {
                "brs_1": ["mee eens", "neutraal", None],
                "brs_2": ["sterk mee oneens", "zeer mee eens", "mee oneens"],
            }
        ),
        lambda d: peoscales.recode(d, "brs"),
        Handled(
            lambda r, d: _close(r[["brs_1", "brs_2"]].to_numpy(), [[4, 1], [3, 5], [np.nan, 2]])
        ),
    ),
    Case(
        "unknown label",
        "recode",
        lambda: pd.DataFrame({"brs_1": ["mee eens", "helemaal mee eenz!!"]}),
        lambda d: peoscales.recode(d, "brs"),
        Refused(E.UnknownLabelError, r"brs_1.*helemaal mee eenz!!.*did you mean"),
    ),
    Case(
        "no item column found",
        "recode",
        lambda: pd.DataFrame({"vraag1": ["mee eens"]}),
        lambda d: peoscales.recode(d, "brs"),
        Refused(E.MissingColumnsError, r"brs_1"),
    ),
    Case(
        "labels with odd case and spaces",
        "recode",
        lambda: pd.DataFrame({"brs_1": ["  Mee Eens ", "NEUTRAAL"]}),
        lambda d: peoscales.recode(d, "brs"),
        Handled(lambda r, d: _close(r["brs_1"].to_numpy(), [4, 3])),
    ),
    Case(
        "scores out of range to categorize",
        "categorize",
        lambda: pd.DataFrame({"brs": [1.5, 9.0]}),
        lambda d: peoscales.categorize(d, "brs"),
        Refused(E.OutOfRangeError, r"brs.*9"),
    ),
    # reliability with an instrument ------------------------------------------------------
    Case(
        "instrument alpha",
        "reliability",
        lambda: brs(200),
        lambda d: peoscales.reliability(d, "brs", missing="listwise"),
        Handled(lambda r, d: _close(r.to_frame()["alpha"].iloc[0], _alpha(_keyed(d)))),
    ),
    Case(
        "out-of-range code",
        "reliability",
        lambda: _set(brs(), 4, "brs_1", 6),
        lambda d: peoscales.reliability(d, "brs"),
        Refused(E.OutOfRangeError, r"brs_1.*6"),
    ),
    Case(
        "confidence 1.5",
        "reliability",
        brs,
        lambda d: peoscales.reliability(d, "brs", confidence=1.5),
        Refused(E.ParameterError, r"confidence"),
    ),
    Case(
        "negative n_boot",
        "reliability",
        brs,
        lambda d: peoscales.reliability(d, "brs", ci_method="bootstrap", n_boot=-5),
        Refused(E.ParameterError, r"n_boot"),
    ),
    Case(
        "unknown ci_method",
        "reliability",
        brs,
        lambda d: peoscales.reliability(d, "brs", ci_method="jackknife"),
        Refused(E.ParameterError, r"ci_method.*'jackknife'"),
    ),
    Case(
        "seed of text",
        "reliability",
        brs,
        lambda d: peoscales.reliability(d, "brs", ci_method="bootstrap", n_boot=100, seed="abc"),
        Refused(E.ParameterError, r"seed"),
    ),
    Case(
        "one item",
        "cronbach_alpha",
        lambda: likert()[["i1"]],
        lambda d: peoscales.cronbach_alpha(d),
        Refused(E.InsufficientDataError, r"."),
    ),
    Case(
        "reverse names a column that is not there",
        "cronbach_alpha",
        likert,
        lambda d: peoscales.cronbach_alpha(d, reverse=["i9"]),
        Refused(E.ParameterError, r"i9"),
    ),
    Case(
        "constant item",
        "cronbach_alpha",
        lambda: likert().assign(i1=3.0),
        lambda d: peoscales.cronbach_alpha(d),
        # NaN with a warning naming the item, never a number that hides it.
        Handled(lambda r, d: _close(r.alpha, np.nan), warns=(E.ConstantColumnWarning,)),
    ),
    Case(
        "True/False items (KR-20)",
        "cronbach_alpha",
        lambda: likert() > 3,
        lambda d: peoscales.cronbach_alpha(d, missing="listwise"),
        Handled(lambda r, d: _close(r.alpha, _alpha(d.astype(float))), warns=(E.PeoscalesWarning,)),
    ),
    Case(
        "omega of one item",
        "omega",
        lambda: likert()[["i1"]],
        lambda d: peoscales.omega(d),
        Refused(E.InsufficientDataError, r"."),
    ),
    Case(
        "omega with text",
        "omega",
        lambda: _set(likert(), 3, "i2", "vier"),
        lambda d: peoscales.omega(d),
        Refused(E.DataTypeError, r"'i2'.*'vier'"),
    ),
    Case(
        "polychoric with too many categories",
        "polychoric",
        lambda: pd.DataFrame({"a": np.arange(40) % 20, "b": (np.arange(40) * 7) % 20}),
        lambda d: peoscales.polychoric(d),
        Refused(E.ParameterError, r"categor"),
    ),
    Case(
        "polychoric with decimals",
        "polychoric",
        lambda: likert().assign(i1=lambda d: d["i1"] + 0.5),
        lambda d: peoscales.polychoric(d),
        Refused(E.DataTypeError, r"whole-number.*column\(s\) 'i1'"),
    ),
    Case(
        "polychoric with infinite",
        "polychoric",
        lambda: _set(likert(), 0, "i3", np.inf).astype(float),
        lambda d: peoscales.polychoric(d),
        Refused(E.NonFiniteValueError, r"'i3'"),
    ),
    # crosstab ---------------------------------------------------------------------------
    Case(
        "valid crosstab",
        "crosstab",
        groups,
        lambda d: peoscales.crosstab(d, "sex", "team"),
        Handled(
            lambda r, d: _close(
                r.chi2,
                stats.chi2_contingency(pd.crosstab(d["sex"], d["team"]), correction=False)[0],
            )
        ),
    ),
    Case(
        "one row only",
        "crosstab",
        lambda: groups().assign(sex="vrouw"),
        lambda d: peoscales.crosstab(d, "sex", "team"),
        Refused(E.InsufficientDataError, r"sex"),
    ),
    Case(
        "same column twice",
        "crosstab",
        groups,
        lambda d: peoscales.crosstab(d, "sex", "sex"),
        Refused(E.ParameterError, r"sex"),
    ),
    Case(
        "missing column",
        "crosstab",
        groups,
        lambda d: peoscales.crosstab(d, "Sex", "team"),
        Refused(E.MissingColumnsError, r"'Sex'.*'sex'"),
    ),
    Case(
        "missing group values counted",
        "crosstab",
        lambda: _set(groups(), 0, "sex", None),
        lambda d: peoscales.crosstab(d, "sex", "team"),
        Handled(
            lambda r, d: None if r.n_excluded == 1 else pytest.fail(f"n_excluded={r.n_excluded}")
        ),
    ),
    Case(
        "unknown percent_of",
        "crosstab",
        groups,
        lambda d: peoscales.crosstab(d, "sex", "team", percent_of="cell"),
        Refused(E.ParameterError, r"percent_of"),
    ),
    Case(
        "negative count",
        "crosstab_from_table",
        lambda: pd.DataFrame([[3, -1], [2, 4]]),
        lambda d: peoscales.crosstab_from_table(d),
        Refused(E.DataTypeError, r"non-negative whole counts.*'0/1: -1'"),
    ),
    Case(
        "fractional count",
        "crosstab_from_table",
        lambda: pd.DataFrame([[3, 1.5], [2, 4]]),
        lambda d: peoscales.crosstab_from_table(d),
        Refused(E.DataTypeError, r"non-negative whole counts.*'0/1: 1\.5'"),
    ),
    Case(
        "infinite count",
        "crosstab_from_table",
        lambda: pd.DataFrame([[3, np.inf], [2, 4]]),
        lambda d: peoscales.crosstab_from_table(d),
        Refused(E.DataTypeError, r"non-negative whole counts.*'0/1: inf'"),
    ),
    Case(
        "1 x 2 table",
        "crosstab_from_table",
        lambda: pd.DataFrame([[3, 4]]),
        lambda d: peoscales.crosstab_from_table(d),
        Refused(E.InsufficientDataError, r"rows"),
    ),
    Case(
        "counts as text",
        "crosstab_from_table",
        lambda: pd.DataFrame([["3", "x"], ["2", "4"]]),
        lambda d: peoscales.crosstab_from_table(d),
        Refused(E.DataTypeError, r"non-numeric cells such as .*'x'"),
    ),
    Case(
        "valid 2 x 2 from counts",
        "crosstab_from_table",
        lambda: np.array([[12, 5], [7, 9]]),
        lambda d: peoscales.crosstab_from_table(d),
        Handled(lambda r, d: _close(r.chi2, stats.chi2_contingency(d, correction=False)[0])),
    ),
    # ttest / anova / regress specifics ----------------------------------------------------
    Case(
        "three groups in a t test",
        "ttest",
        groups,
        lambda d: peoscales.ttest(d, "score", "team"),
        Refused(E.ParameterError, r"team.*groups="),
    ),
    Case(
        "one group in a t test",
        "ttest",
        lambda: groups().assign(sex="vrouw"),
        lambda d: peoscales.ttest(d, "score", "sex"),
        Refused(E.InsufficientDataError, r"sex"),
    ),
    Case(
        "outcome and group swapped",
        "ttest",
        groups,
        lambda d: peoscales.ttest(d, "sex", "score"),
        Refused(E.DataTypeError, r"'sex'.*swap"),
    ),
    Case(
        "unknown alternative",
        "ttest",
        groups,
        lambda d: peoscales.ttest(d, "score", "sex", alternative="bigger"),
        Refused(E.ParameterError, r"alternative.*'bigger'"),
    ),
    Case(
        "confidence of 95",
        "ttest",
        groups,
        lambda d: peoscales.ttest(d, "score", "sex", confidence=95),
        Refused(E.ParameterError, r"confidence"),
    ),
    Case(
        "groups= naming an absent group",
        "ttest",
        groups,
        lambda d: peoscales.ttest(d, "score", "team", groups=["A", "Z"]),
        Refused(E.ParameterError, r"'Z'"),
    ),
    Case(
        "a group of one in anova",
        "anova",
        lambda: pd.concat(
            [groups(), pd.DataFrame({"sex": ["x"], "team": ["D"], "score": [2.0]})],
            ignore_index=True,
        ),
        lambda d: peoscales.anova(d, "score", "team"),
        Refused(E.InsufficientDataError, r"D"),
    ),
    Case(
        "unknown adjust",
        "anova",
        groups,
        lambda d: peoscales.anova(d, "score", "team", adjust="sidak"),
        Refused(E.ParameterError, r"adjust.*'sidak'"),
    ),
    Case(
        "collinear predictors",
        "regress",
        lambda: groups().assign(s2=lambda d: d["score"] * 2, y=np.arange(60.0)),
        lambda d: peoscales.regress(d, "y", ["score", "s2"]),
        Refused(E.CollinearityError, r"s2"),
    ),
    Case(
        "constant outcome",
        "regress",
        lambda: groups().assign(y=1.0),
        lambda d: peoscales.regress(d, "y", ["score"]),
        Refused(E.InsufficientDataError, r"'y'"),
    ),
    Case(
        "formula with unknown name",
        "regress",
        groups,
        lambda d: peoscales.regress(d, "score ~ tem"),
        Refused(E.MissingColumnsError, r"'tem'.*'team'"),
    ),
    Case(
        "formula without outcome",
        "regress",
        groups,
        lambda d: peoscales.regress(d, "~ team"),
        Refused(E.ParameterError, r"formula"),
    ),
    Case(
        "more coefficients than rows",
        "regress",
        lambda: groups().head(3),
        lambda d: peoscales.regress(d, "score", ["team", "sex"]),
        Refused(E.InsufficientDataError, r"'team' has one level, 'C'"),
    ),
    Case(
        "unknown robust",
        "regress",
        groups,
        lambda d: peoscales.regress(d, "score", ["team"], robust="HC9"),
        Refused(E.ParameterError, r"robust.*'HC9'"),
    ),
    Case(
        "reference level not present",
        "regress",
        groups,
        lambda d: peoscales.regress(d, "score", ["team"], reference={"team": "Z"}),
        Refused(E.ParameterError, r"'Z'"),
    ),
    Case(
        "rows with missing values counted",
        "regress",
        lambda: _set(groups(), 0, "score", np.nan).astype({"score": float}),
        lambda d: peoscales.regress(d, "score", ["team"]),
        Handled(
            lambda r, d: None if r.n_excluded == 1 else pytest.fail(f"n_excluded={r.n_excluded}")
        ),
    ),
    Case(
        "paired columns the same",
        "paired_test",
        likert,
        lambda d: peoscales.paired_test(d, "i1", "i1"),
        Refused(E.ParameterError, r"i1"),
    ),
    Case(
        "mu of text digits",
        "one_sample_test",
        likert,
        lambda d: peoscales.one_sample_test(d, "i1", mu="3"),
        Handled(lambda r, d: _close(r.t, stats.ttest_1samp(d["i1"], 3).statistic)),
    ),
    Case(
        "mu of a word",
        "one_sample_test",
        likert,
        lambda d: peoscales.one_sample_test(d, "i1", mu="drie"),
        Refused(E.ParameterError, r"mu"),
    ),
    Case(
        "mu infinite",
        "one_sample_test",
        likert,
        lambda d: peoscales.one_sample_test(d, "i1", mu=float("inf")),
        Refused(E.ParameterError, r"mu"),
    ),
    Case(
        "mediator also the outcome",
        "mediate",
        likert,
        lambda d: peoscales.mediate(d, "i1", "i2", "i2", n_boot=100),
        Refused(E.ParameterError, r"i2"),
    ),
    Case(
        "n_boot of 10",
        "mediate",
        likert,
        lambda d: peoscales.mediate(d, "i1", "i2", "i3", n_boot=10),
        Refused(E.ParameterError, r"n_boot"),
    ),
    Case(
        "covariate the sum of x and the mediator up to 1e-9 noise",
        "mediate",
        likert,
        lambda d: peoscales.mediate(
            d.assign(c=d["i1"] + d["i2"] + 1e-9 * np.sin(np.arange(len(d)))),
            "i1",
            "i2",
            "i3",
            covariates=["c"],
            n_boot=100,
        ),
        Refused(E.CollinearityError, r"collinear"),
    ),
    Case(
        "moderator missing",
        "moderate",
        likert,
        lambda d: peoscales.moderate(d, "i1", "i7", "i3"),
        Refused(E.MissingColumnsError, r"'i7'"),
    ),
    Case(
        "moderator with infinite",
        "moderate",
        lambda: _set(likert(), 1, "i2", np.inf).astype(float),
        lambda d: peoscales.moderate(d, "i1", "i2", "i3"),
        Refused(E.NonFiniteValueError, r"'i2'"),
    ),
    Case(
        "correlations of one column",
        "corr_matrix",
        lambda: likert()[["i1"]],
        lambda d: peoscales.corr_matrix(d),
        Refused(E.InsufficientDataError, r"two columns"),
    ),
    Case(
        "column without any answer",
        "corr_matrix",
        lambda: likert().assign(i1=np.nan),
        lambda d: peoscales.corr_matrix(d),
        Refused(E.InsufficientDataError, r"'i1'"),
    ),
    Case(
        "listwise leaving too few rows",
        "corr_matrix",
        lambda: likert().head(4).assign(i1=[1.0, np.nan, 2, np.nan], i2=[np.nan, 1.0, np.nan, 2]),
        lambda d: peoscales.corr_matrix(d, missing="listwise"),
        Refused(E.InsufficientDataError, r"pairwise"),
    ),
    Case(
        "constant column warns and gives NaN",
        "corr_matrix",
        lambda: likert().assign(i1=2.0),
        lambda d: peoscales.corr_matrix(d),
        Handled(
            lambda r, d: (
                None
                if np.isnan(r.r.loc["i1", "i2"])
                and np.isclose(r.r.loc["i2", "i3"], d["i2"].corr(d["i3"]))
                else pytest.fail("constant column")
            ),
            warns=(E.ConstantColumnWarning,),
        ),
    ),
    Case(
        "unknown method",
        "corr_matrix",
        likert,
        lambda d: peoscales.corr_matrix(d, method="pearsons"),
        Refused(E.ParameterError, r"method.*'pearsons'"),
    ),
    Case(
        "describe by a column without values",
        "describe",
        lambda: groups().assign(team=None),
        lambda d: peoscales.describe(d, "score", by="team"),
        Refused(E.InsufficientDataError, r"team"),
    ),
    Case(
        "describe by a column also described",
        "describe",
        groups,
        lambda d: peoscales.describe(d, ["score"], by="score"),
        Refused(E.ParameterError, r"score"),
    ),
    Case(
        "describe a text column",
        "describe",
        groups,
        lambda d: peoscales.describe(d, ["sex"]),
        Refused(E.DataTypeError, r"'sex'.*'vrouw'"),
    ),
    Case(
        "describe only text columns",
        "describe",
        lambda: groups()[["sex", "team"]],
        lambda d: peoscales.describe(d),
        Refused(E.DataTypeError, r"no numeric columns"),
    ),
    # factor analysis ----------------------------------------------------------------------
    Case(
        "more factors than items",
        "efa",
        likert,
        lambda d: peoscales.efa(d, n_factors=9),
        Refused(E.ParameterError, r"n_factors"),
    ),
    Case(
        "zero factors",
        "efa",
        likert,
        lambda d: peoscales.efa(d, n_factors=0),
        Refused(E.ParameterError, r"n_factors"),
    ),
    Case(
        "unknown rotation",
        "efa",
        likert,
        lambda d: peoscales.efa(d, n_factors=1, rotation="quartimaxx"),
        Refused(E.ParameterError, r"rotation.*'quartimaxx'"),
    ),
    Case(
        "efa with text",
        "efa",
        lambda: _set(likert(), 0, "i4", "vier"),
        lambda d: peoscales.efa(d, n_factors=1),
        Refused(E.DataTypeError, r"'i4'.*'vier'"),
    ),
    Case(
        "efa with infinite",
        "efa",
        lambda: _set(likert(), 0, "i4", -np.inf).astype(float),
        lambda d: peoscales.efa(d, n_factors=1),
        Refused(E.NonFiniteValueError, r"'i4'"),
    ),
    Case(
        "efa with a constant item",
        "efa",
        lambda: likert().assign(i2=3.0),
        lambda d: peoscales.efa(d, n_factors=1),
        Refused(E.InsufficientDataError, r"without variance: 'i2'"),
    ),
    Case(
        "suitability with too few rows",
        "factor_suitability",
        lambda: likert().head(3),
        lambda d: peoscales.factor_suitability(d),
        Refused(E.InsufficientDataError, r"."),
    ),
    Case(
        "parallel analysis with n_boot 0",
        "parallel_analysis",
        likert,
        lambda d: peoscales.parallel_analysis(d, n_boot=0),
        Refused(E.ParameterError, r"n_boot"),
    ),
    Case(
        "parallel analysis with quantile 1",
        "parallel_analysis",
        likert,
        lambda d: peoscales.parallel_analysis(d, quantile=1.0, n_boot=20, seed=1),
        Refused(E.ParameterError, r"quantile"),
    ),
    # simulate --------------------------------------------------------------------------
    Case(
        "n of a trillion",
        "simulate",
        lambda: None,
        lambda d: peoscales.simulate("brs", 10**12, seed=1),
        Refused(E.ParameterError, r"n"),
    ),
    Case(
        "negative n",
        "simulate",
        lambda: None,
        lambda d: peoscales.simulate("brs", -3),
        Refused(E.ParameterError, r"n"),
    ),
    Case(
        "fractional n",
        "simulate",
        lambda: None,
        lambda d: peoscales.simulate("brs", 2.5),
        Refused(E.ParameterError, r"n"),
    ),
    Case(
        "missing_share of 1.2",
        "simulate",
        lambda: None,
        lambda d: peoscales.simulate("brs", 10, missing_share=1.2),
        Refused(E.ParameterError, r"missing_share"),
    ),
    Case(
        "loading above one",
        "simulate",
        lambda: None,
        lambda d: peoscales.simulate("brs", 10, loading=1.5),
        Refused(E.ParameterError, r"loading"),
    ),
    Case(
        "same seed, same data",
        "simulate",
        lambda: None,
        lambda d: (peoscales.simulate("brs", 30, seed=4), peoscales.simulate("brs", 30, seed=4)),
        Handled(lambda r, d: pd.testing.assert_frame_equal(r[0], r[1])),
    ),
    # instruments ------------------------------------------------------------------------
    Case(
        "get an unknown instrument",
        "instruments",
        lambda: None,
        lambda d: peoscales.get_instrument("wbsn"),
        Refused(E.InstrumentNotFoundError, r"'wbsn'.*wbns"),
    ),
    Case(
        "instrument name of spaces",
        "instruments",
        lambda: None,
        lambda d: peoscales.get_instrument("  "),
        Refused(E.InstrumentNotFoundError, r"."),
    ),
    Case(
        "instrument name not text",
        "instruments",
        lambda: None,
        lambda d: peoscales.get_instrument(3),  # type: ignore[arg-type]
        Refused(E.ParameterError, r"instrument must be a name or an Instrument, got int"),
    ),
    Case(
        "register a built-in name again",
        "instruments",
        lambda: None,
        lambda d: peoscales.register_instrument(peoscales.get_instrument("brs")),
        Refused(E.ParameterError, r"'brs' is a built-in instrument"),
    ),
]


# --- PEO survey tables, repeated measures, CFA, scale-out, APA tables --------------------


@functools.cache
def _wave() -> Any:
    from peoscales import peo

    return peo.code_wave(peo.load_demo_export(), "2021-09")


def wave() -> Any:
    return _wave()


def wave_codes() -> pd.DataFrame:
    return _wave().codes(["space_overall", "space_reflect", "work_pleasure", "experience"])


def _counts_right(r: Any, d: Any) -> None:
    table = r.to_frame()
    codes = d.codes(["space_overall"])["space_overall"].value_counts()
    assert int(table["n"].iloc[: len(codes)].sum()) == int(codes.sum())


def _trend_counts_right(r: Any, d: Any) -> None:
    codes = d.codes(["space_overall"])["space_overall"]
    counts = r.counts.to_numpy(dtype=np.int64)
    assert counts[:, 0].tolist() == codes.iloc[:90].value_counts().sort_index().tolist()
    assert counts[:, 1].tolist() == codes.iloc[90:].value_counts().sort_index().tolist()


def _peo() -> Any:
    from peoscales import peo

    return peo


def _dask_folder(frames: list[pd.DataFrame]) -> Any:
    import dask.dataframe as dd

    return dd.from_pandas(pd.concat(frames, ignore_index=True), npartitions=len(frames))


MORE_CASES: list[Case] = [
    Case(
        "frequencies of a coded wave",
        "peo.frequency_table",
        wave,
        lambda d: _peo().frequency_table(d, "space_overall"),
        Handled(_counts_right),
    ),
    Case(
        "unknown item",
        "peo.frequency_table",
        wave,
        lambda d: _peo().frequency_table(d, "space_overal"),
        Refused(E.MissingColumnsError, r"'space_overal'.*did you mean 'space_overall'"),
    ),
    Case(
        "negative decimals",
        "peo.frequency_table",
        wave,
        lambda d: _peo().frequency_table(d, "space_overall", decimals=-1),
        Refused(E.ParameterError, r"decimals"),
    ),
    Case(
        "min_group_size of text",
        "peo.frequency_table",
        wave,
        lambda d: _peo().frequency_table(d, "space_overall", min_group_size="5"),
        Refused(E.ParameterError, r"min_group_size"),
    ),
    Case(
        "unknown codebook",
        "peo.frequency_table",
        wave,
        lambda d: _peo().frequency_table(d.data, "space_overall", codebook="peo_2099_01"),
        Refused(E.InstrumentNotFoundError, r"peo_2099_01"),
    ),
    Case(
        "unknown grouping",
        "peo.frequency_table",
        wave,
        lambda d: _peo().frequency_table(d, "space_overall", grouping="dichotomie"),
        Refused(E.ParameterError, r"grouping='dichotomie'"),
    ),
    Case(
        "crosstab of an item by itself",
        "peo.crosstab_table",
        wave,
        lambda d: _peo().crosstab_table(d, "space_overall", "space_overall"),
        Refused(E.ParameterError, r"space_overall"),
    ),
    Case(
        "group means by an unknown column",
        "peo.group_means",
        wave,
        lambda d: _peo().group_means(d, "work_pleasure", "employr"),
        Refused(E.MissingColumnsError, r"'employr'.*'employer'"),
    ),
    Case(
        "bands that are not increasing",
        "peo.bands",
        lambda: None,
        lambda d: _peo().bands([5, 3]),
        Refused(E.ParameterError, r"5.*3|increas"),
    ),
    Case(
        "bands with NaN",
        "peo.bands",
        lambda: None,
        lambda d: _peo().bands([1, float("nan")]),
        Refused(E.ParameterError, r"nan"),
    ),
    Case(
        "wave of another questionnaire",
        "peo.code_wave",
        lambda: _peo().load_demo_export(),
        lambda d: _peo().code_wave(d, "2020-05"),
        Refused(E.SurveyFormatError, r"2021-09|wave"),
    ),
    Case(
        "unknown wave",
        "peo.code_wave",
        lambda: _peo().load_demo_export(),
        lambda d: _peo().code_wave(d, "2030-01"),
        Refused(E.InstrumentNotFoundError, r"2030-01"),
    ),
    Case(
        "a frame without any question",
        "peo.code_wave",
        lambda: pd.DataFrame({"x": ["a", "b"]}),
        lambda d: _peo().code_wave(d, "2021-09"),
        Refused(E.SurveyFormatError, r"."),
    ),
    Case(
        "an unknown answer",
        "peo.code_wave",
        lambda: _with_answer(
            _peo().load_demo_export(), "Mijn professionele ruimte is:", "geweldig"
        ),
        lambda d: _peo().code_wave(d, "2021-09"),
        Refused(E.UnknownLabelError, r"geweldig"),
    ),
    Case(
        "two halves of a wave as two waves",
        "peo.trend",
        wave,
        lambda d: _peo().trend(
            {"2021-09": d.data.iloc[:90], "2022-04": d.data.iloc[90:]}, ["space_overall"]
        ),
        Handled(lambda r, d: _trend_counts_right(r, d), warns=(E.SmallExpectedCountWarning,)),
    ),
    Case(
        "a trend of one wave",
        "peo.trend",
        wave,
        lambda d: _peo().trend({"2021-09": d}),
        Refused(E.ParameterError, r"two or more waves"),
    ),
    Case(
        "a wave named for no codebook",
        "peo.trend",
        wave,
        lambda d: _peo().trend({"2021": d.data, "2022-04": d.data}),
        Refused(E.InstrumentNotFoundError, r"waves\['2021'\].*codebooks="),
    ),
    Case(
        "a list of frames as waves",
        "peo.trend",
        wave,
        lambda d: _peo().trend([d.data, d.data]),
        Refused(E.DataTypeError, r"waves\[0\] is a DataFrame"),
    ),
    Case(
        "an item of no codebook",
        "peo.trend",
        wave,
        lambda d: _peo().trend({"2021-09": d, "2022-04": d.data}, ["space_overal"]),
        Refused(E.ParameterError, r"'space_overal'.*'space_overall'"),
    ),
    Case(
        "wave scores of the wrong length",
        "peo.trend",
        wave,
        lambda d: _peo().trend({"2021-09": d, "2022-04": d.data}, wave_scores=[2021]),
        Refused(E.ParameterError, r"wave_scores must give one finite number per wave"),
    ),
    Case(
        "unknown language",
        "peo.code_wave",
        lambda: _peo().load_demo_export(),
        lambda d: _peo().code_wave(d, "2021-09", lang="de"),
        Refused(E.ParameterError, r"lang.*'de'"),
    ),
    # repeated measures ------------------------------------------------------------------
    Case(
        "repeated measures of three columns",
        "rm_anova",
        likert,
        lambda d: peoscales.rm_anova(d, ["i1", "i2", "i3"]),
        Handled(lambda r, d: _close(r.to_frame()["f"].iloc[0], _rm_f(d[["i1", "i2", "i3"]]), 1e-8)),
    ),
    Case(
        "one measurement only",
        "rm_anova",
        likert,
        lambda d: peoscales.rm_anova(d, ["i1"]),
        Refused(E.ParameterError, r"at least two columns.*\['i1'\]"),
    ),
    Case(
        "text among the measurements",
        "rm_anova",
        lambda: _set(likert(), 2, "i2", "twee"),
        lambda d: peoscales.rm_anova(d, ["i1", "i2", "i3"]),
        Refused(E.DataTypeError, r"'i2'.*'twee'"),
    ),
    Case(
        "infinite measurement",
        "rm_anova",
        lambda: _set(likert(), 2, "i3", np.inf).astype(float),
        lambda d: peoscales.rm_anova(d, ["i1", "i2", "i3"]),
        Refused(E.NonFiniteValueError, r"'i3'"),
    ),
    Case(
        "long data with a person measured twice",
        "rm_anova",
        lambda: pd.DataFrame(
            {"p": [1, 1, 1, 2, 2], "t": ["a", "a", "b", "a", "b"], "y": [1.0, 2, 3, 4, 5]}
        ),
        lambda d: peoscales.rm_anova(d, dv="y", within="t", subject="p"),
        Refused(E.ParameterError, r"one row per person and condition"),
    ),
    # factor models ----------------------------------------------------------------------
    Case(
        "cfa of an unknown instrument",
        "cfa",
        lambda: brs(200),
        lambda d: peoscales.cfa(d, "brx"),
        Refused(E.InstrumentNotFoundError, r"brx"),
    ),
    Case(
        "cfa with text answers",
        "cfa",
        lambda: _set(brs(200), 3, "brs_2", "twee"),
        lambda d: peoscales.cfa(d, "brs"),
        Refused(E.DataTypeError, r"'brs_2'.*'twee'"),
    ),
    Case(
        "cfa with a missing item",
        "cfa",
        lambda: brs(200).drop(columns="brs_3"),
        lambda d: peoscales.cfa(d, "brs"),
        Refused(E.MissingColumnsError, r"brs_3"),
    ),
    Case(
        "invariance with one group",
        "invariance",
        lambda: brs(200).assign(team="A"),
        lambda d: peoscales.invariance(d, "brs", between="team"),
        Refused(E.ParameterError, r"between='team' has 1 group"),
    ),
    # scale-out ------------------------------------------------------------------------
    Case(
        "dask correlations equal pandas ones",
        "corr_matrix_dask",
        lambda: [likert(seed=1), likert(seed=2)],
        lambda d: peoscales.corr_matrix_dask(_dask_folder(d)),
        Handled(lambda r, d: _close(r.r.to_numpy(), pd.concat(d).corr().to_numpy(), 1e-9)),
    ),
    Case(
        "dask correlations with infinite",
        "corr_matrix_dask",
        lambda: [likert(seed=1), _set(likert(seed=2), 5, "i4", np.inf).astype(float)],
        lambda d: peoscales.corr_matrix_dask(_dask_folder(d)),
        Refused(E.NonFiniteValueError, r"partition 1: .*infinite values in column\(s\) 'i4'"),
    ),
    Case(
        "dask correlations of a column near 1e300",
        "corr_matrix_dask",
        lambda: [likert(seed=1) * 1e300, likert(seed=2) * 1e300],
        lambda d: peoscales.corr_matrix_dask(_dask_folder(d)),
        Refused(E.NonFiniteValueError, r"extreme magnitude in column\(s\) 'i1'"),
    ),
    Case(
        "dask correlations of a pandas frame",
        "corr_matrix_dask",
        likert,
        lambda d: peoscales.corr_matrix_dask(d),
        Refused(E.DataTypeError, r"dask"),
    ),
    Case(
        "dask scores equal pandas ones",
        "score_dask",
        lambda: [brs(20, seed=1), brs(20, seed=2)],
        lambda d: peoscales.score_dask(_dask_folder(d), "brs").compute(),
        Handled(
            lambda r, d: _close(
                r["brs"].to_numpy(), brs_score(pd.concat(d, ignore_index=True)).to_numpy()
            )
        ),
    ),
    Case(
        "dask scores with a code out of range",
        "score_dask",
        lambda: [brs(20, seed=1), _set(brs(20, seed=2), 3, "brs_1", 9)],
        lambda d: peoscales.score_dask(_dask_folder(d), "brs").compute(),
        Refused(E.OutOfRangeError, r"partition 1: .*'brs_1'"),
    ),
    Case(
        "dask reliability equals in-memory",
        "reliability_dask",
        lambda: [brs(60, seed=1), brs(40, seed=2)],
        lambda d: peoscales.reliability_dask(_dask_folder(d), "brs"),
        Handled(
            lambda r, d: _close(
                r.table()["alpha"],
                peoscales.reliability(pd.concat(d, ignore_index=True), "brs").table()["alpha"],
            )
        ),
    ),
    Case(
        "dask reliability with a code out of range",
        "reliability_dask",
        lambda: [brs(20, seed=1), _set(brs(20, seed=2), 3, "brs_1", 9)],
        lambda d: peoscales.reliability_dask(_dask_folder(d), "brs"),
        Refused(E.OutOfRangeError, r"partition 1: .*'brs_1'"),
    ),
    Case(
        "dask reliability with a bootstrap",
        "reliability_dask",
        lambda: [brs(20, seed=1), brs(20, seed=2)],
        lambda d: peoscales.reliability_dask(_dask_folder(d), "brs", ci_method="bootstrap"),
        Refused(E.ParameterError, r"bootstrap.*all rows"),
    ),
    Case(
        "dask descriptives with infinite",
        "describe_dask",
        lambda: [likert(seed=1), _set(likert(seed=2), 5, "i4", np.inf).astype(float)],
        lambda d: peoscales.describe_dask(_dask_folder(d)),
        Refused(E.NonFiniteValueError, r"partition 1: .*infinite values in column\(s\) 'i4'"),
    ),
    Case(
        "dask descriptives of a pandas frame",
        "describe_dask",
        likert,
        lambda d: peoscales.describe_dask(d),
        Refused(E.DataTypeError, r"dask"),
    ),
    Case(
        "dask frequencies of a column of unknown categories",
        "frequency_table_dask",
        lambda: [pd.DataFrame({"mood": ["good", "bad"] * 5})] * 2,
        lambda d: peoscales.frequency_table_dask(_dask_folder(d), "mood"),
        Refused(E.ParameterError, r"as_known"),
    ),
    # APA tables ------------------------------------------------------------------------
    Case(
        "APA table of correlations",
        "apa",
        likert,
        lambda d: peoscales.corr_matrix(d).to_apa(),
        Handled(lambda r, d: None if "i1" in r.to_frame().to_string() else pytest.fail("no i1")),
    ),
    # arguments found by fuzzing every public function with odd values ------------------
    Case(
        "max_categories of text",
        "polychoric",
        likert,
        lambda d: peoscales.polychoric(d, max_categories="x"),
        Refused(E.ParameterError, r"max_categories must be a whole number.*'x'"),
    ),
    Case(
        "quantile of None",
        "parallel_analysis",
        likert,
        lambda d: peoscales.parallel_analysis(d, quantile=None, n_boot=20, seed=1),
        Refused(E.ParameterError, r"quantile"),
    ),
    *[
        Case(
            f"max_map of {value!r}",
            "parallel_analysis",
            likert,
            lambda d, value=value: peoscales.parallel_analysis(d, max_map=value, n_boot=20, seed=1),
            Refused(
                E.ParameterError, r"max_map must be a whole number of at least 1 and at most 5"
            ),
        )
        for value in (float("nan"), float("inf"), -1, 0, "x", 9)
    ],
    Case(
        "describe by a list",
        "describe",
        groups,
        lambda d: peoscales.describe(d, ["score"], by=["sex", "team"]),
        Refused(E.ParameterError, r"by must be one column name"),
    ),
    Case(
        "columns of one name, not a list",
        "rm_anova",
        likert,
        lambda d: peoscales.rm_anova(d, 2),  # type: ignore[arg-type]
        Refused(E.ParameterError, r"columns must name at least two columns"),
    ),
    Case(
        "a billion bootstrap replicates",
        "cronbach_alpha",
        likert,
        lambda d: peoscales.cronbach_alpha(d, ci_method="bootstrap", n_boot=10**12, seed=1),
        Refused(E.ParameterError, r"n_boot=1,000,000,000,000 needs about .* GiB"),
    ),
    Case(
        "a billion mediation replicates",
        "mediate",
        likert,
        lambda d: peoscales.mediate(d, "i1", "i2", "i3", n_boot=10**12, seed=1),
        Refused(E.ParameterError, r"n_boot=1,000,000,000,000 needs about .* GiB"),
    ),
    Case(
        "a billion parallel-analysis replicates",
        "parallel_analysis",
        likert,
        lambda d: peoscales.parallel_analysis(d, n_boot=10**12, seed=1),
        Refused(E.ParameterError, r"n_boot=1,000,000,000,000 needs about .* GiB"),
    ),
    Case(
        "the old name missing= still works",
        "simulate",
        lambda: None,
        lambda d: _old_name_warns(lambda: peoscales.simulate("brs", 10, missing=0.2, seed=1)),
        Handled(
            lambda r, d: pd.testing.assert_frame_equal(
                r, peoscales.simulate("brs", 10, missing_share=0.2, seed=1)
            )
        ),
    ),
]
CASES += MORE_CASES

# --- check-all-that-apply questions, the interaction charts, mixed post-hoc tests ------

_WHOM = "Aan wie vraag je steun?"
_MULTI_BOOK = """
name = "adversarial_support"
kind = "codebook"
[response_scales.support]
kind = "multi"
options = [
  { code = 1, nl = "Collega" },
  { code = 2, nl = "Leidinggevende" },
  { code = 9, name = "other", nl = "Anders, namelijk", other = true },
]
[[items]]
id = "support"
response_scale = "support"
nl = "Aan wie vraag je steun?"
"""


def _multi_book() -> Any:
    from peoscales.instruments.loader import parse_definition

    return parse_definition(_MULTI_BOOK, "adversarial_support.toml")


def _boxes(**cells: list[Any]) -> pd.DataFrame:
    return pd.DataFrame({f"{_WHOM} | {k}": v for k, v in cells.items()})


def _chosen(expected: list[list[bool]]) -> Callable[[Any, Any], None]:
    def check(result: Any, data: Any) -> None:
        got = result.data[["support_1", "support_2", "support_other"]].to_numpy(dtype=bool)
        np.testing.assert_array_equal(got, np.asarray(expected))

    return check


def _lines_equal_plot_data(ax: Any, data: Any) -> None:
    ys = [line.get_ydata()[-1] for line in ax.get_lines()]
    np.testing.assert_allclose(ys, [2.0, 4.0])


def _mixed() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    return pd.DataFrame(
        {
            "a": rng.normal(size=12),
            "b": rng.normal(size=12),
            "c": rng.normal(size=12),
            "g": ["x"] * 6 + ["y"] * 6,
        }
    )


def _simple_tests_right(result: Any, data: pd.DataFrame) -> None:
    part = data[data["g"] == "x"]
    ref = stats.ttest_rel(part["a"], part["b"])
    row = result.posthoc_within.iloc[0]
    assert (row["group"], row["level1"], row["level2"]) == ("x", "a", "b")
    assert row["t"] == pytest.approx(ref.statistic, rel=1e-10)
    welch = stats.ttest_ind(data.loc[data["g"] == "x", "a"], data.loc[data["g"] == "y", "a"],
                            equal_var=False)  # fmt: skip
    assert result.posthoc_between.iloc[0]["p"] == pytest.approx(welch.pvalue, rel=1e-9)


CASES += [
    Case(
        "check boxes as text, 1, 0, True and typed other text",
        "peo.code_wave (multi)",
        lambda: _boxes(
            Collega=["Collega", "1", None, True],
            Leidinggevende=[0, None, "leidinggevende ", False],
            **{"Other (please specify)": [None, "mijn coach", None, ""]},
        ),
        lambda d: _peo().code_wave(d, _multi_book()),
        Handled(
            _chosen(
                [
                    [True, False, False],
                    [True, False, True],
                    [False, True, False],
                    [True, False, False],
                ]
            )
        ),
    ),
    Case(
        "a number other than 0 or 1 in a box",
        "peo.code_wave (multi)",
        lambda: _boxes(Collega=["Collega", 2], Leidinggevende=[None, None]),
        lambda d: _peo().code_wave(d, _multi_book()),
        Refused(E.UnknownLabelError, r"Collega'.*2"),
    ),
    Case(
        "an option text the codebook lacks",
        "peo.code_wave (multi)",
        lambda: _boxes(Collega=["Collega"], Buurman=["Buurman"]),
        lambda d: _peo().code_wave(d, _multi_book()),
        Refused(E.UnknownLabelError, r"'Buurman' is not one of its options"),
    ),
    Case(
        "a listed choice the codebook lacks",
        "peo.code_wave (multi)",
        lambda: pd.DataFrame({_WHOM: ["1,2", "1,7"]}),
        lambda d: _peo().code_wave(d, _multi_book()),
        Refused(E.UnknownLabelError, r"'1,7' x1"),
    ),
    Case(
        "a listed column of empty cells only",
        "peo.code_wave (multi)",
        lambda: pd.DataFrame({_WHOM: [None, None]}),
        lambda d: _peo().code_wave(d, _multi_book()),
        Handled(_chosen([[False, False, False], [False, False, False]])),
    ),
    Case(
        "the question's columns mapped with one column too few",
        "peo.code_wave (multi)",
        lambda: pd.DataFrame({"x": ["1"], "y": [""]}),
        lambda d: _peo().code_wave(d, _multi_book(), columns={"support": ["x", "y"]}),
        Refused(E.ParameterError, r"columns\['support'\]: give one column per option"),
    ),
    Case(
        "a single name that is no check-all-that-apply item",
        "peo.multi_response_table",
        lambda: pd.DataFrame({"a": [True, False]}),
        lambda d: _peo().multi_response_table(d, "a"),
        Refused(E.ParameterError, r"options='a'"),
    ),
    Case(
        "interaction plot data without its interval",
        "plot.interaction",
        lambda: pd.DataFrame({"at": ["w = 1", "w = 1"], "x": [0.0, 1.0], "y": [1.0, 2.0]}),
        lambda d: peoscales.plot.interaction(d),
        Refused(E.ColumnError, r"plot_data needs columns.*ci_high"),
    ),
    Case(
        "interaction plot lines without bands",
        "plot.interaction",
        lambda: pd.DataFrame(
            {"at": ["lo", "lo", "hi", "hi"], "x": [0.0, 1.0, 0.0, 1.0], "y": [1.0, 2.0, 1.0, 4.0]}
        ),
        lambda d: peoscales.plot.interaction(d, band=False),
        Handled(_lines_equal_plot_data),
    ),
    Case(
        "Johnson-Neyman plot of a list",
        "plot.johnson_neyman",
        lambda: None,
        lambda d: peoscales.plot.johnson_neyman([1, 2, 3]),  # type: ignore[arg-type]
        Refused(E.ParameterError, r"conditional_effects must be a pandas DataFrame"),
    ),
    Case(
        "mixed design: simple comparisons",
        "rm_anova",
        _mixed,
        lambda d: peoscales.rm_anova(d, ["a", "b", "c"], between="g"),
        Handled(_simple_tests_right),
    ),
]


def _old_name_warns(call: Callable[[], Any]) -> Any:
    with pytest.warns(E.DeprecatedNameWarning, match="missing_share"):
        return call()


def _with_answer(export: Any, question: str, answer: str) -> Any:
    import dataclasses

    data = export.data.copy()
    column = next(c for c in data.columns if str(c).startswith(question))
    data[column] = data[column].astype(object)
    data.iloc[0, data.columns.get_loc(column)] = answer
    return dataclasses.replace(export, data=data)


def _rm_f(x: pd.DataFrame) -> float:
    """One-way repeated-measures F by hand: conditions against the person-by-condition residual."""
    values = x.to_numpy(float)
    n, k = values.shape
    grand = values.mean()
    ss_cond = n * ((values.mean(axis=0) - grand) ** 2).sum()
    ss_subj = k * ((values.mean(axis=1) - grand) ** 2).sum()
    ss_total = ((values - grand) ** 2).sum()
    ss_error = ss_total - ss_cond - ss_subj
    return float((ss_cond / (k - 1)) / (ss_error / ((n - 1) * (k - 1))))


def _keyed(d: pd.DataFrame) -> pd.DataFrame:
    keyed = d[[f"brs_{i}" for i in range(1, 7)]].astype(float).copy()
    for col in REVERSED:
        keyed[col] = 6 - keyed[col]
    return keyed


def _alpha(d: pd.DataFrame) -> float:
    x = d.dropna()
    k = x.shape[1]
    return float(k / (k - 1) * (1 - x.var(ddof=1).sum() / x.sum(axis=1).var(ddof=1)))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.area}: {c.id}" for c in CASES])
def test_case(case: Case) -> None:
    data = case.data()
    before = data.copy() if isinstance(data, (pd.DataFrame, np.ndarray)) else None
    if isinstance(case.expect, Refused):
        assert issubclass(case.expect.error, E.PeoscalesError)
        with pytest.raises(case.expect.error, match=case.expect.match):
            case.call(data)
    else:
        with warnings.catch_warnings():
            for warning in case.expect.warns:
                warnings.simplefilter("ignore", warning)
            result = case.call(data)
        case.expect.check(result, data)
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(data, before)
    elif isinstance(before, np.ndarray):
        np.testing.assert_array_equal(data, before)


def test_case_ids_are_unique() -> None:
    ids = [(c.area, c.id) for c in CASES]
    assert len(ids) == len(set(ids))


def test_every_refusal_names_a_specific_error() -> None:
    # The base class would accept any peoscales error: each case says which one.
    vague = [
        c.id for c in CASES if isinstance(c.expect, Refused) and c.expect.error is E.PeoscalesError
    ]
    assert not vague
