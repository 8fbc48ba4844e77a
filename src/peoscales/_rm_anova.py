"""Repeated-measures ANOVA (one within factor, optionally one between) and Friedman's test.

The data are wide (one row per person, one column per condition: ``columns=[...]``) or
long (one row per person and condition: ``dv``, ``within`` and ``subject``). Persons
with a missing score in any condition are left out and counted.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from peoscales._groups import _apa_df, _fixed, encode_groups, pair_label
from peoscales._kernels import within as kern
from peoscales._kernels.posthoc import ADJUST_METHODS, p_adjust, p_adjust_by
from peoscales._results import (
    Result,
    Section,
    apa_number,
    apa_p,
    count_text,
    format_p,
    sections_html,
    sections_text,
)
from peoscales._validation import (
    as_frame,
    check_option,
    numeric_block,
    preview,
    require_columns,
)
from peoscales.errors import InsufficientDataError, ParameterError

__all__ = ["FriedmanResult", "RMAnovaResult", "rm_anova"]


@dataclass(frozen=True, eq=False, repr=False)
class RMAnovaResult(Result):
    """A repeated-measures (or mixed) ANOVA with sphericity tests and corrections.

    Attributes
    ----------
    within : str
        Name of the within-person factor (``"condition"`` for wide data by default).
    between : column name or None
        The between-persons factor of a mixed design.
    table : DataFrame
        One row per effect (``between``, ``within``, ``between:within``): ``ss``, ``df1``,
        ``df2``, ``f``, ``p``, ``eta2_partial``, ``eta2_generalized``, the Greenhouse–
        Geisser and Huynh–Feldt ``epsilon_gg``, ``p_gg``, ``epsilon_hf``, ``p_hf``
        (within-person effects only), and ``ss_error``.
    f, df1, df2, p : float
        The test of the within-person factor (sphericity assumed).
    eta2_partial, eta2_generalized : float
        Its partial and generalised η².
    mauchly : DataFrame
        Mauchly's test of sphericity: ``w``, ``chi2``, ``df``, ``p`` (NaN with two
        conditions, where sphericity holds trivially).
    posthoc : DataFrame or None
        Paired t-tests of every pair of conditions: ``level1``, ``level2``, ``diff``
        (level1 − level2), ``se``, ``t``, ``df``, ``p``, ``p_adjusted``.
    posthoc_within : DataFrame or None
        Mixed design: paired t-tests of every pair of conditions inside each group,
        ``group``, ``level1``, ``level2``, ``diff``, ``se``, ``t``, ``df``, ``p``,
        ``p_adjusted`` (adjusted within the group).
    posthoc_between : DataFrame or None
        Mixed design: Welch t-tests of every pair of groups at each condition,
        ``level``, ``group1``, ``group2``, ``diff`` (group1 − group2), ``se``, ``t``,
        ``df``, ``p``, ``p_adjusted`` (adjusted over the group pairs at that condition).
    adjust : str
        The p-value adjustment of the post-hoc tests.
    descriptives : DataFrame
        n, mean, sd, se per condition (and group, in a mixed design).
    n, n_excluded : int
        Persons used; persons left out for a missing score (or group).
    """

    within: str
    between: Hashable | None
    table: pd.DataFrame
    f: float
    df1: float
    df2: float
    p: float
    eta2_partial: float
    eta2_generalized: float
    mauchly: pd.DataFrame
    posthoc: pd.DataFrame | None
    adjust: str
    descriptives: pd.DataFrame
    n: int
    n_excluded: int
    posthoc_within: pd.DataFrame | None = None
    posthoc_between: pd.DataFrame | None = None

    @property
    def title(self) -> str:  # type: ignore[override]
        kind = "Mixed" if self.between is not None else "Repeated-measures"
        return f"{kind} ANOVA of {self.within}"

    def to_frame(self) -> pd.DataFrame:
        """The ANOVA table, one row per effect."""
        return self.table

    def to_apa(self, term: str | None = None) -> str:
        """APA report of an effect (default: the within factor), Greenhouse–Geisser
        corrected when Mauchly's test is significant (p < .05):
        ``F(1.83, 67.68) = 3.45, p = .044, η²p = .09, ε = .92``."""
        name = self.within if term is None else term
        if name not in self.table.index:
            raise ParameterError(
                f"term={term!r} is not in the table; its terms are {list(self.table.index)}."
            )
        row = self.table.loc[name]
        corrected = not math.isnan(row["epsilon_gg"]) and self.mauchly["p"].iloc[0] < 0.05
        if corrected:
            eps = row["epsilon_gg"]
            head = (
                f"F({_apa_df(row['df1'] * eps)}, {_apa_df(row['df2'] * eps)}) = "
                f"{apa_number(row['f'])}, {apa_p(row['p_gg'])}"
            )
        else:
            head = (
                f"F({_apa_df(row['df1'])}, {_apa_df(row['df2'])}) = {apa_number(row['f'])}, "
                f"{apa_p(row['p'])}"
            )
        text = f"{head}, η²p = {apa_number(row['eta2_partial'], leading_zero=False)}"
        if corrected:
            text += f", ε = {apa_number(row['epsilon_gg'], leading_zero=False)}"
        return text

    def _sections(self) -> list[Section]:
        t = self.table

        def cells(column: str, digits: int, bounded: bool = False) -> list[str]:
            return ["" if math.isnan(v) else _fixed(v, digits, bounded=bounded) for v in t[column]]

        table = pd.DataFrame(
            {
                "SS": cells("ss", 3),
                "df1": [count_text(v) for v in t["df1"]],
                "df2": [count_text(v) for v in t["df2"]],
                "F": cells("f", 2),
                "p": [format_p(v) for v in t["p"]],
                "η²p": cells("eta2_partial", 3, True),
                "η²G": cells("eta2_generalized", 3, True),
                "ε GG": cells("epsilon_gg", 3, True),
                "p GG": ["" if math.isnan(v) else format_p(v) for v in t["p_gg"]],
                "ε HF": cells("epsilon_hf", 3),
                "p HF": ["" if math.isnan(v) else format_p(v) for v in t["p_hf"]],
            },
            index=pd.Index(list(t.index), name="Effect"),
        )
        m = self.mauchly.iloc[0]
        mauchly = pd.DataFrame(
            {
                "W": ["" if math.isnan(m["w"]) else _fixed(m["w"], 3, bounded=True)],
                "χ²": ["" if math.isnan(m["chi2"]) else _fixed(m["chi2"], 2)],
                "df": [count_text(m["df"])],
                "p": [format_p(m["p"])],
            },
            index=pd.Index([self.within], name="Mauchly's test"),
        )
        desc = self.descriptives
        shown = pd.DataFrame(
            {
                "n": [count_text(v) for v in desc["n"]],
                "M": [_fixed(v) for v in desc["mean"]],
                "SD": [_fixed(v) for v in desc["sd"]],
            },
            index=desc.index,
        )
        out: list[Section] = [(None, shown), (None, table), (None, mauchly)]
        if self.posthoc is not None:
            ph = self.posthoc
            pairs = pd.DataFrame(
                {
                    "Difference": [_fixed(v) for v in ph["diff"]],
                    "t": [_fixed(v, 2) for v in ph["t"]],
                    "df": [count_text(v) for v in ph["df"]],
                    "p": [format_p(v) for v in ph["p"]],
                    f"p ({self.adjust})": [format_p(v) for v in ph["p_adjusted"]],
                },
                index=pd.Index(
                    [pair_label(a, b) for a, b in zip(ph["level1"], ph["level2"])], name="Pair"
                ),
            )
            out.append(("Post-hoc paired t-tests", pairs))
        if self.posthoc_within is not None:
            ph = self.posthoc_within
            out.append(
                (
                    f"Paired t-tests of {self.within} within each group of {self.between}",
                    self._pairs(ph, [f"{g}: {pair_label(a, b)}" for g, a, b in
                                     zip(ph["group"], ph["level1"], ph["level2"])]),
                )
            )  # fmt: skip
        if self.posthoc_between is not None:
            ph = self.posthoc_between
            out.append(
                (
                    f"Welch t-tests of {self.between} at each {self.within}",
                    self._pairs(ph, [f"{lv}: {pair_label(a, b)}" for lv, a, b in
                                     zip(ph["level"], ph["group1"], ph["group2"])]),
                )
            )  # fmt: skip
        return out

    def _pairs(self, ph: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "Difference": [_fixed(v) for v in ph["diff"]],
                "t": [_fixed(v, 2) for v in ph["t"]],
                "df": [count_text(v) if float(v).is_integer() else _fixed(v, 2)
                       for v in ph["df"]],
                "p": [format_p(v) for v in ph["p"]],
                f"p ({self.adjust})": [format_p(v) for v in ph["p_adjusted"]],
            },
            index=pd.Index(labels, name="Pair"),
        )  # fmt: skip

    def _notes(self) -> list[str]:
        return [
            self.to_apa(),
            f"n = {self.n} persons, left out for a missing score: {self.n_excluded}",
        ]

    def summary(self) -> str:
        """Descriptives, the ANOVA table, Mauchly's test and post-hoc tests as text."""
        return sections_text(self.title, self._sections(), self._notes())

    def _repr_html_(self) -> str:
        return sections_html(self.title, self._sections(), self._notes())


