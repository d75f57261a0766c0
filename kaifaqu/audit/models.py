"""The audit trail: one row per change, login or export, never edited or deleted by the product."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from kaifaqu.core.scoping import ScopedQuerySet, scope_for


class AuditEntryQuerySet(ScopedQuerySet):
    zone_path = "zone"
    enterprise_path = "enterprise"

    def visible_to(self, user) -> "AuditEntryQuerySet":
        """The records' entries in the user's scope, plus what the user's own unit did (logins, exports)."""
        scope = scope_for(user)
        visible = super().visible_to(user)
        if scope.everything or scope.unit_id is None or scope.enterprise_id is not None:
            return visible
        return visible | self.filter(unit_id=scope.unit_id)

    def update(self, **kwargs):
        raise TypeError("操作记录不能修改。")

    def delete(self):
        raise TypeError("操作记录不能删除。")

    def for_record(self, key: str) -> "AuditEntryQuerySet":
        return self.filter(record_key=key)


class AuditEntry(models.Model):
    """Who did what to which record, when, from where, with each field's old and new value.

    ``record_key`` names the ledger record whose page shows the entry (a milestone's entry
    belongs to its project); ``object_key`` the row that changed. Both are
    ``app_label.model:pk`` strings so an entry outlives the row it describes. ``zone`` and
    ``enterprise`` carry the record's place for scoping, without foreign-key constraints:
    deleting a zone must not touch its history.
    """

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        MOVE = "move", "阶段变更"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出"
        EXPORT = "export", "导出"

    class Source(models.TextChoices):
        PAGE = "page", "页面"
        API = "api", "接口"
        ADMIN = "admin", "管理后台"
        IMPORT = "import", "导入"
        COMMAND = "command", "命令行"
        SYSTEM = "system", "系统"

    at = models.DateTimeField("时间", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    action = models.CharField("操作", max_length=14, choices=Action.choices)
    record_key = models.CharField("记录", max_length=60, blank=True)
    object_key = models.CharField("对象", max_length=60, blank=True)
    object_label = models.CharField("对象类型", max_length=20, blank=True)
    object_repr = models.CharField("对象名称", max_length=200, blank=True)
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    unit_id = models.BigIntegerField("操作人单位", null=True, blank=True)
    record_version = models.PositiveIntegerField("变更后版本", null=True, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["record_key", "at"], name="audit_record"),
            models.Index(fields=["zone", "at"], name="audit_zone"),
            models.Index(fields=["unit_id", "at"], name="audit_unit"),
            # Logins only (the lockout's look-ups): partial, so writes of ledger changes,
            # by far the most rows, do not maintain them.
            models.Index(
                fields=["username", "at"],
                name="audit_login_user",
                condition=models.Q(action__in=["login", "login_failed"]),
            ),
            models.Index(fields=["ip", "at"], name="audit_login_ip", condition=models.Q(action="login_failed")),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("操作记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("操作记录不能删除。")

    @property
    def local_at(self):
        return timezone.localtime(self.at)

    @property
    def change_rows(self) -> list[tuple[str, str | None, str | None]]:
        """(field's Chinese name, old, new) for each changed field, in the order written."""
        labels = _field_labels(self.object_key.partition(":")[0])
        return [(labels.get(name, name), pair[0], pair[1]) for name, pair in self.changes.items()]


def _field_labels(label: str) -> dict[str, str]:
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return {}
    return {field.name: str(field.verbose_name) for field in model._meta.concrete_fields}
