"""Every public result's HTML view, as a Jupyter user sees it.

One result of each public result class is built on the embedded demo data (the
mental-fitness survey and the coded PEO 2021 export). Their ``_repr_html_`` outputs
are checked twice:

- without a browser: the markup parses with :mod:`html.parser`, its tags are
  balanced, it holds a table and no raw missing-value text (``nan``, ``None``);
- in headless Chromium: all views on one page, each in its own output div as
  Jupyter puts them, each displayed with a size, holding a visible table, free of
  raw missing-value text, and showing its key statistics formatted (alpha to three
  decimals, correlations to two, ...). The expected texts are formatted here from
  the results' unrounded attributes, so a view that drops or mis-rounds a key
  number fails.
"""

from __future__ import annotations

import html
import math
import re
import warnings
from html.parser import HTMLParser
from typing import Any

import pytest

from peoscales._results import Result

# Same browser set-up as tests/test_browser.py (test modules are not importable from
# each other under --import-mode=importlib).
# --------------------------------------------------------------------------------------
# The results
# --------------------------------------------------------------------------------------


def _build() -> dict[str, Result]:
    import peoscales as ps
    from peoscales import peo
    from peoscales.errors import IncompleteScoresWarning, SmallExpectedCountWarning

    mf = ps.demo.load_mental_fitness()
    brs = [f"brs_{i}" for i in range(1, 7)]
    out: dict[str, Result] = {}
    with warnings.catch_warnings():
        # The demo data are built with three respondents who stopped before the W-BNS;
        # small expected counts are expected in the PEO crosstabs of 178 respondents.
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        scoring = ps.score(mf, ["brs", "swing12", "wbns"], details=True)
        scores = scoring.scores
        data = mf.join(scores)
        rel = ps.reliability(mf, "wbns")
        corr = ps.corr_matrix(scores)
        regression = ps.regress(data, "brs", ["age", "swing_nwhi"])
        out["ScoringResult"] = scoring
        out["ReliabilityResult"] = rel
        out["ScaleReliability"] = rel.scales["wbns_autonomy"]
        out["AlphaResult"] = ps.cronbach_alpha(mf[brs], reverse=["brs_2", "brs_4", "brs_6"])
        out["OmegaResult"] = ps.omega(mf[brs], reverse=["brs_2", "brs_4", "brs_6"])
        out["PolychoricResult"] = ps.polychoric(mf[brs])
        out["CorrelationResult"] = corr
        out["ApaTable"] = corr.to_apa()
        out["DescribeResult"] = ps.describe(data, columns=list(scores.columns))
        out["TTestResult"] = ps.ttest(data, "brs", "gender")
        out["MannWhitneyResult"] = ps.ttest(data, "brs", "gender", method="mann-whitney")
        out["AnovaResult"] = ps.anova(data, "brs", "care_type")
        out["KruskalResult"] = ps.anova(data, "brs", "care_type", method="kruskal")
        out["CrosstabResult"] = ps.crosstab(data, "gender", "care_type")
        out["PairedTTestResult"] = ps.paired_test(data, "swing_nhwi", "swing_nwhi")
        wbns = mf.filter(like="wbns_")
        out["EFAResult"] = ps.efa(wbns, 3)
        out["SuitabilityResult"] = ps.factor_suitability(wbns)
        out["ParallelAnalysisResult"] = ps.parallel_analysis(wbns, n_boot=20, seed=1)
        out["CFAResult"] = ps.cfa(mf, "wbns")
        out["InvarianceResult"] = ps.invariance(mf, "wbns", between="care_type")
        out["ScaleValidation"] = ps.validate_scale("wbns", mf, n_boot=20)
        out["WilcoxonResult"] = ps.paired_test(data, "swing_nhwi", "swing_nwhi", method="wilcoxon")
        out["RegressionResult"] = regression
        needs = ["wbns_autonomy", "wbns_competence", "wbns_relatedness"]
        out["ModerationResult"] = ps.moderate(
            data, "wbns_autonomy", "swing_nwhi", "brs", covariates=["age"]
        )
        out["RMAnovaResult"] = ps.rm_anova(data, needs, between="gender")
        out["FriedmanResult"] = ps.rm_anova(data, needs, method="friedman")
        out["MediationResult"] = ps.mediate(
            data, "brs", ["wbns_autonomy", "wbns_competence"], "swing_nwhi", n_boot=500, seed=1
        )
        out["RegressionStep"] = regression.steps[0]

        raw = peo.load_demo_export()
        wave = peo.code_wave(raw, wave="2021-09")
        coded = wave.data
        space = [
            "space_own_judgement",
            "space_do_what_is_needed",
            "space_invest_in_relationship",
            "space_reflect",
        ]
        half = len(coded) // 2
        out["SurveyExport"] = raw
        out["CodedWave"] = wave
        out["FrequencyTable"] = ps.frequency_table(
            coded, "space_overall", codebook="2021-09", descending=True
        )
        out["ItemTable"] = peo.item_table(coded, space, codebook="2021-09")
        out["CrosstabTable"] = peo.crosstab_table(
            coded,
            "space_do_what_is_needed",
            "employer",
            codebook="2021-09",
            grouping="dichotomy",
            by_grouping="specialist_gi_vs_local",
        )
        out["DichotomyTable"] = peo.dichotomy_table(
            coded,
            ["space_overall", *space],
            "work_pleasure",
            codebook="2021-09",
            grouping="dichotomy",
            outcome_grouping="bands",
        )
        out["GroupMeans"] = peo.group_means(coded, "work_pleasure", "employer", codebook="2021-09")
        out["MultiResponseTable"] = peo.multi_response_table(
            coded, ["limit_skj_insufficient", "limit_support_insufficient"],
            codebook="2021-09", chosen=[2, 3], by="experience",
        )  # fmt: skip
        out["ItemsByGroup"] = peo.items_by_group(
            coded, space, "employer", codebook="2021-09", answer="(ruim) voldoende",
            grouping="dichotomy", sort="descending",
        )  # fmt: skip
        # Two halves of one wave stand in for two waves: the codebooks link the items.
        out["WaveComparison"] = peo.compare_waves(
            coded.iloc[:half], coded.iloc[half:], codebook_a="2021-09", codebook_b="2022-04"
        )
        out["TrendTable"] = peo.trend(
            {"2021-09": coded.iloc[:half], "2022-04": coded.iloc[half:]},
            ["equipped", "work_pleasure"],
        )
        out["PeoReport"] = peo.report(coded, charts=False)
        out["StudyReport"] = ps.study_report(mf, ["brs"], by="care_type", charts=False)
    return out


