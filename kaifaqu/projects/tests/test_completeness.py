"""数据完整度: gaps that history left (待补录), counted, listed, exported to fill in, and filled.

The projects come in through the real importer (an office's ledger with stages but no
dates or codes) and the real services (complete ones, a terminated one), in two zones
of two cities, so every count is also checked for leaks across scopes.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaifaqu.audit.models import AuditEntry
from kaifaqu.conftest import make_user
from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import ledger_kind
from kaifaqu.imports.tests.files import write_xlsx
from kaifaqu.projects import services
from kaifaqu.projects.completeness import GAPS, gap_counts
from kaifaqu.projects.ledger.fill_sheet import NOT_APPLICABLE, TO_FILL
from kaifaqu.projects.models import Project, Stage
from kaifaqu.projects.selectors import project_timeline
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.services import unit_for_region

YEAR = 2025
SIGNED = datetime.date(2025, 3, 1)

# What 孝义's ledger lacks, counted by hand: gap → (missing, expected), all plan years …
XIAOYI_ALL = {
    "signed_on": (5, 8),
    "filed_on": (5, 7),
    "project_code": (5, 7),
    "started_on": (5, 7),
    "completed_on": (1, 2),
    "producing_on": (2, 3),
    "at_capacity_on": (1, 2),
    "in_statistics_on": (1, 2),
    "enterprise": (6, 8),
    "industry": (8, 10),
}
# … and in the 2025 plan year (the 2024 lead lacks only its industry).
XIAOYI_2025 = XIAOYI_ALL | {"industry": (7, 9)}
TUNLIU_2025 = dict.fromkeys(XIAOYI_ALL, (0, 0)) | {
    "signed_on": (1, 1),
    "filed_on": (1, 1),
    "project_code": (1, 1),
    "started_on": (1, 1),
    "enterprise": (1, 1),
    "industry": (1, 1),
}
LACKING = {
    "煤焦油深加工项目",
    "氢能重卡项目",
    "光伏组件项目",
    "焦化升级项目",
    "碳纤维项目",
    "招商洽谈项目",
    "终止的项目",
}
XIAOYI_LACKING = LACKING | {"去年的线索"}
FILL_HEADERS = ["序号", "项目代码", "项目名称", "开发区", "项目阶段", "签约日期", "备案日期", "开工日期"]
FILL_HEADERS += ["竣工日期", "投产日期", "达产日期", "入统日期", "建设单位", "产业类别"]


def import_ledger(path, user, zone):
    return run_import(ledger_kind("projects"), path, extension="xlsx", user=user, zone=zone, commit=True)


def office_ledger(tmp_path, name: str, rows: list[list]):
    """A ledger as offices keep it: a title, 序号, 总投资 in 亿元, stage words, few dates."""
    header = ["序号", "项目名称", "总投资（亿元）", "项目阶段", "签约日期", "是否入统"]
    numbered = [[number, *row] for number, row in enumerate(rows, start=1)]
    return write_xlsx(tmp_path / name, [[f"{YEAR}年重点项目台账"], header, *numbered])


@pytest.fixture
def ledger(tmp_path, xiaoyi, tunliu, xiaoyi_staff, tunliu_staff, make_project, xiaoyi_enterprise):
    """孝义: six projects from an office's ledger with their gaps, a terminated one, two complete
    ones and a lead of 2024 without its industry; 屯留: one project under construction with gaps."""
    result = import_ledger(
        office_ledger(
            tmp_path,
            "孝义台账.xlsx",
            [
                ["煤焦油深加工项目", 3.5, "已签约", None, None],
                ["氢能重卡项目", 5, "在建", SIGNED, None],
                ["光伏组件项目", 8, "已投产", None, "是"],
                ["焦化升级项目", 12, "已竣工", None, None],
                ["碳纤维项目", 2, "已达产", None, None],
                ["招商洽谈项目", 1, "重点意向", None, None],
                ["终止的项目", 1, "在建", None, None],
            ],
        ),
        xiaoyi_staff,
        xiaoyi,
    )
    assert result.errors == [] and result.created == 7
    services.project_move_stage(
        user=xiaoyi_staff, project=Project.objects.get(name="终止的项目"), to_stage=Stage.TERMINATED, reason="企业撤资"
    )
    day = datetime.date(2024, 5, 1)
    complete = {"enterprise": xiaoyi_enterprise, "industry": "焦化", "plan_year": YEAR}
    make_project(
        "完整的在建项目",
        stage=Stage.STARTED,
        stage_dates={"signed_on": day, "filed_on": day, "started_on": day},
        project_code="2024-141181-26-03-000001",
        **complete,
    )
    make_project(
        "完整的达产项目",
        stage=Stage.AT_CAPACITY,
        stage_dates={name: day for name in ("signed_on", "filed_on", "started_on", "producing_on", "at_capacity_on")},
        project_code="2024-141181-26-03-000002",
        completed=True,
        completed_on=day,
        in_statistics=True,
        in_statistics_on=day,
        **complete,
    )
    make_project("去年的线索", plan_year=2024, industry="")
    result = import_ledger(
        office_ledger(tmp_path, "屯留台账.xlsx", [["屯留在建项目", 3, "在建", None, None]]), tunliu_staff, tunliu
    )
    assert result.errors == [] and result.created == 1


@pytest.fixture
def shanxi_office(ledger):
    return make_user("shanxi-office", unit_for_region(region=Region.objects.get(code="140000")), roles.LEADER)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def card_counts(card) -> dict[str, tuple[int, int]]:
    return {count.gap.key: (count.missing, count.expected) for count, _ in card.figures}


def listed(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    total = int(re.search(r"共 <strong>(\d+)</strong> 个项目", response.content.decode()).group(1))
    assert total == len(rows)  # one page: nothing hidden behind the paginator
    return {row.name for row in rows}


# ------------------------------------------------------------------ the declaration


def test_each_gaps_filter_and_its_test_on_one_project_agree(ledger):
    projects = list(Project.objects.all())
    assert len(projects) == 11
    for gap in GAPS:
        by_filter = set(Project.objects.filter(gap.q).values_list("name", flat=True))
        by_test = {project.name for project in projects if gap.lacks(project)}
        assert by_filter == by_test, gap.key
        applies = set(Project.objects.filter(gap.applies).values_list("name", flat=True))
        assert applies == {project.name for project in projects if gap.applies_to(project)}, gap.key
        # Not vacuous: each gap is both lacking somewhere and filled somewhere it applies.
        assert by_filter and applies - by_filter, gap.key


def test_terminated_project_counts_where_it_stopped(ledger):
    stopped = Project.objects.get(name="终止的项目")
    assert stopped.stage == Stage.TERMINATED and stopped.terminated_from == Stage.STARTED
    lacking = {gap.key for gap in GAPS if gap.lacks(stopped)}
    assert lacking == {"signed_on", "filed_on", "project_code", "started_on", "enterprise", "industry"}


def test_timeline_marks_key_steps_passed_without_a_date(ledger):
    steps = {step.stage: step for step in project_timeline(Project.objects.get(name="氢能重卡项目"))}
    assert not steps[Stage.SIGNED].missing and steps[Stage.SIGNED].date == SIGNED
    assert steps[Stage.FILED].missing and steps[Stage.STARTED].missing  # 在建, its 开工日期 待补录
    assert not steps[Stage.CONTACT].missing  # a lead stage may be passed without a date
    assert not steps[Stage.PRODUCING].missing  # not reached


# ------------------------------------------------------------------ counts on the pages


def test_zone_page_counts_the_zones_projects_of_every_year(ledger, xiaoyi, tunliu, xiaoyi_staff):
    client = logged_in(xiaoyi_staff)
    response = client.get(reverse("zones:detail", args=[xiaoyi.pk]), {"year": YEAR})
    card = response.context["completeness"]
    assert card_counts(card) == XIAOYI_ALL and card.lacking == 8
    page = response.content.decode()
    assert 'data-testid="completeness"' in page and "缺 5 / 8" in page and "37.5%" in page
    figures = dict((count.gap.key, url) for count, url in card.figures)
    assert figures["signed_on"] == f"/projects/?zone={xiaoyi.pk}&gap=signed_on"
    assert client.get(reverse("zones:detail", args=[tunliu.pk])).status_code == 404


@pytest.mark.parametrize("user", ["xiaoyi-staff", "lvliang-office"])
def test_dashboard_counts_the_years_projects_of_a_zone_or_city(ledger, lvliang_office, user):
    from django.contrib.auth import get_user_model

    response = logged_in(get_user_model().objects.get(username=user)).get(reverse("dashboard:index"), {"year": YEAR})
    card = response.context["completeness"]
    assert card_counts(card) == XIAOYI_2025  # 屯留 (长治) is in neither scope
    assert card.lacking == 7


def test_province_sees_every_city_and_each_city_alone(ledger, shanxi_office, tunliu):
    client = logged_in(shanxi_office)
    both = client.get(reverse("dashboard:index"), {"year": YEAR}).context["completeness"]
    summed = {key: tuple(map(sum, zip(XIAOYI_2025[key], TUNLIU_2025[key], strict=True))) for key in XIAOYI_ALL}
    assert card_counts(both) == summed
    changzhi = client.get(reverse("dashboard:index"), {"year": YEAR, "city": "140400"}).context["completeness"]
    assert card_counts(changzhi) == TUNLIU_2025
    url = dict((count.gap.key, url) for count, url in changzhi.figures)["started_on"]
    assert "city=140400" in url and f"year={YEAR}" in url and "gap=started_on" in url
    assert listed(client, url) == {"屯留在建项目"}


def test_a_zone_with_nothing_missing_says_so(xiaoyi, xiaoyi_staff, xiaoyi_enterprise, make_project):
    make_project("完整的项目", enterprise=xiaoyi_enterprise, industry="焦化", plan_year=YEAR)
    response = logged_in(xiaoyi_staff).get(reverse("zones:detail", args=[xiaoyi.pk]))
    assert response.context["completeness"].lacking == 0
    assert 'data-testid="all-complete">全部完整' in response.content.decode()


# ------------------------------------------------------------------ the list


def test_list_shows_exactly_the_projects_lacking_each_field(ledger, xiaoyi_staff):
    client = logged_in(xiaoyi_staff)
    projects = list(Project.objects.filter(zone__short_name="孝义经开区"))
    for gap in GAPS:
        expected = {project.name for project in projects if gap.lacks(project)}
        assert listed(client, f"/projects/?gap={gap.key}") == expected, gap.key
    assert listed(client, "/projects/?gap=any") == XIAOYI_LACKING
    page = client.get("/projects/", {"gap": "signed_on"}).content.decode()
    assert "缺签约日期（待补录）" in page and 'data-testid="fill-sheet"' in page
    assert 'data-testid="fill-sheet"' not in client.get("/projects/", {"stage": "started"}).content.decode()


# ------------------------------------------------------------------ the fill-in sheet


def download_sheet(client: Client, **filters):
    response = client.get(reverse("projects:fill_sheet"), filters)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows_by_name(sheet) -> dict[str, dict]:
    """Each data row as {header: cell}, keyed by 项目名称."""
    headers = [cell.value for cell in sheet[2]]
    rows = {}
    for row in sheet.iter_rows(min_row=3):
        cells = dict(zip(headers, row, strict=True))
        rows[cells["项目名称"].value] = cells
    return rows


def fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else ""


def test_fill_sheet_lists_the_gaps_to_fill_and_what_does_not_apply(ledger, xiaoyi, xiaoyi_staff):
    workbook = download_sheet(logged_in(xiaoyi_staff), zone=xiaoyi.pk, gap="any")
    assert workbook.sheetnames == ["补录表", "填写说明"]
    sheet = workbook["补录表"]
    assert sheet["A1"].value.startswith("孝义经济技术开发区项目信息补录表（截至")
    assert [cell.value for cell in sheet[2]] == FILL_HEADERS
    rows = rows_by_name(sheet)
    assert set(rows) == XIAOYI_LACKING  # and not 屯留's project, nor the complete ones
    hydrogen = rows["氢能重卡项目"]
    assert hydrogen["项目阶段"].value == "已开工（在建）" and hydrogen["开发区"].value == "孝义经济技术开发区"
    assert hydrogen["签约日期"].value.date() == SIGNED and fill(hydrogen["签约日期"]) == ""
    for header in ("项目代码", "备案日期", "开工日期", "建设单位", "产业类别"):
        assert hydrogen[header].value is None and fill(hydrogen[header]) == TO_FILL, header
    for header in ("竣工日期", "投产日期", "达产日期", "入统日期"):
        assert hydrogen[header].value is None and fill(hydrogen[header]) == NOT_APPLICABLE, header
    assert fill(rows["光伏组件项目"]["入统日期"]) == TO_FILL and fill(rows["焦化升级项目"]["竣工日期"]) == TO_FILL
    lead = rows["招商洽谈项目"]
    assert [fill(lead[h]) for h in ("项目代码", "签约日期", "建设单位", "产业类别")] == [NOT_APPLICABLE] * 3 + [TO_FILL]
    notes = "\n".join(str(row[0].value) for row in workbook["填写说明"].iter_rows())
    assert "2025-03-15" in notes and "留空" in notes and "导入台账" in notes
    export = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert export.note == "导出项目补录表（8 个项目）" and export.user == xiaoyi_staff


def test_fill_sheet_of_one_gap_and_of_another_scope(ledger, xiaoyi_staff, shanxi_office):
    rows = rows_by_name(download_sheet(logged_in(xiaoyi_staff), gap="producing_on")["补录表"])
    assert set(rows) == {"光伏组件项目", "碳纤维项目"}
    rows = rows_by_name(download_sheet(logged_in(xiaoyi_staff))["补录表"])  # no filter: all that lack anything
    assert set(rows) == XIAOYI_LACKING
    rows = rows_by_name(download_sheet(logged_in(shanxi_office), city="140400", gap="any")["补录表"])
    assert set(rows) == {"屯留在建项目"}


def test_filled_sheet_imports_back_and_the_gaps_close(ledger, xiaoyi, xiaoyi_staff, tmp_path):
    before = {count.gap.key: count.missing for count in gap_counts(Project.objects.filter(zone=xiaoyi))}
    workbook = download_sheet(logged_in(xiaoyi_staff), zone=xiaoyi.pk, gap="any")
    rows = rows_by_name(workbook["补录表"])
    rows["煤焦油深加工项目"]["签约日期"].value = datetime.date(2025, 4, 1)
    rows["氢能重卡项目"]["项目代码"].value = "2025-141181-26-03-000123"
    rows["氢能重卡项目"]["开工日期"].value = datetime.date(2025, 5, 10)
    path = tmp_path / "补录表.xlsx"
    workbook.save(path)

    result = import_ledger(path, xiaoyi_staff, xiaoyi)

    assert result.errors == [] and result.committed
    assert (result.updated, result.unchanged, result.created, result.skipped) == (2, 6, 0, 0)
    tar = Project.objects.get(name="煤焦油深加工项目")
    assert tar.signed_on == datetime.date(2025, 4, 1) and tar.stage == Stage.SIGNED
    hydrogen = Project.objects.get(name="氢能重卡项目")
    assert (hydrogen.project_code, hydrogen.started_on) == ("2025-141181-26-03-000123", datetime.date(2025, 5, 10))
    assert hydrogen.signed_on == SIGNED and hydrogen.filed_on is None and hydrogen.stage == Stage.STARTED
    after = {count.gap.key: count.missing for count in gap_counts(Project.objects.filter(zone=xiaoyi))}
    dropped = {key for key in before if after[key] != before[key]}
    assert dropped == {"signed_on", "project_code", "started_on"}
    assert all(after[key] == before[key] - 1 for key in dropped)


def test_a_filled_date_out_of_order_is_refused_with_the_stage_move_pages_message(
    ledger, xiaoyi, xiaoyi_staff, make_project, tmp_path
):
    workbook = download_sheet(logged_in(xiaoyi_staff), zone=xiaoyi.pk, gap="any")
    sheet = workbook["补录表"]
    rows = rows_by_name(sheet)
    rows["氢能重卡项目"]["开工日期"].value = datetime.date(2025, 2, 1)
    rows["煤焦油深加工项目"]["签约日期"].value = datetime.date(2025, 4, 1)  # fine, but the file is all or nothing
    row_number = rows["氢能重卡项目"]["开工日期"].row
    path = tmp_path / "补录表.xlsx"
    workbook.save(path)

    result = import_ledger(path, xiaoyi_staff, xiaoyi)

    # The stage-move page refuses the same dates with the same words.
    signed = make_project("对照项目", stage=Stage.SIGNED, stage_dates={"signed_on": SIGNED})
    page = logged_in(xiaoyi_staff).post(
        reverse("projects:move", args=[signed.pk]),
        {"to_stage": Stage.STARTED, "started_on": "2025-02-01", "project_code": ""},
    )
    said = "开工日期（2025-02-01）不能早于签约日期（2025-03-01）"
    assert f"{said}。" in page.content.decode()
    assert [error.message for error in result.errors] == [f"第{row_number}行 开工日期: {said}"]
    assert not result.committed
    assert Project.objects.get(name="氢能重卡项目").started_on is None
    assert Project.objects.get(name="煤焦油深加工项目").signed_on is None


# ------------------------------------------------------------------ the project page


def test_project_page_shows_the_gaps_and_the_fill_button_to_who_may_fill(ledger, xiaoyi_staff, lvliang_office):
    hydrogen = Project.objects.get(name="氢能重卡项目")
    page = logged_in(xiaoyi_staff).get(reverse("projects:detail", args=[hydrogen.pk])).content.decode()
    gaps = re.search(r'data-testid="gaps">(.*?)</div>', page, re.S).group(1)
    for label in ("备案日期", "项目代码", "开工日期", "建设单位", "行业"):
        assert label in gaps
    assert "签约日期" not in gaps and 'data-testid="fill-button"' in gaps
    assert f'href="/projects/{hydrogen.pk}/edit/#id_enterprise"' in gaps  # 建设单位 is filled in the edit form
    assert page.count("data-missing") == 2  # 备案 and 开工 on the timeline
    read_only = logged_in(lvliang_office)
    page = read_only.get(reverse("projects:detail", args=[hydrogen.pk])).content.decode()
    assert 'data-testid="gaps"' in page and 'data-testid="fill-button"' not in page and "/edit/#id_" not in page
    assert read_only.get(reverse("projects:fill", args=[hydrogen.pk])).status_code == 403


def test_fill_dialog_offers_only_the_missing_dates_and_code(ledger, xiaoyi_staff):
    hydrogen = Project.objects.get(name="氢能重卡项目")
    response = logged_in(xiaoyi_staff).get(reverse("projects:fill", args=[hydrogen.pk]), HTTP_HX_REQUEST="true")
    assert list(response.context["form"].fields) == ["filed_on", "project_code", "started_on"]
    assert "<html" not in response.content.decode() and "补录：氢能重卡项目" in response.content.decode()


def test_fill_view_fills_a_date_and_refuses_a_bad_one_changing_nothing(ledger, xiaoyi_staff):
    client = logged_in(xiaoyi_staff)
    hydrogen = Project.objects.get(name="氢能重卡项目")
    url = reverse("projects:fill", args=[hydrogen.pk])

    refused = client.post(url, {"started_on": "2025-02-01", "project_code": "2025-141181-26-03-000123"})

    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert errors["started_on"] == ["开工日期（2025-02-01）不能早于签约日期（2025-03-01）。"]
    assert 'class="invalid-feedback d-block">开工日期（2025-02-01）不能早于签约日期' in refused.content.decode()
    stored = Project.objects.get(pk=hydrogen.pk)
    assert (stored.started_on, stored.project_code, stored.version) == (None, None, hydrogen.version)

    filled = client.post(url, {"started_on": "2025-05-10", "project_code": ""})

    assert filled.status_code == 302 and filled["Location"] == reverse("projects:detail", args=[hydrogen.pk])
    stored = Project.objects.get(pk=hydrogen.pk)
    assert stored.started_on == datetime.date(2025, 5, 10) and stored.project_code is None
    assert stored.stage == Stage.STARTED and stored.version == hydrogen.version + 1
    page = client.get(filled["Location"]).content.decode()
    assert "已补录：开工日期。" in page and page.count("data-missing") == 1


def test_fill_view_asks_for_something(ledger, xiaoyi_staff):
    hydrogen = Project.objects.get(name="氢能重卡项目")
    response = logged_in(xiaoyi_staff).post(reverse("projects:fill", args=[hydrogen.pk]), {})
    assert response.status_code == 400 and "请至少填写一项待补录的内容。" in response.content.decode()