@dataclass(frozen=True, eq=False, repr=False)
class FriedmanResult(Result):
    """Friedman's rank test of several conditions of the same persons, with Kendall's W.

    Attributes
    ----------
    within : str
    chi2, df, p : float
        Friedman's statistic (ties within a person corrected, as R's ``friedman.test``).
    kendalls_w : float
        Kendall's W = χ² / (n (k − 1)).
    descriptives : DataFrame
        n, median and mean rank per condition.
    n, n_excluded : int
    """

    within: str
    chi2: float
    df: float
    p: float
    kendalls_w: float
    descriptives: pd.DataFrame
    n: int
    n_excluded: int

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Friedman test of {self.within}"

    def to_frame(self) -> pd.DataFrame:
        """One row: chi2, df, p, kendalls_w, n, n_excluded."""
        return pd.DataFrame(
            {
                "chi2": [self.chi2],
                "df": [self.df],
                "p": [self.p],
                "kendalls_w": [self.kendalls_w],
                "n": [self.n],
                "n_excluded": [self.n_excluded],
            },
            index=pd.Index([self.within], name="within"),
        )

    def to_apa(self) -> str:
        """APA report: ``χ²(2) = 7.41, p = .025, W = .10``."""
        return (
            f"χ²({_apa_df(self.df)}) = {apa_number(self.chi2)}, {apa_p(self.p)}, "
            f"W = {apa_number(self.kendalls_w, leading_zero=False)}"
        )

    def _sections(self) -> list[Section]:
        d = self.descriptives
        desc = pd.DataFrame(
            {
                "n": [count_text(v) for v in d["n"]],
                "Median": [_fixed(v) for v in d["median"]],
                "Mean rank": [_fixed(v, 2) for v in d["mean_rank"]],
            },
            index=d.index,
        )
        test = pd.DataFrame(
            {
                "χ²": [_fixed(self.chi2, 2)],
                "df": [count_text(self.df)],
                "p": [format_p(self.p)],
                "Kendall's W": [_fixed(self.kendalls_w, bounded=True)],
            },
            index=pd.Index([self.within], name="Within"),
        )
        return [(None, desc), (None, test)]

    def _notes(self) -> list[str]:
        return [self.to_apa(), f"n = {self.n} persons, left out: {self.n_excluded}"]

    def summary(self) -> str:
        """Mean ranks and the test as text."""
        return sections_text(self.title, self._sections(), self._notes())

    def _repr_html_(self) -> str:
        return sections_html(self.title, self._sections(), self._notes())


