"""The leads board and a lead's page as a user meets them: columns, counts and sentence per zone,
moves through the project's own stage dialog (and back to the board), the 招商 facts and the
招前 / 招中 / 招后 timeline."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from kaifaqu.conftest import PASSWORD, make_user
from kaifaqu.investment import services
from kaifaqu.investment.models import Activity, InvestmentMode, Lead, PlatformCompany
from kaifaqu.projects.models import Project, Stage, StageChange
from kaifaqu.projects.services import project_move_stage
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
BOARD = "/investment/board/"


@pytest.fixture
def logged_in(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


@pytest.fixture
def lead(make_project):
    """A lead at ``stage`` (dates on the way given), 总投资 in 万元."""

    def make(name, wan, stage=Stage.CONTACT, **fields):
        dates = {"contact_on": TODAY - datetime.timedelta(days=12)}
        if stage in (Stage.INTENT, Stage.READY, Stage.SIGNED):
            dates["intent_on"] = TODAY - datetime.timedelta(days=5)
        if stage in (Stage.READY, Stage.SIGNED):
            dates["ready_on"] = TODAY - datetime.timedelta(days=3)
        if stage == Stage.SIGNED:
            dates["signed_on"] = TODAY - datetime.timedelta(days=1)
        return make_project(name, stage=stage, stage_dates=dates, total_investment=Decimal(wan), **fields)

    return make


def _column(body: str, stage: str) -> str:
    """The HTML of one column of the board (up to the next one)."""
    start = body.index(f'data-testid="column-{stage}"')
    end = body.find('data-testid="column-', start + 1)
    return body[start:] if end == -1 else body[start:end]


def test_board_shows_a_zones_leads_by_stage_with_counts_and_the_sentence(
    logged_in, lead, make_project, xiaoyi_staff, tunliu, tunliu_staff
):
    lead("碳基新材料研发中心", "155000")
    lead("氢能重卡示范线", "8000", stage=Stage.INTENT)
    lead("精细化工中间体", "30000", stage=Stage.INTENT)
    lead("焦炉煤气制LNG", "40000", stage=Stage.SIGNED)
    make_project("老厂区改造")  # 谋划储备: not a lead on the board
    make_project("屯留光伏组件", user=tunliu_staff, zone=tunliu, stage=Stage.CONTACT, stage_dates={"contact_on": TODAY})
    body = logged_in(xiaoyi_staff).get(BOARD).content.decode()
    assert "初步对接项目1个，总投资15.5亿元；重点意向项目2个，总投资3.8亿元；签约待备案项目1个，总投资4亿元。" in body
    intent = _column(body, "intent")
    assert "重点意向" in intent and "氢能重卡示范线" in intent and "精细化工中间体" in intent
    assert "data-count>2<" in intent and "3.80" in intent
    assert "data-count>0<" in _column(body, "ready") and "暂无线索" in _column(body, "ready")
    assert "碳基新材料研发中心" in _column(body, "contact") and "本阶段 12 天" in _column(body, "contact")
    # Scoping: 屯留's lead and 孝义's planning project are not on 孝义's board.
    assert "屯留光伏组件" not in body and "老厂区改造" not in body
    # The project officer may move every card: each is draggable and has its "移动到…" menu.
    assert body.count('draggable="true"') == 4 and "移动到…" in body


def test_board_filters_by_mode_and_text_and_an_office_sees_zone_names(
    logged_in, lead, xiaoyi_staff, lvliang_office, admin_user, tunliu
):
    chain = InvestmentMode.objects.get(name="产业链招商")
    first = lead("碳基新材料研发中心", "155000")
    lead("氢能重卡示范线", "8000")
    services.lead_save(user=xiaoyi_staff, project=first, fields={"mode": chain})
    client = logged_in(xiaoyi_staff)
    by_mode = client.get(BOARD, {"mode": chain.pk}).content.decode()
    assert "碳基新材料研发中心" in by_mode and "氢能重卡示范线" not in by_mode and "招商方式：产业链招商" in by_mode
    by_text = client.get(BOARD, {"q": "氢能"}).content.decode()
    assert "氢能重卡示范线" in by_text and "碳基新材料研发中心" not in by_text
    client.logout()
    office = logged_in(lvliang_office).get(BOARD).content.decode()
    assert "碳基新材料研发中心" in office
    assert 'draggable="true"' not in office and "移动到…</button>" not in office  # a read-only office moves nothing
    client.logout()
    everyone = logged_in(admin_user).get(BOARD).content.decode()
    assert "全部开发区" in everyone and "孝义经开区</div>" in everyone  # several zones: each card names its zone


def test_a_drop_move_goes_through_the_stage_dialog_and_returns_to_the_board(logged_in, lead, xiaoyi_staff):
    project = lead("碳基新材料研发中心", "155000")
    client = logged_in(xiaoyi_staff)
    back = f"{BOARD}?{urlencode({'q': '碳基'})}"
    url = f"/projects/{project.pk}/move/?{urlencode({'to_stage': 'intent', 'next': back})}"
    dialog = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="intent" selected>' in dialog  # the column the card was dropped on
    assert f'name="intent_on" value="{TODAY.isoformat()}"' in dialog  # its date: today
    assert 'name="next" value="/investment/board/?q=' in dialog
    moved = client.post(
        f"/projects/{project.pk}/move/",
        {"to_stage": "intent", "intent_on": TODAY.isoformat(), "next": back},
        HTTP_HX_REQUEST="true",
    )
    assert moved.status_code == 204 and moved["HX-Redirect"] == back
    project.refresh_from_db()
    assert project.stage == Stage.INTENT and project.intent_on == TODAY
    change = StageChange.objects.get(project=project, to_stage=Stage.INTENT)
    assert change.from_stage == Stage.CONTACT and change.user == xiaoyi_staff
    body = client.get(BOARD).content.decode()
    assert "碳基新材料研发中心" in _column(body, "intent") and "data-count>0<" in _column(body, "contact")
    assert "项目阶段已变更" in body


def test_an_outside_next_is_ignored_and_the_project_page_stays_the_default(logged_in, lead, xiaoyi_staff):
    project = lead("碳基新材料研发中心", "155000")
    client = logged_in(xiaoyi_staff)
    dialog = client.get(f"/projects/{project.pk}/move/?next=https://evil.example/", HTTP_HX_REQUEST="true")
    assert "evil.example" not in dialog.content.decode()
    moved = client.post(
        f"/projects/{project.pk}/move/",
        {"to_stage": "intent", "intent_on": TODAY.isoformat(), "next": "https://evil.example/"},
        HTTP_HX_REQUEST="true",
    )
    assert moved["HX-Redirect"] == f"/projects/{project.pk}/"


def test_a_refused_move_says_on_the_board_what_the_project_page_says(logged_in, lead, xiaoyi_staff):
    project = lead("氢能重卡示范线", "8000", stage=Stage.INTENT)
    client = logged_in(xiaoyi_staff)
    from_board = client.post(
        f"/projects/{project.pk}/move/", {"to_stage": "contact", "next": BOARD}, HTTP_HX_REQUEST="true"
    )
    from_page = client.post(f"/projects/{project.pk}/move/", {"to_stage": "contact"}, HTTP_HX_REQUEST="true")
    assert from_board.status_code == from_page.status_code == 400
    board_text, page_text = from_board.content.decode(), from_page.content.decode()
    message = "退回到之前的阶段必须填写原因。"
    assert message in page_text and message in board_text
    assert 'name="next" value="/investment/board/"' in board_text  # the dialog still goes back to the board
    assert Project.objects.get(pk=project.pk).stage == Stage.INTENT


def test_an_investment_officer_cannot_move_a_lead_on_to_filed(logged_in, lead, xiaoyi):
    officer = make_user("xiaoyi-invest", Unit.objects.get(zone=xiaoyi), roles.INVESTMENT_OFFICER)
    project = lead("焦炉煤气制LNG", "40000", stage=Stage.SIGNED)
    client = logged_in(officer)
    assert 'draggable="true"' in client.get(BOARD).content.decode()  # within the 招商 stages it moves
    refused = client.post(
        f"/projects/{project.pk}/move/",
        {
            "to_stage": "filed",
            "filed_on": TODAY.isoformat(),
            "project_code": f"{TODAY.year}-141181-26-03-000123",
            "next": BOARD,
        },
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 400 and "招商专员只能维护备案前" in refused.content.decode()
    assert Project.objects.get(pk=project.pk).stage == Stage.SIGNED


def test_lead_page_shows_facts_and_is_404_outside_scope(logged_in, lead, xiaoyi_staff, tunliu_staff):
    project = lead("碳基新材料研发中心", "155000")
    url = reverse("investment:lead", args=[project.pk])
    page = logged_in(xiaoyi_staff).get(url).content.decode()
    assert "碳基新材料研发中心" in page and f'href="/projects/{project.pk}/"' in page and "15.50 亿元" in page
    assert "招前对接" in page and "招中促成" in page and "招后服务" in page
    detail = logged_in(xiaoyi_staff).get(f"/projects/{project.pk}/").content.decode()
    assert f'href="{url}"' in detail and "招商信息" in detail
    assert logged_in(tunliu_staff).get(url).status_code == 404


def test_lead_facts_save_and_refuse_a_platform_of_another_zone(logged_in, lead, xiaoyi, tunliu, admin_user):
    project = lead("碳基新材料研发中心", "155000")
    own = PlatformCompany.objects.create(zone=xiaoyi, name="孝义经开区投资运营有限公司")
    other = PlatformCompany.objects.create(zone=tunliu, name="屯留经开区发展集团")
    mode = InvestmentMode.objects.get(name="平台招商")
    client = logged_in(admin_user)
    url = reverse("investment:lead_facts", args=[project.pk])
    form = client.get(url, {"source": "platform"}).content.decode()
    assert "孝义经开区投资运营有限公司" in form and "屯留经开区发展集团" not in form  # the zone's own only
    missing = client.post(url, {"mode": mode.pk, "source": "platform"})
    assert missing.status_code == 400 and "请选择带来该项目的平台公司。" in missing.content.decode()
    foreign = client.post(url, {"mode": mode.pk, "source": "platform", "source_platform": other.pk})
    assert foreign.status_code == 400 and "来源平台公司须为本开发区的。" in foreign.content.decode()
    assert not Lead.objects.filter(project=project).exists()
    saved = client.post(url, {"mode": mode.pk, "source": "platform", "source_platform": own.pk})
    assert saved.status_code == 302 and saved["Location"] == reverse("investment:lead", args=[project.pk])
    facts = Lead.objects.get(project=project)
    assert facts.mode == mode and facts.source_platform == own
    page = client.get(saved["Location"]).content.decode()
    assert "平台公司：孝义经开区投资运营有限公司" in page and "平台招商" in page
    # Changing the source clears the old source's detail.
    client.post(url, {"mode": mode.pk, "source": "person", "source_person": "王总", "source_platform": own.pk})
    facts.refresh_from_db()
    assert facts.source_person == "王总" and facts.source_platform is None


def test_the_timeline_puts_talks_signing_and_later_steps_in_their_phases(
    logged_in, lead, xiaoyi, xiaoyi_staff, admin_user
):
    project = lead("碳基新材料研发中心", "155000")
    talk = services.activity_save(
        user=xiaoyi_staff,
        activity=Activity(zone=xiaoyi),
        fields={"kind": "talk", "depth": "deep", "title": "与华阳集团深度洽谈", "start_on": TODAY},
        leads=[project],
    )
    services.activity_save(
        user=xiaoyi_staff,
        activity=Activity(zone=xiaoyi),
        fields={
            "kind": "agreement",
            "agreement_kind": "project",
            "title": "碳基新材料项目签约",
            "start_on": TODAY,
            "signed_amount": Decimal("155000"),
        },
        leads=[project],
    )
    project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.SIGNED, dates={"signed_on": TODAY})
    project.refresh_from_db()
    project_move_stage(
        user=admin_user,
        project=project,
        to_stage=Stage.FILED,
        dates={"filed_on": TODAY},
        project_code=f"{TODAY.year}-141181-26-03-000777",
    )
    page = logged_in(xiaoyi_staff).get(reverse("investment:lead", args=[project.pk])).content.decode()
    before = page[page.index('data-phase="before"') : page.index('data-phase="signing"')]
    signing = page[page.index('data-phase="signing"') : page.index('data-phase="after"')]
    after = page[page.index('data-phase="after"') :]
    assert "与华阳集团深度洽谈" in before and f'href="/investment/activities/{talk.pk}/"' in before
    assert "碳基新材料项目签约" in signing and "已签约" in signing
    assert "已备案" in after
    assert "已备案" in page  # a project past 签约 keeps its lead page
