"""The demo PEO report rendered in headless Chromium: tables and charts present and visible."""

from __future__ import annotations

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
