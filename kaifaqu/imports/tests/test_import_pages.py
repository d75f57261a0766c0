"""The import pages: upload, mapping, preview, commit, error file; and the list exports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaifaqu.audit.models import AuditEntry
from kaifaqu.conftest import make_user
from kaifaqu.imports.models import ImportJob, SavedMapping
from kaifaqu.projects.models import Project
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

from .files import write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks(settings, tmp_path):
    """Tasks run in the request here (the browser test runs them in the background)."""
    settings.KAIFAQU_TASKS_EAGER = True
    settings.DATA_DIR = tmp_path / "data"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, path, **fields):
    data = {"kind": "projects", "file": SimpleUploadedFile(path.name, path.read_bytes()), **fields}
    return client.post(reverse("imports:index"), data)


def ledger(tmp_path, name="台账.xlsx", rows=None):
    rows = rows or [
        ["屯留经开区重点项目台账"],
        ["项目名称", "总投资（亿元）", "责任单位", "联系人", "开发区"],
        ["煤层气综合利用", 2.5, "发改局", "重点", "孝义"],
        ["光伏组件", "8000万", "工信局", None, "孝义"],
    ]
    return write_xlsx(tmp_path / name, rows)


def test_upload_map_preview_commit_and_the_mapping_is_offered_next_time(tmp_path, xiaoyi, xiaoyi_staff):
    client = client_for(xiaoyi_staff)
    response = upload(client, ledger(tmp_path))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.header_row == 2 and job.status == ImportJob.Status.MAPPING
    assert [(c["header"], c["key"]) for c in job.columns] == [
        ("项目名称", "name"),
        ("总投资（亿元）", "total_investment"),
        ("责任单位", "task_force"),
        ("联系人", ""),
        ("开发区", "zone"),
    ]
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "煤层气综合利用" in page and "列对应关系" in page

    # The office keeps 责任单位 to itself: leave that column out.
    choices = {f"col-{c['index']}": c["key"] for c in job.columns} | {"col-2": ""}
    client.post(reverse("imports:mapping", args=[job.pk]), choices)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.result["created"] == 2
    assert not Project.objects.exists()  # a preview writes nothing
    page = client.get(reverse("imports:detail", args=[job.pk]), {"show": "rows"}).content.decode()
    assert "新增 <strong>2</strong>" in page and "25000.00" in page

    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert sorted(Project.objects.values_list("name", "total_investment", "task_force")) == [
        ("光伏组件", Decimal("8000.00"), ""),
        ("煤层气综合利用", Decimal("25000.00"), ""),
    ]
    assert AuditEntry.objects.filter(source="import", action="create", object_label="项目").count() == 2
    saved = SavedMapping.objects.get(unit=Unit.objects.get(zone=xiaoyi), kind="projects")
    assert saved.mapping["责任单位"] == ""

    upload(client, ledger(tmp_path, "第二次.xlsx"))
    second = ImportJob.objects.latest("id")
    assert {c["header"]: c["key"] for c in second.columns}["责任单位"] == ""


def test_errors_block_the_commit_and_come_back_in_the_workbook(tmp_path, xiaoyi, xiaoyi_staff):
    rows = [
        ["项目名称", "总投资（万元）", "开发区"],
        ["好项目", 100, "孝义"],
        ["坏项目", "很多", "孝义"],
    ]
    client = client_for(xiaoyi_staff)
    upload(client, ledger(tmp_path, "错.xlsx", rows))
    job = ImportJob.objects.get()
    client.post(reverse("imports:mapping", args=[job.pk]), {})
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "第3行" in page and "“很多”不是金额（应为数字，可带“万元”“亿元”）" in page

    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.message == "有错误，未写入任何数据。" and not Project.objects.exists()

    workbook = load_workbook(io.BytesIO(client.get(reverse("imports:errors", args=[job.pk])).content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == ["项目名称", "总投资（万元）", "开发区", "错误说明"]
    assert sheet["D3"].value == "总投资（万元）: “很多”不是金额（应为数字，可带“万元”“亿元”）"
    assert sheet["D2"].value is None

    client.post(reverse("imports:commit", args=[job.pk]), {"keep_valid": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert list(Project.objects.values_list("name", flat=True)) == ["好项目"]


def test_a_file_that_is_not_a_ledger_is_refused_in_chinese(tmp_path, xiaoyi, xiaoyi_staff):
    client = client_for(xiaoyi_staff)
    fake = tmp_path / "台账.xlsx"
    fake.write_text("not a workbook")
    page = upload(client, fake).content.decode()
    assert "文件“台账.xlsx”的内容不是Excel 工作簿（可能改过扩展名或已损坏）。" in page
    page = upload(client, write_xlsx(tmp_path / "无表头.xlsx", [["甲", "乙"], [1, 2]])).content.decode()
    assert "没有找到表头：需要一行写有“项目名称”等列名。" in page
    assert not ImportJob.objects.exists()


def test_a_leader_cannot_import(tmp_path, xiaoyi):
    leader = make_user("leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    client = client_for(leader)
    response = upload(client, ledger(tmp_path))
    assert response.status_code == 403 and "您的角色没有导入台账的权限" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert f'href="{reverse("imports:index")}"' not in client.get(reverse("projects:list")).content.decode()


def test_list_export_follows_the_filters_and_scope(xiaoyi, tunliu, make_project, tunliu_staff, xiaoyi_staff):
    make_project("孝义甲", total_investment=Decimal("10000"))
    make_project("孝义乙", total_investment=Decimal("30000"), priority_level="province")
    make_project("屯留丙", zone=tunliu, user=tunliu_staff)
    client = client_for(xiaoyi_staff)
    response = client.get(reverse("imports:export_projects"), {"priority_level": "province", "unit": "亿元"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["孝义乙", "共1个"]
    assert sheet["A1"].value.startswith("孝义经济技术开发区重点项目台账（截至")
    csv_text = client.get(reverse("imports:export_projects"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "孝义甲" in csv_text and "屯留丙" not in csv_text
    assert AuditEntry.objects.filter(action="export", user=xiaoyi_staff).count() == 2


def test_an_import_cut_off_by_a_restart_is_marked_failed(xiaoyi, xiaoyi_staff):
    import os
    import time

    job = ImportJob.objects.create(
        kind="projects", user=xiaoyi_staff, file_name="断.xlsx", extension="xlsx", status=ImportJob.Status.COMMITTING
    )
    job.path.parent.mkdir(parents=True, exist_ok=True)
    job.progress_path.write_text('{"done": 500, "total": 10000}')
    client = client_for(xiaoyi_staff)
    assert "已处理到第 500 行" in client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    an_hour_ago = time.time() - 3600
    os.utime(job.progress_path, (an_hour_ago, an_hour_ago))
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "导入已中断（服务可能重启过），未写入任何数据" in page


def test_a_workbook_with_several_sheets_can_switch_sheet(tmp_path, xiaoyi, xiaoyi_staff):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本表为孝义经开区重点项目，填报说明见下。"])
    projects = workbook.create_sheet("续建项目")
    projects.append(["项目名称", "总投资（万元）", "开发区"])
    projects.append(["焦化二期", 5000, "孝义"])
    path = tmp_path / "多表.xlsx"
    workbook.save(path)
    client = client_for(xiaoyi_staff)
    upload(client, path)  # the first sheet is only notes: the ledger sheet is found
    job = ImportJob.objects.get()
    assert job.sheet == "续建项目" and job.result["sheet_names"] == ["说明", "续建项目"]
    response = client.post(reverse("imports:sheet", args=[job.pk]), {"sheet": "说明"}, follow=True)
    assert "在工作表“说明”的前 30 行中没有找到表头" in response.content.decode()
    client.post(reverse("imports:sheet", args=[job.pk]), {"sheet": "续建项目"})
    client.post(reverse("imports:mapping", args=[job.pk]))
    client.post(reverse("imports:commit", args=[job.pk]))
    assert Project.objects.get().name == "焦化二期"
