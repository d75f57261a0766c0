"""开工竣工率、投产达效率, 当年入统投资 and the signing cohort: against ledgers counted by hand,
through the selectors, the command line, the zone page and the dashboard, each figure's link
listing exactly the projects it counts."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import ledger_kind
from kaifaqu.projects.cards import default_period
from kaifaqu.projects.completeness import GAPS
from kaifaqu.projects.lifecycle import RANK
from kaifaqu.projects.models import Project, Stage, local_today
from kaifaqu.projects.selectors import Bucket, Cohort, cohort, in_statistics_investment, pipeline_stats
from kaifaqu.projects.services import project_move_stage, project_update

pytestmark = pytest.mark.django_db

FROM, TO = datetime.date(2022, 1, 1), datetime.date(2025, 12, 31)
STEPS = ("signed", "filed", "started", "producing", "at_capacity")
LINGSHI = "2022年~2025年签约项目23个，总投资98.36亿元，开工项目21个，总投资97.12亿元，投产项目15个，总投资44.84亿元。"


@pytest.fixture
def at_stage(make_project):
    """``at_stage(name, 万元, stage, signed_on)``: a project moved there through the service,
    each later step a month after the one before."""
    codes = (f"2025-141181-26-03-{n:06d}" for n in itertools.count(1))

    def make(name: str, wan, stage: str, signed_on: datetime.date, **fields) -> Project:
        dates, day = {}, signed_on
        for step in STEPS[: STEPS.index(stage) + 1]:
            dates[f"{step}_on"] = day
            day += datetime.timedelta(days=30)
        if RANK[stage] >= RANK[Stage.FILED]:
            fields["project_code"] = next(codes)
        return make_project(name, stage=stage, stage_dates=dates, total_investment=Decimal(wan), **fields)

    return make


def import_rows(rows: list[list], tmp_path) -> None:
    """History from an office's ledger, through the importer: stages without the dates they passed."""
    path = tmp_path / "台账.csv"
    text = io.StringIO()
    csv.writer(text).writerows([["项目名称", "项目阶段", "总投资（万元）", "开发区"], *rows])
    path.write_text(text.getvalue(), encoding="utf-8")
    result = run_import(ledger_kind("projects"), path, extension="csv", commit=True)
    assert result.errors == [] and result.committed


def signed_day(number: int) -> datetime.date:
    return datetime.date(2022 + number % 4, 1 + number % 12, 1 + number % 28)


@pytest.fixture
def lingshi(at_stage, make_project, xiaoyi_staff, tunliu, admin_user, tmp_path):
    """灵石's figures (seed 003) on 孝义's ledger: signed 2022–2025, 23 projects 98.36亿, 21 of them
    started 97.12亿, 15 producing 44.84亿; around them what the cohort must leave out."""
    made = {"producing": [], "started": [], "signed": []}
    # 15 reached 投产 (two went on to 达产): 14 × 3亿 + 2.84亿 = 44.84亿.
    for n in range(15):
        stage = Stage.AT_CAPACITY if n < 2 else Stage.PRODUCING
        day = FROM if n == 0 else signed_day(n)  # the period's first day is in it
        made["producing"].append(at_stage(f"投产项目{n}", 28400 if n == 14 else 30000, stage, day))
    # 6 more reached 开工 (one stopped there, terminated): 5 × 10亿 + 2.28亿 = 52.28亿.
    for n in range(6):
        day = TO if n == 0 else signed_day(n + 20)  # … and its last day too
        made["started"].append(at_stage(f"在建项目{n}", 22800 if n == 5 else 100000, Stage.STARTED, day))
    project_move_stage(
        user=xiaoyi_staff, project=made["started"][1], to_stage=Stage.TERMINATED, reason="企业资金链断裂"
    )
    # 2 only signed or filed: 1亿 + 0.24亿.
    made["signed"].append(at_stage("签约项目", 10000, Stage.SIGNED, datetime.date(2023, 5, 6)))
    made["signed"].append(at_stage("备案项目", 2400, Stage.FILED, datetime.date(2024, 7, 8)))
    # Outside the period, a day either side; a lead that was never signed; 屯留's project.
    made["before"] = at_stage("早签约项目", 50000, Stage.STARTED, FROM - datetime.timedelta(days=1))
    made["after"] = at_stage("晚签约项目", 60000, Stage.PRODUCING, TO + datetime.timedelta(days=1))
    made["lead"] = make_project("招商线索", stage=Stage.CONTACT, stage_dates={"contact_on": FROM})
    made["tunliu"] = make_project(
        "屯留签约项目",
        zone=tunliu,
        user=admin_user,
        stage=Stage.SIGNED,
        stage_dates={"signed_on": datetime.date(2023, 3, 3)},
        total_investment=Decimal(70000),
    )
    # History without its 签约日期 (待补录): in no period, counted apart.
    import_rows([["老在建项目", "在建", 5000, "孝义"], ["老签约项目", "签约待备案", 3000, "孝义"]], tmp_path)
    made["undated"] = list(Project.objects.filter(name__in=["老在建项目", "老签约项目"]))
    return made


