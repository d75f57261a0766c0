"""标准地 parcels: 出让率 on constructed parcels, promise checks (a gap, 达标, 待补录), idle land at
24 months, disposal steps, ``kaifaqu land stats``, scoping, and the pages a user reads."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from kaifaqu.audit.models import AuditEntry
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.land.models import Disposal, MuJunGrade, MuJunScheme, Parcel
from kaifaqu.land.parcel_selectors import add_months, idle_list, land_stats, supervision_list
from kaifaqu.land.parcels import assessment_save, check_promise, disposal_record, parcel_save
from kaifaqu.projects.models import local_today
from kaifaqu.zones.models import Zone

TODAY = local_today()
LAST_YEAR = TODAY.year - 1  # the latest complete year, the one a check is due for
S, IND, C = Parcel.Status, Parcel.Use.INDUSTRIAL, Parcel.Use.COMMERCIAL


@pytest.fixture
def make_parcel(xiaoyi, xiaoyi_staff):
    def make(code, *, status=S.SOLD, use=IND, standard=True, sold=datetime.date(2023, 5, 1), user=None, **fields):
        values = {
            "zone": xiaoyi,
            "code": code,
            "area_mu": D(100),
            "use": use,
            "is_standard": standard,
            "status": status,
        }
        if status not in (S.RESERVE, S.LISTED):
            values["sold_on"] = sold
        if status in (S.STARTED, S.PRODUCING, S.ACCEPTED):
            values["started_on"] = sold + datetime.timedelta(days=60)
        if status in (S.PRODUCING, S.ACCEPTED):
            values["producing_on"] = sold + datetime.timedelta(days=240)
        values.update(fields)
        return parcel_save(user=user or xiaoyi_staff, parcel=Parcel(), fields=values)

    return make


@pytest.fixture
def producing(make_parcel, make_project, xiaoyi_enterprise, admin_user):
    """A 标准地 in production: 100 亩, promised 投资强度 300, 容积率 1.2, 亩均税收 15, 单位能耗 0.5."""
    project = make_project(
        "新材料项目",
        enterprise=xiaoyi_enterprise,
        stage="producing",
        stage_dates={
            "signed_on": datetime.date(2023, 3, 1),
            "filed_on": datetime.date(2023, 4, 1),
            "started_on": datetime.date(2023, 7, 1),
            "producing_on": datetime.date(LAST_YEAR - 1, 6, 1),
        },
        project_code="2023-141181-26-03-000001",
        year_completed_investment=D(32000),
    )
    return make_parcel(
        "XY-2023-07",
        status=S.PRODUCING,
        enterprise=xiaoyi_enterprise,
        project=project,
        promised_invest_intensity=D(300),
        promised_plot_ratio=D("1.2"),
        promised_tax_per_mu=D(15),
        promised_energy_per_unit=D("0.5"),
    )


def test_the_standard_rate_counts_industrial_parcels_sold_in_the_period(make_parcel, xiaoyi):
    make_parcel("A1", sold=datetime.date(2022, 3, 1))
    make_parcel("A2", status=S.STARTED, sold=datetime.date(2023, 6, 1))
    make_parcel("A3", status=S.PRODUCING, sold=datetime.date(2025, 12, 31))
    make_parcel("A4", standard=False, sold=datetime.date(2024, 1, 1))  # industrial, not 标准地
    make_parcel("B1", use=C, standard=False, sold=datetime.date(2024, 1, 1))  # commercial: not counted
    make_parcel("A5", sold=datetime.date(2021, 12, 31))  # before the period
    make_parcel("A6", sold=datetime.date(2026, 1, 1))  # after it
    make_parcel("R1", status=S.RESERVE)  # not sold
    make_parcel("L1", status=S.LISTED, listed_on=datetime.date(2024, 5, 1))

    stats = land_stats([xiaoyi], datetime.date(2022, 1, 1), datetime.date(2025, 12, 31))

    assert (stats.parcels, stats.sold, stats.sold_standard) == (9, 4, 3)
    assert stats.standard_rate_pct == D("75.0")
    assert land_stats([xiaoyi], datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)).standard_rate_pct is None


def test_a_promise_below_on_one_figure_is_below_with_the_gap_in_words(producing, xiaoyi_enterprise, admin_user):
    # 亩均税收 1250 / 100 = 12.50 < 15; 容积率 80,000 m² / (100 × 666.67) = 1.20; 能耗 1,000 / 2,500 = 0.40
    figures_save(
        user=admin_user,
        enterprise=xiaoyi_enterprise,
        year=LAST_YEAR,
        fields={"tax": D(1250), "floor_area": D(80002), "energy_tce": D(1000), "value_added": D(2500)},
    )
    comparison = check_promise(admin_user, producing, LAST_YEAR)

    producing.refresh_from_db()
    assert producing.check_result == Parcel.Check.BELOW and producing.check_year == LAST_YEAR
    assert producing.get_check_result_display() == "未达标"
    assert producing.check_gaps == "亩均税收 12.50万元/亩，承诺 15.00，差 2.50"
    assert [item.label for item in comparison.items if item.met] == ["投资强度", "容积率", "单位能耗"]
    assert AuditEntry.objects.filter(object_key=f"land.parcel:{producing.pk}", note__contains="核验").exists()


def test_a_promise_met_on_every_figure_is_met(producing, xiaoyi_enterprise, admin_user):
    figures_save(
        user=admin_user,
        enterprise=xiaoyi_enterprise,
        year=LAST_YEAR,
        fields={"tax": D(1800), "floor_area": D(90000), "energy_tce": D(900), "value_added": D(2000)},
    )
    check_promise(admin_user, producing, LAST_YEAR)
    producing.refresh_from_db()
    assert (producing.check_result, producing.check_gaps) == (Parcel.Check.MET, "")
    assert land_stats(Zone.objects.all()).awaiting_check == 0


def test_figures_not_reported_are_named_and_never_met(producing, xiaoyi_enterprise, admin_user):
    # 税收 and 建筑面积 are fine, 能耗 not reported: the check cannot say 达标
    figures_save(
        user=admin_user, enterprise=xiaoyi_enterprise, year=LAST_YEAR, fields={"tax": D(2000), "floor_area": D(90000)}
    )
    check_promise(admin_user, producing, LAST_YEAR)
    producing.refresh_from_db()
    assert producing.check_result == Parcel.Check.NONE
    assert producing.check_gaps == "单位能耗 待补录（未填报能耗），承诺 0.50"
    stats = land_stats(Zone.objects.all())
    assert (stats.awaiting_check, stats.below_promise) == (1, 0)
    assert supervision_list(Parcel.objects.all())[0].detail == f"{LAST_YEAR}年核验：数据待补录"


def test_no_figures_at_all_leave_every_promised_item_to_fill(producing, admin_user):
    comparison = check_promise(admin_user, producing, LAST_YEAR)
    assert comparison.result == "" and len(comparison.missing) == 3  # 投资强度 from the project is known
    assert "受让企业未填报该年度经营数据" in comparison.gap_lines()[0]


def test_a_parcel_sold_24_months_ago_and_not_started_is_idle(make_parcel, xiaoyi_enterprise, admin_user, xiaoyi_staff):
    sold = datetime.date(2023, 3, 15)
    idle = make_parcel("IDLE", sold=sold, enterprise=xiaoyi_enterprise)
    make_parcel("BUSY", status=S.STARTED, sold=sold)
    parcels = Parcel.objects.all()
    due = add_months(sold, 24)
    assert due == datetime.date(2025, 3, 15)
    assert idle_list(parcels, xiaoyi_enterprise.zone.enterprises.none(), today=due - datetime.timedelta(days=1)) == []
    rows = idle_list(parcels, xiaoyi_enterprise.zone.enterprises.none(), today=due)
    assert [(row.kind, row.parcel.code) for row in rows] == [("闲置", "IDLE")]
    assert rows[0].reason == "2023-03-15出让，至2025-03-15满24个月仍未开工"

    step = disposal_record(
        user=xiaoyi_staff, parcel=idle, step=Disposal.Step.TALK, done_on=TODAY, note="约谈企业负责人，限期三个月开工"
    )
    assert step.zone_id == idle.zone_id and step.enterprise_id == xiaoyi_enterprise.pk
    rows = idle_list(parcels, xiaoyi_enterprise.zone.enterprises.none(), today=due)
    assert [item.get_step_display() for item in rows[0].disposals] == ["约谈"]
    assert AuditEntry.objects.filter(object_key=f"land.disposal:{step.pk}").exists()


def test_an_enterprise_graded_d_is_inefficient(make_parcel, xiaoyi, xiaoyi_enterprise, xiaoyi_staff):
    held = make_parcel("D-1", status=S.PRODUCING, enterprise=xiaoyi_enterprise)
    scheme = MuJunScheme.objects.create(name="孝义亩均评价", zone=xiaoyi, region=xiaoyi.region)
    MuJunGrade.objects.create(scheme=scheme, enterprise=xiaoyi_enterprise, year=LAST_YEAR - 1, grade="C")
    MuJunGrade.objects.create(scheme=scheme, enterprise=xiaoyi_enterprise, year=LAST_YEAR, grade="D")
    rows = idle_list(Parcel.objects.all(), xiaoyi.enterprises.all(), today=TODAY)
    assert [(row.kind, row.parcel, row.reason) for row in rows] == [
        ("低效", held, f"{LAST_YEAR}年亩均效益评价为D类（整治提升）")
    ]
    with pytest.raises(ValidationError) as refused:
        disposal_record(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, step="talk", done_on=None, note="")
    assert set(refused.value.message_dict) == {"done_on", "note"}


def test_the_rules_are_named_at_their_fields(make_parcel, xiaoyi, tunliu, admin_user, xiaoyi_staff):
    other = enterprise_create(
        user=admin_user,
        fields={"name": "屯留某企业", "zone": tunliu, "credit_code": make_credit_code("140405", "87654321")},
    )
    with pytest.raises(ValidationError) as refused:
        parcel_save(
            user=xiaoyi_staff,
            parcel=Parcel(),
            fields={
                "zone": xiaoyi,
                "code": "X",
                "area_mu": D(10),
                "is_standard": False,
                "status": S.STARTED,
                "started_on": datetime.date(2024, 1, 1),
                "enterprise": other,
                "promised_tax_per_mu": D(10),
            },
        )
    errors = refused.value.message_dict
    assert errors["sold_on"] == ["状态为“已开工”的地块须填写出让日期。"]
    assert "不是孝义经济技术开发区的企业" in errors["enterprise"][0]
    assert errors["promised_tax_per_mu"] == ["只有以“标准地”出让的地块才有承诺指标；非标准地请留空。"]
    with pytest.raises(ValidationError) as refused:
        make_parcel("Y", sold=datetime.date(2024, 5, 1), listed_on=datetime.date(2024, 6, 1))
    assert refused.value.message_dict["sold_on"] == ["出让日期（2024-05-01）不能早于挂牌日期（2024-06-01）。"]


def test_assessments_add_and_replace(make_parcel, xiaoyi_staff):
    parcel = make_parcel("E1")
    assessment_save(user=xiaoyi_staff, parcel=parcel, kind="geohazard", conclusion="危险性小")
    assessment_save(user=xiaoyi_staff, parcel=parcel, kind="geohazard", conclusion="危险性小，适宜建设")
    assert [(item.kind, item.conclusion) for item in parcel.assessments.all()] == [("geohazard", "危险性小，适宜建设")]


def test_the_command_prints_the_contract_as_json(make_parcel, xiaoyi):
    make_parcel("A1", sold=datetime.date(2022, 3, 1))
    make_parcel("A2", standard=False, sold=datetime.date(2024, 3, 1))
    out = io.StringIO()
    call_command("land", "stats", "--zone", "孝义", "--from", "2022-01-01", "--to", "2025-12-31", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "zone": xiaoyi.name,
        "parcels": "2",
        "sold": "2",
        "sold_standard": "1",
        "standard_rate_pct": "50.0",
        "awaiting_check": "0",
        "below_promise": "0",
    }
    out = io.StringIO()
    call_command("land", "stats", "--zone", "孝义", "--from", "2030-01-01", "--json", stdout=out)
    assert json.loads(out.getvalue())["standard_rate_pct"] is None
    out = io.StringIO()
    call_command("land", "stats", "--zone", "孝义", stdout=out)
    assert "标准地出让率：50.0%" in out.getvalue()


def test_another_zone_sees_nothing_and_cannot_write(producing, client, tunliu_staff, tunliu):
    client.force_login(tunliu_staff)
    assert client.get(reverse("land:parcel", args=[producing.pk])).status_code == 404
    page = client.get(reverse("land:parcels"))
    assert "XY-2023-07" not in page.content.decode() and page.context["stats"].parcels == 0
    assert "XY-2023-07" not in client.get(reverse("land:supervision")).content.decode()
    assert client.post(reverse("land:parcel_check", args=[producing.pk]), {"year": LAST_YEAR}).status_code == 404
    with pytest.raises(PermissionDenied):
        parcel_save(user=tunliu_staff, parcel=producing, fields={"note": "改"})
    with pytest.raises(PermissionDenied):
        check_promise(tunliu_staff, producing, LAST_YEAR)
    with pytest.raises(PermissionDenied):
        disposal_record(user=tunliu_staff, parcel=producing, step="talk", done_on=TODAY, note="约谈")
    with pytest.raises(PermissionDenied):
        parcel_save(user=tunliu_staff, parcel=Parcel(), fields={"zone": producing.zone, "code": "Z", "area_mu": D(1)})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(reverse("land:parcels_xlsx")).streaming_content)))
    assert workbook.active.max_row == 1  # the header only


def test_the_pages_show_the_figures(producing, make_parcel, client, xiaoyi_staff, xiaoyi_enterprise, admin_user):
    make_parcel("C-1", use=C, standard=False, sold=datetime.date(2024, 3, 1))
    figures_save(user=admin_user, enterprise=xiaoyi_enterprise, year=LAST_YEAR, fields={"tax": D(1250)})
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("land:parcels")).content.decode()
    for said in ("地块", "2宗", "标准地出让率", "100.0%", f"待核验（{LAST_YEAR}年）"):
        assert said in page
    response = client.post(reverse("land:parcel_check", args=[producing.pk]), {"year": LAST_YEAR}, follow=True)
    text = response.content.decode()
    assert "未达标" in text and "亩均税收 12.50万元/亩，承诺 15.00，差 2.50" in text
    assert "地质灾害危险性评估" in text and "未做" in text
    supervision = client.get(reverse("land:supervision")).content.decode()
    assert "XY-2023-07" in supervision and "未达标" in supervision

    created = client.post(
        reverse("land:parcel_create"),
        {"zone": producing.zone_id, "code": "NEW-1", "area_mu": "50", "use": IND, "status": S.SOLD},
    )
    assert created.status_code == 400 and "状态为“已出让”的地块须填写出让日期。" in created.content.decode()
    created = client.post(
        reverse("land:parcel_create"),
        {
            "zone": producing.zone_id,
            "code": "NEW-1",
            "area_mu": "50",
            "use": IND,
            "status": S.SOLD,
            "sold_on": "2025-04-01",
        },
    )
    assert created.status_code == 302 and Parcel.objects.filter(code="NEW-1").exists()

    download = client.get(reverse("land:parcels_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "地块编号" and {row[2] for row in rows[1:]} == {"XY-2023-07", "C-1", "NEW-1"}
    found = next(row for row in rows if row[2] == "XY-2023-07")
    assert found[23] == "未达标" and found[25].startswith("亩均税收 12.50万元/亩，承诺 15.00，差 2.50；容积率 待补录")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(reverse("land:supervision_xlsx")).streaming_content)))
    assert [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["XY-2023-07"]


def test_a_promise_below_the_control_is_refused_and_a_control_without_promise_is_checked(
    make_parcel, xiaoyi_enterprise, admin_user
):
    with pytest.raises(ValidationError) as refused:
        make_parcel("P1", tax_per_mu=D(15), promised_tax_per_mu=D(12))
    assert "承诺亩均税收（万元/亩）（12.00）不能低于控制指标（15.00）" in str(refused.value)
    parcel = make_parcel(
        "P2", status=S.PRODUCING, enterprise=xiaoyi_enterprise, tax_per_mu=D(15), energy_per_unit=D("0.5")
    )
    figures_save(
        user=admin_user,
        enterprise=xiaoyi_enterprise,
        year=LAST_YEAR,
        fields={"tax": D(1200), "energy_tce": D(400), "value_added": D(1000)},
    )
    check_promise(admin_user, parcel, LAST_YEAR)
    parcel.refresh_from_db()
    assert parcel.check_result == Parcel.Check.BELOW
    assert "亩均税收 12.00万元/亩，控制指标 15.00，差 3.00" in parcel.check_gaps
    assert "单位能耗" not in parcel.check_gaps  # 0.40 ≤ 0.5: met


def test_the_parcel_page_keeps_its_history_with_its_assessments_and_steps(make_parcel, xiaoyi_staff, client):
    parcel = make_parcel("H1", sold=TODAY - datetime.timedelta(days=800))
    assessment_save(user=xiaoyi_staff, parcel=parcel, kind="seismic", conclusion="按Ⅶ度设防")
    disposal_record(user=xiaoyi_staff, parcel=parcel, step="talk", done_on=TODAY, note="约谈企业负责人")
    client.force_login(xiaoyi_staff)
    history = client.get(reverse("land:parcel", args=[parcel.pk])).content.decode()
    history = history[history.index('data-testid="audit-history"') :]
    assert "地震安全性评价" in history and "约谈" in history and "H1" in history
