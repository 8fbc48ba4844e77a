"""Building and fitting CFA models (one or more groups) from a mapping of factors to items.

Shared by :func:`peoscales.cfa` and :func:`peoscales.invariance`. The parameterisation
is lavaan's default: the first item of each factor has its loading fixed to 1, factor
variances and covariances are free, residual variances are free, and with several
groups every item has an intercept (factor means fixed to 0, or free in all but the
first group when the intercepts are held equal).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peoscales._kernels import factor as _k
from peoscales._kernels._blas import single_blas_thread


@dataclass(frozen=True)
class ParameterLabel:
    """Where a free or fixed parameter sits: lavaan's lhs, op, rhs and the group."""

    lhs: str
    op: str
    rhs: str
    group: int


@dataclass(frozen=True)
class FittedModel:
    """Everything a CFA result and an invariance step need from one fit."""

    spec: _k.ModelSpec
    theta: np.ndarray
    vcov: np.ndarray
    fmin: float
    converged: bool
    chi2: float
    df: int
    baseline_chi2: float
    baseline_df: int
    loglik: float
    n_params: int
    n: int
    group_sizes: tuple[int, ...]
    srmr: float
    parameters: pd.DataFrame
    cov: np.ndarray
    means: np.ndarray
    weights: np.ndarray
    #: MLR only: the Yuan-Bentler scaling factor of the chi-square (NaN for ML).
    scaling: float = float("nan")


def _sym(idx: np.ndarray, i: int, j: int, value: int) -> None:
    idx[..., i, j] = value
    idx[..., j, i] = value


def build_spec(
    factors: Mapping[str, Sequence[Hashable]],
    items: Sequence[Hashable],
    n_groups: int,
    equal: frozenset[str],
    meanstructure: bool,
) -> tuple[_k.ModelSpec, list[ParameterLabel], list[tuple[str, int, tuple[int, ...]]]]:
    """The index arrays of the model, the label of each free parameter, and the cells
    (matrix, group, position) of every parameter for the parameter table."""
    p, m = len(items), len(factors)
    position = {item: j for j, item in enumerate(items)}
    names = list(factors)
    g_ = n_groups
    lam_idx = np.full((g_, p, m), -1)
    lam_fix = np.zeros((g_, p, m))
    phi_idx = np.full((g_, m, m), -1)
    theta_idx = np.full((g_, p, p), -1)
    nu_idx = np.full((g_, p), -1)
    kappa_idx = np.full((g_, m), -1)
    labels: list[ParameterLabel] = []
    cells: list[tuple[str, int, tuple[int, ...]]] = []

    def new(label: ParameterLabel) -> int:
        labels.append(label)
        return len(labels) - 1

    shared: dict[tuple[str, tuple[int, ...]], int] = {}

    def index(kind: str, cell: tuple[int, ...], label: ParameterLabel) -> int:
        # Equal across groups: the first group's parameter stands for all.
        if kind in equal:
            key = (kind, cell)
            if key not in shared:
                shared[key] = new(label)
            return shared[key]
        return new(label)

    for g in range(g_):
        for k, factor in enumerate(names):
            for rank, item in enumerate(factors[factor]):
                j = position[item]
                cells.append(("lam", g, (j, k)))
                if rank == 0:
                    lam_fix[g, j, k] = 1.0
                    continue
                label = ParameterLabel(factor, "=~", str(item), g)
                lam_idx[g, j, k] = index("loadings", (j, k), label)
        for j, item in enumerate(items):
            cells.append(("theta", g, (j, j)))
            label = ParameterLabel(str(item), "~~", str(item), g)
            theta_idx[g, j, j] = index("residuals", (j, j), label)
        for k in range(m):
            for k2 in range(k, m):
                cells.append(("phi", g, (k, k2)))
                _sym(phi_idx[g], k, k2, new(ParameterLabel(names[k], "~~", names[k2], g)))
        if meanstructure:
            for j, item in enumerate(items):
                cells.append(("nu", g, (j,)))
                nu_idx[g, j] = index("intercepts", (j,), ParameterLabel(str(item), "~1", "", g))
            for k in range(m):
                cells.append(("kappa", g, (k,)))
                if "intercepts" in equal and g > 0:
                    kappa_idx[g, k] = new(ParameterLabel(names[k], "~1", "", g))
    spec = _k.ModelSpec(
        lam_idx=lam_idx,
        lam_fix=lam_fix,
        phi_idx=phi_idx,
        phi_fix=np.zeros((g_, m, m)),
        theta_idx=theta_idx,
        theta_fix=np.zeros((g_, p, p)),
        nu_idx=nu_idx,
        nu_fix=np.zeros((g_, p)),
        kappa_idx=kappa_idx,
        kappa_fix=np.zeros((g_, m)),
        n_params=len(labels),
        meanstructure=meanstructure,
    )
    return spec, labels, cells


