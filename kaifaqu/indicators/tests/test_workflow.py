"""A zone reports its month, the city reviews it: checks, notes on outliers, locking, revisions,
deadlines and 催报, and the matrix counting only approved figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaifaqu.conftest import PASSWORD, make_user
from kaifaqu.core.rights import can
from kaifaqu.indicators import services
from kaifaqu.indicators.models import AnnualTarget, Indicator, IndicatorReport, ReportReminder
from kaifaqu.indicators.reporting import due_on, reporting_status
from kaifaqu.indicators.selectors import city_summary, of_record
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit, Zone
from kaifaqu.zones.services import unit_for_region

APPROVED = IndicatorReport.Status.APPROVED


@pytest.fixture
def lvliang(db):
    return Region.objects.get(code="141100")


@pytest.fixture
def zone_statistician(xiaoyi):
    return make_user("xiaoyi-stats", Unit.objects.get(zone=xiaoyi), roles.STATISTICIAN)


@pytest.fixture
def city_statistician(xiaoyi, lvliang):
    return make_user("lvliang-stats", unit_for_region(region=lvliang), roles.STATISTICIAN)


def by_name(name: str) -> Indicator:
    return Indicator.objects.get(name=name)


def full_month(month: int = 3, **changes) -> dict[int, dict]:
    """Every indicator that counts in evaluation reported, 35 a month against last year's 30 (+16.7%)."""
    figures = {
        indicator.pk: {"value": Decimal(35 * month), "last_year": Decimal(30 * month), "growth_pct": None, "note": ""}
        for indicator in Indicator.objects.filter(in_evaluation=True)
    }
    for name, given in changes.items():
        figures.setdefault(by_name(name).pk, {"value": None, "last_year": None, "growth_pct": None, "note": ""})
        figures[by_name(name).pk].update(given)
    return figures


def fill(user, zone, month=3, submit=True, **changes):
    return services.report_fill(
        user=user, owner=zone, year=2026, month=month, figures=full_month(month, **changes), submit=submit
    )


def test_a_zone_never_reviews_its_own_figures(zone_statistician, city_statistician, xiaoyi, lvliang):
    assert can(zone_statistician, "indicator.fill", xiaoyi)
    assert not can(zone_statistician, "indicator.review", xiaoyi)  # the role says review; a zone unit drops it
    assert can(city_statistician, "indicator.review", xiaoyi)
    assert can(city_statistician, "indicator.fill", lvliang) and not can(zone_statistician, "indicator.fill", lvliang)


def test_submitting_needs_every_evaluated_figure_and_possible_values(zone_statistician, xiaoyi):
    added = by_name("规上工业增加值")
    figures = full_month()
    figures[added.pk]["value"] = None
    figures[by_name("工业投资").pk]["value"] = Decimal("-1")
    with pytest.raises(ValidationError) as refused:
        services.report_fill(user=zone_statistician, owner=xiaoyi, year=2026, month=3, figures=figures, submit=True)
    errors = refused.value.message_dict
    assert errors[f"value_{added.pk}"] == ["必须填写（计入考核的指标）"]
    assert errors[f"value_{by_name('工业投资').pk}"] == ["不能为负数"]
    assert not IndicatorReport.objects.exists()  # nothing written
    # A draft may be incomplete.
    draft = services.report_fill(
        user=zone_statistician,
        owner=xiaoyi,
        year=2026,
        month=3,
        figures={added.pk: {"value": Decimal(10)}},
        submit=False,
    )
    assert draft.status == IndicatorReport.Status.DRAFT


def test_cumulative_below_last_month_is_refused(zone_statistician, city_statistician, xiaoyi):
    fill(zone_statistician, xiaoyi, month=2, 规上工业增加值={"value": Decimal("50")})
    with pytest.raises(ValidationError) as refused:
        fill(zone_statistician, xiaoyi, month=3, 规上工业增加值={"value": Decimal("40")})
    key = f"value_{by_name('规上工业增加值').pk}"
    assert refused.value.message_dict[key] == ["1-3月累计 40.00 小于1-2月累计 50.00，累计数不应减少"]