_RESULTS: dict[str, Result] = {}


def _results() -> dict[str, Result]:
    if not _RESULTS:
        _RESULTS.update(_build())
    return _RESULTS


#: Every public result class of the package, by name; a new one must be added above.
NAMES = (
    "ScoringResult",
    "ReliabilityResult",
    "ScaleReliability",
    "AlphaResult",
    "OmegaResult",
    "PolychoricResult",
    "CorrelationResult",
    "ApaTable",
    "DescribeResult",
    "TTestResult",
    "MannWhitneyResult",
    "AnovaResult",
    "KruskalResult",
    "CrosstabResult",
    "PairedTTestResult",
    "WilcoxonResult",
    "EFAResult",
    "SuitabilityResult",
    "ParallelAnalysisResult",
    "CFAResult",
    "InvarianceResult",
    "ScaleValidation",
    "RegressionResult",
    "RegressionStep",
    "MediationResult",
    "ModerationResult",
    "RMAnovaResult",
    "FriedmanResult",
    "SurveyExport",
    "CodedWave",
    "FrequencyTable",
    "ItemTable",
    "CrosstabTable",
    "DichotomyTable",
    "GroupMeans",
    "ItemsByGroup",
    "MultiResponseTable",
    "WaveComparison",
    "TrendTable",
    "PeoReport",
    "StudyReport",
)

#: Results whose view is a whole report page in an iframe.
_PAGES = ("PeoReport", "StudyReport")

#: Views known to fall short, with the reason. Strict: a fix makes the test fail here,
#: and the entry is then removed.
KNOWN_RAW_MISSING: dict[str, str] = {}
KNOWN_MISSING_NUMBERS: dict[str, str] = {}


def _param(name: str, known: dict[str, str]) -> Any:
    if name in known:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=known[name]))
    return name


