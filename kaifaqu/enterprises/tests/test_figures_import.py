"""Importing enterprises' figures (issue 22) from the tables offices keep: a merged title, 单位：万元,
text numbers with thousands separators, an 亿元 column, a 合计 row; .xlsx, .xls and GBK CSV; by the
command ``enterprise_figures import`` and by the upload page."""

from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
import xlwt
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save
from kaifaqu.enterprises.figures_import import figures_import
from kaifaqu.enterprises.models import EnterpriseFigures
from kaifaqu.enterprises.services import enterprise_create

pytestmark = pytest.mark.django_db
TITLE = "孝义经济技术开发区2025年规上工业企业主要经济指标"
HEADER = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "工业总产值",
    "营业收入（亿元）",
    "实缴税金",
    "从业人员",
    "综合能耗（吨标准煤）",
    "研发费用",
    "用地面积（亩）",
    "建筑面积",
]
PENGFEI_CODE = make_credit_code("141181", "12345678")  # the code of the ``xiaoyi_enterprise`` fixture


@pytest.fixture
def jinda(xiaoyi, admin_user):
    """Registered without its code, with brackets written full-width."""
    return enterprise_create(user=admin_user, fields={"name": "孝义市金达机械（集团）有限公司", "zone": xiaoyi})


def office_rows(*rows: list) -> list[list]:
    """Data rows and the 合计 row under them, the way the office adds one."""
    return [*rows, ["合计", None, None, "1,258,600", 5.38, None, None, None, None, None, None]]


GOOD_ROWS = office_rows(
    # Text numbers with separators, 5.2亿元 of revenue, “—” for an unknown 研发费用.
    [1, "山西鹏飞集团有限公司", PENGFEI_CODE, "1,250,000", 5.2, "3,100.5", "1,800", 12000, "—", 420, "150,000"],
    # Named with half-width brackets and a stray space; a blank cell and “/” leave figures as they were.
    [2, "孝义市金达机械(集团) 有限公司", None, "8,600", "0.18", 120, 85, "/", None, 30.5, "12,000"],
)


