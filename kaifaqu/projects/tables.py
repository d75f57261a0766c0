"""Columns of the project list, declared once."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from kaifaqu.core.money import format_yi
from kaifaqu.core.tables import Column, choice_rank, name_link

from .lifecycle import ORDER
from .models import PriorityLevel, Stage

STAGE_CSS = {
    Stage.PLANNING: "secondary",
    Stage.CONTACT: "info",
    Stage.INTENT: "info",
    Stage.READY: "primary",
    Stage.SIGNED: "primary",
    Stage.FILED: "warning",
    Stage.STARTED: "success",
    Stage.PRODUCING: "success",
    Stage.AT_CAPACITY: "dark",
    Stage.TERMINATED: "danger",
}


def stage_badge(project) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STAGE_CSS.get(project.stage, "secondary"),
        project.get_stage_display(),
    )


def _name(project) -> str:
    overdue = getattr(project, "has_overdue", False)
    flag = mark_safe(' <span class="badge text-bg-danger" title="有逾期节点">逾期</span>') if overdue else ""
    return format_html("{}{}", name_link(reverse("projects:detail", args=[project.pk]), project.name), flag)


PROJECT_COLUMNS = [
    Column("name", "项目名称", _name, "name"),
    # col-optional: hidden on a phone, where the name, the stage and the money must fit.
    Column("zone", "开发区", lambda p: p.zone.display_name, "zone__name", "col-optional"),
    Column(
        "enterprise",
        "建设单位",
        lambda p: p.enterprise.name if p.enterprise else "—",
        "enterprise__name",
        "col-optional",
    ),
    Column("stage", "阶段", stage_badge, choice_rank("stage", [*ORDER, Stage.TERMINATED])),
    Column(
        "plan_category",
        "年度分类",
        lambda p: p.plan_category.name if p.plan_category else "—",
        "plan_category__order",
        "col-optional",
    ),
    Column(
        "priority_level",
        "重点级别",
        lambda p: p.get_priority_level_display() or "—",
        choice_rank("priority_level", PriorityLevel.values),
        "col-optional",
    ),
    Column(
        "total_investment",
        "总投资（亿元）",
        lambda p: format_yi(p.total_investment, grouped=True),
        "total_investment",
        "text-end col-money",
    ),
    Column("plan_year", "年度", lambda p: p.plan_year, "plan_year", "text-center col-optional"),
    Column(
        "updated_at",
        "更新时间",
        lambda p: localtime(p.updated_at).strftime("%Y-%m-%d"),
        "updated_at",
        "text-nowrap col-optional",
    ),
]


def _last_report(project) -> str:
    """最近进展日期: ``Project.objects.stalled`` gives it to each stalled project."""
    day = getattr(project, "last_report_on", None)
    return day.isoformat() if day else mark_safe('<span class="text-muted">无进展记录</span>')


# The 停滞项目 drill-down: the last progress report where the list shows the last edit (an edit
# of any field is not progress, and "updated today" beside "no progress for 30 days" misleads).
STALLED_COLUMNS = [
    *(column for column in PROJECT_COLUMNS if column.key != "updated_at"),
    Column("last_report_on", "最近进展日期", _last_report, "last_report_on", "text-nowrap"),
]
