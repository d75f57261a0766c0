"""Outliers (异常波动) in a month's figures: a draft keeps them, submitting needs a note, the check
compares like with like and says which comparison fired; the reviewer's page reads the month."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaifaqu.conftest import PASSWORD, make_user
from kaifaqu.indicators import services
from kaifaqu.indicators.models import Indicator, IndicatorReport
from kaifaqu.indicators.reporting import stored_warnings
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region

LIMIT = "，请核实；确认无误请在“说明”中写明原因后再报送"


@pytest.fixture
def zone_statistician(xiaoyi):
    return make_user("xiaoyi-stats", Unit.objects.get(zone=xiaoyi), roles.STATISTICIAN)


@pytest.fixture
def city_statistician(xiaoyi):
    return make_user("lvliang-stats", unit_for_region(region=Region.objects.get(code="141100")), roles.STATISTICIAN)


def pk_of(name: str) -> int:
    return Indicator.objects.get(name=name).pk


def month_figures(month: int, **changes) -> dict[int, dict]:
    """Every evaluated indicator at 35 a month against last year's 30 (+16.7%), with ``changes``."""
    figures = {
        indicator.pk: {"value": Decimal(35 * month), "last_year": Decimal(30 * month), "growth_pct": None, "note": ""}
        for indicator in Indicator.objects.filter(in_evaluation=True)
    }
    for name, given in changes.items():
        figures.setdefault(pk_of(name), {"value": None, "last_year": None, "growth_pct": None, "note": ""})
        figures[pk_of(name)].update(given)
    return figures


def report(user, zone, month: int, submit: bool = True, **changes) -> IndicatorReport:
    return services.report_fill(
        user=user, owner=zone, year=2026, month=month, figures=month_figures(month, **changes), submit=submit
    )


def cumulative(amounts: list[str]) -> list[Decimal]:
    totals, total = [], Decimal(0)
    for amount in amounts:
        total += Decimal(amount)
        totals.append(total)
    return totals


def test_a_draft_keeps_an_unexplained_outlier_and_submitting_names_it(client, zone_statistician, xiaoyi):
    tax = pk_of("税收收入")
    client.login(username="xiaoyi-stats", password=PASSWORD)
    post = {"zone": xiaoyi.pk, "period": "2026-03", "action": "save"}
    for pk, given in month_figures(3, 税收收入={"value": Decimal("300"), "last_year": Decimal("100")}).items():
        post |= {f"value_{pk}": given["value"], f"last_year_{pk}": given["last_year"]}
    page = client.post("/indicators/fill/", post, follow=True)
    assert page.status_code == 200
    draft = IndicatorReport.objects.get(zone=xiaoyi, year=2026, month=3)
    assert draft.status == IndicatorReport.Status.DRAFT
    assert draft.values.get(indicator_id=tax).value == Decimal("300")
    text = page.content.decode()
    assert "税收收入数据异常，报送前请在“说明”中写明原因" in text
    assert "1-3月累计较上年同期增长200.0%，超过±50%" in text  # shown beside the figure

    refused = client.post("/indicators/fill/", post | {"action": "submit"})
    assert refused.status_code == 400
    assert f"税收收入：1-3月累计较上年同期增长200.0%，超过±50%{LIMIT}" in refused.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (IndicatorReport.Status.DRAFT, 1)  # nothing changed

    noted = client.post("/indicators/fill/", post | {"action": "submit", f"note_{tax}": "土地增值税一次性入库"})
    assert noted.status_code == 302
    draft.refresh_from_db()
    assert draft.status == IndicatorReport.Status.SUBMITTED


def test_submitting_an_unchanged_draft_still_asks_for_the_note(zone_statistician, xiaoyi):
    """The draft saved the outlier without a note: sending the same figures is no explanation."""
    outlier = {"value": Decimal("300"), "last_year": Decimal("100")}
    report(zone_statistician, xiaoyi, 3, submit=False, 税收收入=outlier)
    with pytest.raises(ValidationError) as refused:
        report(zone_statistician, xiaoyi, 3, 税收收入=outlier)
    assert refused.value.message_dict == {
        f"note_{pk_of('税收收入')}": [f"税收收入：1-3月累计较上年同期增长200.0%，超过±50%{LIMIT}"]
    }


# Last year's 工业投资 month by month, uneven as a year is (a big order in February, a quiet March);
# this year every month is 6% more.
LAST_YEAR = ["10", "18", "2", "20", "9"]
THIS_YEAR = [str(Decimal(amount) * Decimal("1.06")) for amount in LAST_YEAR]


