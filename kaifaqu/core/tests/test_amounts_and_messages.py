"""Issue 17, items 5 and 10: sane amounts, written with separators; every field message in our words.

The same bad value is refused with the same words on the page, through the API and in an import.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

from kaifaqu.conftest import PASSWORD
from kaifaqu.core.money import format_wan, format_yi
from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import ledger_kind
from kaifaqu.imports.tests.files import write_csv
from kaifaqu.projects.models import Project
from kaifaqu.projects.services import progress_create, project_create

TODAY = timezone.localdate()
LONG_NAME = "长" * 2000
ABSURD = "999999999999"  # 万元: 1亿亿元, the figure of issue 17
LARGE = "15000000"  # 万元 = 1,500亿元: a real but rare project, confirmed by hand
NAME_TOO_LONG = "项目名称不能超过200个字。"
DIGITS_TOO_MANY = "总投资数字过长：最多14位，其中小数2位。"
STOCK_WORDS = ("确保该变量", "确认总共不超过", "该字段是必填项", "请确保")


@pytest.fixture
def web(client, xiaoyi_staff):
    assert client.login(username=xiaoyi_staff.username, password=PASSWORD)
    return client


def form_data(xiaoyi, **changes) -> dict:
    data = {"name": "储能电站", "zone": xiaoyi.pk, "total_investment": "80000", "plan_year": TODAY.year}
    return data | {"stage": "planning"} | changes


def api_post(api, user, xiaoyi, **changes):
    return api(user).post("/api/projects/", form_data(xiaoyi, **changes), format="json")


def import_rows(tmp_path, *rows):
    path = write_csv(tmp_path / "台账.csv", [["项目名称", "总投资（万元）", "开发区"], *rows])
    return run_import(ledger_kind("projects"), path, extension="csv", commit=True)


def assert_no_stock_words(text: str) -> None:
    assert not [words for words in STOCK_WORDS if words in text], text


# ------------------------------------------------------------------ item 10: messages in our words


def test_a_2000_character_name_on_the_form_is_refused_in_our_words(web, xiaoyi):
    body = web.post("/projects/new/", form_data(xiaoyi, name=LONG_NAME)).content.decode()
    assert NAME_TOO_LONG in body
    assert_no_stock_words(body)
    assert not Project.objects.exists()


def test_a_2000_character_name_through_the_api_is_refused_in_our_words(api, xiaoyi, xiaoyi_staff):
    response = api_post(api, xiaoyi_staff, xiaoyi, name=LONG_NAME)
    assert response.status_code == 400 and response.json() == {"name": [NAME_TOO_LONG]}


def test_a_2000_character_name_in_an_import_is_refused_naming_row_and_column(tmp_path, xiaoyi):
    result = import_rows(tmp_path, [LONG_NAME, 100, "孝义"])
    error = result.errors[0]  # (the importer then also finds the row without a name)
    assert error.message.startswith("第2行 项目名称: ")
    assert error.message.endswith("不能超过200个字（现有2000个字），请删减后再导入")
    assert not Project.objects.exists()  # refused, never cut to 200


def test_a_service_call_gets_our_words_too(xiaoyi, xiaoyi_staff):
    """Model validation (``full_clean``) speaks like the forms: the CLI and the API's services use it."""
    with pytest.raises(ValidationError) as caught:
        project_create(
            user=xiaoyi_staff,
            fields={"name": LONG_NAME, "zone": xiaoyi, "total_investment": Decimal("1"), "plan_year": 2026},
        )
    assert caught.value.message_dict["name"] == [NAME_TOO_LONG]


def test_fifteen_digits_are_refused_in_our_words_on_the_form_and_the_api(web, api, xiaoyi, xiaoyi_staff):
    body = web.post("/projects/new/", form_data(xiaoyi, total_investment="123456789012345")).content.decode()
    assert DIGITS_TOO_MANY in body
    assert_no_stock_words(body)
    response = api_post(api, xiaoyi_staff, xiaoyi, total_investment="123456789012345")
    assert response.status_code == 400 and response.json() == {"total_investment": [DIGITS_TOO_MANY]}


def test_required_date_number_and_choice_messages_name_the_field(web, api, xiaoyi, xiaoyi_staff):
    data = form_data(
        xiaoyi, name="", total_investment="八千", stage="signed", signed_on="2026-13-45", priority_level="国家级"
    )
    body = web.post("/projects/new/", data).content.decode()
    assert "请填写项目名称。" in body
    assert "总投资应为数字，如 1234.56。" in body
    assert "签约日期格式不正确，请填写如 2026-03-15 的日期。" in body
    assert "所选重点项目级别不在可选范围内，请从列表中选择。" in body or "所选重点级别不在可选范围内" in body
    assert_no_stock_words(body)
    response = api(xiaoyi_staff).post(
        "/api/projects/",
        {"zone": xiaoyi.pk, "total_investment": "八千", "plan_year": TODAY.year, "stage": "signed", "signed_on": "x"},
        format="json",
    )
    errors = response.json()
    assert errors["name"] == ["请填写项目名称。"]
    assert errors["total_investment"] == ["总投资应为数字，如 1234.56。"]
    assert errors["signed_on"] == ["签约日期格式不正确，请填写如 2026-03-15 的日期。"]


# ------------------------------------------------------------------ item 5: sane amounts


