"""The activity pages (list with figures and export, form, page, files, → 招商线索) and 平台公司:
each scoped to the user's zones, each saying in Chinese which field is wrong."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kaifaqu.conftest import make_user
from kaifaqu.investment import services
from kaifaqu.investment.models import Activity, ActivityFile, Lead, PlatformCompany, Target
from kaifaqu.projects.models import Project, local_today
from kaifaqu.zones import roles
from kaifaqu.zones.models import Membership, Unit

pytestmark = pytest.mark.django_db
TODAY = local_today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def chief(xiaoyi):
    user = make_user("xiaoyi-chief", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    user.first_name = "赵主任"
    user.save()
    Membership.objects.filter(user=user).update(is_leadership=True)
    return user


@pytest.fixture
def known_target(xiaoyi, xiaoyi_staff):
    return services.target_save(
        user=xiaoyi_staff, target=Target(zone=xiaoyi), fields={"name": "深圳氢枫能源有限公司", "hq_region": "深圳"}
    )


@pytest.fixture
def trip(xiaoyi, xiaoyi_staff, chief, known_target):
    return services.activity_save(
        user=xiaoyi_staff,
        activity=Activity(zone=xiaoyi),
        fields={"kind": "trip", "title": "赴深圳招商", "start_on": TODAY, "region": "广东省深圳市", "leader": chief},
        targets=[known_target],
        new_target_names=["比亚迪股份有限公司"],
    )


@pytest.fixture
def hidden(tunliu, tunliu_staff):
    """屯留's activity with a file: never shown to 孝义."""
    activity = services.activity_save(
        user=tunliu_staff,
        activity=Activity(zone=tunliu),
        fields={"kind": "visit", "title": "保密来访屯留", "start_on": TODAY, "region": "保密地区甲"},
    )
    services.activity_file_add(
        user=tunliu_staff, activity=activity, upload=SimpleUploadedFile("纪要.pdf", PDF, "application/pdf")
    )
    return activity


def _form(**changes) -> dict:
    data = {
        "kind": "trip",
        "title": "赴深圳开展新能源招商",
        "start_on": TODAY.isoformat(),
        "end_on": "",
        "region": "广东省深圳市",
        "leader": "",
        "members": "",
        "depth": "",
        "agreement_kind": "",
        "signed_amount": "",
        "summary": "",
        "new_targets": "",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- scope


def test_another_zones_activity_and_file_are_not_found(client, xiaoyi_staff, trip, hidden):
    client.force_login(xiaoyi_staff)
    hidden_file = ActivityFile.objects.get(activity=hidden)
    assert client.get(f"/investment/activities/{hidden.pk}/").status_code == 404
    assert client.get(f"/investment/activities/{hidden.pk}/edit/").status_code == 404
    assert client.get(f"/investment/files/{hidden_file.pk}/").status_code == 404
    assert client.post(f"/investment/files/{hidden_file.pk}/delete/").status_code == 404
    assert client.post(f"/investment/activities/{hidden.pk}/delete/").status_code == 404
    assert Activity.objects.filter(pk=hidden.pk).exists() and ActivityFile.objects.filter(pk=hidden_file.pk).exists()

    page = client.get("/investment/activities/").content.decode()
    assert "赴深圳招商" in page and "保密" not in page
    assert "外出招商考察1次。" in page  # the sentence counts 孝义 only (屯留's visit is not there)
    searched = client.get("/investment/activities/?q=保密").content.decode()
    assert "保密来访屯留" not in searched


def test_the_list_filters_and_shows_the_columns(client, xiaoyi, xiaoyi_staff, trip):
    services.activity_save(
        user=xiaoyi_staff,
        activity=Activity(zone=xiaoyi),
        fields={
            "kind": "agreement",
            "title": "与氢枫签订战略合作协议",
            "start_on": TODAY,
            "agreement_kind": "strategic",
            "signed_amount": Decimal("125000"),
        },
    )
    client.force_login(xiaoyi_staff)
    page = client.get("/investment/activities/").content.decode()
    assert "签约（战略合作协议）" in page and "12.50" in page
    assert "深圳氢枫能源有限公司" in page and "比亚迪股份有限公司" in page and "赵主任" in page
    assert "外出招商考察1次，签订战略合作协议1份，签约总投资额12.5亿元。" in page
    only_trips = client.get("/investment/activities/?kind=trip").content.decode()
    assert "赴深圳招商" in only_trips and "与氢枫签订战略合作协议" not in only_trips
    last_year = TODAY.replace(year=TODAY.year - 1)
    old = client.get(f"/investment/activities/?date_to={last_year.isoformat()}").content.decode()
    assert "赴深圳招商" not in old and "本期暂无招商活动记录。" in old


def test_the_export_holds_the_filtered_rows(client, xiaoyi_staff, trip, hidden):
    client.force_login(xiaoyi_staff)
    response = client.get("/investment/activities/export/?kind=trip")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.getvalue()))
    text = " ".join(str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row if cell.value)
    assert "赴深圳招商" in text and "比亚迪股份有限公司" in text and "保密" not in text


