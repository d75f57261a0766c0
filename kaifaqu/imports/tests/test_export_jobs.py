"""A ledger export over ``KAIFAQU_EXPORT_INLINE_ROWS`` rows is written in the background: the
link answers with a job page, the job ends with the same file a direct export gives, and
only its requester may see it."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from kaifaqu.audit.models import AuditEntry
from kaifaqu.conftest import make_user
from kaifaqu.imports.models import ExportJob
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.django_db
EXPORT = "/imports/export/projects/?q=煤&unit=亿元"


@pytest.fixture
def projects(make_project):
    for number in range(4):
        make_project(f"焦炉煤气项目{number}号", total_investment=Decimal("12345.6") + number)
    make_project("氢能产业园", total_investment=Decimal("88000"))  # not in the filtered list


@pytest.fixture(autouse=True)
def eager(settings):
    settings.KAIFAQU_TASKS_EAGER = True


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_of(response) -> list[tuple]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(raw)).active.iter_rows(values_only=True))


def test_a_large_export_becomes_a_job_with_the_same_rows(settings, projects, xiaoyi_staff):
    page = client_for(xiaoyi_staff)
    settings.KAIFAQU_EXPORT_INLINE_ROWS = 1000
    direct = page.get(EXPORT)
    assert direct["Content-Type"].startswith("application/vnd.openxmlformats")
    settings.KAIFAQU_EXPORT_INLINE_ROWS = 3  # the filtered list has 4
    exports_before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, user=xiaoyi_staff).count()
    answer = page.get(EXPORT)
    job = ExportJob.objects.get(user=xiaoyi_staff)
    assert answer.status_code == 302 and answer["Location"] == f"/imports/export/{job.pk}/"
    shown = page.get(answer["Location"]).content.decode()
    assert "已生成，共 4 行" in shown and f"/imports/export/{job.pk}/download/" in shown
    assert job.file_name.startswith("项目台账-亿元-") and job.file_name.endswith(".xlsx")
    download = page.get(f"/imports/export/{job.pk}/download/")
    assert download.status_code == 200
    rows = rows_of(download)
    assert rows == rows_of(direct)
    assert len(rows) == 2 + 4 + 1  # title, header, the 4 filtered projects, 合计
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, user=xiaoyi_staff).count() == exports_before + 1


def test_a_large_csv_export_is_a_job_too(settings, projects, xiaoyi_staff):
    settings.KAIFAQU_EXPORT_INLINE_ROWS = 3
    page = client_for(xiaoyi_staff)
    answer = page.get(EXPORT + "&format=csv")
    job = ExportJob.objects.get(user=xiaoyi_staff)
    assert answer.status_code == 302 and job.file_format == "csv"
    text = b"".join(page.get(f"/imports/export/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 5 and "氢能产业园" not in text


def test_a_small_export_stays_a_direct_download(settings, projects, xiaoyi_staff):
    settings.KAIFAQU_EXPORT_INLINE_ROWS = 4
    response = client_for(xiaoyi_staff).get(EXPORT)
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_nobody_else_sees_the_job_or_its_file(settings, projects, xiaoyi, xiaoyi_staff, tunliu_staff):
    settings.KAIFAQU_EXPORT_INLINE_ROWS = 3
    client_for(xiaoyi_staff).get(EXPORT)
    job = ExportJob.objects.get()
    colleague = make_user("xiaoyi-colleague", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    for user in (tunliu_staff, colleague):
        page = client_for(user)
        for url in (f"/imports/export/{job.pk}/", f"/imports/export/{job.pk}/progress/"):
            assert page.get(url).status_code == 404, url
        assert page.get(f"/imports/export/{job.pk}/download/").status_code == 404


def test_the_export_bench_runs(tmp_path):
    """``bench/export.py`` end to end on a small ledger (its timings are not checked here)."""
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "export.py"), "--projects", "300", "--zones", "3", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "KAIFAQU_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "300 projects" in done.stdout and "xlsx/CSV = " in done.stdout
