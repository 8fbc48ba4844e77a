"""Freeze the tables of the 2021-09 demo report as the hard-coded report built them.

Run once, at commit cd66fee (before the report layout moved into the codebook), with
``PYTHONPATH=src python tests/data/freeze_peo_2021_report.py``. The layout-driven report
is compared with this file (``tests/test_peo_layout.py``): every table key, in order, and
every table's ``to_frame()`` and ``display_frame()`` as CSV text (floats written with
``repr``, so the comparison is exact).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from peoscales.peo.report import report


def frozen(lang: str) -> dict[str, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = report(demo=True, lang=lang, charts=False)
    tables = {}
    for key, table in result.tables.items():
        show = getattr(table, "display_frame", None)
        tables[key] = {
            "title": str(getattr(table, "title", "")),
            "frame": table.to_frame().to_csv(),
            "display": (show() if callable(show) else table.to_frame()).to_csv(),
        }
    return {"n": result.n, "keys": list(result.tables), "tables": tables}


if __name__ == "__main__":
    out = Path(__file__).with_name("peo_2021_09_report_frozen.json")
    data = {lang: frozen(lang) for lang in ("nl", "en")}
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{out}: {len(data['nl']['keys'])} tables")
