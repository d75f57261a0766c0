"""The scope walk: every URL of the product, tried by users who must not see 孝义's records.

The walk enumerates the URL configuration itself, so a new page or endpoint is walked
without anyone remembering to add it: a URL that takes a record id must be listed in
``TARGETS`` (the test fails otherwise), and every URL without one is read with filters
pointing at the hidden records and must not mention any of them.
"""

from __future__ import annotations

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from kaifaqu.campaigns.models import Campaign, CampaignEntry
from kaifaqu.chains import bounty_services
from kaifaqu.chains import services as chain_services
from kaifaqu.chains.models import Bounty, BountyBoard, ChainLink, IndustryChain, Policy
from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.imports.models import ExportJob, ImportJob
from kaifaqu.indicators.models import Indicator, IndicatorReport, IndicatorValue
from kaifaqu.investment import services as investment_services
from kaifaqu.investment.models import Activity, ActivityFile, PlatformCompany, Target, TargetIndustry
from kaifaqu.notifications.models import Channel, InboxMessage
from kaifaqu.projects.models import Stage
from kaifaqu.projects.services import milestone_create, plan_category_create, progress_create, project_create
from kaifaqu.regions.models import Region
from kaifaqu.reports.models import Report
from kaifaqu.services.models import AgencyItem, ApprovalType, RequestAttachment, RequestEvent, ServiceRequest
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import park_create, unit_for_region

TODAY = timezone.localdate()

