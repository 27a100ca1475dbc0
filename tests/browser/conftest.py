"""A real ``ssb-twin serve`` (real twin services) and a headless Debian Chromium driven by Selenium.

Outside CI the browser tests skip, saying why, when Chromium or ChromeDriver is missing; in CI (CI=true)
a missing browser is a failure, never a skip: .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# the tests import the server helper by module name (this folder is not a package)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_server import serve  # noqa: E402

CHROMIUM = os.environ.get("SSB_TWIN_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SSB_TWIN_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing_browser() -> str | None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not (Path(path).is_file() and os.access(path, os.X_OK))]
    if not missing:
        return None
    return (f"browser tests need {' and '.join(missing)} (Debian packages chromium and chromium-driver: "
            "apt-get install -y chromium chromium-driver); .ci/run installs them in CI")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def download_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="ssb-twin-downloads-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(download_dir: Path):
    """Headless Chromium; the flags keep it off the network (it would otherwise call home at start)."""
    problem = _missing_browser()
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true and {problem}")
        pytest.skip(problem)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ssb-twin-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1440,1500", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    # every page records what its Content-Security-Policy stopped before it reached the network
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__cspBlocked = []; document.addEventListener('securitypolicyviolation', "
        "(e) => window.__cspBlocked.push(e.blockedURI));")})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
