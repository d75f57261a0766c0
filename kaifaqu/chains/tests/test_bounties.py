"""揭榜挂帅 (孝义, seed 000: 实行招商揭榜挂帅制，发布重点招引项目榜单，通过擂台比武方式揭榜，完成情况纳入
绩效考核): a 吕梁 board from publish to 验收 with rival claimants ranked, the refusals, the scoping,
the 榜单 as .xlsx and .docx, and ``kaifaqu bounty_stats``."""

import datetime
import io
import json
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kaifaqu.audit.models import AuditEntry
from kaifaqu.audit.trail import record_key
from kaifaqu.chains import bounty_services as services
from kaifaqu.chains.bounty_selectors import board_view, bounty_metric, bounty_standings
from kaifaqu.chains.models import Bounty, BountyBoard, BountyClaim
from kaifaqu.conftest import PASSWORD, make_user
from kaifaqu.investment import services as investment_services
from kaifaqu.investment.models import Target
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region, zone_create

pytestmark = pytest.mark.django_db
TODAY = local_today()
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4 evidence"


@pytest.fixture
def jiaocheng(xiaoyi):
    """A second 吕梁 zone, for a rival from another zone of the city."""
    return zone_create(name="交城经济开发区", short_name="交城经开区", region_code="141122")


@pytest.fixture
def people(xiaoyi, jiaocheng, tunliu, xiaoyi_staff):
    """吕梁市's office publishes; 孝义's 招商专员 and 项目专员 and 交城's 项目专员 claim."""
    lvliang = unit_for_region(region=Region.objects.get(code="141100"))
    return {
        "office": make_user("lvliang-admin", lvliang, roles.ADMIN),
        "leader": make_user("lvliang-leader", lvliang, roles.LEADER),
        "xiaoyi_invest": make_user("xiaoyi-invest", Unit.objects.get(zone=xiaoyi), roles.INVESTMENT_OFFICER),
        "xiaoyi_staff": xiaoyi_staff,
        "jiaocheng": make_user("jiaocheng-staff", Unit.objects.get(zone=jiaocheng), roles.PROJECT_OFFICER),
        "tunliu": make_user("tunliu-invest", Unit.objects.get(zone=tunliu), roles.INVESTMENT_OFFICER),
    }


def _board(user, **fields) -> BountyBoard:
    fields.setdefault("region", Region.objects.get(code="141100"))
    fields.setdefault("zone", None)
    values = {"title": "2025年重点招引项目榜单", "deadline": TODAY + 30 * DAY, "reward_note": "验收通过的给予重奖"}
    return services.board_save(user=user, board=BountyBoard(), fields={**values, **fields})


def _amount(user, board, goal="50000") -> Bounty:
    return services.bounty_save(
        user=user,
        bounty=Bounty(board=board),
        fields={
            "kind": Bounty.Kind.AMOUNT,
            "title": "招引氢能产业投资5亿元",
            "goal": Decimal(goal),
            "period_start": TODAY - 60 * DAY,
            "period_end": TODAY + 60 * DAY,
        },
    )


@pytest.fixture
def published(people):
    board = _board(people["office"])
    bounty = _amount(people["office"], board)
    services.board_publish(user=people["office"], board=board, today=TODAY - 20 * DAY)
    return board, bounty


def _claim(user, bounty, team="", day=None):
    return services.claim_create(user=user, bounty=bounty, team=team, today=day or TODAY - 15 * DAY)


def _report(user, claim, day, wan, upload=None):
    return services.progress_report(
        user=user, claim=claim, reported_on=day, value=Decimal(wan), note=f"累计{wan}万元", upload=upload
    )


