"""The 目标企业清单 and 招商台账 in Excel: files made the way offices make them, read into the
zone's targets and activities through the services, and the lists exported so they read back."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaifaqu.conftest import make_user
from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import KINDS, ledger, ledger_kind
from kaifaqu.imports.tests.files import write_csv, write_xls, write_xlsx
from kaifaqu.investment.ledgers import ACTIVITY_LEDGER, TARGET_LEDGER
from kaifaqu.investment.models import Activity, Target, TargetIndustry
from kaifaqu.investment.services import target_industry_save
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

TARGET_TITLE = ["孝义经济技术开发区2025年招商目标企业清单", None, None, None, None, None, None, None]
TARGET_HEADER = ["序号", "目标企业", "统一社会信用代码", "总部所在地", "所属产业", "企业规模", "包联领导", "对接状态"]
TARGETS = [
    [
        1,
        "宁德时代新能源科技股份有限公司",
        "91350900587527783P",
        "福建省宁德市",
        "新能源电池",
        "行业龙头",
        "王副主任",
        "在谈",
    ],
    [2, "隆基绿能科技股份有限公司", None, "陕西省西安市", "光伏", "上市企业", "李局长", "未接触"],
    [3, "山西焦煤集团有限责任公司", None, "山西省太原市", "精细化工", "中国500强", "王副主任", "已签约"],
]


def import_file(path, zone, user=None, *, kind=TARGET_LEDGER, commit=True):
    return run_import(ledger_kind(kind), path, extension=path.suffix[1:], zone=zone, user=user, commit=commit)


def targets_file(tmp_path, rows=TARGETS, name="目标企业清单.xlsx"):
    return write_xlsx(tmp_path / name, [TARGET_TITLE, TARGET_HEADER, *rows], merges=("A1:H1",))


@pytest.fixture
def leader(xiaoyi):
    """张明, the zone committee's deputy director (a member who can lead a trip)."""
    user = make_user("zhangming", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    user.first_name = "张明"
    user.save()
    return user


def test_both_ledgers_are_registered_and_the_import_page_offers_them(xiaoyi, xiaoyi_staff):
    assert KINDS[TARGET_LEDGER] == "招商目标企业清单"
    assert KINDS[ACTIVITY_LEDGER] == "招商活动台账"
    assert ledger(TARGET_LEDGER).list_url == "investment:targets"
    assert ledger(ACTIVITY_LEDGER).right == "investment.change"
    client = Client()
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("imports:index")).content.decode()
    assert '<option value="investment_targets">招商目标企业清单</option>' in page
    assert '<option value="investment_activities">招商活动台账</option>' in page


def test_a_target_list_with_a_title_and_a_merged_header_imports_cleanly(tmp_path, xiaoyi, xiaoyi_staff):
    target_industry_save(user=xiaoyi_staff, industry=TargetIndustry(zone=xiaoyi), fields={"name": "精细化工"})
    result = import_file(targets_file(tmp_path), xiaoyi, xiaoyi_staff)
    assert result.errors == [] and result.committed
    assert (result.header_row, result.created) == (2, 3)
    catl = Target.objects.get(zone=xiaoyi, credit_code="91350900587527783P")
    assert catl.name == "宁德时代新能源科技股份有限公司"
    assert (catl.hq_region, catl.owner) == ("福建省宁德市", "王副主任")
    assert (catl.get_size_display(), catl.get_status_display()) == ("行业龙头", "洽谈中")
    assert Target.objects.get(name__startswith="隆基").get_size_display() == "上市公司"
    assert Target.objects.get(name__startswith="山西焦煤").get_status_display() == "已落地"
    # 新能源电池 and 光伏 were not in the 招商产业目录: added, and said so.
    industries = set(TargetIndustry.objects.filter(zone=xiaoyi).values_list("name", flat=True))
    assert industries == {"精细化工", "新能源电池", "光伏"}
    assert catl.industry.name == "新能源电池"
    assert result.extra["target_industries_created"] == 2
    assert any("新增招商产业 2 个" in warning for warning in result.warnings)


