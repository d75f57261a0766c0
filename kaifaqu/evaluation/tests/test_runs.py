"""Running a scheme on constructed records: each rule worked by hand, weights, ties in rank, the veto,
bonus points, traceability (the records behind a value), the run's lifecycle and versions, who sees
which scores, templates, and ``kaifaqu evaluation run``."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from kaifaqu.conftest import PASSWORD, make_user
from kaifaqu.evaluation import services
from kaifaqu.evaluation.models import Item, Run, Scheme
from kaifaqu.evaluation.selectors import gap_report, run_warnings, standings, visible_runs, visible_scores
from kaifaqu.evaluation.templates import scheme_fields, shipped_templates, template
from kaifaqu.indicators import services as indicator_services
from kaifaqu.indicators.models import Indicator, ReportRevision
from kaifaqu.regions.models import Region
from kaifaqu.services.models import ServiceRequest
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region, zone_create

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2026, 3
TODAY = datetime.date(2026, 5, 10)
PDF = b"%PDF-1.4 evidence"


@pytest.fixture
def zones(xiaoyi, tunliu):
    """Three 吕梁 zones (孝义, 交城, 文水) and 长治's 屯留, which no 吕梁 scheme may score."""
    jiaocheng = zone_create(name="交城经济开发区", short_name="交城经开区", region_code="141122")
    wenshui = zone_create(name="文水经济开发区", short_name="文水经开区", region_code="141121")
    return {"xiaoyi": xiaoyi, "jiaocheng": jiaocheng, "wenshui": wenshui, "tunliu": tunliu}


@pytest.fixture
def office(zones):
    return make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)


def indicator(name: str) -> Indicator:
    return Indicator.objects.get(name=name)


def report(admin_user, zone, *, added: tuple[str, str], tax: str, submitted: datetime.datetime | None = None):
    """An approved March report: 规上工业增加值 ``added`` (value, last year), 税收收入 ``tax``."""
    figures = {
        item.pk: {"value": Decimal(35), "last_year": Decimal(30), "growth_pct": None, "note": ""}
        for item in Indicator.objects.filter(in_evaluation=True)
    }
    value, last_year = added
    figures[indicator("规上工业增加值").pk].update(value=Decimal(value), last_year=Decimal(last_year), note="核实")
    figures[indicator("税收收入").pk].update(value=Decimal(tax), note="核实")
    filed = indicator_services.report_fill(
        user=admin_user, owner=zone, year=YEAR, month=MONTH, figures=figures, submit=True
    )
    if submitted is not None:  # the day it was really submitted
        ReportRevision.objects.filter(report=filed, status="submitted").update(at=submitted)
    indicator_services.report_approve(user=admin_user, report=filed)
    return filed


def request(zone, *, received: str, due: str, resolved: str | None = None, satisfaction=None, **fields):
    status = ServiceRequest.Status.RESOLVED if resolved else ServiceRequest.Status.ASSIGNED
    return ServiceRequest.objects.create(
        zone=zone,
        title=fields.pop("title", "用电增容"),
        category="utilities",
        received_on=datetime.date.fromisoformat(received),
        due_on=datetime.date.fromisoformat(due),
        resolved_on=datetime.date.fromisoformat(resolved) if resolved else None,
        satisfaction=satisfaction,
        status=status,
        **fields,
    )


def add(office, scheme, name, metric, rule, weight, **fields) -> Item:
    values = {"group": fields.pop("group", "经济运行"), "name": name, "metric": metric, "rule": rule}
    return services.item_save(
        user=office, item=Item(scheme=scheme), fields=values | {"weight": Decimal(weight)} | fields
    )


