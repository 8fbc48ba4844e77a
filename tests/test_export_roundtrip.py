"""Round trip: an export written from a codebook with random answers reads back exactly.

A SurveyMonkey (comma- and semicolon-separated) and a Qualtrics CSV export are generated from the 2021 codebook (the
question layout of the embedded demo export), with random answers to every question
and open answers full of quotes, commas, semicolons, tabs and line breaks. Reading
the file with :func:`peoscales.read_survey` and coding it with ``code_wave`` must give
back every respondent and every answer: the codes of closed questions and the texts
of open ones, character for character.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import peoscales
from peoscales.peo import code_wave, demo_export_path, get_codebook

WAVE = "2021-09"
PIECES = st.sampled_from([*"aZé€ ,;\"'\n\t=+-@|", "\r\n", "; ", '""', "ij", " - "])
OPEN_TEXT = st.lists(PIECES, min_size=1, max_size=12).map("".join).filter(str.strip)


@cache
def layout() -> tuple[list[str], list[str], list[tuple[str, int]]]:
    """The demo export's two header rows, and (item id, position) of every answer column."""
    with open(demo_export_path(), encoding="utf-8-sig", newline="") as fh:
        grid = list(csv.reader(fh))
    raw = peoscales.read_survey(demo_export_path())
    coded = code_wave(raw, WAVE)
    positions = raw.columns["position"]
    items = [(item, int(positions[label])) for item, label in coded.matched.items()]
    return grid[0], grid[1], items


@st.composite
def answers(draw: st.DrawFn) -> tuple[int, dict[str, list[object]]]:
    """Random answers of n respondents: a code (float), a text (str) or None per item."""
    book = get_codebook(WAVE)
    n = draw(st.integers(1, 6))
    out: dict[str, list[object]] = {}
    for item, _ in layout()[2]:
        scale = book.response_scale_of(item)
        if scale.kind == "text":
            value: st.SearchStrategy[object] = OPEN_TEXT
        elif scale.code_labels():
            value = st.sampled_from(sorted(scale.code_labels()))
        else:
            value = st.integers(int(scale.min), int(scale.max)).map(float)
        out[item] = draw(st.lists(st.none() | value, min_size=n, max_size=n))
    return n, out


def exported_text(item: str, value: object) -> str:
    """The text the survey tool writes for an answer."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    labels = get_codebook(WAVE).response_scale_of(item).code_labels()
    return labels.get(float(value), None) or str(int(float(value)))  # type: ignore[arg-type]


def write_surveymonkey(path: Path, n: int, values: dict[str, list[object]], sep: str = ",") -> None:
    first, second, items = layout()
    width = len(first)
    rows = [first, second]
    for i in range(n):
        row = [""] * width
        row[0] = str(1000 + i)  # Respondent ID
        row[1] = "42"  # Collector ID
        for item, position in items:
            row[position] = exported_text(item, values[item][i])
        rows.append(row)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=sep).writerows(rows)


def write_qualtrics(path: Path, n: int, values: dict[str, list[object]]) -> None:
    raw = peoscales.read_survey(demo_export_path())
    _, _, items = layout()
    by_position = raw.columns.set_index("position")
    ids, texts, imports = ["ResponseId"], ["Response ID"], ['{"ImportId":"_recordId"}']
    for k, (_, position) in enumerate(items, start=1):
        question, sub = by_position.loc[position, ["question", "sub"]]
        qid = f"Q{k}_1" if sub else f"Q{k}"
        ids.append(qid)
        texts.append(f"{question} - {sub}" if sub else question)
        imports.append(json.dumps({"ImportId": qid.replace("Q", "QID")}))
    rows = [ids, texts, imports]
    for i in range(n):
        rows.append([f"R_{i}x"] + [exported_text(item, values[item][i]) for item, _ in items])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def assert_answers_back(path: Path, fmt: str, n: int, values: dict[str, list[object]]) -> None:
    raw = peoscales.read_survey(path)
    assert raw.format == fmt and raw.n == n and raw.n_excluded == 0
    coded = code_wave(raw, WAVE, check_routing=False)
    assert coded.n == n and not coded.unmatched
    book = get_codebook(WAVE)
    for item, _ in layout()[2]:
        expected = values[item]
        scale = book.response_scale_of(item)
        labels = scale.code_labels("nl")
        got = [None if pd.isna(v) else v for v in coded.data[item]]
        if scale.kind == "text":
            assert got == expected, item
        elif labels:
            # the category of the code drawn (also for "weet niet", which codes() hides)
            assert [None if v is None else labels[v] for v in expected] == got, item
        else:
            want = np.array([np.nan if v is None else v for v in expected], dtype=float)
            np.testing.assert_array_equal(coded.data[item].to_numpy(float), want, err_msg=item)


# Examples are large (about 80 columns); a failure is reported as drawn, without the
# slow shrinking of a big example.
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
ROUND_TRIP = settings(
    max_examples=15,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@ROUND_TRIP
@given(answers())
def test_surveymonkey_export_round_trip(tmp_path_factory: pytest.TempPathFactory, drawn) -> None:
    n, values = drawn
    path = tmp_path_factory.mktemp("sm") / "export.csv"
    write_surveymonkey(path, n, values)
    assert_answers_back(path, "surveymonkey", n, values)


@ROUND_TRIP
@given(answers())
def test_qualtrics_export_round_trip(tmp_path_factory: pytest.TempPathFactory, drawn) -> None:
    n, values = drawn
    path = tmp_path_factory.mktemp("q") / "export.csv"
    write_qualtrics(path, n, values)
    assert_answers_back(path, "qualtrics", n, values)


@ROUND_TRIP
@given(answers())
def test_semicolon_export_round_trip(tmp_path_factory: pytest.TempPathFactory, drawn) -> None:
    # as Dutch Excel saves the export again: semicolons between the cells
    n, values = drawn
    path = tmp_path_factory.mktemp("nl") / "export.csv"
    write_surveymonkey(path, n, values, sep=";")
    assert_answers_back(path, "surveymonkey", n, values)
