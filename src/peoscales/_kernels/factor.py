"""Factor-analysis kernels: suitability, extraction, rotation, parallel analysis, MAP.

Everything works on correlation matrices (ndarrays, no pandas, no validation).
Extraction and rotation follow the algorithms of R's psych (``fa``) and
GPArotation step for step, so that the same start gives the same iterates:

* ``minres`` minimises the unweighted least-squares discrepancy over the
  uniquenesses (psych's ``fm="minres"``), ``ml`` the maximum-likelihood
  discrepancy (Jöreskog's profile function, psych's ``FAfn``), both with
  L-BFGS-B within [0.005, 1] and an analytic gradient;
* ``pa`` iterates principal axes from squared multiple correlations until the
  total communality changes by less than 0.001 (psych's stopping rule);
* varimax is the SVD algorithm of R's ``stats::varimax`` (Kaiser-normalised),
  promax psych's Kaiser-normalised ``Promax`` (power 4 on varimax), oblimin and geomin the
  gradient-projection algorithm of Bernaards & Jennrich (2005) as in GPArotation.

factor_analyzer 0.5.1 was checked against psych on the same data (tests/test_factor_efa.py
records it): ``FactorAnalyzer.fit`` fails with current scikit-learn (it passes the removed
``force_all_finite`` argument), its ``principal`` method is principal components, not
psych's principal axes, and its oblique geomin stops 1.1e-4 away from GPArotation's
``geominQ``. Its ``Rotator`` agrees with psych within 1e-5 for varimax, oblimin and promax,
but importing it loads scikit-learn; one self-contained set of kernels is simpler, faster
to import and checked against psych for every method and rotation.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: Bounds psych puts on the uniquenesses during minres and ml extraction.
PSI_BOUNDS = (0.005, 1.0)


# --------------------------------------------------------------------------------------
# Suitability
# --------------------------------------------------------------------------------------


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations of each variable with the others, batched.

    ``r`` is ``(..., p, p)``; the result ``(..., p)`` is ``1 - 1 / diag(R^-1)``.
    """
    inverse_diag = np.diagonal(np.linalg.inv(r), axis1=-2, axis2=-1)
    return 1.0 - 1.0 / inverse_diag


def kmo(r: np.ndarray) -> tuple[float, np.ndarray]:
    """Kaiser-Meyer-Olkin measure of sampling adequacy, overall and per item.

    Anti-image (partial) correlations ``q_ij = -r^ij / sqrt(r^ii r^jj)`` from the
    inverse; MSA = sum r^2 / (sum r^2 + sum q^2) over off-diagonal cells.
    """
    inverse = np.linalg.inv(r)
    scale = 1.0 / np.sqrt(np.diag(inverse))
    partial = -inverse * scale[:, None] * scale[None, :]
    r2 = r**2
    q2 = partial**2
    np.fill_diagonal(r2, 0.0)
    np.fill_diagonal(q2, 0.0)
    per_item = r2.sum(axis=0) / (r2.sum(axis=0) + q2.sum(axis=0))
    overall = r2.sum() / (r2.sum() + q2.sum())
    return float(overall), per_item


def bartlett(r: np.ndarray, n: int) -> tuple[float, int]:
    """Bartlett's test of sphericity: chi2 and its df (p from the chi2 distribution)."""
    p = r.shape[0]
    _, logdet = np.linalg.slogdet(r)
    chi2 = -(n - 1 - (2 * p + 5) / 6) * logdet
    return float(chi2), p * (p - 1) // 2


def velicer_map(r: np.ndarray, max_components: int) -> np.ndarray:
    """Velicer's minimum average partial: mean squared partial correlation after
    removing the first 1..m principal components (psych's ``VSS(...)$map``).

    All m at once: the partialled matrices are ``R - cumsum(c_i c_i')``, one stack.
    """
    p = r.shape[0]
    m = min(max_components, p - 1)
    values, vectors = np.linalg.eigh(r)
    order = np.argsort(values)[::-1]
    components = vectors[:, order] * np.sqrt(np.clip(values[order], 0.0, None))
    outer = np.einsum("ik,jk->kij", components[:, :m], components[:, :m])
    partialled = r[None, :, :] - np.cumsum(outer, axis=0)
    scale = 1.0 / np.sqrt(np.diagonal(partialled, axis1=1, axis2=2))
    rstar = partialled * scale[:, :, None] * scale[:, None, :]
    off = ~np.eye(p, dtype=bool)
    result = np.full(max_components, np.nan)
    result[:m] = (rstar[:, off] ** 2).sum(axis=1) / (p * (p - 1))
    return result


