"""The report form's 年度: it starts from the dashboard's working year, and the report says the
year asked for — not the year of the zone's latest project. A one-zone user finds the zone chosen."""

import datetime
import io
import re

import docx
import pytest
from django.urls import reverse

from kaifaqu.conftest import LEDGER_YEAR
from kaifaqu.projects.models import local_today
from kaifaqu.reports.models import Report
from kaifaqu.reports.services import report_request

AS_OF = datetime.date(2025, 6, 30)


@pytest.fixture
def eager(settings):
    settings.KAIFAQU_TASKS_EAGER = True


def downloaded_text(client, report: Report) -> str:
    response = client.get(reverse("reports:download", args=[report.pk]), {"file": "docx"})
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_year_field_drives_the_weekly_reports_text(client, hand_ledger, make_project, xiaoyi, xiaoyi_staff, eager):
    make_project("下一年度的项目", plan_year=LEDGER_YEAR + 1)  # the zone's latest project year is now the next one
    client.force_login(xiaoyi_staff)
    form = {"kind": "weekly", "zone": xiaoyi.pk, "as_of": AS_OF.isoformat(), "year": LEDGER_YEAR}
    assert client.post(reverse("reports:index"), form).status_code == 302
    report = Report.objects.get()
    assert report.year == LEDGER_YEAR and f"{LEDGER_YEAR}年度" in report.title
    text = downloaded_text(client, report)
    assert f"截至2025年6月30日，{LEDGER_YEAR}年度共有重点项目4个" in text


def test_the_form_starts_from_the_working_year_and_the_users_zone(client, hand_ledger, xiaoyi, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    client.get(reverse("dashboard:index"), {"year": LEDGER_YEAR})  # chosen on the dashboard
    page = client.get(reverse("reports:index")).content.decode()
    assert re.search(rf'<option value="{LEDGER_YEAR}" selected>{LEDGER_YEAR}年度</option>', page)
    assert re.search(rf'<option value="{xiaoyi.pk}" selected>', page)  # 13b: the one zone, preselected
    fresh = client.get(reverse("reports:index"), {"year": LEDGER_YEAR + 1}).content.decode()
    assert re.search(rf'<option value="{LEDGER_YEAR + 1}" selected>', fresh)


def test_a_city_office_finds_its_city_chosen(client, hand_ledger, lvliang_office):
    client.force_login(lvliang_office)
    page = client.get(reverse("reports:index")).content.decode()
    city = page[page.index('name="city"') : page.index("</select>", page.index('name="city"'))]
    assert re.search(r'<option value="\d+" selected>吕梁市</option>', city)


def test_a_user_of_several_zones_chooses_the_zone(client, hand_ledger, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("reports:index")).content.decode()
    zone_select = page[page.index('name="zone"') : page.index("</select>", page.index('name="zone"'))]
    assert '<option value="" selected>请选择开发区</option>' in zone_select


def test_a_monthly_reports_month_must_lie_in_the_year(client, hand_ledger, lvliang_office, eager):
    from kaifaqu.regions.models import Region

    client.force_login(lvliang_office)
    city = Region.objects.get(code="141100")
    form = {"kind": "monthly", "city": city.pk, "year": LEDGER_YEAR, "month": f"{LEDGER_YEAR - 1}-05"}
    page = client.post(reverse("reports:index"), form).content.decode()
    assert f"月份{LEDGER_YEAR - 1}年5月不在所选年度（{LEDGER_YEAR}年度）内" in page
    assert not Report.objects.exists()
    form["month"] = f"{LEDGER_YEAR}-05"
    assert client.post(reverse("reports:index"), form).status_code == 302
    report = Report.objects.get()
    assert (report.year, report.month) == (LEDGER_YEAR, 5)
    assert f"开发区{LEDGER_YEAR}年度共有重点项目" in downloaded_text(client, report)


def test_a_weekly_report_asked_without_a_year_is_of_its_days_year(hand_ledger, make_project, xiaoyi, xiaoyi_staff):
    make_project("下一年度的项目", plan_year=local_today().year + 1)
    report = report_request(user=xiaoyi_staff, kind="weekly", zone=xiaoyi, as_of=AS_OF)
    assert report.year == AS_OF.year