def test_an_outlier_is_kept_only_with_a_note(zone_statistician, xiaoyi):
    tax = by_name("税收收入")
    with pytest.raises(ValidationError) as refused:
        fill(zone_statistician, xiaoyi, 税收收入={"value": Decimal("300"), "last_year": Decimal("100")})
    assert refused.value.message_dict[f"note_{tax.pk}"] == [
        "税收收入：1-3月累计较上年同期增长200.0%，超过±50%，请核实；确认无误请在“说明”中写明原因后再报送"
    ]
    report = fill(
        zone_statistician, xiaoyi, 税收收入={"value": Decimal("300"), "last_year": Decimal("100"), "note": "一次性入库"}
    )
    assert report.values.get(indicator=tax).note == "一次性入库"


def test_review_approves_locks_and_returns(zone_statistician, city_statistician, xiaoyi):
    report = fill(zone_statistician, xiaoyi)
    assert report.status == IndicatorReport.Status.SUBMITTED
    with pytest.raises(PermissionDenied):  # submitted: waiting for the city
        fill(zone_statistician, xiaoyi)
    with pytest.raises(PermissionDenied):
        services.report_approve(user=zone_statistician, report=report)
    services.report_approve(user=city_statistician, report=report)
    report.refresh_from_db()
    assert report.locked
    with pytest.raises(PermissionDenied, match="已审核，已锁定"):
        fill(zone_statistician, xiaoyi)
    with pytest.raises(ValidationError, match="退回原因"):
        services.report_return(user=city_statistician, report=report, comment="  ")
    services.report_return(user=city_statistician, report=report, comment="税收收入与税务口径不一致")
    report.refresh_from_db()
    assert (report.status, report.comment) == (IndicatorReport.Status.RETURNED, "税收收入与税务口径不一致")
    again = fill(zone_statistician, xiaoyi, 税收收入={"value": Decimal("104")})
    assert again.version == 2
    history = [(r.version, r.status, r.note) for r in again.revisions.order_by("at", "pk")]
    assert history == [
        (1, "submitted", "报送"),
        (1, "approved", "审核通过"),
        (1, "returned", "退回：税收收入与税务口径不一致"),
        (2, "submitted", "报送"),
    ]
    assert again.revisions.first().figures["税收收入"]["value"] == "105.0000"  # the first version is kept


def test_deadline_overdue_and_reminders(zone_statistician, city_statistician, xiaoyi, tunliu, lvliang, settings):
    settings.KAIFAQU_INDICATOR_DUE_DAY = 8
    assert due_on(lvliang, 2026, 3) == datetime.date(2026, 4, 8)
    with pytest.raises(PermissionDenied):
        services.deadline_set(user=zone_statistician, region=lvliang, year=2026, month=3, day=datetime.date(2026, 4, 5))
    services.deadline_set(user=city_statistician, region=lvliang, year=2026, month=3, day=datetime.date(2026, 4, 5))
    assert due_on(lvliang, 2026, 3) == datetime.date(2026, 4, 5)
    fill(zone_statistician, xiaoyi, submit=False)  # a draft is still late
    rows = reporting_status(
        lvliang,
        year=2026,
        month=3,
        zones=Zone.objects.all(),
        reports=IndicatorReport.objects.all(),
        today=datetime.date(2026, 4, 6),
    )
    assert [(row.zone.display_name, row.status_label, row.overdue) for row in rows] == [("孝义经开区", "草稿", True)]
    sent = services.reminders_send(
        user=city_statistician, city=lvliang, year=2026, month=3, today=datetime.date(2026, 4, 6)
    )
    assert [reminder.zone for reminder in sent] == [xiaoyi]  # 屯留 is in 长治, not this city
    with pytest.raises(PermissionDenied):
        services.reminders_send(
            user=zone_statistician, city=lvliang, year=2026, month=3, today=datetime.date(2026, 4, 6)
        )
    again = services.reminders_send(
        user=city_statistician, city=lvliang, year=2026, month=3, today=datetime.date(2026, 4, 6)
    )
    assert again == [] and ReportReminder.objects.count() == 1  # once a day
    assert ReportReminder.objects.get().sender_name == "吕梁市开发区建设工作领导组办公室"
    with pytest.raises(ValidationError, match="截止日期应在2026年4月1日至2026年5月31日之间"):
        services.deadline_set(
            user=city_statistician, region=lvliang, year=2026, month=3, day=datetime.date(2026, 3, 20)
        )


