"""The two 红黑榜 rule sets on constructed records (灵石, seed 003: 包联服务企业红黑榜和信息报送红黑榜制度，
每月进行公示并纳入绩效考核): each entry's reason in words, the office's review (add, remove with a
note), 公示 locking the list, regenerating without losing the review, and ``kaifaqu honor_list``."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.evaluation import services
from kaifaqu.evaluation.models import HonorList, Scheme
from kaifaqu.indicators import services as indicator_services
from kaifaqu.indicators.models import Indicator, IndicatorReport, ReportRevision
from kaifaqu.regions.models import Region
from kaifaqu.services.models import ServiceRequest
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region, zone_create

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 20)
TZ = datetime.timezone(datetime.timedelta(hours=8))


def lists(honor_list: HonorList) -> dict[str, dict[str, str]]:
    entries = honor_list.entries.filter(removed=False)
    return {side: {e.subject_name: e.reason for e in entries if e.side == side} for side in ("red", "black")}


# ---------------------------------------------------------------- 信息报送红黑榜


@pytest.fixture
def lvliang_zones(xiaoyi):
    return {
        "xiaoyi": xiaoyi,
        "jiaocheng": zone_create(name="交城经济开发区", short_name="交城经开区", region_code="141122"),
        "wenshui": zone_create(name="文水经济开发区", short_name="文水经开区", region_code="141121"),
        "fangshan": zone_create(name="方山经济开发区", short_name="方山经开区", region_code="141128"),
    }


@pytest.fixture
def office(lvliang_zones):
    return make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)


def send(admin_user, zone, *, on: datetime.date, returned_on: datetime.date | None = None):
    """March's report, first submitted ``on``; sent back once on ``returned_on`` and submitted again."""
    figures = {
        item.pk: {"value": Decimal(35), "last_year": Decimal(30), "growth_pct": None, "note": ""}
        for item in Indicator.objects.filter(in_evaluation=True)
    }
    report = indicator_services.report_fill(
        user=admin_user, owner=zone, year=2026, month=3, figures=figures, submit=True
    )
    ReportRevision.objects.filter(report=report).update(at=datetime.datetime(on.year, on.month, on.day, 9, tzinfo=TZ))
    if returned_on is not None:
        indicator_services.report_return(user=admin_user, report=report, comment="工业投资需核实")
        ReportRevision.objects.filter(report=report, status="returned").update(
            at=datetime.datetime(returned_on.year, returned_on.month, returned_on.day, 9, tzinfo=TZ)
        )
        report.refresh_from_db()
        indicator_services.report_fill(user=admin_user, owner=zone, year=2026, month=3, figures=figures, submit=True)
    return report


@pytest.fixture
def reporting(office, lvliang_zones, admin_user, settings):
    settings.KAIFAQU_INDICATOR_DUE_DAY = 10
    send(admin_user, lvliang_zones["xiaoyi"], on=datetime.date(2026, 4, 8))
    send(admin_user, lvliang_zones["jiaocheng"], on=datetime.date(2026, 4, 13))
    send(admin_user, lvliang_zones["wenshui"], on=datetime.date(2026, 4, 6), returned_on=datetime.date(2026, 4, 9))
    # 方山 never reported March.
    return services.scheme_save(
        user=office,
        scheme=Scheme(),
        fields={
            "name": "吕梁市开发区月度考核",
            "region": Region.objects.get(code="141100"),
            "zone": None,
            "honor_rules": "reporting",
        },
    )


def test_reporting_lists_say_who_reported_on_time_and_who_did_not(reporting, office):
    honor_list = services.honor_generate(user=office, scheme=reporting, period="2026-03", today=TODAY)
    got = lists(honor_list)
    assert got["red"] == {"孝义经开区": "3月月报4月8日按时报送，未被退回"}
    assert got["black"] == {
        "交城经开区": "3月月报4月13日报送，晚于截止日4月10日",
        "文水经开区": "3月月报被退回修改1次",
        "方山经开区": "3月月报逾期未报送（截止4月10日）",
    }


def test_before_the_deadline_nobody_is_late_and_the_month_must_be_over(reporting, office):
    with pytest.raises(ValidationError, match="还没有结束"):
        services.honor_generate(user=office, scheme=reporting, period="2026-05", today=TODAY)
    IndicatorReport.objects.all().delete()
    honor_list = services.honor_generate(
        user=office, scheme=reporting, period="2026-04", today=datetime.date(2026, 5, 3)
    )
    assert lists(honor_list) == {"red": {}, "black": {}}  # April's reports are not due until 10 May