@dataclass(frozen=True)
class _Wide:
    y: np.ndarray  # persons x conditions, complete
    levels: list[Any]
    codes: np.ndarray  # group code per person (zeros without a between factor)
    groups: list[Any]
    within: str
    n_excluded: int


def _wide(
    frame: pd.DataFrame,
    columns: Sequence[Hashable] | None,
    dv: Hashable | None,
    within: Hashable | None,
    subject: Hashable | None,
    between: Hashable | None,
) -> _Wide:
    long_args = {"dv": dv, "within": within, "subject": subject}
    if columns is not None:
        given = [k for k, v in long_args.items() if v is not None and k != "within"]
        if given:
            raise ParameterError(
                f"Give either columns=[...] (wide data) or dv, within and subject (long "
                f"data), not both: {', '.join(given)} given with columns."
            )
        if isinstance(columns, (str, bytes)) or not hasattr(columns, "__len__") or len(columns) < 2:
            raise ParameterError(
                f"columns must name at least two columns (the conditions), got {columns!r}."
            )
        levels = list(columns)
        if len(set(levels)) != len(levels):
            raise ParameterError(f"columns names a column twice: {preview(levels)}.")
        require_columns(frame, [*levels, *([between] if between is not None else [])])
        if between is not None and between in levels:
            raise ParameterError(f"between={between!r} is also one of the columns.")
        wide = frame
        name = str(within) if within is not None else "condition"
    else:
        missing = [k for k, v in long_args.items() if v is None]
        if missing:
            raise ParameterError(
                "Give the conditions as columns=[...] (wide data: one row per person), or "
                f"dv, within and subject (long data); {', '.join(missing)} missing."
            )
        require_columns(frame, [dv, within, subject, *([between] if between is not None else [])])
        keys = frame[[subject, within]]
        if keys.isna().any().any():
            raise ParameterError(
                f"subject {subject!r} and within {within!r} must not be missing; "
                f"{int(keys.isna().any(axis=1).sum())} row(s) have no person or condition."
            )
        twice = keys.duplicated(keep=False)
        if twice.any():
            shown = keys[twice].head(3).to_records(index=False).tolist()
            raise ParameterError(
                f"Long data must have one row per person and condition; {int(twice.sum())} "
                f"rows repeat a ({subject!r}, {within!r}) pair, e.g. {preview(shown, 3)}. "
                "Average or remove the duplicates first."
            )
        _, levels, _ = encode_groups(frame[within])
        scores = numeric_block(frame, [dv])[:, 0]
        wide = pd.DataFrame(
            {
                "__subject": frame[subject].to_numpy(),
                "__level": frame[within].to_numpy(),
                "__y": scores,
            }
        ).pivot(index="__subject", columns="__level", values="__y")
        wide = wide.reindex(columns=levels)
        if between is not None:
            per_person = frame.groupby(subject, sort=False)[between].nunique(dropna=False)
            varying = per_person[per_person > 1]
            if len(varying):
                raise ParameterError(
                    f"between={between!r} must be constant within a person; it varies for "
                    f"{subject!r} {preview(list(varying.index), 3)}."
                )
            wide[between] = frame.groupby(subject, sort=False)[between].first()
        name = str(within)
    y = numeric_block(wide, levels)
    if between is not None:
        codes, groups, _ = encode_groups(wide[between])
    else:
        codes, groups = np.zeros(len(wide), dtype=np.int64), [None]
    keep = ~np.isnan(y).any(axis=1) & (codes >= 0)
    y, codes = y[keep], codes[keep]
    counts = np.bincount(codes, minlength=len(groups))
    present = counts > 0
    renumber = np.cumsum(present) - 1
    codes = renumber[codes]
    groups = [g for g, c in zip(groups, counts) if c > 0]
    if y.shape[0] - len(groups) < 1 or y.shape[0] < 2:
        raise InsufficientDataError(
            f"Too few complete persons ({y.shape[0]}) for a repeated-measures analysis "
            f"of {len(levels)} conditions; {int((~keep).sum())} were left out for a missing "
            "score."
        )
    return _Wide(y, [str(v) for v in levels], codes, groups, name, int((~keep).sum()))