def test_a_board_from_publish_to_verified_with_rivals_ranked(people, published):
    board, bounty = published
    office = people["office"]
    xiaoyi_team = _claim(people["xiaoyi_invest"], bounty, team="孝义招商一组")
    jiaocheng_team = _claim(people["jiaocheng"], bounty, team="交城招商专班")
    xiaoyi_other = _claim(people["xiaoyi_staff"], bounty)
    _report(people["xiaoyi_invest"], xiaoyi_team, TODAY - 10 * DAY, "30000")
    _report(people["xiaoyi_invest"], xiaoyi_team, TODAY - 2 * DAY, "52000")  # completes later
    _report(people["jiaocheng"], jiaocheng_team, TODAY - 5 * DAY, "50000")  # completes first
    _report(people["xiaoyi_staff"], xiaoyi_other, TODAY - 5 * DAY, "20000")

    # Before 验收: the share of the goal leads (104% before 100%, 40% last).
    assert [item.claim for item in _standings(bounty)] == [xiaoyi_team, jiaocheng_team, xiaoyi_other]
    xiaoyi_team.refresh_from_db()
    assert (xiaoyi_team.reached, xiaoyi_team.completed_on) == (Decimal("52000"), TODAY - 2 * DAY)

    # 验收 通过 comes first, whatever the reported shares.
    services.claim_verify(user=office, claim=jiaocheng_team, result="passed", achieved=Decimal("50000"))
    assert [item.claim for item in _standings(bounty)] == [jiaocheng_team, xiaoyi_team, xiaoyi_other]

    # Both 通过 at 100%: the earlier completion (交城, 5 days ago) ranks first.
    services.claim_verify(
        user=office,
        claim=xiaoyi_team,
        result="passed",
        achieved=Decimal("50000"),
        upload=SimpleUploadedFile("验收报告.pdf", PDF),
    )
    standings = _standings(bounty)
    assert [(item.rank, item.claim, item.state) for item in standings] == [
        (1, jiaocheng_team, "验收通过"),
        (2, xiaoyi_team, "验收通过"),
        (3, xiaoyi_other, "进行中"),
    ]
    assert [str(item.percent) for item in standings] == ["100.0", "100.0", "40.0"]

    view = board_view(board)
    assert [(row.name, row.verified, str(row.score)) for row in view.claimants] == [
        ("jiaocheng-staff", 1, "100.0"),
        ("xiaoyi-invest", 1, "100.0"),
        ("xiaoyi-staff", 0, "0"),
    ]
    # Every step is on the board's record: the board, its bounty, the claims, the reports, the 验收.
    labels = set(AuditEntry.objects.filter(record_key=record_key(board)).values_list("object_label", flat=True))
    assert {"揭榜挂帅榜单", "榜", "揭榜", "揭榜进展"} <= labels
    services.board_close(user=office, board=board)
    assert BountyBoard.objects.get(pk=board.pk).status == BountyBoard.Status.CLOSED
    from kaifaqu.chains.bounty_report import board_report

    closed = board_report(board_view(BountyBoard.objects.get(pk=board.pk)))
    assert f"{TODAY:%Y年%-m月%-d日}结束" in closed.subtitle  # the 公示 says the board is over


def _standings(bounty):
    return bounty_standings(BountyClaim.objects.filter(bounty=bounty).select_related("bounty", "unit"))


def test_the_metric_for_evaluation_per_person_and_per_unit(people, published, xiaoyi, jiaocheng):
    _, bounty = published
    office = people["office"]
    first = _claim(people["xiaoyi_invest"], bounty)
    second = _claim(people["xiaoyi_staff"], bounty)
    rival = _claim(people["jiaocheng"], bounty)
    _report(people["xiaoyi_invest"], first, TODAY - 3 * DAY, "60000")
    services.claim_verify(user=office, claim=first, result="passed", achieved=Decimal("60000"))
    services.claim_verify(user=office, claim=rival, result="failed", achieved=Decimal("10000"))
    _report(people["xiaoyi_staff"], second, TODAY - DAY, "1000")

    per_unit = bounty_metric(BountyClaim.objects.all(), start=TODAY - 30 * DAY, end=TODAY, per="unit")
    by_name = {row.name: row for row in per_unit}
    xiaoyi_row = by_name[Unit.objects.get(zone=xiaoyi).name]
    assert (xiaoyi_row.claimed, xiaoyi_row.completed, xiaoyi_row.verified) == (2, 1, 1)
    assert xiaoyi_row.score == Decimal("120.0")  # 60000 of 50000: 120% of 100 points
    jiaocheng_row = by_name[Unit.objects.get(zone=jiaocheng).name]
    assert (jiaocheng_row.claimed, jiaocheng_row.verified, jiaocheng_row.score) == (1, 0, Decimal("0"))
    assert per_unit[0] is xiaoyi_row

    per_person = bounty_metric(BountyClaim.objects.all(), start=TODAY - 30 * DAY, end=TODAY)
    assert per_person[0].key == people["xiaoyi_invest"].pk
    # A period before anything happened counts nothing.
    assert bounty_metric(BountyClaim.objects.all(), start=TODAY - 400 * DAY, end=TODAY - 300 * DAY) == []


# ---------------------------------------------------------------- refusals