def test_targets_are_set_by_the_city(zone_statistician, city_statistician, xiaoyi):
    added = by_name("规上工业增加值")
    with pytest.raises(PermissionDenied):
        services.targets_save(user=zone_statistician, year=2026, values={(xiaoyi.pk, added.pk): Decimal(100)})
    assert services.targets_save(user=city_statistician, year=2026, values={(xiaoyi.pk, added.pk): Decimal(100)}) == 1
    assert services.targets_save(user=city_statistician, year=2026, values={(xiaoyi.pk, added.pk): None}) == 1
    assert not AnnualTarget.objects.exists()


def test_pages_reporter_fills_city_approves_matrix_counts_it(client, zone_statistician, city_statistician, xiaoyi):
    added = by_name("规上工业增加值")
    client.login(username="xiaoyi-stats", password=PASSWORD)
    post = {"zone": xiaoyi.pk, "period": "2026-03", "action": "submit"}
    post |= {f"value_{pk}": given["value"] for pk, given in full_month().items()}
    post |= {f"last_year_{pk}": given["last_year"] for pk, given in full_month().items()}
    post[f"value_{added.pk}"], post[f"last_year_{added.pk}"] = "400", "100"  # +300%: refused without a note
    page = client.post("/indicators/fill/", post)
    assert page.status_code == 400
    assert "规上工业增加值：1-3月累计较上年同期增长300.0%，超过±50%" in page.content.decode()
    post[f"note_{added.pk}"] = "新投产项目集中释放产能"
    assert client.post("/indicators/fill/", post).status_code == 302
    client.logout()

    client.login(username="lvliang-stats", password=PASSWORD)
    matrix = client.get("/indicators/", {"city": "141100", "period": "2026-03"}).content.decode()
    assert "还没有已审核的月报" in matrix  # submitted is not yet counted
    report = IndicatorReport.objects.get(zone=xiaoyi)
    assert client.post(f"/indicators/reports/{report.pk}/review/", {"action": "approve"}).status_code == 302
    matrix = client.get("/indicators/", {"city": "141100", "period": "2026-03"}).content.decode()
    assert 'data-cell="规上工业增加值">400.00<' in matrix


def test_zone_users_cannot_edit_the_catalogue(client, zone_statistician, city_statistician):
    client.login(username="xiaoyi-stats", password=PASSWORD)
    assert client.get("/indicators/catalogue/new/").status_code == 403
    client.logout()
    client.login(username="lvliang-stats", password=PASSWORD)
    page = client.post(
        "/indicators/catalogue/new/",
        {"name": "技术合同成交额", "unit": "亿元", "kind": "amount", "cumulative": "on", "decimals": 2, "order": 200},
    )
    assert page.status_code == 302
    assert Indicator.objects.get(name="技术合同成交额").unit == "亿元"


def test_last_years_report_is_the_base_when_no_growth_is_given(xiaoyi, lvliang):
    """Past years loaded from their tables give this year's bare figures a growth."""
    added = by_name("规上工业增加值")
    for year, value in ((2025, "40.00"), (2026, "45.00")):
        report = IndicatorReport.objects.create(zone=xiaoyi, region=xiaoyi.region, year=year, month=3, status=APPROVED)
        report.values.create(indicator=added, value=Decimal(value))
    summary = city_summary(
        lvliang, year=2026, month=3, zones=Zone.objects.all(), reports=of_record(IndicatorReport.objects.all())
    )
    assert summary.by_zone[xiaoyi.pk][added.pk].growth_pct == Decimal("12.5")
    # A draft of last year is not a figure of record: no base.
    IndicatorReport.objects.filter(year=2025).update(status=IndicatorReport.Status.DRAFT)
    summary = city_summary(
        lvliang, year=2026, month=3, zones=Zone.objects.all(), reports=of_record(IndicatorReport.objects.all())
    )
    assert summary.by_zone[xiaoyi.pk][added.pk].growth_pct is None