def rm_anova(
    data: pd.DataFrame,
    columns: Sequence[Hashable] | None = None,
    *,
    dv: Hashable | None = None,
    within: Hashable | None = None,
    subject: Hashable | None = None,
    between: Hashable | None = None,
    method: Literal["anova", "friedman"] = "anova",
    posthoc: bool = True,
    adjust: Literal["holm", "bonferroni", "fdr_bh", "none"] = "holm",
) -> RMAnovaResult | FriedmanResult:
    """Compare several scores of the same persons: repeated-measures ANOVA or Friedman.

    Parameters
    ----------
    data : DataFrame
        Wide (one row per person) or long (one row per person and condition). Never
        modified.
    columns : list of column names, optional
        Wide data: the conditions, one column each (e.g. the three needs).
    dv, within, subject : column names, optional
        Long data: the score, the condition and the person id. With wide data,
        ``within`` may name the factor (default ``"condition"``).
    between : column name, optional
        A between-persons factor: a mixed (split-plot) ANOVA. Constant within a person.
    method : {"anova", "friedman"}
        ``"friedman"``: Friedman's rank test with Kendall's W (no between factor).
    posthoc : bool, default True
        ANOVA: paired t-tests of every pair of conditions, with adjusted p. In a mixed
        design also the simple comparisons: paired t-tests of the conditions inside each
        group (``posthoc_within``) and Welch t-tests of the groups at each condition
        (``posthoc_between``).
    adjust : {"holm", "bonferroni", "fdr_bh", "none"}
        Adjustment of the post-hoc p-values: over all pairs of conditions; for the simple
        comparisons, within each group and within each condition.

    Returns
    -------
    RMAnovaResult or FriedmanResult

    Raises
    ------
    MissingColumnsError, DataTypeError
        A named column is absent, or a score holds text.
    ParameterError
        Wide and long arguments mixed, duplicate person–condition rows, a between
        factor that varies within a person, an unknown option.
    InsufficientDataError
        Too few complete persons.

    Notes
    -----
    Persons with a missing score in any condition are left out (``n_excluded``), as R's
    ``aov`` with an ``Error`` term and ``car::Anova`` do. Sums of squares are those of
    ``aov(y ~ between * within + Error(subject / within))``, equal to type II of
    ``car::Anova`` on the multivariate model. Partial
    :math:`\\eta^2_p = SS_{effect} / (SS_{effect} + SS_{error})` with the error of the
    effect's stratum; generalised :math:`\\eta^2_G = SS_{effect} / (SS_{effect} +
    SS_{persons} + SS_{error,within})` (Olejnik & Algina, 2003; Bakeman, 2005; all
    factors manipulated, as ``afex`` by default).

    Sphericity (Mauchly, 1940) is tested on orthonormal contrasts of the conditions,
    from their error SSP matrix :math:`E` (:math:`p = k - 1`):
    :math:`W = \\det E / (\\operatorname{tr} E / p)^p`, :math:`\\chi^2 = -(\\nu -
    (2p^2 + p + 2)/(6p)) \\ln W` with :math:`\\nu = N - G`, p with the second-order
    term of R's ``mauchly.test``. Greenhouse–Geisser
    :math:`\\varepsilon = (\\operatorname{tr} E)^2 / (p \\operatorname{tr} E^2)`;
    Huynh–Feldt :math:`\\tilde\\varepsilon = ((\\nu + 1) p \\varepsilon - 2) / (p (\\nu -
    p \\varepsilon))` (as ``car``; capped at 1 for its p-value). Corrected p-values use
    :math:`\\varepsilon df_1` and :math:`\\varepsilon df_2`.

    Simple comparisons in a mixed design use each group's (or condition's) own data:
    paired t-tests as R's ``pairwise.t.test(paired = TRUE)`` on one group, and Welch
    t-tests as R's ``t.test`` (unequal variances). Each family of tests (one group, or
    one condition) is adjusted on its own, as ``pairwise.t.test`` per group or
    ``emmeans``' ``by =``; with two groups the between tests are one per condition and
    the adjustment leaves them unchanged.

    Friedman: ranks within each person, ties corrected, as R's ``friedman.test``;
    Kendall's :math:`W = \\chi^2 / (n (k - 1))`.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> needs = pd.DataFrame({"autonomy": [3.2, 3.8, 4.0, 3.1, 3.6, 3.3],
    ...                       "competence": [3.9, 4.1, 4.3, 3.4, 3.9, 3.8],
    ...                       "relatedness": [3.5, 3.9, 4.4, 3.0, 3.5, 3.6]})
    >>> res = peoscales.rm_anova(needs, ["autonomy", "competence", "relatedness"])
    >>> res.to_apa()
    'F(2, 10) = 12.89, p = .002, η²p = .72'
    >>> peoscales.rm_anova(needs, ["autonomy", "competence", "relatedness"],
    ...                    method="friedman").to_apa()
    'χ²(2) = 7.00, p = .030, W = .58'
    """
    check_option("method", method, ("anova", "friedman"))
    check_option("adjust", adjust, tuple(ADJUST_METHODS))
    if not isinstance(posthoc, (bool, np.bool_)):
        raise ParameterError(f"posthoc must be True or False, got {posthoc!r}.")
    if method == "friedman" and between is not None:
        raise ParameterError("method='friedman' has no between factor; leave between out.")
    frame = as_frame(data)
    w = _wide(frame, columns, dv, within, subject, between)
    n, k = w.y.shape
    if method == "friedman":
        if (w.y == w.y[:, :1]).all():
            raise InsufficientDataError(
                "Every person gives all conditions the same score, so there is nothing to "
                "rank; Friedman's statistic is undefined."
            )
        fr = kern.friedman(w.y)
        desc = pd.DataFrame(
            {"n": n, "median": np.median(w.y, axis=0), "mean_rank": fr["mean_rank"]},
            index=pd.Index(w.levels, name=w.within),
        )
        return FriedmanResult(
            within=w.within,
            chi2=float(fr["chi2"]),
            df=float(fr["df"]),
            p=float(fr["p"]),
            kendalls_w=float(fr["kendalls_w"]),
            descriptives=desc,
            n=n,
            n_excluded=w.n_excluded,
        )
    g = len(w.groups)
    res = kern.repeated_measures(w.y, w.codes, g)
    spread = res["ss_within"] + res["ss_interaction"] + res["ss_error_within"]
    if res["ss_error_within"] <= 1e-12 * spread or spread == 0:
        raise InsufficientDataError(
            "The scores have no within-person error variance (every person has the same "
            "profile), so F is undefined. Check the columns."
        )
    gg, hf = res["epsilon_gg"], res["epsilon_hf"]
    ss_persons_error = res["ss_error_between"]
    rows: dict[str, dict[str, float]] = {}

    def effect(ss: float, df1: float, ss_err: float, df2: float, within_part: bool) -> dict:
        f = (ss / df1) / (ss_err / df2)
        out = {
            "ss": ss,
            "df1": df1,
            "df2": df2,
            "f": f,
            "p": float(stats.f.sf(f, df1, df2)),
            "eta2_partial": ss / (ss + ss_err),
            "eta2_generalized": ss / (ss + ss_persons_error + res["ss_error_within"]),
            "epsilon_gg": math.nan,
            "p_gg": math.nan,
            "epsilon_hf": math.nan,
            "p_hf": math.nan,
            "ss_error": ss_err,
        }
        if within_part:
            capped = min(hf, 1.0)
            out.update(
                epsilon_gg=gg,
                p_gg=float(stats.f.sf(f, df1 * gg, df2 * gg)),
                epsilon_hf=hf,
                p_hf=float(stats.f.sf(f, df1 * capped, df2 * capped)),
            )
        return out

    between_name = str(between) if between is not None else None
    if between_name is not None:
        rows[between_name] = effect(
            res["ss_between"], res["df_between"], ss_persons_error, res["df_error_between"], False
        )
    rows[w.within] = effect(
        res["ss_within"], res["df_within"], res["ss_error_within"], res["df_error_within"], True
    )
    if between_name is not None:
        rows[f"{between_name}:{w.within}"] = effect(
            res["ss_interaction"],
            res["df_interaction"],
            res["ss_error_within"],
            res["df_error_within"],
            True,
        )
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "effect"
    mauchly = pd.DataFrame(
        {
            "w": [res["mauchly_w"]],
            "chi2": [res["mauchly_chi2"]],
            "df": [res["mauchly_df"]],
            "p": [res["mauchly_p"]],
        },
        index=pd.Index([w.within], name="effect"),
    )
    pairs = None
    if posthoc:
        ph = kern.pairwise_paired_t(w.y)
        names = np.asarray(w.levels, dtype=object)
        pairs = pd.DataFrame(
            {
                "level1": names[ph["i"]],
                "level2": names[ph["j"]],
                "diff": ph["diff"],
                "se": ph["se"],
                "t": ph["t"],
                "df": ph["df"],
                "p": ph["p"],
                "p_adjusted": p_adjust(ph["p"], adjust),
            }
        )
    simple_within = simple_between = None
    if posthoc and between_name is not None:
        g_names = np.asarray(w.groups, dtype=object)
        names = np.asarray(w.levels, dtype=object)
        pw = kern.grouped_paired_t(w.y, w.codes, g)
        simple_within = pd.DataFrame(
            {
                "group": g_names[pw["group"]],
                "level1": names[pw["i"]],
                "level2": names[pw["j"]],
                "diff": pw["diff"],
                "se": pw["se"],
                "t": pw["t"],
                "df": pw["df"],
                "p": pw["p"],
                "p_adjusted": p_adjust_by(pw["p"], pw["group"], adjust),
            }
        )
        wt = kern.grouped_welch_t(w.y, w.codes, g)
        simple_between = pd.DataFrame(
            {
                "level": names[wt["level"]],
                "group1": g_names[wt["a"]],
                "group2": g_names[wt["b"]],
                "diff": wt["diff"],
                "se": wt["se"],
                "t": wt["t"],
                "df": wt["df"],
                "p": wt["p"],
                "p_adjusted": p_adjust_by(wt["p"], wt["level"], adjust),
            }
        )
    if between_name is None:
        desc = pd.DataFrame(
            {
                "n": n,
                "mean": w.y.mean(axis=0),
                "sd": w.y.std(axis=0, ddof=1),
                "se": w.y.std(axis=0, ddof=1) / math.sqrt(n),
            },
            index=pd.Index(w.levels, name=w.within),
        )
    else:
        parts = []
        for code, label in enumerate(w.groups):
            block = w.y[w.codes == code]
            m = block.shape[0]
            sd = block.std(axis=0, ddof=1) if m > 1 else np.full(k, np.nan)
            parts.append(
                pd.DataFrame(
                    {"n": m, "mean": block.mean(axis=0), "sd": sd, "se": sd / math.sqrt(m)},
                    index=pd.MultiIndex.from_product(
                        [[label], w.levels], names=[between_name, w.within]
                    ),
                )
            )
        desc = pd.concat(parts)
    main = rows[w.within]
    return RMAnovaResult(
        within=w.within,
        between=between,
        table=table,
        f=main["f"],
        df1=main["df1"],
        df2=main["df2"],
        p=main["p"],
        eta2_partial=main["eta2_partial"],
        eta2_generalized=main["eta2_generalized"],
        mauchly=mauchly,
        posthoc=pairs,
        adjust=adjust,
        descriptives=desc,
        n=n,
        n_excluded=w.n_excluded,
        posthoc_within=simple_within,
        posthoc_between=simple_between,
    )