# URL name → which hidden record its ``pk`` names.
TARGETS = {
    "projects:detail": "project",
    "projects:edit": "project",
    "projects:delete": "project",
    "projects:move": "project",
    "projects:fill": "project",
    "projects:milestone_add": "project",
    "projects:progress_add": "project",
    "projects:milestone_complete": "milestone",
    "projects:milestone_delete": "milestone",
    "projects:progress_delete": "progress",
    "enterprises:detail": "enterprise",
    "enterprises:edit": "enterprise",
    "zones:detail": "zone",
    "zone-detail": "zone",
    "park-detail": "park",
    "enterprise-detail": "enterprise",
    "project-detail": "project",
    "project-history": "project",
    "project-move": "project",
    "milestone-detail": "milestone",
    "milestone-complete": "milestone",
    "progress-detail": "progress",
    "plan-category-detail": "plan_category",
    "imports:detail": "import_job",
    "imports:progress": "import_job",
    "imports:mapping": "import_job",
    "imports:sheet": "import_job",
    "imports:commit": "import_job",
    "imports:errors": "import_job",
    "imports:export_job": "export_job",
    "imports:export_progress": "export_job",
    "imports:export_download": "export_job",
    "campaigns:detail": "campaign",
    "campaigns:export": "campaign",
    "campaigns:entry_remove": "campaign_entry",
    "reports:download": "report",
    "indicators:review": "indicator_report",
    "indicators:zone": "zone",
    "services:detail": "service_request",
    "services:step": "service_request",
    "services:attachment": "service_request",
    "notifications:open": "inbox_message",
    "agency:project": "project",
    "agency:checklist": "project",
    "agency:item": "agency_item",
    "notifications:channel_action": "channel",
    "notifications:channel_edit": "channel",
    "investment:lead": "project",
    "investment:lead_facts": "project",
    "investment:industry_edit": "target_industry",
    "investment:industry_delete": "target_industry",
    "investment:target": "target",
    "investment:target_edit": "target",
    "investment:target_delete": "target",
    "investment:target_lead": "target",
    "investment:activity": "activity",
    "investment:activity_edit": "activity",
    "investment:activity_delete": "activity",
    "investment:file_add": "activity",
    "investment:activity_lead": "activity",
    "investment:file": "activity_file",
    "investment:file_delete": "activity_file",
    "investment:platform_edit": "platform",
    "investment:platform_delete": "platform",
    "chains:detail": "chain",
    "chains:link_add": "chain",
    "chains:link_edit": "chain_link",
    "chains:link_delete": "chain_link",
    "chains:place": "chain_link",
    "chains:bounty_board": "bounty_board",
    "chains:bounty_board_edit": "bounty_board",
    "chains:bounty_publish": "bounty_board",
    "chains:bounty_close": "bounty_board",
    "chains:bounty_add": "bounty_board",
    "chains:bounty_xlsx": "bounty_board",
    "chains:bounty_docx": "bounty_board",
    "chains:bounty_delete": "bounty",
    "chains:bounty_claim_create": "bounty",
    "chains:bounty_claim": "bounty_claim",
    "chains:bounty_progress": "bounty_claim",
    "chains:bounty_verify": "bounty_claim",
    "chains:bounty_claim_evidence": "bounty_claim",
    "chains:bounty_progress_evidence": "bounty_progress",
    "chains:edit": "chain",
    "chains:lists_export": "chain",
    "chains:brief": "chain",
    "chains:policy_edit": "policy",
    "chains:policy_delete": "policy",
    "chains:policy_file": "policy",
    "evaluation:scheme": "evaluation_scheme",
    "evaluation:scheme_edit": "evaluation_scheme",
    "evaluation:item_add": "evaluation_scheme",
    "evaluation:run_create": "evaluation_scheme",
    "evaluation:honor_generate": "evaluation_scheme",
    "evaluation:manual_values": "evaluation_scheme",
    "evaluation:item_edit": "evaluation_item",
    "evaluation:item_delete": "evaluation_item",
    "evaluation:manual_evidence": "evaluation_manual_value",
    "evaluation:run": "evaluation_run",
    "evaluation:run_review": "evaluation_run",
    "evaluation:run_publish": "evaluation_run",
    "evaluation:run_recompute": "evaluation_run",
    "evaluation:run_xlsx": "evaluation_run",
    "evaluation:score_docx": "evaluation_score",
    "evaluation:honor_list": "evaluation_honor_list",
    "evaluation:honor_add": "evaluation_honor_list",
    "evaluation:honor_publish": "evaluation_honor_list",
    "evaluation:honor_docx": "evaluation_honor_list",
    "evaluation:honor_remove": "evaluation_honor_entry",
    "enterprises:figures_edit": "enterprise",
    "enterprises:status_set": "enterprise",
    "land:mujun_scheme": "mujun_scheme",
    "land:mujun_edit": "mujun_scheme",
    "land:mujun_grade": "mujun_scheme",
    "land:mujun_xlsx": "mujun_scheme",
    "land:parcel": "parcel",
    "land:parcel_edit": "parcel",
    "land:parcel_check": "parcel",
    "land:assessment_save": "parcel",
    "land:disposal_add": "parcel",
    "land:enterprise_disposal_add": "enterprise",
}
# The other parts of URLs that name more than a record: the hidden record's own, where it has one.
OTHER_KWARGS = {
    "services:step": {"step": "resolve"},
    "services:attachment": {"file_id": "attachment"},
    "notifications:channel_action": {"action": "test"},
    "chains:place": {"kind": "enterprise"},
}
# Shared reference data every office reads (the indicator catalogue, the 全代办 approvals):
# not behind a zone's scope; who may change it is checked by the catalogues' own tests.
SHARED = {
    "indicators:indicator_edit",
    "agency:approval_edit",
    "agency:approval_delete",
    "agency:approval_active",
    "investment:mode_edit",  # 招商方式: the province's catalogue
}
# What an enterprise user may legitimately see of its own zone: the zone, its parks and
# its plan-category vocabulary (the labels its own projects are filed under).
ZONE_LEVEL = {"zone", "park", "plan_category"}


