"""招商活动 in real Chromium: log a trip with two companies met, open its page, turn one into a lead."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.investment import services
from kaifaqu.investment.models import Activity, Lead, Target
from kaifaqu.projects.models import Project, Stage
from kaifaqu.zones import roles
from kaifaqu.zones.models import Membership, Unit

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


@pytest.fixture
def known(reference_data, xiaoyi, xiaoyi_staff):
    chief = make_user("xiaoyi-chief", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    chief.first_name = "赵主任"
    chief.save()
    Membership.objects.filter(user=chief).update(is_leadership=True)
    services.target_save(user=xiaoyi_staff, target=Target(zone=xiaoyi), fields={"name": "深圳氢枫能源有限公司"})
    return chief


def test_log_a_trip_and_turn_a_company_met_into_a_lead(known, login, page, live_server):
    login("xiaoyi-staff")
    page.goto(f"{live_server.url}/investment/activities/")
    page.get_by_test_id("activity-create").click()

    kind = page.get_by_label("活动类型")
    expect(kind).to_be_focused()
    kind.select_option("talk")  # a talk: its depth shows, the trip's fields do not
    expect(page.get_by_label("洽谈深度")).to_be_visible()
    expect(page.get_by_label("参加人员")).to_be_hidden()
    kind.select_option("trip")
    expect(page.get_by_label("洽谈深度")).to_be_hidden()
    expect(page.get_by_label("目的地")).to_be_visible()  # 地区 named for a trip

    page.get_by_label("活动名称").fill("赴深圳开展氢能产业链招商")
    page.locator("[name=start_on]").fill(TODAY.isoformat())
    page.get_by_label("目的地").fill("广东省深圳市")
    page.get_by_label("带队领导").select_option(label="赵主任")
    page.get_by_label("参加人员").fill("招商局 李娜、王强")
    page.get_by_label("对接企业（目标企业库）").select_option(label="深圳氢枫能源有限公司")
    page.get_by_label("新接触的企业（每行一个）").fill("深圳市未来氢能科技有限公司")
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("activity-title")).to_contain_text("赴深圳开展氢能产业链招商")
    met = page.get_by_test_id("met")
    expect(met).to_contain_text("深圳氢枫能源有限公司")
    expect(met).to_contain_text("深圳市未来氢能科技有限公司")
    activity = Activity.objects.get(title="赴深圳开展氢能产业链招商")
    assert activity.kind == "trip" and activity.leader == known and activity.targets.count() == 2

    met.locator("tr", has_text="深圳市未来氢能科技有限公司").get_by_test_id("to-lead").click()
    expect(page.get_by_label("项目名称")).to_have_value("深圳市未来氢能科技有限公司项目")
    expect(page.get_by_label("项目名称")).to_be_focused()
    page.get_by_label("总投资（万元）").fill("60000")
    page.get_by_label("总投资（万元）").press("Enter")  # Enter submits

    expect(page.get_by_test_id("lead-name")).to_have_text("深圳市未来氢能科技有限公司项目")
    project = Project.objects.get(name="深圳市未来氢能科技有限公司项目")
    assert project.stage == Stage.CONTACT
    lead = Lead.objects.get(project=project)
    assert lead.source_activity == activity and lead.target.name == "深圳市未来氢能科技有限公司"
    assert page.url == f"{live_server.url}/investment/leads/{project.pk}/"