def start_values(
    spec: _k.ModelSpec,
    factors: Mapping[str, Sequence[Hashable]],
    items: Sequence[Hashable],
    cov: np.ndarray,
    means: np.ndarray,
) -> np.ndarray:
    """Rough starts: factor variance half the marker's variance, loadings from the
    covariances with the marker, residual variances half the item variances."""
    theta = np.zeros(spec.n_params)
    position = {item: j for j, item in enumerate(items)}
    # Later groups first, so that an equality-constrained parameter keeps group 1's start.
    for g in reversed(range(cov.shape[0])):
        s = cov[g]
        for k, factor in enumerate(factors):
            marker = position[factors[factor][0]]
            variance = 0.5 * s[marker, marker]
            theta[spec.phi_idx[g, k, k]] = variance
            for item in factors[factor][1:]:
                j = position[item]
                theta[spec.lam_idx[g, j, k]] = s[j, marker] / variance
        free = spec.theta_idx[g][np.diag_indices(len(items))]
        theta[free] = 0.5 * np.diag(s)
        if spec.meanstructure:
            theta[spec.nu_idx[g]] = means[g]
    return theta


def _standardized(
    spec: _k.ModelSpec, thetas: np.ndarray, cells: list[tuple[str, int, tuple[int, ...]]]
) -> np.ndarray:
    """lavaan's std.all of every cell, for a batch of parameter vectors (B, cells)."""
    lam = _k._fill(spec.lam_idx, spec.lam_fix, thetas)
    phi = _k._fill(spec.phi_idx, spec.phi_fix, thetas)
    th = _k._fill(spec.theta_idx, spec.theta_fix, thetas)
    nu = _k._fill(spec.nu_idx, spec.nu_fix, thetas)
    kappa = _k._fill(spec.kappa_idx, spec.kappa_fix, thetas)
    sigma = lam @ phi @ np.swapaxes(lam, -1, -2) + th
    sd_item = np.sqrt(np.einsum("bgii->bgi", sigma))
    sd_factor = np.sqrt(np.einsum("bgii->bgi", phi))
    out = np.empty((thetas.shape[0], len(cells)))
    for c, (matrix, g, cell) in enumerate(cells):  # over parameters, not data
        if matrix == "lam":
            j, k = cell
            out[:, c] = lam[:, g, j, k] * sd_factor[:, g, k] / sd_item[:, g, j]
        elif matrix == "phi":
            k, k2 = cell
            out[:, c] = phi[:, g, k, k2] / (sd_factor[:, g, k] * sd_factor[:, g, k2])
        elif matrix == "theta":
            j, j2 = cell
            out[:, c] = th[:, g, j, j2] / (sd_item[:, g, j] * sd_item[:, g, j2])
        elif matrix == "nu":
            (j,) = cell
            out[:, c] = nu[:, g, j] / sd_item[:, g, j]
        else:
            (k,) = cell
            out[:, c] = kappa[:, g, k] / sd_factor[:, g, k]
    return out


def _cell_value(
    spec: _k.ModelSpec, matrix: str, g: int, cell: tuple[int, ...]
) -> tuple[int, float]:
    idx = getattr(spec, f"{matrix}_idx")[(g, *cell)]
    fix = getattr(spec, f"{matrix}_fix")[(g, *cell)]
    return int(idx), float(fix)


