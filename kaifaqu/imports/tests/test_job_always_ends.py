"""An import job always ends: whatever breaks while it runs, it ends 失败 with its reason on
its page; what it keeps stays small; its error file is written in bounded memory (issue 18)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaifaqu.imports import services
from kaifaqu.imports.models import ImportJob

from .files import write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks(settings, tmp_path):
    settings.KAIFAQU_TASKS_EAGER = True
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def client(xiaoyi_staff) -> Client:
    client = Client()
    client.force_login(xiaoyi_staff)
    return client


def upload(client, path) -> ImportJob:
    client.post(
        reverse("imports:index"), {"kind": "projects", "file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    return ImportJob.objects.latest("id")


def small_ledger(tmp_path, name="台账.xlsx"):
    return write_xlsx(tmp_path / name, [["项目名称", "总投资（万元）", "开发区"], ["煤层气综合利用", 100, "孝义"]])


def preview(client, job: ImportJob) -> str:
    """Start the preview as the page does; answer the job page the user then sees."""
    response = client.post(reverse("imports:mapping", args=[job.pk]), {})
    assert response.status_code == 302
    return client.get(reverse("imports:detail", args=[job.pk])).content.decode()


def assert_failed_with(job: ImportJob, page: str, reason: str) -> None:
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert reason in job.message
    assert "失败" in page and job.message in page


def test_a_file_that_breaks_in_the_middle_ends_the_job_failed_with_the_readers_reason(tmp_path, client, xiaoyi):
    # Valid UTF-8 for the first 256 KB the reader looks at, then bytes that are not.
    rows = [["项目名称", "总投资（万元）", "开发区"]] + [[f"项目{n}", 100, "孝义"] for n in range(12000)]
    path = write_csv(tmp_path / "台账.csv", rows)
    path.write_bytes(path.read_bytes() + "坏行,1,孝义\n".encode("gbk"))
    job = upload(client, path)
    page = preview(client, job)
    assert_failed_with(job, page, "不是 utf-8 编码")


def test_an_xlsx_that_is_a_zip_of_garbage_ends_the_job_failed(tmp_path, client, xiaoyi):
    job = upload(client, small_ledger(tmp_path))
    # The stored file changed under the job (a broken disk, a hostile copy): a zip of garbage.
    with zipfile.ZipFile(job.path, "w") as archive:
        archive.writestr("[Content_Types].xml", b"\x00garbage" * 100)
        archive.writestr("xl/workbook.xml", b"<workbook><sheets><sheet name=")
    page = preview(client, job)
    assert_failed_with(job, page, "无法读取该 Excel 文件")


def test_a_full_disk_when_the_preview_starts_ends_the_job_failed(tmp_path, client, xiaoyi):
    job = upload(client, small_ledger(tmp_path))
    job.progress_path.symlink_to("/dev/full")  # every write there fails with ENOSPC, as on a full disk
    page = preview(client, job)
    assert_failed_with(job, page, "服务器磁盘空间已满")


def test_a_full_disk_while_the_import_runs_ends_the_job_failed(tmp_path, client, xiaoyi):
    job = upload(client, small_ledger(tmp_path))
    job.progress_path.symlink_to("/dev/full")
    services.run_job(job.pk, commit=False)  # as the background worker runs it
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert_failed_with(job, page, "服务器磁盘空间已满")
    # The user can try again once there is room.
    job.progress_path.unlink()
    page = preview(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.result["created"] == 1


def test_a_job_keeps_huge_cells_cut_short(tmp_path, client, xiaoyi):
    huge = "很" * 20_000
    rows = [["项目名称", "总投资（万元）", "开发区", "说明" + huge], ["煤层气综合利用", huge, "孝义", huge]]
    job = upload(client, write_xlsx(tmp_path / "大.xlsx", rows))
    # Enough to recognise the column by, not the whole cell.
    header, sample = job.columns[3]["header"], job.columns[3]["samples"][0]
    assert header.startswith("说明很很") and header.endswith("…") and len(header) <= 200 and len(sample) <= 200
    page = preview(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    (error,) = job.result["errors"]
    assert error["row"] == 2 and error["value"].endswith("…") and len(error["value"]) <= 200
    assert len(error["message"]) <= 300
    assert len(page) < 200_000


def test_the_list_of_imports_does_not_load_a_jobs_big_fields(client, xiaoyi_staff):
    big = [{"index": 0, "letter": "A", "header": "很" * 5_000_000, "key": "", "auto": True, "samples": []}]
    for number in range(3):
        ImportJob.objects.create(
            kind="projects",
            user=xiaoyi_staff,
            file_name=f"旧{number}.xlsx",
            extension="xlsx",
            columns=big,
            status=ImportJob.Status.PREVIEWED,
            result={"created": 7, "updated": 2, "error_rows": 1, "outcomes": [{"label": "很" * 1_000_000}]},
        )
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("imports:index")).content.decode()
    assert time.monotonic() - started < 3
    sql = " ".join(query["sql"] for query in queries)
    assert '"imports_importjob"."columns"' not in sql and '"imports_importjob"."mapping"' not in sql
    assert "旧2.xlsx" in page and '<td class="text-end">7</td>' in page and '<td class="text-end">1</td>' in page


ROWS = 60_000  # long enough that holding the upload in memory shows (about 66 MB); short enough for CI


def test_the_error_file_of_a_long_upload_is_written_in_bounded_memory(tmp_path, client, xiaoyi):
    path = tmp_path / "长.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append(["项目名称", "开发区"])
    for number in range(ROWS):
        sheet.append([f"项目{number}", "孝义"])
    workbook.save(path)
    job = upload(client, path)
    # The preview's findings, as a preview of this file keeps them (its rows are numbered as in Excel).
    errors = [{"row": row, "column": "开发区", "value": "孝义", "reason": "测试错误"} for row in (3, 30_001, ROWS + 1)]
    job.status, job.result = ImportJob.Status.PREVIEWED, {"errors": errors}
    job.save()

    tracemalloc.start()
    try:
        response = client.get(reverse("imports:errors", args=[job.pk]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert peak < 30 * 1024 * 1024, f"峰值内存 {peak / 1024 / 1024:.0f} MB"  # streamed: ~2 MB whatever the length

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = book.active.iter_rows(values_only=True)
    assert next(rows) == ("项目名称", "开发区", "错误说明")
    marked = {number: row[2] for number, row in enumerate(rows, start=2) if len(row) > 2 and row[2] is not None}
    assert marked == {3: "开发区: 测试错误", 30_001: "开发区: 测试错误", ROWS + 1: "开发区: 测试错误"}


def test_the_error_file_never_turns_a_header_into_a_formula(tmp_path, client, xiaoyi):
    rows = [
        ["项目名称", "总投资（万元）", "开发区", '=HYPERLINK("http://evil.example","点我")'],
        ["坏项目", "很多", "孝义", 1],
    ]
    job = upload(client, write_csv(tmp_path / "公式.csv", rows))  # in a CSV, every cell is text as typed
    preview(client, job)
    sheet = load_workbook(io.BytesIO(client.get(reverse("imports:errors", args=[job.pk])).content)).active
    assert sheet["D1"].data_type != "f" and sheet["D1"].value == '\'=HYPERLINK("http://evil.example","点我")'
    assert sheet["E1"].value == "错误说明" and sheet["E2"].value.startswith("总投资（万元）")