def test_who_may_publish_and_claim(people, published, xiaoyi):
    board, bounty = published
    with pytest.raises(PermissionDenied, match="维护"):
        _board(people["xiaoyi_staff"])  # a zone keeps its own boards, not the city's
    with pytest.raises(PermissionDenied):
        _board(people["leader"])  # the city's leader reads
    with pytest.raises(PermissionDenied, match="揭榜须由"):
        _claim(people["tunliu"], bounty)  # 长治's zone is not on 吕梁's board
    with pytest.raises(PermissionDenied, match="揭榜须由"):
        _claim(people["leader"], bounty)  # an office publishes and verifies; zones claim
    with pytest.raises(PermissionDenied):
        services.board_close(user=people["xiaoyi_invest"], board=board)
    claim = _claim(people["xiaoyi_invest"], bounty)
    with pytest.raises(ValidationError, match="不能重复揭榜"):
        _claim(people["xiaoyi_invest"], bounty)
    with pytest.raises(PermissionDenied, match="只有揭榜人本人"):
        _report(people["jiaocheng"], claim, TODAY, "100")  # a rival reports nothing for another
    _report(people["xiaoyi_staff"], claim, TODAY, "100")  # a colleague of the claim's unit may


def test_claims_refused_on_a_draft_after_the_deadline_and_on_a_closed_board(people):
    office = people["office"]
    board = _board(office, deadline=TODAY + 5 * DAY)
    with pytest.raises(ValidationError, match="榜单还没有榜"):
        services.board_publish(user=office, board=board)
    bounty = _amount(office, board)
    with pytest.raises(ValidationError, match="尚未发布"):
        _claim(people["xiaoyi_invest"], bounty, day=TODAY)
    services.board_publish(user=office, board=board)
    with pytest.raises(ValidationError, match="已过揭榜截止日期"):
        _claim(people["xiaoyi_invest"], bounty, day=TODAY + 6 * DAY)
    claim = _claim(people["xiaoyi_invest"], bounty, day=TODAY)
    services.board_close(user=office, board=board)
    with pytest.raises(ValidationError, match="已结束，不能揭榜"):
        _claim(people["jiaocheng"], bounty, day=TODAY)
    with pytest.raises(ValidationError, match="不能再报告进展"):
        _report(people["xiaoyi_invest"], claim, TODAY, "10")
    services.claim_verify(user=office, claim=claim, result="failed", achieved=Decimal("0"))  # 验收 after the end


def test_no_self_verification_no_second_verification_no_progress_after(people, xiaoyi):
    """On a zone's own board the zone's 项目专员 both keeps the board and may claim: never verify his own."""
    staff = people["xiaoyi_staff"]
    board = _board(staff, zone=xiaoyi, title="孝义经开区招商榜单")
    bounty = _amount(staff, board, goal="10000")
    services.board_publish(user=staff, board=board)
    own = _claim(staff, bounty, day=TODAY)
    with pytest.raises(PermissionDenied, match="不能验收自己的揭榜"):
        services.claim_verify(user=staff, claim=own, result="passed", achieved=Decimal("10000"))
    with pytest.raises(PermissionDenied):
        services.claim_verify(user=people["jiaocheng"], claim=own, result="passed", achieved=Decimal("1"))
    services.claim_verify(user=people["office"], claim=own, result="passed", achieved=Decimal("10000"))
    with pytest.raises(ValidationError, match="不能重复验收"):
        services.claim_verify(user=people["office"], claim=own, result="failed", achieved=Decimal("0"))
    with pytest.raises(ValidationError, match="验收，不能再报告进展"):
        _report(staff, own, TODAY, "20000")


def test_bounty_checks_name_the_field(people, published, tunliu, admin_user):
    board, _bounty = published
    faraway = investment_services.target_save(
        user=admin_user, target=Target(zone=tunliu), fields={"name": "长治的目标企业"}
    )
    with pytest.raises(ValidationError) as refused:
        services.bounty_save(
            user=people["office"],
            bounty=Bounty(board=board),
            fields={"kind": Bounty.Kind.TARGET, "title": "签约", "goal": Decimal("-1"), "target": faraway},
        )
    errors = refused.value.message_dict
    assert "不在榜单的范围" in errors["target"][0] and "须大于 0" in errors["goal"][0]
    with pytest.raises(ValidationError) as refused:
        services.bounty_save(
            user=people["office"],
            bounty=Bounty(board=board),
            fields={"kind": Bounty.Kind.AMOUNT, "title": "招引额", "goal": Decimal("100")},
        )
    assert "考核期" in refused.value.message_dict["period_start"][0]


