"""The target catalogue pages: 招商产业目录, 目标企业库 (list, export, form, detail, → lead) and 招商方式.

Each page is scoped: 屯留's staff never see 孝义's targets, and asking for one answers 404."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaifaqu.conftest import make_user
from kaifaqu.investment import services
from kaifaqu.investment.models import Activity, InvestmentMode, Lead, Target, TargetIndustry
from kaifaqu.projects.models import Project, local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.services import unit_for_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(xiaoyi, tunliu, xiaoyi_staff, tunliu_staff):
    """孝义: 氢能装备 with two targets; 屯留: one target whose name must never reach 孝义's pages."""
    hydrogen = services.target_industry_save(
        user=xiaoyi_staff, industry=TargetIndustry(zone=xiaoyi), fields={"name": "氢能装备", "focus": "燃料电池"}
    )
    services.target_industry_save(user=xiaoyi_staff, industry=TargetIndustry(zone=xiaoyi), fields={"name": "新材料"})
    fengyuan = services.target_save(
        user=xiaoyi_staff,
        target=Target(),
        fields={"zone": xiaoyi, "name": "深圳氢枫能源有限公司", "industry": hydrogen, "hq_region": "广东省深圳市"},
    )
    services.target_save(
        user=xiaoyi_staff,
        target=Target(),
        fields={"zone": xiaoyi, "name": "北京亿华通科技股份有限公司", "industry": hydrogen, "size": "listed"},
    )
    secret = services.target_save(
        user=tunliu_staff, target=Target(), fields={"zone": tunliu, "name": "屯留保密目标企业"}
    )
    return {"hydrogen": hydrogen, "fengyuan": fengyuan, "secret": secret}


