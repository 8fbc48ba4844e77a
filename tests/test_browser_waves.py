"""The 2020-05 and 2022-04 demo reports in headless Chromium: every table visible, a
published number rendered as text, and no table wider than an A4 page in print."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: wave, number of tables, (section id, row header, published percentage in the last cell)
WAVES = [
    ("2020-05", 37, ("t-15", "voldoende", "65")),
    ("2022-04", 12, ("t-2-1", "(ruim) voldoende", "92")),
]


@pytest.fixture(scope="module", params=WAVES, ids=[w[0] for w in WAVES])
def page(request, tmp_path_factory):
    from peoscales.peo.report import report

    wave, n_tables, published = request.param
    path = tmp_path_factory.mktemp("report") / f"report_{wave}.html"
    report(demo=True, wave=wave, out=path)
    return path, n_tables, published


def test_tables_are_visible_with_the_published_numbers(driver, page):
    from selenium.webdriver.common.by import By

    path, n_tables, (section, header, value) = page
    driver.get(path.as_uri())
    tables = driver.find_elements(By.CSS_SELECTOR, "table.peo-table")
    assert len(tables) == n_tables
    for table in tables:
        driver.execute_script("arguments[0].scrollIntoView()", table)
        assert table.is_displayed() and table.size["width"] > 50
    row = driver.find_element(By.XPATH, f"//section[@id='{section}']//tr[th='{header}']")
    assert row.is_displayed() and row.text.split()[-1] == value


def test_no_table_is_wider_than_the_printed_page(driver, page, tables_too_wide_in_print):
    path, _, _ = page
    driver.get(path.as_uri())
    assert tables_too_wide_in_print() == []
