"""Write ``trend_demo_counts.csv``: the answers to ``equipped`` and ``work_pleasure`` in the
three embedded demo waves (2020-05, 2021-09, 2022-04), counted from their coded exports.

Run ``python tests/reference/trend_demo_counts.py`` after a demo export changes (then rerun
``Rscript tests/reference/trend.R``). The counts are made with :func:`peoscales.peo.code_wave`
and pandas ``value_counts`` only, not with the trend code they check. Rows: ``equipped``
per answer code (1-4), ``work_pleasure_band`` per report band (1-5, 6-7, 8-10) and
``work_pleasure_value`` per mark (1-10); empty where a wave did not ask the question
(work pleasure in 2020).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

WAVES = ("2020-05", "2021-09", "2022-04")
HERE = Path(__file__).parent


def demo_counts() -> pd.DataFrame:
    from peoscales import peo

    coded = {w: peo.code_wave(peo.load_demo_export(wave=w), wave=w) for w in WAVES}
    rows: list[dict[str, object]] = []

    def add(item: str, answers: list[object], per_wave: dict[str, pd.Series | None]) -> None:
        for answer in answers:
            row: dict[str, object] = {"item": item, "answer": answer}
            for w in WAVES:
                counts = per_wave[w]
                row[w] = pd.NA if counts is None else int(counts.get(answer, 0))
            rows.append(row)

    def codes(w: str, item: str) -> pd.Series | None:
        if item not in coded[w].data.columns:
            return None
        return coded[w].codes([item])[item].dropna()

    equipped = {w: codes(w, "equipped") for w in WAVES}
    add("equipped", [1, 2, 3, 4], {w: c.value_counts() for w, c in equipped.items()})
    marks = {w: codes(w, "work_pleasure") for w in WAVES}
    bands = {
        w: None
        if m is None
        else pd.cut(m, [0, 5, 7, 10], labels=["1-5", "6-7", "8-10"]).value_counts()
        for w, m in marks.items()
    }
    add("work_pleasure_band", ["1-5", "6-7", "8-10"], bands)
    values = {w: None if m is None else m.value_counts() for w, m in marks.items()}
    add("work_pleasure_value", list(np.arange(1.0, 11.0)), values)
    frame = pd.DataFrame(rows)
    frame["answer"] = [f"{a:g}" if isinstance(a, float) else str(a) for a in frame["answer"]]
    return frame.astype(dict.fromkeys(WAVES, "Int64"))


if __name__ == "__main__":
    demo_counts().to_csv(HERE / "trend_demo_counts.csv", index=False)
