"""产业链图谱 (一图五清单): a chain, its links (上游/中游/下游, nested), and what sits on each link —
enterprises with their product, projects with their task (强链/补链/延链/建链), 招商 targets.

A chain belongs to a zone, or to a city or the province (a city chain spans its zones: each
zone sees the chain and, on it, only its own records).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet
from kaifaqu.zones.ownership import OwnedByZoneOrRegion, OwnedQuerySet


class ChainQuerySet(OwnedQuerySet):
    def for_enterprise(self, user, enterprise_id: int) -> ChainQuerySet:
        """An enterprise sees the chains it sits on."""
        return self.filter(pk__in=ChainEnterprise.objects.filter(enterprise_id=enterprise_id).values("link__chain_id"))


class IndustryChain(OwnedByZoneOrRegion, TimeStampedModel):
    """产业链 (孝义's 氢能, 灵石's 煤化工, 铝系循环)."""

    name = models.CharField("产业链名称", max_length=50)
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chains",
        help_text="开发区的产业链填写；市、省的产业链留空并选择行政区划",
    )
    region = models.ForeignKey("regions.Region", verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    building = models.BooleanField("在建链", default=False, help_text="正在培育、尚未成链（建链）")
    chief = models.CharField("链长", max_length=50, blank=True, help_text="负责该产业链的领导")
    leader_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="链主企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_chains",
    )
    description = models.TextField("说明", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="chain_unique_in_zone"),
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=models.Q(zone__isnull=True),
                name="chain_unique_in_region",
                violation_error_message="该市（省）已有同名的产业链，请换一个产业链名称。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Task(models.TextChoices):
    """What a project does for its link (吕梁: 延链项目3个、补链项目3个、强链项目3个)."""

    STRENGTHEN = "strengthen", "强链"
    FILL = "fill", "补链"
    EXTEND = "extend", "延链"
    BUILD = "build", "建链"


class ChainLinkQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChainLinkQuerySet:
        return self.filter(chain__in=IndustryChain.objects.visible_to(user))

    def in_chain_order(self) -> ChainLinkQuerySet:
        """Chain by chain, 上游 → 中游 → 下游 (not the codes' alphabetical order), then as ordered."""
        from kaifaqu.core.tables import choice_rank

        segments = choice_rank("segment", ChainLink.Segment.values)
        return self.order_by("chain__order", "chain_id", segments, "order", "id")


class ChainLink(models.Model):
    """环节: a segment or a link of a chain, nested (上游 › 氢气制备 › 焦炉煤气制氢)."""

    class Segment(models.TextChoices):
        UPSTREAM = "upstream", "上游"
        MIDSTREAM = "midstream", "中游"
        DOWNSTREAM = "downstream", "下游"

    class Status(models.TextChoices):
        EXISTING = "existing", "已有"
        WEAK = "weak", "薄弱"
        MISSING = "missing", "缺失"

    # A link's status says its task (有链强链、缺链补链、上下延链); a chain being built is 建链 throughout.
    TASK_OF_STATUS = {Status.EXISTING: Task.STRENGTHEN, Status.WEAK: Task.FILL, Status.MISSING: Task.EXTEND}

    chain = models.ForeignKey(IndustryChain, verbose_name="产业链", on_delete=models.CASCADE, related_name="links")
    parent = models.ForeignKey(
        "self", verbose_name="上级环节", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    segment = models.CharField("链段", max_length=10, choices=Segment.choices)
    name = models.CharField("环节名称", max_length=50)
    status = models.CharField("现状", max_length=10, choices=Status.choices, default=Status.EXISTING)
    note = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ChainLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "产业链环节"
        verbose_name_plural = verbose_name
        ordering = ["chain_id", "segment", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="chain_link_unique_name")]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self):
        return self.chain

    @property
    def task(self) -> str:
        return Task.BUILD if self.chain.building else self.TASK_OF_STATUS[self.status]

    def get_task_display(self) -> str:
        return Task(self.task).label


class ChainEnterpriseQuerySet(ScopedQuerySet):
    zone_path = "enterprise__zone"
    enterprise_path = "enterprise"


class ChainEnterprise(models.Model):
    """An enterprise on a link, with what it makes there."""

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="enterprises")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="chain_places"
    )
    product = models.CharField("主要产品", max_length=100, blank=True)

    objects = ChainEnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "环节企业"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["link", "enterprise"], name="chain_enterprise_once")]

    def __str__(self) -> str:
        return f"{self.link}：{self.enterprise}"

    def audit_owner(self):
        return self.link.chain


class ChainProjectQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"


class ChainProject(models.Model):
    """A project (or a lead) on a link, with its task: 强链, 补链, 延链 or 建链."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="chain_place"
    )
    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="projects")
    task = models.CharField("链条任务", max_length=10, choices=Task.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ChainProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "环节项目"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.link}：{self.project}（{self.get_task_display()}）"

    def audit_owner(self):
        return self.project


class ChainTargetQuerySet(ScopedQuerySet):
    zone_path = "target__zone"


class ChainTarget(models.Model):
    """A 招商 target company sought for a link (the 招商清单, with the leads on the link)."""

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="targets")
    target = models.ForeignKey(
        "investment.Target", verbose_name="目标企业", on_delete=models.CASCADE, related_name="chain_places"
    )

    objects = ChainTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "环节招商目标"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["link", "target"], name="chain_target_once")]

    def __str__(self) -> str:
        return f"{self.link}：{self.target}"

    def audit_owner(self):
        return self.link.chain


class PolicyQuerySet(OwnedQuerySet):
    def for_enterprise(self, user, enterprise_id: int) -> PolicyQuerySet:
        """An enterprise sees the policies serving the chains it sits on."""
        return self.filter(links__chain__in=IndustryChain.objects.visible_to(user)).distinct()


def policy_file_path(instance: Policy, filename: str) -> str:
    return f"policies/{instance.pk or 'new'}/{filename}"


class Policy(OwnedByZoneOrRegion, TimeStampedModel):
    """政策: a policy document of a zone, a city or the province, serving chain links (the 政策清单).
    Offices list old policies by title and issuer: the date and the file may come later (待补录)."""

    title = models.CharField("政策名称", max_length=200)
    issuer = models.CharField("发文单位", max_length=100)
    number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("发布日期", null=True, blank=True)
    summary = models.TextField("主要内容", blank=True)
    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", null=True, blank=True, on_delete=models.CASCADE, related_name="policies"
    )
    region = models.ForeignKey("regions.Region", verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    links = models.ManyToManyField(
        ChainLink, verbose_name="服务环节", blank=True, through="ChainPolicy", related_name="policies"
    )
    file = models.FileField("政策文件", upload_to=policy_file_path, blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ChainPolicyQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChainPolicyQuerySet:
        return self.filter(policy__in=Policy.objects.visible_to(user))


class ChainPolicy(models.Model):
    """A policy serving a link (the link's 政策清单)."""

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="policy_places")
    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="chain_places")

    objects = ChainPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "环节政策"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["link", "policy"], name="chain_policy_once")]

    def __str__(self) -> str:
        return f"{self.link}：{self.policy}"

    def audit_owner(self):
        return self.policy


# ---------------------------------------------------------------- 揭榜挂帅 (glossary: Bounty)
# 孝义 (seed 000): 实行招商揭榜挂帅制，发布重点招引项目榜单，通过擂台比武方式揭榜，完成情况纳入绩效考核。
# An office (or a zone) publishes a board of key targets; 招商 teams claim them, rivals side by side;
# the office verifies (验收) each claim with evidence, and the board ranks the claimants.


class BountyBoardQuerySet(OwnedQuerySet):
    """An enterprise sees no board (the default): 招商 is the offices' work."""


