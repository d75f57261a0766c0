"""One answer to "may this user do this?": the menu, the dialogs and the API ask the rules the services enforce."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kaifaqu.conftest import make_user
from kaifaqu.core import rights
from kaifaqu.projects.models import Project, Stage, local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region

TODAY = local_today()
PAGES = ("/dashboard/", "/projects/", "/indicators/", "/indicators/submissions/", "/requests/", "/reports/")
NAV = re.compile(r'<nav class="navbar.*?</nav>', re.DOTALL)
LINK_TEXT = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*>([^<]+)</a>')


def menu(client: Client, path: str) -> list[str]:
    """The top menu's entries as the user reads them on ``path``."""
    response = client.get(path)
    assert response.status_code == 200, path
    return LINK_TEXT.findall(NAV.search(response.content.decode()).group(0))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city_statistician(xiaoyi):
    return make_user("lvliang-stats", unit_for_region(region=Region.objects.get(code="141100")), roles.STATISTICIAN)


def test_the_menu_is_the_same_on_every_page_and_follows_the_rights(xiaoyi_staff, city_statistician):
    """月调度 pages used to put their own ``can_import`` in the context: a statistician saw 导入台账 there
    (then a 403) and a zone's 项目专员 lost it."""
    staff, statistician = signed_in(xiaoyi_staff), signed_in(city_statistician)
    staff_menus = {path: menu(staff, path) for path in PAGES}
    statistician_menus = {path: menu(statistician, path) for path in PAGES}
    assert all("导入台账" in entries for entries in staff_menus.values()), staff_menus
    assert all("导入台账" not in entries for entries in statistician_menus.values()), statistician_menus
    assert len({tuple(entries) for entries in staff_menus.values()}) == 1
    assert len({tuple(entries) for entries in statistician_menus.values()}) == 1
    assert statistician.get("/imports/").status_code == 403


def test_api_docs_are_offered_to_those_who_connect_systems_not_to_enterprises_or_leaders(
    xiaoyi, xiaoyi_staff, xiaoyi_enterprise, admin_user
):
    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    enterprise_user = make_user("pengfei", unit, roles.ENTERPRISE_USER)
    assert "API 文档" in menu(signed_in(xiaoyi_staff), "/projects/")
    assert "API 文档" in menu(signed_in(admin_user), "/projects/")
    assert "API 文档" not in menu(signed_in(leader), "/projects/")
    assert "API 文档" not in menu(signed_in(enterprise_user), "/projects/")


def test_api_sections_are_named_in_chinese(admin_user):
    schema = signed_in(admin_user).get("/api/schema/?format=json").json()
    section_names = {tag["name"] for tag in schema["tags"]}
    used = {tag for operation in _operations(schema) for tag in operation.get("tags", [])}
    assert {"项目台账", "企业", "开发区", "项目节点", "项目进展"} <= used
    assert used <= section_names, used - section_names
    assert not {"projects", "enterprises", "zones", "milestones", "progress"} & used


def _operations(schema):
    for methods in schema["paths"].values():
        yield from (operation for operation in methods.values() if isinstance(operation, dict))


def test_the_stage_dialog_offers_only_the_stages_the_user_may_reach(xiaoyi, make_project, xiaoyi_staff):
    officer = make_user("xiaoyi-invest", Unit.objects.get(zone=xiaoyi), roles.INVESTMENT_OFFICER)
    project = make_project(stage=Stage.SIGNED, stage_dates={"signed_on": TODAY})
    offered = _offered_stages(signed_in(officer), project)
    assert Stage.TERMINATED in offered and Stage.READY in offered
    assert not {Stage.FILED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY} & offered
    assert Stage.FILED in _offered_stages(signed_in(xiaoyi_staff), project)


def _offered_stages(client: Client, project: Project) -> set[str]:
    body = client.get(f"/projects/{project.pk}/move/").content.decode()
    select = re.search(r'<select name="to_stage".*?</select>', body, re.DOTALL).group(0)
    return set(re.findall(r'<option value="([a-z_]+)"', select))


def test_the_project_page_offers_no_changes_to_a_leader(xiaoyi, make_project):
    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    project = make_project()
    client = signed_in(leader)
    body = client.get(f"/projects/{project.pk}/").content.decode()
    assert "变更阶段" not in body and f"/projects/{project.pk}/edit/" not in body
    assert client.get("/projects/new/").status_code == 403
    assert client.get(f"/projects/{project.pk}/move/").status_code == 403


def test_an_api_write_by_a_reader_is_refused_before_its_fields_are_read(api, xiaoyi, make_project):
    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    project = make_project()
    client = api(leader)
    for method, url in (
        ("post", "/api/projects/"),
        ("patch", f"/api/projects/{project.pk}/"),
        ("post", f"/api/projects/{project.pk}/move/"),
        ("post", "/api/milestones/"),
        ("post", "/api/enterprises/"),
        ("post", "/api/zones/"),
    ):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 403, (method, url, response.status_code)
        assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"]), response.json()


def test_every_write_the_product_makes_has_one_declared_rule():
    assert set(rights.actions()) >= {
        "project.create",
        "project.change",
        "enterprise.change",
        "zone.change",
        "zone.register",
        "audit.view",
        "ledger.import",
        "campaign.run",
        "request.file",
        "request.handle",
        "request.resolve",
        "request.reopen",
        "request.rate",
        "agency.run",
        "agency.update",
        "catalogue.change",
        "channel.change",
        "indicator.fill",
        "indicator.review",
        "indicator.edit",
        "indicator.import",
        "indicator.catalogue",
        "api.docs",
    }
    with pytest.raises(ValueError):
        rights.rule("project.change", refusal="x")(lambda user, obj=None: True)