def parameter_table(
    spec: _k.ModelSpec,
    theta: np.ndarray,
    vcov: np.ndarray,
    cells: list[tuple[str, int, tuple[int, ...]]],
    factor_names: Sequence[str],
    items: Sequence[Hashable],
    group_labels: Sequence[Hashable],
) -> pd.DataFrame:
    """lavaan's parameterEstimates: one row per cell with est, se, z, p and std.all."""
    from scipy import stats

    se_free = np.sqrt(np.clip(np.diag(vcov), 0.0, None))
    rows = []
    for matrix, g, cell in cells:
        idx, fix = _cell_value(spec, matrix, g, cell)
        if matrix == "lam":
            lhs, op, rhs = factor_names[cell[1]], "=~", str(items[cell[0]])
        elif matrix == "phi":
            lhs, op, rhs = factor_names[cell[0]], "~~", factor_names[cell[1]]
        elif matrix == "theta":
            lhs, op, rhs = str(items[cell[0]]), "~~", str(items[cell[1]])
        elif matrix == "nu":
            lhs, op, rhs = str(items[cell[0]]), "~1", ""
        else:
            lhs, op, rhs = factor_names[cell[0]], "~1", ""
        est = theta[idx] if idx >= 0 else fix
        se = se_free[idx] if idx >= 0 else np.nan
        rows.append((lhs, op, rhs, group_labels[g], idx >= 0, est, se))
    table = pd.DataFrame(rows, columns=["lhs", "op", "rhs", "group", "free", "est", "se"])
    with np.errstate(divide="ignore", invalid="ignore"):
        table["z"] = table["est"] / table["se"]
    table["p"] = 2 * stats.norm.sf(np.abs(table["z"]))
    # Delta method for the standardised values (central differences, all at once).
    q = theta.size
    h = 1e-6 * np.maximum(1.0, np.abs(theta))
    steps = np.eye(q) * h
    std = _standardized(spec, theta[None, :], cells)[0]
    moved = _standardized(spec, np.concatenate([theta + steps, theta - steps]), cells)
    jacobian = ((moved[:q] - moved[q:]) / (2 * h[:, None])).T
    std_se = np.sqrt(np.clip(np.einsum("ca,ab,cb->c", jacobian, vcov, jacobian), 0.0, None))
    table["std"] = std
    table["std_se"] = std_se
    return table


def srmr(
    spec: _k.ModelSpec, theta: np.ndarray, cov: np.ndarray, means: np.ndarray, weights: np.ndarray
) -> float:
    """lavaan's SRMR (Bentler's): covariance residuals and, with a mean structure, mean
    residuals, divided by the sample standard deviations; root mean square per group,
    weighted by group size."""
    sigma, mu = _k.implied(spec, theta[None, :])
    sigma, mu = sigma[0], mu[0]
    p = cov.shape[-1]
    sd = np.sqrt(np.einsum("gii->gi", cov))
    residual = (cov - sigma) / (sd[:, :, None] * sd[:, None, :])
    lower = np.tril_indices(p)
    total = (residual[:, lower[0], lower[1]] ** 2).sum(axis=1)
    count = lower[0].size
    if spec.meanstructure:
        total = total + (((means - mu) / sd) ** 2).sum(axis=1)
        count += p
    return float((weights * np.sqrt(total / count)).sum())