def write_xlsx(path, rows: list[list], *, title: str = TITLE, header: list[str] = HEADER) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "经济指标"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([None] * (len(header) - 1) + ["单位：万元"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        if row[0] == "合计":
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=3)
    book.save(path)
    return str(path)


def run(path, *, zone: str = "孝义经开区", year: int = 2025, dry_run: bool = False) -> str:
    out = StringIO()
    args = ["import", str(path), "--zone", zone, "--year", str(year)] + (["--dry-run"] if dry_run else [])
    call_command("enterprise_figures", *args, stdout=out)
    return out.getvalue()


def year_of(enterprise, year: int = 2025) -> EnterpriseFigures:
    return EnterpriseFigures.objects.get(enterprise=enterprise, year=year, month__isnull=True)


def test_an_office_workbook_is_imported_with_its_units_and_its_total_row_skipped(
    tmp_path, xiaoyi_enterprise, jinda, xiaoyi_staff
):
    figures_save(user=xiaoyi_staff, enterprise=jinda, year=2025, fields={"rd_spend": Decimal(50), "energy_tce": 300})
    output = run(write_xlsx(tmp_path / "2025年经济指标.xlsx", GOOD_ROWS))
    assert "将导入 2 户企业 2025 年经营数据：新增 1，更新 1，跳过合计行 1" in output
    assert "已写入。" in output
    pengfei = year_of(xiaoyi_enterprise)
    assert pengfei.output_value == Decimal("1250000.00")
    assert pengfei.revenue == Decimal("52000.00")  # 5.2亿元
    assert (pengfei.tax, pengfei.employees, pengfei.energy_tce) == (Decimal("3100.50"), 1800, Decimal(12000))
    assert pengfei.rd_spend is None  # “—”: unknown, 待补录
    assert (pengfei.land_mu, pengfei.floor_area) == (Decimal(420), Decimal(150000))
    assert pengfei.source == EnterpriseFigures.Source.IMPORT
    kept = year_of(jinda)
    assert kept.revenue == Decimal("1800.00") and kept.employees == 85 and kept.land_mu == Decimal("30.50")
    assert kept.rd_spend == Decimal(50) and kept.energy_tce == Decimal(300)  # blank and “/”: as they were
    assert kept.source == EnterpriseFigures.Source.IMPORT


def test_a_dry_run_says_what_would_change_and_writes_nothing(tmp_path, xiaoyi_enterprise, jinda):
    output = run(write_xlsx(tmp_path / "指标.xlsx", GOOD_ROWS), dry_run=True)
    assert "将导入 2 户企业 2025 年经营数据：新增 2，更新 0，跳过合计行 1" in output
    assert "第4行 山西鹏飞集团有限公司：新增（产值（万元） 1,250,000.00，营业收入（万元） 52,000.00" in output
    assert "试导入：未写入任何数据。" in output
    assert not EnterpriseFigures.objects.exists()


def test_every_bad_row_is_named_with_its_column_and_nothing_is_written(tmp_path, xiaoyi_enterprise, jinda):
    rows = office_rows(
        [1, "山西鹏飞集团有限公司", PENGFEI_CODE, "12.3.4", 5.2, "3,100", 1800, None, None, 420, None],
        [2, "孝义市金达机械（集团）有限公司", None, 8600, 0.18, "-5", 85, None, None, None, None],
        [3, "孝义市不存在化工有限公司", None, 100, 0.01, 1, 1, None, None, None, None],
        [4, "山西鹏飞集团有限公司", None, 1, 1, 1, 1, None, None, None, None],
        [5, "孝义市金达机械（集团）有限公司", None, 1, 1, 1, "十二", None, None, 0, None],
    )
    with pytest.raises(CommandError, match="有错误，未写入任何数据"):
        run(write_xlsx(tmp_path / "有错.xlsx", rows))
    assert not EnterpriseFigures.objects.exists()  # the good cells of row 4 are not written either
    out = StringIO()
    with pytest.raises(CommandError, match="试导入发现错误"):
        call_command(
            "enterprise_figures", "import", str(tmp_path / "有错.xlsx"), "--zone", "孝义", "--year", "2025",
            "--dry-run", stdout=out,
        )  # fmt: skip
    lines = out.getvalue().splitlines()
    assert "第4行 工业总产值: “12.3.4”不是数字（金额可带“万元”“亿元”）" in lines
    assert "第5行 实缴税金: 税收（万元）不能为负数" in lines
    assert "第6行 企业名称: 开发区企业库中没有“孝义市不存在化工有限公司”，请先登记企业" in lines
    assert "第7行 企业名称: 与第4行是同一企业（山西鹏飞集团有限公司）" in lines
    assert "第8行 从业人员: “十二”不是数字" in lines
    assert "第8行 企业名称: 与第5行是同一企业（孝义市金达机械（集团）有限公司）" in lines
    # the row's other figures are checked in the same round: its 用地面积 of 0 is named too
    assert any(line.startswith("第8行 用地面积") and "用地面积为 0" in line for line in lines), lines
    assert any(line.startswith("将导入 0 户企业 2025 年经营数据") and "有错误 5 行" in line for line in lines)


def test_a_credit_code_of_an_enterprise_of_another_zone_is_not_taken(tmp_path, xiaoyi_enterprise, tunliu, admin_user):
    other = enterprise_create(
        user=admin_user,
        fields={"name": "屯留煤化有限公司", "zone": tunliu, "credit_code": make_credit_code("140405", "00000077")},
    )
    rows = office_rows([1, "屯留煤化有限公司", other.credit_code, 1, 1, 1, 1, None, None, None, None])
    with pytest.raises(CommandError):
        run(write_xlsx(tmp_path / "外区.xlsx", rows))
    assert not EnterpriseFigures.objects.exists()


def test_an_old_excel_file_is_read(tmp_path, xiaoyi_enterprise):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    sheet.write_merge(0, 0, 0, 5, "孝义经济技术开发区2025年企业经营情况")
    for column, text in enumerate(["序号", "企业名称", "产值（亿元）", "主营业务收入", "税收总额", "用工人数"]):
        sheet.write(1, column, text)
    for column, value in enumerate([1, "山西鹏飞集团有限公司", 12.5, "48,000", 2900, 1750]):
        sheet.write(2, column, value)
    sheet.write(3, 0, "合计")
    book.save(str(tmp_path / "经营情况.xls"))
    output = run(tmp_path / "经营情况.xls")
    assert "将导入 1 户企业 2025 年经营数据：新增 1，更新 0，跳过合计行 1" in output
    figures = year_of(xiaoyi_enterprise)
    assert (figures.output_value, figures.revenue, figures.tax) == (Decimal(125000), Decimal(48000), Decimal(2900))
    assert figures.employees == 1750 and figures.energy_tce is None


def test_a_gbk_csv_in_yuan_is_read_in_wan(tmp_path, xiaoyi_enterprise):
    text = (
        "企业名称,统一社会信用代码,营业收入（元）,税收（元）,用地面积（平方米）\r\n"
        f'山西鹏飞集团有限公司,{PENGFEI_CODE},"520,000,000","31,005,000","280,000"\r\n'
        "合计,,,,\r\n"
    )
    (tmp_path / "经营数据.csv").write_bytes(text.encode("gbk"))
    output = run(tmp_path / "经营数据.csv", year=2024)
    assert "将导入 1 户企业 2024 年经营数据：新增 1" in output
    figures = year_of(xiaoyi_enterprise, 2024)
    assert (figures.revenue, figures.tax) == (Decimal(52000), Decimal("3100.50"))
    assert figures.land_mu == Decimal(420)  # 280,000 平方米 = 420 亩


def test_a_user_of_another_zone_is_refused(tmp_path, xiaoyi, xiaoyi_enterprise, tunliu_staff):
    with pytest.raises(PermissionDenied, match="您不能导入孝义经济技术开发区的企业经营数据"):
        figures_import(
            user=tunliu_staff, zone=xiaoyi, year=2025, path=write_xlsx(tmp_path / "a.xlsx", GOOD_ROWS), extension="xlsx"
        )
    assert not EnterpriseFigures.objects.exists()


def upload(tmp_path, rows, name: str = "孝义2025经济指标.xlsx") -> SimpleUploadedFile:
    path = write_xlsx(tmp_path / name, rows)
    with open(path, "rb") as handle:
        return SimpleUploadedFile(name, handle.read())


def test_the_page_previews_the_rows_then_imports_on_confirmation(
    client, tmp_path, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, jinda
):
    client.force_login(xiaoyi_staff)
    page = client.get("/enterprises/figures/import/")
    assert page.status_code == 200 and "导入企业经营数据" in page.content.decode()
    assert [zone.name for zone in page.context["form"].fields["zone"].queryset] == ["孝义经济技术开发区"]
    preview = client.post(
        "/enterprises/figures/import/", {"file": upload(tmp_path, GOOD_ROWS), "zone": xiaoyi.pk, "year": 2025}
    )
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "将导入 2 户企业 2025 年经营数据：新增 2，更新 0，跳过合计行 1" in text
    assert "确认导入" in text and "山西鹏飞集团有限公司" in text
    assert not EnterpriseFigures.objects.exists()  # a preview writes nothing
    confirm = preview.context["token"]
    done = client.post(f"/enterprises/figures/import/{confirm}/confirm/", follow=True)
    assert "已导入 2 户企业 2025 年经营数据" in done.content.decode()
    assert year_of(xiaoyi_enterprise).revenue == Decimal(52000)
    assert year_of(jinda).output_value == Decimal(8600)
    again = client.post(f"/enterprises/figures/import/{confirm}/confirm/", follow=True)
    assert "该上传已导入或已过期" in again.content.decode()  # a second click imports nothing twice


def test_the_page_lists_the_errors_and_offers_no_confirmation(client, tmp_path, xiaoyi, xiaoyi_staff, jinda):
    client.force_login(xiaoyi_staff)
    rows = office_rows([1, "孝义市不存在化工有限公司", None, 100, 0.01, 1, 1, None, None, None, None])
    preview = client.post(
        "/enterprises/figures/import/", {"file": upload(tmp_path, rows), "zone": xiaoyi.pk, "year": 2025}
    )
    text = preview.content.decode()
    assert "开发区企业库中没有“孝义市不存在化工有限公司”，请先登记企业" in text and "第4行" in text
    assert "不能导入（不会写入任何数据）" in text and "确认导入" not in text


def test_another_zones_user_cannot_choose_the_zone_and_others_may_not_import(
    client, tmp_path, xiaoyi, tunliu_staff, lvliang_office, xiaoyi_enterprise
):
    client.force_login(tunliu_staff)
    refused = client.post(
        "/enterprises/figures/import/", {"file": upload(tmp_path, GOOD_ROWS), "zone": xiaoyi.pk, "year": 2025}
    )
    assert refused.status_code == 200 and "确认导入" not in refused.content.decode()
    assert "您不能向该开发区导入经营数据：只能选择您维护企业库的开发区。" in refused.content.decode()
    assert not EnterpriseFigures.objects.exists()
    client.force_login(lvliang_office)  # a city leader reads, does not keep the 企业库
    page = client.get("/enterprises/figures/import/")
    assert page.status_code == 403 and "您没有导入企业经营数据的权限" in page.content.decode()