def test_the_office_reviews_then_publishes_and_a_regenerated_list_keeps_its_review(reporting, office, lvliang_zones):
    honor_list = services.honor_generate(user=office, scheme=reporting, period="2026-03", today=TODAY)
    returned = honor_list.entries.get(subject_name="文水经开区")
    with pytest.raises(ValidationError) as refused:
        services.honor_remove(user=office, entry=returned, note=" ")
    assert refused.value.message_dict == {"note": ["移出红黑榜须填写说明。"]}
    services.honor_remove(user=office, entry=returned, note="退回系统计口径调整所致，不属报送差错")
    services.honor_add(
        user=office,
        honor_list=honor_list,
        side="red",
        subject_key=f"zone:{lvliang_zones['wenshui'].pk}",
        reason="主动更正工业投资数据",
    )
    with pytest.raises(ValidationError) as refused:  # once on a side is enough
        services.honor_add(
            user=office,
            honor_list=honor_list,
            side="red",
            subject_key=f"zone:{lvliang_zones['wenshui'].pk}",
            reason="再次列入",
        )
    assert refused.value.message_dict["subject"] == ["文水经开区已在红榜上（主动更正工业投资数据）。"]
    again = services.honor_generate(user=office, scheme=reporting, period="2026-03", today=TODAY)
    assert again.pk == honor_list.pk
    got = lists(again)
    assert got["red"]["文水经开区"] == "主动更正工业投资数据" and "文水经开区" not in got["black"]
    assert again.entries.get(subject_name="文水经开区", side="black").note.startswith("退回系统")
    services.honor_publish(user=office, honor_list=again)
    with pytest.raises(ValidationError, match="已公示"):
        services.honor_add(
            user=office, honor_list=again, side="black", subject_key=f"zone:{lvliang_zones['xiaoyi'].pk}", reason="x"
        )
    # A published list is printed as published, not generated again.
    out = io.StringIO()
    call_command("honor_list", "--scheme", "吕梁市开发区月度考核", "--period", "2026-03", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["status"] == "已公示"
    assert {entry["subject"] for entry in data["black"]} == {"交城经开区", "方山经开区"}
    assert {"subject": "文水经开区", "reason": "主动更正工业投资数据"} in data["red"]


def test_a_scheme_without_rules_has_no_list(office, lvliang_zones):
    scheme = services.scheme_save(
        user=office,
        scheme=Scheme(),
        fields={"name": "无红黑榜", "region": Region.objects.get(code="141100"), "zone": None},
    )
    with pytest.raises(ValidationError, match="没有设置红黑榜规则"):
        services.honor_generate(user=office, scheme=scheme, period="2026-03", today=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.scheme_save(user=office, scheme=scheme, fields={"honor_rules": "liaison"})
    assert "只能用于考核工作人员的方案" in refused.value.message_dict["honor_rules"][0]


# ---------------------------------------------------------------- 包联服务企业红黑榜


@pytest.fixture
def liaisons(xiaoyi, admin_user):
    """Five 包联干部 of 孝义 and one enterprise each; their March requests set below."""
    unit = Unit.objects.get(zone=xiaoyi)
    people = {
        name: make_user(name, unit, roles.LIAISON_OFFICER) for name in ("good", "late", "open", "unhappy", "idle")
    }
    for number, (name, person) in enumerate(people.items(), start=1):
        person.first_name = {"good": "王芳", "late": "李娜", "open": "张敏", "unhappy": "刘婷", "idle": "陈晨"}[name]
        person.save()
        enterprise_create(
            user=admin_user,
            fields={
                "name": f"孝义{name}企业有限公司",
                "zone": xiaoyi,
                "credit_code": make_credit_code("141181", f"{number:08d}"),
                "liaison": person,
            },
        )
    return people


def filed(person, *, received, due, resolved=None, satisfaction=None, title="用电增容"):
    enterprise = person.liaison_enterprises.get()
    return ServiceRequest.objects.create(
        zone=enterprise.zone,
        enterprise=enterprise,
        title=title,
        category="utilities",
        received_on=datetime.date.fromisoformat(received),
        due_on=datetime.date.fromisoformat(due),
        resolved_on=datetime.date.fromisoformat(resolved) if resolved else None,
        satisfaction=satisfaction,
        status=ServiceRequest.Status.RATED
        if satisfaction
        else (ServiceRequest.Status.RESOLVED if resolved else ServiceRequest.Status.ASSIGNED),
    )


def test_liaison_lists_follow_each_liaisons_enterprises(liaisons, xiaoyi):
    zone_admin = make_user("xiaoyi-admin", Unit.objects.get(zone=xiaoyi), roles.ADMIN)
    scheme = services.scheme_save(
        user=zone_admin,
        scheme=Scheme(),
        fields={
            "name": "孝义经开区工作人员月度考核",
            "zone": xiaoyi,
            "subject_kind": "staff",
            "honor_rules": "liaison",
        },
    )
    filed(liaisons["good"], received="2026-03-02", due="2026-03-12", resolved="2026-03-09", satisfaction=5)
    filed(
        liaisons["good"],
        received="2026-02-20",
        due="2026-03-05",
        resolved="2026-03-04",
        satisfaction=4,
        title="办理环评",
    )
    filed(liaisons["late"], received="2026-03-02", due="2026-03-10", resolved="2026-03-14", satisfaction=5)
    filed(liaisons["open"], received="2026-03-10", due="2026-03-20")
    filed(liaisons["unhappy"], received="2026-03-01", due="2026-03-20", resolved="2026-03-18", satisfaction=2)
    filed(liaisons["idle"], received="2026-01-05", due="2026-01-20", resolved="2026-01-15", satisfaction=5)
    got = lists(services.honor_generate(user=zone_admin, scheme=scheme, period="2026-03", today=TODAY))
    assert got["red"] == {"王芳": "包联企业（孝义good企业有限公司）2件诉求均按时办结，评价满意"}
    assert got["black"] == {
        "李娜": "孝义late企业有限公司“用电增容”超时4天办结",
        "张敏": "孝义open企业有限公司“用电增容”至3月31日逾期未办结",
        "刘婷": "孝义unhappy企业有限公司“用电增容”评价为2分（不满意）",
    }
