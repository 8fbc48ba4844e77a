"""Factor models for scale validation: EFA, CFA from an instrument, measurement invariance.

The functions are also available at the top level (``peoscales.efa`` ...).
"""

from peoscales.factor._cfa import CFAResult, cfa
from peoscales.factor._efa import (
    EFAResult,
    ParallelAnalysisResult,
    SuitabilityResult,
    efa,
    factor_suitability,
    parallel_analysis,
)
from peoscales.factor._invariance import InvarianceResult, invariance
from peoscales.factor._validate import ScaleValidation, validate_scale

__all__ = [
    "CFAResult",
    "EFAResult",
    "InvarianceResult",
    "ParallelAnalysisResult",
    "ScaleValidation",
    "SuitabilityResult",
    "cfa",
    "efa",
    "factor_suitability",
    "invariance",
    "parallel_analysis",
    "validate_scale",
]
