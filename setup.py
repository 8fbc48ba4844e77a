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

setup(
    ext_modules=[
        Extension(
            "peoscales._kernels._native",
            sources=["src/peoscales/_kernels/_native.c"],
            extra_compile_args=["-O3", "-fno-fast-math"] if unix else ["/O2"],
            optional=not required,
        )
    ]
)
