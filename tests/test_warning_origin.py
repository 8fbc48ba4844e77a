"""Warnings point at the caller's line, not at a line inside the package.

A notebook user sees the warning under their own cell's line; before, a warning
reached through a table function named e.g. ``peo/tables/crosstabs.py:67``."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales import peo
from peoscales.errors import ConstantColumnWarning, SmallExpectedCountWarning


def _origin(category: type[Warning], call: object) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()  # type: ignore[operator]
    files = [w.filename for w in caught if issubclass(w.category, category)]
    assert files, f"no {category.__name__} raised"
    return files


def test_crosstab_warning_through_a_report_table_names_this_file() -> None:
    coded = peo.code_wave(peo.load_demo_export(), wave="2021-09").data
    files = _origin(
        SmallExpectedCountWarning,
        lambda: peo.crosstab_table(coded, "pct_direct_contact", "employer", codebook="2021-09"),
    )
    assert set(files) == {__file__}


def test_crosstab_and_correlation_warnings_name_this_file() -> None:
    small = pd.DataFrame({"a": list("xxyy"), "b": list("uvuv")})
    assert set(_origin(SmallExpectedCountWarning, lambda: peoscales.crosstab(small, "a", "b"))) == {
        __file__
    }
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.normal(size=20), "y": rng.normal(size=20), "c": 1.0})
    assert set(_origin(ConstantColumnWarning, lambda: peoscales.corr_matrix(frame))) == {__file__}


@pytest.mark.parametrize("depth", [1, 3])
def test_user_stacklevel_skips_every_package_frame(depth: int) -> None:
    from peoscales._stack import user_stacklevel

    def nested(level: int) -> int:
        return user_stacklevel() if level == 0 else nested(level - 1)

    # called from this test file, the first frame outside the package is the caller of
    # user_stacklevel itself: one step up
    assert nested(depth - 1) == 1
