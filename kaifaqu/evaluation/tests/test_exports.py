"""考核's files as the office opens them: the result table in Excel, a zone's 考核评分表 and the
monthly 红黑榜 公示 in Word. The records come through the services, on a small scheme whose values
are entered by hand (so every point can be worked out here)."""

import datetime
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaifaqu.conftest import make_user
from kaifaqu.evaluation import services
from kaifaqu.evaluation.exports import honor_notice_docx, result_workbook, score_sheet_docx
from kaifaqu.evaluation.models import Item, Scheme
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.services import unit_for_region, zone_create

pytestmark = pytest.mark.django_db
PERIOD = "2026-10"
TODAY = datetime.date(2026, 11, 5)
SCHEME = "吕梁市开发区月度考核"
OFFICE = "吕梁市开发区建设工作领导组办公室"


@pytest.fixture
def office(xiaoyi):
    jiaocheng = zone_create(name="交城经济开发区", short_name="交城经开区", region_code="141122")
    user = make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)
    user.zones = {"孝义经开区": xiaoyi, "交城经开区": jiaocheng}
    return user


@pytest.fixture
def scheme(office):
    """党建 (10, 直接打分) in one group; 安全生产 (20, 按完成比例) and 安全培训 (5, 直接打分) and a
    veto item 重大安全事故 in the other; 信息报送红黑榜."""
    scheme = services.scheme_save(
        user=office,
        scheme=Scheme(),
        fields={
            "name": SCHEME,
            "region": Region.objects.get(code="141100"),
            "period": Scheme.Period.MONTH,
            "subject_kind": Scheme.SubjectKind.ZONE,
            "honor_rules": Scheme.HonorRules.REPORTING,
        },
    )
    specs = [
        ("党的建设", "党建工作", Item.Kind.NORMAL, "10", {"rule": Item.Rule.DIRECT}),
        ("安全发展", "安全生产", Item.Kind.NORMAL, "20", {"rule": Item.Rule.RATIO, "target": Decimal(100)}),
        ("安全发展", "安全培训", Item.Kind.NORMAL, "5", {"rule": Item.Rule.DIRECT}),
        ("安全发展", "重大安全事故", Item.Kind.VETO, "0", {"rule": Item.Rule.DIRECT}),
    ]
    for order, (group, name, kind, weight, rule) in enumerate(specs, start=1):
        services.item_save(
            user=office,
            item=Item(scheme=scheme),
            fields={"group": group, "name": name, "kind": kind, "weight": Decimal(weight), "metric": "manual"}
            | {"order": order}
            | rule,
        )
    return scheme


def enter(office, scheme, values: dict[str, dict[str, str]]) -> None:
    items = {item.name: item for item in scheme.items.all()}
    for zone_name, by_item in values.items():
        zone = office.zones[zone_name]
        for item_name, value in by_item.items():
            services.manual_value_save(
                user=office,
                item=items[item_name],
                period=PERIOD,
                subject_key=f"zone:{zone.pk}",
                value=Decimal(value),
                evidence=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
            )


@pytest.fixture
def run(office, scheme):
    """孝义: 8.5 + 20 × 90% + 5 = 31.5, first. 交城: 9 + 20 + 4 = 33, but one 重大安全事故: 0, second."""
    enter(
        office,
        scheme,
        {
            "孝义经开区": {"党建工作": "8.5", "安全生产": "90", "安全培训": "5", "重大安全事故": "0"},
            "交城经开区": {"党建工作": "9", "安全生产": "100", "安全培训": "4", "重大安全事故": "1"},
        },
    )
    found = services.run_scheme(user=office, scheme=scheme, period=PERIOD, today=TODAY)
    services.run_review(user=office, run=found)
    return services.run_publish(user=office, run=found)


def row_of(sheet, first: str) -> list:
    return next(list(row) for row in sheet.iter_rows(values_only=True) if first in row)


