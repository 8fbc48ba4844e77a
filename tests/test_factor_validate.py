"""The validation report of a scale definition (Python and command line)."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

import peoscales as ps
from peoscales._cli import main
from peoscales.errors import MissingColumnsError, ReverseKeyWarning


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return ps.demo.load_mental_fitness()


@pytest.fixture(scope="module")
def report(demo) -> ps.ScaleValidation:
    return ps.validate_scale("wbns", demo, by="care_type", n_boot=20)


def test_demo_definition_passes_and_parts_agree_with_the_functions(report, demo):
    assert report.passed
    direct = ps.cfa(demo, "wbns")
    assert report.cfa.chi2 == pytest.approx(direct.chi2, rel=1e-12)
    assert report.efa.n_factors == 3
    assert list(report.invariance.table.index) == ["configural", "metric", "scalar"]
    # No item loads on another scale and no reverse key is wrong in the demo data.
    assert (
        not report.flags["flag"].isin(["loads on another scale", "reverse key looks wrong"]).any()
    )


def test_floor_and_ceiling_shares_are_counted_on_the_answers(report, demo):
    column = demo["wbns_competence_6"].dropna()
    assert report.items.at["wbns_competence_6", "ceiling"] == pytest.approx((column == 5).mean())
    assert report.items.at["wbns_competence_6", "floor"] == pytest.approx((column == 1).mean())
    flagged = report.flags[report.flags["item"] == "wbns_competence_6"]
    assert "ceiling effect" in flagged["flag"].tolist()


def test_a_wrong_reverse_key_is_flagged(demo):
    data = demo.copy()
    data["wbns_autonomy_2"] = 6 - data["wbns_autonomy_2"]
    with pytest.warns(ReverseKeyWarning):
        report = ps.validate_scale("wbns", data, n_boot=10)
    wrong = report.flags[report.flags["flag"] == "reverse key looks wrong"]
    assert wrong["item"].tolist() == ["wbns_autonomy_2"]


def test_an_item_on_the_wrong_scale_is_flagged(demo):
    data = demo.copy()
    # Replace an autonomy item by a noisy copy of a relatedness item.
    rng = np.random.default_rng(1)
    noisy = data["wbns_relatedness_2"] + rng.choice([-1, 0, 0, 1], len(data))
    data["wbns_autonomy_4"] = noisy.clip(1, 5)
    report = ps.validate_scale("wbns", data, n_boot=10)
    moved = report.flags[report.flags["flag"] == "loads on another scale"]
    assert "wbns_autonomy_4" in moved["item"].tolist()


def test_file_problems_stop_before_the_models(demo):
    with pytest.raises(MissingColumnsError, match="care_type"):
        ps.validate_scale("wbns", demo, by="cartype")
    report = ps.validate_scale("wbns", demo.drop(columns="wbns_autonomy_1"))
    assert not report.passed and report.cfa is None
    assert "wbns_autonomy_1" in report.checks.loc[0, "detail"]
    out_of_range = demo.assign(wbns_autonomy_3=demo["wbns_autonomy_3"].replace(5, 8))
    report = ps.validate_scale("wbns", out_of_range)
    assert not report.passed and "wbns_autonomy_3" in report.checks["detail"].iloc[1]


def test_html_page_and_command_line(tmp_path, demo, report):
    page = report.to_html()
    for part in ["Checks of the definition", "Flags", "Confirmatory factor analysis", "KMO"]:
        assert part in page
    definition = tmp_path / "wbns_copy.toml"
    source = resources.files("peoscales.instruments").joinpath("data/wbns.toml")
    definition.write_text(source.read_text("utf-8").replace('name = "wbns"', 'name = "wbns_copy"'))
    data = tmp_path / "data.csv"
    demo.to_csv(data, index=False)
    out = tmp_path / "report.html"
    assert main(["validate", str(definition), str(data), "--by", "care_type", "-o", str(out)]) == 0
    assert "Validation of &#x27;wbns_copy&#x27;" in out.read_text("utf-8")
