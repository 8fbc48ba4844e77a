"""``cronbach_alpha`` of a block of items given directly."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._kernels import reliability as _k
from peoscales._reliability.display import CI, Missing
from peoscales._reliability.items import _adhoc_block
from peoscales._reliability.results import AlphaResult
from peoscales._reliability.scale import _bootstrap_context, _check_common, _scale_reliability
from peoscales._validation import generator


@renamed_arguments(ci="ci_method", conf_level="confidence")
def cronbach_alpha(
    items: pd.DataFrame,
    *,
    reverse: Sequence[Hashable] | None = None,
    ci_method: CI = "feldt",
    confidence: float = 0.95,
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = None,
    missing: Missing = "pairwise",
    ordinal: bool = False,
    n_obs: int | None = None,
) -> AlphaResult:
    """Cronbach's alpha of the columns of ``items``, with a confidence interval.

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per respondent. Never modified.
    reverse : list, optional
        Reverse-keyed columns (entered negated; see :func:`reliability`).
    ci_method, confidence, n_boot, seed, missing, ordinal
        As in :func:`reliability`.
    n_obs : int, optional
        Given: ``items`` is a covariance (or correlation) matrix of the items, with
        item names as row and column labels, computed from ``n_obs`` respondents (as
        ``psych::alpha(r, n.obs=)``). Raw alpha comes from the matrix as given,
        standardised alpha from its correlations, the Feldt interval uses ``n_obs``;
        a bootstrap interval and ``ordinal`` need raw data.

    Returns
    -------
    AlphaResult
        ``float(result)`` is alpha; ``n`` the rows used and ``n_excluded`` the
        rows left out.

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}(1 - \\operatorname{tr} C / \\mathbf 1'C\\mathbf 1)`
    (Cronbach, 1951) from pairwise covariances by default, as ``psych::alpha`` and
    ``pingouin.cronbach_alpha``. The bootstrap draws the resampling indices in
    batches of replicates, each batch from its own child generator of ``seed``
    (so results do not depend on the threads that share the batches), and
    computes every replicate's alpha from a few matrix products; the interval is
    the percentile interval.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3],
    ...                       "c": [1, 3, 3, 4, 5, 2]})
    >>> res = peoscales.cronbach_alpha(items)
    >>> round(float(res), 4), res.n
    (0.9318, 6)
    >>> round(float(peoscales.cronbach_alpha(items.cov(), n_obs=6)), 4)
    0.9318
    """
    if n_obs is not None:
        return _alpha_from_matrix(items, n_obs, reverse, ci_method, confidence, ordinal)
    ci, level, n_boot, missing, ordinal = _check_common(
        ci_method, confidence, n_boot, missing, ordinal
    )
    x, cols, rev, _ = _adhoc_block(items, reverse)
    with _bootstrap_context(ci):
        one = _scale_reliability(
            x,
            "items",
            "items",
            cols,
            rev,
            ci=ci,
            level=level,
            n_boot=n_boot,
            rng=generator(seed),
            missing=missing,
            ordinal=ordinal,
            full=False,
        )
    return AlphaResult(
        alpha=one.alpha,
        std_alpha=one.std_alpha,
        ci_low=one.ci_low,
        ci_high=one.ci_high,
        ci_method=ci,
        confidence=level,
        n=one.n,
        n_excluded=one.n_excluded,
        k=one.k,
        replicates=one.replicates,
    )


def _alpha_from_matrix(
    items: pd.DataFrame,
    n_obs: int,
    reverse: Sequence[Hashable] | None,
    ci_method: CI,
    confidence: float,
    ordinal: bool,
) -> AlphaResult:
    from peoscales._reliability.matrix import alpha_from_matrix, item_matrix
    from peoscales._validation import check_option, check_probability
    from peoscales.errors import ParameterError

    check_option("ci_method", ci_method, ["feldt", None])
    if ordinal:
        raise ParameterError(
            "ordinal=True needs raw item scores (for the polychoric correlations); pass a "
            "polychoric correlation matrix as items instead (peoscales.polychoric)."
        )
    level = check_probability("confidence", confidence)
    c, cols, n = item_matrix(items, n_obs, reverse)
    raw, std = alpha_from_matrix(c)
    low, high = (
        _k.feldt_interval(raw, n, len(cols), level) if ci_method == "feldt" else (np.nan, np.nan)
    )
    return AlphaResult(
        alpha=raw,
        std_alpha=std,
        ci_low=low,
        ci_high=high,
        ci_method=ci_method,
        confidence=level,
        n=n,
        n_excluded=0,
        k=len(cols),
    )
