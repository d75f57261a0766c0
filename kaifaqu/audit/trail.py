"""Writing the audit trail. Services call these after each write, in the same transaction.

Values are stored as the text a person reads (labels of choices, names of related
records, amounts with two decimals), so the history stays readable after related rows
change. ``changes`` maps each field to ``[old, new]``; the field's Chinese name is looked
up when the history is shown (``AuditEntry.change_rows``).

Bulk work (an import) wraps its writes in ``batch()``: the entries are then collected and
inserted together at the end of the block, still inside the caller's transaction, so the
trail costs one multi-row insert instead of one insert per record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, NamedTuple

from django.db import connections, models, router, transaction
from django.utils import timezone

from kaifaqu.core.scoping import scope_for
from kaifaqu.core.text import without_query

from .context import current
from .models import AuditEntry

# Fields the system maintains: not worth a line in anyone's history.
SKIPPED_FIELDS = frozenset({"id", "created_at", "updated_at", "created_by", "version", "last_login"})
# Recorded as changed, never shown: a password hash, a robot's signing key.
MASKED_FIELDS = frozenset({"password", "secret"})

_batch: ContextVar[list[dict] | None] = ContextVar("kaifaqu_audit_batch", default=None)


class FieldSpec(NamedTuple):
    name: str
    attname: str
    show: Callable[[models.Model, Any], str]  # (instance, non-empty value) → the text people read


@cache
def field_specs(model: type[models.Model]) -> tuple[FieldSpec, ...]:
    """The audited fields of ``model`` with how to show each, worked out once per model."""
    return tuple(
        FieldSpec(field.name, field.attname, _shower(field))
        for field in model._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS and not field.primary_key
    )


@cache
def _model_label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)[:20]


def _shower(field: models.Field) -> Callable[[models.Model, Any], str]:
    """How to show a value of ``field``: labels for choices, names for related records, 2-decimal amounts."""
    if field.name in MASKED_FIELDS:
        return lambda instance, value: "******"
    if field.choices:
        labels = {key: str(label) for key, label in field.flatchoices}
        return lambda instance, value: labels.get(value, str(value))
    if field.is_relation:
        return lambda instance, value: _related_name(instance, field, value)
    if isinstance(field, models.BooleanField):
        return lambda instance, value: "是" if value else "否"
    if isinstance(field, models.DecimalField):
        return lambda instance, value: f"{value:.2f}"
    if isinstance(field, models.DateTimeField):
        return lambda instance, value: value.isoformat(timespec="seconds")
    if isinstance(field, models.DateField):
        return lambda instance, value: value.isoformat()
    if isinstance(field, models.JSONField):
        return lambda instance, value: ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    # A web address's query string often carries a key (a robot's ``?key=``): kept out of the history.
    return lambda instance, value: _text(value) if isinstance(value, str) else str(value)


def _text(value: str) -> str:
    return without_query(value) if value.startswith(("http://", "https://")) else value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's field values as they are now (in memory), to diff against after a change."""
    return {spec.attname: getattr(instance, spec.attname) for spec in field_specs(type(instance))}


def stored_snapshot(instance: models.Model) -> dict[str, Any]:
    """The values as stored, when the caller's instance may already carry the new ones (a bound ModelForm)."""
    return snapshot(type(instance)._base_manager.get(pk=instance.pk))


@contextmanager
def batch():
    """Collect the entries written inside the block and insert them together at its end."""
    if _batch.get() is not None:  # already batching: the outer block writes
        yield
        return
    entries: list[dict] = []
    token = _batch.set(entries)
    try:
        yield
    finally:
        _batch.reset(token)
    _insert_many(entries)


def record_create(*, user, instance: models.Model, note: str = "") -> AuditEntry | None:
    return _write(user, AuditEntry.Action.CREATE, instance, _values(instance, new=True), note)


def record_update(*, user, instance: models.Model, before: dict[str, Any], note: str = "") -> AuditEntry | None:
    """One entry listing each changed field; nothing when no field changed."""
    changes = _diff(instance, before)
    if not changes:
        return None
    return _write(user, AuditEntry.Action.UPDATE, instance, changes, note)


def save_recorded(*, user, instance: models.Model, full_clean: bool = False) -> models.Model:
    """Save a new or changed record with its one entry (created, or the fields changed), in one transaction."""
    created = instance.pk is None
    with transaction.atomic():
        before = {} if created else stored_snapshot(instance)
        if full_clean:
            instance.full_clean()
        instance.save()
        if created:
            record_create(user=user, instance=instance)
        else:
            record_update(user=user, instance=instance, before=before)
    return instance


def record_delete(*, user, instance: models.Model, note: str = "") -> AuditEntry | None:
    return _write(user, AuditEntry.Action.DELETE, instance, _values(instance, new=False), note)


def record_move(*, user, instance: models.Model, before: dict[str, Any], note: str = "") -> AuditEntry | None:
    """A stage move: the stage and the dates (and 项目代码) it set."""
    return _write(user, AuditEntry.Action.MOVE, instance, _diff(instance, before), note)