def eigenvalues_desc(r: np.ndarray) -> np.ndarray:
    """Eigenvalues in decreasing order along the last axis (batched)."""
    return np.linalg.eigvalsh(r)[..., ::-1]


def smc_eigenvalues(r: np.ndarray) -> np.ndarray:
    """Eigenvalues of ``r`` with squared multiple correlations on the diagonal (batched)."""
    reduced = r.copy()
    diag = np.einsum("...ii->...i", reduced)
    diag[...] = smc(r)
    return eigenvalues_desc(reduced)


def batch_correlations(x: np.ndarray) -> np.ndarray:
    """Correlation matrices of a stack of data sets ``(B, n, p)`` in one batched product."""
    centred = x - x.mean(axis=1, keepdims=True)
    cov = np.matmul(centred.transpose(0, 2, 1), centred)
    scale = 1.0 / np.sqrt(np.einsum("bii->bi", cov))
    return cov * scale[:, :, None] * scale[:, None, :]


def wishart_correlations(n: int, p: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Correlation matrices of ``size`` samples of ``n`` independent standard normal rows
    of ``p`` variables, drawn without drawing the data.

    The centred cross-product matrix of such a sample is Wishart(n − 1, I); Bartlett's
    decomposition draws it as ``A A'`` with ``A`` lower triangular, ``A_ii² ~ χ²(n − i)``
    (i = 1..p) and ``A_ij ~ N(0, 1)`` below the diagonal (Bartlett, 1933). That is
    ``p²/2`` numbers per replicate instead of ``n p``, with the same distribution.
    """
    a = np.tril(rng.standard_normal((size, p, p)), k=-1)
    diagonal = np.sqrt(rng.chisquare(n - 1 - np.arange(p), size=(size, p)))
    a[:, np.arange(p), np.arange(p)] = diagonal
    cross = a @ np.swapaxes(a, -1, -2)
    scale = 1.0 / np.sqrt(np.einsum("bii->bi", cross))
    return cross * scale[:, :, None] * scale[:, None, :]


def parallel_eigenvalues(
    x: np.ndarray | None,
    n: int,
    p: int,
    n_boot: int,
    rng: np.random.Generator,
    *,
    resample: bool,
    batch: int = 64,
) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues of ``n_boot`` random correlation matrices (components and SMC-reduced).

    ``resample=False``: correlation matrices of normal data of shape ``(n, p)``, drawn
    directly from their Wishart distribution (:func:`wishart_correlations`).
    ``resample=True``: each column of ``x`` permuted independently (keeps the
    marginal distributions, destroys the correlations), a batch at a time. Every batch
    is one batched matrix product and one batched ``eigvalsh``. Returns two
    ``(n_boot, p)`` arrays.
    """
    pc = np.empty((n_boot, p))
    fa = np.empty((n_boot, p))
    for start in range(0, n_boot, batch):  # batches of replicates, to bound memory
        b = min(batch, n_boot - start)
        if resample:
            assert x is not None
            r = batch_correlations(rng.permuted(np.broadcast_to(x, (b, n, p)), axis=1))
        else:
            r = wishart_correlations(n, p, b, rng)
        pc[start : start + b] = eigenvalues_desc(r)
        fa[start : start + b] = smc_eigenvalues(r)
    return pc, fa


# --------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------


class Extraction(NamedTuple):
    """Unrotated loadings and the extraction's bookkeeping."""

    loadings: np.ndarray
    uniquenesses: np.ndarray
    iterations: int
    converged: bool
    objective: float


def _top_loadings(matrix: np.ndarray, n_factors: int) -> np.ndarray:
    values, vectors = np.linalg.eigh(matrix)
    values = values[::-1][:n_factors]
    vectors = vectors[:, ::-1][:, :n_factors]
    return vectors * np.sqrt(np.clip(values, 0.0, None))


def _uls_objective(psi: np.ndarray, r: np.ndarray, n_factors: int) -> tuple[float, np.ndarray]:
    loadings = _top_loadings(r - np.diag(psi), n_factors)
    residual = r - loadings @ loadings.T - np.diag(psi)
    # Gradient of 0.5 * ||R - LL' - Psi||^2 with L at its optimum given Psi.
    return 0.5 * float((residual**2).sum()), -np.diag(residual).copy()


def _ml_objective(psi: np.ndarray, r: np.ndarray, n_factors: int) -> tuple[float, np.ndarray]:
    scale = 1.0 / np.sqrt(psi)
    scaled = r * scale[:, None] * scale[None, :]
    values, vectors = np.linalg.eigh(scaled)
    values = values[::-1]
    vectors = vectors[:, ::-1]
    rest = values[n_factors:]
    value = -(np.sum(np.log(rest) - rest) - n_factors + r.shape[0])
    top = vectors[:, :n_factors] * np.sqrt(np.clip(values[:n_factors] - 1.0, 0.0, None))
    loadings = top * np.sqrt(psi)[:, None]
    gradient = np.diag(loadings @ loadings.T + np.diag(psi) - r) / psi**2
    return float(value), gradient


def _ml_loadings(psi: np.ndarray, r: np.ndarray, n_factors: int) -> np.ndarray:
    scale = 1.0 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(r * scale[:, None] * scale[None, :])
    values = values[::-1][:n_factors]
    vectors = vectors[:, ::-1][:, :n_factors]
    return vectors * np.sqrt(np.clip(values - 1.0, 0.0, None)) * np.sqrt(psi)[:, None]


def extract(r: np.ndarray, n_factors: int, method: str) -> Extraction:
    """Unrotated loadings by ``minres``, ``ml`` or ``pa`` (see the module notes)."""
    start = 1.0 - smc(r)
    if method == "pa":
        return _principal_axes(r, n_factors, 1.0 - start)
    from scipy import optimize

    objective = _uls_objective if method == "minres" else _ml_objective
    # psych starts from 1 - SMC; the bounds keep Heywood cases at psych's limits.
    solution = optimize.minimize(
        objective,
        np.clip(start, *PSI_BOUNDS),
        args=(r, n_factors),
        jac=True,
        method="L-BFGS-B",
        bounds=[PSI_BOUNDS] * r.shape[0],
        options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10_000},
    )
    psi = solution.x
    if method == "minres":
        loadings = _top_loadings(r - np.diag(psi), n_factors)
    else:
        loadings = _ml_loadings(psi, r, n_factors)
    return Extraction(loadings, psi, int(solution.nit), bool(solution.success), float(solution.fun))


