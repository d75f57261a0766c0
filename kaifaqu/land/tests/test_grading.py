"""亩均效益评价 kept: a zone grades a year from its enterprises' own figures, the not graded kept
with the reason, a year graded again replaces only itself, the moves against the year before, and
``kaifaqu mujun grade --json`` as the contract reads."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save, status_set
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.land.models import MuJunGrade, MuJunScheme
from kaifaqu.land.selectors import distribution, grades_of, history, moved_down, with_moves
from kaifaqu.land.services import default_scheme, grade_year, scheme_save

pytestmark = pytest.mark.django_db
D = Decimal

# name: (用地, 税收, 营业收入, 增加值, 能耗, 研发). Zone sums of the four graded: 用地 400, 税收 4000
# (10 万元/亩), 营收 40000 (100), 增加值 8000 / 能耗 4000 (2 万元/吨), 研发 800 / 营收 40000 (2%).
FIGURES = {
    "甲": ("100", "2000", "10000", "2000", "1000", "200"),  # 税 20/亩 → 2×40; 营 100 → 25; 2 → 20; 2% → 15: 140 A
    "乙": ("100", "1000", "10000", "2000", "1000", "200"),  # 10 → 40 + 25 + 20 + 15 = 100 B
    "丙": ("100", "500", "10000", "2000", "1000", "200"),  # 5 → 20 + 60 = 80 B (at the line)
    "丁": ("100", "500", "10000", "2000", "1000", "200"),  # the same: ties with 丙, 3rd place twice
    "小": ("2", "50", "300", None, None, None),  # 2 亩 < 3: not graded, said why
}


def enterprise(admin_user, zone, name: str, number: int):
    return enterprise_create(
        user=admin_user,
        fields={"name": f"{name}公司", "zone": zone, "credit_code": make_credit_code("141181", f"{number:08d}")},
    )


@pytest.fixture
def ledger(admin_user, xiaoyi):
    made = {}
    for number, (name, row) in enumerate(FIGURES.items(), start=1):
        made[name] = enterprise(admin_user, xiaoyi, name, number)
        land, tax, revenue, value_added, energy, rd = (None if value is None else D(value) for value in row)
        fields = {"land_mu": land, "tax": tax, "revenue": revenue, "value_added": value_added}
        fields |= {"energy_tce": energy, "rd_spend": rd}
        figures_save(user=admin_user, enterprise=made[name], year=2025, fields=fields)
    made["未报"] = enterprise(admin_user, xiaoyi, "未报", 20)
    made["注销"] = enterprise(admin_user, xiaoyi, "注销", 21)
    figures_save(user=admin_user, enterprise=made["注销"], year=2025, fields={"land_mu": D(50), "tax": D(1)})
    status_set(
        user=admin_user,
        enterprise=made["注销"],
        status="deregistered",
        since=datetime.date(2025, 8, 1),
        reason="整体搬迁",
    )
    return made


def test_a_zone_grades_its_year_and_keeps_the_not_graded_with_the_reason(admin_user, xiaoyi, ledger):
    scheme = default_scheme(user=admin_user, zone=xiaoyi)
    assert (scheme.weight_tax, scheme.band_a, scheme.min_land_mu) == (D(40), D(120), D(3))  # 浙江's method
    grade_year(user=admin_user, scheme=scheme, year=2025)
    rows = {row.enterprise.name[0]: row for row in grades_of(scheme, 2025)}
    assert (rows["甲"].score, rows["甲"].grade, rows["甲"].rank) == (D("140.00"), "A", 1)
    assert (rows["乙"].score, rows["乙"].grade, rows["乙"].rank) == (D("100.00"), "B", 2)
    assert (rows["丙"].score, rows["丙"].grade, rows["丙"].rank) == (D("80.00"), "B", 3)
    assert (rows["丁"].rank, rows["丁"].grade) == (3, "B")  # tied with 丙
    assert rows["甲"].tax_per_mu == D("20.00") and rows["甲"].levels["tax_per_mu"] == "10.00"
    assert "不足3亩" in rows["小"].excluded_reason and not rows["小"].grade
    assert rows["未"].excluded_reason == "未填报2025年经营数据（待补录）"
    assert rows["注"].excluded_reason == "2025年底前已注销，不参评"
    assert distribution(rows.values()) == {"A": 1, "B": 3, "C": 0, "D": 0, "不参评": 3}


def test_grading_again_replaces_the_year_and_the_moves_are_read_against_the_year_before(admin_user, xiaoyi, ledger):
    scheme = default_scheme(user=admin_user, zone=xiaoyi)
    grade_year(user=admin_user, scheme=scheme, year=2025)
    for name, tax in (("甲", "2000"), ("乙", "3000"), ("丙", "500"), ("丁", "500")):
        figures_save(
            user=admin_user,
            enterprise=ledger[name],
            year=2024,
            fields={"land_mu": D(100), "tax": D(tax), "revenue": D(10000)},
        )
    grade_year(user=admin_user, scheme=scheme, year=2024)
    grade_year(user=admin_user, scheme=scheme, year=2025)  # again: the year's rows replaced, 2024 kept
    assert MuJunGrade.objects.filter(scheme=scheme, year=2025).count() == 7
    moves = with_moves(scheme, 2025, grades_of(scheme, 2025))
    down = {move.grade.enterprise.name[0]: move.word for move in moved_down(moves)}
    # 2024 (tax and revenue only; weights 40/25 over a level of 15 and 100, scaled by 100/65 for the two
    # not reported): 乙 3000 → (80+25) → 161.54 A, 甲 2000 → (53.33+25) → 120.51 A, 丙/丁 500 → 58.97 C;
    # 2025: 甲 A, 乙 B, 丙 B, 丁 B.
    assert down == {"乙": "↓A→B"}
    words = {move.grade.enterprise.name[0]: move.word for move in moves}
    assert (words["甲"], words["丙"], words["小"]) == ("持平", "↑C→B", "")
    assert [row.year for row in history(ledger["甲"], user=admin_user)] == [2025, 2024]


def test_only_the_schemes_keepers_grade_and_bands_must_fall(admin_user, xiaoyi, tunliu_staff, ledger):
    scheme = default_scheme(user=admin_user, zone=xiaoyi)
    with pytest.raises(PermissionDenied):
        grade_year(user=tunliu_staff, scheme=scheme, year=2025)
    with pytest.raises(ValidationError) as refused:
        scheme_save(user=admin_user, scheme=scheme, fields={"band_b": D(130)})
    assert "从高到低" in str(refused.value)
    assert MuJunScheme.objects.get(pk=scheme.pk).band_b == D(80)
    assert not MuJunGrade.objects.visible_to(tunliu_staff).exists()


def test_the_command_prints_the_contract(ledger, xiaoyi):
    out = io.StringIO()
    call_command("mujun", "grade", "--zone", "孝义", "--year", "2025", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["zone"] == xiaoyi.name and result["year"] == 2025
    assert result["grades"] == {"A": 1, "B": 3, "C": 0, "D": 0} and result["excluded"] == 3
    first = result["enterprises"][0]
    assert first["name"] == "甲公司" and first["grade"] == "A" and first["score"] == "140.00"
    assert (first["tax_per_mu_wan"], first["revenue_per_mu_wan"]) == ("20.00", "100.00")
    assert (first["energy_productivity"], first["rd_intensity_pct"]) == ("2.00", "2.00")
    assert first["credit_code"] == ledger["甲"].credit_code
    text = io.StringIO()
    call_command("mujun", "grade", "--zone", "孝义", "--year", "2025", stdout=text)
    assert "A类（优先发展）1户" in text.getvalue() and "不参评：小公司" in text.getvalue()


def test_figures_corrected_after_grading_are_said_on_the_page(admin_user, xiaoyi, xiaoyi_staff, ledger):
    from django.test import Client
    from django.urls import reverse

    from kaifaqu.land.selectors import changed_since_graded

    scheme = default_scheme(user=admin_user, zone=xiaoyi)
    grade_year(user=admin_user, scheme=scheme, year=2025)
    assert changed_since_graded(scheme, 2025, grades_of(scheme, 2025)) == 0
    figures_save(user=admin_user, enterprise=ledger["未报"], year=2025, fields={"land_mu": D(10), "tax": D(100)})
    client = Client()
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("land:mujun_scheme", args=[scheme.pk]), {"year": 2025}).content.decode()
    assert "有 1 户企业的2025年经营数据有新填报或更正" in page and "请重新评价" in page
