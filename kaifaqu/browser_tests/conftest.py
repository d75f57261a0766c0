"""Browser tests: Debian's Chromium driven by Playwright against the live Django server.

Playwright's own browser download is blocked on these machines, so the system
Chromium is launched through ``executable_path``. Without a browser these tests are
skipped, except under ``KAIFAQU_REQUIRE_BROWSER=1`` (CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kaifaqu.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# in between are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str | None:
    return os.environ.get("KAIFAQU_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        message = "未找到 Chromium（apt-get install -y chromium fonts-wqy-microhei）"
        if os.environ.get("KAIFAQU_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=path,
            args=CHROMIUM_ARGS,
            headless=True,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1400, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser, live_server, reference_data, request):
    """A fresh tab that records every request that would leave 127.0.0.1."""
    tab = browser.new_page()
    tab.set_default_timeout(10_000)
    tab.outside_requests = []
    server = urlparse(live_server.url)

    def watch(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in (server.hostname, "127.0.0.1", "localhost"):
            route.continue_()
        else:
            tab.outside_requests.append(route.request.url)
            route.abort()

    tab.route("**/*", watch)
    tab.page_errors = []
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    # Anything the Content Security Policy blocked is a bug in our pages (an inline
    # script or style, an outside asset): Chromium reports it on the console.
    tab.csp_violations = []
    tab.on(
        "console",
        lambda message: "Content Security Policy" in message.text and tab.csp_violations.append(message.text),
    )
    yield tab
    assert tab.page_errors == [], f"页面脚本出错：{tab.page_errors}"
    assert tab.csp_violations == [], f"内容安全策略拦截了：{tab.csp_violations}"
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    tab.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def login(page, live_server):
    def do_login(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/projects/")
        return page

    return do_login