def test_a_re_import_updates_by_credit_code_then_name(tmp_path, xiaoyi, xiaoyi_staff):
    import_file(targets_file(tmp_path), xiaoyi, xiaoyi_staff)
    changed = [
        [1, "宁德时代", "91350900587527783P", "福建省宁德市", "新能源电池", "行业龙头", "王副主任", "已落地"],
        [2, "隆基绿能科技股份有限公司", None, "陕西省西安市", "光伏", "上市企业", "李局长", "未接触"],
        [3, "山西焦煤集团有限责任公司", None, "山西省太原市", "精细化工", "中国500强", "赵主任", "已签约"],
    ]
    result = import_file(targets_file(tmp_path, changed, "第二版.xlsx"), xiaoyi, xiaoyi_staff)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Target.objects.filter(zone=xiaoyi).count() == 3
    catl = Target.objects.get(credit_code="91350900587527783P")
    assert (catl.name, catl.get_status_display()) == ("宁德时代", "已落地")
    assert Target.objects.get(name__startswith="山西焦煤").owner == "赵主任"


def test_one_bad_row_writes_nothing_and_names_row_column_and_reason(tmp_path, xiaoyi, xiaoyi_staff):
    rows = [*TARGETS, [4, "某某科技有限公司", "91350900587527783X", "北京市", "光伏", "独角兽", "王副主任", "待定"]]
    result = import_file(targets_file(tmp_path, rows), xiaoyi, xiaoyi_staff)
    assert not result.committed
    messages = [error.message for error in result.errors]
    assert messages[0].startswith("第6行 统一社会信用代码: ")
    assert any(message.startswith("第6行 企业规模: “独角兽”无法识别的企业规模") for message in messages)
    assert any(message.startswith("第6行 对接状态: “待定”无法识别的对接状态") for message in messages)
    assert not Target.objects.exists()
    assert not TargetIndustry.objects.exists()


def test_a_dry_run_reports_and_writes_nothing(tmp_path, xiaoyi, xiaoyi_staff):
    result = import_file(targets_file(tmp_path), xiaoyi, xiaoyi_staff, commit=False)
    assert (result.created, result.errors, result.committed) == (3, [], False)
    assert not Target.objects.exists() and not TargetIndustry.objects.exists()


def test_a_user_of_another_zone_cannot_import_into_this_one(tmp_path, xiaoyi, tunliu_staff):
    result = import_file(targets_file(tmp_path), xiaoyi, tunliu_staff)
    assert result.errors and not Target.objects.exists()


# ------------------------------------------------------------------ 招商台账

ACTIVITY_TITLE = ["孝义经开区2025年招商台账", *[None] * 8]
ACTIVITY_GROUP = ["序号", "日期", "活动类型", "目的地", "带队领导", "参加人员", "对接企业", "签约情况", None]
ACTIVITY_SUB = [None, None, None, None, None, None, None, "协议类型", "签约金额（亿元）"]


def activities_file(tmp_path, rows, name="招商台账.xlsx"):
    """A title, then a two-row header: 签约情况 merged over 协议类型 and 签约金额（亿元）."""
    merges = ("A1:I1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:G3", "H2:I2")
    return write_xlsx(tmp_path / name, [ACTIVITY_TITLE, ACTIVITY_GROUP, ACTIVITY_SUB, *rows], merges=merges)