def ids(projects) -> set[int]:
    return {project.pk for project in projects}


# ---------------------------------------------------------------------------------- the cohort


def test_cohort_counts_and_sums_the_projects_signed_in_the_period(lingshi, xiaoyi):
    figures = cohort(Project.objects.filter(zone=xiaoyi), signed_from=FROM, signed_to=TO)
    assert (figures.signed.count, figures.signed.investment) == (23, Decimal(983600))
    assert (figures.started.count, figures.started.investment) == (21, Decimal(971200))  # the terminated one too
    assert (figures.producing.count, figures.producing.investment) == (15, Decimal(448400))
    assert figures.undated == 2
    assert figures.sentence == LINGSHI + "另有2个项目签约日期待补录。"


def test_cohort_without_undated_projects_is_the_seed_sentence_exactly(lingshi, xiaoyi):
    dated = Project.objects.filter(zone=xiaoyi).exclude(pk__in=ids(lingshi["undated"]))
    assert cohort(dated, signed_from=FROM, signed_to=TO).sentence == LINGSHI


def test_the_period_includes_both_days_and_moves_with_them(lingshi, xiaoyi):
    projects = Project.objects.filter(zone=xiaoyi)
    one_day_later = cohort(projects, signed_from=FROM + datetime.timedelta(days=1), signed_to=TO)
    assert one_day_later.signed.count == 22 and one_day_later.producing.count == 14
    wider = cohort(projects, signed_from=FROM - datetime.timedelta(days=1), signed_to=TO + datetime.timedelta(days=1))
    assert (wider.signed.count, wider.started.count, wider.producing.count) == (25, 23, 16)


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "2025年"),
        (datetime.date(2022, 1, 1), datetime.date(2025, 12, 31), "2022年~2025年"),
        (datetime.date(2022, 3, 1), datetime.date(2025, 6, 30), "2022年3月1日~2025年6月30日"),
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 30), "2025年1月1日~2025年12月30日"),
    ],
)
def test_the_sentence_names_whole_years_or_days(start, end, period):
    figures = Cohort(start, end, Bucket(2, Decimal("15000")), Bucket(1, Decimal("10050")), Bucket(0), undated=0)
    assert (
        figures.sentence
        == f"{period}签约项目2个，总投资1.5亿元，开工项目1个，总投资1.01亿元，投产项目0个，总投资0亿元。"
    )


def test_the_sentence_of_an_empty_period_still_names_the_undated():
    figures = Cohort(FROM, TO, Bucket(), Bucket(), Bucket(), undated=4)
    assert figures.sentence == "2022年~2025年签约项目0个。另有4个项目签约日期待补录。"


def test_the_default_period_is_the_last_four_calendar_years():
    assert default_period(datetime.date(2025, 6, 30)) == (FROM, TO)


# ---------------------------------------------------------------------------------- the rates


