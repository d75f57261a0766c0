"""Hostile spreadsheets are refused before they are read: a clear Chinese reason, in bounded
time and memory, and the server keeps serving.

Each file is built here by hand (``zipfile``), as an attacker would, not by a spreadsheet
library that would refuse to write it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kaifaqu.conftest import make_user
from kaifaqu.imports.models import ImportJob
from kaifaqu.imports.tests.files import write_xlsx
from kaifaqu.sheets.readers import ReadError, read_all
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

ROOT = Path(__file__).resolve().parents[3]
HUGE_RANGE = "工作表“Sheet1”声明的范围为 1,048,576 行 × 16,384 列，超过上限（200,000 行、200 列）。"
WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
SHEET_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def hand_xlsx(path: Path, sheet_xml_chunks, *, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal workbook whose one sheet's XML is streamed from ``sheet_xml_chunks``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_xml_chunks:
                sheet.write(chunk)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def huge_dimension(path: Path) -> Path:
    """The 1.7 KB file of the issue: one cell at XFD1048576 and a dimension to match."""
    return hand_xlsx(
        path,
        [
            SHEET_OPEN,
            b'<dimension ref="A1:XFD1048576"/><sheetData>',
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            b"</sheetData></worksheet>",
        ],
    )


def far_cell_without_dimension(path: Path) -> Path:
    """The same danger with no dimension to warn of it: only the cells tell."""
    return hand_xlsx(
        path,
        [
            SHEET_OPEN + b"<sheetData>",
            b'<row r="1"><c r="A1"><v>1</v></c></row>',
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            b"</sheetData></worksheet>",
        ],
    )


def million_rows(path: Path) -> Path:
    """1,048,576 rows of a few cells, none with ``r=``: positions must be counted."""

    def chunks():
        yield SHEET_OPEN + b"<sheetData>"
        for start in range(0, 1_048_576, 4096):
            yield b"".join(
                b"<row><c><v>%d</v></c><c><v>%d</v></c><c><v>%d</v></c></row>" % (n, n * 7, n * 13)
                for n in range(start, start + 4096)
            )
        yield b"</sheetData></worksheet>"

    return hand_xlsx(path, chunks())


def long_cell(path: Path, chars: int, *, text: bytes = b"x") -> Path:
    """One inline-string cell at B5 of ``chars`` characters, streamed (never held whole)."""
    piece = text * (1024 * 1024 // len(text))

    def chunks():
        yield SHEET_OPEN + b'<sheetData><row r="5"><c r="B5" t="inlineStr"><is><t>'
        left = chars
        while left:
            step = min(left, len(piece) // len(text))
            yield piece[: step * len(text)]
            left -= step
        yield b"</t></is></c></row></sheetData></worksheet>"

    return hand_xlsx(path, chunks())


def zip_bomb(path: Path, members: int = 12, member_mb: int = 100) -> Path:
    """A plain sheet plus members of zeros: 1.2 GB unpacked from about 1 MB."""
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_OPEN + b"<sheetData/></worksheet>")
        for index in range(members):
            with archive.open(f"xl/media/image{index}.bin", "w") as member:
                for _ in range(member_mb):
                    member.write(zeros)
    return path


def refusal(path: Path, extension: str = "xlsx") -> str:
    with pytest.raises(ReadError) as caught:
        read_all(path, extension=extension)
    return str(caught.value)


# --- through open_sheet, in this process --------------------------------------------------------------------------


def test_a_declared_range_of_the_whole_sheet_is_refused(tmp_path):
    path = huge_dimension(tmp_path / "huge.xlsx")
    assert path.stat().st_size < 2000
    assert refusal(path) == HUGE_RANGE


def test_a_far_cell_is_refused_even_without_a_dimension(tmp_path):
    message = refusal(far_cell_without_dimension(tmp_path / "far.xlsx"))
    assert message == "工作表“Sheet1”有至少 1,048,576 行，超过上限（200,000 行、200 列）。"
    # A row numbered 2 holding a cell that says it is at row 1,048,576: calamine believes the cell.
    row = b'<row r="2"><c r="B1048576"><v>1</v></c></row>'
    path = hand_xlsx(tmp_path / "liar-row.xlsx", [SHEET_OPEN + b"<sheetData>", row, b"</sheetData></worksheet>"])
    assert refusal(path) == message


def test_a_million_rows_without_positions_are_counted_and_refused(tmp_path):
    path = million_rows(tmp_path / "rows.xlsx")
    started = time.monotonic()
    message = refusal(path)
    assert message == "工作表“Sheet1”有至少 200,001 行，超过上限（200,000 行、200 列）。"
    assert time.monotonic() - started < 10


def test_too_many_columns_without_positions_are_refused(tmp_path):
    row = b"<row>" + b"<c><v>1</v></c>" * 201 + b"</row>"
    path = hand_xlsx(tmp_path / "wide.xlsx", [SHEET_OPEN + b"<sheetData>", row, b"</sheetData></worksheet>"])
    assert refusal(path) == "工作表“Sheet1”有至少 201 列，超过上限（200,000 行、200 列）。"


def test_a_cell_longer_than_excel_allows_is_refused_with_its_address(tmp_path):
    message = refusal(long_cell(tmp_path / "cell.xlsx", 100_000))
    assert message == "工作表“Sheet1”的单元格 B5 有 100,000 个字符，超过上限 32,767 个字符（Excel 单元格的上限）。"
    # A cell too long to keep in memory is counted while streaming, Chinese characters as one each.
    message = refusal(long_cell(tmp_path / "chinese.xlsx", 5_000_000, text="开".encode()))
    assert message == "工作表“Sheet1”的单元格 B5 有 5,000,000 个字符，超过上限 32,767 个字符（Excel 单元格的上限）。"


def test_a_long_shared_string_is_refused(tmp_path):
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    strings += b"y" * 40_000 + b"</t></si></sst>"
    sheet = [SHEET_OPEN + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>']
    path = hand_xlsx(tmp_path / "sst.xlsx", sheet, extra={"xl/sharedStrings.xml": strings})
    assert refusal(path) == "文件中有一个文本单元格有 40,000 个字符，超过上限 32,767 个字符（Excel 单元格的上限）。"


def test_a_400_mb_cell_is_refused_from_the_archive_directory(tmp_path):
    path = long_cell(tmp_path / "400mb.xlsx", 400_000_000)
    assert path.stat().st_size < 3_000_000  # compressed to almost nothing
    started = time.monotonic()
    assert refusal(path) == "文件解压后有 381.5 MB，超过上限 200 MB。"
    assert time.monotonic() - started < 1


def test_a_zip_bomb_is_refused_by_its_size_and_by_its_ratio(tmp_path):
    assert refusal(zip_bomb(tmp_path / "bomb.xlsx")) == "文件解压后有 1.2 GB，超过上限 200 MB。"
    message = refusal(zip_bomb(tmp_path / "small-bomb.xlsx", members=1, member_mb=50))
    assert message.startswith("文件中的“xl/media/image0.bin”压缩比为 ") and message.endswith("疑似压缩炸弹。")


def test_a_lying_directory_fails_its_crc_and_is_refused(tmp_path):
    """The directory claims a small sheet; the data inflates to more: zipfile stops and refuses."""
    path = far_cell_without_dimension(tmp_path / "liar.xlsx")
    data = bytearray(path.read_bytes())
    at = data.rfind(b"xl/worksheets/sheet1.xml")  # its central directory entry
    header = data.rfind(b"PK\x01\x02", 0, at)
    data[header + 24 : header + 28] = (10).to_bytes(4, "little")  # uncompressed size: 10 bytes
    path.write_bytes(bytes(data))
    assert refusal(path).startswith("无法读取该 Excel 文件")


def test_ordinary_files_still_read(tmp_path):
    rows = [["项目名称", "总投资"], ["煤层气综合利用", 2.5], ["光伏组件", "开" * 32767]]
    assert read_all(write_xlsx(tmp_path / "ok.xlsx", rows), extension="xlsx") == rows


def test_csv_limits_are_checked_while_streaming(tmp_path, settings):
    path = tmp_path / "cell.csv"
    path.write_text("名称,说明\n甲," + "长" * 40_000 + "\n", encoding="utf-8")
    assert (
        refusal(path, "csv") == "CSV 文件第 2 行第 2 列有 40,000 个字符，超过上限 32,767 个字符（Excel 单元格的上限）。"
    )
    path.write_text("名称\n" + "x" * 200_000 + "\n", encoding="utf-8")  # past the csv module's own bound
    assert refusal(path, "csv") == "CSV 文件第 2 行有一个单元格超过上限 32,767 个字符（Excel 单元格的上限）。"
    settings.KAIFAQU_IMPORT_MAX_ROWS = 1000
    path.write_text("名称\n" + "甲\n" * 1500, encoding="utf-8")
    assert refusal(path, "csv") == "CSV 文件超过 1,000 行，超过上限（1,000 行、200 列）。"


def test_an_xls_beyond_the_limits_is_refused(tmp_path, settings):
    from kaifaqu.imports.tests.files import write_xls

    settings.KAIFAQU_IMPORT_MAX_ROWS = 100
    path = write_xls(tmp_path / "big.xls", [["名称"]] + [[f"项目{n}"] for n in range(150)])
    assert refusal(path, "xls") == "工作表“台账”有 151 行 × 1 列，超过上限（100 行、200 列）。"


# --- in a child process: bounded memory and time, and a crash stays in the child ---------------------------------

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
    started = time.monotonic()
    if sys.argv[2] == "calamine":
        from python_calamine import CalamineWorkbook
        CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
        outcome = "read"
    else:
        from kaifaqu.sheets.readers import ReadError, read_all
        try:
            read_all(sys.argv[1], extension="xlsx")
            outcome = "read"
        except ReadError as exc:
            outcome = str(exc)
    # VmHWM: this process's own peak (ru_maxrss would count the parent's pages from the fork).
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    rss_mb = int(status["VmHWM"].split()[0]) / 1024
    print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - started, "rss_mb": rss_mb}))
    """
)


