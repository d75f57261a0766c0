"""The demo's 产业链 (issue 20): 孝义's 氢能 chain with 鹏飞 as 链主, as 孝义's staff see it."""

import io
import json

import pytest
from django.core.management import call_command

from kaifaqu.chains.models import IndustryChain
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


@pytest.mark.django_db
def test_xiaoyi_hydrogen_chain_with_pengfei_as_its_leader(demo):
    chain = IndustryChain.objects.get(zone__name="孝义经济开发区", name="氢能")
    assert chain.leader_enterprise.name == "山西鹏飞集团有限公司"
    out = io.StringIO()
    call_command("chain_stats", "--zone", "孝义经开区", "--json", stdout=out)
    (stats,) = json.loads(out.getvalue())
    assert stats["leader_enterprise"] == "山西鹏飞集团有限公司"
    assert stats["links"]["missing"] >= 1 and stats["links"]["existing"] >= 1
    assert stats["enterprises"] >= 2
    assert sum(task["count"] for task in stats["projects_by_task"].values()) >= 4
    assert stats["sentence"].startswith("氢能产业链：")