@pytest.fixture
def built(at_stage, xiaoyi_staff):
    """Six started projects, four of them completed (竣工), two of those producing; one signed only."""

    def complete(project: Project) -> Project:
        day = project.started_on + datetime.timedelta(days=10)
        return project_update(user=xiaoyi_staff, project=project, fields={"completed": True, "completed_on": day})

    day = datetime.date(2024, 1, 10)
    at_stage("在建未竣工", 100, Stage.STARTED, day)
    complete(at_stage("竣工未投产", 100, Stage.STARTED, day))
    complete(at_stage("竣工已投产", 100, Stage.PRODUCING, day))
    at_stage("投产未记竣工", 100, Stage.PRODUCING, day)
    complete(at_stage("竣工已达产", 100, Stage.AT_CAPACITY, day))
    stopped = complete(at_stage("竣工后终止", 100, Stage.STARTED, day))
    project_move_stage(user=xiaoyi_staff, project=stopped, to_stage=Stage.TERMINATED, reason="项目转让")
    at_stage("仅签约", 100, Stage.SIGNED, day)


def test_completion_and_yield_rates_count_as_defined(built, xiaoyi):
    rates = pipeline_stats(Project.objects.filter(zone=xiaoyi)).rates
    assert list(rates)[-2:] == ["completion", "yield"]
    completion, output = rates["completion"], rates["yield"]
    # 开工竣工率: completed ÷ reached 已开工 (the terminated one stopped there: counted on both sides).
    assert (completion.label, completion.numerator, completion.denominator, completion.display) == (
        "开工竣工率",
        4,
        6,
        "66.7%",
    )
    # 投产达效率: of the 4 completed, those that reached 已投产 (at capacity counts).
    assert (output.label, output.numerator, output.denominator, output.display) == ("投产达效率", 2, 4, "50.0%")
    assert all(rate.definition for rate in rates.values())


# ---------------------------------------------------------------------------------- 当年入统投资


@pytest.fixture
def in_statistics(at_stage, make_project, xiaoyi_staff, tunliu, admin_user):
    """2025: 3亿 (a 2024 plan-year project) + 2.5亿 entered statistics; 2024's and 屯留's do not count."""

    def enter(project: Project, day: datetime.date, user=xiaoyi_staff) -> Project:
        return project_update(user=user, project=project, fields={"in_statistics": True, "in_statistics_on": day})

    start = datetime.date(2024, 1, 1)
    return {
        "counted": [
            enter(at_stage("三月入统", 30000, Stage.STARTED, start, plan_year=2024), datetime.date(2025, 3, 1)),
            enter(at_stage("年末入统", 25000, Stage.PRODUCING, start, plan_year=2025), datetime.date(2025, 12, 31)),
        ],
        "2024": enter(at_stage("去年入统", 40000, Stage.STARTED, start, plan_year=2025), datetime.date(2024, 12, 31)),
        "not": at_stage("未入统", 80000, Stage.STARTED, start, plan_year=2025),
        "tunliu": enter(
            make_project(
                "屯留入统",
                zone=tunliu,
                user=admin_user,
                stage=Stage.STARTED,
                stage_dates={"signed_on": start, "filed_on": start, "started_on": start},
                project_code="2025-140405-26-03-000001",
                total_investment=Decimal(90000),
            ),
            datetime.date(2025, 5, 5),
            user=admin_user,
        ),
    }


def test_in_statistics_investment_sums_the_year_of_entry(in_statistics, xiaoyi):
    totals = in_statistics_investment(Project.objects.filter(zone=xiaoyi), year=2025)
    assert (totals.count, totals.total_investment) == (2, Decimal(55000))
    assert in_statistics_investment(Project.objects.filter(zone=xiaoyi), year=2024).total_investment == Decimal(40000)


# ---------------------------------------------------------------------------------- the command


def stats_json(*argv) -> dict:
    out = io.StringIO()
    call_command("pipeline_stats", "--zone", "孝义", "--json", *argv, stdout=out)
    return json.loads(out.getvalue())


def test_command_json_carries_the_new_rates_and_the_gaps(built):
    result = stats_json()
    assert result["rates"]["completion"] == {"numerator": 4, "denominator": 6, "percent": 66.7}
    assert result["rates"]["yield"] == {"numerator": 2, "denominator": 4, "percent": 50.0}
    assert list(result["data_gaps"]) == [gap.label for gap in GAPS] and result["data_gaps"]["签约日期"] == 0
    assert "cohort" not in result and "cohort_sentence" not in result