def run_child(path: Path, reader: str = "kaifaqu") -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kaifaqu.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(path), reader], capture_output=True, text=True, env=env, timeout=60
    )


def test_a_crash_in_the_reader_stays_in_its_process_and_ours_refuses_in_bounded_memory(tmp_path):
    path = huge_dimension(tmp_path / "huge.xlsx")
    # The hazard is real: calamine alone asks for 512 GB and aborts its process (here, the child).
    crashed = run_child(path, "calamine")
    assert crashed.returncode != 0 and "memory allocation" in crashed.stderr
    # Ours refuses it, and every other hostile file, without growing.
    hostile = {
        "huge": (path, HUGE_RANGE),
        "rows": (million_rows(tmp_path / "rows.xlsx"), "有至少 200,001 行"),
        "cell": (long_cell(tmp_path / "cell.xlsx", 5_000_000), "有 5,000,000 个字符"),
        "big cell": (long_cell(tmp_path / "400mb.xlsx", 400_000_000), "超过上限 200 MB"),
        "bomb": (zip_bomb(tmp_path / "bomb.xlsx"), "超过上限 200 MB"),
    }
    for name, (file, expected) in hostile.items():
        child = run_child(file)
        assert child.returncode == 0, (name, child.stderr[-2000:])
        report = json.loads(child.stdout)
        assert expected in report["outcome"], name
        assert report["seconds"] < 10, (name, report)
        assert report["rss_mb"] < 200, (name, report)


