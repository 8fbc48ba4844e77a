"""Private numeric kernels.

Every function here takes and returns plain ndarrays: no pandas, no I/O and no
input validation (the public functions do that). Kernels are vectorised over
respondents, items and pairs; where a loop remains it runs over fixed-size
blocks of rows, to bound memory, never over single respondents.
"""
