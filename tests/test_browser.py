"""The demo PEO report rendered in headless Chromium: tables and charts present and visible."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from peoscales.peo.report import report

    path = tmp_path_factory.mktemp("report") / "report.html"
    report(demo=True, out=path)
    return path


def test_tables_and_charts_are_visible(driver, page, artifacts):
    from selenium.webdriver.common.by import By

    driver.get(page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    tables = driver.find_elements(By.CSS_SELECTOR, "table.peo-table")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.peo-chart")
    assert len(tables) >= 30 and len(charts) >= 10
    for element in (*tables, *charts):
        driver.execute_script("arguments[0].scrollIntoView()", element)
        assert element.is_displayed()
        size = element.size
        assert size["width"] > 50 and size["height"] > 20, size
    # the charts draw bars: rectangles with a fill and a size, inside the page width
    body_width = driver.execute_script("return document.body.scrollWidth")
    widths = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.peo-chart'))"
        ".map(s => s.getBoundingClientRect().width)"
    )
    assert all(0 < w <= body_width for w in widths)
    # a published number of seed 001 is rendered as text (Tabel 2.1: 71% voldoende)
    row = driver.find_element(By.XPATH, "//section[@id='t-2-1']//tr[th='voldoende']")
    assert row.is_displayed() and row.text.split()[-1] == "71"
    driver.execute_script("window.scrollTo(0, 0)")
    shot = artifacts / "peo_report.screenshot.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


#: The printable width of an A4 page with the report's 1.5 cm margins, in CSS pixels.
A4_CONTENT_PX = (21.0 - 2 * 1.5) / 2.54 * 96  # as in conftest.py


def test_printed_report_fits_the_page(driver, page, artifacts, tables_too_wide_in_print):
    """Print media at the width of an A4 page: no table sticks out of its column, and
    Chromium's own print to PDF lays the page out on A4."""
    import base64

    from selenium.webdriver.common.print_page_options import PrintOptions

    driver.get(page.as_uri())
    assert tables_too_wide_in_print() == []
    # the widest tables are there and laid out in print (Tabel 2.11 and the significance
    # overview)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": round(A4_CONTENT_PX), "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        widths = driver.execute_script(
            "return ['t-2-11', 't-2-significance'].map("
            "id => document.getElementById(id).querySelector('table').getBoundingClientRect().width)"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert all(0.5 * A4_CONTENT_PX < w <= A4_CONTENT_PX + 0.5 for w in widths), widths
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    options.shrink_to_fit = False
    pdf = base64.b64decode(driver.print_page(options))
    assert pdf.startswith(b"%PDF")
    (artifacts / "peo_report.print.pdf").write_bytes(pdf)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) > 10  # the report runs over many A4 pages


#: Lists the table head cells (row and column heads) whose label is one short word, such
#: as the experience band "6-10", and that the browser laid out on more than one line.
BROKEN_WORDS_JS = """
const out = [];
for (const th of document.querySelectorAll('table.peo-table th')) {
  const text = th.textContent;
  if (!text || /\\s/.test(text) || text.length > 12) continue;
  const range = document.createRange();
  range.selectNodeContents(th);
  const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
  if (tops.size > 1) out.push([th.closest('section').id, text]);
}
return out;
"""


def test_short_labels_are_not_broken_at_their_hyphen(driver, page):
    # A browser may break a line after a hyphen; "6-" above "10" misreads a band.
    driver.get(page.as_uri())
    assert driver.execute_script(BROKEN_WORDS_JS) == []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert driver.execute_script(BROKEN_WORDS_JS) == []
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
