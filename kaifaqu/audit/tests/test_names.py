"""Who did it is shown as a person's name and unit, the login id only on hover and in its own export column."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client

from kaifaqu.conftest import make_user
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit


def _named(user, first_name: str):
    user.first_name = first_name
    user.save(update_fields=["first_name"])
    return user


def _edit(page, project, xiaoyi):
    form = {
        "name": project.name,
        "zone": xiaoyi.pk,
        "total_investment": "62000",
        "plan_year": project.plan_year,
        "year_planned_investment": "0",
        "year_completed_investment": "0",
    }
    assert page.post(f"/projects/{project.pk}/edit/", form).status_code == 302


def test_log_history_and_export_name_the_person_and_unit(make_project, xiaoyi, xiaoyi_staff):
    project = make_project(name="氢能重卡项目", total_investment=50000)
    _named(xiaoyi_staff, "李娜")
    staff = Client()
    staff.force_login(xiaoyi_staff)
    _edit(staff, project, xiaoyi)
    unit = Unit.objects.get(zone=xiaoyi).name
    leader = Client()
    leader.force_login(make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER))

    log = leader.get("/audit/", {"q": "氢能"}).content.decode()
    assert f'<span title="账号：xiaoyi-staff">李娜（{unit}）</span>' in log
    assert ">xiaoyi-staff<" not in log
    assert "氢能重卡项目" in leader.get("/audit/", {"q": "李娜"}).content.decode()  # found by name too

    history = leader.get("/audit/history/", {"record": f"projects.project:{project.pk}"}).content.decode()
    assert f"李娜（{unit}）" in history and ">xiaoyi-staff<" not in history

    export = leader.get("/audit/export/", {"q": "氢能", "format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1:3] == ("用户", "账号")
    assert (f"李娜（{unit}）", "xiaoyi-staff") in [row[1:3] for row in rows[1:]]


def test_a_user_without_a_name_is_shown_by_login_id_and_a_deleted_one_by_the_recorded_id(make_project, xiaoyi):
    project = make_project(name="焦炉煤气制氢项目")
    nameless = make_user("xiaoyi-temp", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    page = Client()
    page.force_login(nameless)
    _edit(page, project, xiaoyi)
    nameless.delete()
    admin = Client()
    admin.force_login(make_user("root", superuser=True))
    log = admin.get("/audit/", {"q": "焦炉"}).content.decode()
    assert '<span title="账号：xiaoyi-temp">xiaoyi-temp</span>' in log
