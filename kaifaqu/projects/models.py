import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet, scope_for

from .project_code import validate_project_code

MONEY = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(0, message="金额不能为负数。")]


class Stage(models.TextChoices):
    """Project lifecycle stages, in order (DESIGN.md), plus ``terminated``."""

    PLANNING = "planning", "谋划储备"
    CONTACT = "contact", "初步对接"
    INTENT = "intent", "重点意向"
    READY = "ready", "成熟待签约"
    SIGNED = "signed", "已签约（待备案）"
    FILED = "filed", "已备案（待开工）"
    STARTED = "started", "已开工（在建）"
    PRODUCING = "producing", "已投产"
    AT_CAPACITY = "at_capacity", "已达产"
    TERMINATED = "terminated", "已终止"


# The lifecycle in order, without 终止 (which can happen at any stage).
LIFECYCLE: tuple[str, ...] = tuple(stage for stage in Stage.values if stage != Stage.TERMINATED)


def reached(stage: str, terminated_from: str) -> str:
    """How far a project got: its stage, or for a terminated one the stage it stopped at.
    Every rate and funnel counts a terminated project there."""
    return (terminated_from or Stage.PLANNING) if stage == Stage.TERMINATED else stage


def reached_q(stage: str, prefix: str = "") -> Q:
    """A filter for projects at ``stage`` or beyond (``reached``); ``prefix`` for a related project."""
    later = LIFECYCLE[LIFECYCLE.index(stage) :]
    return Q(**{f"{prefix}stage__in": later}) | Q(
        **{f"{prefix}stage": Stage.TERMINATED, f"{prefix}terminated_from__in": later}
    )


class PriorityLevel(models.TextChoices):
    PROVINCE = "province", "省重点"
    CITY = "city", "市重点"
    COUNTY = "county", "县重点"


def local_today() -> datetime.date:
    return timezone.localdate()


class PlanCategoryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanCategoryQuerySet":
        """The shared defaults, the user's own unit's, and those of units in the user's scope."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        return self.filter(
            Q(unit__isnull=True) | Q(unit_id=scope.unit_id) | Q(unit__zone_id__in=sorted(scope.zone_ids))
        )

    def for_zone(self, zone) -> "PlanCategoryQuerySet":
        """The categories a project of ``zone`` may use: defaults plus those of units above or at the zone."""
        code = zone.region_id
        return self.filter(
            Q(unit__isnull=True)
            | Q(unit__zone=zone)
            | Q(unit__kind="city", unit__region__code=code[:4] + "00")
            | Q(unit__kind="province", unit__region__code=code[:2] + "0000")
        )


class PlanCategory(models.Model):
    """年度分类: the year's plan class. Defaults are shared (no unit); each unit can add its own."""

    DEFAULTS = ("续建", "尽快开工", "力争开工", "新开工", "前期", "招商储备")

    name = models.CharField("分类名称", max_length=30)
    unit = models.ForeignKey(
        "zones.Unit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="为空表示全省通用的默认分类。",
    )
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = PlanCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = "年度分类"
        verbose_name_plural = "年度分类"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="plan_category_unique_in_unit"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(unit__isnull=True), name="plan_category_unique_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(ScopedQuerySet):
    zone_path = "zone"
    enterprise_path = "enterprise"

    def with_overdue_milestones(self, today: datetime.date | None = None) -> "ProjectQuerySet":
        return self.filter(Exists(Milestone.objects.overdue(today).filter(project=OuterRef("pk"))))

    def reached(self, stage: str) -> "ProjectQuerySet":
        """Projects at ``stage`` or beyond; a terminated one counts where it stopped (as the rates do)."""
        return self.filter(reached_q(stage))

    def stalled(self, days: int, today: datetime.date | None = None) -> "ProjectQuerySet":
        """停滞项目, the one definition the dashboard, the list and the reports use: under
        construction (已开工（在建）: started and not yet 投产; a lead or a terminated project cannot
        stall) with no progress report in the last ``days`` days.

        Silence is counted from the later of the last report and the 开工日期 (or, when that date
        is 待补录, the day the project was put on the ledger): a project that started last week is
        not stalled for want of a report. Each row carries ``last_report_on``, the date of its
        latest report, None when it has none (shown as 无进展记录)."""
        cutoff = (today or local_today()) - datetime.timedelta(days=days)
        reports = ProgressReport.objects.filter(project=OuterRef("pk"))
        began_before = Q(started_on__lte=cutoff) | Q(started_on__isnull=True, created_at__date__lte=cutoff)
        return (
            self.filter(stage=Stage.STARTED)
            .filter(began_before)
            .filter(~Exists(reports.filter(reported_on__gt=cutoff)))
            .annotate(last_report_on=Subquery(reports.order_by("-reported_on").values("reported_on")[:1]))
        )


