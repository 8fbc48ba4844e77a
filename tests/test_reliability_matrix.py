"""cronbach_alpha and omega from a covariance or correlation matrix with n_obs, against psych
(tests/reference/reliability_matrix.R) and against the same statistics from raw data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import peoscales as ps
from peoscales.errors import ParameterError, ReverseKeyWarning

REF = Path(__file__).parent / "reference"
EXPECTED = json.loads((REF / "reliability_matrix_expected.json").read_text())
NEURO = pd.read_csv(REF / "reliability_bfi_neuroticism_data.csv")
COLS = list(NEURO.columns)
COV = pd.DataFrame(EXPECTED["covariance"], index=COLS, columns=COLS)
COR = pd.DataFrame(EXPECTED["correlation"], index=COLS, columns=COLS)
N = EXPECTED["n_obs"]


def test_alpha_from_covariance_and_correlation_matches_psych():
    from_cov = ps.cronbach_alpha(COV, n_obs=N)
    assert from_cov.alpha == pytest.approx(EXPECTED["alpha_cov"]["raw_alpha"], abs=1e-12)
    assert from_cov.std_alpha == pytest.approx(EXPECTED["alpha_cov"]["std_alpha"], abs=1e-12)
    from_cor = ps.cronbach_alpha(COR, n_obs=N)
    assert from_cor.alpha == pytest.approx(EXPECTED["alpha_cor"]["raw_alpha"], abs=1e-12)
    assert (from_cov.n, from_cov.n_excluded, from_cov.k) == (N, 0, 5)


def test_feldt_interval_uses_n_obs_as_for_raw_data():
    # psych::alpha(matrix, n.obs=) computes its Feldt interval with the number of items
    # as the number of respondents; peoscales uses n_obs, as for raw data.
    raw = ps.cronbach_alpha(NEURO)  # pairwise covariances, as the reference matrix
    from_cov = ps.cronbach_alpha(COV, n_obs=raw.n)
    assert from_cov.alpha == pytest.approx(raw.alpha, abs=1e-12)
    assert (from_cov.ci_low, from_cov.ci_high) == pytest.approx(
        (raw.ci_low, raw.ci_high), abs=1e-12
    )


def test_omega_from_a_matrix_matches_psych():
    one = ps.omega(COR, n_obs=N)
    assert one.omega_total == pytest.approx(EXPECTED["omega1_neuroticism"], abs=1e-6)
    assert one.n == N
    bfi_cols = list(pd.read_csv(REF / "factor_bfi_data.csv").columns)
    r25 = pd.DataFrame(EXPECTED["bfi_correlation"], index=bfi_cols, columns=bfi_cols)
    with pytest.warns(ReverseKeyWarning):
        five = ps.omega(r25, n_obs=EXPECTED["bfi_n"], n_factors=5, reverse=EXPECTED["bfi_keys"])
    assert five.omega_total == pytest.approx(EXPECTED["omega5"]["omega_total"], abs=1e-5)
    assert five.omega_hierarchical == pytest.approx(EXPECTED["omega5"]["omega_h"], abs=1e-5)


def test_reverse_keys_and_covariances_give_the_raw_data_omega():
    keyed = NEURO.assign(N2=6 - NEURO["N2"]).dropna()
    raw = ps.omega(keyed, reverse=["N2"])
    matrix = ps.omega(keyed.cov(), n_obs=len(keyed), reverse=["N2"])
    assert matrix.omega_total == pytest.approx(raw.omega_total, abs=1e-10)


def test_bad_matrices_get_clear_errors():
    with pytest.raises(ParameterError, match="square covariance or correlation matrix"):
        ps.cronbach_alpha(NEURO, n_obs=100)
    with pytest.raises(ParameterError, match="n_obs must be"):
        ps.cronbach_alpha(COV, n_obs=1.5)
    asymmetric = COV.copy()
    asymmetric.iloc[0, 1] += 0.5
    with pytest.raises(ParameterError, match="not symmetric"):
        ps.omega(asymmetric, n_obs=N)
    with pytest.raises(ParameterError, match="ci_method"):
        ps.cronbach_alpha(COV, n_obs=N, ci_method="bootstrap")
    with pytest.raises(ParameterError, match="raw item scores"):
        ps.omega(COR, n_obs=N, ordinal=True)
    before = COV.copy()
    ps.cronbach_alpha(COV, n_obs=N, reverse=["N1"])
    pd.testing.assert_frame_equal(COV, before)
    assert np.isfinite(ps.cronbach_alpha(COV, n_obs=N, ci_method=None).alpha)
