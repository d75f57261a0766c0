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

from django.db import connections, models, router

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
    adapters = [_adapter(field, connection) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, _max_params(connection) // len(fields))
    if connection.vendor == "postgresql":
        _insert_unnest(objs, fields, stamped, adapters, connection, alias)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            params = []
            for obj in batch:
                for field in stamped:
                    field.pre_save(obj, add=True)
                obj._prepare_related_fields_for_save(operation_name="insert_many")
                params.extend(
                    adapt(getattr(obj, field.attname)) if adapt else getattr(obj, field.attname)
                    for field, adapt in zip(fields, adapters, strict=True)
                )
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row_sql] * len(batch))} "
                f"RETURNING {quote(meta.pk.column)}"
            )
            cursor.execute(sql, params)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias


def _insert_unnest(objs, fields, stamped, adapters, connection, alias) -> None:
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
            for obj in batch:
                for field in stamped:
                    field.pre_save(obj, add=True)
                obj._prepare_related_fields_for_save(operation_name="insert_many")
                for values, field, adapt in zip(columns_values, fields, adapters, strict=True):
                    value = getattr(obj, field.attname)
                    values.append(adapt(value) if adapt else value)
            cursor.execute(sql, columns_values)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias


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
        return connection.ops.adapt_datetimefield_value
    return None  # text, numbers, Decimal, dates, booleans, keys: the drivers take them as they are


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
