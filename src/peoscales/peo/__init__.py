"""PEO (professional-ervaringsonderzoek) surveys: codebooks per wave, coding of raw
survey exports, and the embedded synthetic demo export.

See the user guide (``docs/peo.rst``) for the whole workflow.
"""

from peoscales.peo.coding import CodedWave, code_wave, get_codebook, list_waves
from peoscales.peo.demo import demo_export_path, load_demo_export
from peoscales.peo.open_answers import (
    CodingFrame,
    export_coding_sheet,
    load_coding_frame,
    read_coding_sheet,
)
from peoscales.peo.report import PeoReport, report
from peoscales.peo.tables import (
    CrosstabTable,
    DichotomyTable,
    FrequencyTable,
    GroupMeans,
    ItemTable,
    TrendTable,
    WaveComparison,
    compare_waves,
    crosstab_table,
    dichotomy_table,
    frequency_table,
    group_means,
    item_table,
    trend,
)
from peoscales.peo.tables.by_group import ItemsByGroup, items_by_group
from peoscales.peo.tables.groupings import REST, bands, versus_rest
from peoscales.peo.tables.multi import MultiResponseTable, multi_response_table

__all__ = [
    "REST",
    "CodedWave",
    "CodingFrame",
    "CrosstabTable",
    "DichotomyTable",
    "FrequencyTable",
    "GroupMeans",
    "ItemTable",
    "ItemsByGroup",
    "MultiResponseTable",
    "PeoReport",
    "TrendTable",
    "WaveComparison",
    "bands",
    "code_wave",
    "compare_waves",
    "crosstab_table",
    "demo_export_path",
    "dichotomy_table",
    "export_coding_sheet",
    "frequency_table",
    "get_codebook",
    "group_means",
    "item_table",
    "items_by_group",
    "list_waves",
    "load_coding_frame",
    "load_demo_export",
    "multi_response_table",
    "read_coding_sheet",
    "report",
    "trend",
    "versus_rest",
]
