"""``kaifaqu investment import FILE --zone NAME --kind targets|activities [--dry-run]``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.audit.models import AuditEntry
from kaifaqu.imports.tests.files import write_csv, write_xlsx
from kaifaqu.investment.models import Activity, Target

HEADER = ["序号", "企业名称", "总部所在地", "招商产业", "对接状态"]
ROWS = [
    [1, "比亚迪股份有限公司", "广东省深圳市", "新能源汽车", "已接触"],
    [2, "吉利汽车", "浙江省杭州市", "新能源汽车", None],
]


def targets(tmp_path, rows=ROWS):
    return write_xlsx(
        tmp_path / "目标企业.xlsx", [["屯留经开区目标企业清单", *[None] * 4], HEADER, *rows], merges=("A1:E1",)
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("investment", "import", *map(str, args), stdout=out)
    return out.getvalue()


def test_targets_are_imported_into_the_named_zone_and_audited(tmp_path, tunliu):
    text = run(targets(tmp_path), "--zone", "屯留")
    assert "招商目标企业清单：目标企业.xlsx" in text
    assert "新增 2" in text and "已写入。" in text
    assert "提示：新增招商产业 1 个（已加入招商产业目录）：新能源汽车" in text
    assert sorted(Target.objects.filter(zone=tunliu).values_list("name", flat=True)) == [
        "吉利汽车",
        "比亚迪股份有限公司",
    ]
    assert Target.objects.get(name="吉利汽车").get_status_display() == "未接触"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_repr="吉利汽车").exists()


def test_a_dry_run_writes_nothing(tmp_path, tunliu):
    text = run(targets(tmp_path), "--zone", "屯留经开区", "--dry-run")
    assert "试导入：未写入任何数据。" in text
    assert not Target.objects.exists()


def test_errors_are_listed_and_the_command_fails_writing_nothing(tmp_path, tunliu):
    rows = [*ROWS, [3, None, "北京市", "氢能", "已接触"], [4, "宁德时代", "福建省", None, "考虑中"]]
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("investment", "import", str(targets(tmp_path, rows)), "--zone", "屯留", stdout=out)
    assert str(caught.value) == "有错误，未写入任何数据。"
    assert caught.value.returncode == 1
    assert "第5行 企业名称: 企业名称不能为空" in out.getvalue()
    assert "第6行 对接状态: “考虑中”无法识别的对接状态" in out.getvalue()
    assert not Target.objects.exists()


def test_activities_from_a_gbk_csv(tmp_path, tunliu):
    rows = [
        ["日期", "活动类型", "地区", "对接企业", "签约金额（亿元）", "协议类型"],
        ["2025-03-05", "外出招商", "广东省深圳市", "比亚迪、吉利汽车", None, None],
        ["2025-04-10", "签约", "广东省深圳市", "比亚迪", "1.2", "战略"],
    ]
    path = write_csv(tmp_path / "招商台账.csv", rows, encoding="gbk")
    text = run(path, "--zone", "屯留", "--kind", "activities")
    assert "招商活动台账" in text and "新增 2" in text
    agreement = Activity.objects.get(kind=Activity.Kind.AGREEMENT)
    assert (agreement.signed_amount, agreement.get_agreement_kind_display()) == (12000, "战略合作协议")
    assert Target.objects.filter(zone=tunliu).count() == 2


def test_the_other_ledger_or_an_unknown_zone_is_refused_with_the_reason(tmp_path, tunliu):
    with pytest.raises(CommandError) as caught:
        run(targets(tmp_path), "--zone", "屯留", "--kind", "activities")
    assert "没有找到表头：需要一行写有“日期”等列名" in str(caught.value)
    with pytest.raises(CommandError):
        run(targets(tmp_path), "--zone", "不存在的开发区")
    assert not Target.objects.exists()