def test_result_workbook_has_the_title_groups_full_marks_and_scores_as_numbers(run):
    book = openpyxl.load_workbook(io.BytesIO(result_workbook(run, list(run.scores.all()))))
    assert book.sheetnames == ["考核结果", "数据明细", "计分规则"]
    sheet = book["考核结果"]
    assert sheet["A1"].value == "吕梁市开发区月度考核结果（2026年10月，第1版，已发布）"
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    # Row 2: the groups over their items (安全发展 over its two scored items), the fixed columns over both rows.
    assert [sheet.cell(2, column).value for column in range(1, 8)] == [
        "名次",
        "考核对象",
        "党的建设",
        "安全发展",
        None,
        "总分",
        "一票否决",
    ]
    assert "D2:E2" in merged and "A2:A3" in merged and "F2:F3" in merged
    assert [sheet.cell(3, column).value for column in range(3, 6)] == ["党建工作", "安全生产", "安全培训"]
    assert row_of(sheet, "满分")[1:6] == ["满分", 10, 20, 5, 35]

    xiaoyi, jiaocheng = row_of(sheet, "孝义经开区"), row_of(sheet, "交城经开区")
    assert xiaoyi[:6] == [1, "孝义经开区", 8.5, 18, 5, 31.5]
    assert xiaoyi[6] is None
    assert jiaocheng[:6] == [2, "交城经开区", 9, 20, 4, 0]
    assert jiaocheng[6] == "重大安全事故（1），总分计0分"
    score_cell = next(cell for cell in sheet[5] if cell.value == 31.5)
    assert score_cell.data_type == "n" and score_cell.number_format == "0.00"

    detail = book["数据明细"]
    assert detail["A1"].value == "吕梁市开发区月度考核数据明细（2026年10月，第1版）"
    assert [cell.value for cell in detail[2]] == [
        "名次",
        "考核对象",
        "分组",
        "考核项目",
        "完成值",
        "单位",
        "记录数",
        "得分",
        "分值",
    ]
    assert row_of(detail, "安全生产")[:9] == [1, "孝义经开区", "安全发展", "安全生产", 90, None, 1, 18, 20]
    accident = [row for row in detail.iter_rows(values_only=True) if "重大安全事故" in row]
    assert [row[7] for row in accident] == [0, "否决"]

    rules = book["计分规则"]
    assert [cell.value for cell in rules[2]] == [
        "序号",
        "分组",
        "考核项目",
        "类型",
        "分值",
        "数据来源",
        "单位",
        "计分规则",
        "指标口径",
    ]
    safety = row_of(rules, "安全生产")
    assert safety[1:6] == ["安全发展", "安全生产", "常规项", 20, "手工录入（附佐证材料）"]
    assert safety[7] == "达到100得满分20.00分，不足按比例计分"
    assert "由考核单位逐个录入" in safety[8]
    accident = row_of(rules, "重大安全事故")
    assert accident[3:5] == ["一票否决", "—"] and accident[7] == "考核期内发生的，一票否决，总分计0分"


def test_a_zone_sees_only_its_own_line_in_the_workbook(run):
    own = list(run.scores.filter(subject_name="孝义经开区"))
    sheet = openpyxl.load_workbook(io.BytesIO(result_workbook(run, own)))["考核结果"]
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert names == ["孝义经开区"]


def day_text(when: datetime.datetime) -> str:
    day = timezone.localtime(when).date()
    return f"{day.year}年{day.month}月{day.day}日"


