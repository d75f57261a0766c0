"""The shared catalogues in the app: 诉求办理时限 and 代办审批事项 — who may change them, the rules,
the audit trail, and that requests and checklists made afterwards follow the change."""

import datetime

import pytest

from kaifaqu.audit.models import AuditEntry
from kaifaqu.conftest import make_user
from kaifaqu.core.rights import can
from kaifaqu.regions.models import Region
from kaifaqu.services import agency, services
from kaifaqu.services.levels import DEFAULT_DAYS
from kaifaqu.services.models import AgencyItem, ApprovalType, ServiceLevel
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region

LEVELS = "/requests/levels/"
APPROVALS = "/agency/approvals/"
MARCH = datetime.date(2026, 3, 2)


@pytest.fixture
def office_admin(xiaoyi, tunliu):
    """吕梁市's office system administrator (holds every code)."""
    return make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)


@pytest.fixture
def liaison(xiaoyi):
    return make_user("xiaoyi-liaison", Unit.objects.get(zone=xiaoyi), roles.LIAISON_OFFICER)


@pytest.fixture
def enterprise_user(xiaoyi_enterprise):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    return make_user("pengfei", unit, roles.ENTERPRISE_USER)


def levels_post(**changes) -> dict[str, int]:
    """The whole table as shipped, with ``changes`` (``land_days=40``) applied."""
    data = {}
    for category, (days, urgent_days) in DEFAULT_DAYS.items():
        data[f"{category}-days"], data[f"{category}-urgent_days"] = days, urgent_days
    for key, value in changes.items():
        category, field = key.split("_", 1)
        data[f"{category}-{field}"] = value
    return data


def stored_levels() -> dict[str, tuple[int, int]]:
    return {level.category: (level.days, level.urgent_days) for level in ServiceLevel.objects.all()}


def file_land_request(user, enterprise, **given):
    return services.request_file(
        user=user, enterprise=enterprise, title="用地指标未落实", category="land", received_on=MARCH, **given
    )


# --- who may edit -----------------------------------------------------------------------------------------------


def test_offices_with_request_or_zone_rights_edit_zones_and_enterprises_do_not(
    office_admin, admin_user, lvliang_office, xiaoyi_staff, liaison, enterprise_user
):
    statistician = make_user("lvliang-stat", Unit.objects.get(region__code="141100"), roles.STATISTICIAN)
    assert can(office_admin, "catalogue.change") and can(admin_user, "catalogue.change")
    # An office's 领导 and 统计员 hold neither code; a zone's staff hold them only for their zone.
    for user in (lvliang_office, statistician, xiaoyi_staff, liaison, enterprise_user):
        assert not can(user, "catalogue.change"), user.username


# --- 诉求办理时限 ------------------------------------------------------------------------------------------


def test_an_office_admin_changes_land_days_and_new_requests_follow(client, office_admin, liaison, xiaoyi_enterprise):
    before = file_land_request(liaison, xiaoyi_enterprise)
    assert before.due_on == MARCH + datetime.timedelta(days=30)
    client.force_login(office_admin)
    page = client.get(LEVELS)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="land-days"' in text and "已受理诉求的办结时限不会重新计算" in text

    response = client.post(LEVELS, levels_post(land_days=40, land_urgent_days=20), follow=True)
    assert response.redirect_chain[-1][0] == LEVELS
    assert "已修改 1 个类别的办理时限" in response.content.decode()
    assert stored_levels()["land"] == (40, 20)

    normal = file_land_request(liaison, xiaoyi_enterprise)
    urgent = file_land_request(liaison, xiaoyi_enterprise, urgency="urgent")
    assert normal.due_on == MARCH + datetime.timedelta(days=40)
    assert urgent.due_on == MARCH + datetime.timedelta(days=20)
    before.refresh_from_db()
    assert before.due_on == MARCH + datetime.timedelta(days=30)  # deadlines given are kept

    land = ServiceLevel.objects.get(category="land")
    entry = AuditEntry.objects.get(object_key=f"services.servicelevel:{land.pk}")
    assert entry.action == "update" and entry.username == "lvliang-admin"
    assert entry.changes == {"days": ["30", "40"], "urgent_days": ["15", "20"]}


def test_urgent_longer_than_normal_is_refused_and_nothing_is_saved(client, office_admin):
    client.force_login(office_admin)
    shipped = stored_levels()
    response = client.post(LEVELS, levels_post(funding_days=25, land_urgent_days=31, labour_days=0))
    assert response.status_code == 400
    text = response.content.decode()
    assert "土地：紧急诉求的时限不能长于一般时限" in text
    assert "用工的办理时限（天）至少为 1 天" in text
    assert stored_levels() == shipped  # 资金's valid change waits for the table to be right
    assert not AuditEntry.objects.filter(object_key__startswith="services.servicelevel:").exists()

    blank = client.post(LEVELS, levels_post(other_days=""))
    assert "其他的办理时限（天）不能为空" in blank.content.decode() and stored_levels() == shipped


def test_zone_users_read_the_levels_and_get_403_on_post(client, xiaoyi_staff, enterprise_user):
    for user in (xiaoyi_staff, enterprise_user):
        client.force_login(user)
        page = client.get(LEVELS)
        text = page.content.decode()
        assert page.status_code == 200 and 'data-testid="read-only"' in text
        table = text.split('data-testid="levels"')[1].split("</form>")[0]
        assert "<input" not in table.replace('<input type="hidden" name="csrfmiddlewaretoken"', "")
        assert "<button" not in table
        assert "30" in text  # 土地's days shown as text

        refused = client.post(LEVELS, levels_post(land_days=99))
        assert refused.status_code == 403 and 'data-testid="forbidden"' in refused.content.decode()
        assert "市、省主管部门" in refused.content.decode()
    assert stored_levels()["land"] == (30, 15)