def walk_urls():
    """(name, kwargs) of every named URL outside the admin site, without format-suffix twins."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif pattern.name:
                yield namespace + pattern.name, frozenset(pattern.pattern.regex.groupindex)

    seen = []
    for name, kwargs in walk(get_resolver().url_patterns):
        if not name.startswith("admin:") and "format" not in kwargs and (name, kwargs) not in seen:
            seen.append((name, kwargs))
    return seen


@pytest.fixture
def hidden(xiaoyi, admin_user, xiaoyi_enterprise):
    """孝义 records, each with a name that must never reach the walkers."""
    xiaoyi_admin = make_user("xiaoyi-admin", Unit.objects.get(zone=xiaoyi), roles.ADMIN)
    owner = enterprise_create(
        user=admin_user,
        fields={"name": "保密企业乙有限公司", "zone": xiaoyi, "credit_code": make_credit_code("141181", "55555555")},
    )
    project = project_create(
        user=admin_user,
        fields={
            "name": "保密项目甲",
            "zone": xiaoyi,
            "enterprise": owner,
            "total_investment": 777777,
            "plan_year": TODAY.year,
        },
        stage=Stage.CONTACT,
        stage_dates={"contact_on": TODAY},
    )
    campaign = Campaign.objects.create(
        name="保密活动辛", held_on=TODAY, level="county", region=xiaoyi.region, zone=xiaoyi
    )
    report = Report.objects.create(
        kind="weekly",
        title="保密报告壬",
        zone=xiaoyi,
        as_of=TODAY,
        year=TODAY.year,
        created_by=xiaoyi_admin,
        status="done",
    )
    indicator_report = IndicatorReport.objects.create(
        zone=xiaoyi, region=xiaoyi.region, year=TODAY.year, month=1, status="approved"
    )
    IndicatorValue.objects.create(
        report=indicator_report, indicator=Indicator.objects.get(name="税收收入"), value=987654, note="保密说明癸"
    )
    service_request = ServiceRequest.objects.create(
        zone=xiaoyi,
        enterprise=owner,
        title="保密诉求子",
        category="land",
        received_on=TODAY,
        due_on=TODAY,
    )
    event = RequestEvent.objects.create(request=service_request, kind="resolve", note="保密办理结果丑")
    attached = RequestAttachment.objects.create(
        event=event, name="保密附件寅.pdf", file=ContentFile(b"%PDF-1.4 secret", name="secret.pdf")
    )
    agency_item = AgencyItem.objects.create(
        project=project, approval_type=ApprovalType.objects.get(name="环境影响评价"), note="保密代办巳"
    )
    inbox_message = InboxMessage.objects.create(user=xiaoyi_admin, subject="保密消息卯", link="/")
    channel = Channel.objects.create(
        unit=Unit.objects.get(zone=xiaoyi), kind="wecom", name="保密群辰", address="http://127.0.0.1:9/x"
    )
    investment = _hidden_investment(xiaoyi, admin_user, project)
    report.path("docx").parent.mkdir(parents=True, exist_ok=True)
    report.path("docx").write_bytes(b"docx")
    export_job = ExportJob.objects.create(
        kind="projects", user=xiaoyi_admin, file_name="保密导出午.csv", file_format="csv", status="done", total=1
    )
    export_job.path.parent.mkdir(parents=True, exist_ok=True)
    export_job.path.write_bytes("保密项目甲".encode())
    return {
        "report": report,
        "export_job": export_job,
        "indicator_report": indicator_report,
        "service_request": service_request,
        "attachment": attached,
        "inbox_message": inbox_message,
        "agency_item": agency_item,
        "channel": channel,
        "campaign": campaign,
        # Straight into the table: the walk needs an entry, not the signing rules.
        "campaign_entry": CampaignEntry.objects.create(
            campaign=campaign, project=project, batch="sign", investment=project.total_investment
        ),
        **investment,
        **_hidden_evaluation(xiaoyi, admin_user),
        **_hidden_land(xiaoyi, admin_user, owner),
        "zone": xiaoyi,
        "park": park_create(user=admin_user, zone=xiaoyi, name="保密园区丙"),
        "enterprise": owner,
        "project": project,
        "milestone": milestone_create(user=admin_user, project=project, name="保密节点丁", planned_on=TODAY),
        "progress": progress_create(
            user=admin_user, project=project, reported_on=TODAY - datetime.timedelta(days=1), text="保密进展戊"
        ),
        "plan_category": plan_category_create(user=xiaoyi_admin, name="保密分类己"),
        "import_job": ImportJob.objects.create(
            kind="projects",
            user=xiaoyi_admin,
            zone=xiaoyi,
            file_name="保密导入庚.xlsx",
            extension="xlsx",
            result={"errors": [{"row": 2, "column": "项目名称", "value": "保密项目甲", "reason": "x"}]},
        ),
        "secrets": {
            "保密考核方案甲戌",
            "保密理由乙亥",
            "保密说明丙子",
            "保密项目甲",
            "保密企业乙",
            "保密园区丙",
            "保密节点丁",
            "保密进展戊",
            "保密分类己",
            "保密导入庚",
            "保密导出午",
            "保密活动辛",
            "保密报告壬",
            "保密说明癸",
            "保密诉求子",
            "保密办理结果丑",
            "保密附件寅",
            "保密消息卯",
            "保密代办巳",
            "保密群辰",
            "保密产业未",
            "保密目标申",
            "保密活动酉",
            "保密地区戌",
            "保密照片亥",
            "保密平台甲",
            "保密产业链乙丑",
            "保密环节丙寅",
            "保密榜单庚午",
            "保密榜题辛未",
            "保密团队壬申",
            "保密进展癸酉",
            "保密亩均方案戊寅",
            "保密地块丁丑",
            "保密结论庚辰",
            "保密处置己卯",
            "保密原因辛巳",
            "987,654",
            "孝义经济技术开发区",
        },
    }


def _hidden_investment(xiaoyi, admin_user, project) -> dict:
    """孝义's 招商 records: an industry sought, a target, a trip (with a photo), a 平台公司, the lead's facts."""
    industry = investment_services.target_industry_save(
        user=admin_user, industry=TargetIndustry(zone=xiaoyi), fields={"name": "保密产业未"}
    )
    target = investment_services.target_save(
        user=admin_user, target=Target(zone=xiaoyi), fields={"name": "保密目标申", "industry": industry}
    )
    activity = investment_services.activity_save(
        user=admin_user,
        activity=Activity(zone=xiaoyi),
        fields={"kind": "trip", "title": "保密活动酉", "start_on": TODAY, "region": "保密地区戌"},
        targets=[target],
        leads=[project],
    )
    photo = ActivityFile.objects.create(
        activity=activity, name="保密照片亥.png", file=ContentFile(b"\x89PNG secret", name="secret.png")
    )
    platform = investment_services.platform_save(
        user=admin_user, platform=PlatformCompany(zone=xiaoyi), fields={"name": "保密平台甲"}, commissioned=[project]
    )
    investment_services.lead_save(
        user=admin_user,
        project=project,
        fields={"target": target, "source": "platform", "source_platform": platform},
    )
    chain = chain_services.chain_save(
        user=admin_user, chain=IndustryChain(), fields={"name": "保密产业链乙丑", "zone": xiaoyi}
    )
    link = chain_services.link_save(
        user=admin_user,
        link=ChainLink(chain=chain),
        fields={"segment": "upstream", "name": "保密环节丙寅", "status": "missing"},
    )
    chain_services.project_place(user=admin_user, link=link, project=project)
    chain_services.enterprise_place(user=admin_user, link=link, enterprise=project.enterprise, product="保密产品")
    chain_services.target_place(user=admin_user, link=link, target=target)
    policy = chain_services.policy_save(
        user=admin_user,
        policy=Policy(),
        fields={"title": "保密政策丁卯", "issuer": "保密发文单位", "zone": xiaoyi},
        links=[link],
        upload=ContentFile(b"%PDF-1.4 secret", name="保密政策.pdf"),
    )
    return {
        "chain": chain,
        "chain_link": link,
        **_hidden_bounties(xiaoyi, admin_user, project, link),
        "policy": policy,
        "target_industry": industry,
        "target": target,
        "activity": activity,
        "activity_file": photo,
        "platform": platform,
    }


def _hidden_bounties(xiaoyi, admin_user, project, link) -> dict:
    """孝义's 揭榜挂帅 board: a bounty on the hidden project, claimed, with a progress report and its evidence."""
    board = bounty_services.board_save(
        user=admin_user,
        board=BountyBoard(),
        fields={"title": "保密榜单庚午", "zone": xiaoyi, "deadline": TODAY + datetime.timedelta(days=30)},
    )
    bounty = bounty_services.bounty_save(
        user=admin_user,
        bounty=Bounty(board=board),
        fields={"kind": "project", "title": "保密榜题辛未", "project": project, "link": link, "goal": 777777},
    )
    bounty_services.board_publish(user=admin_user, board=board)
    claim = bounty_services.claim_create(
        user=admin_user, bounty=bounty, unit=Unit.objects.get(zone=xiaoyi), team="保密团队壬申"
    )
    progress = bounty_services.progress_report(
        user=admin_user,
        claim=claim,
        reported_on=TODAY,
        value=1,
        note="保密进展癸酉",
        upload=ContentFile(b"%PDF-1.4 secret", name="secret.pdf"),
    )
    return {"bounty_board": board, "bounty": bounty, "bounty_claim": claim, "bounty_progress": progress}


