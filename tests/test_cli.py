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
from peoscales._cli import main

ALL = ["brs", "swing12", "wbns"]


@pytest.fixture
def answers() -> pd.DataFrame:
    data = peoscales.simulate(ALL, 25, seed=9, missing_share=0.05)
    data.insert(0, "id", [f"r{i:02d}" for i in range(25)])
    return data


def expected_scores(answers: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    return peoscales.score(answers.set_index("id"), ALL, **kwargs)  # type: ignore[call-overload]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_instruments_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "instruments")
    assert code == 0 and err == ""
    assert out.startswith("Instruments (score with: peoscales score FILE -i NAME -o SCORES.csv)")
    for name in ("brs", "swing", "swing12", "swing12_0to3", "swing_1to4", "wbns"):
        assert f"\n{name} " in out
    assert "to verify" in out and "verified" in out
    assert "key: verified = confirmed in the original publication" in out
    # Codebooks are not scorable: shown with --all only, as get_instrument's error names them.
    assert "peo_2021_09" not in out
    assert "4 survey codebook(s) not shown: peoscales instruments --all" in out
    code, every, err = run(capsys, "instruments", "--all")
    assert code == 0 and err == ""
    assert every.startswith(out.splitlines()[0])
    instruments, _, books = every.partition("Survey codebooks, items only")
    assert "peo_" not in instruments and "\nwbns " in instruments
    assert "peoscales report EXPORT --wave WAVE -o REPORT.html" in books
    assert "\nname                 wave     items  key        title\n" in books
    assert "\npeo_2021_09          2021-09  115    verified   PEO September 2021" in books
    assert "\nmental_fitness_2021           24     secondary  Mentale fitheid" in books
    assert all(line == line.rstrip() for line in every.splitlines())


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
    code, _, err = run(
        capsys, "score", str(dutch), "-i", "brs", "--id", "id", "-o", str(out), "--force"
    )
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
            "--id 'key' is not a column of '{tmp}/a.csv'. Its columns: 'brs_1', 'brs_2'",
        ),
        (
            ["report", "{tmp}/none.csv", "-o", "{tmp}/r.html"],
            1,
            "INPUT '{tmp}/none.csv' does not exist.",
        ),
        (
            ["score", "{tmp}", "-i", "brs", "-o", "{tmp}/s.csv"],
            1,
            "INPUT '{tmp}' is a folder; give the file itself.",
        ),
        (
            ["report", "{tmp}", "-o", "{tmp}/r.html"],
            1,
            "INPUT '{tmp}' is a folder; give the file itself.",
        ),
        (
            ["score", "{tmp}/a.csv", "-i", "brs", "-i", "brs", "-o", "{tmp}/s.csv"],
            1,
            "--instrument brs is given more than once; name each instrument once.",
        ),
        (
            ["report", "--demo", "--columns", "{tmp}/m.toml", "-o", "{tmp}/r.html"],
            2,
            "--columns maps the questions of INPUT; it does not go with --demo",
        ),
        (
            ["score", "{tmp}/bad.csv", "-i", "brs", "-o", "{tmp}/s.csv"],
            1,
            "'brs_3' (expected whole numbers 1-5): values 7.0 in rows 4",  # line 4 of the file
        ),
        (
            ["score", "{tmp}/a.csv", "-o", "{tmp}/s.csv"],
            2,
            "the following arguments are required: --instrument",
        ),
        (
            ["report", "--demo", "-o", "{tmp}/no/r.html"],
            1,
            "--out {tmp}/no/r.html: folder '{tmp}/no' does not exist.",
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


def brs_with_names(tmp_path: Path, names: list[str], extra: dict[str, list[object]]) -> Path:
    """Four BRS respondents under other column names, with extra columns in front."""
    data = peoscales.simulate("brs", 4, seed=2)
    data.columns = names
    for position, (name, values) in enumerate(extra.items()):
        data.insert(position, name, values)
    path = tmp_path / "odd.csv"
    data.to_csv(path, index=False)
    return path


def test_columns_order_with_an_id_column_points_to_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [f"Q7_{i}" for i in range(1, 7)]
    # "resp_nr" looks like an id but is not a name taken as one without --id.
    source = brs_with_names(tmp_path, names, {"resp_nr": [11, 12, 13, 14]})
    out = str(tmp_path / "s.csv")
    code, _, err = run(capsys, "score", str(source), "-i", "brs", "--columns", "order", "-o", out)
    assert code == 1 and err.count("\n") == 1
    assert "data[item_columns]" not in err
    assert (
        f"--columns order needs one column per item in questionnaire order (6 for brs), but {str(source)!r} has 7 (1 more)."
        in err
    )
    assert "Its columns: 'resp_nr', 'Q7_1'" in err
    assert "'resp_nr' looks like a respondent id: add --id resp_nr to keep it" in err
    # The advice works.
    code, _, err = run(
        capsys, "score", str(source), "-i", "brs", "--columns", "order", "--id", "resp_nr",
        "-o", out,
    )  # fmt: skip
    assert code == 0, err
    expected = peoscales.score(peoscales.simulate("brs", 4, seed=2), "brs")
    np.testing.assert_allclose(pd.read_csv(out, index_col=0)["brs"], expected["brs"], atol=1e-12)
    assert pd.read_csv(out).columns[0] == "resp_nr"


def test_columns_order_without_an_id_like_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [f"Q7_{i}" for i in range(1, 7)]
    source = brs_with_names(tmp_path, names, {"team": list("abab"), "wave": [1, 1, 2, 2]})
    out = str(tmp_path / "s.csv")
    code, _, err = run(capsys, "score", str(source), "-i", "brs", "--columns", "order", "-o", out)
    assert code == 1
    assert "has 8 (2 more)" in err
    assert "name the respondent id column with --id COLUMN and leave other columns out" in err
    code, _, err = run(
        capsys, "score", str(source), "-i", "brs", "--columns", "order", "--id", "team", "-o", out
    )
    assert code == 1
    assert "has 7 (1 more)" in err and "leave the columns that are not items out of the file" in err
    few = brs_with_names(tmp_path, names, {})
    pd.read_csv(few).iloc[:, :5].to_csv(few, index=False)
    code, _, err = run(capsys, "score", str(few), "-i", "brs", "--columns", "order", "-o", out)
    assert code == 1
    assert f"but {str(few)!r} has only 5. Its columns: 'Q7_1'" in err
    assert "map the items it has with --columns FILE" in err


def test_missing_item_columns_are_summarised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "s.csv")
    # Names that resemble every item equally: no repeated "did you mean" per item.
    source = brs_with_names(tmp_path, [f"Q7_{i} (brs)" for i in range(1, 7)], {})
    code, _, err = run(capsys, "score", str(source), "-i", "brs", "-o", out)
    assert code == 1 and err.count("\n") == 1
    assert "did you mean" not in err.casefold()
    assert err.count("'Q7_6 (brs)'") == 1
    assert (
        f"{str(source)!r} has no column for 6 of the 6 items ('brs_1', 'brs_2', 'brs_3', 'brs_4' "
        "(and 2 more)); its columns: 'Q7_1 (brs)'"
    ) in err
    assert (
        "The 6 columns look like the items in questionnaire order: use --columns order, or map "
        'item ids to column names with --columns FILE (e.g. brs_1 = "Q7_1 (brs)").'
    ) in err
    # An id column in front: both flags.
    source = brs_with_names(
        tmp_path, [f"V{i}" for i in range(1, 7)], {"Respondent ID": [1, 2, 3, 4]}
    )
    code, _, err = run(capsys, "score", str(source), "-i", "brs", "-o", out)
    assert code == 1
    assert "use --columns order, or map item ids" in err  # the id column is recognised
    assert 'e.g. brs_1 = "V1"' in err
    # Names that differ from the item ids only in case and punctuation: one pair per item.
    source = brs_with_names(tmp_path, [f"BRS-{i}" for i in range(1, 7)], {})
    code, _, err = run(capsys, "score", str(source), "-i", "brs", "-o", out)
    assert code == 1
    assert "Did you mean 'BRS-1' for 'brs_1', 'BRS-2' for 'brs_2', 'BRS-3' for 'brs_3' ..." in err
    assert "Rename those columns, or map item ids to column names with --columns FILE" in err
    # Some items present, others not: the general advice, naming only the absent ones.
    data = peoscales.simulate("brs", 4, seed=2).rename(columns={"brs_5": "x", "brs_6": "y"})
    data.to_csv(source, index=False)
    code, _, err = run(capsys, "score", str(source), "-i", "brs", "-o", out)
    assert code == 1
    assert "has no column for 2 of the 6 items ('brs_5', 'brs_6')" in err
    assert 'To fix: map item ids to column names with --columns FILE (e.g. brs_5 = "x").' in err
    # Only the items of the chosen scales are required.
    data = peoscales.simulate("swing12", 4, seed=2).drop(columns="swing_nhwi_1")
    data.to_csv(source, index=False)
    code, _, err = run(
        capsys, "score", str(source), "-i", "swing12", "--scales", "swing_nwhi", "-o", out
    )
    assert code == 0, err


