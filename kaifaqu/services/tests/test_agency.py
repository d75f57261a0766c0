"""全代办: the checklist a project's kind calls for, items through their states with due dates and
overdue, who may change them, statistics per approval type, and the two documents."""

import datetime
import io
import re

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaifaqu.conftest import make_user
from kaifaqu.projects.models import local_today
from kaifaqu.reports.docx import write_docx
from kaifaqu.services import agency
from kaifaqu.services.documents import monthly_summary, weekly_report
from kaifaqu.services.models import AgencyItem
from kaifaqu.services.selectors import agency_stats
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

TODAY = local_today()


@pytest.fixture
def project(make_project):
    return make_project("鹏飞焦炉煤气制氢项目")


@pytest.fixture
def agent(xiaoyi):
    user = make_user("xiaoyi-agent", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    user.first_name = "李代办"
    user.save()
    return user


def names(items):
    return [item.approval_type.name for item in items]


def test_the_checklist_follows_the_projects_kind(agent, project):
    equipment = agency.checklist_create(user=agent, project=project, kind="equipment")
    assert names(equipment) == ["立项备案", "环境影响评价", "节能审查（能评）", "排污许可"]
    more = agency.checklist_create(user=agent, project=project, kind="new", agent=agent, commitment=True)
    assert "用地预审与选址意见" in names(more) and "立项备案" not in names(more)  # kept, not repeated
    assert AgencyItem.objects.filter(project=project).count() == 13
    assert all(item.agent == agent and item.commitment for item in more)


def test_items_move_through_their_states(agent, project, tunliu_staff):
    [record, *_] = agency.checklist_create(user=agent, project=project, kind="equipment")
    started = TODAY - datetime.timedelta(days=5)
    agency.item_update(user=agent, item=record, status="in_progress", agent=agent, started_on=started)
    assert record.due_on == started + datetime.timedelta(days=3)  # 立项备案: 3 days
    assert list(AgencyItem.objects.overdue(TODAY)) == [record]
    with pytest.raises(ValidationError) as refused:
        agency.item_update(
            user=agent, item=record, status="done", started_on=started, finished_on=started - datetime.timedelta(days=1)
        )
    assert refused.value.message_dict == {"finished_on": ["办结日期不能早于启动日期。"]}
    agency.item_update(user=agent, item=record, status="done", started_on=started, finished_on=TODAY)
    assert (record.days_taken, record.overdue_on(TODAY)) == (5, False)
    with pytest.raises(PermissionDenied):
        agency.item_update(user=tunliu_staff, item=record, status="pending")
    other = AgencyItem.objects.get(project=project, approval_type__name="排污许可")
    with pytest.raises(ValidationError, match="写明原因"):
        agency.item_update(user=agent, item=other, status="not_needed")


def test_statistics_and_documents(agent, project):
    items = agency.checklist_create(user=agent, project=project, kind="equipment", agent=agent)
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    for item, days in zip(items[:2], (4, 10), strict=True):
        finished = monday - datetime.timedelta(days=2)
        agency.item_update(
            user=agent,
            item=item,
            status="done",
            agent=agent,
            started_on=finished - datetime.timedelta(days=days),
            finished_on=finished,
        )
    agency.item_update(
        user=agent, item=items[2], status="in_progress", agent=agent, started_on=TODAY - datetime.timedelta(days=30)
    )
    rows = {row.name: row for row in agency_stats(AgencyItem.objects.all(), today=TODAY)}
    assert (rows["立项备案"].done, rows["立项备案"].avg_days) == (1, 4)
    assert (rows["节能审查（能评）"].in_progress, rows["节能审查（能评）"].overdue) == (1, 1)

    weekly = weekly_report(AgencyItem.objects.filter(agent=agent), who="李代办", monday=monday)
    assert weekly.sections[0].paragraphs == ["上周办结代办事项2件；正在办理1件，其中逾期1件，本周到期0件。"]
    document = docx.Document(io.BytesIO(write_docx(weekly)))
    assert document.paragraphs[0].text == "李代办全代办工作周报"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "立项备案" in cells and "逾期" in "".join(cells)

    summary = monthly_summary(
        AgencyItem.objects.all(), scope_name="孝义经开区", year=TODAY.year, month=TODAY.month, today=TODAY
    )
    assert summary.title == "孝义经开区全代办工作月度汇总"
    assert summary.sections[0].paragraphs[0].startswith("本月办结代办事项")


def test_the_project_page_generates_and_updates_the_checklist(client, agent, project):
    client.force_login(agent)
    page = client.post(f"/agency/projects/{project.pk}/checklist/", {"kind": "expand", "agent": agent.pk})
    assert page.status_code == 302
    page = client.get(f"/agency/projects/{project.pk}/").content.decode()
    assert 'data-approval="施工许可"' in page and 'data-approval="用地预审与选址意见"' not in page
    permit = AgencyItem.objects.get(project=project, approval_type__name="施工许可")
    prefix = f"i{permit.pk}"
    started = (TODAY - datetime.timedelta(days=1)).isoformat()
    client.post(f"/agency/items/{permit.pk}/", {f"{prefix}-status": "in_progress", f"{prefix}-started_on": started})
    permit.refresh_from_db()
    assert (permit.status, permit.due_on) == ("in_progress", TODAY + datetime.timedelta(days=6))
    listing = client.get("/agency/", {"mine": "true"}).content.decode()
    table = listing[listing.index('data-testid="totals"') :]
    assert "施工许可" not in table and "竣工验收" in table  # the form chose no agent: nobody's now
    weekly = client.get("/agency/weekly/")
    assert weekly["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx.Document(io.BytesIO(weekly.content)).paragraphs[0].text.endswith("全代办工作周报")


def test_the_monthly_summary_counts_as_the_month_ended(agent, project):
    [record, *_] = agency.checklist_create(user=agent, project=project, kind="equipment")
    month_end = TODAY.replace(day=1) - datetime.timedelta(days=1)
    started = month_end.replace(day=1)
    agency.item_update(user=agent, item=record, status="done", started_on=started, finished_on=TODAY)
    # Finished this month, it was still open, and past its 3 days, when last month ended.
    summary = monthly_summary(
        AgencyItem.objects.all(), scope_name="孝义经开区", year=month_end.year, month=month_end.month, today=TODAY
    )
    assert summary.sections[0].paragraphs == ["本月办结代办事项0件，其中承诺制办理0件；正在办理1件，其中逾期1件。"]


def test_a_refused_row_comes_back_as_typed(client, agent, project):
    [record, *_] = agency.checklist_create(user=agent, project=project, kind="equipment")
    client.force_login(agent)
    prefix = f"i{record.pk}"
    typed = {f"{prefix}-status": "not_needed", f"{prefix}-commitment": "on", f"{prefix}-note": ""}
    typed |= {f"{prefix}-started_on": "2026-03-01", f"{prefix}-agent": agent.pk}
    page = client.post(f"/agency/items/{record.pk}/", typed)
    assert page.status_code == 400
    html = page.content.decode()
    row = html[html.index(f'id="item-{record.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "data-refused" in row and 'value="not_needed" selected' in row and "checked" in row
    assert re.search(rf'<input[^>]*name="{prefix}-note"[^>]*is-invalid|is-invalid[^>]*name="{prefix}-note"', row)
    assert "未保存" in html and "标为“无需办理”时请在备注中写明原因" in html
    record.refresh_from_db()
    assert (record.status, record.commitment, record.note) == ("pending", False, "")


def test_an_item_due_on_the_months_last_day_is_not_overdue_that_month(agent, project):
    [record, *_] = agency.checklist_create(user=agent, project=project, kind="equipment")  # 立项备案: 3 days
    month_end = TODAY.replace(day=1) - datetime.timedelta(days=1)
    started = month_end - datetime.timedelta(days=3)
    agency.item_update(user=agent, item=record, status="in_progress", started_on=started)
    record.refresh_from_db()
    assert record.due_on == month_end

    def summary(year, month):
        return monthly_summary(AgencyItem.objects.all(), scope_name="孝义经开区", year=year, month=month, today=TODAY)

    last_month = summary(month_end.year, month_end.month)
    assert last_month.sections[0].paragraphs[0].endswith("正在办理1件，其中逾期0件。")
    # The table per approval agrees with the sentence: as the month ended, not as things stand today.
    [row] = last_month.sections[1].tables[0].rows
    assert row[:6] == ["立项备案", 3, 1, 0, 1, 0]
    if TODAY.day > 1:  # in this month it is overdue, by the days since
        this_month = summary(TODAY.year, TODAY.month)
        assert this_month.sections[0].paragraphs[0].endswith("正在办理1件，其中逾期1件。")
        assert this_month.sections[3].tables[0].rows[0][-1] == f"逾期{(TODAY - month_end).days}天"
    agency.item_update(user=agent, item=record, status="done", started_on=started, finished_on=TODAY)
    [row] = summary(month_end.year, month_end.month).sections[1].tables[0].rows
    assert row[:6] == ["立项备案", 3, 1, 0, 1, 0]  # finished this month: still 办理中 as last month ended


def test_the_documents_headings_show_in_words_navigation_and_are_not_repeated(agent, project):
    from docx.oxml.ns import qn

    agency.checklist_create(user=agent, project=project, kind="equipment")
    content = weekly_report(
        AgencyItem.objects.all(), who="李代办", monday=TODAY - datetime.timedelta(days=TODAY.weekday())
    )
    document = docx.Document(io.BytesIO(write_docx(content)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    outlined = [
        p.text for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:outlineLvl")) is not None
    ]
    assert outlined == [section.heading for section in content.sections]
    assert "上周办结事项" not in texts and "二、上周办结事项" in texts


def test_a_date_that_is_not_kept_is_said_so(client, agent, project):
    [record, *_] = agency.checklist_create(user=agent, project=project, kind="equipment")
    client.force_login(agent)
    prefix = f"i{record.pk}"
    page = client.post(
        f"/agency/items/{record.pk}/",
        {f"{prefix}-status": "pending", f"{prefix}-started_on": "2026-03-01"},
        follow=True,
    )
    assert "未启动的事项不记录启动日期，填写的日期未保存" in page.content.decode()
    record.refresh_from_db()
    assert record.started_on is None


def test_a_catalogue_change_leaves_started_items_due_as_they_were(agent, project):
    from kaifaqu.services.models import ApprovalType

    [record, *_] = agency.checklist_create(user=agent, project=project, kind="equipment")  # 立项备案: 3 days
    started = TODAY - datetime.timedelta(days=1)
    agency.item_update(user=agent, item=record, status="in_progress", started_on=started)
    ApprovalType.objects.filter(name="立项备案").update(standard_days=10)
    record = AgencyItem.objects.select_related("approval_type").get(pk=record.pk)
    agency.item_update(user=agent, item=record, status="in_progress", started_on=started, note="已提交材料")
    assert record.due_on == started + datetime.timedelta(days=3)
    agency.item_update(user=agent, item=record, status="in_progress", started_on=TODAY, note="重新申报")
    assert record.due_on == TODAY + datetime.timedelta(days=10)  # started again: today's catalogue


def test_an_item_done_after_its_due_date_is_marked_late(agent, project):
    from kaifaqu.services.selectors import agency_rows

    [record, *_] = agency.checklist_create(user=agent, project=project, kind="equipment")  # 3 days
    started = TODAY - datetime.timedelta(days=10)
    agency.item_update(user=agent, item=record, status="done", started_on=started, finished_on=TODAY)
    [row] = [row for row in agency_rows(AgencyItem.objects.filter(pk=record.pk), today=TODAY)]
    assert row[6] == "已办结" and row[-2] == "逾期办结"
