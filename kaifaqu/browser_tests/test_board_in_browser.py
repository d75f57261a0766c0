"""The leads board in real Chromium: drag a card to the next column, confirm in the stage dialog."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaifaqu.projects.models import Project, Stage, StageChange

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


@pytest.fixture
def leads(reference_data, make_project, tunliu):
    make_project(
        "碳基新材料研发中心",
        total_investment=Decimal("155000"),
        stage=Stage.CONTACT,
        stage_dates={"contact_on": TODAY},
    )
    make_project(
        "氢能重卡示范线",
        total_investment=Decimal("8000"),
        stage=Stage.INTENT,
        stage_dates={"contact_on": TODAY, "intent_on": TODAY},
    )
    return Project.objects.all()


def test_drag_a_card_to_the_next_column_and_confirm(leads, login, page, live_server):
    login("xiaoyi-staff")
    page.goto(f"{live_server.url}/investment/board/")
    contact, intent = page.get_by_test_id("column-contact"), page.get_by_test_id("column-intent")
    expect(contact.locator("[data-count]")).to_have_text("1")
    expect(intent.locator("[data-count]")).to_have_text("1")
    expect(page.get_by_test_id("board-sentence")).to_contain_text(
        "初步对接项目1个，总投资15.5亿元；重点意向项目1个，总投资0.8亿元。"
    )

    card = contact.get_by_test_id("lead-card").filter(has_text="碳基新材料研发中心")
    card.drag_to(intent)
    dialog = page.locator("#modal")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("变更为")).to_have_value("intent")
    expect(dialog.locator("[name=intent_on]")).to_have_value(TODAY.isoformat())
    expect(dialog.get_by_role("button", name="确定变更")).to_be_focused()
    # Confirm with Enter on the button: pressed on the element, since Bootstrap's focus trap may
    # still take the focus back to the dialog as its opening transition ends (a fast hand, or a
    # loaded machine, pressed Enter into the dialog itself; CI failed so once).
    dialog.get_by_role("button", name="确定变更").press("Enter")

    expect(page.get_by_text("项目阶段已变更")).to_be_visible()  # the board again, redrawn
    assert page.url == f"{live_server.url}/investment/board/"
    expect(contact.locator("[data-count]")).to_have_text("0")
    expect(intent.locator("[data-count]")).to_have_text("2")
    expect(intent).to_contain_text("碳基新材料研发中心")
    expect(page.get_by_test_id("board-sentence")).to_contain_text("重点意向项目2个，总投资16.3亿元。")
    moved = Project.objects.get(name="碳基新材料研发中心")
    assert moved.stage == Stage.INTENT and StageChange.objects.filter(project=moved, to_stage=Stage.INTENT).exists()
    assert page.outside_requests == []


def test_a_move_back_without_reason_is_refused_in_the_dialog(leads, login, page, live_server):
    login("xiaoyi-staff")
    page.goto(f"{live_server.url}/investment/board/")
    card = page.get_by_test_id("column-intent").get_by_test_id("lead-card")
    card.get_by_role("button", name="移动到…").click()
    card.get_by_role("link", name="初步对接").click()
    dialog = page.locator("#modal")
    expect(dialog.get_by_label("变更为")).to_have_value("contact")
    dialog.get_by_role("button", name="确定变更").click()
    expect(dialog).to_contain_text("退回到之前的阶段必须填写原因。")
    expect(dialog.get_by_label("原因")).to_be_focused()
    dialog.get_by_label("原因").fill("企业投资计划推迟")
    dialog.get_by_role("button", name="确定变更").click()
    expect(page.get_by_text("项目阶段已变更")).to_be_visible()  # the board again, redrawn
    expect(page.get_by_test_id("column-contact").locator("[data-count]")).to_have_text("2")
    assert Project.objects.get(name="氢能重卡示范线").stage == Stage.CONTACT
    assert page.outside_requests == []