def _hidden_evaluation(xiaoyi, admin_user) -> dict:
    """孝义's staff 考核: a scheme from the shipped template, a hand-entered value with its evidence,
    a run with its scores, a 红黑榜 with an entry added by hand."""
    from kaifaqu.evaluation import periods as evaluation_periods
    from kaifaqu.evaluation import services as evaluation_services
    from kaifaqu.evaluation.subjects import scheme_subjects
    from kaifaqu.evaluation.templates import scheme_fields, template

    data = template("zone_staff")
    scheme = evaluation_services.scheme_copy(
        user=admin_user, source=data, fields=scheme_fields(data) | {"name": "保密考核方案甲戌", "zone": xiaoyi}
    )
    month = evaluation_periods.last_complete("month", TODAY).key
    subject = scheme_subjects(scheme)[0]
    item = scheme.items.get(metric="manual")
    manual = evaluation_services.manual_value_save(
        user=admin_user,
        item=item,
        period=month,
        subject_key=subject.key,
        value=20,
        note="保密说明丙子",
        evidence=ContentFile(b"%PDF-1.4 secret", name="secret.pdf"),
    )
    run = evaluation_services.run_scheme(user=admin_user, scheme=scheme, period=month)
    honor_list = evaluation_services.honor_generate(user=admin_user, scheme=scheme, period=month)
    entry = evaluation_services.honor_add(
        user=admin_user, honor_list=honor_list, side="red", subject_key=subject.key, reason="保密理由乙亥"
    )
    return {
        "evaluation_scheme": scheme,
        "evaluation_item": item,
        "evaluation_manual_value": manual,
        "evaluation_run": run,
        "evaluation_score": run.scores.first(),
        "evaluation_honor_list": honor_list,
        "evaluation_honor_entry": entry,
    }