class Project(TimeStampedModel):
    """An investment project on a zone's ledger (项目台账). Money is 万元."""

    name = models.CharField("项目名称", max_length=200)
    project_code = models.CharField(
        "项目代码",
        max_length=24,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_project_code],
        help_text="投资项目在线审批监管平台赋予的代码，格式 YYYY-XXXXXX-XX-XX-XXXXXX。",
    )
    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="projects")
    park = models.ForeignKey(
        "zones.Park",
        verbose_name="园区",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="建设单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    content = models.TextField("建设内容及规模", blank=True)
    industry = models.CharField("产业类别", max_length=50, blank=True)
    total_investment = models.DecimalField("总投资（万元）", validators=NON_NEGATIVE, **MONEY)
    plan_year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)], db_index=True
    )
    year_planned_investment = models.DecimalField(
        "年度计划投资（万元）", null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    year_completed_investment = models.DecimalField("年度完成投资（万元）", default=0, validators=NON_NEGATIVE, **MONEY)
    land_area_mu = models.DecimalField(
        "用地面积（亩）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message="用地面积不能为负数。")],
    )
    plan_category = models.ForeignKey(
        PlanCategory,
        verbose_name="年度分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    priority_level = models.CharField(
        "重点项目级别", max_length=10, choices=PriorityLevel.choices, blank=True, default=""
    )
    stage = models.CharField("项目阶段", max_length=12, choices=Stage.choices, default=Stage.PLANNING)
    contact_on = models.DateField("对接日期", null=True, blank=True)
    intent_on = models.DateField("确定意向日期", null=True, blank=True)
    ready_on = models.DateField("具备签约条件日期", null=True, blank=True)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    producing_on = models.DateField("投产日期", null=True, blank=True)
    at_capacity_on = models.DateField("达产日期", null=True, blank=True)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    terminated_from = models.CharField("终止前阶段", max_length=12, choices=Stage.choices, blank=True, default="")
    # 竣工 (construction completed) is kept apart from 投产 (太原: 开工竣工率, 投产达效率). A flag
    # with its date, as 入统: a ledger may say 已竣工 without the date (a gap, 待补录).
    completed = models.BooleanField("已竣工", default=False)
    completed_on = models.DateField("竣工日期", null=True, blank=True)
    in_statistics = models.BooleanField("已入统", default=False)
    in_statistics_on = models.DateField("入统日期", null=True, blank=True)
    liaison_leader = models.CharField("包联领导", max_length=50, blank=True)
    agent = models.CharField("代办员", max_length=50, blank=True)
    task_force = models.CharField("工作专班", max_length=200, blank=True)
    remark = models.TextField("备注", blank=True)
    # Raised by every change of the ledger fields: an edit based on an older version is
    # refused instead of overwriting what someone else saved meanwhile.
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-id"]
        indexes = [
            # Covers the list's totals line for the usual filters (zone, stage, priority):
            # the count and sum are read from the index alone, without visiting the rows.
            models.Index(
                fields=["zone", "stage", "priority_level", "total_investment"], name="project_zone_stage_priority"
            ),
            models.Index(fields=["zone", "plan_year"], name="project_zone_year"),
            models.Index(fields=["stage"], name="project_stage"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reached_stage(self) -> str:
        """The furthest stage this project stands at (for a terminated one: where it stopped)."""
        return reached(self.stage, self.terminated_from)


class StageChangeQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"


class StageChange(models.Model):
    """One move of a project's stage, kept for ever with who, when and why."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField("原阶段", max_length=12, choices=Stage.choices)
    to_stage = models.CharField("新阶段", max_length=12, choices=Stage.choices)
    step_date = models.DateField("变更日期", null=True, blank=True)
    dates = models.JSONField("记录的日期", default=dict, blank=True)
    reason = models.TextField("原因", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("操作时间", default=timezone.now)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "阶段变更"
        verbose_name_plural = "阶段变更"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class MilestoneQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"

    def overdue(self, today: datetime.date | None = None) -> "MilestoneQuerySet":
        return self.filter(actual_on__isnull=True, planned_on__lt=today or local_today())


class Milestone(models.Model):
    """A dated checkpoint of a project (节点: 挂图作战、倒排工期)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("节点名称", max_length=100)
    planned_on = models.DateField("计划完成日期")
    actual_on = models.DateField("实际完成日期", null=True, blank=True)
    owner = models.CharField("责任人", max_length=50, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["planned_on", "id"]
        indexes = [models.Index(fields=["project", "actual_on", "planned_on"], name="milestone_open")]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self):
        """Its history shows on the project's page."""
        return self.project

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.actual_on is None and self.planned_on < (today or local_today())


class ProgressReportQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"


class ProgressReport(models.Model):
    """A dated progress note with the investment completed in the period (万元)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="progress_reports")
    reported_on = models.DateField("日期")
    text = models.TextField("进展情况")
    investment = models.DecimalField("本期完成投资（万元）", default=0, validators=NON_NEGATIVE, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进展"
        verbose_name_plural = "进展"
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.text[:20]}"

    def audit_owner(self):
        """Its history shows on the project's page."""
        return self.project
