"""The 亩均 and 标准地 card on the zone page and the dashboard: 亩均 per park from the enterprises'
parcels (the sums divided), the grade distribution, 出让率; an enterprise's login has none."""

import datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.land.models import Parcel
from kaifaqu.land.parcels import parcel_save
from kaifaqu.land.services import default_scheme, grade_year
from kaifaqu.projects.models import local_today
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.django_db
LAST = local_today().year - 1


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def zone_land(admin_user, xiaoyi, xiaoyi_park, xiaoyi_enterprise):
    other = enterprise_create(
        user=admin_user,
        fields={"name": "金达机械", "zone": xiaoyi, "credit_code": make_credit_code("141181", "00000001")},
    )
    # 梧桐新材料园: 鹏飞 300 亩 / 3000 万元 税收 → 10 万元/亩; 金达 (no parcel): 100 亩 / 500 → 5.
    # Graded against 8.75 and 87.5: 鹏飞 40 × 10/8.75 + 25 × 100/87.5 = 74.29, 金达 37.14; neither
    # reported 能耗 or 研发, so both are scaled by 100/65: 114.29 (B) and 57.14 (C).
    figures_save(
        user=admin_user,
        enterprise=xiaoyi_enterprise,
        year=LAST,
        fields={"land_mu": D(300), "tax": D(3000), "revenue": D(30000)},
    )
    figures_save(
        user=admin_user, enterprise=other, year=LAST, fields={"land_mu": D(100), "tax": D(500), "revenue": D(5000)}
    )
    for code, standard in (("孝义工-01", True), ("孝义工-02", False)):
        parcel_save(
            user=admin_user,
            parcel=Parcel(),
            fields={
                "zone": xiaoyi,
                "park": xiaoyi_park,
                "code": code,
                "area_mu": D(300),
                "is_standard": standard,
                "status": "sold",
                "sold_on": datetime.date(LAST, 3, 1),
                "enterprise": xiaoyi_enterprise,
            },
        )
    grade_year(user=admin_user, scheme=default_scheme(user=admin_user, zone=xiaoyi), year=LAST)


def test_the_zone_page_shows_per_mu_by_park_the_grades_and_the_rate(xiaoyi, xiaoyi_staff, zone_land):
    card = signed_in(xiaoyi_staff).get(reverse("zones:detail", args=[xiaoyi.pk])).content.decode()
    card = card[card.index('data-testid="land-card"') :]
    assert f"亩均效益与标准地（{LAST}年经营数据）" in card
    assert "标准地出让率</span> <strong>50.0%</strong>" in card  # one of two industrial parcels sold as 标准地
    park_row = card[card.index("梧桐新材料园") : card.index("未关联园区")]
    assert "10.00" in park_row
    assert "5.00" in card[card.index("未关联园区") :]
    assert "8.75" in card  # the whole: 3500 ÷ 400
    grades = card[card.index(f"{LAST}年亩均评价") : card.index('data-testid="land-levels"')]
    assert "A类 <strong>0</strong> 户" in grades and "B类 <strong>1</strong> 户" in grades
    assert "C类 <strong>1</strong> 户" in grades and "D类 <strong>0</strong> 户" in grades


def test_an_enterprise_login_has_no_card(xiaoyi, xiaoyi_enterprise, zone_land):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    portal = make_user("pengfei-user", unit, roles.ENTERPRISE_USER)
    page = signed_in(portal).get(reverse("zones:detail", args=[xiaoyi.pk])).content.decode()
    assert 'data-testid="land-card"' not in page
    dashboard = signed_in(portal).get(reverse("dashboard:index")).content.decode()
    assert 'data-testid="land-card"' not in dashboard