def test_unknown_id_column_lists_columns_and_close_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = brs_with_names(
        tmp_path, [f"Q{i}" for i in range(1, 7)], {"RespondentID": [1, 2, 3, 4]}
    )
    code, _, err = run(
        capsys, "score", str(source), "-i", "brs", "--id", "RespID", "-o", str(tmp_path / "s.csv")
    )
    assert code == 1 and err.count("\n") == 1
    assert (
        f"--id 'RespID' is not a column of {str(source)!r}. Did you mean 'RespondentID'? "
        "Its columns: 'RespondentID', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6'."
    ) in err


def test_python_advice_is_given_in_command_line_terms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = peoscales.simulate("brs", 4, seed=1)
    source = tmp_path / "a.csv"
    data.to_csv(source, index=False)
    out = str(tmp_path / "s.csv")
    base = ["score", str(source), "-o", out]
    cases = [
        (["-i", "brs", "--min-valid", "7"], "--min-valid 7 for scale 'brs': give a whole number"),
        (["-i", "brs", "--min-valid", "-1"], "--min-valid -1.0 for scale 'brs'"),
        (["-i", "brs", "--scales", "brx", "brs"], "--scales brx brs: unknown scale(s) 'brx'"),
        (
            ["-i", "peo_2021_09"],
            "define no scales to score (a codebook has items only; for a PEO export use "
            "'peoscales report').",
        ),
        (
            ["-i", "brz"],
            "Did you mean 'brs'? Registered instruments: 'brs', 'swing', 'swing12', "
            "'swing12_0to3', 'swing_1to4', 'wbns'; codebooks (survey questions, items only): "
            "'mental_fitness_2021', 'peo_2020_05', 'peo_2021_09', 'peo_2022_04'; see "
            "'peoscales instruments'.",
        ),
    ]
    for extra, message in cases:
        code, _, err = run(capsys, *base, *extra)
        assert code == 1 and message in err, err
        assert "min_valid" not in err and "scales=" not in err and "register_instrument" not in err
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"brs_1": "first"}))
    code, _, err = run(capsys, *base, "-i", "brs", "--columns", str(mapping))
    assert code == 1
    assert f"{str(source)!r} (as mapped by --columns) has no column 'first'." in err
    assert "Correct the --columns file or add the missing items to it." in err
    texts = data.astype(object)
    texts.iloc[1, 0] = "vaak"
    texts.to_csv(source, index=False)
    code, _, err = run(capsys, *base, "-i", "brs")
    assert code == 1
    assert f"{str(source)!r} has non-numeric values in column(s) 'brs_1'" in err
    assert "(--recode turns response texts into codes)" in err
    # SWING coded 0-3 scored as the 1-4 form: the variant is named as an -i flag.
    (peoscales.simulate("swing12", 6, seed=1) - 1).to_csv(source, index=False)
    code, _, err = run(capsys, *base, "-i", "swing12")
    assert code == 1
    assert "use the instrument variant with that coding (e.g. -i swing12_0to3 for SWING" in err


