"""send_reminders against a real HTTP receiver on 127.0.0.1: the exact JSON each robot gets, the
signatures, one delivery per item and period, and failures retried without duplicates."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import io
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command

from kaifaqu.conftest import make_user
from kaifaqu.notifications.models import Channel, Delivery, InboxMessage
from kaifaqu.notifications.reminders import send_reminders
from kaifaqu.services.models import ServiceRequest
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

DAY = datetime.date(2026, 11, 30)
TEXT = (
    "【开发区调度平台】诉求逾期：厂区道路未硬化\n"
    "孝义经开区企业诉求“厂区道路未硬化”（山西鹏飞集团有限公司）办结时限为2026年11月20日，目前办理中，请抓紧办理。"
)


class Receiver:
    """A local robot endpoint: records every POST and answers from a queue (default: success)."""

    def __init__(self):
        self.posts: list[tuple[str, dict]] = []
        self.failures: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.posts.append((self.path, body))
                robot = self.path.split("?")[0].strip("/")
                if receiver.failures.get(robot):
                    receiver.failures[robot] -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self, robot: str) -> list[tuple[str, dict]]:
        return [(path, body) for path, body in self.posts if path.strip("/").startswith(robot)]


@pytest.fixture
def receiver(settings):
    # The robots' hosts are an allow-list; this machine stands in for a privately deployed one.
    settings.KAIFAQU_WEBHOOK_HOSTS = ["127.0.0.1"]
    found = Receiver()
    yield found
    found.server.shutdown()


@pytest.fixture
def overdue(xiaoyi, xiaoyi_enterprise, receiver, settings):
    settings.EMAIL_HOST = "mail.example.invalid"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    agent = make_user("xiaoyi-agent", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    agent.email = "agent@xiaoyi.example"
    agent.save()
    request = ServiceRequest.objects.create(
        zone=xiaoyi,
        enterprise=xiaoyi_enterprise,
        title="厂区道路未硬化",
        category="utilities",
        status="assigned",
        assignee=agent,
        received_on=datetime.date(2026, 11, 10),
        due_on=datetime.date(2026, 11, 20),
    )
    unit = Unit.objects.get(zone=xiaoyi)
    Channel.objects.create(unit=unit, kind="wecom", name="孝义调度群", address=f"{receiver.url}/wecom?key=k1")
    Channel.objects.create(
        unit=unit, kind="dingtalk", name="孝义钉钉群", address=f"{receiver.url}/dingtalk?access_token=t1", secret="SEC1"
    )
    Channel.objects.create(unit=unit, kind="feishu", name="孝义飞书群", address=f"{receiver.url}/feishu", secret="fs2")
    return request


def requests_only(lines):
    return [line for line in lines if line.subject.startswith("诉求逾期")]


def test_each_robot_gets_its_own_json_signed(overdue, receiver):
    lines = requests_only(send_reminders(today=DAY))
    assert [(line.channel, line.recipient, line.status) for line in lines] == [
        ("inbox", "xiaoyi-agent", "sent"),
        ("email", "agent@xiaoyi.example", "sent"),
        ("dingtalk", "孝义钉钉群", "sent"),
        ("feishu", "孝义飞书群", "sent"),
        ("wecom", "孝义调度群", "sent"),
    ]
    [(path, body)] = [post for post in receiver.paths("wecom") if "诉求逾期" in json.dumps(post, ensure_ascii=False)]
    assert path == "/wecom?key=k1" and body == {"msgtype": "text", "text": {"content": TEXT}}

    [(path, body)] = [post for post in receiver.paths("dingtalk") if "诉求逾期" in post[1]["text"]["content"]]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["access_token"] == ["t1"] and body == {"msgtype": "text", "text": {"content": TEXT}}
    stamp = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SEC1", f"{stamp}\nSEC1".encode(), hashlib.sha256).digest()).decode()
    assert query["sign"] == [expected]

    [(path, body)] = [post for post in receiver.paths("feishu") if "诉求逾期" in post[1]["content"]["text"]]
    stamp = body["timestamp"]
    expected = base64.b64encode(hmac.new(f"{stamp}\nfs2".encode(), b"", hashlib.sha256).digest()).decode()
    assert body == {"msg_type": "text", "content": {"text": TEXT}, "timestamp": stamp, "sign": expected}

    assert InboxMessage.objects.get(user__username="xiaoyi-agent").link == f"/requests/{overdue.pk}/"
    assert [message.to for message in mail.outbox] == [["agent@xiaoyi.example"]]


def test_once_per_item_and_day_and_failures_retried_without_duplicates(overdue, receiver):
    receiver.failures["wecom"] = 1
    first = requests_only(send_reminders(today=DAY))
    assert [line.status for line in first if line.channel == "wecom"] == ["failed"]
    assert Delivery.objects.get(channel="wecom", key__startswith="request").error == "HTTP 500"
    posts = len(receiver.posts)

    again = requests_only(send_reminders(today=DAY))  # the same day: only the failed one again
    assert [(line.channel, line.status) for line in again] == [("wecom", "sent")]
    assert len(receiver.posts) == posts + 1
    assert requests_only(send_reminders(today=DAY)) == []
    assert InboxMessage.objects.count() == 1 and len(mail.outbox) == 1

    next_day = requests_only(send_reminders(today=DAY + datetime.timedelta(days=1)))
    assert len(next_day) == 5  # still overdue: a new day, a new reminder


def test_dry_run_lists_and_sends_nothing(overdue, receiver):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--date", DAY.isoformat(), stdout=out, stderr=io.StringIO())
    lines = [line for line in out.getvalue().splitlines() if "诉求逾期" in line]
    assert lines[0] == "站内消息\txiaoyi-agent\t诉求逾期：厂区道路未硬化"
    assert lines[4] == "企业微信群机器人\t孝义调度群\t诉求逾期：厂区道路未硬化"
    assert receiver.posts == [] and not Delivery.objects.exists() and not InboxMessage.objects.exists()


def test_a_closed_request_is_not_reminded(overdue, receiver):
    ServiceRequest.objects.filter(pk=overdue.pk).update(status="resolved", resolved_on=DAY)
    assert requests_only(send_reminders(today=DAY)) == []


def test_the_inbox_and_a_units_channels(client, overdue, receiver, tunliu_staff):
    send_reminders(today=DAY)
    client.force_login(overdue.assignee)
    page = client.get("/requests/").content.decode()
    assert '<span class="badge rounded-pill text-bg-danger ms-1">1</span>' in page  # one unread in the bell
    message = InboxMessage.objects.get()
    assert client.get(f"/inbox/{message.pk}/")["Location"] == f"/requests/{overdue.pk}/"
    message.refresh_from_db()
    assert message.read_at is not None
    # A liaison keeps no channels; those who keep the zone's settings keep its own unit's, and test them.
    client.force_login(make_user("xiaoyi-liaison", Unit.objects.get(zone=overdue.zone), roles.LIAISON_OFFICER))
    assert client.get("/inbox/channels/").status_code == 403
    admin = make_user("xiaoyi-admin", Unit.objects.get(zone=overdue.zone), roles.ADMIN)
    client.force_login(admin)
    wecom = Channel.objects.get(kind="wecom")
    assert client.post(f"/inbox/channels/{wecom.pk}/test/").status_code == 302
    assert "测试消息" in receiver.paths("wecom")[-1][1]["text"]["content"]
    page = client.post("/inbox/channels/", {"kind": "wecom", "name": "新群", "address": "qyapi"})
    assert page.status_code == 400 and "Webhook 地址" in page.content.decode()
    client.force_login(tunliu_staff)  # another zone's channel: not theirs
    assert client.post(f"/inbox/channels/{wecom.pk}/delete/").status_code == 404
    assert Channel.objects.filter(pk=wecom.pk).exists()


def test_an_overdue_agency_item_reaches_its_agent(overdue, receiver, make_project):
    from kaifaqu.services.models import AgencyItem, ApprovalType

    project = make_project("鹏飞焦炉煤气制氢项目")
    AgencyItem.objects.create(
        project=project,
        approval_type=ApprovalType.objects.get(name="施工许可"),
        agent=overdue.assignee,
        status="in_progress",
        started_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 11, 8),
    )
    lines = [line for line in send_reminders(today=DAY) if line.subject.startswith("代办逾期")]
    assert [(line.channel, line.recipient) for line in lines][:2] == [
        ("inbox", "xiaoyi-agent"),
        ("email", "agent@xiaoyi.example"),
    ]
    assert lines[0].subject == "代办逾期：鹏飞焦炉煤气制氢项目 施工许可"


def test_a_city_office_robot_gets_one_digest_a_day(overdue, receiver, tunliu):
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.services import unit_for_region

    lvliang = unit_for_region(region=Region.objects.get(code="141100"))
    changzhi = unit_for_region(region=Region.objects.get(code="140400"))
    Channel.objects.create(
        unit=lvliang, kind="wecom", name="吕梁市开发区调度群", address=f"{receiver.url}/wecom?key=c1"
    )
    Channel.objects.create(
        unit=changzhi, kind="wecom", name="长治市开发区调度群", address=f"{receiver.url}/wecom?key=c2"
    )
    ServiceRequest.objects.create(
        zone=overdue.zone,
        title="用工招聘",
        category="labour",
        received_on=DAY.replace(day=1),
        due_on=DAY.replace(day=5),
    )

    lines = [line for line in send_reminders(today=DAY) if line.subject.startswith("逾期事项汇总")]
    assert [(line.channel, line.recipient, line.subject) for line in lines] == [
        ("wecom", "吕梁市开发区调度群", "逾期事项汇总：吕梁市11月30日"),
        ("wecom", "长治市开发区调度群", "逾期事项汇总：长治市11月30日"),
    ]
    digests = {path: body["text"]["content"] for path, body in receiver.paths("wecom") if "key=c" in path}
    head = "【开发区调度平台】逾期事项汇总：{}11月30日\n截至2026年11月30日，1个开发区有逾期事项：\n"
    # October's 月报 was due on November 10th: neither zone has reported it.
    assert digests == {
        "/wecom?key=c1": head.format("吕梁市") + "孝义经开区：诉求逾期2件、月报逾期未报",
        "/wecom?key=c2": head.format("长治市") + "屯留经开区：月报逾期未报",
    }
    # Each zone's own robots still get the items; the offices get nothing twice.
    assert [line for line in send_reminders(today=DAY) if line.subject.startswith("逾期事项汇总")] == []


def test_robots_only_at_allowed_hosts_and_a_paused_one_is_skipped(client, overdue, receiver, settings):
    from kaifaqu.audit.models import AuditEntry

    admin = make_user("xiaoyi-admin", Unit.objects.get(zone=overdue.zone), roles.ADMIN)
    client.force_login(admin)
    inside = client.post("/inbox/channels/", {"kind": "wecom", "name": "内网", "address": "http://10.0.0.8/hook?key=x"})
    assert inside.status_code == 400 and "不能向“10.0.0.8”发送" in inside.content.decode()
    plain = {"kind": "wecom", "name": "明文", "address": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}
    assert "请使用 https:// 地址" in client.post("/inbox/channels/", plain).content.decode()
    crossed = {"kind": "dingtalk", "name": "错配", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}
    assert "钉钉群机器人的地址应在 oapi.dingtalk.com" in client.post("/inbox/channels/", crossed).content.decode()
    official = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    assert client.post("/inbox/channels/", {"kind": "wecom", "name": "新群", "address": official}).status_code == 302

    # Editing: the key is never shown again, and a blank key keeps it.
    dingtalk = Channel.objects.get(kind="dingtalk")
    page = client.get(f"/inbox/channels/{dingtalk.pk}/edit/").content.decode()
    assert "SEC1" not in page and "access_token=t1" not in page and "留空则保留原密钥" in page
    shown = dingtalk.shown_address  # the address as the page shows it, its token hidden
    fields = {"kind": "dingtalk", "name": "孝义钉钉调度群", "address": shown, "secret": "", "active": "on"}
    assert client.post(f"/inbox/channels/{dingtalk.pk}/edit/", fields).status_code == 302
    dingtalk.refresh_from_db()
    assert (dingtalk.name, dingtalk.secret, dingtalk.address) == (
        "孝义钉钉调度群",
        "SEC1",
        f"{receiver.url}/dingtalk?access_token=t1",
    )
    history = "".join(str(entry.changes) for entry in AuditEntry.objects.filter(object_label="通知渠道"))
    assert "孝义钉钉调度群" in history and "access_token=t1" not in history
    assert "SEC1" not in history and "key=abc" not in history

    # 停用 keeps the robot but reminders skip it, until 启用.
    wecom = Channel.objects.get(name="孝义调度群")
    assert client.post(f"/inbox/channels/{wecom.pk}/pause/").status_code == 302
    channels = {line.recipient for line in requests_only(send_reminders(today=DAY))}
    assert "孝义调度群" not in channels and "孝义钉钉调度群" in channels
    client.post(f"/inbox/channels/{wecom.pk}/resume/")
    assert [line.recipient for line in requests_only(send_reminders(today=DAY))] == ["孝义调度群"]

    # A robot whose address is no longer allowed fails with the reason, recorded for the channels page.
    settings.KAIFAQU_WEBHOOK_HOSTS = []
    lines = requests_only(send_reminders(today=DAY + datetime.timedelta(days=1)))
    assert {line.status for line in lines if line.recipient == "孝义飞书群"} == {"failed"}
    assert "不能向“127.0.0.1”发送" in Delivery.objects.get(recipient="孝义飞书群", status="failed").error


def test_a_units_log_shows_only_its_own_robots_and_names_are_its_own(client, overdue, receiver, tunliu):
    send_reminders(today=DAY)
    tunliu_admin = make_user("tunliu-admin", Unit.objects.get(zone=tunliu), roles.ADMIN)
    # Another unit's robot by the same name as 孝义's: its page shows none of 孝义's deliveries.
    Channel.objects.create(
        unit=Unit.objects.get(zone=tunliu), kind="wecom", name="孝义调度群", address=f"{receiver.url}/wecom?key=t"
    )
    client.force_login(tunliu_admin)
    assert "诉求逾期" not in client.get("/inbox/channels/").content.decode()
    xiaoyi_admin = make_user("xiaoyi-admin", Unit.objects.get(zone=overdue.zone), roles.ADMIN)
    client.force_login(xiaoyi_admin)
    assert "诉求逾期：厂区道路未硬化" in client.get("/inbox/channels/").content.decode()
    again = {"kind": "email", "name": "孝义调度群", "address": "office@xiaoyi.example"}
    assert "本单位已有名为“孝义调度群”的通知渠道" in client.post("/inbox/channels/", again).content.decode()
    # An address edited after its hidden key (“…”), or a 企业微信 address without its key, is no address.
    wecom = Channel.objects.get(unit__zone=overdue.zone, kind="wecom")
    shown = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…x"
    edited = {"kind": "wecom", "name": "孝义调度群", "address": shown, "active": "on"}
    assert "地址中的密钥部分已隐藏" in client.post(f"/inbox/channels/{wecom.pk}/edit/", edited).content.decode()
    keyless = {"kind": "wecom", "name": "无密钥", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}
    assert "地址中缺少 key=…" in client.post("/inbox/channels/", keyless).content.decode()
