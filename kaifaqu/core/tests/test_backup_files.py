"""Backups hold the files too: a restored server serves every attachment and report the old one did."""

from __future__ import annotations

import contextlib
import http.cookiejar
import io
import os
import re
import socket
import sqlite3
import subprocess
import tarfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from kaifaqu.conftest import PASSWORD
from kaifaqu.core.backup import BackupError, _json_backup, file_roots, restore
from kaifaqu.core.tests.test_backup import SCRIPT, assert_everything_back, normal_rows, run, source_rows, sqlite_env
from kaifaqu.reports.models import Report
from kaifaqu.reports.services import report_request
from kaifaqu.services.models import RequestAttachment
from kaifaqu.services.services import request_file, request_resolve

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def stored(reference_data, settings, make_project, xiaoyi, xiaoyi_staff, xiaoyi_enterprise):
    """A project, a resolved request with an attachment, and a weekly report with its two files."""
    settings.KAIFAQU_TASKS_EAGER = True
    make_project(name="焦炉煤气制氢项目", enterprise=xiaoyi_enterprise)
    request = request_file(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, title="用地指标", category="land")
    upload = SimpleUploadedFile("现场照片 说明.pdf", PDF, content_type="application/pdf")
    request_resolve(user=xiaoyi_staff, request=request, resolution="已协调解决", files=[upload])
    report = report_request(user=xiaoyi_staff, kind="weekly", zone=xiaoyi)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    attachment = RequestAttachment.objects.get()
    return {
        f"/requests/{request.pk}/files/{attachment.pk}/": attachment.file.read(),
        f"/reports/{report.pk}/download/?file=docx": report.path("docx").read_bytes(),
        f"/reports/{report.pk}/download/?file=xlsx": report.path("xlsx").read_bytes(),
    }


def stored_files(data_dir: Path | None = None) -> dict[str, bytes]:
    """Every file of the product's file storage, by its path under its root, with its bytes."""
    roots = file_roots()
    if data_dir is not None:  # the same roots, under another data directory
        roots = {name: data_dir / name for name in roots}
    return {
        f"{name}/{file.relative_to(root).as_posix()}": file.read_bytes()
        for name, root in roots.items()
        if root.exists()
        for file in root.rglob("*")
        if file.is_file()
    }


@contextlib.contextmanager
def fresh_server_env(tmp_path):
    """The environment of a new server: a fresh data directory and a fresh, empty database of this vendor.

    Yields the environment and ``query(sql)``, the rows the new database answers (as ``source_rows`` reads them)."""
    data_dir = tmp_path / "restored"
    if connection.vendor == "sqlite":

        def query_sqlite(sql):
            with sqlite3.connect(data_dir / "kaifaqu.sqlite3") as database:
                return sorted(database.execute(sql).fetchall(), key=repr)

        yield sqlite_env(data_dir), query_sqlite
        return
    import psycopg

    settings = connection.settings_dict
    scratch = f"kaifaqu_restore_{uuid.uuid4().hex[:8]}"
    base = f"postgresql://{settings['USER']}:{settings.get('PASSWORD') or ''}@{settings['HOST']}:{settings['PORT']}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {scratch}")

    def query_postgresql(sql):
        with psycopg.connect(f"{base}/{scratch}") as restored:
            return normal_rows(restored.execute(sql).fetchall())

    try:
        env = os.environ | {"DATABASE_URL": f"{base}/{scratch}", "KAIFAQU_DATA_DIR": str(data_dir), "KAIFAQU_DEMO": "1"}
        yield env, query_postgresql
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")


@contextlib.contextmanager
def server(env):
    """The restored installation answering HTTP on a free local port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [SCRIPT, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # a pipe nobody reads could fill up and stall the server
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert process.poll() is None, "the restored server did not start"
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def logged_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers={"Referer": base}))
    assert any(cookie.name == "sessionid" for cookie in jar), "login failed"
    return opener


def test_a_restored_server_has_every_row_and_serves_every_file(stored, tmp_path):
    backup_file = tmp_path / "备份" / "kaifaqu.bak"
    call_command("backup", str(backup_file))
    before, files = source_rows(), stored_files()
    assert len(files) == 3 and set(stored.values()) == set(files.values())
    with fresh_server_env(tmp_path) as (env, query):
        result = run("restore", str(backup_file), env=env)
        assert result.returncode == 0, result.stderr
        after = {table: query(f'SELECT * FROM "{table}"') for table in before}
        assert_everything_back(before, after, exact=True)
        assert stored_files(Path(env["KAIFAQU_DATA_DIR"])) == files
        with server(env) as base:
            browser = logged_in(base, "xiaoyi-staff")
            for url, content in stored.items():
                with browser.open(base + url) as response:
                    assert (response.status, response.read()) == (200, content), url
        assert "附件、报告和导入文件 3 个" in result.stdout and "校验值全部相符" in result.stdout


def rewritten(source: Path, target: Path, change) -> None:
    """A copy of the archive with one member's bytes changed (same size) and the manifest kept."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            new.addfile(member, io.BytesIO(change(member.name, data)))


def test_a_damaged_archive_is_refused_and_changes_nothing(stored, tmp_path):
    backup_file = tmp_path / "kaifaqu.bak"
    call_command("backup", str(backup_file))
    damaged = tmp_path / "damaged.bak"
    rewritten(backup_file, damaged, lambda name, data: data.replace(b"%%EOF", b"%%EOX") if ".pdf" in name else data)
    with fresh_server_env(tmp_path) as (env, query):
        result = run("restore", str(damaged), env=env)
        assert result.returncode == 1
        assert "已损坏" in result.stderr and "校验值（SHA-256）与清单不符" in result.stderr
        assert "现场照片_说明.pdf" in result.stderr and "未做任何恢复" in result.stderr
        assert stored_files(Path(env["KAIFAQU_DATA_DIR"])) == {}
        tables = (
            "SELECT name FROM sqlite_master"
            if connection.vendor == "sqlite"
            else "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
        assert query(tables) == [], "the database was left as it was: without a single table"
    cut = tmp_path / "cut.bak"
    cut.write_bytes(backup_file.read_bytes()[: backup_file.stat().st_size // 2])
    with pytest.raises(BackupError, match=r"已损坏.*中断"):
        restore(cut)


def test_a_database_only_backup_of_an_earlier_version_still_restores(stored, tmp_path):
    old_backup = tmp_path / "kaifaqu.json"
    _json_backup(old_backup)  # what ``kaifaqu backup --format json`` wrote before archives
    target = tmp_path / "restored"
    result = run("restore", str(old_backup), env=sqlite_env(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已从 {old_backup} 恢复（格式：json）。")
    assert "只含数据库的旧版备份，不含附件、报告和导入文件" in result.stdout
    with sqlite3.connect(target / "kaifaqu.sqlite3") as database:
        assert database.execute("SELECT name FROM projects_project").fetchall() == [("焦炉煤气制氢项目",)]
