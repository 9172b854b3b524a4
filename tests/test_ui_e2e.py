"""End to end: `yingji ui` on the demo store, driven by Debian's headless Chromium through Selenium.

Pastes a report, runs the match, waits for the grade and a highlighted clause, visits every page,
checks that the browser never asked for anything but the app itself, and saves screenshots to
tests/artifacts/ (and docs/screenshots/ when YINGJI_SCREENSHOTS=docs). Skipped when Chromium or its
driver is missing, unless CI is set: then it fails (.ci/browser installs them with apt-get).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.test_ui_fixtures import ROOT, demo_store, first_report  # noqa: F401 - fixture

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download a browser or driver

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS_SHOTS = ROOT / "docs" / "screenshots"
GRADES = ("特别重大", "重大", "较大", "一般", "未达分级")
MATCH_TIMEOUT = 900  # seconds: the app's first match builds the matcher's indexes


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, DRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    if missing:
        message = f"UI end-to-end test needs {', '.join(missing)} (run .ci/browser)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ui_command(store: Path, port: int) -> list[str]:
    """`yingji ui` through the main CLI once it is wired there, else through ui.cli_ui."""
    from ui.cli import build_parser

    args = ["ui", "--store", str(store), "--port", str(port)]
    try:
        build_parser().parse_args(args)
        module = "ui.cli"
    except SystemExit:
        module = "ui.cli_ui"
    return [sys.executable, "-m", module, *args]


@pytest.fixture
def app_url(demo_store, tmp_path):  # noqa: F811
    _require_browser()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("YINGJI_NEO4J")}
    log = open(tmp_path / "ui.log", "wb")
    proc = subprocess.Popen(_ui_command(demo_store, port), cwd=tmp_path, env=env, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail("yingji ui exited: " + (tmp_path / "ui.log").read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("yingji ui did not answer within 90 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "ui.log", ARTIFACTS / "ui_e2e_server.log")


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,2000", "--lang=zh-CN"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=opts)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def _requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _external(urls: list[str]) -> list[str]:
    out = []
    for u in urls:
        parsed = urlparse(u)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in ("127.0.0.1", "localhost"):
            out.append(u)
    return out


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"ui_{name}.png"))
    if os.environ.get("YINGJI_SCREENSHOTS") == "docs":
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / f"ui_{name}.png", DOCS_SHOTS / f"{name}.png")


def _wait(driver, condition, timeout: float, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.5).until(condition)
    except Exception:
        _shot(driver, "failure")
        pytest.fail(f"timed out waiting for {what}; page text: {driver.find_element('tag name', 'body').text[:1500]}")


def _click_text(driver, text: str, tag: str = "button") -> None:
    xpath = f"//{tag}[.//*[contains(text(), '{text}')] or contains(text(), '{text}')]"
    _wait(driver, lambda d: d.find_elements("xpath", xpath), 120, f"{tag} “{text}”")[0].click()


def test_ui_end_to_end(app_url, browser):
    from selenium.webdriver.common.by import By

    urls: list[str] = []
    browser.get(app_url)
    area = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "textarea"), 120, "the report box")
    area.send_keys(first_report()["report"])
    _click_text(browser, "分析并匹配预案")
    grade = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".yj-grade"), MATCH_TIMEOUT, "the grade")[0]
    assert grade.text.split("\n")[0] in GRADES
    clause = _wait(browser, lambda d: [m for m in d.find_elements(By.CSS_SELECTOR, ".yj-passage mark")
                                        if len(m.text.strip()) > 5], 60, "a highlighted clause")[0]
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "应执行条款" in body and clause.text.strip()[:10] in body
    time.sleep(1)
    _shot(browser, "commander")
    _click_text(browser, "地图", tag="*[@role='tab']")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stVegaLiteChart'] canvas, "
                                                              "[data-testid='stVegaLiteChart'] svg"), 60, "the map")
    time.sleep(2)
    _shot(browser, "commander_map")
    urls += _requested_urls(browser)
    for path, marker in (("drafter", "文档与版本"), ("trainee", "按事件类型浏览预案"), ("console", "Cypher 查询（只读）")):
        browser.get(f"{app_url}/{path}")
        _wait(browser, lambda d: marker in d.find_element(By.TAG_NAME, "body").text, 300, f"the {path} page")
        if path == "drafter":
            _click_text(browser, "并排对照", tag="*[@role='tab']")
            _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".yj-passage mark"), 300, "a conflict")
        if path == "trainee":
            _click_text(browser, "图谱邻域", tag="*[@role='tab']")
            _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stVegaLiteChart']"), 120,
                  "the graph")
        if path == "console":
            _click_text(browser, "执行")
            _wait(browser, lambda d: " 行" in d.find_element(By.TAG_NAME, "body").text, 120, "query rows")
        time.sleep(2)
        _shot(browser, path)
        urls += _requested_urls(browser)
    assert urls, "the performance log recorded no request"
    assert _external(urls) == [], "the app asked for something outside this machine"