def test_report_advice_and_columns_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peoscales.peo import demo_export_path

    other = tmp_path / "other.csv"
    pd.DataFrame({"a": [1, 2], "b": [3, 4]}).to_csv(other, index=False)
    code, _, err = run(capsys, "report", str(other), "-o", str(tmp_path / "r.html"))
    assert code == 1 and err.count("\n") == 1
    assert "It does not look like a PEO export." in err
    assert "map its questions to the codebook's items with --columns FILE." in err
    assert "columns={" not in err
    export = demo_export_path()
    code, _, err = run(
        capsys, "report", str(export), "--wave", "2020-05", "-o", str(tmp_path / "r.html")
    )
    assert code == 1
    assert "It looks like wave 2021-09 (79 of its 79 questions found); use --wave 2021-09." in err
    # --columns names a question whose header the survey tool changed.
    question = "Op een schaal van 1-10, in hoeverre heb je plezier in je werk?"
    text = export.read_text(encoding="utf-8-sig")
    assert text.count(question) == 1
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(text.replace(question, "Q12 plezier"), encoding="utf-8")
    (tmp_path / "m.toml").write_text('work_pleasure = "Q12 plezier"\n')
    pages = {}
    for name, extra in [
        ("demo", ["--demo"]),
        ("unmapped", [str(renamed)]),
        ("mapped", [str(renamed), "--columns", str(tmp_path / "m.toml")]),
    ]:
        page = tmp_path / f"{name}.html"
        code, out, err = run(capsys, "report", *extra, "-o", str(page))
        assert code == 0, err
        assert out.startswith("Report of 178 respondents (wave 2021-09)")
        pages[name] = page.read_text(encoding="utf-8")
    assert pages["mapped"] == pages["demo"]
    assert pages["unmapped"] != pages["demo"]
    (tmp_path / "m.toml").write_text('work_pleasure = "Q99"\n')
    code, _, err = run(
        capsys, "report", str(renamed), "--columns", str(tmp_path / "m.toml"),
        "-o", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 1 and "columns['work_pleasure']: the export has no column 'Q99'" in err
    code, _, err = run(
        capsys, "report", str(renamed), "--columns", "order", "-o", str(tmp_path / "r.html")
    )
    assert code == 1 and "--columns 'order': no such file." in err


def test_advice_of_coding_errors_in_command_line_terms() -> None:
    # Ambiguous or routing errors of code_wave cannot be made from the demo export; the
    # translation is checked on the library's own wording.
    from peoscales._cli import _cli_text, _parser

    args = _parser().parse_args(["report", "x.csv", "-o", "r.html"])
    text = (
        "Item(s) 'role' match several columns of the export equally well: 'A', 'B'. "
        "Say which to use: code_wave(..., columns={'role': <column>})."
    )
    assert _cli_text(text, args).endswith(
        'Say which to use: --columns FILE (role = "column header").'
    )
    text = "Map them explicitly: code_wave(..., columns={'role': <column>, ...})."
    assert (
        _cli_text(text, args)
        == 'Map them explicitly: --columns FILE (role = "column header", ...).'
    )
    text = "check the wave, or pass check_routing=False to keep these answers."
    assert _cli_text(text, args) == (
        "check the wave, or code the export in Python with "
        "peoscales.peo.code_wave(..., check_routing=False) to keep these answers."
    )
    text = "No PEO codebook for wave '2021'. Waves: '2020-05'; see peoscales.peo.list_waves()."
    assert _cli_text(text, args).endswith("see 'peoscales instruments --all'.")
    # A Windows path is put in literally.
    windows = _parser().parse_args(["score", "C:\\data\\1.csv", "-i", "brs", "-o", "s.csv"])
    assert _cli_text("data has no column 'brs_1'.", windows) == (
        "'C:\\\\data\\\\1.csv' has no column 'brs_1'."
    )
    # Messages of other commands are left alone.
    score_args = _parser().parse_args(["score", "x.csv", "-i", "brs", "-o", "s.csv"])
    assert _cli_text("use wave='2021-09'", score_args) == "use wave='2021-09'"


def test_every_command_has_a_description_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, top, _ = run(capsys, "--help")
    assert code == 0
    commands = ("instruments", "score", "demo", "report")
    for name in commands:
        line = next(line for line in top.splitlines() if line.strip().startswith(name + " "))
        assert len(line.split(maxsplit=1)[1]) > 20, line
        code, text, _ = run(capsys, name, "--help")
        assert code == 0
        description = text.split("\n\n")[1]
        assert description[0].isupper() and description.rstrip().endswith("."), description
        assert "\nexample" in text
        examples = text.split("\nexample", 1)[1]
        assert f"  peoscales {name}" in examples
    assert "Run 'peoscales COMMAND --help'" in top


@pytest.mark.parametrize(
    ("id_column", "ids"),
    [
        ("Respondent ID", [114563001, 114563002, 114563003, 114563004]),  # SurveyMonkey
        ("ResponseId", ["R_1a", "R_2b", "R_3c", "R_4d"]),  # Qualtrics
        ("nr", [7, 3, 9, 1]),  # a plain spreadsheet
    ],
)
def test_score_keeps_the_respondent_id_without_being_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], id_column: str, ids: list[object]
) -> None:
    data = peoscales.simulate("brs", 4, seed=2)
    data.insert(0, id_column, ids)
    data.insert(1, "Start Date", "2021-09-01")  # survey tools add more metadata columns
    source = tmp_path / "export.csv"
    data.to_csv(source, index=False)
    out = tmp_path / "s.csv"
    code, printed, err = run(capsys, "score", str(source), "-i", "brs", "-o", str(out))
    assert code == 0, err
    assert f"ids from column {id_column!r}" in printed
    written = pd.read_csv(out)
    assert written.columns[0] == id_column
    assert written[id_column].astype(str).tolist() == [str(i) for i in ids]
    expected = peoscales.score(peoscales.simulate("brs", 4, seed=2), "brs")
    np.testing.assert_allclose(written["brs"], expected["brs"], atol=1e-12)


def test_without_an_id_respondents_are_labelled_by_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = peoscales.simulate("brs", 4, seed=2)
    source = tmp_path / "answers.csv"
    data.to_csv(source, index=False)
    out = tmp_path / "s.csv"
    code, printed, err = run(capsys, "score", str(source), "-i", "brs", "-o", str(out))
    assert code == 0, err
    assert "no id column found" in printed and "line in the file" in printed
    written = pd.read_csv(out)
    assert written.columns[0] == "line" and written["line"].tolist() == [2, 3, 4, 5]


def test_a_repeated_id_is_not_taken_as_the_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = peoscales.simulate("brs", 4, seed=2)
    data.insert(0, "id", [1, 1, 2, 3])
    source = tmp_path / "answers.csv"
    data.to_csv(source, index=False)
    code, printed, err = run(
        capsys, "score", str(source), "-i", "brs", "-o", str(tmp_path / "s.csv")
    )
    assert code == 0, err
    assert "column 'id' has repeated or empty values" in printed