def record_links(*, user, instance: models.Model, changes: dict[str, list]) -> AuditEntry | None:
    """Changed many-to-many links (a member's roles): ``changes`` maps the field to [old names, new names]."""
    return _write(user, AuditEntry.Action.UPDATE, instance, changes, "")


def record_event(*, action: str, user=None, username: str = "", note: str = "", instance=None) -> AuditEntry:
    """A login, failed login, logout or export: written at once, never batched."""
    values = _entry(user, action, instance, {}, note)
    if username and not values["username"]:
        values["username"] = username[:150]
    entry = AuditEntry(**values)
    entry.save()
    return entry


def record_bulk_create(*, user, instances: Iterable[models.Model], note: str = "") -> int:
    """The trail of records written by ``bulk_create``: one insert for all entries."""
    with batch():
        count = 0
        for instance in instances:
            record_create(user=user, instance=instance, note=note)
            count += 1
    return count


def record_key(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def _write(user, action: str, instance, changes: dict, note: str) -> AuditEntry | None:
    values = _entry(user, action, instance, changes, note)
    pending = _batch.get()
    if pending is not None:
        pending.append(values)
        return None
    entry = AuditEntry(**values)
    entry.save()
    return entry


def _entry(user, action: str, instance, changes: dict, note: str) -> dict[str, Any]:
    """An entry's column values (``attname`` → value), ready for a model or a multi-row insert."""
    context = current()
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    values = {
        "at": timezone.now(),
        "user_id": user.pk if authenticated else None,
        "username": user.get_username() if authenticated else "",
        "source": context.source,
        "ip": context.ip,
        "unit_id": scope_for(user).unit_id if authenticated else None,
        "action": action,
        "changes": changes,
        "note": (note or "")[:300],
        "record_key": "",
        "object_key": "",
        "object_label": "",
        "object_repr": "",
        "zone_id": None,
        "enterprise_id": None,
        "record_version": None,
    }
    if instance is not None:
        owner = getattr(instance, "audit_owner", None)
        record = owner() if callable(owner) else instance
        values["record_key"] = record_key(record)
        values["object_key"] = record_key(instance)
        values["object_label"] = _model_label(type(instance))
        values["object_repr"] = str(instance)[:200]
        values["zone_id"], values["enterprise_id"] = _place(instance)
        if record is instance:
            values["record_version"] = getattr(instance, "version", None)
    return values


def _insert_many(rows: list[dict]) -> None:
    """One multi-row insert of collected entries, without building a model object per entry.

    The ORM's ``bulk_create`` spends more on building and compiling 16 columns × N rows
    than the database spends storing them; this keeps a large import's trail within a
    fraction of the import's own cost.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(AuditEntry)]
    fields = [AuditEntry._meta.get_field(name) for name in _COLUMNS]
    if connection.vendor == "postgresql":
        _copy_into_postgresql(connection, fields, rows)
        return
    changes_field = AuditEntry._meta.get_field("changes")
    adapt_time = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    params = []
    for row in rows:
        values = [row[field.attname] for field in fields]
        values[0] = adapt_time(values[0])
        values[_CHANGES_AT] = changes_field.get_db_prep_save(values[_CHANGES_AT], connection)
        params.append(values)
    with connection.cursor() as cursor:
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])


def _copy_into_postgresql(connection, fields, rows: list[dict]) -> None:
    """PostgreSQL's COPY: the fastest way in, one stream for the whole batch."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [row[field.attname] for field in fields]
            values[_CHANGES_AT] = json.dumps(values[_CHANGES_AT], ensure_ascii=False)
            copy.write_row(values)


_COLUMNS = (
    "at",
    "user",
    "username",
    "source",
    "ip",
    "action",
    "record_key",
    "object_key",
    "object_label",
    "object_repr",
    "zone",
    "enterprise",
    "unit_id",
    "record_version",
    "changes",
    "note",
)
_CHANGES_AT = _COLUMNS.index("changes")


def _place(instance) -> tuple[int | None, int | None]:
    """The zone and enterprise a record belongs to, for scoping who may read its history."""
    meta = instance._meta.label_lower
    if meta == "zones.zone":
        return instance.pk, None
    if meta == "enterprises.enterprise":
        return instance.zone_id, instance.pk
    if getattr(instance, "project_id", None) is not None and not hasattr(instance, "zone_id"):
        project = instance.project
        return project.zone_id, project.enterprise_id
    return getattr(instance, "zone_id", None), getattr(instance, "enterprise_id", None)


def _values(instance, *, new: bool) -> dict[str, list]:
    """Every non-empty field of a created (``new``) or deleted record."""
    changes = {}
    for name, attname, show in field_specs(type(instance)):
        value = getattr(instance, attname)
        if value is None or value == "" or value == [] or value == {}:
            continue
        shown = show(instance, value)
        changes[name] = [None, shown] if new else [shown, None]
    return changes


def _diff(instance, before: dict[str, Any]) -> dict[str, list]:
    changes = {}
    for name, attname, show in field_specs(type(instance)):
        old, new = before.get(attname), getattr(instance, attname)
        if _normal(old) != _normal(new):
            changes[name] = [_show(instance, show, old), _show(instance, show, new)]
    return changes


def _show(instance, show, value) -> str | None:
    return None if _empty(value) else show(instance, value)


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
