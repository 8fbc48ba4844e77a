"""Group means of a numeric item with one-way ANOVA."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from peoscales._kernels.groups import oneway_anova, welch_anova
from peoscales._kernels.peo_tables import (
    group_moments,
)
from peoscales._results import apa_number, apa_p, stars
from peoscales._validation import as_frame
from peoscales.errors import (
    InsufficientDataError,
    ParameterError,
)
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import (
    _answers,
    _check_lang,
    _check_threshold,
    _codebook_or_wave,
    _column,
    _resolve_codebook,
)
from peoscales.peo.tables.common import _ReportTable, _t
from peoscales.peo.tables.groupings import GroupingSpec


@dataclass(frozen=True, eq=False, repr=False)
class GroupMeans(_ReportTable):
    """Means of a numeric item per group, with one-way ANOVA and Welch's test.

    Attributes
    ----------
    table : DataFrame
        One row per group and a total row: ``n``, ``mean``, ``sd``,
        ``suppressed`` (shown as ``<5``).
    f, df1, df2, p, eta2
        Classic one-way ANOVA on all groups with data: F, its numerator (between)
        and denominator (within) degrees of freedom, p and η².
    welch_f, welch_df2, welch_p
        Welch's ANOVA (unequal variances).
    """

    item: str
    by: str
    table: pd.DataFrame
    f: float
    df1: int
    df2: int
    p: float
    eta2: float
    welch_f: float
    welch_df2: float
    welch_p: float
    n: int
    n_excluded: int
    min_group_size: int
    lang: str
    title: str = "Group means"
    grouping_notes: tuple[str, ...] = ()

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "df_between": "df1",
        "df_within": "df2",
        "eta_squared": "eta2",
    }

    def to_frame(self) -> pd.DataFrame:
        """n, mean, sd per group (unrounded, no suppression applied)."""
        return self.table[["n", "mean", "sd"]].copy()

    def test_text(self) -> str:
        """``F(2, 160) = 4.56, p = .012, η² = .05``."""
        if math.isnan(self.f):
            return "F —"
        return (
            f"F({self.df1}, {self.df2}) = {apa_number(self.f)}, "
            f"{apa_p(self.p)}{stars(self.p)}, η² = "
            f"{apa_number(self.eta2, leading_zero=False)}; Welch F({self.df1}, "
            f"{apa_number(self.welch_df2, 1)}) = {apa_number(self.welch_f)}, "
            f"{apa_p(self.welch_p)}"
        )

    def display_frame(self) -> pd.DataFrame:
        """Rounded means and sds; small groups suppressed."""
        t = self.table
        mark = f"<{self.min_group_size}"
        hide = t["suppressed"].to_numpy()
        return pd.DataFrame(
            {
                _t("n", self.lang): np.where(
                    hide,
                    np.where(t["n"] < self.min_group_size, mark, "x"),
                    t["n"].astype(int).astype(str),
                ),
                _t("mean", self.lang): np.where(
                    hide, "", [apa_number(v) for v in t["mean"].to_numpy()]
                ),
                _t("sd", self.lang): np.where(
                    hide, "", [apa_number(v) for v in t["sd"].to_numpy()]
                ),
            },
            index=t.index,
        )

    def notes(self) -> list[str]:
        """The tests and suppression."""
        out = [self.test_text()]
        hidden = self.table["suppressed"].to_numpy()
        if hidden.any():
            out.append(_t("suppressed", self.lang, k=self.min_group_size))
        if (hidden & (self.table["n"].to_numpy() >= self.min_group_size)).any():
            out.append(_t("complement", self.lang))
        if self.n_excluded:
            out.append(f"{self.n_excluded} respondent(s) without a value or group left out.")
        out.extend(self.grouping_notes)
        return out

    _css = "means"


#: Answer scales whose codes are no quantity: a mean of them is refused.
UNORDERED_KINDS = ("nominal", "text", "multi")


def group_means(
    data: pd.DataFrame,
    item: str,
    by: str,
    *,
    codebook: Instrument | str | None = None,
    by_grouping: GroupingSpec | None = None,
    lang: str = "nl",
    min_group_size: int | None = 5,
    title: str | None = None,
) -> GroupMeans:
    """Mean of a numeric item per group with one-way ANOVA (work pleasure by employer).

    Non-substantive answers (``weet niet``) do not count in a mean.

    Parameters
    ----------
    data : DataFrame
        Coded survey data; never modified.
    item : str
        A numeric or ordinal item (its codes are averaged), e.g. ``"work_pleasure"``;
        an item of a nominal, text or check-all-that-apply scale is refused.
    by : str
        The grouping item, e.g. ``"employer"``.
    codebook, by_grouping, lang, min_group_size, title
        As in :func:`crosstab_table`.

    Returns
    -------
    GroupMeans

    Notes
    -----
    :math:`F = \\frac{\\sum_g n_g(\\bar x_g - \\bar x)^2/(k-1)}{\\sum_g\\sum_i (x_{gi} -
    \\bar x_g)^2/(n-k)}`, :math:`\\eta^2 = SS_B / SS_T`; Welch's F (Welch, 1951)
    as in R's ``oneway.test(var.equal = FALSE)``. A group below
    ``min_group_size`` is hidden; if exactly one group is hidden its mean could
    be computed from the total row, so the next smallest group is hidden too.

    Examples
    --------
    >>> import pandas as pd
    >>> from peoscales.peo import group_means
    >>> df = pd.DataFrame({"score": [6, 7, 8, 7, 9, 8, 9, 10, 5, 6, 6, 7, 5, 6, 7],
    ...                    "team": pd.Categorical(list("aaaaabbbbbccccc"))})
    >>> gm = group_means(df, "score", "team")
    >>> round(gm.f, 4), gm.df1, gm.df2  # R: summary(aov(score ~ team))
    (1.3651, 2, 12)
    """
    frame = as_frame(data)
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book = _resolve_codebook(_codebook_or_wave(codebook, data))
    series = _column(frame, item)
    if book is not None and item in book.items:
        kind = book.response_scale_of(item).kind
        if kind in UNORDERED_KINDS:
            raise ParameterError(
                f"item={item!r} has a {kind} answer scale "
                f"({book.items[item].response_scale!r}): its codes have no order, so their "
                "mean means nothing. Give a numeric, Likert or ordinal item, or tabulate "
                f"{item!r} by {by!r} with crosstab_table."
            )
        ans = _answers(frame, item, book, lang)
        values = ans.values
        label = ans.label
    else:
        if not pd.api.types.is_numeric_dtype(series.dtype):
            raise ParameterError(
                f"item={item!r} is not numeric and not a codebook item; give the codebook "
                "or a numeric column."
            )
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        label = str(item)
    grp = _answers(
        frame, by, book, lang, by_grouping, "by", substantive_only=True, grouping_arg="by_grouping"
    )
    k = len(grp.labels)
    moments = group_moments(grp.cat, values, k)
    used = (grp.cat >= 0) & ~np.isnan(values)
    n_used = int(used.sum())
    if n_used < 2:
        raise InsufficientDataError(
            f"group_means needs values of {item!r} with a group in {by!r}; only {n_used} found."
        )
    samples = [values[used & (grp.cat == g)] for g in range(k)]
    nonempty = [s for s in samples if s.size > 0]
    f = p = eta = welch_f = welch_df2 = welch_p = np.nan
    df_b = df_w = 0
    if len(nonempty) >= 2 and n_used > len(nonempty):
        # The same kernels as peoscales.anova (checked against aov and oneway.test);
        # scipy's f_oneway only has the Welch form from scipy 1.16 on.
        sizes = np.array([s.size for s in nonempty], dtype=np.float64)
        means = np.array([s.mean() for s in nonempty])
        variances = np.array([s.var(ddof=1) if s.size > 1 else 0.0 for s in nonempty])
        classic = oneway_anova(sizes, means, variances)
        f, p, eta = classic["F"], classic["p"], classic["eta2"]
        df_b, df_w = len(nonempty) - 1, n_used - len(nonempty)
        if all(s.size >= 2 for s in nonempty):
            welch = welch_anova(sizes, means, variances)
            welch_f, welch_p, welch_df2 = welch["F"], welch["p"], welch["df2"]
    total = values[used]
    n_col = np.append(moments[:, 0], total.size)
    hidden = np.append((moments[:, 0] > 0) & (moments[:, 0] < threshold), total.size < threshold)
    if threshold and hidden[:-1].sum() == 1:
        # the lone hidden group could be computed from the total: hide the next smallest
        shown = np.flatnonzero(~hidden[:-1] & (moments[:, 0] > 0))
        if shown.size:
            hidden[shown[np.argmin(moments[shown, 0])]] = True
    table = pd.DataFrame(
        {
            "n": n_col.astype(np.int64),
            "mean": np.append(moments[:, 1], total.mean()),
            "sd": np.append(moments[:, 2], total.std(ddof=1) if total.size > 1 else np.nan),
            "suppressed": hidden,
        },
        index=pd.Index([*grp.labels, _t("total", lang)], name=grp.label, dtype=object),
    )
    return GroupMeans(
        item=item,
        by=by,
        table=table,
        f=f,
        df1=df_b,
        df2=df_w,
        p=p,
        eta2=eta,
        welch_f=welch_f,
        welch_df2=welch_df2,
        welch_p=welch_p,
        n=n_used,
        n_excluded=len(frame) - n_used,
        min_group_size=threshold,
        lang=lang,
        title=title or f"{label} × {grp.label}",
        grouping_notes=(grp.grouping_note,) if grp.grouping_note else (),
    )
