"""The ``peoscales`` command: instruments, score, demo, and one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales.cli import main

ALL = ["brs", "swing12", "wbns"]


@pytest.fixture
def answers() -> pd.DataFrame:
    data = peoscales.simulate(ALL, 25, seed=9, missing=0.05)
    data.insert(0, "id", [f"r{i:02d}" for i in range(25)])
    return data


def expected_scores(answers: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    return peoscales.score(answers.set_index("id"), ALL, **kwargs)  # type: ignore[call-overload, no-any-return]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_instruments_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "instruments")
    assert code == 0 and err == ""
    for name in ("brs", "swing", "swing12", "swing12_0to3", "swing_1to4", "wbns"):
        assert f"\n{name} " in out
    assert "to verify" in out and "verified" in out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_score_csv_to_each_output_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: pd.DataFrame, suffix: str
) -> None:
    source = tmp_path / "answers.csv"
    answers.to_csv(source, index=False)
    out = tmp_path / f"scores{suffix}"
    args = ["score", str(source), "--id", "id", "--out", str(out)]
    chosen = [arg for name in ALL for arg in ("--instrument", name)]
    code, text, err = run(capsys, *args, *chosen)
    assert code == 0, err
    assert "Scored 25 respondents on 6 scale(s)" in text and str(out) in text
    if suffix == ".csv":
        got = pd.read_csv(out, index_col="id")
    elif suffix == ".xlsx":
        got = pd.read_excel(out, index_col="id")
    else:
        got = pd.read_parquet(out)
    pd.testing.assert_frame_equal(got, expected_scores(answers), check_names=False, atol=1e-12)


def test_score_excel_input_semicolon_csv_and_min_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: pd.DataFrame
) -> None:
    book = tmp_path / "answers.xlsx"
    answers.to_excel(book, index=False, sheet_name="data")
    out = tmp_path / "s.csv"
    code, _, err = run(
        capsys, "score", str(book), "-i", "brs", "--sheet", "data", "--id", "id",
        "--min-valid", "1", "--scales", "brs", "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    expected = peoscales.score(answers.set_index("id"), "brs", min_valid=1)
    pd.testing.assert_frame_equal(pd.read_csv(out, index_col="id"), expected, atol=1e-12)
    dutch = tmp_path / "dutch.csv"
    answers.to_csv(dutch, sep=";", index=False)
    code, _, err = run(capsys, "score", str(dutch), "-i", "brs", "--id", "id", "-o", str(out))
    assert code == 0, err
    pd.testing.assert_frame_equal(
        pd.read_csv(out, index_col="id"),
        peoscales.score(answers.set_index("id"), "brs"),
        atol=1e-12,
    )


@pytest.mark.parametrize("kind", ["toml", "json", "csv"])
def test_score_with_a_columns_mapping_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: pd.DataFrame, kind: str
) -> None:
    items = [c for c in answers.columns if c != "id"]
    rng = np.random.default_rng(1)
    names = [f"V{i}" for i in rng.permutation(len(items))]
    mapping = dict(zip(items, names))
    survey = answers.rename(columns=mapping)
    source = tmp_path / "survey.csv"
    survey.to_csv(source, index=False)
    spec = tmp_path / f"mapping.{kind}"
    if kind == "toml":
        spec.write_text("[columns]\n" + "".join(f'{k} = "{v}"\n' for k, v in mapping.items()))
    elif kind == "json":
        spec.write_text(json.dumps(mapping))
    else:
        pd.DataFrame({"item": items, "column": names}).to_csv(spec, index=False)
    out = tmp_path / "s.csv"
    args = ["score", str(source), "--id", "id", "--columns", str(spec), "-o", str(out)]
    code, _, err = run(capsys, *args, "-i", "brs", "-i", "swing12", "-i", "wbns")
    assert code == 0, err
    pd.testing.assert_frame_equal(
        pd.read_csv(out, index_col="id"), expected_scores(answers), atol=1e-12
    )


def test_score_columns_order_and_recode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = peoscales.simulate("brs", 10, seed=3)
    labels = codes.apply(
        lambda s: s.map(
            {
                1: "Sterk mee oneens",
                2: "mee oneens",
                3: "neutraal",
                4: "mee eens",
                5: "zeer mee eens (5)",
            }
        )
    )
    labels.columns = [f"Vraag {i}" for i in range(1, 7)]
    source = tmp_path / "labels.csv"
    labels.to_csv(source, index=False)
    out = tmp_path / "s.csv"
    code, _, err = run(
        capsys, "score", str(source), "-i", "brs", "--columns", "order", "--recode", "-o", str(out)
    )
    assert code == 0, err
    np.testing.assert_allclose(
        pd.read_csv(out)["brs"], peoscales.score(codes, "brs")["brs"], atol=1e-12
    )


def test_score_reports_respondents_below_the_minimum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = peoscales.simulate("brs", 4, seed=1)
    data.iloc[0, :3] = np.nan
    source = tmp_path / "a.csv"
    data.to_csv(source, index=False)
    code, out, err = run(capsys, "score", str(source), "-i", "brs", "-o", str(tmp_path / "s.csv"))
    assert code == 0 and err == ""
    assert "up to 1 respondent(s) per scale answered too few items" in out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["score", "{tmp}/none.csv", "-i", "brs", "-o", "{tmp}/s.csv"],
            1,
            "INPUT '{tmp}/none.csv' does not exist.",
        ),
        (
            ["score", "{tmp}/a.json", "-i", "brs", "-o", "{tmp}/s.csv"],
            1,
            "unknown extension; give a .csv or .xlsx",
        ),
        (
            ["score", "{tmp}/a.csv", "-i", "bsr", "-o", "{tmp}/s.csv"],
            1,
            "No instrument named 'bsr'. Did you mean",
        ),
        (
            ["score", "{tmp}/a.csv", "-i", "brs", "-o", "{tmp}/s.txt"],
            1,
            "--out '{tmp}/s.txt': unknown extension",
        ),
        (
            ["score", "{tmp}/a.csv", "-i", "brs", "-o", "{tmp}/no/s.csv"],
            1,
            "folder '{tmp}/no' does not exist",
        ),
        (
            ["score", "{tmp}/a.csv", "-i", "brs", "--min-valid", "x", "-o", "{tmp}/s.csv"],
            1,
            "--min-valid 'x'",
        ),
        (
            ["score", "{tmp}/a.csv", "-i", "brs", "--columns", "{tmp}/m.json", "-o", "{tmp}/s.csv"],
            1,
            "--columns '{tmp}/m.json': no such file",
        ),
        (
            ["score", "{tmp}/a.csv", "-i", "brs", "--id", "key", "-o", "{tmp}/s.csv"],
            1,
            "--id 'key' is not a column",
        ),
        (
            ["score", "{tmp}/bad.csv", "-i", "brs", "-o", "{tmp}/s.csv"],
            1,
            "'brs_3' (expected whole numbers 1-5): values 7.0 in rows 2",
        ),
        (
            ["score", "{tmp}/a.csv", "-o", "{tmp}/s.csv"],
            2,
            "the following arguments are required: --instrument",
        ),
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
        ([], 2, "choose a command"),
    ],
)
def test_errors_print_one_line_and_exit_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], status: int, message: str
) -> None:
    data = peoscales.simulate("brs", 4, seed=1)
    data.to_csv(tmp_path / "a.csv", index=False)
    (tmp_path / "a.json").write_text("{}")
    data.iloc[2, 2] = 7
    data.to_csv(tmp_path / "bad.csv", index=False)
    tmp = str(tmp_path)
    code, out, err = run(capsys, *(a.replace("{tmp}", tmp) for a in args))
    assert code == status
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("peoscales: error: ")
    assert message.replace("{tmp}", tmp) in err
    assert "Traceback" not in err


def test_bad_mapping_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    peoscales.simulate("brs", 3, seed=1).to_csv(tmp_path / "a.csv", index=False)
    (tmp_path / "m.toml").write_text("brs_1 = 3\n")
    (tmp_path / "m.csv").write_text("a,b,c\n1,2,3\n")
    (tmp_path / "m.json").write_text("{not json")
    for spec, message in [
        ("m.toml", "must pair item ids with column names"),
        ("m.csv", "needs exactly two columns"),
        ("m.json", "cannot read the mapping"),
    ]:
        code, _, err = run(
            capsys, "score", str(tmp_path / "a.csv"), "-i", "brs",
            "--columns", str(tmp_path / spec), "-o", str(tmp_path / "s.csv"),
        )  # fmt: skip
        assert code == 1 and message in err and err.count("\n") == 1


def test_demo_prints_every_scale(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo")
    assert code == 0 and err == ""
    for scale in (
        "brs",
        "swing_nwhi",
        "swing_nhwi",
        "wbns_autonomy",
        "wbns_competence",
        "wbns_relatedness",
    ):
        assert f"\n{scale} " in out
    assert "Respondents:      499" in out
    assert "Average or high resilience" in out


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"peoscales {peoscales.__version__}"
    code, out, _ = run(capsys, "score", "--help")
    assert code == 0 and "--columns MAPPING" in out


def test_installed_console_script_runs_demo() -> None:
    script = shutil.which("peoscales", path=str(Path(sys.executable).parent))
    assert script is not None, "the peoscales console script is not installed"
    done = subprocess.run(
        [script, "demo"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "wbns_relatedness" in done.stdout
    failed = subprocess.run(
        [script, "score", "missing.csv", "-i", "brs", "-o", "x.csv"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert failed.returncode == 1
    assert failed.stderr == "peoscales: error: INPUT 'missing.csv' does not exist.\n"