def test_an_absurd_amount_is_refused_on_the_form(web, xiaoyi):
    body = web.post("/projects/new/", form_data(xiaoyi, total_investment=ABSURD)).content.decode()
    assert "总投资过大：100,000,000亿元，超过上限10,000亿元，请核对金额单位（应为万元）。" in body
    assert not Project.objects.exists()


def test_an_absurd_amount_is_refused_by_the_api(api, xiaoyi, xiaoyi_staff):
    response = api_post(api, xiaoyi_staff, xiaoyi, total_investment=ABSURD)
    assert response.status_code == 400
    assert response.json() == {
        "total_investment": ["总投资过大：100,000,000亿元，超过上限10,000亿元，请核对金额单位（应为万元）。"]
    }
    assert not Project.objects.exists()


def test_an_absurd_amount_is_refused_by_the_import_naming_the_row(tmp_path, xiaoyi):
    result = import_rows(tmp_path, ["好项目", 100, "孝义"], ["坏金额", ABSURD, "孝义"])
    assert [error.message for error in result.errors] == [
        f"第3行 总投资（万元）: “{ABSURD}”金额过大：100,000,000亿元，超过上限10,000亿元，请核对金额单位（应为万元）"
    ]
    assert not Project.objects.exists()


def test_other_money_fields_are_bounded_too(api, make_project, xiaoyi, xiaoyi_staff):
    response = api_post(api, xiaoyi_staff, xiaoyi, year_planned_investment=ABSURD)
    assert response.status_code == 400 and response.json()["year_planned_investment"][0].startswith("年度计划投资过大")
    project = make_project()
    with pytest.raises(ValidationError) as caught:
        progress_create(
            user=xiaoyi_staff, project=project, reported_on=TODAY, investment=Decimal(ABSURD), text="完成主体"
        )
    assert caught.value.message_dict["investment"][0].startswith("本期完成投资过大")


def test_the_bound_comes_from_the_settings(api, xiaoyi, xiaoyi_staff, settings):
    settings.KAIFAQU_AMOUNT_CONFIRM_YI, settings.KAIFAQU_AMOUNT_MAX_YI = 50, 100
    response = api_post(api, xiaoyi_staff, xiaoyi, total_investment="2000000")  # 200亿元
    assert response.json() == {
        "total_investment": ["总投资过大：200亿元，超过上限100亿元，请核对金额单位（应为万元）。"]
    }


def test_a_large_amount_asks_to_confirm_on_the_form_and_saves_when_confirmed(web, xiaoyi):
    page = web.post("/projects/new/", form_data(xiaoyi, total_investment=LARGE)).content.decode()
    assert "总投资超过1,000亿元，请确认金额无误（单位为万元）后勾选“确认金额无误”再保存。" in page
    assert 'name="confirm_amounts"' in page
    assert not Project.objects.exists()
    response = web.post("/projects/new/", form_data(xiaoyi, total_investment=LARGE, confirm_amounts="on"))
    assert response.status_code == 302
    assert Project.objects.get().total_investment == Decimal(LARGE)


def test_an_ordinary_amount_asks_nothing(web, xiaoyi):
    page = web.get("/projects/new/").content.decode()
    assert 'name="confirm_amounts"' not in page
    assert web.post("/projects/new/", form_data(xiaoyi, total_investment="9999999")).status_code == 302


# ------------------------------------------------------------------ item 5: amounts written with separators


def test_the_list_total_and_column_of_large_amounts_show_separators(web, make_project):
    make_project("煤化工一体化项目", total_investment=Decimal("12345600"))
    make_project("氢能产业园", total_investment=Decimal("9000000"))
    page = web.get("/projects/").content.decode()
    assert "总投资 <strong>2,134.56</strong> 亿元" in page
    assert "1,234.56" in page and "900.00" in page


def test_money_helpers_group_for_people_and_stay_plain_for_programs():
    assert format_yi(Decimal("12345600"), grouped=True) == "1,234.56"
    assert format_yi(Decimal("12345600")) == "1234.56"  # chart data and JSON read it back as a number
    assert format_yi(Decimal("999999999999"), strip_zeros=True, grouped=True) == "100,000,000"
    assert format_wan(Decimal("123456.5"), grouped=True) == "123,456.50"
    template = Template("{% load kaifaqu %}{{ v|yi }} 亿元 / {{ v|wan }} 万元")
    rendered = template.render(Context({"v": Decimal("12345600")}))
    assert rendered == "1,234.56 亿元 / 12,345,600.00 万元"


def test_words_a_form_chose_itself_are_kept():
    from django import forms

    from kaifaqu.core.forms import StyledFormMixin

    class DeadlineForm(StyledFormMixin, forms.Form):
        days = forms.IntegerField(label="办理时限", error_messages={"invalid": "办理时限须为整数天数。"})
        name = forms.CharField(label="事项名称", max_length=5)

    form = DeadlineForm({"days": "三天", "name": "长长长长长长"})
    assert form.errors == {"days": ["办理时限须为整数天数。"], "name": ["事项名称不能超过5个字。"]}


def test_the_dashboard_and_the_zone_page_write_large_totals_with_separators(client, make_project, xiaoyi, xiaoyi_staff):
    make_project("氢能一期", total_investment=Decimal("9000000"))
    make_project("氢能二期", total_investment=Decimal("9000000"))
    client.force_login(xiaoyi_staff)
    assert "总投资 1,800 亿元" in client.get("/dashboard/").content.decode()
    assert ">1,800<" in client.get(f"/zones/{xiaoyi.pk}/").content.decode().replace(" ", "")