def test_rankings_page_in_the_city_and_the_province(client, admin_user, xiaoyi, tunliu):
    added = by_name("规上工业增加值")
    for zone, value, last in ((xiaoyi, "33", "30"), (tunliu, "42", "40")):
        report = IndicatorReport.objects.create(zone=zone, region=zone.region, year=2026, month=3, status=APPROVED)
        report.values.create(indicator=added, value=Decimal(value), last_year=Decimal(last))
    client.force_login(admin_user)
    query = {"city": "141100", "period": "2026-03", "indicator": added.pk}
    city = client.get("/indicators/rankings/", query).content.decode()
    assert "孝义经开区" in city and "屯留经开区" not in city
    province = client.get("/indicators/rankings/", query | {"scope": "province"}).content.decode()
    # 孝义 +10.0% ranks first in the province, 屯留 +5.0% second; each is first in its city.
    rows = [line for line in province.splitlines() if "经开区</a>" in line]
    assert ["孝义经开区" in rows[0], "屯留经开区" in rows[1]] == [True, True]
    assert "<td>1</td><td>1</td>" in rows[0] and "<td>2</td><td>1</td>" in rows[1]
    assert 'data-testid="city-rolls"' in province


def test_a_month_not_yet_come_cannot_be_filled(zone_statistician, xiaoyi):
    today = datetime.date.today()
    later = (today.year + 1, 1)
    with pytest.raises(ValidationError, match=f"{later[0]}年1月还没有到"):
        services.report_fill(user=zone_statistician, owner=xiaoyi, year=later[0], month=1, figures={}, submit=False)


def test_an_outlier_already_noted_is_not_asked_again(zone_statistician, city_statistician, xiaoyi):
    tax = {"value": Decimal("300"), "last_year": Decimal("100"), "note": "一次性入库"}
    report = fill(zone_statistician, xiaoyi, 税收收入=tax)
    services.report_return(user=city_statistician, report=report, comment="工业投资口径有误")
    # Back to fix another figure: the approved outlier keeps its note, and the reason is answered.
    again = fill(zone_statistician, xiaoyi, 税收收入=tax | {"note": ""}, 工业投资={"value": Decimal("106")})
    assert again.status == IndicatorReport.Status.SUBMITTED and again.comment == ""


def test_the_unit_of_an_indicator_with_figures_cannot_change(client, zone_statistician, city_statistician, xiaoyi):
    fill(zone_statistician, xiaoyi)
    investment = by_name("工业投资")
    client.login(username="lvliang-stats", password=PASSWORD)
    page = client.post(
        f"/indicators/catalogue/{investment.pk}/",
        {"name": "工业投资", "unit": "万元", "kind": "amount", "cumulative": "on", "decimals": 1, "order": 30},
    )
    assert page.status_code == 400
    assert "改单位会让这些数据被误读" in page.content.decode()
    assert Indicator.objects.get(pk=investment.pk).unit == "亿元"


def test_reading_back_the_export_skips_locked_rows_that_did_not_change(
    client, zone_statistician, city_statistician, xiaoyi, tmp_path
):
    services.report_approve(user=city_statistician, report=fill(zone_statistician, xiaoyi))
    client.login(username="xiaoyi-stats", password=PASSWORD)
    exported = client.get("/indicators/export/", {"city": "141100", "period": "2026-03"})
    path = tmp_path / "export.xlsx"
    path.write_bytes(exported.content)
    outcome = services.indicators_import(
        path, extension=".xlsx", city=None, period=None, user=zone_statistician, commit=False
    )
    assert (outcome.errors, outcome.skipped) == ([], 2)  # 孝义 unchanged and locked; the 合计 row
    wrong_month = services.indicators_import(
        path, extension=".xlsx", city=None, period=(2026, 4), user=zone_statistician, commit=False
    )
    assert wrong_month.errors == ["工作表“2026年1-3月”标题: 标题注明的是2026年1-3月，与指定的月份2026年4月不一致"]


def test_read_only_users_are_not_offered_the_import(client, lvliang_office):
    client.force_login(lvliang_office)
    assert "导入</a>" not in client.get("/indicators/", {"city": "141100"}).content.decode()
    assert client.get("/indicators/import/").status_code == 403