# ---------------------------------------------------------------- scoping and pages


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_city_and_enterprises_see_nothing(people, published, xiaoyi_enterprise):
    board, bounty = published
    claim = _claim(people["xiaoyi_invest"], bounty, team="孝义招商一组")
    tunliu = _client(people["tunliu"])
    assert BountyBoard.objects.visible_to(people["tunliu"]).count() == 0
    assert "2025年重点招引项目榜单" not in tunliu.get(reverse("chains:bounties")).content.decode()
    assert tunliu.get(reverse("chains:bounty_board", args=[board.pk])).status_code == 404
    assert tunliu.get(reverse("chains:bounty_claim", args=[claim.pk])).status_code == 404
    assert tunliu.get(reverse("chains:bounty_xlsx", args=[board.pk])).status_code == 404

    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    enterprise = _client(make_user("pengfei-user", unit, roles.ENTERPRISE_USER))
    assert enterprise.get(reverse("chains:bounties")).status_code == 403
    assert enterprise.get(reverse("chains:bounty_board", args=[board.pk])).status_code == 404
    assert enterprise.get(reverse("chains:bounty_docx", args=[board.pk])).status_code == 404


def test_a_draft_is_its_keepers_only(people):
    board = _board(people["office"])
    assert _client(people["xiaoyi_invest"]).get(reverse("chains:bounty_board", args=[board.pk])).status_code == 404
    office = _client(people["office"])
    assert office.get(reverse("chains:bounty_board", args=[board.pk])).status_code == 200
    assert office.get(reverse("chains:bounty_docx", args=[board.pk])).status_code == 200  # an empty board prints


def test_claim_report_and_verify_through_the_pages(people, published):
    board, bounty = published
    claimant = _client(people["xiaoyi_invest"])
    page = claimant.get(reverse("chains:bounty_board", args=[board.pk])).content.decode()
    assert f'data-testid="claim-{bounty.pk}"' in page and "揭榜挂帅" in page
    response = claimant.post(reverse("chains:bounty_claim_create", args=[bounty.pk]), {"team": "孝义招商一组"})
    claim = BountyClaim.objects.get(bounty=bounty)
    assert response.status_code == 302 and response["Location"] == reverse("chains:bounty_claim", args=[claim.pk])

    refused = claimant.post(
        reverse("chains:bounty_progress", args=[claim.pk]), {"reported_on": TODAY.isoformat(), "value": "-5"}
    )
    assert refused.status_code == 400 and "不能为负数" in refused.content.decode()
    upload = SimpleUploadedFile("签约合同.pdf", PDF)
    response = claimant.post(
        reverse("chains:bounty_progress", args=[claim.pk]),
        {"reported_on": TODAY.isoformat(), "value": "50000", "note": "已签约", "evidence": upload},
    )
    assert response.status_code == 302
    progress = claim.progress.get()
    assert progress.evidence_name == "签约合同.pdf"
    assert claimant.get(reverse("chains:bounty_progress_evidence", args=[progress.pk])).status_code == 200
    # A rival on the same 擂台 sees the standings, not the papers.
    rival = _client(people["jiaocheng"])
    assert rival.get(reverse("chains:bounty_claim", args=[claim.pk])).status_code == 200
    assert rival.get(reverse("chains:bounty_progress_evidence", args=[progress.pk])).status_code == 404
    assert (
        _client(people["office"]).get(reverse("chains:bounty_progress_evidence", args=[progress.pk])).status_code == 200
    )

    assert claimant.post(reverse("chains:bounty_verify", args=[claim.pk]), {}).status_code == 403  # her own
    office = _client(people["office"])
    response = office.post(
        reverse("chains:bounty_verify", args=[claim.pk]),
        {"result": "passed", "achieved": "50000", "verified_on": TODAY.isoformat(), "note": "合同、注资凭证齐全"},
    )
    assert response.status_code == 302
    page = office.get(reverse("chains:bounty_claim", args=[claim.pk])).content.decode()
    assert "验收通过" in page and "合同、注资凭证齐全" in page


def test_the_board_as_xlsx_and_docx(people, published):
    board, bounty = published
    first = _claim(people["jiaocheng"], bounty, team="交城招商专班")
    second = _claim(people["xiaoyi_invest"], bounty, team="孝义招商一组")
    _report(people["jiaocheng"], first, TODAY - DAY, "50000")
    _report(people["xiaoyi_invest"], second, TODAY - DAY, "25000")
    services.claim_verify(user=people["office"], claim=first, result="passed", achieved=Decimal("50000"))
    office = _client(people["office"])

    response = office.get(reverse("chains:bounty_xlsx", args=[board.pk]))
    assert response.status_code == 200 and "xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}
    ranking = next(rows[name] for name in rows if name.startswith("擂台排名"))
    names = [row[1] for row in ranking if row and row[0] in (1, 2, "1", "2")]
    assert names == ["jiaocheng-staff", "xiaoyi-invest"]
    standings = next(rows[name] for name in rows if name.startswith("招引氢能"))
    flat = [cell for row in standings for cell in row if cell is not None]
    assert "交城招商专班" in flat and "验收通过" in flat and "50.0%" in flat

    response = office.get(reverse("chains:bounty_docx", args=[board.pk]))
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "2025年重点招引项目榜单" in text and "奖励说明：验收通过的给予重奖" in text
    ranking_table = next(table for table in document.tables if table.rows[0].cells[0].text == "名次")
    assert [ranking_table.rows[index].cells[1].text for index in (1, 2)] == ["jiaocheng-staff", "xiaoyi-invest"]