# --- 代办审批事项 --------------------------------------------------------------------------------------------


def test_zone_users_read_the_approvals_without_buttons_and_get_403_on_post(client, xiaoyi_staff, enterprise_user):
    approval = ApprovalType.objects.get(name="施工许可")
    for user in (xiaoyi_staff, enterprise_user):
        client.force_login(user)
        text = client.get(APPROVALS).content.decode()
        table = text.split('data-testid="approvals"')[1].split("</table>")[0]
        assert "施工许可" in table and "<form" not in table and "编辑" not in table
        assert 'data-testid="approval-create"' not in text
        assert client.get(f"{APPROVALS}new/").status_code == 403
        for url, data in (
            (f"{APPROVALS}{approval.pk}/", {"name": "改名"}),
            (f"{APPROVALS}{approval.pk}/delete/", {}),
            (f"{APPROVALS}{approval.pk}/active/", {"active": "0"}),
        ):
            refused = client.post(url, data)
            assert refused.status_code == 403 and 'data-testid="forbidden"' in refused.content.decode(), url
    approval.refresh_from_db()
    assert (approval.name, approval.active) == ("施工许可", True)


def test_an_approval_in_use_is_not_deleted_but_can_be_paused(client, office_admin, xiaoyi_staff, make_project):
    first = make_project("鹏飞焦炉煤气制氢项目")
    agency.checklist_create(user=xiaoyi_staff, project=first, kind="new")
    assessment = ApprovalType.objects.get(name="环境影响评价")
    client.force_login(office_admin)

    refused = client.post(f"{APPROVALS}{assessment.pk}/delete/", follow=True)
    text = refused.content.decode()
    assert "审批事项“环境影响评价”已列入项目的代办清单，不能删除" in text and "可以停用" in text
    assert ApprovalType.objects.filter(pk=assessment.pk).exists()

    paused = client.post(f"{APPROVALS}{assessment.pk}/active/", {"active": "0"}, follow=True)
    assert "已停用“环境影响评价”" in paused.content.decode()
    assessment.refresh_from_db()
    assert not assessment.active
    entry = AuditEntry.objects.get(object_key=f"services.approvaltype:{assessment.pk}")
    assert entry.changes == {"active": ["是", "否"]}

    second = make_project("鹏飞二期项目")
    names = [item.approval_type.name for item in agency.checklist_create(user=xiaoyi_staff, project=second, kind="new")]
    assert "环境影响评价" not in names and "立项备案" in names
    assert AgencyItem.objects.filter(project=first, approval_type=assessment).exists()  # existing item kept


def test_an_unused_approval_is_deleted(client, office_admin):
    unused = ApprovalType.objects.create(name="水土保持方案审批", standard_days=20, kinds=["new"])
    client.force_login(office_admin)
    response = client.post(f"{APPROVALS}{unused.pk}/delete/", follow=True)
    assert "已删除审批事项“水土保持方案审批”" in response.content.decode()
    assert not ApprovalType.objects.filter(pk=unused.pk).exists()
    assert AuditEntry.objects.get(object_key=f"services.approvaltype:{unused.pk}").action == "delete"


def test_a_new_approval_for_new_builds_enters_new_checklists(client, office_admin, xiaoyi_staff, make_project):
    client.force_login(office_admin)
    form = {"name": "水土保持方案审批", "standard_days": "20", "kinds": ["new"], "department": "水利局", "order": "25"}
    form["active"] = "on"
    response = client.post(f"{APPROVALS}new/", form, follow=True)
    assert "审批事项“水土保持方案审批”已保存" in response.content.decode()
    created = ApprovalType.objects.get(name="水土保持方案审批")
    assert (created.kinds, created.standard_days, created.department, created.active) == (["new"], 20, "水利局", True)
    assert AuditEntry.objects.get(object_key=f"services.approvaltype:{created.pk}").action == "create"

    build = make_project("新建厂房项目")
    names = [item.approval_type.name for item in agency.checklist_create(user=xiaoyi_staff, project=build, kind="new")]
    assert names.index("水土保持方案审批") == names.index("用地预审与选址意见") + 1  # order 25: after 20
    retrofit = make_project("技改项目")
    equipment = agency.checklist_create(user=xiaoyi_staff, project=retrofit, kind="equipment")
    assert "水土保持方案审批" not in [item.approval_type.name for item in equipment]


def test_approval_rules_are_named_in_chinese(client, office_admin):
    client.force_login(office_admin)
    given = {"name": "施工许可", "standard_days": "0", "department": "", "order": "10"}
    response = client.post(f"{APPROVALS}new/", given)
    assert response.status_code == 400
    text = response.content.decode()
    assert "请至少选择一种适用的项目类型" in text and "承诺办理时限至少为 1 天" in text

    duplicate = client.post(f"{APPROVALS}new/", given | {"standard_days": "7", "kinds": ["new"]})
    assert duplicate.status_code == 400 and "已有同名的审批事项" in duplicate.content.decode()
    assert ApprovalType.objects.filter(name="施工许可").count() == 1

    permit = ApprovalType.objects.get(name="施工许可")
    edited = client.post(
        f"{APPROVALS}{permit.pk}/",
        {"name": "施工许可", "standard_days": "5", "kinds": ["expand", "new"], "order": "110", "active": "on"},
    )
    assert edited.status_code == 302
    permit.refresh_from_db()
    assert (permit.standard_days, permit.kinds) == (5, ["new", "expand"])
    entry = AuditEntry.objects.get(object_key=f"services.approvaltype:{permit.pk}")
    assert entry.changes == {"standard_days": ["7", "5"], "department": ["行政审批局", None]}
