"""PEO (professional-ervaringsonderzoek) surveys: codebooks per wave, coding of raw
survey exports, and the embedded synthetic demo export.

See the user guide (``docs/peo.rst``) for the whole workflow.
"""

from peoscales.peo.coding import CodedWave, code_wave, get_codebook, list_waves
from peoscales.peo.demo import demo_export_path, load_demo_export

__all__ = [
    "CodedWave",
    "code_wave",
    "demo_export_path",
    "get_codebook",
    "list_waves",
    "load_demo_export",
]
