"""The command line never writes over its input, and replaces an existing output only
when asked (``--force``), saying so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import peoscales
from peoscales._cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def answers_csv(tmp_path: Path) -> Path:
    data = peoscales.simulate("brs", 12, seed=4)
    data.insert(0, "id", [f"r{i}" for i in range(12)])
    path = tmp_path / "answers.csv"
    data.to_csv(path, index=False)
    return path


def test_score_refuses_to_write_over_its_input(
    answers_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = answers_csv.read_bytes()
    for extra in ([], ["--force"]):
        code, _, err = run(
            capsys,
            "score",
            str(answers_csv),
            "-i",
            "brs",
            "--id",
            "id",
            "-o",
            str(answers_csv),
            *extra,
        )
        assert code == 2
        assert "same file as INPUT" in err and str(answers_csv) in err
    assert answers_csv.read_bytes() == before


def test_a_link_or_another_spelling_of_the_input_is_the_input(
    answers_csv: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = answers_csv.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(answers_csv)
    other_spelling = tmp_path / "sub" / ".." / "answers.csv"
    (tmp_path / "sub").mkdir()
    for out in (link, other_spelling):
        code, _, err = run(
            capsys, "score", str(answers_csv), "-i", "brs", "--id", "id", "-o", str(out), "--force"
        )
        assert code == 2, out
        assert "same file as INPUT" in err
    assert answers_csv.read_bytes() == before


def test_score_refuses_to_write_over_its_mapping_file(
    answers_csv: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mapping = tmp_path / "map.csv"
    pd.DataFrame({"item": ["brs_1"], "column": ["brs_1"]}).to_csv(mapping, index=False)
    before = mapping.read_bytes()
    code, _, err = run(
        capsys, "score", str(answers_csv), "-i", "brs", "--id", "id", "--columns", str(mapping),
        "-o", str(mapping), "--force",
    )  # fmt: skip
    assert code == 2 and "same file as --columns" in err
    assert mapping.read_bytes() == before


def test_an_existing_output_needs_force_and_the_summary_says_it_was_replaced(
    answers_csv: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "scores.csv"
    out.write_text("precious\n")
    code, _, err = run(capsys, "score", str(answers_csv), "-i", "brs", "--id", "id", "-o", str(out))
    assert code == 2
    assert "already exists" in err and "--force" in err
    assert out.read_text() == "precious\n"
    code, printed, err = run(
        capsys, "score", str(answers_csv), "-i", "brs", "--id", "id", "-o", str(out), "--force"
    )
    assert code == 0, err
    assert f"replaced the existing {out}" in printed
    assert list(pd.read_csv(out).columns) == ["id", "brs"]


def test_a_new_output_is_written_without_force(
    answers_csv: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "new.csv"
    code, printed, err = run(
        capsys, "score", str(answers_csv), "-i", "brs", "--id", "id", "-o", str(out)
    )
    assert code == 0, err
    assert "replaced" not in printed and out.exists()


def test_report_refuses_its_input_and_output_clashes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(peoscales.peo.demo_export_path().read_bytes())
    before = export.read_bytes()
    code, _, err = run(capsys, "report", str(export), "-o", str(export), "--force")
    assert code == 2 and "same file as INPUT" in err
    code, _, err = run(
        capsys, "report", str(export), "-o", str(tmp_path / "r.html"), "--xlsx", str(export)
    )
    assert code == 2 and "--xlsx" in err and "same file as INPUT" in err
    same = tmp_path / "r.html"
    code, _, err = run(capsys, "report", "--demo", "-o", str(same), "--xlsx", str(same))
    assert code == 2 and "another output" in err
    assert export.read_bytes() == before
    assert not same.exists()


def test_report_replaces_an_existing_output_only_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    out.write_text("old report")
    code, _, err = run(capsys, "report", "--demo", "-o", str(out))
    assert code == 2 and "already exists" in err
    assert out.read_text() == "old report"
    code, printed, err = run(capsys, "report", "--demo", "-o", str(out), "--force")
    assert code == 0, err
    assert "replaced the existing" in printed and out.read_text() != "old report"


def test_an_output_folder_is_refused(
    answers_csv: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "out.csv"
    folder.mkdir()
    code, _, err = run(
        capsys, "score", str(answers_csv), "-i", "brs", "--id", "id", "-o", str(folder)
    )
    assert code == 2 and "is a folder" in err