# ---------------------------------------------------------------- the form


def test_a_trip_with_two_companies_met(client, xiaoyi, xiaoyi_staff, chief, known_target):
    client.force_login(xiaoyi_staff)
    form = client.get("/investment/activities/new/").content.decode()
    assert "新接触的企业（每行一个）" in form and "赵主任" in form and "班子成员" in form
    response = client.post(
        "/investment/activities/new/",
        _form(leader=chief.pk, targets=[known_target.pk], new_targets="比亚迪股份有限公司\n\n"),
    )
    activity = Activity.objects.get(title="赴深圳开展新能源招商")
    assert response.status_code == 302 and response["Location"] == f"/investment/activities/{activity.pk}/"
    assert activity.zone == xiaoyi and activity.leader == chief
    assert sorted(activity.targets.values_list("name", flat=True)) == ["比亚迪股份有限公司", "深圳氢枫能源有限公司"]
    new = Target.objects.get(zone=xiaoyi, name="比亚迪股份有限公司")
    assert new.status == Target.Status.CONTACTED
    known_target.refresh_from_db()
    assert known_target.status == Target.Status.CONTACTED

    page = client.get(f"/investment/activities/{activity.pk}/").content.decode()
    assert f'href="/investment/targets/{new.pk}/"' in page and "转为招商线索" in page


