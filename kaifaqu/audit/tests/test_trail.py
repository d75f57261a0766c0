"""The audit trail as its readers meet it: on the record's page, in the log, in the export."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from kaifaqu.audit.models import AuditEntry
from kaifaqu.conftest import PASSWORD, make_user
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

TODAY = timezone.localdate()


@pytest.fixture
def staff_page(xiaoyi_staff):
    page = Client(REMOTE_ADDR="10.1.2.3")
    page.force_login(xiaoyi_staff)
    return page


def entries_for(project):
    return list(AuditEntry.objects.filter(record_key=f"projects.project:{project.pk}").order_by("id"))


def test_a_page_edit_records_who_when_where_and_each_field(make_project, staff_page, xiaoyi_staff, xiaoyi):
    project = make_project(name="焦炉煤气制氢项目", total_investment=50000)
    form = {
        "name": "焦炉煤气制氢项目（二期）",
        "zone": xiaoyi.pk,
        "total_investment": "62000",
        "plan_year": TODAY.year,
        "year_planned_investment": "0",
        "year_completed_investment": "0",
    }
    response = staff_page.post(f"/projects/{project.pk}/edit/", form)
    assert response.status_code == 302, response.context["form"].errors
    entry = entries_for(project)[-1]
    assert (entry.action, entry.username, entry.source, entry.ip) == ("update", "xiaoyi-staff", "page", "10.1.2.3")
    assert entry.changes["total_investment"] == ["50000.00", "62000.00"]
    assert ("总投资（万元）", "50000.00", "62000.00") in entry.change_rows
    assert entry.changes["name"][1] == "焦炉煤气制氢项目（二期）"
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)
    history = staff_page.get(f"/projects/{project.pk}/").content.decode()
    assert "总投资（万元）：</span>50000.00 → 62000.00" in history and "xiaoyi-staff" in history


def test_api_moves_and_milestones_are_recorded_and_shown_on_the_project(make_project, api, xiaoyi_staff, staff_page):
    project = make_project(stage="contact", stage_dates={"contact_on": TODAY})
    client = api(xiaoyi_staff)
    moved = client.post(
        f"/api/projects/{project.pk}/move/",
        {"to_stage": "intent", "dates": {"intent_on": TODAY.isoformat()}},
        format="json",
    )
    assert moved.status_code == 201
    added = client.post(
        "/api/milestones/",
        {"project": project.pk, "name": "完成用地预审", "planned_on": TODAY.isoformat()},
        format="json",
    )
    assert added.status_code == 201
    move, milestone = entries_for(project)[-2:]
    assert (move.action, move.source) == ("move", "api")
    assert ("项目阶段", "初步对接", "重点意向") in move.change_rows
    assert move.changes["intent_on"] == [None, TODAY.isoformat()]
    assert (milestone.action, milestone.object_label, milestone.object_repr) == ("create", "节点", "完成用地预审")
    page = staff_page.get(f"/projects/{project.pk}/").content.decode()
    assert "项目阶段：</span>初步对接 → 重点意向" in page and "新建节点" in page and "接口" in page


def test_the_trail_cannot_be_changed_or_deleted(make_project, admin_user):
    project = make_project()
    entry = entries_for(project)[0]
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="改写")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    admin = Client()
    admin.force_login(admin_user)
    change_url = f"/admin/audit/auditentry/{entry.pk}/change/"
    assert admin.post(change_url, {"note": "改写"}).status_code == 403
    assert admin.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_logins_and_failed_logins_are_recorded(xiaoyi_staff):
    browser = Client(REMOTE_ADDR="10.9.8.7")
    browser.post("/accounts/login/", {"username": "xiaoyi-staff", "password": "wrong"})
    browser.post("/accounts/login/", {"username": "xiaoyi-staff", "password": PASSWORD})
    failed, login = AuditEntry.objects.filter(action__in=["login", "login_failed"]).order_by("id")
    assert (failed.action, failed.username, failed.ip, failed.user) == (
        "login_failed",
        "xiaoyi-staff",
        "10.9.8.7",
        None,
    )
    assert (login.action, login.user, login.ip, login.source) == ("login", xiaoyi_staff, "10.9.8.7", "page")


def test_log_page_and_export_for_leaders_only_and_the_export_is_recorded(make_project, xiaoyi, tunliu_staff):
    make_project(name="氢能重卡项目")
    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    officer = Client()
    officer.force_login(tunliu_staff)
    assert officer.get("/audit/").status_code == 403
    page = Client()
    page.force_login(leader)
    listing = page.get("/audit/", {"q": "氢能"}).content.decode()
    assert "氢能重卡项目" in listing and "共 <strong>1</strong> 条记录" in listing
    export = page.get("/audit/export/", {"q": "氢能", "format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:6] == ("时间", "用户", "账号", "来源", "IP 地址", "操作")
    assert ("项目名称", None, "氢能重卡项目") in [(row[8], row[9], row[10]) for row in rows[1:]]
    recorded = AuditEntry.objects.filter(action="export").get()
    assert (recorded.username, recorded.unit_id) == ("xiaoyi-leader", Unit.objects.get(zone=xiaoyi).pk)
    assert "导出" in page.get("/audit/", {"action": "export"}).content.decode()


def test_history_of_a_record_outside_the_scope_is_404(make_project, tunliu_staff):
    project = make_project()
    page = Client()
    page.force_login(tunliu_staff)
    assert page.get("/audit/history/", {"record": f"projects.project:{project.pk}"}).status_code == 404
    assert page.get("/audit/history/", {"record": "auth.user:1"}).status_code == 404


def test_admin_changes_are_recorded_with_source_admin(admin_user, xiaoyi, xiaoyi_staff):
    from kaifaqu.zones.models import Membership

    admin = Client(REMOTE_ADDR="10.4.4.4")
    admin.force_login(admin_user)
    membership = Membership.objects.get(user=xiaoyi_staff)
    leader = membership.roles.model.objects.get(code=roles.LEADER)
    response = admin.post(
        f"/admin/zones/membership/{membership.pk}/change/",
        {"user": xiaoyi_staff.pk, "unit": membership.unit_id, "title": "副主任", "roles": [leader.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    entries = AuditEntry.objects.filter(object_key=f"zones.membership:{membership.pk}").order_by("id")
    assert [(e.source, e.ip, e.username) for e in entries] == [("admin", "10.4.4.4", "root")] * 2
    fields, links = entries
    assert fields.changes["title"] == [None, "副主任"]
    assert links.changes["roles"] == ["项目专员", "领导"]
    password = admin.post(
        f"/admin/auth/user/{xiaoyi_staff.pk}/password/",
        {"password1": "Xiaoyi-Pass-2026", "password2": "Xiaoyi-Pass-2026", "usable_password": "true"},
    )
    assert password.status_code == 302
    changed = AuditEntry.objects.filter(object_key=f"auth.user:{xiaoyi_staff.pk}").last()
    assert changed.changes["password"] == ["******", "******"]
