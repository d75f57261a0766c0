"""The request ledger: filing with a deadline from the service level, every step with who and when,
who may take which step, overdue, and the statistics the offices read."""

import datetime
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from kaifaqu.conftest import make_user
from kaifaqu.projects.models import local_today
from kaifaqu.services import services
from kaifaqu.services.models import RequestEvent, ServiceRequest
from kaifaqu.services.selectors import request_stats
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

TODAY = local_today()


@pytest.fixture
def liaison(xiaoyi):
    return make_user("xiaoyi-liaison", Unit.objects.get(zone=xiaoyi), roles.LIAISON_OFFICER)


@pytest.fixture
def pengfei_user(xiaoyi_enterprise):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    return make_user("pengfei", unit, roles.ENTERPRISE_USER)


def file(user, enterprise, **changes):
    given = {"title": "厂区道路未硬化，雨天运输困难", "category": "utilities"} | changes
    return services.request_file(user=user, enterprise=enterprise, **given)


def test_the_deadline_comes_from_the_category_and_urgency(liaison, xiaoyi_enterprise):
    normal = file(liaison, xiaoyi_enterprise, received_on=datetime.date(2026, 3, 2))
    urgent = file(liaison, xiaoyi_enterprise, received_on=datetime.date(2026, 3, 2), category="land", urgency="urgent")
    assert normal.due_on == datetime.date(2026, 3, 12)  # 水电路气: 10 days
    assert urgent.due_on == datetime.date(2026, 3, 17)  # 土地, urgent: 15 days
    assert normal.source == ServiceRequest.Source.STAFF and normal.zone == xiaoyi_enterprise.zone


def test_an_enterprise_files_for_itself_only(pengfei_user, xiaoyi_enterprise, tunliu, admin_user):
    from kaifaqu.enterprises.credit_code import make_credit_code
    from kaifaqu.enterprises.services import enterprise_create

    other = enterprise_create(
        user=admin_user,
        fields={"name": "屯留某企业", "zone": tunliu, "credit_code": make_credit_code("140405", "11111111")},
    )
    request = file(pengfei_user, other)  # the enterprise named is ignored: it is always its own
    assert request.enterprise == xiaoyi_enterprise and request.source == ServiceRequest.Source.ENTERPRISE
    assert request.received_on == TODAY


def test_filing_needs_a_title_and_a_category(liaison, xiaoyi_enterprise):
    with pytest.raises(ValidationError) as refused:
        file(liaison, xiaoyi_enterprise, title=" ", category="x")
    assert refused.value.message_dict == {"title": ["请写明诉求事项。"], "category": ["请选择诉求类别。"]}
    assert not ServiceRequest.objects.exists()


def test_staff_of_another_zone_cannot_file_or_act(tunliu_staff, liaison, xiaoyi_enterprise):
    with pytest.raises(PermissionDenied):
        file(tunliu_staff, xiaoyi_enterprise)
    request = file(liaison, xiaoyi_enterprise)
    with pytest.raises(PermissionDenied):
        services.request_remind(user=tunliu_staff, request=request)