class BountyBoard(OwnedByZoneOrRegion, TimeStampedModel):
    """榜单: the key targets an office publishes for 揭榜挂帅, with a deadline and a reward note."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        CLOSED = "closed", "已结束"

    title = models.CharField("榜单名称", max_length=200)
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bounty_boards",
        help_text="开发区的榜单填写；市、省的榜单留空并选择行政区划",
    )
    region = models.ForeignKey("regions.Region", verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("发布日期", null=True, blank=True)
    deadline = models.DateField("揭榜截止日期", help_text="此日之后不能再揭榜")
    reward_note = models.TextField("奖励说明", blank=True)
    description = models.TextField("榜单说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = BountyBoardQuerySet.as_manager()

    class Meta:
        verbose_name = "揭榜挂帅榜单"
        verbose_name_plural = verbose_name
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class BountyQuerySet(models.QuerySet):
    def visible_to(self, user) -> BountyQuerySet:
        return self.filter(board__in=BountyBoard.objects.visible_to(user))


class Bounty(models.Model):
    """榜: one key target on a board. Its goal is in 万元 whatever the kind: the project's investment
    to land, the target company's signed investment, or the amount to attract in the period."""

    class Kind(models.TextChoices):
        PROJECT = "project", "项目落地"
        TARGET = "target", "目标企业签约"
        AMOUNT = "amount", "招引投资额"

    board = models.ForeignKey(BountyBoard, verbose_name="榜单", on_delete=models.CASCADE, related_name="bounties")
    kind = models.CharField("榜的类型", max_length=10, choices=Kind.choices)
    title = models.CharField("榜题", max_length=200, help_text="如：引进氢燃料电池零部件项目")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="关联项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bounties",
    )
    target = models.ForeignKey(
        "investment.Target",
        verbose_name="目标企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bounties",
    )
    goal = models.DecimalField("目标值（万元）", max_digits=14, decimal_places=2)
    period_start = models.DateField("考核期起", null=True, blank=True)
    period_end = models.DateField("考核期止", null=True, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    link = models.ForeignKey(
        ChainLink,
        verbose_name="服务环节",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bounties",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = BountyQuerySet.as_manager()

    class Meta:
        verbose_name = "榜"
        verbose_name_plural = "榜"
        ordering = ["board_id", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_owner(self):
        return self.board


class BountyClaimQuerySet(models.QuerySet):
    def visible_to(self, user) -> BountyClaimQuerySet:
        """The claims on the boards the user sees: the 擂台 is open to all who see the board."""
        return self.filter(bounty__board__in=BountyBoard.objects.visible_to(user))


def bounty_file_path(instance, filename: str) -> str:
    claim_id = getattr(instance, "claim_id", None) or instance.pk or "new"
    return f"bounties/{claim_id}/{filename}"


class BountyClaim(models.Model):
    """揭榜: a person claims a bounty on behalf of a unit (and its team); several rivals may claim one
    bounty (擂台比武). The office verifies it once (验收), with evidence."""

    class Result(models.TextChoices):
        PASSED = "passed", "通过"
        FAILED = "failed", "未通过"

    bounty = models.ForeignKey(Bounty, verbose_name="榜", on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="揭榜人", on_delete=models.PROTECT, related_name="bounty_claims"
    )
    unit = models.ForeignKey("zones.Unit", verbose_name="揭榜单位", on_delete=models.PROTECT, related_name="+")
    team = models.CharField("团队名称", max_length=100, blank=True)
    claimed_on = models.DateField("揭榜日期")
    pledge = models.CharField("承诺", max_length=300, blank=True)
    reached = models.DecimalField("已完成（万元）", max_digits=14, decimal_places=2, default=0)
    completed_on = models.DateField("达标日期", null=True, blank=True, help_text="报告的完成值首次达到目标值之日")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_on = models.DateField("验收日期", null=True, blank=True)
    result = models.CharField("验收结果", max_length=10, choices=Result.choices, blank=True)
    achieved = models.DecimalField("验收完成值（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.FileField("验收材料", upload_to=bounty_file_path, blank=True)
    evidence_name = models.CharField("验收材料文件名", max_length=200, blank=True)
    verify_note = models.CharField("验收意见", max_length=300, blank=True)

    objects = BountyClaimQuerySet.as_manager()

    class Meta:
        verbose_name = "揭榜"
        verbose_name_plural = verbose_name
        ordering = ["bounty_id", "claimed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["bounty", "claimant"], name="bounty_claim_once_per_person")]

    def __str__(self) -> str:
        return f"{self.bounty}：{self.team or self.unit}"

    def audit_owner(self):
        return self.bounty.board

    @property
    def verified(self) -> bool:
        return bool(self.result)

    @property
    def claimant_name(self) -> str:
        return self.claimant.get_full_name() or self.claimant.first_name or self.claimant.username


class BountyProgressQuerySet(models.QuerySet):
    def visible_to(self, user) -> BountyProgressQuerySet:
        return self.filter(claim__in=BountyClaim.objects.visible_to(user))


class BountyProgress(models.Model):
    """A claim's progress report: the value reached so far (cumulative, 万元), with optional evidence."""

    claim = models.ForeignKey(BountyClaim, verbose_name="揭榜", on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField("报告日期")
    value = models.DecimalField("累计完成（万元）", max_digits=14, decimal_places=2)
    note = models.CharField("进展说明", max_length=500, blank=True)
    evidence = models.FileField("佐证材料", upload_to=bounty_file_path, blank=True)
    evidence_name = models.CharField("佐证材料文件名", max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报告人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = BountyProgressQuerySet.as_manager()

    class Meta:
        verbose_name = "揭榜进展"
        verbose_name_plural = verbose_name
        ordering = ["claim_id", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.claim}：{self.reported_on}"

    def audit_owner(self):
        return self.claim.bounty.board