def _principal_axes(
    r: np.ndarray, n_factors: int, communalities: np.ndarray, min_err: float = 0.001
) -> Extraction:
    reduced = r.copy()
    np.fill_diagonal(reduced, communalities)
    total = float(communalities.sum())
    iterations, converged = 0, False
    loadings = _top_loadings(reduced, n_factors)
    # The loop runs over iterations of the algorithm (at most 50), as psych's.
    for iterations in range(1, 51):  # noqa: B007
        loadings = _top_loadings(reduced, n_factors)
        new = (loadings**2).sum(axis=1)
        change = abs(total - float(new.sum()))
        np.fill_diagonal(reduced, new)
        total = float(new.sum())
        if change <= min_err:
            converged = True
            break
    h2 = (loadings**2).sum(axis=1)
    return Extraction(loadings, 1.0 - h2, iterations, converged, float("nan"))


# --------------------------------------------------------------------------------------
# Rotation
# --------------------------------------------------------------------------------------


class Rotation(NamedTuple):
    """Rotated pattern loadings and the factor correlations (identity if orthogonal)."""

    loadings: np.ndarray
    phi: np.ndarray
    converged: bool


def varimax(loadings: np.ndarray, eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """Kaiser-normalised varimax, the SVD algorithm of R's ``stats::varimax``."""
    k = loadings.shape[1]
    if k < 2:
        return loadings.copy(), np.eye(k)
    norms = np.sqrt((loadings**2).sum(axis=1))
    x = loadings / norms[:, None]
    p = x.shape[0]
    rotation = np.eye(k)
    d = 0.0
    for _ in range(1000):
        z = x @ rotation
        b = x.T @ (z**3 - z * ((z**2).sum(axis=0) / p))
        u, s, vt = np.linalg.svd(b)
        rotation = u @ vt
        d_past, d = d, float(s.sum())
        if d < d_past * (1 + eps):
            break
    return (x @ rotation) * norms[:, None], rotation


def promax(loadings: np.ndarray, power: int = 4) -> Rotation:
    """psych's ``fa(rotate="promax")``: rows Kaiser-normalised (``kaiser``), then
    ``Promax`` (varimax, then a least-squares fit to the powered target)."""
    norms = np.sqrt((loadings**2).sum(axis=1))
    x, rotmat = varimax(loadings / norms[:, None])
    target = x * np.abs(x) ** (power - 1)
    u = np.linalg.lstsq(x, target, rcond=None)[0]
    d = np.diag(np.linalg.inv(u.T @ u))
    u = u * np.sqrt(d)[None, :]
    pattern = (x @ u) * norms[:, None]
    full = rotmat @ u
    inverse = np.linalg.inv(full)
    return Rotation(pattern, inverse @ inverse.T, True)


def _oblimin_criterion(lam: np.ndarray) -> tuple[float, np.ndarray]:
    l2 = lam**2
    x = l2.sum(axis=1, keepdims=True) - l2  # row sums over the other factors
    return float((l2 * x).sum() / 4.0), lam * x


def _geomin_criterion(lam: np.ndarray, delta: float = 0.01) -> tuple[float, np.ndarray]:
    k = lam.shape[1]
    l2 = lam**2 + delta
    product = np.exp(np.log(l2).sum(axis=1) / k)
    return float(product.sum()), (2.0 / k) * (lam / l2) * product[:, None]


def gpa_oblique(
    loadings: np.ndarray, criterion: str, eps: float = 1e-5, max_iter: int = 1000
) -> Rotation:
    """Oblique gradient-projection rotation (GPArotation's ``GPFoblq``) from the identity."""
    vgq = _oblimin_criterion if criterion == "oblimin" else _geomin_criterion
    k = loadings.shape[1]
    tmat = np.eye(k)
    alpha = 1.0
    lam = loadings @ np.linalg.inv(tmat).T
    f, gq = vgq(lam)
    gradient = -(lam.T @ gq @ np.linalg.inv(tmat)).T
    converged = False
    for _ in range(max_iter + 1):
        projected = gradient - tmat * (tmat * gradient).sum(axis=0)[None, :]
        s = float(np.sqrt((projected**2).sum()))
        if s < eps:
            converged = True
            break
        alpha *= 2.0
        for _step in range(11):
            x = tmat - alpha * projected
            candidate = x / np.sqrt((x**2).sum(axis=0))[None, :]
            lam = loadings @ np.linalg.inv(candidate).T
            f_new, gq_new = vgq(lam)
            if f - f_new > 0.5 * s**2 * alpha:
                break
            alpha /= 2.0
        tmat, f = candidate, f_new
        gradient = -(lam.T @ gq_new @ np.linalg.inv(candidate)).T
    return Rotation(lam, tmat.T @ tmat, converged)


def rotate(loadings: np.ndarray, rotation: str | None) -> Rotation:
    """Rotate unrotated loadings; ``None`` returns them unchanged (orthogonal)."""
    k = loadings.shape[1]
    if rotation is None or k < 2:
        return Rotation(loadings.copy(), np.eye(k), True)
    if rotation == "varimax":
        rotated, _ = varimax(loadings)
        return Rotation(rotated, np.eye(k), True)
    if rotation == "promax":
        return promax(loadings)
    return gpa_oblique(loadings, rotation)


def orient(loadings: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """psych's conventions: each factor's loadings sum positive, factors ordered by the
    variance they account for (``diag(Phi L'L)``), largest first."""
    signs = np.sign(loadings.sum(axis=0))
    signs[signs == 0] = 1.0
    loadings = loadings * signs
    phi = phi * signs[:, None] * signs[None, :]
    explained = np.diag(phi @ loadings.T @ loadings)
    order = np.argsort(-explained, kind="stable")
    return loadings[:, order], phi[np.ix_(order, order)]


# --------------------------------------------------------------------------------------
# Confirmatory factor analysis: multi-group ML with equality constraints
# --------------------------------------------------------------------------------------


class ModelSpec(NamedTuple):
    """A CFA model for ``G`` groups, ``p`` items and ``m`` factors.

    Every matrix has an index array (``-1`` fixed, else the free parameter's
    position; equal indices are equality constraints, including the two cells of a
    symmetric matrix) and the values of its fixed cells.
    """

    lam_idx: np.ndarray  # (G, p, m)
    lam_fix: np.ndarray
    phi_idx: np.ndarray  # (G, m, m)
    phi_fix: np.ndarray
    theta_idx: np.ndarray  # (G, p, p)
    theta_fix: np.ndarray
    nu_idx: np.ndarray  # (G, p)
    nu_fix: np.ndarray
    kappa_idx: np.ndarray  # (G, m)
    kappa_fix: np.ndarray
    n_params: int
    meanstructure: bool


def _fill(idx: np.ndarray, fix: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Matrices for a batch of parameter vectors ``theta`` (B, q): shape (B,) + idx.shape."""
    values = theta[:, np.maximum(idx, 0)]
    return np.where(idx >= 0, values, fix)


def implied(spec: ModelSpec, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Model-implied covariances (B, G, p, p) and means (B, G, p) for a batch of theta."""
    lam = _fill(spec.lam_idx, spec.lam_fix, theta)
    phi = _fill(spec.phi_idx, spec.phi_fix, theta)
    th = _fill(spec.theta_idx, spec.theta_fix, theta)
    sigma = lam @ phi @ np.swapaxes(lam, -1, -2) + th
    nu = _fill(spec.nu_idx, spec.nu_fix, theta)
    kappa = _fill(spec.kappa_idx, spec.kappa_fix, theta)
    mu = nu + np.einsum("bgpm,bgm->bgp", lam, kappa)
    return sigma, mu


def _accumulate(grad: np.ndarray, idx: np.ndarray, values: np.ndarray) -> None:
    free = idx >= 0
    grad += np.bincount(idx[free], weights=values[free], minlength=grad.size)


def ml_discrepancy(
    theta: np.ndarray, spec: ModelSpec, cov: np.ndarray, means: np.ndarray, weights: np.ndarray
) -> tuple[float, np.ndarray]:
    """Weighted ML discrepancy ``sum_g w_g F_g`` and its analytic gradient.

    ``F_g = log|Σ| + tr(SΣ⁻¹) − log|S| − p + (m − μ)'Σ⁻¹(m − μ)`` (the mean part only
    with a mean structure); ``cov`` holds the ML (divisor n) covariances per group.
    """
    batch = theta[None, :]
    lam = _fill(spec.lam_idx, spec.lam_fix, batch)[0]
    phi = _fill(spec.phi_idx, spec.phi_fix, batch)[0]
    th = _fill(spec.theta_idx, spec.theta_fix, batch)[0]
    sigma = lam @ phi @ np.swapaxes(lam, -1, -2) + th
    try:  # the discrepancy is defined for positive definite Σ only
        chol = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return np.inf, np.zeros_like(theta)
    logdet = 2.0 * np.log(np.einsum("gii->gi", chol)).sum(axis=1)
    inverse = np.linalg.inv(sigma)
    p = cov.shape[-1]
    _, logdet_s = np.linalg.slogdet(cov)
    value = logdet + np.einsum("gij,gji->g", cov, inverse) - logdet_s - p
    target = cov
    if spec.meanstructure:
        nu = _fill(spec.nu_idx, spec.nu_fix, batch)[0]
        kappa = _fill(spec.kappa_idx, spec.kappa_fix, batch)[0]
        d = means - nu - np.einsum("gpm,gm->gp", lam, kappa)
        inv_d = np.einsum("gij,gj->gi", inverse, d)
        value = value + np.einsum("gi,gi->g", d, inv_d)
        target = cov + d[:, :, None] * d[:, None, :]
    # dF/dΣ (elements treated as independent) = Σ⁻¹(Σ − S − dd')Σ⁻¹.
    w = inverse @ (sigma - target) @ inverse * weights[:, None, None]
    grad = np.zeros(spec.n_params)
    grad_lam = 2.0 * w @ lam @ phi
    if spec.meanstructure:
        d_mu = -2.0 * inv_d * weights[:, None]
        grad_lam = grad_lam + d_mu[:, :, None] * kappa[:, None, :]
        _accumulate(grad, spec.nu_idx, d_mu)
        _accumulate(grad, spec.kappa_idx, np.einsum("gpm,gp->gm", lam, d_mu))
    _accumulate(grad, spec.lam_idx, grad_lam)
    _accumulate(grad, spec.phi_idx, np.swapaxes(lam, -1, -2) @ w @ lam)
    _accumulate(grad, spec.theta_idx, w)
    return float((weights * value).sum()), grad


def model_jacobian(spec: ModelSpec, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """d vec(Σ_g)/dθ (G, p, p, q) and dμ_g/dθ (G, p, q), all parameters in one batch.

    Σ and μ are at most quadratic in each parameter, so central differences are
    exact up to rounding.
    """
    q = theta.size
    h = 1e-4 * np.maximum(1.0, np.abs(theta))
    steps = np.eye(q) * h
    sigma, mu = implied(spec, np.concatenate([theta + steps, theta - steps]))
    d_sigma = (sigma[:q] - sigma[q:]) / (2 * h[:, None, None, None])
    d_mu = (mu[:q] - mu[q:]) / (2 * h[:, None, None])
    return np.moveaxis(d_sigma, 0, -1), np.moveaxis(d_mu, 0, -1)


def expected_information(spec: ModelSpec, theta: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Unit expected information ``sum_g w_g [½ tr(Σ⁻¹ΔaΣ⁻¹Δb) + Δμa'Σ⁻¹Δμb]`` (q, q)."""
    sigma, _ = implied(spec, theta[None, :])
    inverse = np.linalg.inv(sigma[0])
    d_sigma, d_mu = model_jacobian(spec, theta)
    n_groups, p, _, q = d_sigma.shape
    # B_a = Σ⁻¹ Δ_a for every parameter a; tr(B_a B_b) as one matrix product per group.
    b = np.matmul(inverse[:, None], np.moveaxis(d_sigma, -1, 1))  # (G, q, p, p)
    left = b.reshape(n_groups, q, p * p)
    right = np.swapaxes(b, -1, -2).reshape(n_groups, q, p * p)
    info = 0.5 * np.einsum("g,gab->ab", weights, left @ np.swapaxes(right, -1, -2))
    if spec.meanstructure:
        weighted = (inverse @ d_mu) * weights[:, None, None]
        info += np.einsum("gia,gib->ab", d_mu, weighted)
    return info


class CFAFit(NamedTuple):
    """Estimates and the minimum of the discrepancy."""

    theta: np.ndarray
    fmin: float
    converged: bool
    iterations: int


def fit_ml(
    spec: ModelSpec, start: np.ndarray, cov: np.ndarray, means: np.ndarray, weights: np.ndarray
) -> CFAFit:
    """Minimise the ML discrepancy by Fisher scoring with step halving.

    The expected Hessian of F is twice the unit information, so each step is a
    Newton step with it; a step is halved while it leaves the covariance matrices
    positive definite or fails to lower F. Stops when the Newton decrement (the
    predicted fall of F, invariant to the items' scales) is below 1e-20.
    """
    theta = start.copy()
    value, grad = ml_discrepancy(theta, spec, cov, means, weights)
    decrement = np.inf
    iterations = 0
    for iterations in range(1, 501):  # noqa: B007 - iterations of the algorithm
        info = expected_information(spec, theta, weights)
        try:
            step = np.linalg.solve(2.0 * info, grad)
        except np.linalg.LinAlgError:
            break
        decrement = float(grad @ step)
        if decrement < 1e-20:
            break
        shrink = 1.0
        while shrink > 1e-6:
            candidate = theta - shrink * step
            new_value, new_grad = ml_discrepancy(candidate, spec, cov, means, weights)
            if new_value <= value:
                break
            shrink /= 2
        else:
            break  # no decrease left at rounding level
        theta, value, grad = candidate, new_value, new_grad
    converged = bool(np.isfinite(value) and decrement < 1e-12)
    return CFAFit(theta, value, converged, iterations)