def test_kind_rules_are_said_on_their_fields(client, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    response = client.post("/investment/activities/new/", _form(kind="talk", title="与某企业洽谈"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["depth"] == ["请选择洽谈深度（初次洽谈或深度洽谈）。"]

    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post("/investment/activities/new/", _form(start_on=tomorrow.isoformat()))
    assert response.status_code == 400
    assert "日期不能晚于今天" in response.context["form"].errors["start_on"][0]
    assert "日期不能晚于今天" in response.content.decode()

    response = client.post("/investment/activities/new/", _form(kind="agreement", title="签约"))
    assert response.context["form"].errors["agreement_kind"] == ["请选择协议类型（战略合作协议或项目合作协议）。"]
    assert not Activity.objects.exists()


def test_fields_the_kind_does_not_carry_are_dropped(client, xiaoyi_staff):
    """Without JS every field shows: a depth typed on a trip is not kept (nor refused)."""
    client.force_login(xiaoyi_staff)
    response = client.post("/investment/activities/new/", _form(depth="deep", agreement_kind="strategic"))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.depth == "" and activity.agreement_kind == ""


def test_another_zones_target_cannot_be_chosen(client, xiaoyi_staff, tunliu, tunliu_staff):
    theirs = services.target_save(user=tunliu_staff, target=Target(zone=tunliu), fields={"name": "屯留的企业"})
    client.force_login(xiaoyi_staff)
    assert "屯留的企业" not in client.get("/investment/activities/new/").content.decode()
    response = client.post("/investment/activities/new/", _form(targets=[theirs.pk]))
    assert response.status_code == 400 and "targets" in response.context["form"].errors


def test_editing_keeps_the_companies(client, xiaoyi_staff, trip):
    client.force_login(xiaoyi_staff)
    page = client.get(f"/investment/activities/{trip.pk}/edit/").content.decode()
    assert "selected>深圳氢枫能源有限公司</option>" in page
    ids = list(trip.targets.values_list("pk", flat=True))
    response = client.post(
        f"/investment/activities/{trip.pk}/edit/", _form(title="赴深圳招商（修改）", targets=ids, leader="")
    )
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.title == "赴深圳招商（修改）" and trip.targets.count() == 2


def test_a_reader_cannot_record(client, chief, trip):
    client.force_login(chief)  # 领导: reads only
    assert client.get("/investment/activities/new/").status_code == 403
    page = client.get(f"/investment/activities/{trip.pk}/").content.decode()
    assert "转为招商线索" not in page and 'data-testid="file-form"' not in page
    assert client.post(f"/investment/activities/{trip.pk}/delete/").status_code == 403


def test_delete_an_activity(client, xiaoyi_staff, trip):
    client.force_login(xiaoyi_staff)
    response = client.post(f"/investment/activities/{trip.pk}/delete/", follow=True)
    assert "已删除招商活动“赴深圳招商”。" in response.content.decode()
    assert not Activity.objects.filter(pk=trip.pk).exists()
    assert Target.objects.filter(name="比亚迪股份有限公司").exists()


# ---------------------------------------------------------------- files


def test_upload_a_photo_and_minutes_and_download_them(client, xiaoyi_staff, trip):
    client.force_login(xiaoyi_staff)
    for name, content in (("合影.png", PNG), ("会议纪要.pdf", PDF)):
        response = client.post(f"/investment/activities/{trip.pk}/files/", {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 302
    photo = ActivityFile.objects.get(name="合影.png")
    minutes = ActivityFile.objects.get(name="会议纪要.pdf")
    page = client.get(f"/investment/activities/{trip.pk}/").content.decode()
    assert "合影.png" in page and "会议纪要.pdf" in page
    download = client.get(f"/investment/files/{minutes.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    shown = client.get(f"/investment/files/{photo.pk}/?inline=1")
    assert shown["Content-Type"] == "image/png" and b"".join(shown.streaming_content) == PNG

    response = client.post(f"/investment/files/{photo.pk}/delete/", follow=True)
    assert "已删除附件“合影.png”。" in response.content.decode()
    assert not ActivityFile.objects.filter(pk=photo.pk).exists()


def test_a_file_of_the_wrong_type_is_refused(client, xiaoyi_staff, trip):
    client.force_login(xiaoyi_staff)
    response = client.post(
        f"/investment/activities/{trip.pk}/files/", {"file": SimpleUploadedFile("脚本.exe", b"MZ\x90\x00")}
    )
    assert response.status_code == 400
    assert "类型不受支持" in response.content.decode()
    fake = client.post(
        f"/investment/activities/{trip.pk}/files/", {"file": SimpleUploadedFile("照片.png", b"not a picture")}
    )
    assert fake.status_code == 400 and "内容不是" in fake.content.decode()
    assert not ActivityFile.objects.exists()


# ---------------------------------------------------------------- → 招商线索


def test_a_company_met_becomes_a_lead(client, xiaoyi, xiaoyi_staff, trip, known_target):
    client.force_login(xiaoyi_staff)
    form = client.get(f"/investment/activities/{trip.pk}/lead/?target={known_target.pk}").content.decode()
    assert 'value="深圳氢枫能源有限公司项目"' in form
    response = client.post(
        f"/investment/activities/{trip.pk}/lead/",
        {"target": known_target.pk, "name": "氢能装备制造项目", "total_investment": "50000", "mode": ""},
    )
    project = Project.objects.get(name="氢能装备制造项目")
    assert response.status_code == 302 and response["Location"] == f"/investment/leads/{project.pk}/"
    assert project.stage == "contact" and project.zone == xiaoyi and project.contact_on == trip.start_on
    lead = Lead.objects.get(project=project)
    assert lead.target == known_target and lead.source_activity == trip and lead.source == Lead.Source.EVENT
    assert trip.leads.filter(pk=project.pk).exists()
    known_target.refresh_from_db()
    assert known_target.status == Target.Status.NEGOTIATING

    page = client.get(f"/investment/activities/{trip.pk}/").content.decode()
    assert f'href="/investment/leads/{project.pk}/"' in page
    assert page.count('data-testid="to-lead"') == 1  # only 比亚迪 is left without a lead


def test_a_lead_needs_a_company_of_the_activity(client, xiaoyi, xiaoyi_staff, trip):
    other = services.target_save(user=xiaoyi_staff, target=Target(zone=xiaoyi), fields={"name": "没见过的企业"})
    client.force_login(xiaoyi_staff)
    response = client.post(
        f"/investment/activities/{trip.pk}/lead/", {"target": other.pk, "name": "某项目", "total_investment": "abc"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "target" in errors and "total_investment" in errors
    assert not Project.objects.exists()


# ---------------------------------------------------------------- 平台公司


def test_platform_figures(client, xiaoyi, tunliu, xiaoyi_staff, xiaoyi_enterprise, make_project):
    client.force_login(xiaoyi_staff)
    built = make_project("标准化厂房项目", total_investment=Decimal("30000"))
    own = make_project("公司自建项目", total_investment=Decimal("20000"), enterprise=xiaoyi_enterprise)
    response = client.post(
        "/investment/platforms/new/",
        {
            "zone": xiaoyi.pk,
            "name": "孝义经开区投资运营有限公司",
            "enterprise": xiaoyi_enterprise.pk,
            "established_on": "2020-05-01",
            "registered_capital": "10000",
            "duties": "招商运营、基础设施建设",
            "commissioned_projects": [built.pk],
            "note": "",
        },
    )
    assert response.status_code == 302
    platform = PlatformCompany.objects.get()
    assert list(platform.commissioned_projects.all()) == [built]
    brought = make_project(
        "平台引荐项目", total_investment=Decimal("80000"), stage="contact", stage_dates={"contact_on": TODAY}
    )
    services.lead_save(
        user=xiaoyi_staff, project=brought, fields={"source": Lead.Source.PLATFORM, "source_platform": platform}
    )
    page = client.get("/investment/platforms/")
    rows = {row["platform"].name: row for row in page.context["rows"]}
    row = rows["孝义经开区投资运营有限公司"]
    assert (row["leads"].count, row["leads"].investment) == (1, Decimal("80000"))
    assert row["signed"].count == 0
    assert (row["commissioned"].count, row["commissioned"].investment) == (1, Decimal("30000"))
    assert (row["own"].count, row["own"].investment) == (1, Decimal("20000"))
    text = page.content.decode()
    assert "8.00" in text and "3.00" in text and "2.00" in text and own.name not in text


def test_platform_form_names_the_clash_and_stays_in_scope(client, xiaoyi, tunliu, xiaoyi_staff, tunliu_staff):
    theirs = services.platform_save(
        user=tunliu_staff, platform=PlatformCompany(zone=tunliu), fields={"name": "屯留平台公司"}
    )
    client.force_login(xiaoyi_staff)
    assert "屯留平台公司" not in client.get("/investment/platforms/").content.decode()
    assert client.get(f"/investment/platforms/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/investment/platforms/{theirs.pk}/delete/").status_code == 404
    client.post("/investment/platforms/new/", {"zone": xiaoyi.pk, "name": "孝义平台公司"})
    response = client.post("/investment/platforms/new/", {"zone": xiaoyi.pk, "name": "孝义平台公司"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["公司名称：孝义经济技术开发区已登记平台公司“孝义平台公司”。"]
    mine = PlatformCompany.objects.get(name="孝义平台公司")
    response = client.post(f"/investment/platforms/{mine.pk}/delete/", follow=True)
    assert "已删除平台公司“孝义平台公司”。" in response.content.decode()


def test_a_reader_sees_platforms_without_buttons(client, chief, xiaoyi, xiaoyi_staff):
    services.platform_save(user=xiaoyi_staff, platform=PlatformCompany(zone=xiaoyi), fields={"name": "孝义平台公司"})
    client.force_login(chief)
    page = client.get("/investment/platforms/").content.decode()
    assert "孝义平台公司" in page and "登记平台公司</a>" not in page and "编辑</a>" not in page
    assert client.get("/investment/platforms/new/").status_code == 403
