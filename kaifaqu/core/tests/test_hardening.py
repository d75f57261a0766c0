"""Hardening as an attacker or a careless admin would meet it."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import openpyxl
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from kaifaqu.conftest import PASSWORD
from kaifaqu.core.uploads import validate_upload


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_failures_lock_the_account_even_for_the_right_password(xiaoyi_staff, settings):
    settings.KAIFAQU_LOCKOUT_PER_USER = 3
    browser = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(3):
        assert "用户名或密码不正确" in login(browser, "xiaoyi-staff", "guess").content.decode()
    refused = login(browser, "xiaoyi-staff", PASSWORD)
    assert "该账号登录失败次数过多，已临时锁定" in refused.content.decode()
    assert "_auth_user_id" not in browser.session
    # Another account from another address is not affected.
    assert login(Client(REMOTE_ADDR="10.0.0.6"), "other", "guess").status_code == 200


def test_a_successful_login_resets_the_count_for_the_user(xiaoyi_staff, settings):
    settings.KAIFAQU_LOCKOUT_PER_USER = 3
    browser = Client(REMOTE_ADDR="10.0.0.7")
    login(browser, "xiaoyi-staff", "guess")
    login(browser, "xiaoyi-staff", "guess")
    assert login(browser, "xiaoyi-staff", PASSWORD).status_code == 302
    login(browser, "xiaoyi-staff", "guess")
    assert login(Client(REMOTE_ADDR="10.0.0.7"), "xiaoyi-staff", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(xiaoyi_staff, settings):
    settings.KAIFAQU_LOCKOUT_PER_IP = 4
    browser = Client(REMOTE_ADDR="10.0.0.8")
    for name in ("zhang", "wang", "li", "zhao"):
        login(browser, name, "123456")
    refused = login(browser, "xiaoyi-staff", PASSWORD)
    assert "该地址登录失败次数过多" in refused.content.decode()
    assert login(Client(REMOTE_ADDR="10.0.0.9"), "xiaoyi-staff", PASSWORD).status_code == 302


def test_the_token_endpoint_shares_the_lockout(xiaoyi_staff, settings):
    settings.KAIFAQU_LOCKOUT_PER_USER = 2
    api = APIClient(REMOTE_ADDR="10.0.0.10")
    for _ in range(2):
        assert api.post("/api/auth/token/", {"username": "xiaoyi-staff", "password": "x"}).status_code == 400
    locked = api.post("/api/auth/token/", {"username": "xiaoyi-staff", "password": PASSWORD})
    assert locked.status_code == 429 and "已临时锁定" in locked.json()["detail"]


def test_weak_passwords_are_refused_in_chinese(db):
    with pytest.raises(ValidationError) as weak:
        validate_password("abcdefgh")
    text = " ".join(weak.value.messages)
    assert "密码长度太短" in text and "至少 3 类" in text
    with pytest.raises(ValidationError):
        validate_password("kaifaqu2026")  # letters and digits only: two classes
    validate_password("Kaifaqu-2026!")


def test_csrf_is_enforced_on_pages_and_session_api(xiaoyi, xiaoyi_staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(xiaoyi_staff)
    assert browser.post("/projects/new/", {"name": "无令牌提交", "zone": xiaoyi.pk}).status_code == 403
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(xiaoyi_staff)
    response = api.post("/api/parks/", {"zone": xiaoyi.pk, "name": "无令牌园区"}, format="json")
    assert response.status_code == 403


def test_security_headers_and_session_expiry(xiaoyi_staff):
    browser = Client()
    browser.force_login(xiaoyi_staff)
    response = browser.get("/projects/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert browser.session.get_expire_at_browser_close()
    assert browser.session.get_expiry_age() == 8 * 3600


def test_user_text_is_always_escaped(make_project, xiaoyi_staff):
    project = make_project(name="<script>alert('x')</script>项目", agent='"><img src=x onerror=alert(1)>')
    browser = Client()
    browser.force_login(xiaoyi_staff)
    for url in ("/projects/", f"/projects/{project.pk}/", "/projects/?q=script"):
        body = browser.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;项目"
        in browser.get(f"/projects/{project.pk}/").content.decode()
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["项目名称", "总投资（万元）"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_uploads_are_checked_by_size_extension_and_content(settings):
    assert validate_upload(SimpleUploadedFile("台账.xlsx", xlsx_bytes()), allowed=("xlsx", "csv")) == "xlsx"
    gbk = "项目名称,总投资\n焦炉煤气制氢,50000\n".encode("gbk")
    assert validate_upload(SimpleUploadedFile("台账.csv", gbk), allowed=("xlsx", "csv")) == "csv"
    cases = [
        (SimpleUploadedFile("台账.exe", b"MZ..."), "类型不受支持"),
        (SimpleUploadedFile("台账.xlsx", b"not a workbook"), "内容不是Excel 工作簿"),
        (SimpleUploadedFile("台账.csv", b"\x00\x01\x02binary"), "不是 UTF-8、GBK 或 GB18030"),
        (SimpleUploadedFile("台账.csv", b""), "空文件"),
    ]
    for upload, message in cases:
        with pytest.raises(ValidationError) as refused:
            validate_upload(upload, allowed=("xlsx", "csv"))
        assert message in refused.value.messages[0]
    settings.KAIFAQU_UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationError) as too_big:
        validate_upload(SimpleUploadedFile("大.csv", b"a" * (1024 * 1024 + 1)), allowed=("csv",))
    assert "超过 1 MB 的上限" in too_big.value.messages[0]


def production_env(tmp_path, **extra) -> dict:
    # The browser tests allow Django's sync calls from Playwright's event loop in this
    # process; a production server never has that variable.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = inherited | {
        "KAIFAQU_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "KAIFAQU_DEMO": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "kfq.example.gov.cn",
        "SECRET_KEY": "k7#Qz!p2-" + "x9Lw$e4Rt^y6Ui*o8Pa" * 3,
    }
    return env | extra


def test_check_deploy_passes_with_production_settings(tmp_path):
    script = os.path.join(os.path.dirname(sys.executable), "kaifaqu")
    result = subprocess.run(
        [script, "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=production_env(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    script = os.path.join(os.path.dirname(sys.executable), "kaifaqu")
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")
    result = subprocess.run([script, "check"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0 and "生产模式必须设置环境变量 SECRET_KEY" in result.stderr


def test_favicon_is_served_locally(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".svg")
    assert "kaifaqu/favicon" in response["Location"]


def test_a_refusal_is_logged_in_one_line_without_its_traceback(client, xiaoyi_staff, caplog):
    import logging
    import sys

    from kaifaqu.core.log_filters import RefusalsWithoutTraceback

    client.force_login(xiaoyi_staff)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/indicators/catalogue/new/").status_code == 403
    [record] = [record for record in caplog.records if record.name == "django.request"]
    # Django attaches the PermissionDenied; the console handler's filter has already dropped it.
    assert record.status_code == 403 and "Forbidden" in record.getMessage() and record.exc_info is None
    try:
        raise RuntimeError("数据库连接中断")
    except RuntimeError:
        fault = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None)
        fault.exc_info, fault.status_code = sys.exc_info(), 500
    assert RefusalsWithoutTraceback().filter(fault) and fault.exc_info is not None  # a fault keeps its traceback