def fit_model(
    groups: Sequence[np.ndarray],
    factors: Mapping[str, Sequence[Hashable]],
    items: Sequence[Hashable],
    equal: frozenset[str] = frozenset(),
    meanstructure: bool = False,
    group_labels: Sequence[Hashable] = (0,),
    robust: bool = False,
) -> FittedModel:
    """ML fit of the model to complete data of one or more groups; ``robust`` (with a
    mean structure) gives MLR's sandwich covariance and scaling factor."""
    sizes = np.array([len(x) for x in groups])
    n = int(sizes.sum())
    weights = sizes / n
    means = np.stack([x.mean(axis=0) for x in groups])
    cov = np.stack([np.cov(x, rowvar=False, bias=True) for x in groups])
    spec, _labels, cells = build_spec(factors, items, len(groups), equal, meanstructure)
    start = start_values(spec, factors, items, cov, means)
    # Matrices of a few hundred cells: BLAS threads cost more than they save.
    with single_blas_thread():
        fit = _k.fit_ml(spec, start, cov, means, weights)
        info = _k.expected_information(spec, fit.theta, weights)
    vcov = np.linalg.inv(info) / n
    scaling = float("nan")
    p = len(items)
    moments = len(groups) * (p * (p + 1) // 2 + (p if meanstructure else 0))
    if robust:
        with single_blas_thread():
            vcov, trace = _robust(spec, fit.theta, groups, cov, means)
        scaling = trace / (moments - spec.n_params)
    chi2 = n * fit.fmin
    _, logdet = np.linalg.slogdet(cov)
    baseline = float((sizes * (np.log(np.einsum("gii->gi", cov)).sum(axis=1) - logdet)).sum())
    # Log-likelihood at the estimates: F = logL(saturated) - logL(model), scaled.
    loglik_saturated = float((-sizes / 2 * (p * np.log(2 * np.pi) + logdet + p)).sum())
    loglik = loglik_saturated - chi2 / 2
    table = parameter_table(spec, fit.theta, vcov, cells, list(factors), items, list(group_labels))
    return FittedModel(
        spec=spec,
        theta=fit.theta,
        vcov=vcov,
        fmin=fit.fmin,
        converged=fit.converged,
        chi2=float(chi2),
        df=int(moments - spec.n_params),
        baseline_chi2=baseline,
        baseline_df=len(groups) * p * (p - 1) // 2,
        loglik=loglik,
        n_params=spec.n_params,
        n=n,
        group_sizes=tuple(int(s) for s in sizes),
        srmr=srmr(spec, fit.theta, cov, means, weights),
        parameters=table,
        cov=cov,
        means=means,
        weights=weights,
        scaling=scaling,
    )


def baseline_scaling(x: np.ndarray) -> float:
    """The Yuan-Bentler scaling factor of the independence (baseline) model, for the
    robust CFI and TLI: uncorrelated items with free means and variances."""
    p = x.shape[1]
    mean = x.mean(axis=0)
    cov = np.cov(x, rowvar=False, bias=True)
    theta_idx = np.full((1, p, p), -1)
    theta_idx[0, np.arange(p), np.arange(p)] = np.arange(p)
    spec = _k.ModelSpec(
        lam_idx=np.full((1, p, 1), -1),
        lam_fix=np.zeros((1, p, 1)),
        phi_idx=np.full((1, 1, 1), -1),
        phi_fix=np.ones((1, 1, 1)),
        theta_idx=theta_idx,
        theta_fix=np.zeros((1, p, p)),
        nu_idx=np.arange(p, 2 * p)[None, :],
        nu_fix=np.zeros((1, p)),
        kappa_idx=np.full((1, 1), -1),
        kappa_fix=np.zeros((1, 1)),
        n_params=2 * p,
        meanstructure=True,
    )
    theta = np.concatenate([np.diag(cov), mean])  # the ML estimates of this model
    with single_blas_thread():
        _, trace = _robust(spec, theta, [x], cov[None], mean[None])
    return trace / (p * (p - 1) // 2)


def _saturated_scores(x: np.ndarray, mean: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Casewise scores of the saturated normal model (n, p + p(p+1)/2): derivatives of
    each row's log-likelihood by the means and the lower-triangle (co)variances."""
    p = len(mean)
    inverse = np.linalg.inv(sigma)
    d = (x - mean) @ inverse
    lower = np.tril_indices(p)
    # d l_i / d Σ_jk = ½ (Σ⁻¹ d_i d_i' Σ⁻¹ − Σ⁻¹)_jk, twice for an off-diagonal cell.
    outer = d[:, lower[0]] * d[:, lower[1]] - inverse[lower]
    outer *= np.where(lower[0] == lower[1], 0.5, 1.0)
    return np.concatenate([d, outer], axis=1)


def _robust(
    spec: _k.ModelSpec,
    theta: np.ndarray,
    groups: Sequence[np.ndarray],
    cov: np.ndarray,
    means: np.ndarray,
) -> tuple[np.ndarray, float]:
    """lavaan's MLR: the Huber-White covariance ``A⁻¹BA⁻¹/N`` (A the observed
    information, B the mean outer product of casewise scores over all groups) and the
    trace ``tr(A₁⁻¹B₁) − tr(A⁻¹B)`` of the Yuan-Bentler (Mplus) scaling factor, A₁ and
    B₁ those of the saturated model at each group's sample moments."""
    sizes = np.array([len(x) for x in groups])
    n = int(sizes.sum())
    weights = sizes / n
    q = theta.size
    p = cov.shape[-1]
    # Observed information: half the Hessian of F, by central differences of the
    # analytic gradient (one pair of evaluations per parameter).
    h = 1e-6 * np.maximum(1.0, np.abs(theta))
    hessian = np.empty((q, q))
    for a in range(q):  # over parameters, not respondents
        step = np.zeros(q)
        step[a] = h[a]
        up = _k.ml_discrepancy(theta + step, spec, cov, means, weights)[1]
        down = _k.ml_discrepancy(theta - step, spec, cov, means, weights)[1]
        hessian[a] = (up - down) / (2 * h[a])
    observed = 0.25 * (hessian + hessian.T)
    inverse = np.linalg.inv(observed)
    sigma, mu = _k.implied(spec, theta[None, :])
    d_sigma, d_mu = _k.model_jacobian(spec, theta)
    lower = np.tril_indices(p)
    k = lower[0].size
    dup = np.zeros((p * p, k))
    dup[lower[0] * p + lower[1], np.arange(k)] = 1.0
    dup[lower[1] * p + lower[0], np.arange(k)] = 1.0
    first_order = np.zeros((q, q))
    trace_saturated = 0.0
    for g, x in enumerate(groups):  # over groups (a handful), not respondents
        delta = np.concatenate([d_mu[g], d_sigma[g][lower[0], lower[1], :]], axis=0)
        scores = _saturated_scores(x, mu[0, g], sigma[0, g]) @ delta
        first_order += scores.T @ scores / n
        # Saturated model at the sample moments: observed = expected information.
        saturated = _saturated_scores(x, means[g], cov[g])
        s_inv = np.linalg.inv(cov[g])
        a1 = np.zeros((p + k, p + k))
        a1[:p, :p] = s_inv
        a1[p:, p:] = 0.5 * dup.T @ np.kron(s_inv, s_inv) @ dup
        trace_saturated += float(np.trace(np.linalg.solve(a1, saturated.T @ saturated / len(x))))
    vcov = inverse @ first_order @ inverse / n
    trace = trace_saturated - float(np.trace(inverse @ first_order))
    return vcov, trace


def robust_indices(model: FittedModel, groups: Sequence[np.ndarray]) -> dict[str, float]:
    """Scaled χ² and the robust CFI, TLI and RMSEA (lavaan's ``*.robust``) of an MLR fit."""
    from scipy import stats

    c, df, n = model.scaling, model.df, model.n
    # The baseline's groups are independent: its trace is the sum of the groups' traces.
    c_base = float(np.mean([baseline_scaling(x) for x in groups]))
    chi2, base, df_base = model.chi2, model.baseline_chi2, model.baseline_df
    excess = max(chi2 - c * df, 0.0)
    base_excess = base - c_base * df_base
    return {
        "chi2_scaled": chi2 / c,
        "p_scaled": float(stats.chi2.sf(chi2 / c, df)),
        "scaling_factor": c,
        "cfi_robust": 1.0 - excess / max(base_excess, excess, 0.0),
        "tli_robust": 1.0 - ((chi2 - c * df) * df_base) / (base_excess * df),
        "rmsea_robust": float(np.sqrt(excess / (n * df)) * np.sqrt(len(groups))),
    }


def fit_indices(model: FittedModel) -> dict[str, float]:
    """χ², CFI, TLI, RMSEA with 90% CI and p-close, SRMR, AIC, BIC as lavaan's fitMeasures."""
    from scipy import optimize, stats

    chi2, df, n = model.chi2, model.df, model.n
    b_chi2, b_df = model.baseline_chi2, model.baseline_df
    n_groups = len(model.group_sizes)
    cfi_den = max(b_chi2 - b_df, chi2 - df, 0.0)
    cfi = 1.0 - max(chi2 - df, 0.0) / cfi_den if cfi_den > 0 else 1.0
    tli = (b_chi2 / b_df - chi2 / df) / (b_chi2 / b_df - 1.0) if df > 0 else 1.0
    out = {
        "chi2": chi2,
        "df": float(df),
        "p": float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan,
        "cfi": cfi,
        "tli": tli,
    }
    if df > 0:
        rmsea = np.sqrt(max(chi2 - df, 0.0) / (df * n)) * np.sqrt(n_groups)

        def ncp_for(prob: float) -> float:
            # Noncentrality at which chi2 is the prob-quantile (0 if not reachable).
            if stats.chi2.cdf(chi2, df) < prob:
                return 0.0
            upper = max(chi2, 1.0)
            while stats.ncx2.cdf(chi2, df, upper) > prob:
                upper *= 2
            return float(
                optimize.brentq(lambda lam: stats.ncx2.cdf(chi2, df, lam) - prob, 0.0, upper)
            )

        low = np.sqrt(ncp_for(0.95) / (n * df)) * np.sqrt(n_groups)
        high = np.sqrt(ncp_for(0.05) / (n * df)) * np.sqrt(n_groups)
        close = float(stats.ncx2.sf(chi2, df, n * df * 0.05**2 / n_groups))
    else:
        rmsea = low = high = close = np.nan
    out.update(
        rmsea=float(rmsea),
        rmsea_ci_low=float(low),
        rmsea_ci_high=float(high),
        rmsea_p=close,
        srmr=model.srmr,
        aic=-2 * model.loglik + 2 * model.n_params,
        bic=-2 * model.loglik + np.log(n) * model.n_params,
        loglik=model.loglik,
    )
    return out


def modification_indices(
    model: FittedModel, factor_names: Sequence[str], items: Sequence[Hashable]
) -> pd.DataFrame:
    """Score-test modification indices for fixed-zero loadings and residual covariances
    (lavaan's ``modindices`` with expected information), with the expected change.

    Freeing a cell adds a parameter at 0; with g the gradient of F and V the
    information of the new parameter net of the free ones,
    ``mi = n g² / (4 V)`` and ``epc = −g / (2 V)``.
    """
    spec = model.spec
    q = spec.n_params
    lam_idx = spec.lam_idx.copy()
    theta_idx = spec.theta_idx.copy()
    labels: list[tuple[str, str, str, Hashable]] = []
    g_labels = model.parameters["group"].drop_duplicates().tolist()
    for g in range(lam_idx.shape[0]):
        free_or_fixed = (spec.lam_idx[g] >= 0) | (spec.lam_fix[g] != 0)
        for j, k in zip(*np.nonzero(~free_or_fixed), strict=True):
            lam_idx[g, j, k] = q + len(labels)
            labels.append((factor_names[int(k)], "=~", str(items[int(j)]), g_labels[g]))
        upper = np.triu_indices(len(items), 1)
        for j, j2 in zip(*upper, strict=True):
            if spec.theta_idx[g, j, j2] < 0:
                theta_idx[g, j, j2] = theta_idx[g, j2, j] = q + len(labels)
                labels.append((str(items[int(j)]), "~~", str(items[int(j2)]), g_labels[g]))
    extended = spec._replace(lam_idx=lam_idx, theta_idx=theta_idx, n_params=q + len(labels))
    theta = np.concatenate([model.theta, np.zeros(len(labels))])
    _, grad = _k.ml_discrepancy(theta, extended, model.cov, model.means, model.weights)
    with single_blas_thread():
        info = _k.expected_information(extended, theta, model.weights)
    i_ff, i_fc, i_cc = info[:q, :q], info[:q, q:], info[q:, q:]
    net = np.diag(i_cc) - np.einsum("fc,fc->c", i_fc, np.linalg.solve(i_ff, i_fc))
    gradient = grad[q:]
    table = pd.DataFrame(labels, columns=["lhs", "op", "rhs", "group"])
    table["mi"] = model.n * gradient**2 / (4 * net)
    table["epc"] = -gradient / (2 * net)
    return table
