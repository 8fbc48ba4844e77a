"""Reliability: Cronbach's alpha with confidence intervals, omega, item analysis, polychoric.

Every statistic follows the definition of R's psych package (``alpha``, ``omega_coefficient``,
``polychoric``) and is checked against it in the test suite; where peoscales
departs from psych (reverse keys, constant items, polychoric optimisation) the
docstrings say so.

One file per job: ``instrument`` (the ``reliability`` function), ``alpha``, ``omega_coefficient``,
``polychoric_matrix``, ``scale`` (one scale's statistics), ``items`` (input handling), ``results``
and ``display``.
"""

from peoscales._reliability.alpha import cronbach_alpha
from peoscales._reliability.instrument import reliability
from peoscales._reliability.omega_coefficient import omega
from peoscales._reliability.polychoric_matrix import polychoric
from peoscales._reliability.results import (
    AlphaResult,
    OmegaResult,
    PolychoricResult,
    ReliabilityResult,
    ScaleReliability,
)

__all__ = [
    "AlphaResult",
    "OmegaResult",
    "PolychoricResult",
    "ReliabilityResult",
    "ScaleReliability",
    "cronbach_alpha",
    "omega",
    "polychoric",
    "reliability",
]