@pytest.fixture
def scheme(office, zones, admin_user):
    """A city scheme whose every value is set below, so each score can be worked out by hand."""
    lvliang = Region.objects.get(code="141100")
    made = services.scheme_save(
        user=office, scheme=Scheme(), fields={"name": "吕梁市开发区月度考核", "region": lvliang, "zone": None}
    )
    add(
        office,
        made,
        "规上工业增加值增速",
        "indicator_growth",
        "rank",
        "10",
        step=Decimal(2),
        indicator=indicator("规上工业增加值"),
    )
    add(
        office,
        made,
        "税收收入年度目标完成率",
        "indicator_completion",
        "ratio",
        "10",
        target=Decimal(100),
        indicator=indicator("税收收入"),
    )
    add(office, made, "企业诉求按时办结率", "request_on_time", "ratio", "10", target=Decimal(100), group="营商环境")
    add(office, made, "月报报送", "report_lapses", "deduction", "5", per_event=Decimal(2), group="营商环境")
    add(office, made, "信息报送红榜", "honor_red", "ratio", "1", target=Decimal(1), kind="bonus", group="加分项")
    add(office, made, "安全生产事故", "manual", "direct", "0", kind="veto", group="一票否决")
    # 孝义 +20.0%, 交城 and 文水 +10.0% (a tie: both second); 税收 50 of 100 and 80 of 100, 文水 no target.
    tz = datetime.timezone(datetime.timedelta(hours=8))
    report(
        admin_user,
        zones["xiaoyi"],
        added=("120", "100"),
        tax="50",
        submitted=datetime.datetime(2026, 4, 20, 9, tzinfo=tz),
    )  # after the 10th: late
    report(
        admin_user,
        zones["jiaocheng"],
        added=("110", "100"),
        tax="80",
        submitted=datetime.datetime(2026, 4, 8, 9, tzinfo=tz),
    )
    report(
        admin_user,
        zones["wenshui"],
        added=("110", "100"),
        tax="90",
        submitted=datetime.datetime(2026, 4, 9, 9, tzinfo=tz),
    )
    indicator_services.targets_save(
        user=admin_user,
        year=YEAR,
        values={
            (zones["xiaoyi"].pk, indicator("税收收入").pk): Decimal(100),
            (zones["jiaocheng"].pk, indicator("税收收入").pk): Decimal(100),
        },
    )
    # 孝义: two requests in March, one closed in time and one late; 交城 none; 屯留's are not ours.
    request(zones["xiaoyi"], received="2026-03-02", due="2026-03-12", resolved="2026-03-10", satisfaction=5)
    request(zones["xiaoyi"], received="2026-03-05", due="2026-03-15", resolved="2026-03-20", title="道路硬化")
    request(zones["xiaoyi"], received="2026-04-01", due="2026-04-05")  # April: not this period
    request(zones["tunliu"], received="2026-03-02", due="2026-03-03")
    return made


def scores_of(run: Run) -> dict[str, dict]:
    names = {str(item["id"]): item["name"] for item in run.items}
    return {
        score.subject_name: {"total": score.total, "rank": score.rank, "vetoed": score.vetoed}
        | {names[key]: Decimal(found["score"]) for key, found in score.items.items()}
        for score in run.scores.all()
    }


def test_each_rule_scores_as_worked_by_hand(scheme, office, zones, settings):
    settings.KAIFAQU_INDICATOR_DUE_DAY = 10
    evidence = SimpleUploadedFile("事故通报.pdf", PDF, content_type="application/pdf")
    services.manual_value_save(
        user=office,
        item=scheme.items.get(name="安全生产事故"),
        period="2026-03",
        subject_key=f"zone:{zones['wenshui'].pk}",
        value=Decimal(1),
        evidence=evidence,
    )
    run = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    got = scores_of(run)
    assert set(got) == {"孝义经开区", "交城经开区", "文水经开区"}  # 屯留 is 长治's
    xiaoyi, jiaocheng, wenshui = got["孝义经开区"], got["交城经开区"], got["文水经开区"]
    # rank: first full marks, each place 2 less, the tie shares second place
    assert (xiaoyi["规上工业增加值增速"], jiaocheng["规上工业增加值增速"], wenshui["规上工业增加值增速"]) == (10, 8, 8)
    # ratio to target: 50% of 10 points, 80%; no target, nothing
    assert (xiaoyi["税收收入年度目标完成率"], jiaocheng["税收收入年度目标完成率"]) == (Decimal("5.00"), Decimal("8.00"))
    assert wenshui["税收收入年度目标完成率"] == 0
    # one of two requests on time: 50% of 10; 交城 had none to count
    assert xiaoyi["企业诉求按时办结率"] == 5 and jiaocheng["企业诉求按时办结率"] == 0
    # one late report: 5 − 2; the others on time keep full marks
    assert (xiaoyi["月报报送"], jiaocheng["月报报送"]) == (3, 5)
    assert xiaoyi["total"] == Decimal("23.00") and jiaocheng["total"] == Decimal("21.00")
    # the veto found an event: 文水's total is zero whatever it scored
    assert wenshui["vetoed"] and wenshui["total"] == 0 and wenshui["规上工业增加值增速"] == 8
    assert [xiaoyi["rank"], jiaocheng["rank"], wenshui["rank"]] == [1, 2, 3]