# --- through the pages ------------------------------------------------------------------------------------------


@pytest.fixture
def eager_tasks(settings, tmp_path):
    settings.KAIFAQU_TASKS_EAGER = True
    settings.DATA_DIR = tmp_path / "data"


def page_after(client: Client, response) -> str:
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
    return response.content.decode()


@pytest.mark.django_db
def test_the_import_page_refuses_hostile_files_and_keeps_serving(tmp_path, xiaoyi_staff, eager_tasks):
    client = Client()
    client.force_login(xiaoyi_staff)
    files = {
        HUGE_RANGE: huge_dimension(tmp_path / "huge.xlsx"),
        "文件解压后有 1.2 GB，超过上限 200 MB。": zip_bomb(tmp_path / "bomb.xlsx"),
        "有至少 200,001 行": million_rows(tmp_path / "rows.xlsx"),
    }
    for message, path in files.items():
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        response = client.post(reverse("imports:index"), {"kind": "projects", "file": upload})
        page = page_after(client, response)
        assert message in page, message
        # Nothing is left waiting: any job kept ended with its reason.
        for job in ImportJob.objects.all():
            assert job.status == ImportJob.Status.FAILED and message in job.message
        assert client.get(reverse("imports:index")).status_code == 200


@pytest.mark.django_db
def test_the_monthly_table_import_refuses_hostile_files(tmp_path, xiaoyi):
    statistician = make_user("xiaoyi-stats", Unit.objects.get(zone=xiaoyi), roles.STATISTICIAN)
    client = Client()
    client.force_login(statistician)
    for message, path in {
        HUGE_RANGE: huge_dimension(tmp_path / "huge.xlsx"),
        "文件解压后有 381.5 MB，超过上限 200 MB。": long_cell(tmp_path / "400mb.xlsx", 400_000_000),
    }.items():
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        response = client.post("/indicators/import/", {"file": upload, "period": "", "dry_run": "on"})
        assert message in page_after(client, response)
        assert client.get("/indicators/import/").status_code == 200


# --- the request body --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(xiaoyi_staff, settings):
    settings.KAIFAQU_REQUEST_MAX_MB = 1
    client = Client()
    client.force_login(xiaoyi_staff)
    upload = SimpleUploadedFile("big.csv", b"x" * (2 * 1024 * 1024))
    response = client.post(reverse("imports:index"), {"kind": "projects", "file": upload})
    assert response.status_code == 413
    assert "本次提交有 2.0 MB，超过上限 1 MB" in response.content.decode()
    # A 1 GB body announced by its length is refused without a byte of it being read.
    response = client.post(
        reverse("imports:index"), b"", content_type="application/octet-stream", CONTENT_LENGTH=str(1024**3)
    )
    assert response.status_code == 413 and "1,024.0 MB" in response.content.decode()
    assert client.get(reverse("imports:index")).status_code == 200