def test_activities_read_dates_kinds_companies_and_a_yi_header(tmp_path, xiaoyi, xiaoyi_staff, leader):
    rows = [
        [
            1,
            datetime.datetime(2025, 3, 5),
            "外出考察",
            "广东省深圳市",
            "张明",
            "招商局2人",
            "比亚迪、宁德时代",
            None,
            None,
        ],
        [2, "2025/3/12", "来访接待", "江苏省苏州市", None, None, "隆基绿能", None, None],
        [3, "2025.4.2", "对接", "北京市", "zhangming", None, "比亚迪", None, None],
        [4, "2025年4月20日", "深度洽谈", "北京市", None, None, "比亚迪；中化集团", None, None],
        [5, "2025-05-08", "签订协议", "北京市", "张明", None, "比亚迪", "战略合作协议", 12.5],
        [6, "2025-06-01", "组团招商", "上海市", None, None, None, None, None],
    ]
    result = import_file(activities_file(tmp_path, rows), xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    assert result.errors == [] and result.created == 6
    trip = Activity.objects.get(kind=Activity.Kind.TRIP)
    assert (trip.start_on, trip.region, trip.leader) == (datetime.date(2025, 3, 5), "广东省深圳市", leader)
    assert trip.title == "外出招商（广东省深圳市）：比亚迪、宁德时代"
    assert sorted(target.name for target in trip.targets.all()) == ["宁德时代", "比亚迪"]
    assert Activity.objects.get(kind=Activity.Kind.VISIT).start_on == datetime.date(2025, 3, 12)
    talks = Activity.objects.filter(kind=Activity.Kind.TALK).order_by("start_on")
    assert [(talk.start_on.isoformat(), talk.depth) for talk in talks] == [
        ("2025-04-02", Activity.Depth.FIRST),
        ("2025-04-20", Activity.Depth.DEEP),
    ]
    agreement = Activity.objects.get(kind=Activity.Kind.AGREEMENT)
    assert agreement.agreement_kind == Activity.AgreementKind.STRATEGIC
    assert agreement.signed_amount == Decimal("125000.00")  # 12.5 亿元 in 万元
    assert Activity.objects.get(kind=Activity.Kind.EVENT).title == "推介会/组团招商（上海市）"
    # The companies met became the zone's targets, once each.
    names = sorted(Target.objects.filter(zone=xiaoyi).values_list("name", flat=True))
    assert names == ["中化集团", "宁德时代", "比亚迪", "隆基绿能"]
    assert result.extra["targets_created"] == 4
    # Reading the same file again changes nothing.
    again = import_file(activities_file(tmp_path, rows, "again.xlsx"), xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert Activity.objects.count() == 6


def test_a_leader_not_on_the_committee_is_kept_as_a_member_with_a_warning(tmp_path, xiaoyi, xiaoyi_staff):
    rows = [[1, "2025-03-05", "外出招商", "浙江省杭州市", "刘书记", "招商局3人", "吉利汽车", None, None]]
    result = import_file(activities_file(tmp_path, rows), xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    assert result.errors == [] and result.committed
    trip = Activity.objects.get()
    assert trip.leader is None
    assert trip.members == "带队：刘书记；招商局3人"
    assert any(
        warning.startswith("第4行 带队领导: “刘书记”不是") and "不计入班子带队外出" in warning
        for warning in result.warnings
    )


def test_a_rule_of_the_service_comes_back_as_a_row_error_and_nothing_is_written(tmp_path, xiaoyi, xiaoyi_staff):
    future = datetime.date.today() + datetime.timedelta(days=40)
    rows = [
        [1, "2025-03-05", "外出招商", "浙江省杭州市", None, None, "吉利汽车", None, None],
        [2, future.isoformat(), "来访", "北京市", None, None, None, None, None],
        [3, "2025-03-09", "考察", "北京市", None, None, None, "项目合作协议", 1],
        [4, "2025-03-10", "开会", "北京市", None, None, None, None, None],
    ]
    result = import_file(activities_file(tmp_path, rows), xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    messages = [error.message for error in result.errors]
    assert "第5行 日期: 招商活动记录已经发生的活动，日期不能晚于今天" in messages
    assert any(message.startswith("第6行 签约情况/协议类型: 只有签约活动") for message in messages)
    assert any(message.startswith("第7行 活动类型: “开会”无法识别的活动类型") for message in messages)
    assert not result.committed
    assert not Activity.objects.exists() and not Target.objects.exists()


def test_an_xls_and_a_gbk_csv_read_the_same(tmp_path, xiaoyi, xiaoyi_staff):
    pytest.importorskip("xlwt")
    header = ["序号", "时间", "类型", "地点", "对接企业", "签约金额（万元）", "协议类型", "纪要"]
    rows = [
        ["孝义经开区招商活动登记表", *[None] * 7],
        header,
        [1, datetime.date(2025, 2, 18), "外出招商", "山东省济南市", "重汽集团", None, None, "考察整车项目"],
        [2, "2025-02-26", "签约", "山东省济南市", "重汽集团", 30000, "项目", "签订项目合作协议"],
    ]
    xls = write_xls(tmp_path / "台账.xls", rows, merges=((0, 0, 0, 7),))
    result = import_file(xls, xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    assert result.errors == [] and result.created == 2
    assert Activity.objects.get(kind=Activity.Kind.AGREEMENT).signed_amount == Decimal("30000.00")
    assert Activity.objects.get(kind=Activity.Kind.TRIP).summary == "考察整车项目"
    csv_rows = [header, *[[cell.isoformat() if isinstance(cell, datetime.date) else cell for cell in rows[2]]]]
    gbk = write_csv(tmp_path / "台账.csv", csv_rows, encoding="gbk")
    again = import_file(gbk, xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    assert again.errors == [] and (again.created, again.unchanged) == (0, 1)


# ------------------------------------------------------------------ export → import


def test_exports_read_back_unchanged(tmp_path, xiaoyi, xiaoyi_staff, leader):
    import_file(targets_file(tmp_path), xiaoyi, xiaoyi_staff)
    rows = [
        [1, "2025-03-05", "外出招商", "广东省深圳市", "张明", "招商局2人", "比亚迪、宁德时代", None, None],
        [2, "2025-04-20", "深度洽谈", "北京市", None, None, "比亚迪", None, None],
        [3, "2025-05-08", "签约", "北京市", "张明", None, "比亚迪", "项目合作协议", 2.5],
    ]
    import_file(activities_file(tmp_path, rows), xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    client = Client()
    client.force_login(xiaoyi_staff)

    for kind, url, count in (
        (TARGET_LEDGER, "investment:target_export", Target.objects.count()),
        (ACTIVITY_LEDGER, "investment:activity_export", 3),
    ):
        xlsx = client.get(reverse(url))
        assert xlsx.status_code == 200, xlsx.content[:300]
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.cell(1, 1).value.startswith("孝义经济技术开发区")
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(xlsx.content)
        result = import_file(path, xiaoyi, xiaoyi_staff, kind=kind)
        assert result.errors == [] and (result.created, result.updated, result.unchanged) == (0, 0, count), kind
        csv = client.get(reverse(url), {"format": "csv"})
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(csv.content)
        result = import_file(path, xiaoyi, xiaoyi_staff, kind=kind)
        assert result.errors == [] and (result.created, result.updated, result.unchanged) == (0, 0, count), kind

    # In 亿元, the amount's header says so and reads back as the same 万元.
    yi = client.get(reverse("investment:activity_export"), {"unit": "亿元"})
    sheet = load_workbook(io.BytesIO(yi.content)).active
    headers = [cell.value for cell in sheet[2]]
    assert "签约金额（亿元）" in headers
    path = tmp_path / "亿元.xlsx"
    path.write_bytes(yi.content)
    result = import_file(path, xiaoyi, xiaoyi_staff, kind=ACTIVITY_LEDGER)
    assert (result.errors, result.unchanged) == ([], 3)
    assert Activity.objects.get(kind=Activity.Kind.AGREEMENT).signed_amount == Decimal("25000.00")


def test_the_export_follows_the_list_filters(tmp_path, xiaoyi, xiaoyi_staff):
    import_file(targets_file(tmp_path), xiaoyi, xiaoyi_staff)
    client = Client()
    client.force_login(xiaoyi_staff)
    response = client.get(reverse("investment:target_export"), {"q": "王副主任", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "宁德时代" in text and "山西焦煤" in text and "隆基" not in text


def test_the_import_pages_preview_commit_and_mark_errors_in_the_workbook(tmp_path, settings, xiaoyi, xiaoyi_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaifaqu.imports.models import ImportJob

    settings.KAIFAQU_TASKS_EAGER = True
    client = Client()
    client.force_login(xiaoyi_staff)

    def upload(path):
        data = {"kind": TARGET_LEDGER, "zone": xiaoyi.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())}
        client.post(reverse("imports:index"), data)
        job = ImportJob.objects.latest("id")
        client.post(reverse("imports:mapping", args=[job.pk]), {})
        job.refresh_from_db()
        return job

    job = upload(targets_file(tmp_path))
    assert job.status == ImportJob.Status.PREVIEWED and job.result["created"] == 3
    assert not Target.objects.exists()  # a preview writes nothing
    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Target.objects.filter(zone=xiaoyi).count() == 3
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "招商目标企业清单" in page and reverse("investment:targets") in page

    bad = [[1, "某某科技", None, "北京市", "光伏", "独角兽", None, None]]
    job = upload(targets_file(tmp_path, bad, "错.xlsx"))
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "第3行" in page and "无法识别的企业规模" in page
    errors = client.get(reverse("imports:errors", args=[job.pk]))
    assert errors.status_code == 200
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert any("无法识别的企业规模" in str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
