"""The error file of an import: the uploaded sheet with a red “错误说明” column beside every
row that has errors, to fix in Excel and upload again.

It is written as a stream from a stream (calamine rows in, openpyxl's write-only mode out
through ``sheets.writer``), so memory stays small however long the sheet is, and in the
background: a sheet of 100,000 rows takes longer than a page may wait (about 25 s).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from kaifaqu.core.tasks import enqueue
from kaifaqu.sheets import writer
from kaifaqu.sheets.readers import open_sheet

from .models import ImportJob

logger = logging.getLogger(__name__)
ERROR_FILL = "FFD7D7"
# A build that has not finished in this long died with its process: start another.
BUILDING_SECONDS = 600


def max_rows() -> int:
    """The rows an error file holds: as many as an import may have."""
    return getattr(settings, "KAIFAQU_IMPORT_MAX_ROWS", 200_000)


def ready(job: ImportJob) -> bool:
    return job.errors_path.exists()


def request(job: ImportJob) -> None:
    """Have the error file built in the background, unless it is already being built."""
    building = job.errors_path.with_suffix(".tmp")
    try:
        if time.time() - building.stat().st_mtime < BUILDING_SECONDS:
            return
    except OSError:
        pass
    enqueue(build_quietly, job.pk)


def build_quietly(job_id: int) -> None:
    """Build the error file; a failure is logged, not raised (it does not change the import)."""
    try:
        build(ImportJob.objects.defer("columns").get(pk=job_id))
    except Exception:  # the download page says it is not ready; the next click tries again
        logger.exception("导入任务 %s 的错误标注文件生成失败", job_id)


def build(job: ImportJob) -> Path:
    """The uploaded sheet with an error column (red) beside every row that has errors, written
    as a stream from a stream: memory stays small however long the sheet is. Written under a
    temporary name and renamed, so a file that exists is complete."""
    by_row: dict[int, str] = {}
    for error in job.result.get("errors", []):
        text = f"{error['column']}: {error['reason']}"
        by_row[error["row"]] = f"{by_row[error['row']]}；{text}" if error["row"] in by_row else text
    width = _sheet_width(job)
    rows = _rows_with_errors(job, by_row, width)
    first = next(rows, [])
    columns = [writer.OutputColumn(_header_text(value), kind=None) for value in first[:width]]
    columns.append(writer.OutputColumn(first[width] if len(first) > width else "", kind=None, width=60))
    table = writer.Table(name=job.sheet or "Sheet1", columns=columns, rows=rows, styled=False)
    building = job.errors_path.with_suffix(".tmp")
    try:
        with building.open("wb") as handle:
            writer.write_xlsx(handle, [table])
        os.replace(building, job.errors_path)
    finally:
        building.unlink(missing_ok=True)
    return job.errors_path


def _sheet_width(job: ImportJob) -> int:
    """The columns the sheet uses (a first pass: the error column goes right of all of them)."""
    width = 0
    for number, row in enumerate(_sheet_rows(job), start=1):
        if number > max_rows():
            break
        length = len(row)
        while length and row[length - 1] is None:
            length -= 1
        width = max(width, length)
    return width


def _sheet_rows(job: ImportJob) -> Iterator[list]:
    return open_sheet(job.path, extension=job.extension, sheet=job.sheet or None).rows


def _rows_with_errors(job: ImportJob, by_row: dict[int, str], width: int) -> Iterator[list]:
    limit = max_rows()
    header_row = job.header_row or 1
    for number, row in enumerate(_sheet_rows(job), start=1):
        if number > limit:
            yield [f"（文件超过 {limit:,} 行，错误标注文件只包含前 {limit:,} 行。）"]
            return
        cells = (row + [None] * width)[:width]
        if number == header_row:
            yield [*cells, "错误说明"]
        elif number in by_row:
            yield [*cells, writer.Marked(by_row[number], ERROR_FILL)]
        else:
            yield cells


def _header_text(value) -> str:
    text = "" if value is None else str(value)
    # The writer keeps data cells from becoming formulas, not header cells: quote it as CSV does.
    return "'" + text if text.startswith("=") else text


def forget(job: ImportJob) -> None:
    """A new preview makes new errors: the old error file goes."""
    job.errors_path.unlink(missing_ok=True)
