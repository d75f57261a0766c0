"""Speed and memory of the ledger importer against merely reading the same file.

    .venv/bin/python bench/import.py [--rows 10000] [--rounds 3] [--memory-sizes 2500,5000,10000,20000]

Builds a messy project ledger as offices keep it (title and unit note above a two-row
merged header, section rows with counts every 400 rows, 小计 rows, blank rows; amounts
as numbers, "5.2亿元", "3000万" and full-width digits; dates as date cells, "2025年3月",
"2025.3" and "2025/3/15"; stage words and plan categories as offices write them; a few
hundred 建设单位 names, new and known), then times, on a scratch database (SQLite in a
temporary directory, or a scratch database on the PostgreSQL server of ``DATABASE_URL``):

- 裸读 calamine: iterating every cell with python-calamine (the reader the importer uses,
  and the fastest in the stack);
- 裸读 openpyxl: the same with openpyxl in read-only mode (for comparison);
- 试导入: ``import_ledger --dry-run``'s work: read, find the header, check every row;
- 导入（新增）: the import that creates every project, its enterprises, stage history,
  milestones and audit trail, in one transaction (rolled back after timing, so each
  round starts from the same state);
- 导入（复核）: the same file imported again over the committed projects: every row
  matched and compared, nothing to write.

Each is the median of ``rounds``; ratios are against 裸读 calamine measured in the same run.
Goal: import ≤ 3× the bare read. Then the peak Python memory (tracemalloc) of a commit
import for growing files: flat means it does not grow with the file.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from scratch import scratch_database  # bench/scratch.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("初步对接", "重点意向", "成熟待签约", "签约待备案", "已备案", "在建", "已投产", "储备")
SECTIONS = ("尽快开工", "力争开工", "续建", "新开工", "招商储备")
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
SECTION_ROWS = 400


def build_ledger(path: Path, rows: int) -> None:
    """The messy ledger, streamed with openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.worksheet.cell_range import CellRange

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("重点项目")
    width = 17
    sheet.merged_cells.add(CellRange("A1:Q1"))
    for col in "ABCDEHIJKLMNOPQ":
        sheet.merged_cells.add(CellRange(f"{col}3:{col}4"))
    sheet.merged_cells.add(CellRange("F3:G3"))
    sheet.append(["孝义经济技术开发区2025年重点项目台账"])
    sheet.append(["填报单位：孝义经开区", None, None, None, None, None, None, None, None, None, None, "单位：万元"])
    sheet.append(
        [
            "序号",
            "项目名称",
            "项目代码",
            "建设单位",
            "建设内容及规模",
            "投资情况",
            None,
            "开工时间",
            "项目阶段",
            "包联县领导",
            "责任单位",
            "用地面积（亩）",
            "开发区",
            "年度分类",
            "签约时间",
            "备案时间",
            "投产时间",
        ]
    )
    sheet.append([None] * 5 + ["总投资", "2025年计划投资"] + [None] * 10)
    written = 0
    section = 0
    while written < rows:
        count = min(SECTION_ROWS, rows - written)
        name = SECTIONS[section % len(SECTIONS)]
        sheet.append([f"{'一二三四五六七八九十'[section % 10]}、{name}项目（{count}个）"] + [None] * (width - 1))
        total = 0
        for _ in range(count):
            written += 1
            n = written
            stage = STAGES[n % len(STAGES)]
            started = stage in ("在建", "已投产")
            code = f"2025-141181-{n % 90 + 10:02d}-03-{n:06d}" if stage in ("已备案", "在建", "已投产") else None
            amount = 1000 + n % 50000
            total += amount
            sheet.append(
                [
                    n,
                    f"测试项目{n:05d}号 二期",
                    code,
                    f"孝义市第{n % 300}实业有限公司",
                    "年产 10 万吨精细化工产品，新建厂房 2 万平方米",
                    _amount(amount, n),
                    f"{amount // 10}万" if n % 5 == 0 else amount // 10,
                    _start_date(n, started),
                    stage,
                    "张副县长",
                    "发改局",
                    str(50 + n % 300).translate(FULL_WIDTH) if n % 7 == 0 else 50 + n % 300,
                    "孝义经开区",
                    None,
                    *_key_dates(stage),
                ]
            )
            if n % 97 == 0:
                sheet.append([None] * width)
        sheet.append(["小计", None, None, None, None, total, None] + [None] * 10)
        section += 1
    workbook.save(path)


