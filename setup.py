"""Build of the optional compiled kernels (everything else is in pyproject.toml).

``peoscales._kernels._native`` is a plain C extension (Python C API and the buffer
protocol only, no numpy headers). It is optional: where it cannot be compiled (no C
compiler), the package installs without it and runs the numpy kernels, which give the
same results, more slowly. ``PEOSCALES_REQUIRE_NATIVE=1`` makes a failed build an error.
"""

import os

from setuptools import Extension, setup

required = os.environ.get("PEOSCALES_REQUIRE_NATIVE", "") not in ("", "0")
unix = os.name != "nt"

# -fno-trapping-math: the kernels never read floating-point exception flags, and GCC's
# default (trapping math) kept the scoring loops from being vectorised at all ("control
# flow in loop"): four to five times slower on an AVX2 machine. -ffp-contract=off: no
# fused multiply-adds, so the compiled kernels round every operation as numpy does and
# their results stay identical to the numpy kernels' (the tests check to the bit).
UNIX_FLAGS = ["-O3", "-fno-fast-math", "-fno-trapping-math", "-ffp-contract=off"]

setup(
    ext_modules=[
        Extension(
            "peoscales._kernels._native",
            sources=["src/peoscales/_kernels/_native.c"],
            extra_compile_args=UNIX_FLAGS if unix else ["/O2", "/fp:precise"],
            optional=not required,
        )
    ]
)
