"""Backup and restore: a populated database comes back with every record and every history entry."""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client

from kaifaqu.conftest import PASSWORD
from kaifaqu.core.backup import BackupError, restore
from kaifaqu.projects.services import milestone_create, progress_create, project_move_stage

SCRIPT = os.path.join(os.path.dirname(sys.executable), "kaifaqu")
TODAY = datetime.date.today()


@pytest.fixture
def populated(reference_data, make_project, xiaoyi_staff, xiaoyi_enterprise):
    """Projects with stage moves, milestones, progress, and the audit entries they wrote, plus a login."""
    project = make_project(
        name="焦炉煤气制氢项目", enterprise=xiaoyi_enterprise, stage="contact", stage_dates={"contact_on": TODAY}
    )
    project_move_stage(user=xiaoyi_staff, project=project, to_stage="intent", dates={"intent_on": TODAY})
    milestone_create(user=xiaoyi_staff, project=project, name="完成用地预审", planned_on=TODAY)
    progress_create(user=xiaoyi_staff, project=project, reported_on=TODAY, text="签订投资协议", investment=1000)
    Client().post("/accounts/login/", {"username": "xiaoyi-staff", "password": PASSWORD})
    return project


def source_rows() -> dict[str, list[tuple]]:
    """Every row of every table of the product (Django's own bookkeeping tables aside), as the driver reads it."""
    skipped = ("django_session", "django_content_type", "auth_permission", "django_admin_log", "sqlite_")
    tables = [table for table in connection.introspection.table_names() if not table.startswith(skipped)]
    if connection.vendor == "sqlite":
        return sqlite_rows(connection.settings_dict["NAME"], tables)
    with connection.cursor() as cursor:
        rows = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = normal_rows(cursor.fetchall())
    return rows


def normal_rows(rows) -> list[tuple]:
    """Rows in a form two drivers agree on: instants in UTC, JSON as sorted text; sorted."""

    def normal(value):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.astimezone(datetime.UTC).isoformat()
        if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
            return str(value)
        if isinstance(value, str) and value[:1] in ("{", "["):  # Django's driver hands jsonb over as text
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if isinstance(value, dict | list):
            return json.dumps(value, sort_keys=True, ensure_ascii=False)
        return value

    return sorted((tuple(normal(value) for value in row) for row in rows), key=repr)


def run(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=300)


def sqlite_env(tmp_path) -> dict:
    return os.environ | {"KAIFAQU_DATA_DIR": str(tmp_path), "DATABASE_URL": "", "KAIFAQU_DEMO": "1"}


def sqlite_rows(path, tables) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as database:
        return {table: sorted(database.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}


def m2m_link_tables() -> set[str]:
    return {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }


def assert_everything_back(before: dict, after: dict, *, exact: bool) -> None:
    assert before["audit_auditentry"], "the fixture wrote history entries"
    for table, rows in before.items():
        if table == "django_migrations" and not exact:
            continue  # the restore applied the migrations itself, at its own time
        if exact:
            assert after[table] == rows, table
        else:
            restored = set(after[table])
            if table in m2m_link_tables():  # loaddata re-links many-to-many rows under new ids
                rows, restored = [row[1:] for row in rows], {row[1:] for row in restored}
            missing = [row for row in rows if row not in restored]
            assert missing == [], f"{table}: {len(missing)} rows missing"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own backup; PostgreSQL is tested below")
def test_sqlite_backup_round_trip(populated, tmp_path):
    backup_file = tmp_path / "备份" / "kaifaqu.bak"
    call_command("backup", str(backup_file))
    before = source_rows()
    target = tmp_path / "restored"
    result = run("restore", str(backup_file), env=sqlite_env(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已从")
    assert_everything_back(before, sqlite_rows(target / "kaifaqu.sqlite3", before), exact=True)
    again = run("restore", str(backup_file), env=sqlite_env(target))
    assert again.returncode == 1 and "恢复只能在空数据库上进行" in again.stderr


def test_json_backup_round_trip_into_a_fresh_sqlite_database(populated, tmp_path):
    """The portable format: from either database into a new SQLite database."""
    backup_file = tmp_path / "kaifaqu.json"
    call_command("backup", str(backup_file), format="json")
    before = source_rows()
    target = tmp_path / "restored"
    result = run("restore", str(backup_file), env=sqlite_env(target))
    assert result.returncode == 0, result.stderr
    after = sqlite_rows(target / "kaifaqu.sqlite3", before)
    if connection.vendor == "sqlite":
        assert_everything_back(before, after, exact=False)
    else:  # values come back in SQLite's own types: compare what people read
        for table, rows in before.items():
            assert len(after[table]) >= len(rows), table
    with sqlite3.connect(target / "kaifaqu.sqlite3") as database:
        changes = database.execute("SELECT action, object_repr FROM audit_auditentry ORDER BY id").fetchall()
    assert ("move", "焦炉煤气制氢项目") in changes and ("login", "") in changes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL")
def test_postgresql_backup_round_trip(populated, tmp_path):
    import psycopg

    settings = connection.settings_dict
    backup_file = tmp_path / "kaifaqu.dump"
    call_command("backup", str(backup_file))
    with tarfile.open(backup_file) as archive:  # the dump travels inside the archive, beside the files
        assert archive.extractfile("database.pgdump").read(5) == b"PGDMP"
    before = source_rows()
    scratch = f"kaifaqu_restore_{uuid.uuid4().hex[:8]}"
    base = f"postgresql://{settings['USER']}:{settings.get('PASSWORD') or ''}@{settings['HOST']}:{settings['PORT']}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {scratch}")
    try:
        env = os.environ | {"DATABASE_URL": f"{base}/{scratch}", "KAIFAQU_DEMO": "1"}
        result = run("restore", str(backup_file), env=env)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(f"{base}/{scratch}") as restored:
            after = {table: normal_rows(restored.execute(f'SELECT * FROM "{table}"').fetchall()) for table in before}
        assert_everything_back(before, after, exact=True)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")


def test_restore_refuses_a_non_empty_database_and_unknown_files(populated, tmp_path):
    unknown = tmp_path / "notes.txt"
    unknown.write_text("not a backup")
    with pytest.raises(BackupError, match="无法识别"):
        restore(unknown)
    backup_file = tmp_path / "kaifaqu.json"
    call_command("backup", str(backup_file), format="json")
    with pytest.raises(BackupError, match="恢复只能在空数据库上进行"):
        restore(backup_file)