def test_the_whole_way_with_who_and_when(liaison, pengfei_user, xiaoyi_enterprise, xiaoyi):
    agent = make_user("xiaoyi-agent", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    request = file(pengfei_user, xiaoyi_enterprise)
    with pytest.raises(ValidationError, match="还没有交办"):
        services.request_remind(user=liaison, request=request)
    services.request_assign(
        user=liaison, request=request, department="建设局", assignee=agent, due_on=TODAY + datetime.timedelta(days=5)
    )
    services.request_remind(user=liaison, request=request, note="企业再次反映")
    services.request_escalate(user=liaison, request=request, leader="王建军")
    with pytest.raises(ValidationError, match="已由王建军督办"):
        services.request_escalate(user=liaison, request=request, leader="王建军")
    with pytest.raises(PermissionDenied):
        services.request_resolve(user=pengfei_user, request=request, resolution="自行解决")
    services.request_resolve(user=agent, request=request, resolution="已列入今年道路硬化计划并完成施工")
    services.request_reopen(user=pengfei_user, request=request, reason="只硬化了一半")
    assert request.status == ServiceRequest.Status.ASSIGNED and request.resolved_on is None
    services.request_resolve(user=agent, request=request, resolution="剩余路段已完成硬化")
    services.request_rate(user=pengfei_user, request=request, satisfaction=5, comment="非常及时")
    request.refresh_from_db()
    assert (request.status, request.satisfaction, request.resolved_on) == ("rated", 5, TODAY)
    kinds = [(event.kind, event.user.username) for event in request.events.all()]
    assert kinds == [
        ("file", "pengfei"),
        ("assign", "xiaoyi-liaison"),
        ("remind", "xiaoyi-liaison"),
        ("escalate", "xiaoyi-liaison"),
        ("resolve", "xiaoyi-agent"),
        ("reopen", "pengfei"),
        ("resolve", "xiaoyi-agent"),
        ("rate", "pengfei"),
    ]
    assert request.events.get(kind="assign").note.startswith("交办建设局、xiaoyi-agent")
    with pytest.raises(ValidationError, match="已评价，不能再办理"):
        services.request_remind(user=liaison, request=request)


def test_assigning_to_someone_who_cannot_handle_the_zone_is_refused(liaison, tunliu_staff, xiaoyi_enterprise):
    request = file(liaison, xiaoyi_enterprise)
    with pytest.raises(ValidationError) as refused:
        services.request_assign(user=liaison, request=request, department="", assignee=tunliu_staff, due_on=TODAY)
    assert "不能办理该开发区的诉求" in refused.value.message_dict["assignee"][0]


def test_overdue_and_statistics(liaison, xiaoyi_enterprise, xiaoyi):
    march = datetime.date(2026, 3, 2)
    late = file(liaison, xiaoyi_enterprise, received_on=march)  # due 3-12, still open
    done = file(liaison, xiaoyi_enterprise, received_on=march, category="funding")
    ServiceRequest.objects.filter(pk=done.pk).update(
        status="rated", resolved_on=datetime.date(2026, 3, 9), satisfaction=5
    )
    rated_low = file(liaison, xiaoyi_enterprise, received_on=march, category="funding")
    ServiceRequest.objects.filter(pk=rated_low.pk).update(
        status="rated", resolved_on=datetime.date(2026, 3, 20), satisfaction=3
    )
    stats = request_stats(ServiceRequest.objects.all(), today=datetime.date(2026, 4, 1), period=(2026, 3))
    assert (stats.received, stats.resolved, stats.overdue) == (3, 2, 1)
    assert str(stats.resolution_rate_pct) == "66.7"
    assert str(stats.avg_days_to_resolve) == "12.5"  # 7 and 18 days
    assert str(stats.satisfaction_rate_pct) == "50.0"
    assert stats.by_category == {
        "资金": {"received": 2, "resolved": 2, "overdue": 0},
        "水电路气": {"received": 1, "resolved": 0, "overdue": 1},
    }
    assert list(ServiceRequest.objects.overdue(datetime.date(2026, 4, 1))) == [late]
    # The command gives the same figures as JSON.
    out = io.StringIO()
    call_command("requests", "stats", "--zone", "孝义", "--period", "2026-03", "--json", stdout=out)
    expected = request_stats(ServiceRequest.objects.all(), today=TODAY, period=(2026, 3)).as_json()
    assert json.loads(out.getvalue()) == expected and expected["received"] == 3


def test_events_record_the_deadline_given(liaison, xiaoyi_enterprise):
    request = file(liaison, xiaoyi_enterprise)
    day = TODAY + datetime.timedelta(days=3)
    services.request_assign(user=liaison, request=request, department="供电公司", assignee=None, due_on=day)
    assert request.events.get(kind=RequestEvent.Kind.ASSIGN).due_on == day
    assert request.assigned_due_on == day


def test_an_enterprise_with_requests_on_record_is_not_deleted(liaison, xiaoyi_enterprise, admin_user):
    from kaifaqu.enterprises.services import enterprise_delete

    file(liaison, xiaoyi_enterprise)
    with pytest.raises(ValidationError, match="该企业有诉求记录，不能删除"):
        enterprise_delete(user=admin_user, enterprise=xiaoyi_enterprise)


def test_assigning_and_resolving_reach_the_people_concerned(liaison, pengfei_user, xiaoyi_enterprise, xiaoyi):
    from kaifaqu.notifications.models import InboxMessage

    agent = make_user("xiaoyi-agent", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    request = file(pengfei_user, xiaoyi_enterprise)  # 水电路气: due in 10 days
    with pytest.raises(ValidationError, match="交办时限不能晚于诉求的办结时限"):
        services.request_assign(
            user=liaison, request=request, department="", assignee=agent, due_on=request.due_on + datetime.timedelta(1)
        )
    services.request_assign(user=liaison, request=request, department="", assignee=agent, due_on=request.due_on)
    services.request_remind(user=liaison, request=request, note="请今天回复")
    services.request_resolve(user=agent, request=request, resolution="已接通")
    services.request_rate(user=pengfei_user, request=request, satisfaction=2, comment="拖了很久")
    inbox = [(message.user.username, message.subject) for message in InboxMessage.objects.order_by("pk")]
    title = "厂区道路未硬化，雨天运输困难"
    # The enterprise's own request reaches the zone's handlers (no 包联干部 is set); 不满意 does too.
    assert inbox == [
        ("xiaoyi-agent", f"新诉求：{title}"),
        ("xiaoyi-liaison", f"新诉求：{title}"),
        ("xiaoyi-agent", f"交办诉求：{title}"),
        ("xiaoyi-agent", f"催办：{title}"),
        ("pengfei", f"诉求已办结：{title}"),
        ("xiaoyi-agent", f"企业不满意：{title}"),
        ("xiaoyi-liaison", f"企业不满意：{title}"),
    ]
    assert InboxMessage.objects.get(subject=f"催办：{title}").body.startswith("请今天回复（办结时限")


def test_the_stats_page_lists_every_zone_refuses_a_bad_month_and_exports(
    client, liaison, xiaoyi_enterprise, tunliu, admin_user
):
    from openpyxl import load_workbook

    march = datetime.date(2026, 3, 2)
    file(liaison, xiaoyi_enterprise, received_on=march)
    file(liaison, xiaoyi_enterprise, received_on=march, category="funding")
    client.force_login(admin_user)

    page = client.get("/requests/stats/", {"period": "2026-03"})
    rows = page.context["zones"]
    assert [(zone.display_name, stats.received) for zone, stats in rows] == [("屯留经开区", 0), ("孝义经开区", 2)]
    assert "合计" in page.content.decode()
    # Each zone's row links to its requests of that month: the list counts what the row says.
    zone_id = xiaoyi_enterprise.zone_id
    link = re.search(rf'href="(/requests/\?zone={zone_id}&amp;period=2026-03)"', page.content.decode()).group(1)
    assert client.get(link.replace("&amp;", "&")).context["count"] == 2
    file(liaison, xiaoyi_enterprise, received_on=datetime.date(2026, 4, 1))  # another month: not in March's list
    assert client.get(link.replace("&amp;", "&")).context["count"] == 2

    wrong = client.get("/requests/stats/", {"period": "2026-13"})
    assert wrong.status_code == 400
    assert "月份“2026-13”不对，应为 YYYY-MM" in wrong.content.decode() and "zones" not in wrong.context

    exported = client.get("/requests/stats/", {"period": "2026-03", "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    assert workbook.sheetnames[1:] == ["按类别", "指标说明"]
    assert [[cell.value for cell in row] for row in workbook["按类别"].iter_rows()] == [
        ["类别", "受理", "期内办结", "逾期未办结"],
        ["资金", 1, 0, 1],  # filed in March and still open: overdue by now
        ["水电路气", 1, 0, 1],
    ]
    sheet = workbook.worksheets[0]
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0][:4] == ["开发区", "受理", "期内办结", "逾期未办结"]
    assert [row[:3] for row in table[1:]] == [["屯留经开区", 0, 0], ["孝义经开区", 2, 0], ["合计", 2, 0]]
    assert table[2][4] == 0  # 办结率 0.0%: none of the two closed yet


def test_opening_a_request_reads_its_messages_and_a_hidden_one_is_a_chinese_404(
    client, liaison, pengfei_user, xiaoyi_enterprise, tunliu, admin_user
):
    from kaifaqu.notifications.models import InboxMessage

    request = file(pengfei_user, xiaoyi_enterprise)
    assert InboxMessage.objects.get(user=liaison).read_at is None
    client.force_login(liaison)
    client.get(f"/requests/{request.pk}/")
    assert InboxMessage.objects.get(user=liaison).read_at is not None

    other = ServiceRequest.objects.create(
        zone=tunliu, title="屯留用地", category="land", received_on=TODAY, due_on=TODAY
    )
    client.force_login(pengfei_user)
    hidden = client.get(f"/requests/{other.pk}/")
    assert hidden.status_code == 404 and "未找到该记录，或您无权查看" in hidden.content.decode()
    nowhere = client.get("/no-such-page/")
    assert nowhere.status_code == 404 and "该页面或记录不存在" in nowhere.content.decode()


def test_a_request_sent_back_from_a_department_reaches_the_zones_handlers(
    client, liaison, pengfei_user, xiaoyi_enterprise
):
    from kaifaqu.notifications.models import InboxMessage

    request = file(liaison, xiaoyi_enterprise)
    services.request_assign(user=liaison, request=request, department="热力公司", assignee=None, due_on=request.due_on)
    services.request_resolve(user=liaison, request=request, resolution="已通暖")
    services.request_reopen(user=pengfei_user, request=request, reason="还是不热")
    assert InboxMessage.objects.get(subject__startswith="诉求被退回重办").user == liaison
    # The address a refused step leaves in the bar leads back to the request, not to a blank page.
    client.force_login(liaison)
    assert client.get(f"/requests/{request.pk}/assign/")["Location"] == f"/requests/{request.pk}/"