# ---------------------------------------------------------------- the command


def test_bounty_stats_for_a_city_and_for_a_zone(people, published):
    _, bounty = published
    xiaoyi_claim = _claim(people["xiaoyi_invest"], bounty, team="孝义招商一组")
    rival = _claim(people["jiaocheng"], bounty, team="交城招商专班")
    _report(people["jiaocheng"], rival, TODAY - DAY, "50000")
    _report(people["xiaoyi_invest"], xiaoyi_claim, TODAY - DAY, "10000")
    services.claim_verify(user=people["office"], claim=rival, result="passed", achieved=Decimal("50000"))

    out = io.StringIO()
    call_command("bounty_stats", "--scope", "吕梁", "--json", stdout=out)
    city = json.loads(out.getvalue())
    assert {key: city[key] for key in ("boards", "targets", "claimed", "completed", "verified")} == {
        "boards": 1,
        "targets": 1,
        "claimed": 2,
        "completed": 1,
        "verified": 1,
    }
    assert [(row["rank"], row["team"], row["score"]) for row in city["standings"]] == [
        (1, "交城招商专班", "100.0"),
        (2, "孝义招商一组", "0"),
    ]
    assert city["board_list"][0]["bounties"][0]["standings"][0]["state"] == "验收通过"

    out = io.StringIO()
    call_command("bounty_stats", "--scope", "孝义经开区", "--json", stdout=out)
    zone = json.loads(out.getvalue())
    assert (zone["claimed"], zone["verified"], [row["team"] for row in zone["standings"]]) == (1, 0, ["孝义招商一组"])

    out = io.StringIO()
    call_command("bounty_stats", "--scope", "吕梁市", stdout=out)
    assert "揭榜 2 次" in out.getvalue() and "1. jiaocheng-staff" in out.getvalue()
    with pytest.raises(CommandError, match="未找到"):
        call_command("bounty_stats", "--scope", "不存在的地方", stdout=io.StringIO())


def test_the_tab_sits_next_to_chains(people):
    client = Client()
    assert client.login(username="xiaoyi-invest", password=PASSWORD)
    page = client.get(reverse("investment:home")).content.decode()
    assert 'data-testid="bounties-link"' in page and reverse("chains:bounties") in page


def test_dates_already_past_and_progress_going_back_are_refused_in_words(people, published):
    board, bounty = published
    office = people["office"]
    with pytest.raises(ValidationError) as caught:
        _board(office, deadline=TODAY - DAY)
    assert "揭榜截止日期" in str(caught.value) and "已过" in str(caught.value)

    late = services.bounty_save(
        user=office,
        bounty=Bounty(board=board),
        fields={"kind": Bounty.Kind.PROJECT, "title": "落地一个项目", "goal": Decimal("1000"), "deadline": TODAY},
    )
    with pytest.raises(ValidationError, match="完成时限"):
        services.bounty_save(user=office, bounty=late, fields={"deadline": TODAY - DAY})
    with pytest.raises(ValidationError, match=r"完成时限（.*）已过，不能揭榜"):
        _claim(people["xiaoyi_invest"], late, day=TODAY + DAY)

    claim = _claim(people["xiaoyi_invest"], bounty)
    _report(people["xiaoyi_invest"], claim, TODAY - 10 * DAY, "52000")
    claim.refresh_from_db()
    assert claim.completed_on == TODAY - 10 * DAY
    with pytest.raises(ValidationError, match="进展按累计填报，如为更正请在说明中写明原因"):
        services.progress_report(
            user=people["xiaoyi_invest"], claim=claim, reported_on=TODAY - 5 * DAY, value=Decimal("5000")
        )
    services.progress_report(
        user=people["xiaoyi_invest"],
        claim=claim,
        reported_on=TODAY - 5 * DAY,
        value=Decimal("5000"),
        note="更正：上次误填了签约总额",
    )
    claim.refresh_from_db()
    assert (claim.reached, claim.completed_on) == (Decimal("5000"), None)  # the correction undoes 达标
