"""The ledger pages as a user meets them: list, filters, totals, detail, forms, dialogs, scope."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kaifaqu.conftest import PASSWORD
from kaifaqu.projects.models import Milestone, Project, Stage
from kaifaqu.projects.services import milestone_create

TODAY = timezone.localdate()


@pytest.fixture
def logged_in(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_page_speaks_chinese(client, xiaoyi_staff):
    response = client.post("/accounts/login/", {"username": "xiaoyi-staff", "password": "wrong"})
    assert "用户名或密码不正确。" in response.content.decode()


def test_list_filters_search_and_totals(logged_in, make_project, xiaoyi_staff, xiaoyi_enterprise):
    make_project("鹏飞焦炉煤气制氢项目", enterprise=xiaoyi_enterprise, total_investment=Decimal("155000"))
    make_project("精细化工产业园标准厂房", total_investment=Decimal("32000"), priority_level="province")
    make_project(
        "碳基新材料研发中心", total_investment=Decimal("8000"), stage=Stage.CONTACT, stage_dates={"contact_on": TODAY}
    )
    client = logged_in(xiaoyi_staff)
    page = client.get("/projects/").content.decode()
    assert "共 <strong>3</strong> 个项目，总投资 <strong>19.5</strong> 亿元" in page
    by_enterprise = client.get("/projects/", {"q": "鹏飞"}).content.decode()
    assert "共 <strong>1</strong> 个项目" in by_enterprise and "鹏飞焦炉煤气制氢项目" in by_enterprise
    by_stage = client.get("/projects/", {"stage": "contact"}).content.decode()
    assert "碳基新材料研发中心" in by_stage and "精细化工产业园标准厂房" not in by_stage
    by_priority = client.get("/projects/", {"priority_level": "province"}).content.decode()
    assert "共 <strong>1</strong> 个项目，总投资 <strong>3.2</strong> 亿元" in by_priority


def test_list_htmx_request_returns_only_the_results(logged_in, make_project, xiaoyi_staff):
    make_project()
    response = logged_in(xiaoyi_staff).get("/projects/", {"q": "焦炉"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'data-testid="totals"' in body


def test_choosing_a_zone_refreshes_the_park_filter(logged_in, make_project, xiaoyi, xiaoyi_park, xiaoyi_staff):
    make_project("园区里的项目", park=xiaoyi_park)
    make_project("园区外的项目")
    client = logged_in(xiaoyi_staff)
    assert "梧桐新材料园" not in client.get("/projects/").content.decode()  # no zone chosen: no parks offered
    body = client.get("/projects/", {"zone": xiaoyi.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-swap-oob="true"' in body and "梧桐新材料园" in body
    by_park = client.get("/projects/", {"zone": xiaoyi.pk, "park": xiaoyi_park.pk}).content.decode()
    assert "园区里的项目" in by_park and "园区外的项目" not in by_park


def test_list_sorts_by_investment_and_flags_overdue(logged_in, make_project, xiaoyi_staff):
    small = make_project("小项目", total_investment=Decimal("10"))
    make_project("大项目", total_investment=Decimal("900000"))
    milestone_create(user=xiaoyi_staff, project=small, name="开工", planned_on=TODAY - datetime.timedelta(days=3))
    client = logged_in(xiaoyi_staff)
    page = client.get("/projects/", {"o": "-total_investment"}).content.decode()
    assert page.index("大项目") < page.index("小项目")
    page = client.get("/projects/", {"o": "total_investment"}).content.decode()
    assert page.index("小项目") < page.index("大项目")
    overdue = client.get("/projects/", {"overdue": "true"}).content.decode()
    assert "小项目" in overdue and "大项目" not in overdue and 'title="有逾期节点"' in overdue


def test_list_paginates(logged_in, make_project, xiaoyi_staff, settings):
    settings.KAIFAQU_PAGE_SIZE = 2
    for index in range(5):
        make_project(f"项目{index}")
    client = logged_in(xiaoyi_staff)
    page = client.get("/projects/", {"o": "name"}).content.decode()
    assert "第 1 / 3 页" in page and "项目0" in page and "项目2" not in page
    assert "项目4" in client.get("/projects/", {"o": "name", "page": 3}).content.decode()


def test_list_shows_only_the_users_scope(logged_in, make_project, tunliu, tunliu_staff, xiaoyi_staff, lvliang_office):
    make_project("孝义的项目")
    make_project("屯留的项目", zone=tunliu, user=tunliu_staff)
    xiaoyi_page = logged_in(xiaoyi_staff).get("/projects/").content.decode()
    assert "孝义的项目" in xiaoyi_page and "屯留的项目" not in xiaoyi_page
    city_page = logged_in(lvliang_office).get("/projects/").content.decode()
    assert "孝义的项目" in city_page and "屯留的项目" not in city_page  # 屯留 is in 长治, not 吕梁


def test_detail_of_another_zones_project_is_404(logged_in, make_project, tunliu_staff):
    project = make_project()
    assert logged_in(tunliu_staff).get(f"/projects/{project.pk}/").status_code == 404


def test_create_shows_chinese_errors_and_saves_nothing(logged_in, xiaoyi, xiaoyi_staff):
    client = logged_in(xiaoyi_staff)
    response = client.post(
        "/projects/new/",
        {
            "name": "",
            "zone": xiaoyi.pk,
            "total_investment": "-5",
            "plan_year": TODAY.year,
            "stage": "started",
            "project_code": "2025-12",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请填写项目名称。" in body  # name
    assert "金额不能为负数。" in body or "确保该值大于或等于0" in body
    assert Project.objects.count() == 0


def test_create_at_a_later_stage_checks_dates(logged_in, xiaoyi, xiaoyi_staff):
    client = logged_in(xiaoyi_staff)
    data = {
        "name": "新能源装备制造项目",
        "zone": xiaoyi.pk,
        "total_investment": "50000",
        "plan_year": TODAY.year,
        "stage": "signed",
    }
    body = client.post("/projects/new/", data).content.decode()
    assert "请填写签约日期。" in body and Project.objects.count() == 0
    response = client.post("/projects/new/", data | {"signed_on": TODAY.isoformat()})
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.stage == Stage.SIGNED and project.created_by == xiaoyi_staff


def test_zone_fields_offer_only_that_zones_parks(logged_in, xiaoyi, xiaoyi_park, xiaoyi_staff):
    body = logged_in(xiaoyi_staff).get("/projects/zone-fields/", {"zone": xiaoyi.pk}).content.decode()
    assert "梧桐新材料园" in body and "尽快开工" in body


def test_move_dialog_moves_and_history_shows(logged_in, make_project, xiaoyi_staff):
    project = make_project()
    client = logged_in(xiaoyi_staff)
    dialog = client.get(f"/projects/{project.pk}/move/", HTTP_HX_REQUEST="true").content.decode()
    assert "变更阶段" in dialog and "<html" not in dialog
    bad = client.post(f"/projects/{project.pk}/move/", {"to_stage": "contact"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "请填写对接日期。" in bad.content.decode()
    good = client.post(
        f"/projects/{project.pk}/move/",
        {"to_stage": "contact", "contact_on": TODAY.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 204 and good["HX-Redirect"] == f"/projects/{project.pk}/"
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert "谋划储备 → 初步对接" in detail and "xiaoyi-staff" in detail


def test_milestone_and_progress_entry(logged_in, make_project, xiaoyi_staff):
    project = make_project()
    client = logged_in(xiaoyi_staff)
    url = reverse("projects:milestone_add", args=[project.pk])
    body = client.post(url, {"milestone-name": "", "milestone-planned_on": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "请填写节点名称。" in body and not Milestone.objects.exists()
    client.post(url, {"milestone-name": "取得施工许可", "milestone-planned_on": "2020-01-01"}, HTTP_HX_REQUEST="true")
    milestone = Milestone.objects.get()
    assert "逾期" in client.get(f"/projects/{project.pk}/").content.decode()
    client.post(reverse("projects:milestone_complete", args=[milestone.pk]), {"actual_on": TODAY.isoformat()})
    milestone.refresh_from_db()
    assert milestone.actual_on == TODAY
    body = client.post(
        reverse("projects:progress_add", args=[project.pk]),
        {
            "progress-reported_on": TODAY.isoformat(),
            "progress-text": "设备进场安装",
            "progress-investment": "800",
        },
    ).content.decode()
    assert "设备进场安装" in body and "800" in body


def test_read_only_users_see_no_edit_buttons_and_cannot_post(logged_in, make_project, lvliang_office):
    project = make_project()
    client = logged_in(lvliang_office)
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert project.name in detail and "变更阶段" not in detail
    assert client.post(f"/projects/{project.pk}/move/", {"to_stage": "contact"}).status_code == 403


def test_zone_overview_counts_by_stage(logged_in, make_project, xiaoyi, xiaoyi_staff):
    make_project("甲", total_investment=Decimal("155000"), stage=Stage.CONTACT, stage_dates={"contact_on": TODAY})
    make_project("乙", total_investment=Decimal("10000"))
    page = logged_in(xiaoyi_staff).get(f"/zones/{xiaoyi.pk}/").content.decode()
    assert "谋划储备项目1个，总投资1亿元；初步对接项目1个，总投资15.5亿元。" in page
    assert 'data-testid="zone-investment">16.5<' in page


def test_enterprise_pages(logged_in, xiaoyi, xiaoyi_enterprise, xiaoyi_staff):
    client = logged_in(xiaoyi_staff)
    assert "山西鹏飞集团有限公司" in client.get("/enterprises/").content.decode()
    assert "规上" in client.get(f"/enterprises/{xiaoyi_enterprise.pk}/").content.decode()
    body = client.post(
        "/enterprises/new/", {"name": "测试企业", "zone": xiaoyi.pk, "credit_code": "91350100M000100Y44"}
    ).content.decode()
    assert "统一社会信用代码校验位错误：最后一位应为 3，实际为 4。" in body
    response = client.post(
        "/enterprises/new/", {"name": "测试企业", "zone": xiaoyi.pk, "credit_code": "91350100m000100y43"}
    )
    assert response.status_code == 302


def test_investment_officer_is_told_in_the_dialog_that_filing_is_not_theirs(logged_in, make_project, xiaoyi):
    from kaifaqu.conftest import make_user
    from kaifaqu.zones import roles
    from kaifaqu.zones.models import Unit

    officer = make_user("xiaoyi-invest", Unit.objects.get(zone=xiaoyi), roles.INVESTMENT_OFFICER)
    project = make_project(stage="signed", stage_dates={"signed_on": TODAY})
    client = logged_in(officer)
    response = client.post(
        f"/projects/{project.pk}/move/",
        {"to_stage": "filed", "filed_on": TODAY.isoformat(), "project_code": f"{TODAY.year}-141181-26-03-000123"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "招商专员只能维护备案前" in response.content.decode()
    assert Project.objects.get(pk=project.pk).stage == Stage.SIGNED
    # Within the 招商 stages the same officer may move the project.
    moved = client.post(f"/projects/{project.pk}/move/", {"to_stage": "terminated", "reason": "企业撤资"})
    assert moved.status_code == 302 and Project.objects.get(pk=project.pk).stage == Stage.TERMINATED
