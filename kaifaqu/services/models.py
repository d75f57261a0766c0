"""企业服务: an enterprise's (or a project's) problem on record and followed to the end.

"问题诉求件件有记录、事事有依归": a request is filed (by staff or by the enterprise), gets a
deadline from its category's service level, and every step — 交办, 催办, 督办, 办结, 退回重办,
评价 — is an event recording who did it and when.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet


class Category(models.TextChoices):
    LAND = "land", "土地"
    FUNDING = "funding", "资金"
    APPROVAL = "approval", "审批"
    UTILITIES = "utilities", "水电路气"
    LABOUR = "labour", "用工"
    ENVIRONMENT = "environment", "环保"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"


class ServiceLevel(models.Model):
    """How many days a category's requests may take (data: an office may change them)."""

    category = models.CharField("诉求类别", max_length=20, choices=Category.choices, unique=True)
    days = models.PositiveSmallIntegerField("办理时限（天）", validators=[MinValueValidator(1)])
    urgent_days = models.PositiveSmallIntegerField("紧急诉求办理时限（天）", validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "诉求办理时限"
        verbose_name_plural = verbose_name
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.days}天（紧急{self.urgent_days}天）"


class ServiceRequestQuerySet(ScopedQuerySet):
    zone_path = "zone"
    enterprise_path = "enterprise"

    def open(self) -> ServiceRequestQuerySet:
        return self.exclude(status__in=ServiceRequest.CLOSED)

    def overdue(self, today: datetime.date) -> ServiceRequestQuerySet:
        """Still open past the request's deadline, or past the deadline its assignee was given."""
        return self.open().filter(models.Q(due_on__lt=today) | models.Q(assigned_due_on__lt=today))


class ServiceRequest(TimeStampedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", "待交办"
        ASSIGNED = "assigned", "办理中"
        ESCALATED = "escalated", "督办中"
        RESOLVED = "resolved", "已办结"
        RATED = "rated", "已评价"

    class Source(models.TextChoices):
        STAFF = "staff", "包联干部录入"
        ENTERPRISE = "enterprise", "企业提交"

    CLOSED = (Status.RESOLVED, Status.RATED)

    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    title = models.CharField("诉求事项", max_length=200)
    description = models.TextField("具体情况", blank=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.STAFF)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField("受理日期")
    due_on = models.DateField("办结时限")
    assignee_department = models.CharField("承办部门", max_length=100, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_due_on = models.DateField("交办时限", null=True, blank=True)
    escalated_to = models.CharField("督办领导", max_length=50, blank=True)
    resolved_on = models.DateField("办结日期", null=True, blank=True)
    resolution = models.TextField("办理结果", blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        "满意度", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.CharField("评价意见", max_length=300, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = verbose_name
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["zone", "received_on"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def closed(self) -> bool:
        return self.status in self.CLOSED

    def overdue_on(self, today: datetime.date) -> bool:
        if self.closed:
            return False
        return self.due_on < today or (self.assigned_due_on is not None and self.assigned_due_on < today)

    @property
    def days_to_resolve(self) -> int | None:
        return None if self.resolved_on is None else (self.resolved_on - self.received_on).days


class RequestEvent(models.Model):
    """One step of a request, with who took it and when (the request's ledger of record)."""

    class Kind(models.TextChoices):
        FILE = "file", "受理"
        ASSIGN = "assign", "交办"
        REMIND = "remind", "催办"
        ESCALATE = "escalate", "督办"
        RESOLVE = "resolve", "办结"
        REOPEN = "reopen", "退回重办"
        RATE = "rate", "评价"

    request = models.ForeignKey(ServiceRequest, verbose_name="诉求", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("环节", max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("内容", blank=True)
    due_on = models.DateField("时限", null=True, blank=True)

    class Meta:
        verbose_name = "诉求办理记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request} {self.get_kind_display()}"


def attachment_path(instance: RequestAttachment, filename: str) -> str:
    return f"requests/{instance.event.request_id}/{filename}"


class RequestAttachment(models.Model):
    event = models.ForeignKey(RequestEvent, verbose_name="办理记录", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("附件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)

    class Meta:
        verbose_name = "诉求附件"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class ConstructionKind(models.TextChoices):
    """What a project builds decides which approvals it needs."""

    NEW = "new", "新建（新增用地）"
    EXPAND = "expand", "改扩建（不新增用地）"
    EQUIPMENT = "equipment", "技术改造（不涉及土建）"


class ApprovalType(models.Model):
    """One approval in the 全代办 catalogue (立项备案, 环评, 施工许可, …), with its standard days."""

    name = models.CharField("审批事项", max_length=50, unique=True)
    standard_days = models.PositiveSmallIntegerField("承诺办理时限（工作日折算天）", validators=[MinValueValidator(1)])
    kinds = models.JSONField("适用项目", default=list, help_text="新建、改扩建、技术改造中适用的类型")
    department = models.CharField("审批部门", max_length=50, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "代办审批事项"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class AgencyItemQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"

    def overdue(self, today: datetime.date) -> AgencyItemQuerySet:
        return self.filter(status=AgencyItem.Status.IN_PROGRESS, due_on__lt=today)


class AgencyItem(TimeStampedModel):
    """全代办: one approval the zone's agent handles for a project."""

    class Status(models.TextChoices):
        PENDING = "pending", "未启动"
        IN_PROGRESS = "in_progress", "办理中"
        DONE = "done", "已办结"
        NOT_NEEDED = "not_needed", "无需办理"

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="agency_items"
    )
    approval_type = models.ForeignKey(ApprovalType, verbose_name="审批事项", on_delete=models.PROTECT)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代办员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agency_items",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    started_on = models.DateField("启动日期", null=True, blank=True)
    due_on = models.DateField("应办结日期", null=True, blank=True)
    finished_on = models.DateField("办结日期", null=True, blank=True)
    commitment = models.BooleanField("承诺制", default=False, help_text="告知承诺制办理：先承诺、后核查")
    note = models.CharField("备注", max_length=300, blank=True)

    objects = AgencyItemQuerySet.as_manager()

    class Meta:
        verbose_name = "代办事项"
        verbose_name_plural = verbose_name
        ordering = ["project", "approval_type__order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "approval_type"], name="one_item_per_approval")]

    def __str__(self) -> str:
        return f"{self.project} {self.approval_type}"

    @property
    def days_taken(self) -> int | None:
        if self.started_on is None or self.finished_on is None:
            return None
        return (self.finished_on - self.started_on).days

    def overdue_on(self, today: datetime.date) -> bool:
        return self.status == self.Status.IN_PROGRESS and self.due_on is not None and self.due_on < today

    @property
    def finished_late(self) -> bool:
        """办结 after its due date (逾期办结): the commitment was missed even though it is done."""
        return (
            self.status == self.Status.DONE
            and None not in (self.finished_on, self.due_on)
            and self.finished_on > self.due_on
        )

    def lateness(self, today: datetime.date) -> str:
        """The ledger's 是否逾期 cell."""
        return "是" if self.overdue_on(today) else ("逾期办结" if self.finished_late else "")