def paragraphs(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_score_sheet_lists_items_total_place_and_the_office_signs(run):
    score = run.scores.get(subject_name="孝义经开区")
    document = docx.Document(io.BytesIO(score_sheet_docx(run, score)))
    text = paragraphs(document)
    assert text[0] == "吕梁市开发区月度考核\n2026年10月考核评分表"  # two lines, broken after the scheme
    assert text[1] == "考核对象：孝义经开区　　结果版本：第1版（已发布）"
    [table] = document.tables
    rows = table_rows(table)
    assert rows[0] == ["分组", "考核项目", "分值", "计分规则", "完成情况", "得分"]
    assert rows[2] == ["安全发展", "安全生产", "20.00", "达到100得满分20.00分，不足按比例计分", "90", "18.00"]
    # The group is one cell over its items (the merged cell reads the same on every row it spans).
    assert [row[0] for row in rows[2:5]] == ["安全发展"] * 3
    assert table.cell(2, 0)._tc is table.cell(4, 0)._tc
    assert rows[4][1] == "重大安全事故（一票否决）" and rows[4][5] == "—"
    assert rows[-1][:3] == ["合计", "合计", "35.00"] and rows[-1][5] == "31.50"
    assert "名次：第1名（共2个）" in text
    assert not any("一票否决：" in line for line in text)
    assert text[-2:] == [f"考核单位（盖章）：{OFFICE}", day_text(run.published_at)]
    assert document.paragraphs[-1].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


def test_a_vetoed_score_sheet_says_why_the_total_is_zero(run):
    score = run.scores.get(subject_name="交城经开区")
    document = docx.Document(io.BytesIO(score_sheet_docx(run, score)))
    text = paragraphs(document)
    assert "名次：第2名（共2个）" in text
    assert "一票否决：重大安全事故（1），总分计0分。" in text
    rows = table_rows(document.tables[0])
    assert rows[4][4:] == ["1", "否决"]
    assert rows[-1][5] == "0.00"


@pytest.fixture
def honor_list(office, scheme):
    """October's 信息报送红黑榜: no 月报 in the system, so the entries are the office's own, one of them
    taken off again in review."""
    found = services.honor_generate(user=office, scheme=scheme, period=PERIOD, today=TODAY)
    xiaoyi, jiaocheng = (f"zone:{office.zones[name].pk}" for name in ("孝义经开区", "交城经开区"))
    services.honor_add(
        user=office, honor_list=found, side="red", subject_key=xiaoyi, reason="10月月报按时报送，数据准确"
    )
    services.honor_add(user=office, honor_list=found, side="black", subject_key=jiaocheng, reason="10月月报迟报3天")
    wrong = services.honor_add(
        user=office, honor_list=found, side="black", subject_key=xiaoyi, reason="误录：10月月报被退回"
    )
    services.honor_remove(user=office, entry=wrong, note="核实后按时报送，予以移出")
    return found


def test_honor_notice_in_review_is_a_draft_for_comment(honor_list):
    document = docx.Document(io.BytesIO(honor_notice_docx(honor_list)))
    text = paragraphs(document)
    assert text[0] == "关于吕梁市开发区月度考核2026年10月信息报送红黑榜的公示"
    assert text[1] == "（征求意见稿）"
    opening = text[2]
    assert opening.startswith("根据《吕梁市开发区月度考核》信息报送红黑榜制度有关规定，经审核，现将")
    assert "（红榜1个、黑榜1个）予以公示。公示期为5个工作日" in opening
    assert opening.endswith(f"如有异议，请向{OFFICE}反映。")
    assert text.index("一、红榜") < text.index("二、黑榜")
    red, black = (table_rows(table) for table in document.tables)
    assert red == [["序号", "对象", "理由"], ["1", "孝义经开区", "10月月报按时报送，数据准确"]]
    assert black == [["序号", "对象", "理由"], ["1", "交城经开区", "10月月报迟报3天"]]
    assert "误录" not in "".join(text) + str(red + black)  # taken off in review: not published
    assert not any(line.startswith("本月无上") for line in text)
    assert text[-2] == OFFICE
    assert document.paragraphs[-1].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


def test_published_honor_notice_is_dated_the_day_of_publication(office, honor_list):
    services.honor_publish(user=office, honor_list=honor_list)
    honor_list.refresh_from_db()
    text = paragraphs(docx.Document(io.BytesIO(honor_notice_docx(honor_list))))
    assert "（征求意见稿）" not in text
    assert text[-2:] == [OFFICE, day_text(honor_list.published_at)]


def test_an_empty_side_says_so(office, scheme):
    found = services.honor_generate(user=office, scheme=scheme, period=PERIOD, today=TODAY)
    services.honor_add(
        user=office,
        honor_list=found,
        side="red",
        subject_key=f"zone:{office.zones['孝义经开区'].pk}",
        reason="按时报送",
    )
    document = docx.Document(io.BytesIO(honor_notice_docx(found)))
    assert len(document.tables) == 1
    assert "本月无上黑榜对象。" in paragraphs(document)