def test_command_in_statistics_investment_of_the_year_whatever_the_plan_year(in_statistics, xiaoyi_staff):
    # --year 2025 narrows the rates to 2025's plan, but 当年入统投资 counts the 2024 plan-year project too.
    result = stats_json("--year", "2025")
    assert result["in_statistics_investment_wan"] == "55000.00" and result["in_statistics_year"] == 2025
    assert result["projects"] == 3
    # Without --year: this year's entries.
    assert stats_json()["in_statistics_investment_wan"] == "0.00"
    project_update(
        user=xiaoyi_staff,
        project=in_statistics["not"],
        fields={"in_statistics": True, "in_statistics_on": local_today()},
    )
    assert stats_json()["in_statistics_investment_wan"] == "80000.00"


def test_command_cohort_json_and_text(lingshi):
    result = stats_json("--signed-from", "2022-01-01", "--signed-to", "2025-12-31")
    assert result["cohort"] == {
        "signed": {"count": 23, "investment_wan": "983600.00"},
        "started": {"count": 21, "investment_wan": "971200.00"},
        "producing": {"count": 15, "investment_wan": "448400.00"},
    }
    assert result["cohort_undated"] == 2 and result["data_gaps"]["签约日期"] == 2
    assert result["cohort_sentence"] == LINGSHI + "另有2个项目签约日期待补录。"
    out = io.StringIO()
    call_command(
        "pipeline_stats", "--zone", "孝义", "--signed-from", "2022-01-01", "--signed-to", "2025-12-31", stdout=out
    )
    text = out.getvalue()
    assert LINGSHI + "另有2个项目签约日期待补录。" in text
    assert "开工竣工率：" in text and "投产达效率：" in text
    assert f"{local_today().year}年入统投资" in text and "待补录：签约日期 2" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--signed-from", "2022-01-01"], "--signed-from 和 --signed-to 须同时给出。"),
        (
            ["--signed-from", "2022-13-01", "--signed-to", "2025-12-31"],
            "--signed-from 的日期“2022-13-01”无效：应为 YYYY-MM-DD，如 2022-01-01。",
        ),
        (
            ["--signed-from", "2025-01-01", "--signed-to", "2022-12-31"],
            "签约期间起始日期（2025-01-01）不能晚于截止日期（2022-12-31）。",
        ),
    ],
)
def test_command_refuses_a_bad_period_in_one_chinese_line(xiaoyi, argv, message):
    with pytest.raises(CommandError) as caught:
        call_command("pipeline_stats", "--zone", "孝义", *argv, stdout=io.StringIO())
    assert str(caught.value) == message and caught.value.returncode == 1


# ---------------------------------------------------------------------------------- the pages


