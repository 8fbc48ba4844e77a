"""Every kind of report prints on A4 without cut tables: the 2020-05 and 2022-04 wave
reports and the instrument study report, laid out as print media in headless Chromium
(the 2021-09 report is checked in test_browser.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _wave(wave: str) -> Callable[[Path], Any]:
    def make(path: Path) -> Any:
        from peoscales.peo.report import report

        return report(demo=True, wave=wave, out=path)

    return make


def _study(path: Path) -> Any:
    import peoscales
    from peoscales.demo import load_mental_fitness

    return peoscales.study_report(
        load_mental_fitness(), ["brs", "swing12", "wbns"], by="care_type", out=path
    )


@pytest.mark.parametrize(
    "make", [_wave("2020-05"), _wave("2022-04"), _study], ids=["2020-05", "2022-04", "study"]
)
def test_printed_report_has_no_table_wider_than_the_page(
    driver: Any,
    tmp_path: Path,
    artifacts: Path,
    tables_too_wide_in_print: Callable[[], list[Any]],
    make: Callable[[Path], Any],
) -> None:
    import base64

    from selenium.webdriver.common.print_page_options import PrintOptions

    page = tmp_path / "report.html"
    result = make(page)
    driver.get(page.as_uri())
    n_tables = driver.execute_script("return document.querySelectorAll('table.peo-table').length")
    assert n_tables == len(result.document.tables()) > 0
    assert tables_too_wide_in_print() == []
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    options.shrink_to_fit = False
    pdf = base64.b64decode(driver.print_page(options))
    assert pdf.startswith(b"%PDF") and re.findall(rb"/Type\s*/Page(?!s)", pdf)
    (artifacts / f"{page.stem}.{n_tables}.print.pdf").write_bytes(pdf)
