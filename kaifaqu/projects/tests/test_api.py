"""The REST API: same services, same validation, same scope as the pages."""

from decimal import Decimal

from django.utils import timezone
from rest_framework.test import APIClient

from kaifaqu.conftest import PASSWORD
from kaifaqu.projects.models import Project, Stage

TODAY = timezone.localdate()


def test_token_is_issued_for_username_and_password(xiaoyi_staff):
    response = APIClient().post("/api/auth/token/", {"username": "xiaoyi-staff", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/projects/").status_code == 200


def test_anonymous_is_refused():
    assert APIClient().get("/api/projects/").status_code in (401, 403)


def test_session_auth_works_too(client, xiaoyi_staff):
    client.login(username="xiaoyi-staff", password=PASSWORD)
    assert client.get("/api/projects/").status_code == 200


def test_list_filters_and_pagination(api, make_project, xiaoyi_staff):
    make_project("甲项目", stage=Stage.CONTACT, stage_dates={"contact_on": TODAY})
    make_project("乙项目")
    client = api(xiaoyi_staff)
    body = client.get("/api/projects/", {"stage": "contact"}).json()
    assert body["count"] == 1 and body["results"][0]["name"] == "甲项目"
    assert body["results"][0]["stage_label"] == "初步对接"
    assert client.get("/api/projects/", {"park": 999999}).status_code == 400  # unknown park: a clear refusal
    page = client.get("/api/projects/", {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_create_update_and_validation_messages(api, xiaoyi, xiaoyi_staff):
    client = api(xiaoyi_staff)
    bad = client.post(
        "/api/projects/",
        {
            "name": "储能电站",
            "zone": xiaoyi.pk,
            "total_investment": "80000",
            "plan_year": TODAY.year,
            "stage": "signed",
        },
        format="json",
    )
    assert bad.status_code == 400 and bad.json() == {"signed_on": ["请填写签约日期。"]}
    created = client.post(
        "/api/projects/",
        {
            "name": "储能电站",
            "zone": xiaoyi.pk,
            "total_investment": "80000",
            "plan_year": TODAY.year,
            "stage": "signed",
            "signed_on": TODAY.isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["stage"] == "signed" and created.json()["total_investment"] == "80000.00"
    version = created.json()["version"]
    patched = client.patch(f"/api/projects/{pk}/", {"total_investment": "90000.50", "version": version}, format="json")
    assert patched.status_code == 200 and Project.objects.get(pk=pk).total_investment == Decimal("90000.50")
    assert patched.json()["version"] == version + 1
    refused = client.patch(f"/api/projects/{pk}/", {"project_code": "bad", "version": version + 1}, format="json")
    assert refused.status_code == 400 and "项目代码格式不正确" in refused.json()["project_code"][0]


def test_move_action_and_history(api, make_project, xiaoyi_staff):
    project = make_project()
    client = api(xiaoyi_staff)
    refused = client.post(f"/api/projects/{project.pk}/move/", {"to_stage": "terminated"}, format="json")
    assert refused.status_code == 400 and refused.json() == {"reason": ["终止项目必须填写原因。"]}
    moved = client.post(
        f"/api/projects/{project.pk}/move/",
        {"to_stage": "contact", "dates": {"contact_on": TODAY.isoformat()}},
        format="json",
    )
    assert moved.status_code == 201 and moved.json()["user"] == "xiaoyi-staff"
    history = client.get(f"/api/projects/{project.pk}/history/").json()
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [("planning", "contact")]


def test_other_zone_is_invisible_and_unwritable(api, make_project, tunliu, xiaoyi, tunliu_staff):
    project = make_project()
    client = api(tunliu_staff)
    assert client.get(f"/api/projects/{project.pk}/").status_code == 404
    assert client.post(f"/api/projects/{project.pk}/move/", {"to_stage": "contact"}, format="json").status_code == 404
    response = client.post(
        "/api/projects/",
        {"name": "越权", "zone": xiaoyi.pk, "total_investment": "1", "plan_year": TODAY.year},
        format="json",
    )
    assert response.status_code == 400 and "无权使用" in response.json()["zone"][0]


def test_read_only_office_cannot_write(api, make_project, xiaoyi, lvliang_office):
    project = make_project()
    client = api(lvliang_office)
    assert client.get(f"/api/projects/{project.pk}/").status_code == 200
    assert client.patch(f"/api/projects/{project.pk}/", {"name": "改名"}, format="json").status_code == 403


def test_milestones_and_progress(api, make_project, xiaoyi_staff):
    project = make_project()
    client = api(xiaoyi_staff)
    created = client.post(
        "/api/milestones/", {"project": project.pk, "name": "完成能评", "planned_on": "2020-05-01"}, format="json"
    )
    assert created.status_code == 201 and created.json()["overdue"] is True
    assert client.get("/api/milestones/", {"overdue": "true"}).json()["count"] == 1
    done = client.post(
        f"/api/milestones/{created.json()['id']}/complete/", {"actual_on": TODAY.isoformat()}, format="json"
    )
    assert done.status_code == 200 and done.json()["overdue"] is False
    progress = client.post(
        "/api/progress/",
        {"project": project.pk, "reported_on": TODAY.isoformat(), "text": "桩基施工", "investment": "300"},
        format="json",
    )
    assert progress.status_code == 201
    assert client.get(f"/api/projects/{project.pk}/").json()["year_completed_investment"] == "300.00"


def test_enterprise_credit_code_checked_in_api(api, xiaoyi, xiaoyi_staff):
    response = api(xiaoyi_staff).post(
        "/api/enterprises/", {"name": "某企业", "zone": xiaoyi.pk, "credit_code": "91350100M000100Y44"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"credit_code": ["统一社会信用代码校验位错误：最后一位应为 3，实际为 4。"]}


def test_zones_parks_and_schema(api, xiaoyi, tunliu, xiaoyi_park, xiaoyi_staff):
    client = api(xiaoyi_staff)
    zones = client.get("/api/zones/").json()
    assert [zone["name"] for zone in zones["results"]] == ["孝义经济技术开发区"]
    assert client.get("/api/parks/").json()["results"][0]["name"] == "梧桐新材料园"
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and "/api/projects/{id}/move/" in schema.json()["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs and "cdn" not in docs.lower()


def test_parks_crud_for_zone_staff(api, xiaoyi, tunliu, xiaoyi_staff):
    client = api(xiaoyi_staff)
    created = client.post("/api/parks/", {"zone": xiaoyi.pk, "name": "氢能产业园"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    duplicate = client.post("/api/parks/", {"zone": xiaoyi.pk, "name": "氢能产业园"}, format="json")
    assert duplicate.status_code == 400
    assert (
        client.patch(f"/api/parks/{pk}/", {"name": "氢能装备产业园"}, format="json").json()["name"] == "氢能装备产业园"
    )
    assert client.post("/api/parks/", {"zone": tunliu.pk, "name": "越权园区"}, format="json").status_code == 400
    assert client.delete(f"/api/parks/{pk}/").status_code == 204


def test_zones_are_created_by_administrators_only(api, admin_user, xiaoyi_staff):
    payload = {
        "name": "太谷经济技术开发区",
        "short_name": "太谷经开区",
        "region": "140703",
        "level": "provincial",
        "kind": "economic",
    }
    assert api(xiaoyi_staff).post("/api/zones/", payload, format="json").status_code == 403
    created = api(admin_user).post("/api/zones/", payload, format="json")
    assert created.status_code == 201 and created.json()["region_name"].endswith("太谷区")
    bad = api(admin_user).post(
        "/api/zones/", payload | {"name": "某区", "short_name": "某", "region": "999999"}, format="json"
    )
    assert bad.status_code == 400 and "未找到行政区划代码“999999”" in bad.json()["region"][0]
    zone_id = created.json()["id"]
    patched = api(admin_user).patch(f"/api/zones/{zone_id}/", {"leading_industries": "农产品加工"}, format="json")
    assert patched.status_code == 200 and patched.json()["leading_industries"] == "农产品加工"
    assert api(admin_user).delete(f"/api/zones/{zone_id}/").status_code == 405