def test_a_weight_changes_the_points_and_a_bonus_adds_on_top(scheme, office, zones, settings):
    settings.KAIFAQU_INDICATOR_DUE_DAY = 10
    growth = scheme.items.get(name="规上工业增加值增速")
    services.item_save(user=office, item=growth, fields={"weight": Decimal(20)})
    honor_scheme = services.scheme_save(user=office, scheme=scheme, fields={"honor_rules": "reporting"})
    services.honor_generate(user=office, scheme=honor_scheme, period="2026-03", today=TODAY)
    got = scores_of(services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY))
    assert got["孝义经开区"]["规上工业增加值增速"] == 20 and got["交城经开区"]["规上工业增加值增速"] == 18
    # 交城 and 文水 reported in time: red list, one bonus point each; 孝义 late: black list
    assert got["交城经开区"]["信息报送红榜"] == 1 and got["孝义经开区"]["信息报送红榜"] == 0
    assert got["交城经开区"]["total"] == Decimal("18") + 8 + 0 + 5 + 1


def test_each_value_names_the_records_behind_it(scheme, office, zones, settings):
    run = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    item = scheme.items.get(name="企业诉求按时办结率")
    score = run.scores.get(zone=zones["xiaoyi"])
    found = score.items[str(item.pk)]
    assert found["value"] == "50.0" and found["count"] == 2
    client = Client()
    client.login(username="lvliang-admin", password=PASSWORD)
    page = client.get(found["trace"]).content.decode()
    assert "用电增容" in page and "道路硬化" in page  # March's two requests of 孝义
    assert "用电增容" in page and client.get(found["trace"].replace("zone=", "zone=0")).status_code in (200, 400)
    growth = score.items[str(scheme.items.get(name="规上工业增加值增速").pk)]
    assert growth["value"] == "20.0" and f"/indicators/zones/{zones['xiaoyi'].pk}/" in growth["trace"]
    assert client.get(growth["trace"]).status_code == 200


def test_runs_go_draft_reviewed_published_and_a_republish_keeps_the_old_version(scheme, office):
    first = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    again = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    assert again.version == 1 and Run.objects.filter(scheme=scheme).count() == 1  # a draft is replaced
    assert not Run.objects.filter(pk=first.pk).exists()
    with pytest.raises(ValidationError, match="须先审核再发布"):
        services.run_publish(user=office, run=again)
    services.run_review(user=office, run=again)
    services.run_publish(user=office, run=again)
    # a value corrected after publishing changes the next version, never the published one
    vetoed_zone = again.scores.get(rank=1).zone_id
    services.manual_value_save(
        user=office,
        item=scheme.items.get(name="安全生产事故"),
        period="2026-03",
        subject_key=f"zone:{vetoed_zone}",
        value=Decimal(1),
        evidence=SimpleUploadedFile("a.pdf", PDF),
    )
    assert not again.scores.get(zone_id=vetoed_zone).vetoed
    second = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    assert second.version == 2 and second.status == Run.Status.DRAFT
    services.run_review(user=office, run=second)
    services.run_publish(user=office, run=second)
    again.refresh_from_db()
    assert again.status == Run.Status.SUPERSEDED and again.scores.count() == 3  # kept, still readable
    assert second.scores.get(zone_id=vetoed_zone).vetoed and not again.scores.get(zone_id=vetoed_zone).vetoed
    # the items as they were at the time stay with each version
    services.item_save(user=office, item=scheme.items.get(name="月报报送"), fields={"weight": Decimal(9)})
    assert next(item for item in again.items if item["name"] == "月报报送")["weight"] == "5.00"


def test_what_each_user_sees(scheme, office, zones, xiaoyi_staff, tunliu_staff):
    run = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    assert Scheme.objects.visible_to(xiaoyi_staff).filter(pk=scheme.pk).exists()
    assert not Scheme.objects.visible_to(tunliu_staff).filter(pk=scheme.pk).exists()
    assert not visible_runs(xiaoyi_staff, scheme).exists()  # a draft is the office's
    services.run_review(user=office, run=run)
    services.run_publish(user=office, run=run)
    assert [score.subject_name for score in visible_scores(xiaoyi_staff, run)] == ["孝义经开区"]
    assert visible_scores(office, run).count() == 3
    services.scheme_save(user=office, scheme=scheme, fields={"results_public": True})
    assert visible_scores(xiaoyi_staff, run).count() == 3
    with pytest.raises(PermissionDenied):
        services.run_scheme(user=xiaoyi_staff, scheme=scheme, period="2026-03", today=TODAY)