def _hidden_land(xiaoyi, admin_user, owner) -> dict:
    """孝义's 亩均 scheme with the owner's grade, its figures and state, and a 标准地 sold to it with a
    区域评估 and a disposal step."""
    from kaifaqu.enterprises.figures import figures_save, status_set
    from kaifaqu.land.models import MuJunScheme, Parcel
    from kaifaqu.land.parcels import assessment_save, disposal_record, parcel_save
    from kaifaqu.land.services import grade_year, scheme_save

    figures_save(
        user=admin_user, enterprise=owner, year=TODAY.year - 1, fields={"land_mu": 50, "tax": 500, "revenue": 5000}
    )
    status_set(user=admin_user, enterprise=owner, status="stopped", since=TODAY, reason="保密原因辛巳")
    scheme = scheme_save(user=admin_user, scheme=MuJunScheme(zone=xiaoyi), fields={"name": "保密亩均方案戊寅"})
    grade_year(user=admin_user, scheme=scheme, year=TODAY.year - 1)
    parcel = parcel_save(
        user=admin_user,
        parcel=Parcel(),
        fields={
            "zone": xiaoyi,
            "code": "保密地块丁丑",
            "area_mu": 50,
            "status": "sold",
            "enterprise": owner,
            "sold_on": TODAY - datetime.timedelta(days=900),
        },
    )
    assessment_save(user=admin_user, parcel=parcel, kind="geohazard", conclusion="保密结论庚辰")
    disposal_record(user=admin_user, parcel=parcel, step="talk", done_on=TODAY, note="保密处置己卯")
    return {"mujun_scheme": scheme, "parcel": parcel}


@pytest.fixture(params=["other-zone", "other-city", "other-enterprise"])
def walker(request, tunliu, xiaoyi, admin_user, xiaoyi_enterprise):
    """Users who must not see the hidden records: 屯留's staff, 长治's office, another 孝义 enterprise."""
    if request.param == "other-zone":
        user = make_user("walker", Unit.objects.get(zone=tunliu), roles.PROJECT_OFFICER)
    elif request.param == "other-city":
        user = make_user("walker", unit_for_region(region=Region.objects.get(code="140400")), roles.ADMIN)
    else:
        unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
        user = make_user("walker", unit, roles.ENTERPRISE_USER)
    user.walker_kind = request.param
    return user


