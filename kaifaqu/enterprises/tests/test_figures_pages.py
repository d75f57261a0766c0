"""The 经营数据 pages (issue 22): the enterprise's own form and its page, the 经营状态 form, the zone
list with what is 待补录 and its workbook, and the 升规潜力 list — each seen by the people who use it."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save, status_set
from kaifaqu.enterprises.models import Enterprise, EnterpriseFigures
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.django_db

PENGFEI = "山西鹏飞集团有限公司"
ALL_NINE = {
    "output_value": Decimal("61000"),
    "revenue": Decimal("52000"),
    "value_added": Decimal("12000"),
    "tax": Decimal("3100"),
    "employees": 1800,
    "energy_tce": Decimal("250000"),
    "rd_spend": Decimal("1600"),
    "land_mu": Decimal("420"),
    "floor_area": Decimal("86000"),
}


def last_year() -> int:
    return timezone.localdate().year - 1


@pytest.fixture
def portal(xiaoyi_enterprise):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    return make_user("pengfei-user", unit, roles.ENTERPRISE_USER)


@pytest.fixture
def xiaoyi_leader(xiaoyi):
    return make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)


def signed_in(client, user):
    client.force_login(user)
    return client


def small(admin_user, zone, name: str, number: int) -> Enterprise:
    return enterprise_create(
        user=admin_user, fields={"name": name, "zone": zone, "credit_code": make_credit_code("141181", f"{number:08d}")}
    )


def page(response) -> str:
    return response.content.decode()


def workbook_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return list(sheet.iter_rows())


def test_an_enterprise_user_reports_its_year_on_the_form_and_sees_it_on_its_page(client, portal, xiaoyi_enterprise):
    year = last_year()
    figures_save(user=portal, enterprise=xiaoyi_enterprise, year=year - 1, fields={"revenue": Decimal("41000")})
    signed_in(client, portal)
    detail = client.get(reverse("enterprises:detail", args=[xiaoyi_enterprise.pk]))
    assert "填报经营数据" in page(detail) and "登记经营状态" in page(detail)
    form = client.get(reverse("enterprises:figures_edit", args=[xiaoyi_enterprise.pk]))
    text = page(form)
    assert f"{year}年" in text and "营业收入" in text and "吨标准煤" in text and 'inputmode="decimal"' in text
    assert f"{year - 1}年：41,000.00" in text  # last year's value beside the field

    url = reverse("enterprises:figures_edit", args=[xiaoyi_enterprise.pk]) + f"?year={year}"
    saved = client.post(url, {"year": year, "revenue": "52000", "tax": "3100", "employees": "1800"}, follow=True)
    assert saved.redirect_chain[-1][0] == reverse("enterprises:detail", args=[xiaoyi_enterprise.pk])
    text = page(saved)
    assert f"已保存{PENGFEI}{year}年经营数据，6 项待补录。" in text
    assert "52,000.00" in text and "3,100.00" in text and "6项待补录" in text
    record = EnterpriseFigures.objects.get(enterprise=xiaoyi_enterprise, year=year, month__isnull=True)
    assert record.revenue == Decimal("52000") and record.employees == 1800 and record.energy_tce is None
    assert record.source == EnterpriseFigures.Source.ENTERPRISE
    # The portal user does not get the zone-wide pages' buttons on the enterprise list.
    assert "升规潜力" not in page(client.get(reverse("enterprises:list")))


def test_a_negative_figure_is_shown_at_its_field_and_nothing_is_saved(client, portal, xiaoyi_enterprise):
    url = reverse("enterprises:figures_edit", args=[xiaoyi_enterprise.pk]) + f"?year={last_year()}"
    response = signed_in(client, portal).post(url, {"revenue": "52000", "tax": "-5"})
    assert response.status_code == 200
    assert 'data-testid="error-tax">税收（万元）不能为负数。' in page(response)
    assert not EnterpriseFigures.objects.exists()
    empty = client.post(url, {"revenue": "", "tax": ""})
    assert "请至少填写一项经营数据" in page(empty) and not EnterpriseFigures.objects.exists()
    typo = client.post(url, {"revenue": "五万"})
    assert 'data-testid="error-revenue">营业收入请填数字' in page(typo) and not EnterpriseFigures.objects.exists()


def test_a_figure_ten_times_last_years_is_asked_before_it_is_saved(client, portal, xiaoyi_enterprise):
    year = last_year()
    figures_save(user=portal, enterprise=xiaoyi_enterprise, year=year - 1, fields={"revenue": Decimal("41000")})
    url = reverse("enterprises:figures_edit", args=[xiaoyi_enterprise.pk]) + f"?year={year}"
    # 元 typed for 万元: 100 times last year
    asked = signed_in(client, portal).post(url, {"revenue": "4,100,000", "employees": "1800"})
    assert "营业收入 4,100,000.00 万元，是上年（41,000.00）的 100.00 倍，请核对单位和数位。" in page(asked)
    assert not EnterpriseFigures.objects.filter(year=year).exists()
    confirmed = client.post(url, {"revenue": "4,100,000", "employees": "1800", "confirmed": "1"}, follow=True)
    assert "已保存" in page(confirmed)
    assert EnterpriseFigures.objects.get(year=year).revenue == Decimal("4100000")
    history = page(confirmed)[page(confirmed).index('data-testid="audit-history"') :]
    assert "企业经营数据" in history and "营业收入" in history  # the change is on the enterprise's 修改记录


def test_an_operating_state_needs_its_reason_and_shows_in_the_history(client, xiaoyi_staff, xiaoyi_enterprise):
    url = reverse("enterprises:status_set", args=[xiaoyi_enterprise.pk])
    refused = signed_in(client, xiaoyi_staff).post(url, {"status": "stopped", "since": "2026-02-01"})
    assert "“停产”须写明原因。" in page(refused)
    done = client.post(url, {"status": "stopped", "since": "2026-02-01", "reason": "环保限产"}, follow=True)
    text = page(done)
    assert "已登记山西鹏飞集团有限公司经营状态：停产（2026-02-01起）。" in text
    assert "环保限产" in text and 'data-testid="status-history"' in text


def test_a_leader_sees_the_enterprise_but_is_refused_its_forms(client, xiaoyi_leader, xiaoyi_enterprise):
    signed_in(client, xiaoyi_leader)
    detail = client.get(reverse("enterprises:detail", args=[xiaoyi_enterprise.pk]))
    form_url = reverse("enterprises:figures_edit", args=[xiaoyi_enterprise.pk])
    assert detail.status_code == 200 and "尚未填报经营数据" in page(detail) and form_url not in page(detail)
    refusal = f"您不能填报“{PENGFEI}”的经营数据"
    for name in ("enterprises:figures_edit", "enterprises:status_set"):
        response = client.post(reverse(name, args=[xiaoyi_enterprise.pk]), {"revenue": "1", "status": "normal"})
        assert response.status_code == 403 and refusal in page(response)
    assert not EnterpriseFigures.objects.exists()


def test_the_zone_list_counts_what_is_pending_and_exports_the_same_cells(
    client, xiaoyi_staff, xiaoyi_enterprise, admin_user, xiaoyi
):
    year = last_year()
    partial = small(admin_user, xiaoyi, "孝义市金达机械有限公司", 22)
    small(admin_user, xiaoyi, "孝义市新建材料有限公司", 23)  # nothing reported
    figures_save(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, year=year, fields=ALL_NINE)
    figures_save(user=xiaoyi_staff, enterprise=partial, year=year, fields={"revenue": Decimal("900")})
    signed_in(client, xiaoyi_staff)
    listed = page(client.get(reverse("enterprises:figures"), {"year": year}))
    assert "已填报 1户" in listed and "待补录 1户" in listed and "未填报 1户" in listed
    assert '<span class="badge text-bg-warning">8项</span>' in listed  # 金达: only 营业收入 given

    partial_page = page(client.get(reverse("enterprises:figures"), {"year": year}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial_page and "待补录 1户" in partial_page  # the filter bar swaps the results only
    pending = page(client.get(reverse("enterprises:figures"), {"year": year, "pending": "true"}))
    assert "孝义市金达机械有限公司" in pending and "孝义市新建材料有限公司" in pending and PENGFEI not in pending

    rows = workbook_rows(client.get(reverse("enterprises:figures_xlsx"), {"year": year}))
    header = next(row for row in rows if any(cell.value == "企业名称" for cell in row))
    at = {cell.value: index for index, cell in enumerate(header)}
    assert "营业收入（万元）" in at and "能耗（吨标准煤）" in at and "用工（人）" in at
    lines = {
        row[at["企业名称"]].value: row
        for row in rows
        if row[at["企业名称"]].value in (PENGFEI, "孝义市金达机械有限公司")
    }
    assert lines[PENGFEI][at["营业收入（万元）"]].value == 52000 and lines[PENGFEI][at["用工（人）"]].value == 1800
    assert lines[PENGFEI][at["待补录项数"]].value == 0
    jinda = lines["孝义市金达机械有限公司"]
    assert jinda[at["营业收入（万元）"]].value == 900 and jinda[at["待补录项数"]].value == 8
    assert jinda[at["税收（万元）"]].value is None and jinda[at["税收（万元）"]].fill.fgColor.rgb.endswith("FFF2CC")
    assert len([row for row in rows if row[at["企业名称"]].value and "孝义" in str(row[at["企业名称"]].value)]) == 2


def test_the_state_counts_link_to_the_enterprises_not_resumed(
    client, xiaoyi_staff, xiaoyi_enterprise, admin_user, xiaoyi
):
    idle = small(admin_user, xiaoyi, "孝义市兴旺焦化有限公司", 31)
    day = timezone.localdate()
    status_set(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, status="normal", since=day)
    status_set(user=xiaoyi_staff, enterprise=idle, status="not_resumed", since=day, reason="环保限产")
    signed_in(client, xiaoyi_staff)
    listed = page(client.get(reverse("enterprises:figures")))
    assert "正常生产 1户" in listed and "未复工复产 1户" in listed
    link = next(part for part in listed.split('href="') if "status=not_resumed" in part.split('"')[0])
    href = link.split('"')[0].replace("&amp;", "&")
    narrowed = page(client.get(reverse("enterprises:figures") + href))
    assert "孝义市兴旺焦化有限公司" in narrowed and f">{PENGFEI}<" not in narrowed


def test_the_upgrade_list_shows_an_enterprise_near_the_threshold_with_its_growth(
    client, xiaoyi_staff, xiaoyi_enterprise, admin_user, xiaoyi
):
    year = last_year()
    near = small(admin_user, xiaoyi, "孝义市恒信精密有限公司", 41)
    far = small(admin_user, xiaoyi, "孝义市小园食品有限公司", 43)
    for enterprise, this, before in ((near, "1800", "1500"), (far, "1000", "900")):
        figures_save(user=xiaoyi_staff, enterprise=enterprise, year=year, fields={"revenue": Decimal(this)})
        figures_save(user=xiaoyi_staff, enterprise=enterprise, year=year - 1, fields={"revenue": Decimal(before)})
    Enterprise.objects.filter(pk=xiaoyi_enterprise.pk).update(above_scale_year=year, converted_year=year - 2)
    Enterprise.objects.filter(pk=near.pk).update(liaison=xiaoyi_staff)
    signed_in(client, xiaoyi_staff)
    text = page(client.get(reverse("enterprises:upgrade"), {"year": year}))
    assert "孝义市恒信精密有限公司" in text and "+20.0%" in text and "200.00" in text and "xiaoyi-staff" in text
    assert "孝义市小园食品有限公司" not in text
    assert "小升规" in text and "孝义经济技术开发区" in text

    book = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("enterprises:upgrade_xlsx"), {"year": year}).streaming_content))
    )
    values = [[cell for cell in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    line = next(row for row in values if "孝义市恒信精密有限公司" in row)
    assert 1800 in line and 1500 in line and 200 in line and 20 in line
    assert not any("孝义市小园食品有限公司" in row for row in values)
    achieved = [row for row in book.worksheets[1].iter_rows(values_only=True) if row and row[0] == "孝义经济技术开发区"]
    assert achieved and list(achieved[0][-2:]) == [1, 0]  # this year: 1 小升规, 0 个转企
    assert achieved[0][-6:-4] == (0, 1)  # two years before: 1 个转企


def test_another_zones_user_sees_none_of_it(client, tunliu_staff, xiaoyi_staff, xiaoyi_enterprise, admin_user, xiaoyi):
    year = last_year()
    near = small(admin_user, xiaoyi, "孝义市恒信精密有限公司", 41)
    figures_save(user=xiaoyi_staff, enterprise=near, year=year, fields={"revenue": Decimal("1800")})
    figures_save(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, year=year, fields=ALL_NINE)
    signed_in(client, tunliu_staff)
    for name in ("enterprises:detail", "enterprises:figures_edit", "enterprises:status_set"):
        assert client.get(reverse(name, args=[xiaoyi_enterprise.pk])).status_code == 404
    assert client.post(reverse("enterprises:figures_edit", args=[near.pk]), {"revenue": "1"}).status_code == 404
    listed = page(client.get(reverse("enterprises:figures"), {"year": year}))
    assert PENGFEI not in listed and "已填报 0户" in listed
    assert "孝义市恒信精密有限公司" not in page(client.get(reverse("enterprises:upgrade"), {"year": year}))
    rows = workbook_rows(client.get(reverse("enterprises:figures_xlsx"), {"year": year}))
    assert not any(cell.value == PENGFEI for row in rows for cell in row)
    assert EnterpriseFigures.objects.get(enterprise=near).revenue == Decimal("1800")