def test_places_move_against_the_last_period_and_the_gap_names_the_costliest_items(scheme, office, zones):
    february = services.run_scheme(user=office, scheme=scheme, period="2026-02", today=TODAY)
    services.run_review(user=office, run=february)
    services.run_publish(user=office, run=february)
    missing, no_list = run_warnings(february, today=TODAY)  # no February report, no list: said, not hidden
    assert missing.startswith("3个开发区（交城经开区、孝义经开区、文水经开区）2月月报尚未审核通过：")
    assert no_list == "2026年2月的红黑榜还没有生成：上榜次数均按0计。"
    march = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    assert run_warnings(march, today=TODAY) == ["2026年3月的红黑榜还没有生成：上榜次数均按0计。"]
    by_name = {row.score.subject_name: row for row in standings(office, march)}
    before = february.scores.get(zone=zones["xiaoyi"]).rank
    assert by_name["孝义经开区"].movement == before - 1
    gaps = gap_report(march, march.scores.get(zone=zones["jiaocheng"]))
    assert gaps[0].item["name"] == "企业诉求按时办结率" and gaps[0].lost == 5 and gaps[0].best_subject == "孝义经开区"
    assert {gap.item["name"] for gap in gaps if gap.lost == 0} >= {"月报报送"}


def test_items_refuse_what_cannot_be_scored(scheme, office, zones):
    with pytest.raises(ValidationError) as refused:
        add(office, scheme, "开工率", "start_rate", "ratio", "10")
    assert refused.value.message_dict["target"] == ["按完成比例计分须填写大于 0 的目标值。"]
    with pytest.raises(ValidationError) as refused:
        add(office, scheme, "增速", "indicator_growth", "bands", "10", bands="90：12, 80:8")
    errors = refused.value.message_dict
    assert errors["indicator"] == ["“月调度指标同比增速”须选择一个月调度指标。"]
    assert errors["bands"] == ["分档的得分不能高于本项分值 10 分。"]
    with pytest.raises(ValidationError) as refused:
        add(office, scheme, "带队招商", "investment_activities", "bands", "5", bands="三次:5")
    assert refused.value.message_dict["bands"] == ["分档“三次:5”应写作“门槛:得分”，如 90:10。"]
    party = add(office, scheme, "党建工作", "manual", "direct", "5", group="党建", unit="分")
    with pytest.raises(ValidationError) as refused:
        services.manual_value_save(
            user=office,
            item=party,
            period="2026-03",
            subject_key=f"zone:{zones['xiaoyi'].pk}",
            value=Decimal(8),
            evidence=SimpleUploadedFile("a.pdf", PDF),
        )
    assert refused.value.message_dict["value"] == ["“党建工作”直接计分，最高5.00分，不能填8分。"]
    with pytest.raises(ValidationError, match="还没有结束"):
        services.run_scheme(user=office, scheme=scheme, period="2026-05", today=TODAY)
    with pytest.raises(ValidationError) as refused:
        add(office, scheme, "诉求（直接）", "request_on_time", "direct", "5")
    assert "直接计分只用于手工录入的项目" in refused.value.message_dict["rule"][0]
    with pytest.raises(ValidationError, match="格式不对"):
        services.run_scheme(user=office, scheme=scheme, period="2026年3月", today=TODAY)


