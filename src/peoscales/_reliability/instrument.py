"""``reliability``: every statistic for every scale of one or more instruments."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._reliability.display import CI, Missing
from peoscales._reliability.items import _item_sets
from peoscales._reliability.omega_coefficient import _omega_block
from peoscales._reliability.results import ReliabilityResult, ScaleReliability
from peoscales._reliability.scale import _bootstrap_context, _check_common, _scale_reliability
from peoscales._validation import (
    as_frame,
    generator,
)
from peoscales.instruments.model import Instrument


@renamed_arguments(ci="ci_method", conf_level="confidence")
def reliability(
    data: pd.DataFrame,
    instrument: str | Instrument | Sequence[str | Instrument] | None = None,
    *,
    scales: Sequence[str] | str | None = None,
    items: Sequence[Hashable] | Mapping[str, Sequence[Hashable]] | None = None,
    columns: Mapping[str, Hashable] | Literal["order"] | None = None,
    reverse: Sequence[Hashable] | None = None,
    ci_method: CI = "feldt",
    confidence: float = 0.95,
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = None,
    missing: Missing = "pairwise",
    ordinal: bool = False,
) -> ReliabilityResult:
    """Reliability and item analysis of each scale.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, item codes in columns. Never modified.
    instrument : str, Instrument or list of them, optional
        Take scales, items and reverse keys from the instrument definition.
    scales : list of str, optional
        With ``instrument``: only these scales.
    items : list or dict of lists, optional
        Without ``instrument``: the item columns of one scale, or
        ``{scale name: [columns]}`` for several. Default: all columns, one scale.
    columns : dict or "order", optional
        With ``instrument``: item id to column name, as in :func:`peoscales.score`.
    reverse : list, optional
        With ``items``: the reverse-keyed columns. Never guessed: an item that
        correlates negatively with its scale gives a :class:`ReverseKeyWarning`.
    ci_method : {"feldt", "bootstrap", None}
        Interval for alpha: Feldt's F-based interval, a percentile bootstrap over
        respondents, or none.
    confidence : float, default 0.95
        Confidence level of the interval.
    n_boot : int
        Bootstrap replicates.
    seed : int or Generator, optional
        Seed for the bootstrap and for random split halves (reproducible results).
    missing : {"pairwise", "listwise"}
        Pairwise covariances (as ``psych::alpha``; rows with no answer at all are
        left out) or complete rows only. The result reports ``n`` and
        ``n_excluded``.
    ordinal : bool
        Compute alpha, omega and the item statistics from polychoric
        correlations (ordinal alpha).

    Returns
    -------
    ReliabilityResult
        ``result.table()`` has one row per scale; ``result["scale"]`` the
        :class:`ScaleReliability` with its item table.

    Raises
    ------
    MissingColumnsError, DataTypeError, OutOfRangeError
        Absent columns, texts in item columns, codes outside the declared range.
    InsufficientDataError
        Fewer than two items, a column without answers, fewer than two
        respondents, or an item pair never answered together.

    Warns
    -----
    ReverseKeyWarning
        Items correlate negatively with the rest of their scale.
    ConstantColumnWarning
        An item has no variance; its scale's statistics are NaN (never 0).

    Notes
    -----
    With item covariance matrix :math:`C` (correlations :math:`R`) of :math:`k`
    items, following ``psych::alpha`` (Revelle, 2022):

    .. math::

        \\alpha = \\frac{k}{k-1}\\Big(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1'C\\mathbf 1}\\Big),
        \\quad \\alpha_{std} = \\frac{k}{k-1}\\Big(1 - \\frac{k}{\\mathbf 1'R\\mathbf 1}\\Big),
        \\quad \\lambda_6 = 1 - \\frac{\\sum_j (1 - \\mathrm{smc}_j)}{\\mathbf 1'R\\mathbf 1}.

    ``r_drop`` correlates an item with the sum of the other items, ``r_cor``
    with the total corrected for item overlap (``R`` with the smc on its
    diagonal). Feldt's interval is :math:`1 - (1-\\alpha) F_{1-p/2}` to
    :math:`1 - (1-\\alpha) F_{p/2}` on :math:`(n-1, (n-1)(k-1))` df (Feldt,
    Woodruff & Salih, 1987), with ``n`` the rows used. Omega total is
    :math:`(\\mathbf 1'R\\mathbf 1 - \\sum u^2_j) / \\mathbf 1'R\\mathbf 1` from
    a one-factor minres model (McDonald, 1999; psych's definition, with ``R``
    the pairwise correlations); omega hierarchical uses a Schmid-Leiman
    transformation with one group factor per scale, as ``psych::omega``.
    Split halves use the Spearman-Brown formula :math:`2r/(1+r)`.

    Reverse keys: every statistic here depends on the data only through
    covariances, so a reverse-keyed item enters as its negation; no response
    range is needed or guessed. Item means and sds are reported as answered.
    Alpha and the item statistics never reverse anything themselves (as
    ``psych::alpha``); omega total reverses items that load negatively on its
    factor (as ``psych::omega``, ``flip = TRUE``), lists them in
    ``omega_flipped`` and says so in the :class:`ReverseKeyWarning`.

    Differences from psych: a constant item makes its scale NaN with a warning
    (psych drops it silently from the computation but keeps it in the count).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from peoscales._reliability import reliability
    >>> rng = np.random.default_rng(1)
    >>> trait = rng.normal(size=200)
    >>> answers = pd.DataFrame({f"q{j}": np.clip(np.round(3 + trait + rng.normal(size=200)), 1, 5)
    ...                         for j in range(1, 5)})
    >>> res = reliability(answers, items=["q1", "q2", "q3", "q4"])
    >>> round(res["scale"].alpha, 3)
    0.732
    >>> res.table()[["k", "n", "alpha"]].round(3)
           k    n  alpha
    scale
    scale  4  200  0.732
    """
    frame = as_frame(data)
    ci, level, n_boot, missing, ordinal = _check_common(
        ci_method, confidence, n_boot, missing, ordinal
    )
    rng = generator(seed)
    sets, cleaned, all_cols = _item_sets(frame, instrument, scales, items, columns, reverse)
    position = {c: j for j, c in enumerate(all_cols)}
    results: dict[str, ScaleReliability] = {}
    with _bootstrap_context(ci):
        for sid, label, cols, rev in sets:
            block = cleaned[:, [position[c] for c in cols]]
            results[sid] = _scale_reliability(
                block,
                sid,
                label,
                cols,
                rev,
                ci=ci,
                level=level,
                n_boot=n_boot,
                rng=rng,
                missing=missing,
                ordinal=ordinal,
            )
    omega_h = omega_t_all = float("nan")
    gl = None
    # A general factor is sought within one instrument (or one ad-hoc set of scales),
    # not across instruments that measure different constructs.
    one_instrument = (
        instrument is None
        or isinstance(instrument, (str, Instrument))
        or (isinstance(instrument, Sequence) and len(instrument) == 1)
    )
    if len(sets) >= 2 and one_instrument:
        cols = [c for _, _, cs, _ in sets for c in cs]
        if len(set(cols)) == len(cols):
            rev = set().union(*(r for _, _, _, r in sets))
            block = cleaned[:, [position[c] for c in cols]]
            res = _omega_block(block, cols, rev, len(sets), missing, ordinal)
            if res is not None:
                omega_h, omega_t_all, g = res
                gl = pd.Series(g, index=pd.Index(cols, name="item"), name="g")
    return ReliabilityResult(
        scales=MappingProxyType(results),
        omega_hierarchical=omega_h,
        omega_total_all=omega_t_all,
        general_loadings=gl,
    )
