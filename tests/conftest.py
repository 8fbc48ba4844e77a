"""Shared test configuration."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Timing-based health checks are meaningless on shared, noisy machines; correctness is
# what the property tests check. CI runs fewer examples to keep the suite quick.
settings.register_profile(
    "dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# Import the package before any doctest module is collected, so that names such as
# ``peoscales.reliability`` are the functions, whatever order files are collected in.
import peoscales  # noqa: E402, F401

# --- headless Chromium for the HTML tests (marker "browser") ----------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
)


@pytest.fixture(scope="session")
def browser_ready() -> None:
    """Skip without Chromium, chromedriver or selenium; fail instead under CI."""
    missing = [n for n, p in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not p]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        reason = (
            f"browser test needs {', '.join(missing)} (apt-get install chromium chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must provide it.")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def driver(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium driven by selenium, one per test module."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield browser
    browser.quit()


#: The printable width of an A4 page with the report's 1.5 cm margins, in CSS pixels.
A4_CONTENT_PX = (21.0 - 2 * 1.5) / 2.54 * 96


@pytest.fixture
def tables_too_wide_in_print(driver: Any) -> Any:
    """A function that lays the loaded page out as print media at the width of an A4
    page and lists the tables wider than that ([section id, widths ...]), then
    restores the screen layout."""

    def too_wide() -> list[Any]:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": round(A4_CONTENT_PX),
                "height": 1000,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        try:
            assert driver.execute_script("return matchMedia('print').matches")
            wide: list[Any] = driver.execute_script(
                """
                const page = document.documentElement.clientWidth;
                return Array.from(document.querySelectorAll('table.peo-table'))
                  .map(t => [t.closest('section').id, t.scrollWidth, t.getBoundingClientRect().right, page])
                  .filter(([id, scroll, right, page]) => scroll > page + 0.5 || right > page + 0.5);
                """
            )
            return wide
        finally:
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    return too_wide


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    """Where screenshots go: ``artifacts/`` at the project root (ignored by git)."""
    root = Path(__file__).resolve().parents[1] / "artifacts"
    try:
        root.mkdir(exist_ok=True)
        return root
    except OSError:
        return tmp_path


# --- the compiled kernels and their numpy fallback ----------------------------------------
@pytest.fixture(params=["compiled", "numpy"])
def kernels(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a test with the compiled kernels, then with the numpy ones they replace.

    Both must give the same results; a machine without a C compiler installs only the
    numpy kernels (the compiled run is then skipped, except where CI requires them).
    """
    from peoscales._kernels import native

    if request.param == "numpy":
        with native.disabled():
            yield "numpy"
        return
    if native.get() is None:
        pytest.skip("the compiled kernels are not built or are switched off")
    yield "compiled"