def _fixed(value: float, digits: int) -> str:
    """``value`` to ``digits`` decimals, rounded half away from zero as the views do."""
    from decimal import ROUND_HALF_UP, Decimal

    rounded = Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
    )
    return f"{rounded:.{digits}f}"


def _expected(name: str, r: Any) -> list[str]:
    """Key numbers of result ``r``, formatted as a report prints them."""
    if name == "ScoringResult":
        brs = r.scores["brs"]
        return [_fixed(brs.mean(), 2), _fixed(brs.std(), 2), str(int(brs.count()))]
    if name == "ReliabilityResult":
        return [_fixed(s.alpha, 3) for s in r.scales.values()]
    if name in ("ScaleReliability", "AlphaResult"):
        return [_fixed(r.alpha, 3), _fixed(r.ci_low, 3), _fixed(r.ci_high, 3), str(r.n)]
    if name == "OmegaResult":
        return [_fixed(r.omega_total, 3), str(r.n)]
    if name == "PolychoricResult":
        return [_fixed(r.r.iloc[0, 1], 3), _fixed(r.r.iloc[1, 3], 3)]
    if name in ("CorrelationResult", "ApaTable"):
        corr = _results()["CorrelationResult"]
        return [_fixed(corr.r.loc["brs", "wbns_autonomy"], 2), _fixed(corr.mean["brs"], 2)]
    if name == "DescribeResult":
        return [_fixed(r.table.loc["brs", "mean"], 3), _fixed(r.table.loc["brs", "sd"], 3)]
    if name == "TTestResult":
        return [_fixed(r.t, 2), _fixed(r.d, 2), _fixed(r.diff, 3)]
    if name == "MannWhitneyResult":
        return [_fixed(r.u, 1), _fixed(r.p, 3)]
    if name == "AnovaResult":
        return [_fixed(r.f, 2), _fixed(r.eta2, 2)]
    if name == "KruskalResult":
        return [_fixed(r.h, 2)]
    if name == "PairedTTestResult":
        return [_fixed(r.t, 2), _fixed(r.dz, 3), _fixed(r.diff, 3), str(r.n)]
    if name == "WilcoxonResult":
        return [_fixed(r.w, 1), _fixed(r.r_rb, 3).lstrip("0"), str(r.n)]
    if name == "CrosstabResult":
        return [_fixed(r.chi2, 2), _fixed(r.cramers_v, 2), str(r.n)]
    if name in ("RegressionResult", "RegressionStep"):
        b = r.coefficients.loc["swing_nwhi", "b"]
        return [_fixed(r.r2, 3), _fixed(b, 3)]
    if name == "RMAnovaResult":
        return [_fixed(r.f, 2), _fixed(r.table["epsilon_gg"].iloc[1], 3).lstrip("0"), str(r.n)]
    if name == "FriedmanResult":
        return [_fixed(r.chi2, 2), _fixed(r.kendalls_w, 3).lstrip("0"), str(r.n)]
    if name == "ModerationResult":
        return [_fixed(r.simple_slopes["b"].iloc[0], 3), str(r.n)]
    if name == "MediationResult":
        return [_fixed(r.indirect, 3), _fixed(r.ci_low, 3), _fixed(r.direct, 3), str(r.n)]
    if name == "EFAResult":
        return [_fixed(r.variance["ss_loadings"].iloc[0], 2), str(r.n)]
    if name == "SuitabilityResult":
        return [_fixed(r.kmo, 2), _fixed(r.chi2, 1)]
    if name == "ParallelAnalysisResult":
        return [_fixed(r.eigenvalues["pc"].iloc[0], 3), str(r.n)]
    if name == "CFAResult":
        return [_fixed(r.chi2, 2), _fixed(r.cfi, 2), _fixed(r.rmsea, 3), str(r.n)]
    if name == "InvarianceResult":
        return [_fixed(r.table["chi2"].iloc[0], 2), str(r.n)]
    if name == "ScaleValidation":
        return [_fixed(r.cfa.chi2, 2), str(r.cfa.n)]
    if name == "SurveyExport":
        return [str(len(r.data))]
    if name == "CodedWave":
        return [str(len(r.data))]
    if name == "FrequencyTable":
        counts = r.table["n"]
        return [str(r.n_base), str(int(counts.iloc[1])), _fixed(r.table["percent"].iloc[1], 0)]
    if name == "ItemTable":
        return [_fixed(v, 0) for v in r.percentages.iloc[0]]
    if name == "CrosstabTable":
        return [_fixed(r.chi2, 2), _fixed(r.cramers_v, 2), str(r.n)]
    if name == "DichotomyTable":
        return [_fixed(t.chi2, 2) for t in r.tables.values()]
    if name == "GroupMeans":
        return [_fixed(r.f, 2), _fixed(r.welch_f, 2), str(r.n)]
    if name == "WaveComparison":
        return [_fixed(v, 2) for v in r.tests["chi2"]]
    if name == "TrendTable":
        means = r.means[["mean", "ci_low", "ci_high"]].to_numpy().ravel()
        return [_fixed(v, 2) for v in means] + [_fixed(v, 0) for v in r.percentages.iloc[2]]
    if name == "MultiResponseTable":
        return [str(v) for v in r.table["n"] if v >= r.min_group_size]
    if name == "ItemsByGroup":
        return [f"{v:.0f}" for v in r.table.iloc[0]]
    if name in ("PeoReport", "StudyReport"):
        return [str(r.n)]
    raise AssertionError(f"no expected numbers for {name}")  # pragma: no cover


