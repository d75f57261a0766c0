"""Issue 18, items 7 and 8: the client's address behind a proxy, the lockout, and the smaller security items.

Each test is what an attacker or a user would try, on the real database.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kaifaqu.audit.models import AuditEntry
from kaifaqu.conftest import PASSWORD, make_user
from kaifaqu.core.uploads import validate_upload
from kaifaqu.enterprises.forms import EnterpriseForm
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.indicators import services as indicator_services
from kaifaqu.indicators.models import Indicator
from kaifaqu.notifications.senders import DeliveryError, send_webhook, webhook_address_problem
from kaifaqu.regions.models import Region
from kaifaqu.sheets.readers import NOT_CHINESE_TEXT, ReadError, open_sheet
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region


def login(client: Client, username: str, password: str, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


# --- 7. the client's address and the lockout ---------------------------------------------------------


def test_a_forged_x_forwarded_for_does_not_choose_the_address(xiaoyi_staff, settings):
    """Behind one proxy (nginx appends the address it saw), the client's own entries are ignored:
    40 guesses each with a different forged first entry still come from one address."""
    settings.KAIFAQU_TRUST_X_FORWARDED_FOR = True
    settings.KAIFAQU_TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(5):
        login(proxy, "xiaoyi-staff", "guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7")
    assert set(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).values_list("ip", flat=True)) == {
        "203.0.113.7"
    }
    refused = login(proxy, "xiaoyi-staff", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
    assert "已临时锁定" in refused.content.decode()
    # Two proxies: the entry the outer one wrote, second from the right.
    settings.KAIFAQU_TRUSTED_PROXIES = 2
    login(proxy, "nobody", "guess", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.8, 10.0.0.2")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, username="nobody").get().ip == "203.0.113.8"


def test_five_guesses_lock_the_account_from_that_address_only(admin_user):
    stranger = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(5):
        assert "用户名或密码不正确" in login(stranger, "root", "guess").content.decode()
    refused = login(stranger, "root", PASSWORD)
    assert "该账号在此地址登录失败次数过多，已临时锁定" in refused.content.decode()
    assert "_auth_user_id" not in stranger.session
    # The province office, from its own address, still signs in.
    assert login(Client(REMOTE_ADDR="10.10.0.5"), "root", PASSWORD).status_code == 302


def test_twenty_guesses_across_addresses_lock_the_account(admin_user):
    for n in range(4):
        stranger = Client(REMOTE_ADDR=f"203.0.113.{30 + n}")
        for _ in range(5):
            login(stranger, "root", "guess")
        # Hammering a locked pair is no further guess: it does not bring the account lock nearer.
        for _ in range(10):
            login(stranger, "root", "guess")
    office = Client(REMOTE_ADDR="10.10.0.5")
    refused = login(office, "root", PASSWORD)
    assert "该账号登录失败次数过多，已临时锁定" in refused.content.decode()
    assert "_auth_user_id" not in office.session


# --- 8. the smaller items ---------------------------------------------------------------------------


def test_an_off_site_next_is_ignored_after_a_review(xiaoyi):
    zone_stats = make_user("xiaoyi-stats", Unit.objects.get(zone=xiaoyi), roles.STATISTICIAN)
    city = unit_for_region(region=Region.objects.get(code="141100"))
    make_user("lvliang-stats", city, roles.STATISTICIAN)
    figures = {
        indicator.pk: {"value": Decimal(35), "last_year": Decimal(30), "growth_pct": None, "note": ""}
        for indicator in Indicator.objects.filter(in_evaluation=True)
    }
    report = indicator_services.report_fill(
        user=zone_stats, owner=xiaoyi, year=2026, month=1, figures=figures, submit=True
    )
    reviewer = Client()
    login(reviewer, "lvliang-stats", PASSWORD)
    url = f"/indicators/reports/{report.pk}/review/"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = reviewer.post(f"{url}?next={evil}", {"action": "approve", "next": evil})
        assert response.status_code == 302
        assert response["Location"].startswith("/") and "evil" not in response["Location"]
    # The login page too sends a user back only to a page of this site.
    sent = Client().post(
        "/accounts/login/?next=https://evil.example/", {"username": "xiaoyi-stats", "password": PASSWORD}
    )
    assert sent.status_code == 302 and "evil" not in sent["Location"]


def _form_data(enterprise: Enterprise, user) -> dict:
    form = EnterpriseForm(instance=enterprise, user=user)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_two_stale_enterprise_saves_the_second_is_refused(xiaoyi_enterprise, xiaoyi_staff):
    first, second = Client(), Client()
    first.force_login(xiaoyi_staff)
    second.force_login(xiaoyi_staff)
    url = f"/enterprises/{xiaoyi_enterprise.pk}/edit/"
    opened = _form_data(xiaoyi_enterprise, xiaoyi_staff)  # both users opened version 1
    assert opened["version"] == 1
    assert first.post(url, opened | {"contact_person": "王经理"}).status_code == 302
    refused = second.post(url, opened | {"contact_person": "李经理"})
    page = refused.content.decode()
    assert refused.status_code == 200 and "在您打开之后，该企业已被修改" in page and "王经理" in page
    assert Enterprise.objects.get(pk=xiaoyi_enterprise.pk).contact_person == "王经理"
    # Saving again, having seen the change, is a deliberate overwrite.
    again = second.post(url, opened | {"contact_person": "李经理", "version": 2})
    assert again.status_code == 302
    assert Enterprise.objects.get(pk=xiaoyi_enterprise.pk).contact_person == "李经理"
    # The API answers a stale version with 409 and what changed.
    api = APIClient()
    api.force_authenticate(xiaoyi_staff)
    stale = api.patch(f"/api/enterprises/{xiaoyi_enterprise.pk}/", {"address": "孝义市", "version": 2}, format="json")
    assert stale.status_code == 409 and "该企业已被修改" in stale.json()["detail"]
    fresh = api.patch(f"/api/enterprises/{xiaoyi_enterprise.pk}/", {"address": "孝义市", "version": 3}, format="json")
    assert fresh.status_code == 200 and fresh.json()["version"] == 4


@pytest.mark.parametrize(
    "address",
    [
        "https://127.0.0.1\\@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
        "https://evil.example@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
        "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=abc",
        "https://qyapi.weixin.qq.com:22/cgi-bin/webhook/send?key=abc",
    ],
)
def test_robot_addresses_two_parsers_read_apart_or_with_a_port_are_refused(address):
    assert webhook_address_problem("wecom", address)
    with pytest.raises(DeliveryError):
        send_webhook("wecom", address, "", "测试")  # refused before any connection


def test_the_vendor_address_itself_is_still_accepted():
    assert webhook_address_problem("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc") is None
    assert webhook_address_problem("wecom", "https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=abc") is None


def test_an_enterprise_user_is_refused_every_monthly_page(xiaoyi, xiaoyi_enterprise):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    client = Client()
    client.force_login(make_user("pengfei", unit, roles.ENTERPRISE_USER))
    assert client.get("/indicators/").status_code == 403
    assert client.get(f"/indicators/zones/{xiaoyi.pk}/").status_code == 403


BIG5_LEDGER = (
    "項目名稱,建設單位,總投資（萬元）,開工時間,所屬開發區\n"
    "孝義經濟技術開發區焦化項目,山西某某有限公司,50000,2025-01-01,孝義經開區\n"
).encode("big5")
SHIFT_JIS_LEDGER = (
    "プロジェクト名,建設会社,総投資額（万円）,着工日\n東京駅前開発,株式会社テスト,50000,2025-01-01\n".encode(
        "shift_jis"
    )
)


@pytest.mark.parametrize("data", [BIG5_LEDGER, SHIFT_JIS_LEDGER], ids=["big5", "shift-jis"])
def test_a_big5_or_shift_jis_csv_gets_the_encoding_message(data, tmp_path):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("项目台账.csv", data, content_type="text/csv"), allowed=("csv",))
    assert refused.value.messages == [f"文件“项目台账.csv”{NOT_CHINESE_TEXT}"]
    assert "GB18030" in NOT_CHINESE_TEXT and "另存为" in NOT_CHINESE_TEXT
    path = tmp_path / "台账.csv"
    path.write_bytes(data)
    with pytest.raises(ReadError, match="不是 UTF-8、GBK 或 GB18030 编码"):
        open_sheet(path, extension="csv")


def test_a_gbk_csv_in_traditional_characters_is_still_read(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes(BIG5_LEDGER.decode("big5").encode("gbk"))
    sheet = open_sheet(path, extension="csv")
    assert next(iter(sheet.rows))[0] == "項目名稱"


def test_the_api_schema_and_docs_need_a_signed_in_user(xiaoyi_staff):
    anonymous = Client()
    assert anonymous.get("/api/schema/").status_code in (401, 403)
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")
    signed_in = Client()
    signed_in.force_login(xiaoyi_staff)
    assert signed_in.get("/api/schema/?format=json").status_code == 200
    assert signed_in.get("/api/docs/").status_code == 200


def test_logout_revokes_the_api_token(xiaoyi_staff):
    api = APIClient()
    key = api.post("/api/auth/token/", {"username": "xiaoyi-staff", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/zones/").status_code == 200
    browser = Client()
    login(browser, "xiaoyi-staff", PASSWORD)
    browser.post("/accounts/logout/")
    assert api.get("/api/zones/").status_code == 401


def test_the_user_sees_and_revokes_the_token_on_my_account(xiaoyi_staff):
    token = Token.objects.create(user=xiaoyi_staff)
    browser = Client()
    browser.force_login(xiaoyi_staff)
    assert 'href="/accounts/me/"' in browser.get("/projects/").content.decode()
    page = browser.get("/accounts/me/").content.decode()
    assert "API 令牌" in page and "创建于" in page and "撤销" in page
    done = browser.post("/accounts/me/token/revoke/", follow=True).content.decode()
    assert "API 令牌已撤销" in done and "您目前没有 API 令牌" in done
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/zones/").status_code == 401