def _client(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- scoping


def test_zone_staff_see_only_their_targets(client, catalogue, tunliu_staff):
    page = _client(client, tunliu_staff).get(reverse("investment:targets"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "屯留保密目标企业" in text
    assert "深圳氢枫能源有限公司" not in text
    assert 'data-industry="氢能装备"' not in client.get(reverse("investment:industries")).content.decode()


def test_another_zones_target_is_not_found(client, catalogue, tunliu_staff):
    _client(client, tunliu_staff)
    pk = catalogue["fengyuan"].pk
    for name in ("target", "target_edit", "target_lead"):
        assert client.get(reverse(f"investment:{name}", args=[pk])).status_code == 404
    assert client.post(reverse("investment:target_delete", args=[pk])).status_code == 404
    assert client.get(reverse("investment:industry_edit", args=[catalogue["hydrogen"].pk])).status_code == 404
    assert Target.objects.filter(pk=pk).exists()


def test_city_office_sees_its_zones_grouped_and_is_asked_to_pick_one(client, catalogue, lvliang_office, xiaoyi):
    """吕梁 sees 孝义 only (屯留 is in 长治); with one zone in sight, it is chosen."""
    text = _client(client, lvliang_office).get(reverse("investment:industries")).content.decode()
    assert "氢能装备" in text
    assert "屯留" not in text


def test_province_office_with_several_zones_is_asked_to_pick_one(client, catalogue, xiaoyi):
    office = make_user("shanxi-admin", unit_for_region(region=Region.objects.get(code="140000")), roles.ADMIN)
    text = _client(client, office).get(reverse("investment:industries")).content.decode()
    assert 'data-testid="pick-zone"' in text
    assert "孝义经开区" in text and "氢能装备" in text
    chosen = client.get(reverse("investment:industries") + f"?zone={xiaoyi.pk}").content.decode()
    assert 'data-testid="industry-form"' in chosen


# ---------------------------------------------------------------- 招商产业目录


def test_industry_add_edit_and_delete(client, catalogue, xiaoyi_staff):
    _client(client, xiaoyi_staff)
    page = client.post(reverse("investment:industries"), {"name": "铝基新材料", "focus": "铝材深加工", "order": 5})
    assert page.status_code == 302
    added = TargetIndustry.objects.get(name="铝基新材料")
    listed = client.get(reverse("investment:industries")).content.decode()
    assert "铝基新材料" in listed and "铝材深加工" in listed

    edited = client.post(reverse("investment:industry_edit", args=[added.pk]), {"name": "铝基新材料", "order": 1})
    assert edited.status_code == 302
    added.refresh_from_db()
    assert added.order == 1 and added.focus == ""

    hydrogen = catalogue["hydrogen"]
    assert client.get(reverse("investment:industry_delete", args=[hydrogen.pk])).status_code == 405
    assert client.post(reverse("investment:industry_delete", args=[hydrogen.pk])).status_code == 302
    assert not TargetIndustry.objects.filter(pk=hydrogen.pk).exists()
    catalogue["fengyuan"].refresh_from_db()
    assert catalogue["fengyuan"].industry is None  # the target stays, unclassified


def test_industry_counts_targets_and_leads(client, catalogue, xiaoyi_staff, xiaoyi):
    services.lead_create(
        user=xiaoyi_staff, zone=xiaoyi, name="氢枫项目", total_investment=Decimal("1000"), target=catalogue["fengyuan"]
    )
    page = _client(client, xiaoyi_staff).get(reverse("investment:industries"))
    row = next(row for row in page.context["rows"] if row["industry"].name == "氢能装备")
    assert (row["targets"], row["leads"]) == (2, 1)


def test_duplicate_industry_is_refused_under_its_field(client, catalogue, xiaoyi_staff):
    page = _client(client, xiaoyi_staff).post(reverse("investment:industries"), {"name": "氢能装备", "order": 1})
    assert page.status_code == 400
    assert "招商产业：孝义经济技术开发区的招商产业目录中已有“氢能装备”。" in page.context["form"].errors["name"]
    assert TargetIndustry.objects.filter(name="氢能装备").count() == 1


def test_reader_sees_no_industry_buttons(client, catalogue, lvliang_office):
    text = _client(client, lvliang_office).get(reverse("investment:industries")).content.decode()
    assert "编辑</a>" not in text and 'data-testid="industry-form"' not in text
    assert client.post(reverse("investment:industry_delete", args=[catalogue["hydrogen"].pk])).status_code == 403


# ---------------------------------------------------------------- 目标企业库: the list and its export


def test_list_filters_sorts_and_counts_by_status(client, catalogue, xiaoyi_staff, xiaoyi):
    for name in ("氢枫项目", "氢枫二期项目"):  # two leads and two talks: a target is still counted once
        services.lead_create(
            user=xiaoyi_staff, zone=xiaoyi, name=name, total_investment=Decimal("1000"), target=catalogue["fengyuan"]
        )
        services.activity_save(
            user=xiaoyi_staff,
            activity=Activity(zone=xiaoyi),
            fields={"kind": "talk", "depth": "first", "title": f"{name}洽谈", "start_on": local_today()},
            targets=[catalogue["fengyuan"]],
        )
    _client(client, xiaoyi_staff)
    page = client.get(reverse("investment:targets"))
    chips = {chip["label"]: chip["count"] for chip in page.context["chips"]}
    assert chips["洽谈中"] == 1 and chips["未接触"] == 1
    negotiating = client.get(reverse("investment:targets") + "?status=negotiating").content.decode()
    assert "深圳氢枫能源有限公司" in negotiating and "北京亿华通" not in negotiating
    searched = client.get(reverse("investment:targets") + "?q=亿华通")
    assert [row.name for row in searched.context["rows"]] == ["北京亿华通科技股份有限公司"]
    ordered = client.get(reverse("investment:targets") + "?o=name")
    names = ["北京亿华通科技股份有限公司", "深圳氢枫能源有限公司"]
    assert [row.name for row in ordered.context["rows"]] == sorted(names)
    partial = client.get(reverse("investment:targets") + "?o=-leads", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and partial.context["rows"][0].name == "深圳氢枫能源有限公司"


def test_signed_lead_shows_the_target_as_landed(client, catalogue, xiaoyi_staff, xiaoyi):
    project = services.lead_create(
        user=xiaoyi_staff, zone=xiaoyi, name="氢枫项目", total_investment=Decimal("1000"), target=catalogue["fengyuan"]
    )
    Project.objects.filter(pk=project.pk).update(stage="signed", signed_on=local_today())
    page = _client(client, xiaoyi_staff).get(reverse("investment:targets") + "?status=landed")
    assert [row.name for row in page.context["rows"]] == ["深圳氢枫能源有限公司"]
    assert "已落地" in client.get(reverse("investment:target", args=[catalogue["fengyuan"].pk])).content.decode()


def test_export_holds_the_filtered_rows(client, catalogue, xiaoyi_staff):
    response = _client(client, xiaoyi_staff).get(reverse("investment:target_export") + "?q=氢枫")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    header = next(index for index, row in enumerate(rows) if "企业名称" in row)  # after the ledger's title row
    column = rows[header].index("企业名称")
    assert [row[column] for row in rows[header + 1 :]] == ["深圳氢枫能源有限公司", "共1个"]  # and the 合计 line


def test_export_never_holds_another_zones_targets(client, catalogue, tunliu_staff):
    response = _client(client, tunliu_staff).get(reverse("investment:target_export"))
    sheet = load_workbook(BytesIO(response.getvalue())).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "屯留保密目标企业" in values and "深圳氢枫能源有限公司" not in values


# ---------------------------------------------------------------- the form


def test_create_target(client, catalogue, xiaoyi_staff, xiaoyi):
    _client(client, xiaoyi_staff)
    form = client.get(reverse("investment:target_create"))
    assert form.status_code == 200
    assert [choice[1] for choice in form.context["form"].fields["industry"].choices][1:] == ["氢能装备", "新材料"]
    response = client.post(
        reverse("investment:target_create"),
        {"zone": xiaoyi.pk, "name": "国富氢能", "industry": catalogue["hydrogen"].pk, "status": "untouched"},
    )
    target = Target.objects.get(name="国富氢能")
    assert response.status_code == 302 and response.url == reverse("investment:target", args=[target.pk])
    assert target.created_by == xiaoyi_staff and target.industry == catalogue["hydrogen"]


def test_form_errors_name_the_field_in_chinese(client, catalogue, xiaoyi_staff, xiaoyi):
    _client(client, xiaoyi_staff)
    posted = {"zone": xiaoyi.pk, "name": "", "credit_code": "123", "status": "untouched"}
    page = client.post(reverse("investment:target_create"), posted)
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert "企业名称" in errors["name"][0]
    assert any("统一社会信用代码" in message or "信用代码" in message for message in errors["credit_code"])
    assert not Target.objects.filter(credit_code="123").exists()


def test_duplicate_target_name_is_refused(client, catalogue, xiaoyi_staff, xiaoyi):
    page = _client(client, xiaoyi_staff).post(
        reverse("investment:target_create"), {"zone": xiaoyi.pk, "name": "深圳氢枫能源有限公司", "status": "untouched"}
    )
    assert page.status_code == 400
    message = "企业名称：孝义经济技术开发区的目标企业库中已有“深圳氢枫能源有限公司”。"
    assert page.context["form"].errors["name"] == [message]
    assert Target.objects.filter(name="深圳氢枫能源有限公司").count() == 1


def test_another_zones_industry_is_refused(client, catalogue, xiaoyi_staff, tunliu, tunliu_staff, xiaoyi):
    theirs = services.target_industry_save(
        user=tunliu_staff, industry=TargetIndustry(zone=tunliu), fields={"name": "屯留产业"}
    )
    page = _client(client, xiaoyi_staff).post(
        reverse("investment:target_create"),
        {"zone": xiaoyi.pk, "name": "新企业", "industry": theirs.pk, "status": "untouched"},
    )
    assert page.status_code == 400 and "industry" in page.context["form"].errors
    assert not Target.objects.filter(name="新企业").exists()


def test_edit_target(client, catalogue, xiaoyi_staff, xiaoyi):
    target = catalogue["fengyuan"]
    _client(client, xiaoyi_staff)
    response = client.post(
        reverse("investment:target_edit", args=[target.pk]),
        {"zone": xiaoyi.pk, "name": target.name, "owner": "李科长", "status": "contacted", "size": "large"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.owner, target.status, target.size, target.industry) == ("李科长", "contacted", "large", None)


def test_target_with_leads_cannot_be_deleted(client, catalogue, xiaoyi_staff, xiaoyi):
    target = catalogue["fengyuan"]
    services.lead_create(user=xiaoyi_staff, zone=xiaoyi, name="氢枫项目", total_investment=Decimal("1"), target=target)
    _client(client, xiaoyi_staff)
    response = client.post(reverse("investment:target_delete", args=[target.pk]), follow=True)
    assert "已形成招商项目，不能删除" in response.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    other = Target.objects.get(name="北京亿华通科技股份有限公司")
    assert client.post(reverse("investment:target_delete", args=[other.pk])).status_code == 302
    assert not Target.objects.filter(pk=other.pk).exists()


# ---------------------------------------------------------------- detail and 转为招商线索


def test_target_to_lead(client, catalogue, xiaoyi_staff):
    target = catalogue["fengyuan"]
    mode = InvestmentMode.objects.get(name="产业链招商")
    _client(client, xiaoyi_staff)
    detail = client.get(reverse("investment:target", args=[target.pk])).content.decode()
    assert "转为招商线索" in detail
    form = client.get(reverse("investment:target_lead", args=[target.pk]))
    assert form.context["form"].initial["name"] == "深圳氢枫能源有限公司项目"
    assert form.context["form"].initial["contact_on"] == local_today()
    response = client.post(
        reverse("investment:target_lead", args=[target.pk]),
        {
            "name": "氢枫燃料电池项目",
            "total_investment": "50000",
            "contact_on": local_today().isoformat(),
            "mode": mode.pk,
        },
    )
    project = Project.objects.get(name="氢枫燃料电池项目")
    assert response.status_code == 302 and response.url == reverse("investment:lead", args=[project.pk])
    assert project.stage == "contact" and project.zone == target.zone
    lead = Lead.objects.get(project=project)
    assert (lead.target, lead.mode) == (target, mode)
    target.refresh_from_db()
    assert target.status == Target.Status.NEGOTIATING
    assert "氢枫燃料电池项目" in client.get(reverse("investment:target", args=[target.pk])).content.decode()


def test_target_to_lead_refuses_a_missing_amount(client, catalogue, xiaoyi_staff):
    target = catalogue["fengyuan"]
    page = _client(client, xiaoyi_staff).post(
        reverse("investment:target_lead", args=[target.pk]),
        {"name": "氢枫项目", "total_investment": "", "contact_on": local_today().isoformat()},
    )
    assert page.status_code == 400 and "总投资" in page.context["form"].errors["total_investment"][0]
    assert not Project.objects.filter(name="氢枫项目").exists()


# ---------------------------------------------------------------- 招商方式


def test_zone_user_reads_modes_but_cannot_edit(client, xiaoyi_staff):
    _client(client, xiaoyi_staff)
    page = client.get(reverse("investment:modes"))
    assert page.status_code == 200 and "以商招商" in page.content.decode()
    assert 'data-testid="mode-create"' not in page.content.decode()
    assert client.get(reverse("investment:mode_create")).status_code == 403
    mode = InvestmentMode.objects.get(name="基金招商")
    assert client.post(reverse("investment:mode_edit", args=[mode.pk]), {"name": "改名"}).status_code == 403


def test_province_office_admin_edits_and_deactivates_modes(client, xiaoyi):
    office = make_user("shanxi-admin", unit_for_region(region=Region.objects.get(code="140000")), roles.ADMIN)
    _client(client, office)
    response = client.post(reverse("investment:mode_create"), {"name": "飞地招商", "order": 110, "active": "on"})
    assert response.status_code == 302
    assert InvestmentMode.objects.get(name="飞地招商").active
    fund = InvestmentMode.objects.get(name="基金招商")
    posted = {"name": "基金招商", "order": fund.order, "description": "停用"}
    response = client.post(reverse("investment:mode_edit", args=[fund.pk]), posted)
    assert response.status_code == 302
    fund.refresh_from_db()
    assert not fund.active
    assert "已停用" in client.get(reverse("investment:modes")).content.decode()
    duplicate = client.post(reverse("investment:mode_create"), {"name": "以商招商", "order": 1})
    assert duplicate.status_code == 400 and "招商方式" in duplicate.context["form"].errors["name"][0]


def test_modes_count_the_leads_using_each(client, catalogue, xiaoyi_staff, xiaoyi):
    mode = InvestmentMode.objects.get(name="以商招商")
    services.lead_create(
        user=xiaoyi_staff,
        zone=xiaoyi,
        name="以商招商项目",
        total_investment=Decimal("1000"),
        lead_fields={"mode": mode},
    )
    page = _client(client, xiaoyi_staff).get(reverse("investment:modes"))
    row = next(row for row in page.context["modes"] if row["mode"] == mode)
    assert row["leads"] == 1