def test_an_ordinary_cumulative_series_raises_no_outlier(zone_statistician, xiaoyi):
    """Month on month this series moves +80%, −89%, +900%: the year-on-year change is 6% throughout."""
    for month, (value, last_year) in enumerate(zip(cumulative(THIS_YEAR), cumulative(LAST_YEAR), strict=True), start=1):
        saved = report(zone_statistician, xiaoyi, month, 工业投资={"value": value, "last_year": last_year})
        assert saved.status == IndicatorReport.Status.SUBMITTED  # no note was asked for
        assert stored_warnings(saved) == {}  # and the reviewer is shown none


def test_last_years_reports_on_record_give_the_same_month_last_year(zone_statistician, xiaoyi):
    """No 上年同期 typed: last year's cumulative figures on record are the comparison."""
    investment = Indicator.objects.get(name="工业投资")
    for month, value in enumerate(cumulative(LAST_YEAR), start=1):
        old = IndicatorReport.objects.create(
            zone=xiaoyi, region=xiaoyi.region, year=2025, month=month, status=IndicatorReport.Status.APPROVED
        )
        old.values.create(indicator=investment, value=value)
    for month, value in enumerate(cumulative(THIS_YEAR), start=1):
        saved = report(zone_statistician, xiaoyi, month, 工业投资={"value": value, "last_year": None})
        assert stored_warnings(saved) == {}


def test_a_real_outlier_names_its_comparison(zone_statistician, xiaoyi):
    """March alone is 30 against last March's 10 (+200%), though 1-3月 is only +15.2%."""
    series = zip(cumulative(["106", "106", "30"]), cumulative(["100", "100", "10"]), strict=True)
    for month, (value, last_year) in enumerate(series, start=1):
        figures = {"工业投资": {"value": value, "last_year": last_year}}
        if month < 3:
            report(zone_statistician, xiaoyi, month, **figures)
            continue
        with pytest.raises(ValidationError) as refused:
            report(zone_statistician, xiaoyi, month, **figures)
    assert refused.value.message_dict[f"note_{pk_of('工业投资')}"] == [
        f"工业投资：本月（由累计值推算）较上年同月增长200.0%，超过±50%{LIMIT}"
    ]


def test_a_point_in_time_figure_is_compared_with_last_month(zone_statistician, xiaoyi):
    report(zone_statistician, xiaoyi, 1, submit=False, 四上企业数={"value": Decimal(40)})
    with pytest.raises(ValidationError) as refused:
        report(zone_statistician, xiaoyi, 2, 四上企业数={"value": Decimal(12)})
    assert refused.value.message_dict[f"note_{pk_of('四上企业数')}"] == [
        f"四上企业数：较上月下降70.0%，超过±50%{LIMIT}"
    ]


def test_the_reviewer_reads_the_month_and_approves_or_returns(client, zone_statistician, city_statistician, xiaoyi):
    investment = Indicator.objects.get(name="工业投资")
    old = IndicatorReport.objects.create(
        zone=xiaoyi, region=xiaoyi.region, year=2025, month=3, status=IndicatorReport.Status.APPROVED
    )
    old.values.create(indicator=investment, value=Decimal("100"))
    submitted = report(
        zone_statistician,
        xiaoyi,
        3,
        税收收入={"value": Decimal("300"), "last_year": Decimal("100"), "note": "土地增值税一次性入库"},
        工业投资={"value": Decimal("105"), "last_year": None},
    )
    client.login(username="lvliang-stats", password=PASSWORD)
    listing = client.get("/indicators/submissions/", {"city": "141100", "period": "2026-03"}).content.decode()
    url = f"/indicators/reports/{submitted.pk}/review/"
    assert f'href="{url}">审核</a>' in listing

    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    row = text[text.index('data-indicator="税收收入"') :].split("</tr>")[0]
    for shown in ("300.00", "100.00", "200.0%", "1-3月累计较上年同期增长200.0%，超过±50%", "土地增值税一次性入库"):
        assert shown in row
    row = text[text.index('data-indicator="工业投资"') :].split("</tr>")[0]
    for shown in ("105.00", "100.00", "5.0%"):  # last year from last year's report on record
        assert shown in row
    assert "通过</button>" in text and "退回</button>" in text
    assert "保存草稿" not in text and "报送</button>" not in text and 'name="value_' not in text

    refused = client.post(url, {"action": "return", "comment": " "})
    assert refused.status_code == 400
    assert "请填写退回原因" in refused.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == IndicatorReport.Status.SUBMITTED
    assert client.post(url, {"action": "approve"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == IndicatorReport.Status.APPROVED


def test_the_filler_reads_the_review_page_without_the_buttons(client, zone_statistician, xiaoyi):
    submitted = report(zone_statistician, xiaoyi, 3)
    client.login(username="xiaoyi-stats", password=PASSWORD)
    url = f"/indicators/reports/{submitted.pk}/review/"
    text = client.get(url).content.decode()
    assert "通过</button>" not in text and "退回</button>" not in text
    client.post(url, {"action": "approve"})
    submitted.refresh_from_db()
    assert submitted.status == IndicatorReport.Status.SUBMITTED
