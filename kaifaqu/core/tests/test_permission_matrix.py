"""The permission matrix of docs/permissions.md, checked cell by cell.

The table in the document is the test's data: each row is a unit and a role, each column
an action on a record inside the row's scope (✓ allowed, ✗ refused with 403). Every row
also checks that a record outside its scope answers 404, read or write.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.projects.models import Project, Stage
from kaifaqu.projects.services import project_create
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Role, Unit
from kaifaqu.zones.services import unit_for_region

MATRIX_DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def read_matrix() -> list[dict[str, str]]:
    text = MATRIX_DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- matrix:start -->(.*?)<!-- matrix:end -->", text, re.S).group(1)
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in block.strip().splitlines()]
    header, body = rows[0], [row for row in rows[2:] if row]
    return [dict(zip(header, row, strict=True)) for row in body]


MATRIX = read_matrix()


@pytest.fixture
def world(xiaoyi, tunliu, admin_user, xiaoyi_enterprise):
    """Records in 孝义 (inside every row's scope) and in 屯留 (outside the zone, city and enterprise rows)."""
    other_enterprise = enterprise_create(
        user=admin_user,
        fields={
            "name": "孝义市金岩电力有限公司",
            "zone": xiaoyi,
            "credit_code": make_credit_code("141181", "87654321"),
        },
    )

    def project(name, zone, stage, enterprise=None, **dates):
        code = f"{TODAY.year}-141181-26-03-{len(name):06d}" if "filed_on" in dates else None
        return project_create(
            user=admin_user,
            fields={
                "name": name,
                "zone": zone,
                "total_investment": 50000,
                "plan_year": TODAY.year,
                "enterprise": enterprise,
                "project_code": code,
            },
            stage=stage,
            stage_dates=dates,
        )

    return {
        "pipeline": project("氢能重卡项目", xiaoyi, Stage.CONTACT, xiaoyi_enterprise, contact_on=YESTERDAY),
        "filed": project(
            "焦炉煤气制氢项目", xiaoyi, Stage.FILED, xiaoyi_enterprise, signed_on=YESTERDAY, filed_on=YESTERDAY
        ),
        "enterprise": xiaoyi_enterprise,
        "zone": xiaoyi,
        "outside": project("屯留光伏项目", tunliu, Stage.CONTACT, contact_on=YESTERDAY),
        "neighbour": project("金岩电力技改项目", xiaoyi, Stage.CONTACT, other_enterprise, contact_on=YESTERDAY),
    }


def version(project) -> int:
    return Project.objects.get(pk=project.pk).version


def unit_of(label: str, world) -> Unit:
    if label == "开发区管委会":
        return Unit.objects.get(zone=world["zone"])
    if label == "市级主管部门":
        return unit_for_region(region=Region.objects.get(code="141100"))
    if label == "省级主管部门":
        return unit_for_region(region=Region.objects.get(code="140000"))
    if label == "企业":
        enterprise = world["enterprise"]
        return Unit.objects.get_or_create(kind="enterprise", enterprise=enterprise, defaults={"name": enterprise.name})[
            0
        ]
    raise AssertionError(f"矩阵中的单位“{label}”没有对应的测试单位")


# Each action: (client, world) -> the response. ✓ expects 2xx/3xx, ✗ expects 403.
ACTIONS = {
    "查看项目": lambda api, page, w: page.get(f"/projects/{w['filed'].pk}/"),
    "新建项目": lambda api, page, w: api.post(
        "/api/projects/",
        {
            "name": "新材料项目",
            "zone": w["zone"].pk,
            "total_investment": "30000",
            "plan_year": TODAY.year,
            "stage": "contact",
            "contact_on": YESTERDAY.isoformat(),
        },
        format="json",
    ),
    "编辑招商项目": lambda api, page, w: api.patch(
        f"/api/projects/{w['pipeline'].pk}/",
        {"task_force": "氢能专班", "version": version(w["pipeline"])},
        format="json",
    ),
    "编辑在建项目": lambda api, page, w: api.patch(
        f"/api/projects/{w['filed'].pk}/", {"task_force": "制氢专班", "version": version(w["filed"])}, format="json"
    ),
    "招商项目阶段变更": lambda api, page, w: api.post(
        f"/api/projects/{w['pipeline'].pk}/move/",
        {"to_stage": "intent", "dates": {"intent_on": TODAY.isoformat()}},
        format="json",
    ),
    "在建项目阶段变更": lambda api, page, w: api.post(
        f"/api/projects/{w['filed'].pk}/move/",
        {"to_stage": "started", "dates": {"started_on": TODAY.isoformat()}},
        format="json",
    ),
    "在建项目节点": lambda api, page, w: api.post(
        "/api/milestones/",
        {"project": w["filed"].pk, "name": "主体封顶", "planned_on": TODAY.isoformat()},
        format="json",
    ),
    "编辑企业": lambda api, page, w: api.patch(
        f"/api/enterprises/{w['enterprise'].pk}/", {"contact_person": "王经理"}, format="json"
    ),
    "操作记录": lambda api, page, w: page.get("/audit/"),
    "维护园区": lambda api, page, w: api.post(
        "/api/parks/", {"zone": w["zone"].pk, "name": "氢能产业园"}, format="json"
    ),
}


def test_every_role_in_the_matrix_exists_and_every_column_is_checked(db):
    roles = set(Role.objects.values_list("name", flat=True))
    assert {row["角色"] for row in MATRIX} <= roles
    assert set(MATRIX[0]) - {"单位", "角色"} == set(ACTIONS)


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row['单位']}-{row['角色']}" for row in MATRIX])
def test_permission_matrix(row, world, api):
    role = Role.objects.get(name=row["角色"])
    user = make_user(f"matrix-{role.code}", unit_of(row["单位"], world), role.code)
    page = Client()
    page.force_login(user)
    for action, expected in row.items():
        if action in ("单位", "角色"):
            continue
        response = ACTIONS[action](api(user), page, world)
        if expected == "✓":
            assert response.status_code < 400, f"{action}: {response.status_code} {response.content.decode()[:200]}"
        else:
            assert expected == "✗", f"未知的矩阵符号“{expected}”"
            assert response.status_code == 403, f"{action}: {response.status_code} {response.content.decode()[:200]}"
    assert_outside_is_404(row, api(user), page, world)


def assert_outside_is_404(row, api, page, world) -> None:
    outside = [world["neighbour"]] if row["单位"] == "企业" else []
    if row["单位"] != "省级主管部门":  # every shipped zone lies in the province
        outside.append(world["outside"])
    for project in outside:
        assert page.get(f"/projects/{project.pk}/").status_code == 404
        assert api.get(f"/api/projects/{project.pk}/").status_code == 404
        assert api.patch(f"/api/projects/{project.pk}/", {"name": "改名"}, format="json").status_code == 404
        assert page.post(f"/projects/{project.pk}/edit/", {"name": "改名"}).status_code == 404
