"""Reminders reach people three ways: the in-app inbox, email, and the group robots Chinese
offices use (企业微信, 钉钉, 飞书), configured per unit. Every delivery is recorded once per
item and period, so a scheduled run never sends the same reminder twice and retries failures."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kaifaqu.core.text import without_query


class Channel(models.Model):
    """A unit's group robot (webhook) or mailbox."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"
        FEISHU = "feishu", "飞书群机器人"
        EMAIL = "email", "电子邮件"

    unit = models.ForeignKey("zones.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=100, help_text="如：孝义经开区项目调度群")
    address = models.CharField("Webhook 地址或邮箱", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True, help_text="钉钉、飞书机器人开启“加签”时填写")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = verbose_name
        ordering = ["unit", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def shown_address(self) -> str:
        """The address as pages show it, its key cut off."""
        return without_query(self.address)


class InboxMessage(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="inbox"
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One reminder to one recipient over one channel: sent once, retried until it is."""

    class Status(models.TextChoices):
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    key = models.CharField("提醒", max_length=120, help_text="事项和周期，如 request:12:2026-11-30")
    channel = models.CharField("渠道", max_length=10)
    # The unit's robot or mailbox it went to (none for a person's inbox or email): its page lists only its own.
    target = models.ForeignKey(
        Channel, verbose_name="通知渠道", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    recipient = models.CharField("接收方", max_length=200)
    subject = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("错误", max_length=300, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "提醒发送记录"
        verbose_name_plural = verbose_name
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["key", "channel", "recipient"], name="one_delivery_per_item")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"