def listed(client: Client, url: str) -> set[int]:
    """The projects the list shows at ``url`` (all on one page)."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["count"] == len(response.context["rows"])
    return {row.pk for row in response.context["rows"]}


def assert_cohort_links(client: Client, card: dict, lingshi: dict) -> None:
    started = [*lingshi["producing"], *lingshi["started"]]
    assert listed(client, card["links"]["signed"]) == ids([*started, *lingshi["signed"]])
    assert listed(client, card["links"]["started"]) == ids(started)
    assert listed(client, card["links"]["producing"]) == ids(lingshi["producing"])
    assert listed(client, card["links"]["undated"]) == ids(lingshi["undated"])


PERIOD = {"signed_from": "2022-01-01", "signed_to": "2025-12-31"}


@pytest.mark.parametrize("who", ["xiaoyi_staff", "lvliang_office"])
def test_zone_page_shows_the_cohort_and_its_links_list_its_projects(request, who, lingshi, xiaoyi):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("zones:detail", args=[xiaoyi.pk]), {"year": 2025, **PERIOD})
    page = response.content.decode()
    assert LINGSHI + "另有2个项目签约日期待补录。" in page
    card = response.context["cohort_card"]
    for link in card["links"].values():
        assert link.replace("&", "&amp;") in page
    assert_cohort_links(client, card, lingshi)
    # The 转化指标 table lists the new rates with their definitions.
    assert 'data-rate="completion"' in page and "已竣工的项目 ÷ 已开工及以后的项目" in page


@pytest.mark.parametrize("who", ["xiaoyi_staff", "lvliang_office"])
def test_dashboard_shows_the_cohort_of_its_scope_whatever_the_plan_year(request, who, lingshi, xiaoyi):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("dashboard:index"), {"year": 2024, **PERIOD})
    assert LINGSHI + "另有2个项目签约日期待补录。" in response.content.decode()
    assert_cohort_links(client, response.context["cohort_card"], lingshi)


def test_dashboard_cohort_of_a_chosen_city_and_zone(lingshi, xiaoyi, admin_user):
    client = Client()
    client.force_login(admin_user)
    everything = client.get(reverse("dashboard:index"), PERIOD).context["cohort_card"]
    assert everything["figures"].signed.count == 24  # 屯留's signed project is in the province's figures
    for chosen in ({"city": "141100"}, {"zone": xiaoyi.pk}):
        card = client.get(reverse("dashboard:index"), {**chosen, **PERIOD}).context["cohort_card"]
        assert card["figures"].signed.count == 23, chosen
        assert_cohort_links(client, card, lingshi)


def test_a_period_the_wrong_way_round_is_said_and_the_default_counted(lingshi, xiaoyi, xiaoyi_staff):
    client = Client()
    client.force_login(xiaoyi_staff)
    response = client.get(
        reverse("zones:detail", args=[xiaoyi.pk]), {"signed_from": "2025-01-01", "signed_to": "2022-12-31"}
    )
    card = response.context["cohort_card"]
    assert (card["signed_from"], card["signed_to"]) == default_period(local_today())
    assert "签约起始日期（2025-01-01）不能晚于截止日期（2022-12-31）。已按默认期间统计。" in response.content.decode()


def test_the_period_picker_keeps_the_page_s_other_choices(lingshi, xiaoyi, xiaoyi_staff):
    client = Client()
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("dashboard:index"), {"year": 2024, "stalled_days": 30, **PERIOD}).content.decode()
    assert '<input type="hidden" name="year" value="2024">' in page
    assert '<input type="hidden" name="stalled_days" value="30">' in page
    assert '<input type="hidden" name="signed_from"' not in page


@pytest.mark.parametrize("who", ["xiaoyi_staff", "lvliang_office"])
def test_in_statistics_investment_on_both_pages_links_to_its_projects(request, who, in_statistics, xiaoyi):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    for url in (reverse("zones:detail", args=[xiaoyi.pk]), reverse("dashboard:index")):
        response = client.get(url, {"year": 2025})
        card = response.context["in_statistics_card"]
        assert (card["year"], card["count"], card["investment_yi"]) == (2025, 2, "5.50"), url
        page = response.content.decode()
        assert "2025 年入统投资（亿元）" in page and card["link"].replace("&", "&amp;") in page
        assert listed(client, card["link"]) == ids(in_statistics["counted"])
        assert "入统率" in page


def test_the_list_names_the_new_drill_down_filters(lingshi, xiaoyi, xiaoyi_staff):
    client = Client()
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("projects:list"), {"zone": xiaoyi.pk, "in_statistics_year": 2025, **PERIOD})
    drill = page.context["drill"]
    assert drill == ["签约日期不早于 2022-01-01", "签约日期不晚于 2025-12-31", "2025年入统"]


def test_another_zone_s_staff_sees_none_of_it(lingshi, xiaoyi, tunliu_staff):
    client = Client()
    client.force_login(tunliu_staff)
    assert client.get(reverse("zones:detail", args=[xiaoyi.pk]), PERIOD).status_code == 404
    card = client.get(reverse("dashboard:index"), PERIOD).context["cohort_card"]
    assert (card["figures"].signed.count, card["figures"].undated) == (1, 0)
    assert listed(client, card["links"]["signed"]) == {lingshi["tunliu"].pk}