def readable_text(response) -> str:
    """What a person would read in the response: the page, the JSON, every cell of an xlsx, or a docx's text."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if "wordprocessingml" in response.get("Content-Type", ""):
        document = docx.Document(io.BytesIO(raw))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    return raw.decode("utf-8", errors="replace")


def test_every_url_with_a_record_id_is_walked(db):
    unlisted = [name for name, kwargs in walk_urls() if "pk" in kwargs and name not in {*TARGETS, *SHARED}]
    assert unlisted == [], f"这些地址带记录编号，请在 TARGETS 中登记它们指向的记录：{unlisted}"


def test_records_outside_the_scope_answer_404_everywhere(walker, hidden):
    page = Client()
    page.force_login(walker)
    for name, kwargs in walk_urls():
        if "pk" not in kwargs or name in SHARED:
            continue
        target = TARGETS[name]
        if walker.walker_kind == "other-enterprise" and target in ZONE_LEVEL:
            continue  # an enterprise sees its own zone and parks
        other = {
            key: hidden[value].pk if value in hidden else value for key, value in OTHER_KWARGS.get(name, {}).items()
        }
        url = reverse(name, kwargs={"pk": hidden[target].pk, **other})
        if walker.walker_kind == "other-enterprise" and name.startswith("indicators:"):
            assert page.get(url).status_code == 403, url  # every 月调度 page refuses enterprise users
            continue
        # 招商 pages refuse an enterprise's login outright (403) where they do not first find nothing (404).
        enterprise_at_investment = walker.walker_kind == "other-enterprise" and name.startswith("investment:")
        refused = (403, 404, 405) if enterprise_at_investment else (404, 405)
        assert page.get(url).status_code in refused, url
        for method in ("post", "put", "patch", "delete"):
            response = getattr(page, method)(url, content_type="application/json", data="{}")
            assert response.status_code in refused, f"{method.upper()} {url}: {response.status_code}"
        assert page.post(url, {"name": "改名"}).status_code in refused, url


def test_lists_searches_selects_and_statistics_never_mention_hidden_records(walker, hidden):
    page = Client()
    page.force_login(walker)
    secrets = set(hidden["secrets"])
    if walker.walker_kind == "other-enterprise":
        secrets -= {"孝义经济技术开发区", "保密园区丙", "保密分类己"}
    probes = {
        "zone": hidden["zone"].pk,
        "park": hidden["park"].pk,
        "enterprise": hidden["enterprise"].pk,
        "project": hidden["project"].pk,
        "plan_category": hidden["plan_category"].pk,
        "q": "保密",
        "record": f"projects.project:{hidden['project'].pk}",
    }
    for name, kwargs in walk_urls():
        if kwargs or name in ("logout",):
            continue
        url = reverse(name)
        for params in ({}, probes, {"q": "保密"}, {"search": "保密"}):
            response = page.get(url, params)
            body = readable_text(response)
            leaked = sorted(secret for secret in secrets if secret in body)
            assert leaked == [], f"{url}?{params} 泄露了 {leaked}（状态 {response.status_code}）"


def walk_lists(page, probes) -> dict[tuple[str, str], str]:
    """What every list, search, select, statistic and export shows the user (audit pages aside)."""
    seen = {}
    for name, kwargs in walk_urls():
        if kwargs or name == "logout" or name.startswith("audit:"):
            continue
        for params in ({}, probes, {"q": "项目"}):
            text = readable_text(page.get(reverse(name), params))
            seen[(name, repr(params))] = CSRF.sub("", text)
    return seen


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def test_hidden_records_change_no_count_total_or_list(
    walker, hidden, make_project, tunliu, xiaoyi_enterprise, admin_user
):
    """Adding records outside the scope changes nothing the user sees: no count, no total, no row.

    The walk runs with the hidden records present, then again once they are gone; every
    page, API list and statistic must read the same both times (audit pages aside: the
    walk's own exports are recorded there).
    """
    make_project(name="屯留光伏项目", zone=tunliu, user=admin_user)
    make_project(name="鹏飞氢能项目", enterprise=xiaoyi_enterprise)
    page = Client()
    page.force_login(walker)
    probes = {"zone": hidden["zone"].pk, "park": hidden["park"].pk, "enterprise": hidden["enterprise"].pk}
    if walker.walker_kind == "other-enterprise":
        probes = {"enterprise": hidden["enterprise"].pk}
    with_hidden = walk_lists(page, probes)
    hidden["campaign"].delete()
    hidden["service_request"].delete()
    hidden["project"].delete()
    hidden["enterprise"].delete()
    if walker.walker_kind != "other-enterprise":  # the zone's own park and vocabulary are the enterprise's to see
        hidden["park"].delete()
        hidden["plan_category"].delete()
    without_hidden = walk_lists(page, probes)
    changed = sorted(key for key in with_hidden if with_hidden[key] != without_hidden[key])
    assert changed == [], f"这些页面因辖区外的记录而改变：{changed}"


# --- writes --------------------------------------------------------------------------------------------
# The same walk for writes, by users who see 孝义's records but may change none of them: every write
# URL and API method, with a record id or without, is refused, and nothing in the database changes.

# Writes any signed-in user may make to what is their own: signing out, their own password, token and
# inbox, the working year they look at. The walk skips them.
OWN_WRITES = {"login", "logout", "api-token", "notifications:read_all", "notifications:open"}
# Rows a refused attempt may add: the audit trail records refusals and sign-ins.
NOT_RECORDS = {"audit.AuditEntry", "sessions.Session"}


def database_state() -> dict[str, str]:
    """Every row of every table (the audit trail and sessions aside), as text to compare."""
    from django.apps import apps
    from django.core import serializers

    return {
        model._meta.label: serializers.serialize("json", model._default_manager.order_by("pk"))
        for model in apps.get_models()
        if model._meta.label not in NOT_RECORDS and not model._meta.proxy
    }


def write_attempts(hidden):
    """(url, method, body, content type) for every named URL, aimed at 孝义's records."""
    for name, kwargs in walk_urls():
        if (
            name in OWN_WRITES
            or name in SHARED
            or name.startswith("admin:")
            or kwargs - {"pk", *OTHER_KWARGS.get(name, {})}
        ):
            continue
        if "pk" in kwargs:
            other = {
                key: hidden[value].pk if value in hidden else value for key, value in OTHER_KWARGS.get(name, {}).items()
            }
            url = reverse(name, kwargs={"pk": hidden[TARGETS[name]].pk, **other})
        else:
            url = reverse(name)
        for method in ("post", "put", "patch", "delete"):
            yield url, method, "{}", "application/json"
        yield url, "post", {"name": "改名", "zone": hidden["zone"].pk, "title": "改名"}, None


@pytest.fixture(params=["leader", "enterprise"])
def reader(request, hidden, xiaoyi):
    """孝义's 领导 (reads everything in the zone, changes nothing) and the owner enterprise's own account."""
    if request.param == "leader":
        user = make_user("reader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    else:
        unit = Unit.objects.create(kind="enterprise", enterprise=hidden["enterprise"], name=hidden["enterprise"].name)
        user = make_user("reader", unit, roles.ENTERPRISE_USER)
    user.reader_kind = request.param
    return user


# What an enterprise may write of its own: it files requests (and rates or reopens their results).
ENTERPRISE_WRITES = {"/requests/new/"}


def enterprise_writes(hidden) -> set[str]:
    """…and reports its own 经营数据 and 经营状态 (an empty post is refused and changes nothing)."""
    own = hidden["enterprise"].pk
    return ENTERPRISE_WRITES | {f"/enterprises/{own}/figures/", f"/enterprises/{own}/status/"}


# What every user who sees a zone may do: generate its reports (docs/permissions.md, 调度报告).
READER_WRITES = {"/reports/"}
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>", re.IGNORECASE)


def write_forms(page, url: str) -> list[str]:
    """The forms that post somewhere, sign-out aside, on the page ``url`` shows the user."""
    response = page.get(url)
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []  # a file: nothing to post
    body = response.content.decode("utf-8", errors="replace")
    own = [reverse(name) for name in OWN_WRITES if name != "notifications:open"]
    return [form for form in POST_FORM.findall(body) if not any(f'action="{path}"' in form for path in own)]


def test_users_without_the_right_are_refused_every_write_and_nothing_changes(reader, hidden):
    """A write URL refuses (403, or 404 for what is another's: an import job, an inbox), and a page
    that answers a POST as a GET is a page of reading that offers no form to post; the database
    is the same after every attempt."""
    page = Client()
    page.force_login(reader)
    before = database_state()
    answered = {}
    for url, method, body, content_type in write_attempts(hidden):
        kwargs = {"content_type": content_type} if content_type else {}
        status = getattr(page, method)(url, body, **kwargs).status_code
        own = url in READER_WRITES or (reader.reader_kind == "enterprise" and url in enterprise_writes(hidden))
        if status not in (403, 404, 405) and not own:
            answered.setdefault(url, set()).add(f"{method.upper()} {status}")
    offered = {url: sorted(answers) for url, answers in answered.items() if write_forms(page, url)}
    assert offered == {}, f"这些页面向无权修改的用户提供了修改表单，且没有拒绝写操作：{offered}"
    after = database_state()
    changed = sorted(label for label in before if before[label] != after[label])
    assert changed == [], f"被拒绝的写操作改动了：{changed}"
