"""通知渠道 in real Chromium: a zone's administrator adds a group robot, is refused an address off the
vendor's host, edits it without the key ever coming back to the page, and pauses it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.notifications.models import Channel
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.browser

ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7c2e"


def test_a_robot_added_edited_and_paused(reference_data, xiaoyi, login, page, live_server):
    make_user("xiaoyi-admin", Unit.objects.get(zone=xiaoyi), roles.ADMIN)
    login("xiaoyi-admin")
    page.goto(f"{live_server.url}/inbox/channels/")
    page.get_by_label("类型").select_option(label="企业微信群机器人")
    page.get_by_label("名称").fill("孝义经开区项目调度群")
    page.get_by_label("Webhook 地址或邮箱").fill("http://192.168.1.20/hook?key=abc")
    page.get_by_role("button", name="添加").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("不能向“192.168.1.20”发送")
    assert not Channel.objects.exists()

    page.get_by_label("Webhook 地址或邮箱").fill(ROBOT)
    page.get_by_role("button", name="添加").click()
    row = page.get_by_test_id("channels").locator("tbody tr").first
    expect(row).to_contain_text("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…")
    expect(row).to_contain_text("启用")

    row.get_by_role("link", name="编辑").click()
    assert "693a91f6" not in page.content()
    page.get_by_label("名称").fill("孝义经开区调度群")
    page.get_by_role("button", name="保存").click()
    expect(row).to_contain_text("孝义经开区调度群")
    assert Channel.objects.get().address == ROBOT  # the hidden key kept

    row.get_by_role("button", name="停用").click()
    expect(row).to_contain_text("已停用")
    assert Channel.objects.get().active is False
    assert "693a91f6" not in page.content()
    assert page.outside_requests == []