def test_every_shipped_template_copies_and_runs(office, zones, xiaoyi):
    lvliang = Region.objects.get(code="141100")
    zone_admin = make_user("xiaoyi-admin", Unit.objects.get(zone=xiaoyi), roles.ADMIN)
    assert set(shipped_templates()) == {"city_monthly", "zone_staff", "national"}
    national = template("national")
    assert [group for group in dict.fromkeys(item["group"] for item in national["items"])][:5] == [
        "对外开放",
        "发展质量",
        "科技创新",
        "绿色发展",
        "统筹协调",
    ]
    for key, user, owner, period in (
        ("city_monthly", office, {"region": lvliang, "zone": None}, "2026-03"),
        ("national", office, {"region": lvliang, "zone": None}, "2025"),  # a year is scored once it is over
        ("zone_staff", zone_admin, {"zone": xiaoyi}, "2026-03"),
    ):
        data = template(key)
        copied = services.scheme_copy(
            user=user, source=data, fields=scheme_fields(data) | owner | {"name": data["name"]}
        )
        assert copied.items.count() == len(data["items"])
        run = services.run_scheme(user=user, scheme=copied, period=period, today=TODAY)
        assert run.scores.exists()
    staff_scheme = Scheme.objects.get(name=template("zone_staff")["name"])
    assert {score.person_id for score in staff_scheme.runs.get().scores.all()} == {zone_admin.pk}


def test_the_command_line_prints_every_number_as_text(scheme, office, capsys):
    out = io.StringIO()
    call_command("evaluation", "run", "--scheme", "吕梁市开发区月度考核", "--period", "2026-03", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["scheme"] == "吕梁市开发区月度考核" and data["period"] == "2026-03"
    first = data["subjects"][0]
    assert isinstance(first["total"], str) and isinstance(first["rank"], str)
    assert set(first["items"]["月报报送"]) == {"value", "score", "max"} and first["items"]["月报报送"]["max"] == "5.00"
    with pytest.raises(CommandError, match="没有名为“不存在”的考核方案"):
        call_command("evaluation", "run", "--scheme", "不存在", "--period", "2026-03")
    with pytest.raises(CommandError, match="格式不对"):
        call_command("evaluation", "run", "--scheme", "吕梁市开发区月度考核", "--period", "三月")


def test_the_dashboard_shows_the_latest_published_places(scheme, office, zones, xiaoyi_staff, tunliu_staff):
    run = services.run_scheme(user=office, scheme=scheme, period="2026-03", today=TODAY)
    client = Client()
    client.login(username="lvliang-admin", password=PASSWORD)
    assert "考核排名" not in client.get("/dashboard/").content.decode()  # a draft is not a ranking yet
    services.run_review(user=office, run=run)
    services.run_publish(user=office, run=run)
    page = client.get("/dashboard/").content.decode()
    assert "考核排名：吕梁市开发区月度考核（2026年3月）" in page
    card = page[page.index('data-testid="ranking-card"') :]
    assert card.index("孝义经开区") < card.index("交城经开区") < card.index("文水经开区")
    client.login(username=xiaoyi_staff.username, password=PASSWORD)
    page = client.get("/dashboard/").content.decode()
    card = page[page.index('data-testid="ranking-card"') :]
    assert "孝义经开区" in card and "交城经开区" not in card  # results not public: its own place only
    client.login(username=tunliu_staff.username, password=PASSWORD)
    assert "考核排名" not in client.get("/dashboard/").content.decode()


def test_staff_see_their_own_score_sheet_only(xiaoyi, xiaoyi_staff):
    unit = Unit.objects.get(zone=xiaoyi)
    zone_admin = make_user("xiaoyi-admin", unit, roles.ADMIN)
    colleague = make_user("xiaoyi-liaison", unit, roles.LIAISON_OFFICER)
    data = template("zone_staff")
    scheme = services.scheme_copy(
        user=zone_admin, source=data, fields=scheme_fields(data) | {"zone": xiaoyi, "name": "孝义经开区工作人员考核"}
    )
    # the 项目专员 keeps the zone's settings but not the scheme that scores him
    with pytest.raises(PermissionDenied):
        services.item_save(user=xiaoyi_staff, item=scheme.items.first(), fields={"weight": Decimal(30)})
    run = services.run_scheme(user=zone_admin, scheme=scheme, period="2026-03", today=TODAY)
    services.run_review(user=zone_admin, run=run)
    services.run_publish(user=zone_admin, run=run)
    assert run.scores.count() == 3
    assert [score.person_id for score in visible_scores(xiaoyi_staff, run)] == [xiaoyi_staff.pk]
    client = Client()
    client.login(username=xiaoyi_staff.username, password=PASSWORD)
    own = run.scores.get(person=xiaoyi_staff)
    other = run.scores.get(person=colleague)
    assert client.get(f"/evaluation/scores/{own.pk}/sheet.docx").status_code == 200
    assert client.get(f"/evaluation/scores/{other.pk}/sheet.docx").status_code == 404
