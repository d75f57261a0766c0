"""The demo data reproduces the seed articles' figures exactly (issue 2, "Done means")."""

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.core.scoping import scope_for
from kaifaqu.zones.models import Zone


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        from kaifaqu.demo.services import _wipe

        _wipe()
        Zone.objects.all().delete()


def stats(zone: str) -> dict:
    out = io.StringIO()
    call_command("pipeline_stats", "--zone", zone, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_tunliu_reproduces_the_seed(demo):
    result = stats("屯留经济技术开发区")
    assert result["projects"] == 29 and result["total_investment_wan"] == "547000.00"
    assert {k: v for k, v in result["by_stage"].items() if v["count"]} == {
        "contact": {"count": 7, "investment_wan": "155000.00"},
        "intent": {"count": 10, "investment_wan": "273600.00"},
        "ready": {"count": 5, "investment_wan": "37500.00"},
        "signed": {"count": 7, "investment_wan": "80900.00"},
    }
    assert result["sentence"].startswith("初步对接项目7个，总投资15.5亿元")
    assert result["rates"]["conversion"] == {"numerator": 7, "denominator": 29, "percent": 24.1}


@pytest.mark.django_db
def test_xiaoyi_reproduces_the_seed(demo):
    result = stats("孝义")
    assert result["projects"] == 53 and result["total_investment_wan"] == "5527000.00"
    categories = {k: v for k, v in result["by_plan_category"].items() if v["count"]}
    assert categories == {
        "尽快开工": {"count": 36, "investment_wan": "1935600.00"},
        "力争开工": {"count": 7, "investment_wan": "1374900.00"},
        "招商储备": {"count": 10, "investment_wan": "2216500.00"},
    }
    assert result["by_priority"]["省重点"] == {"count": 8, "investment_wan": "1076100.00"}


@pytest.mark.django_db
def test_demo_users_and_their_scope(demo):
    city = authenticate(username="city-lvliang", password="kaifaqu-demo")
    zone = authenticate(username="zone-xiaoyi", password="kaifaqu-demo")
    assert authenticate(username="admin", password="kaifaqu-demo").is_superuser
    lvliang_zones = set(Zone.objects.filter(region__code__startswith="1411").values_list("pk", flat=True))
    assert scope_for(city).zone_ids == lvliang_zones and len(lvliang_zones) >= 3
    assert scope_for(zone).zone_ids == {Zone.objects.get(name__startswith="孝义").pk}


@pytest.mark.django_db
def test_load_demo_refuses_when_data_exists(demo):
    with pytest.raises(CommandError) as caught:
        call_command("load_demo", stdout=io.StringIO())
    assert "数据库中已有数据" in str(caught.value) and "--force" in str(caught.value)


@pytest.mark.django_db
def test_text_output_has_rates_with_numerator_and_denominator(demo):
    out = io.StringIO()
    call_command("pipeline_stats", "--zone", "屯留经开区", stdout=out)
    text = out.getvalue()
    assert "转化率：7/29 = 24.1%" in text and "初步对接项目7个，总投资15.5亿元" in text
