"""Writing the audit trail. Services call these after each write, in the same transaction.

Values are stored as the text a person reads (labels of choices, names of related
records, amounts with two decimals), each with the field's Chinese name, so the history
stays readable after the code or the related rows change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models

from kaifaqu.core.scoping import scope_for

from .context import current
from .models import AuditEntry

# Fields the system maintains: not worth a line in anyone's history.
SKIPPED_FIELDS = frozenset({"id", "created_at", "updated_at", "created_by", "version"})


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's field values as they are now (in memory), to diff against after a change."""
    return {field.attname: getattr(instance, field.attname) for field in _fields(instance)}


def stored_snapshot(instance: models.Model) -> dict[str, Any]:
    """The values as stored, when the caller's instance may already carry the new ones (a bound ModelForm)."""
    return snapshot(type(instance)._base_manager.get(pk=instance.pk))


def record_create(*, user, instance: models.Model, note: str = "") -> AuditEntry:
    changes = {
        field.name: _change(instance, field, None, getattr(instance, field.attname))
        for field in _fields(instance)
        if not _empty(getattr(instance, field.attname))
    }
    return _write(user, AuditEntry.Action.CREATE, instance, changes, note)


def record_update(*, user, instance: models.Model, before: dict[str, Any], note: str = "") -> AuditEntry | None:
    """One entry listing each changed field; nothing when no field changed."""
    changes = _diff(instance, before)
    if not changes:
        return None
    return _write(user, AuditEntry.Action.UPDATE, instance, changes, note)


def record_delete(*, user, instance: models.Model, note: str = "") -> AuditEntry:
    changes = {
        field.name: _change(instance, field, getattr(instance, field.attname), None)
        for field in _fields(instance)
        if not _empty(getattr(instance, field.attname))
    }
    return _write(user, AuditEntry.Action.DELETE, instance, changes, note)


def record_move(*, user, instance: models.Model, before: dict[str, Any], note: str = "") -> AuditEntry:
    """A stage move: the stage and the dates (and 项目代码) it set."""
    return _write(user, AuditEntry.Action.MOVE, instance, _diff(instance, before), note)


def record_event(*, action: str, user=None, username: str = "", note: str = "", instance=None) -> AuditEntry:
    """A login, failed login, logout or export."""
    entry = _entry(user, action, instance, {}, note)
    if username and not entry.username:
        entry.username = username[:150]
    entry.save()
    return entry


def record_bulk_create(*, user, instances: Iterable[models.Model], note: str = "") -> int:
    """The trail of a bulk write (an import): one insert for all entries."""
    entries = []
    for instance in instances:
        changes = {
            field.name: _change(instance, field, None, getattr(instance, field.attname))
            for field in _fields(instance)
            if not _empty(getattr(instance, field.attname))
        }
        entries.append(_entry(user, AuditEntry.Action.CREATE, instance, changes, note))
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def record_key(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def _write(user, action: str, instance, changes: dict, note: str) -> AuditEntry:
    entry = _entry(user, action, instance, changes, note)
    entry.save()
    return entry


def _entry(user, action: str, instance, changes: dict, note: str) -> AuditEntry:
    context = current()
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    entry = AuditEntry(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        source=context.source,
        ip=context.ip,
        unit_id=scope_for(user).unit_id if authenticated else None,
        action=action,
        changes=changes,
        note=(note or "")[:300],
    )
    if instance is not None:
        owner = getattr(instance, "audit_owner", None)
        record = owner() if callable(owner) else instance
        entry.record_key = record_key(record)
        entry.object_key = record_key(instance)
        entry.object_label = str(instance._meta.verbose_name)[:20]
        entry.object_repr = str(instance)[:200]
        entry.zone_id, entry.enterprise_id = _place(instance)
        if record is instance:
            entry.record_version = getattr(instance, "version", None)
    return entry


def _place(instance) -> tuple[int | None, int | None]:
    """The zone and enterprise a record belongs to, for scoping who may read its history."""
    meta = instance._meta.label_lower
    if meta == "zones.zone":
        return instance.pk, None
    if meta == "enterprises.enterprise":
        return instance.zone_id, instance.pk
    if hasattr(instance, "project_id"):
        project = instance.project
        return project.zone_id, project.enterprise_id
    return getattr(instance, "zone_id", None), getattr(instance, "enterprise_id", None)


def _fields(instance):
    return [
        field for field in instance._meta.concrete_fields if field.name not in SKIPPED_FIELDS and not field.primary_key
    ]


def _diff(instance, before: dict[str, Any]) -> dict[str, dict]:
    changes = {}
    for field in _fields(instance):
        old, new = before.get(field.attname), getattr(instance, field.attname)
        if _normal(old) != _normal(new):
            changes[field.name] = _change(instance, field, old, new)
    return changes


def _change(instance, field, old, new) -> dict[str, Any]:
    return {
        "label": str(field.verbose_name),
        "old": _display(instance, field, old),
        "new": _display(instance, field, new),
    }


def _display(instance, field, value) -> str | None:
    """The value as the ledger shows it: labels for choices, names for related records."""
    if _empty(value):
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return _related_name(instance, field, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def _related_name(instance, field, value) -> str:
    """The related record's name, from the instance's cache when it holds that record (no query)."""
    if field.is_cached(instance):
        cached = field.get_cached_value(instance)
        if cached is not None and cached.pk == value:
            return str(cached)
    related = field.related_model._base_manager.filter(pk=value).first()
    return str(related) if related is not None else f"#{value}"


def _normal(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}