_NUMBER = re.compile(r"(?<![\w.])-?(?:\d+(?:\.\d+)?|\.\d+)(?![\w])")
_RAW_MISSING = re.compile(r"\b(?:nan|NaN|None|NaT|<NA>|inf)\b")


def _numbers(text: str) -> set[str]:
    """Number tokens of ``text``, with true minus signs as '-' and leading zeros added."""
    text = text.replace("\u2212", "-").replace("\u00a0", " ")
    out = set()
    for token in _NUMBER.findall(text):
        out.add(token)
        if token.startswith((".", "-.")):
            out.add(token.replace(".", "0.", 1))
    return out


def _shows(expected: str, numbers: set[str]) -> bool:
    return expected in numbers or (
        # -0.00 is printed as 0.00
        math.isclose(float(expected), 0.0) and expected.lstrip("-") in numbers
    )


# --------------------------------------------------------------------------------------
# Without a browser: the markup is well formed
# --------------------------------------------------------------------------------------

_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            if tag in self.stack:  # recover like a browser
                del self.stack[self.stack.index(tag) :]
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> _Checker:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    return checker


def test_every_public_result_class_is_covered():
    import peoscales
    import peoscales.peo

    public = {
        name
        for module in (peoscales, peoscales.peo)
        for name in module.__all__
        if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), Result)
    }
    assert public == set(NAMES)
    results = _results()
    assert set(results) == set(NAMES)
    for name, result in results.items():
        assert type(result).__name__ == name


def test_checker_catches_bad_markup():
    assert _parse("<div><table><tr><td>1</td></tr></table></div>").errors == []
    assert _parse("<div><table><tr><td>1</tr></table></div>").errors
    assert _parse("<div><b>x</div>").stack == [] and _parse("<div><p>x").stack == ["div", "p"]


@pytest.mark.parametrize("name", NAMES)
def test_html_is_well_formed(name):
    markup = _results()[name]._repr_html_()
    checker = _parse(markup)
    assert checker.errors == [], checker.errors[:3]
    assert checker.stack == [], f"unclosed tags: {checker.stack}"
    if name in _PAGES:  # a whole page in an iframe's srcdoc, as Jupyter shows it
        assert checker.tags == ["iframe"]
        inner = _parse(html.unescape(re.search(r'srcdoc="([^"]*)"', markup).group(1)))
        assert inner.errors == [] and "table" in inner.tags
    else:
        assert "table" in checker.tags


@pytest.mark.parametrize("name", [_param(n, KNOWN_RAW_MISSING) for n in NAMES])
def test_html_has_no_raw_missing_values(name):
    text = " ".join(_parse(_results()[name]._repr_html_()).text)
    assert not _RAW_MISSING.findall(text), _RAW_MISSING.findall(text)[:5]


# --------------------------------------------------------------------------------------
# In Chromium: one notebook-like page with every view
# --------------------------------------------------------------------------------------

