"""Inserting many new records at once, for imports: the fast path of ``bulk_create``.

``bulk_create`` prepares every value through the field's full save chain and, on SQLite,
splits the work into statements of at most 999 parameters (about 25 projects each). Here
each field's value is adapted by the one function it needs, and each statement carries as
many rows as the database allows. New primary keys come back through ``RETURNING`` (both
SQLite ≥ 3.35 and PostgreSQL return them in the order the rows were given). Models with
``save()`` overrides or signals must not use this; the ledger models have neither.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.db import connections, models, router
from django.db.models.base import ModelState

PARAMS_PER_STATEMENT = 30000
UNNEST_ROWS = 5000


def insert_many(objs: Sequence[models.Model]) -> None:
    """Insert unsaved instances of one model; their primary keys are set afterwards."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    stamped = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    keys = [field for field in fields if field.many_to_one or field.one_to_one]
    adapters = [_adapter(field, connection) for field in fields]
    attnames = [field.attname for field in fields]
    pairs = list(zip(attnames, adapters, strict=True))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, _max_params(connection) // len(fields))
    if connection.vendor == "postgresql":
        _insert_unnest(objs, fields, attnames, stamped, keys, adapters, connection, alias)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            params = []
            _before_insert(batch, stamped, keys)
            for obj in batch:
                values = obj.__dict__
                params.extend(adapt(values[attname]) if adapt else values[attname] for attname, adapt in pairs)
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row_sql] * len(batch))} "
                f"RETURNING {quote(meta.pk.column)}"
            )
            cursor.execute(sql, params)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias


def _insert_unnest(objs, fields, attnames, stamped, keys, adapters, connection, alias) -> None:
    """PostgreSQL: one array per column, ``INSERT … SELECT * FROM unnest(…)`` (as Django's own
    bulk_create does there): a short statement whatever the number of rows."""
    quote = connection.ops.quote_name
    meta = type(objs[0])._meta
    casts = [_array_type(field, connection) for field in fields]
    arrays = ", ".join(f"%s::{cast}" for cast in casts)
    columns = ", ".join(quote(field.column) for field in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM unnest({arrays}) "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), UNNEST_ROWS):
            batch = objs[start : start + UNNEST_ROWS]
            columns_values: list[list] = [[] for _ in fields]
            _before_insert(batch, stamped, keys)
            for values, attname, adapt in zip(columns_values, attnames, adapters, strict=True):
                if adapt:
                    values.extend(adapt(obj.__dict__[attname]) for obj in batch)
                else:
                    values.extend(obj.__dict__[attname] for obj in batch)
            cursor.execute(sql, columns_values)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias


def _before_insert(batch: Sequence[models.Model], stamped: list[models.Field], keys: list[models.Field]) -> None:
    """What ``save()`` does before an insert, done once per batch where it can be: the
    ``auto_now`` stamps (one moment for the whole batch) and the keys of related records
    that were saved after being assigned (an enterprise registered by the same import)."""
    for field in stamped:
        moment = field.pre_save(batch[0], add=True)
        for obj in batch:
            obj.__dict__[field.attname] = moment
    for field in keys:
        name, attname = field.name, field.attname
        for obj in batch:
            related = obj._state.fields_cache.get(name)
            if related is None:
                continue
            if related.pk is None:
                raise ValueError(f"insert_many(): the related '{name}' is not saved yet")
            if obj.__dict__[attname] != related.pk:
                obj.__dict__[attname] = related.pk


def _array_type(field: models.Field, connection) -> str:
    if isinstance(field, models.JSONField):
        return "text[]::jsonb[]"  # JSON goes in as text (see ``_adapter``)
    return f"{field.db_type(connection)}[]"


def _adapter(field: models.Field, connection) -> Callable | None:
    """What the database driver needs done to a value of ``field``; None: nothing."""
    if isinstance(field, models.JSONField):
        if connection.vendor == "postgresql":
            return partial(_json_text, field)
        return partial(_prepare, field, connection)
    if isinstance(field, models.DateTimeField):
        return _memo(connection.ops.adapt_datetimefield_value)
    return None  # text, numbers, Decimal, dates, booleans, keys: the drivers take them as they are


def _memo(adapt: Callable) -> Callable:
    """``adapt`` remembering its answers: a batch shares a handful of timestamps."""
    seen: dict = {}

    def adapted(value):
        if value is None:
            return None
        found = seen.get(value)
        if found is None:
            found = seen[value] = adapt(value)
        return found

    return adapted


def _json_text(field: models.JSONField, value) -> str | None:
    return None if value is None else json.dumps(value, cls=field.encoder, ensure_ascii=False)


def _prepare(field: models.Field, connection, value):
    return field.get_db_prep_save(value, connection)


def _max_params(connection) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return min(limit, PARAMS_PER_STATEMENT)
    return PARAMS_PER_STATEMENT


_BLANKS: dict[type, tuple[dict[str, Any], tuple]] = {}


def new_instance(model):
    """A new, unsaved ``model`` with every field at its default.

    The same as ``model()`` (the models planned here have no init signals), built from a
    copy of the defaults worked out once: Django's initialiser costs more than the rest
    of planning a row. Callable defaults (``dict``, ``now``) are still called each time.
    """
    blank = _BLANKS.get(model)
    if blank is None:
        fields = model._meta.concrete_fields
        called = tuple(
            (field.attname, field.default) for field in fields if field.has_default() and callable(field.default)
        )
        fixed = {field.attname: field.get_default() for field in fields if field.attname not in dict(called)}
        blank = _BLANKS[model] = (fixed, called)
    fixed, called = blank
    instance = model.__new__(model)
    instance.__dict__.update(fixed)
    for attname, default in called:
        instance.__dict__[attname] = default()
    instance._state = ModelState()
    return instance
