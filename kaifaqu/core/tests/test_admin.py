import pytest

from kaifaqu.conftest import PASSWORD


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/zones/zone/",
        "/admin/zones/unit/",
        "/admin/zones/membership/add/",
        "/admin/projects/project/",
        "/admin/enterprises/enterprise/",
        "/admin/projects/plancategory/",
    ],
)
def test_admin_pages_open_for_the_administrator(client, admin_user, make_project, path):
    make_project()
    client.login(username=admin_user.username, password=PASSWORD)
    assert client.get(path).status_code == 200


def test_projects_are_not_edited_in_the_admin(client, admin_user, make_project):
    project = make_project()
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(f"/admin/projects/project/{project.pk}/change/", {"stage": "at_capacity"})
    assert response.status_code == 403