# The parts of JupyterLab's output styles that affect layout.
_JUPYTER_CSS = """
body { font-family: system-ui, sans-serif; font-size: 13px; margin: 8px; width: 1150px; }
.jp-OutputArea-output { margin: 12px 0; padding: 4px; overflow-x: auto; }
.jp-RenderedHTMLCommon table { border-collapse: collapse; border: none; font-size: 12px;
  table-layout: fixed; margin-left: 0; margin-right: 0; }
.jp-RenderedHTMLCommon thead { border-bottom: 1px solid black; vertical-align: bottom; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon tr {
  text-align: right; vertical-align: middle; padding: 0.5em; line-height: normal;
  white-space: normal; max-width: none; border: none; }
.jp-RenderedHTMLCommon tbody tr:nth-child(odd) { background: #f5f5f5; }
"""


@pytest.fixture(scope="module")
def notebook_page(browser_ready, tmp_path_factory):
    blocks = "\n".join(
        f'<div class="jp-OutputArea-output jp-RenderedHTMLCommon" id="out-{name}">'
        f"{_results()[name]._repr_html_()}</div>"
        for name in NAMES
    )
    page = tmp_path_factory.mktemp("notebook") / "results.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>peoscales results</title>"
        f"<style>{_JUPYTER_CSS}</style></head><body>{blocks}</body></html>",
        encoding="utf-8",
    )
    return page


@pytest.fixture(scope="module")
def rendered(driver, notebook_page):
    """Load the page once; per block its displayed state, size, tables and visible text."""
    driver.get(notebook_page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    found = {}
    for name in NAMES:
        block = driver.find_element("id", f"out-{name}")
        driver.execute_script("arguments[0].scrollIntoView()", block)
        if name in _PAGES:
            frame = block.find_element("tag name", "iframe")
            driver.switch_to.frame(frame)
            tables = driver.find_elements("css selector", "table")
            visible = [t for t in tables[:5] if t.is_displayed() and t.size["height"] > 0]
            text = driver.find_element("tag name", "body").text
            driver.switch_to.default_content()
        else:
            tables = block.find_elements("tag name", "table")
            visible = [t for t in tables if t.is_displayed() and t.size["height"] > 0]
            text = block.text
        found[name] = {
            "displayed": block.is_displayed(),
            "size": block.size,
            "tables": len(tables),
            "visible_tables": len(visible),
            "text": text,
        }
    return found


@pytest.mark.browser
def test_screenshot(driver, rendered, artifacts):
    driver.set_window_size(1200, 900)
    height = driver.execute_script("return document.body.scrollHeight")
    assert height > 3000
    driver.set_window_size(1200, min(height + 100, 16000))
    shot = artifacts / "result_html.screenshot.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000
    driver.set_window_size(1200, 900)


@pytest.mark.browser
@pytest.mark.parametrize("name", NAMES)
def test_view_is_displayed_with_a_table(name, rendered):
    block = rendered[name]
    assert block["displayed"]
    assert block["size"]["width"] > 100 and block["size"]["height"] > 40, block["size"]
    assert block["tables"] >= 1 and block["visible_tables"] >= 1
    assert len(block["text"].split()) >= 5


@pytest.mark.browser
@pytest.mark.parametrize("name", [_param(n, KNOWN_RAW_MISSING) for n in NAMES])
def test_view_shows_no_raw_missing_values(name, rendered):
    found = _RAW_MISSING.findall(rendered[name]["text"])
    assert not found, found[:5]


@pytest.mark.browser
@pytest.mark.parametrize("name", [_param(n, KNOWN_MISSING_NUMBERS) for n in NAMES])
def test_view_shows_key_numbers_formatted(name, rendered):
    numbers = _numbers(rendered[name]["text"])
    expected = _expected(name, _results()[name])
    missing = [e for e in expected if not _shows(e, numbers)]
    assert not missing, f"{name} does not show {missing}"


def test_number_tokens():
    assert _numbers("alpha = .807 [.780, .833]") >= {".807", "0.807", "0.780"}
    assert "-0.37" in _numbers("r = \u2212.37***")
    assert "1.19" not in _numbers("t = 1.193") and "3" not in _numbers("t(3.5)")
