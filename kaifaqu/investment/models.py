"""招商引资: the target catalogue, the activities, the lead's 招商 facts and the 平台公司.

A lead (招商线索) is a ``Project`` in a pre-signing stage (DESIGN.md); what only 招商 knows
about it — how it was won (招商方式) and where it came from — is its ``Lead`` row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet
from kaifaqu.enterprises.credit_code import validate_credit_code
from kaifaqu.projects.models import MONEY, NON_NEGATIVE


class InvestmentMode(models.Model):
    """招商方式: an editable catalogue, shared by the province (灵石's “七种模式”)."""

    DEFAULTS = (
        "产业链招商",
        "以商招商",
        "基金招商",
        "场景招商",
        "成本招商",
        "平台招商",
        "专业招商",
        "驻地招商",
        "委托招商",
        "其他",
    )

    name = models.CharField("招商方式", max_length=30, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "招商方式"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ZoneScoped(ScopedQuerySet):
    zone_path = "zone"


class TargetIndustry(TimeStampedModel):
    """One line of a zone's 招商产业目录: an industry it seeks, in its own words, with its class."""

    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("招商产业", max_length=50, help_text="本区的叫法，如 氢能装备、铝基新材料")
    industry_class = models.ForeignKey(
        "enterprises.IndustryClass",
        verbose_name="国民经济行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    focus = models.CharField("招商方向", max_length=200, blank=True, help_text="重点招引的环节、产品或企业类型")
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ZoneScoped.as_manager()

    class Meta:
        verbose_name = "招商产业目录"
        verbose_name_plural = verbose_name
        ordering = ["zone_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="target_industry_unique_in_zone")]

    def __str__(self) -> str:
        return self.name


class Target(TimeStampedModel):
    """招商目标企业: a company the zone seeks (目标企业库)."""

    class Status(models.TextChoices):
        UNTOUCHED = "untouched", "未接触"
        CONTACTED = "contacted", "已接触"
        NEGOTIATING = "negotiating", "洽谈中"
        LANDED = "landed", "已落地"
        DROPPED = "dropped", "放弃"

    class Size(models.TextChoices):
        GLOBAL_500 = "global500", "世界500强"
        CHINA_500 = "china500", "中国500强"
        PRIVATE_500 = "private500", "民营500强"
        LISTED = "listed", "上市公司"
        LEADER = "leader", "行业龙头"
        LARGE = "large", "大型企业"
        MEDIUM = "medium", "中型企业"
        SMALL = "small", "小微企业"

    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("企业名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code])
    hq_region = models.CharField("总部所在地", max_length=50, blank=True, help_text="如 北京市、广东省深圳市")
    industry = models.ForeignKey(
        TargetIndustry,
        verbose_name="招商产业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    industry_class = models.ForeignKey(
        "enterprises.IndustryClass",
        verbose_name="国民经济行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    size = models.CharField("企业规模", max_length=12, choices=Size.choices, blank=True)
    reason = models.CharField("招引理由", max_length=300, blank=True)
    owner = models.CharField("责任人", max_length=50, blank=True)
    contact = models.CharField("对方联系人及电话", max_length=100, blank=True)
    status = models.CharField("对接状态", max_length=12, choices=Status.choices, default=Status.UNTOUCHED)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ZoneScoped.as_manager()

    class Meta:
        verbose_name = "招商目标企业"
        verbose_name_plural = verbose_name
        ordering = ["zone_id", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="target_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class PlatformCompany(TimeStampedModel):
    """平台公司: a zone's operating company (管运分离, 小管委+大公司)."""

    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="platform_companies"
    )
    name = models.CharField("公司名称", max_length=100)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业库中的记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="选定后，以该企业为建设单位的项目计为公司自有投资",
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    registered_capital = models.DecimalField(
        "注册资本（万元）", null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    duties = models.CharField("主要职能", max_length=300, blank=True, help_text="如 招商运营、基础设施建设、园区服务")
    commissioned_projects = models.ManyToManyField(
        "projects.Project", verbose_name="委托代建项目", blank=True, related_name="commissioned_by"
    )
    note = models.CharField("备注", max_length=300, blank=True)

    objects = ZoneScoped.as_manager()

    class Meta:
        verbose_name = "平台公司"
        verbose_name_plural = verbose_name
        ordering = ["zone_id", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="platform_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name


class Activity(TimeStampedModel):
    """招商活动: a trip, a visit received, a talk, an agreement signed or an event."""

    class Kind(models.TextChoices):
        TRIP = "trip", "外出招商"
        VISIT = "visit", "来访接待"
        TALK = "talk", "洽谈"
        AGREEMENT = "agreement", "签约"
        EVENT = "event", "推介会/组团招商"

    class Depth(models.TextChoices):
        FIRST = "first", "初次洽谈"
        DEEP = "deep", "深度洽谈"

    class AgreementKind(models.TextChoices):
        STRATEGIC = "strategic", "战略合作协议"
        PROJECT = "project", "项目合作协议"

    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("活动类型", max_length=10, choices=Kind.choices)
    title = models.CharField("活动名称", max_length=100)
    start_on = models.DateField("日期")
    end_on = models.DateField("结束日期", null=True, blank=True, help_text="多日的外出招商填写")
    region = models.CharField(
        "地区", max_length=50, blank=True, help_text="外出招商的目的地，来访、洽谈、签约对方的所在地"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="带队领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.CharField("参加人员", max_length=200, blank=True)
    depth = models.CharField("洽谈深度", max_length=6, choices=Depth.choices, blank=True)
    agreement_kind = models.CharField("协议类型", max_length=10, choices=AgreementKind.choices, blank=True)
    signed_amount = models.DecimalField("签约投资额（万元）", null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    targets = models.ManyToManyField(Target, verbose_name="对接企业", blank=True, related_name="activities")
    leads = models.ManyToManyField(
        "projects.Project", verbose_name="相关项目", blank=True, related_name="investment_activities"
    )
    summary = models.TextField("成效与纪要", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ZoneScoped.as_manager()

    class Meta:
        verbose_name = "招商活动"
        verbose_name_plural = verbose_name
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["zone", "kind", "start_on"], name="activity_zone_kind_day")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deep_talk(self) -> bool:
        return self.kind == self.Kind.TALK and self.depth == self.Depth.DEEP


def activity_file_path(instance: ActivityFile, filename: str) -> str:
    return f"investment/{instance.activity_id}/{filename}"


class ActivityFile(models.Model):
    """A photo or the minutes of an activity."""

    activity = models.ForeignKey(Activity, verbose_name="招商活动", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("附件", upload_to=activity_file_path)
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "招商活动附件"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self):
        return self.activity


class LeadQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"


class Lead(models.Model):
    """A project's 招商 facts: the 招商方式, where the lead came from, the target it came out of."""

    class Source(models.TextChoices):
        PERSON = "person", "个人引荐"
        PLATFORM = "platform", "平台公司"
        ENTERPRISE = "enterprise", "以商招商（在区企业）"
        EVENT = "event", "招商活动"
        OTHER = "other", "其他"

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="lead"
    )
    mode = models.ForeignKey(
        InvestmentMode, verbose_name="招商方式", null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    source = models.CharField("线索来源", max_length=12, choices=Source.choices, blank=True)
    source_person = models.CharField("引荐人", max_length=50, blank=True)
    source_platform = models.ForeignKey(
        PlatformCompany,
        verbose_name="来源平台公司",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    source_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="引荐企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_activity = models.ForeignKey(
        Activity, verbose_name="来源活动", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.ForeignKey(
        Target, verbose_name="目标企业", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = "招商线索信息"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.project)

    def audit_owner(self):
        return self.project

    @property
    def source_display(self) -> str:
        """The source in one phrase: ``平台公司：孝义经开区投资运营公司``."""
        detail = {
            self.Source.PERSON: self.source_person,
            self.Source.PLATFORM: str(self.source_platform or ""),
            self.Source.ENTERPRISE: str(self.source_enterprise or ""),
            self.Source.EVENT: str(self.source_activity or ""),
        }.get(self.source, "")
        label = self.get_source_display() if self.source else ""
        return f"{label}：{detail}" if label and detail else label
