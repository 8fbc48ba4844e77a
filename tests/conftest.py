"""Shared test configuration."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Timing-based health checks are meaningless on shared, noisy machines; correctness is
# what the property tests check. CI runs fewer examples to keep the suite quick.
settings.register_profile(
    "dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# Import the package before any doctest module is collected, so that names such as
# ``peoscales.reliability`` are the functions, whatever order files are collected in.
import peoscales  # noqa: E402, F401
