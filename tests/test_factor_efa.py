"""EFA, KMO, Bartlett, MAP and parallel analysis against R's psych (tests/reference/factor.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import peoscales as ps
from peoscales._kernels import factor as _k
from peoscales.errors import InsufficientDataError, MissingColumnsError, ParameterError

REF = Path(__file__).parent / "reference"
EXPECTED = json.loads((REF / "factor_efa_expected.json").read_text())
BFI = pd.read_csv(REF / "factor_bfi_data.csv")
R_ROTATION = {"oblimin": "oblimin", "promax": "promax", "varimax": "varimax", "geomin": "geominQ"}


@pytest.mark.parametrize("method", ["minres", "ml", "pa"])
@pytest.mark.parametrize("rotation", [None, "varimax", "oblimin", "promax", "geomin"])
def test_efa_matches_psych_fa(method, rotation):
    ref = EXPECTED["efa"][f"{method}_{R_ROTATION.get(rotation, 'none')}"]
    result = ps.efa(BFI, 5, method=method, rotation=rotation)
    # psych stops its optimiser earlier (optim's factr); pa is deterministic.
    tol = 1e-10 if method == "pa" else 1e-4
    # Same factor order and signs as psych, no alignment needed.
    np.testing.assert_allclose(result.loadings.to_numpy(), ref["loadings"], atol=tol)
    np.testing.assert_allclose(result.communalities.to_numpy(), ref["communality"], atol=tol)
    if "phi" in ref:
        np.testing.assert_allclose(result.factor_corr.to_numpy(), ref["phi"], atol=tol)
        expected_structure = np.asarray(ref["loadings"]) @ np.asarray(ref["phi"])
        np.testing.assert_allclose(result.structure.to_numpy(), expected_structure, atol=tol)
    else:
        assert result.structure is None
    assert result.converged
    assert result.n == EXPECTED["n_bfi"] and result.n_excluded == 0


def test_factor_analyzer_rotator_agreement_is_recorded():
    # factor_analyzer's Rotator matches psych for varimax/oblimin/promax but its
    # oblique geomin stops about 1e-4 away; the kernels implement all four.
    from factor_analyzer.rotator import Rotator

    r = np.corrcoef(BFI.to_numpy(float), rowvar=False)
    unrotated, _ = _k.orient(_k.extract(r, 5, "minres").loadings, np.eye(5))
    for rotation in ["varimax", "oblimin", "promax"]:
        rotator = Rotator(method=rotation)
        rotated = rotator.fit_transform(unrotated)
        phi = rotator.phi_ if rotator.phi_ is not None else np.eye(5)
        loadings, _ = _k.orient(rotated, phi)
        ref = EXPECTED["efa"][f"minres_{rotation}"]["loadings"]
        np.testing.assert_allclose(loadings, ref, atol=1e-4)


def test_suitability_matches_psych():
    s = EXPECTED["suitability"]
    result = ps.factor_suitability(BFI)
    assert result.kmo == pytest.approx(s["kmo"], abs=1e-12)
    np.testing.assert_allclose(result.kmo_items.to_numpy(), s["kmo_items"], atol=1e-12)
    assert result.chi2 == pytest.approx(s["bartlett_chi2"], rel=1e-10)
    assert result.df == s["bartlett_df"]
    assert result.p == pytest.approx(s["bartlett_p"], abs=1e-12)
    assert result.to_apa().startswith("KMO = .85; Bartlett's χ²(300) = ")


def test_map_and_eigenvalues_match_psych():
    s = EXPECTED["suitability"]
    result = ps.parallel_analysis(BFI, n_boot=20, seed=3)
    table = result.eigenvalues
    np.testing.assert_allclose(table["pc"], s["pc_values"], atol=1e-10)
    np.testing.assert_allclose(table["fa"], s["smc_values"], atol=1e-10)
    np.testing.assert_allclose(table["map"].to_numpy()[:8], s["map"], atol=1e-12)
    assert result.n_factors_map == int(np.argmin(s["map"]) + 1)


def test_wishart_correlations_have_the_distribution_of_normal_data_correlations():
    # Bartlett's decomposition against correlation matrices of drawn normal data; with
    # n = 12 rows a wrong degree of freedom would shift the eigenvalues by many SEs.
    n, p, b = 12, 5, 4000
    direct = _k.wishart_correlations(n, p, b, np.random.default_rng(5))
    data = np.random.default_rng(6).standard_normal((b, n, p))
    drawn = _k.batch_correlations(data)
    np.testing.assert_allclose(np.diagonal(direct, axis1=1, axis2=2), 1.0, atol=1e-12)
    for ours, theirs in [
        (_k.eigenvalues_desc(direct), _k.eigenvalues_desc(drawn)),
        (direct[:, 0, 1] ** 2, drawn[:, 0, 1] ** 2),
    ]:
        se = np.sqrt(ours.var(axis=0) / b + theirs.var(axis=0) / b)
        assert (np.abs(ours.mean(axis=0) - theirs.mean(axis=0)) < 4 * se).all()
    # E[r²] = 1 / (n - 1) for independent normal variables.
    assert abs((direct[:, 0, 1] ** 2).mean() - 1 / (n - 1)) < 0.01


def test_batched_correlations_equal_corrcoef():
    data = np.random.default_rng(7).standard_normal((3, 40, 6))
    for r, x in zip(_k.batch_correlations(data), data, strict=True):
        np.testing.assert_allclose(r, np.corrcoef(x, rowvar=False), atol=1e-12)


def test_parallel_resampling_keeps_each_item_distribution():
    x = np.arange(40, dtype=float).reshape(10, 4) ** 1.5
    rng = np.random.default_rng(0)
    permuted = rng.permuted(np.broadcast_to(x, (3, 10, 4)), axis=1)
    np.testing.assert_array_equal(np.sort(permuted, axis=1), np.broadcast_to(x, (3, 10, 4)))
    assert not np.array_equal(permuted[0], permuted[1])
    result = ps.parallel_analysis(BFI, n_boot=10, kind="resample", seed=2)
    assert result.n_components >= 1 and result.n_factors >= result.n_components


def test_parallel_analysis_is_reproducible_and_finds_bfi_structure():
    first = ps.parallel_analysis(BFI, n_boot=30, seed=11)
    second = ps.parallel_analysis(BFI, n_boot=30, seed=11)
    pd.testing.assert_frame_equal(first.eigenvalues, second.eigenvalues)
    # Five personality factors are well above chance in the bfi items.
    assert first.n_components == 6 or first.n_components == 5


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.float64, (8, 3), elements=st.floats(-0.9, 0.9)),
    st.sampled_from(["varimax", "oblimin", "promax", "geomin"]),
)
def test_rotation_leaves_the_common_part_unchanged(loadings, rotation):
    # Any rotation T gives L T^-T with Phi = T'T, so L_rot Phi L_rot' = L L'.
    if np.linalg.matrix_rank(loadings, tol=1e-3) < 3 or (np.abs(loadings).sum(1) < 1e-3).any():
        return
    rotated = _k.rotate(loadings, rotation)
    common = rotated.loadings @ rotated.phi @ rotated.loadings.T
    np.testing.assert_allclose(common, loadings @ loadings.T, atol=1e-8)
    np.testing.assert_allclose(np.diag(rotated.phi), 1.0, atol=1e-10)


def test_reversing_an_item_flips_its_loadings_only():
    data = BFI.iloc[:, :10]
    flipped = data.assign(A1=7 - data["A1"])
    base = ps.efa(data, 2)
    other = ps.efa(flipped, 2)
    np.testing.assert_allclose(other.loadings.loc["A1"], -base.loadings.loc["A1"], atol=1e-8)
    np.testing.assert_allclose(other.loadings.drop("A1"), base.loadings.drop("A1"), atol=1e-8)


def test_missing_values_are_counted_and_caller_data_untouched():
    data = BFI.iloc[:200, :10].copy()
    data.iloc[[3, 5, 9], 2] = np.nan
    data.index = data.index + 1000
    before = data.copy()
    listwise = ps.efa(data, 2)
    pairwise = ps.efa(data, 2, missing="pairwise")
    pd.testing.assert_frame_equal(data, before)
    assert (listwise.n, listwise.n_excluded) == (197, 3)
    assert (pairwise.n, pairwise.n_excluded) == (200, 0)
    assert list(listwise.loadings.index) == list(data.columns)


def test_display_blanks_small_loadings_but_keeps_numbers():
    result = ps.efa(BFI, 5)
    table = result.loadings_table(cut=0.3)
    assert (table[["F1", "F2", "F3", "F4", "F5"]] == "").any().all()
    assert (result.loadings.abs() < 0.3).any().all()
    assert "Pattern loadings" in result.summary()
    assert "<table" in result._repr_html_()
    assert list(result.to_frame().columns) == ["F1", "F2", "F3", "F4", "F5", "h2", "u2"]


def test_bad_input_gets_clear_errors():
    with pytest.raises(ParameterError, match="rotation="):
        ps.efa(BFI, 2, rotation="quartimax")
    with pytest.raises(ParameterError, match="n_factors must be an integer between 1 and"):
        ps.efa(BFI.iloc[:, :5], 3)
    with pytest.raises(MissingColumnsError, match="A6"):
        ps.efa(BFI, 2, items=["A1", "A2", "A6"])
    with pytest.raises(InsufficientDataError, match="'const'"):
        ps.efa(BFI.iloc[:50, :5].assign(const=1.0), 1)
    with pytest.raises(ParameterError, match="n_boot"):
        ps.parallel_analysis(BFI, n_boot=0)


def test_missing_answers_pairwise_and_listwise_match_psych():
    ref = json.loads((REF / "factor_efa_missing_expected.json").read_text())
    data = pd.read_csv(REF / "factor_bfi_missing_data.csv")
    pairwise = ps.efa(data, 5, missing="pairwise")
    listwise = ps.efa(data, 5)
    np.testing.assert_allclose(pairwise.loadings.to_numpy(), ref["pairwise"], atol=1e-4)
    np.testing.assert_allclose(pairwise.factor_corr.to_numpy(), ref["pairwise_phi"], atol=1e-4)
    np.testing.assert_allclose(listwise.loadings.to_numpy(), ref["listwise"], atol=1e-4)
    assert listwise.n == ref["n_complete"] and listwise.n + listwise.n_excluded == len(data)
    kmo = ps.factor_suitability(data, missing="pairwise").kmo
    assert kmo == pytest.approx(ref["kmo_pairwise"], abs=1e-12)