def _key_dates(stage: str) -> list:
    """签约、备案、投产 dates for the stages that need them (in 2023, before any 开工时间)."""
    rank = ("签约待备案", "已备案", "在建", "已投产")
    reached = rank.index(stage) if stage in rank else -1
    return [
        "2023年1月" if reached >= 0 else None,
        datetime.date(2023, 2, 10) if reached >= 1 else None,
        "2025.10" if reached >= 3 else None,
    ]


def _amount(wan: int, n: int):
    if n % 6 == 0:
        return f"{wan / 10000:.4f}亿元"
    if n % 11 == 0:
        return str(wan).translate(FULL_WIDTH)
    return wan


def _start_date(n: int, started: bool):
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 600)
    if not started:
        return f"{day.year + 1}年{day.month}月"
    return (day, f"{day.year}.{day.month}", f"{day.year}/{day.month}/{day.day}")[n % 3]


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for row in sheet.iter_rows():
        cells += len(row)
    return cells


def read_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for row in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return cells


def do_import(path: Path, *, commit: bool, keep: bool = False):
    from django.db import transaction

    from kaifaqu.imports.engine import run_import
    from kaifaqu.imports.registry import ledger_kind

    with transaction.atomic():
        result = run_import(ledger_kind("projects"), path, extension="xlsx", commit=commit, keep_outcomes=False)
        if commit and not keep:
            transaction.set_rollback(True)
    assert not result.errors, [error.message for error in result.errors[:5]]
    return result


def timed(job, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        begin = time.perf_counter()
        job()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def setup_world() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kaifaqu.zones.services import zone_create

    zone_create(name="孝义经济技术开发区", short_name="孝义经开区", region_code="141181")


def measure(rows: int, rounds: int, sizes: list[int], workdir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    setup_world()
    path = workdir / f"ledger-{rows}.xlsx"
    begin = time.perf_counter()
    build_ledger(path, rows)
    results: dict = {"_build": time.perf_counter() - begin, "_size": path.stat().st_size}
    results["裸读 calamine"] = timed(lambda: read_calamine(path), rounds)
    results["裸读 openpyxl"] = timed(lambda: read_openpyxl(path), rounds)
    results["试导入"] = timed(lambda: do_import(path, commit=False), rounds)
    results["导入（新增）"] = timed(lambda: do_import(path, commit=True), rounds)
    created = do_import(path, commit=True, keep=True)
    results["_created"] = created.created
    results["导入（复核）"] = timed(lambda: do_import(path, commit=True), rounds)
    results["_memory"] = []
    from kaifaqu.projects.models import Project

    Project.objects.all().delete()
    for size in sizes:
        sized = workdir / f"ledger-{size}.xlsx"
        build_ledger(sized, size)
        tracemalloc.start()
        do_import(sized, commit=True)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results["_memory"].append((size, peak))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-sizes", default="2500,5000,10000,20000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.memory_sizes.split(",") if size]
    admin_url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if admin_url.startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir, scratch_database("kaifaqu_bench_import") as url:
        os.environ["KAIFAQU_DATA_DIR"] = workdir
        os.environ["KAIFAQU_DEMO"] = "1"
        if url:
            os.environ["DATABASE_URL"] = url
        results = measure(args.rows, args.rounds, sizes, Path(workdir))
    base = results["裸读 calamine"]
    print(f"kaifaqu import benchmark — {database}, {args.rows} rows, median of {args.rounds} rounds")
    print(f"file: {results['_size'] / 1024 / 1024:.1f} MB xlsx, built in {results['_build']:.1f} s")
    print(f"{'ms':>9}{'× calamine':>12}  workload")
    for label in ("裸读 calamine", "裸读 openpyxl", "试导入", "导入（新增）", "导入（复核）"):
        print(f"{results[label] * 1000:>9.0f}{results[label] / base:>12.2f}  {label}")
    print(f"projects created by one import: {results['_created']}")
    print("peak Python memory of a commit import (tracemalloc):")
    for size, peak in results["_memory"]:
        print(f"  {size:>6} rows: {peak / 1024 / 1024:7.1f} MB  ({peak / size / 1024:.2f} KB/row)")


if __name__ == "__main__":
    main()
