"""Backup and restore of the whole database.

- SQLite: the online backup API copies a consistent snapshot page by page while the app
  keeps serving (WAL mode), into a file that is itself a working SQLite database.
- PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot by design) when the tool
  is installed; ``pg_restore`` brings it back.
- ``json`` (either database, or PostgreSQL without its tools): Django's own dump of every
  table, read in one repeatable-read transaction; restored with ``loaddata`` after the
  schema is built by ``migrate``. Slower, but moves data between SQLite and PostgreSQL.

A restore goes only into an empty database: it never mixes a backup with live records.
"""

from __future__ import annotations

import datetime
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# Rows that make a database "not empty" for a restore: people and ledger records.
CONTENT_TABLES = ("auth_user", "zones_zone", "enterprises_enterprise", "projects_project", "audit_auditentry")
# Rebuilt by Django itself; dumping them would clash with what ``migrate`` creates.
JSON_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    """A refusal with a one-line Chinese reason."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str
    size: int


def backup(path: Path, *, kind: str = "auto") -> BackupResult:
    path = Path(path)
    if path.exists() and path.is_dir():
        raise BackupError(f"“{path}”是目录，请给出备份文件的路径。")
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if kind == "auto":
        kind = "sqlite" if vendor == "sqlite" else "pg_dump" if shutil.which("pg_dump") else "json"
    if kind == "sqlite":
        if vendor != "sqlite":
            raise BackupError("当前数据库不是 SQLite，不能做 SQLite 备份；请用默认格式或 --format json。")
        _sqlite_backup(path)
    elif kind == "pg_dump":
        _pg_dump(path)
    else:
        _json_backup(path)
    return BackupResult(path, kind, path.stat().st_size)


def restore(path: Path) -> str:
    """Restore ``path`` into the (empty) current database; returns the format restored."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件“{path}”。")
    kind = detect(path)
    if not database_is_empty():
        raise BackupError(
            "目标数据库中已有数据（用户、开发区、企业、项目或操作记录），为防止混入，恢复只能在空数据库上进行。"
        )
    vendor = connection.vendor
    if kind == "sqlite":
        if vendor != "sqlite":
            raise BackupError("这是 SQLite 备份，只能恢复到 SQLite 数据库；跨数据库迁移请用 --format json 备份。")
        _sqlite_restore(path)
    elif kind == "pg_dump":
        if vendor != "postgresql":
            raise BackupError("这是 PostgreSQL 备份（pg_dump），只能恢复到 PostgreSQL 数据库。")
        _pg_restore(path)
    else:
        _json_restore(path)
    return kind


def detect(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "pg_dump"
    if head.lstrip()[:1] in (b"[", b"{"):
        return "json"
    raise BackupError(f"无法识别“{path}”的格式：不是本系统生成的备份文件。")


def database_is_empty() -> bool:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in CONTENT_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return True


def _sqlite_backup(path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"备份文件“{path}”已损坏（完整性检查未通过）。")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def _pg_arguments() -> list[str]:
    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        arguments += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    return arguments


def _pg_env() -> dict:
    import os

    password = connection.settings_dict.get("PASSWORD")
    return os.environ | ({"PGPASSWORD": password} if password else {})


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"未找到 PostgreSQL 工具 {name}；请安装 postgresql-client，或用 --format json。")
    return tool


def _pg_dump(path: Path) -> None:
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)]
    _run(command + _pg_arguments(), "pg_dump")


def _pg_restore(path: Path) -> None:
    # The target may already hold the (empty) tables of a migrated database: replace them.
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error"]
    connection.close()
    _run([*command, *_pg_arguments(), str(path)], "pg_restore")


def _run(command: list[str], tool: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=_pg_env(), check=False)
    if result.returncode:
        detail = (result.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise BackupError(f"{tool} 失败：{detail}")


def _json_restore(path: Path) -> None:
    """Build the schema, clear the reference rows ``migrate`` wrote, then load the dump.

    The dump holds the source's own regions, roles and plan categories (possibly edited);
    loading them over the freshly migrated defaults could clash on unique names.
    """
    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    with transaction.atomic():
        call_command("loaddata", str(path), verbosity=0)


def _json_backup(path: Path) -> None:
    """Every row of every model, in Django's fixture format, read in one consistent snapshot.

    Written by hand rather than by ``dumpdata``: its encoder cuts timestamps to the
    millisecond, and an audit trail must come back exactly as it was.
    """
    excluded = {label for label in JSON_EXCLUDE if "." in label}
    excluded_apps = {label for label in JSON_EXCLUDE if "." not in label}
    chosen = [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded
    ]
    with transaction.atomic(), open(path, "w", encoding="utf-8") as out:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        out.write("[")
        first = True
        for model in chosen:
            rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
            for item in serializers.serialize("python", rows):
                out.write("\n" if first else ",\n")
                json.dump(item, out, cls=_ExactEncoder, ensure_ascii=False)
                first = False
        out.write("\n]\n")


class _ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()  # keep the microseconds
        return super().default(o)
