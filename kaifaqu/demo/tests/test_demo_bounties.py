"""The demo's 揭榜挂帅 (issue 20): one 榜单 of 吕梁市, 孝义's teams as rivals, one claim verified."""

import io
import json

import pytest
from django.core.management import call_command

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
def test_lvliang_bounty_board_with_rivals_and_one_verified(demo):
    """Seed 000: 发布重点招引项目榜单，通过擂台比武方式揭榜 — the verified team ranks first."""
    out = io.StringIO()
    call_command("bounty_stats", "--scope", "吕梁", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["boards"] == 1 and stats["targets"] >= 2
    assert stats["verified"] == 1 and stats["claimed"] >= 3
    (board,) = stats["board_list"]
    assert board["scope"] == "吕梁市" and board["status"] == "已发布"
    amount = next(item for item in board["bounties"] if item["kind"] == "招引投资额")
    assert [row["state"] for row in amount["standings"]] == ["验收通过", "进行中"]
    assert stats["standings"][0]["team"] == "孝义经开区招商一组"
