"""Two people editing the same project: the second save is refused, showing what changed meanwhile."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from kaifaqu.conftest import make_user
from kaifaqu.projects.models import Project
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

TODAY = timezone.localdate()


@pytest.fixture
def colleague(xiaoyi):
    return make_user("xiaoyi-colleague", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)


def edit_form(page, project):
    """The edit form's fields as the browser would submit them, from the rendered page."""
    form = page.get(f"/projects/{project.pk}/edit/").context["form"]
    values = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in values.items()}


def test_second_page_save_is_refused_with_what_changed_meanwhile(make_project, xiaoyi_staff, colleague):
    project = make_project(name="焦炉煤气制氢项目", total_investment=Decimal("50000"))
    first, second = Client(), Client()
    first.force_login(xiaoyi_staff)
    second.force_login(colleague)
    mine = edit_form(first, project)
    theirs = edit_form(second, project)

    mine["total_investment"] = "62000"
    assert first.post(f"/projects/{project.pk}/edit/", mine).status_code == 302

    theirs["agent"] = "李娜"
    refused = second.post(f"/projects/{project.pk}/edit/", theirs)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "在您打开之后，该项目已被修改" in text and "xiaoyi-staff" in text and "50000.00 → 62000.00" in text
    stored = Project.objects.get(pk=project.pk)
    assert (stored.total_investment, stored.agent) == (Decimal("62000.00"), "")  # nothing overwritten

    # Having seen the change, the colleague saves again on purpose: now it is their decision.
    again = refused.context["form"].data.copy()
    assert second.post(f"/projects/{project.pk}/edit/", again).status_code == 302
    stored.refresh_from_db()
    assert stored.agent == "李娜" and stored.version == 3


def test_second_api_save_answers_409_with_the_changes(make_project, api, xiaoyi_staff, colleague):
    project = make_project(total_investment=Decimal("50000"))
    version = api(xiaoyi_staff).get(f"/api/projects/{project.pk}/").json()["version"]
    first = api(xiaoyi_staff).patch(
        f"/api/projects/{project.pk}/", {"total_investment": "70000", "version": version}, format="json"
    )
    assert first.status_code == 200
    second = api(colleague).patch(f"/api/projects/{project.pk}/", {"agent": "王芳", "version": version}, format="json")
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == version + 1 and "xiaoyi-staff" in body["detail"]
    assert body["changes"][0]["changes"]["总投资（万元）"] == {"old": "50000.00", "new": "70000.00"}
    assert Project.objects.get(pk=project.pk).agent == ""
    missing = api(colleague).patch(f"/api/projects/{project.pk}/", {"agent": "王芳"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()


def test_progress_investment_counts_as_a_change_of_the_project(make_project, xiaoyi_staff, colleague, api):
    """Progress with investment changes 年度完成投资: an edit based on the older figures must not undo it."""
    project = make_project(total_investment=Decimal("50000"))
    version = project.version
    added = api(colleague).post(
        "/api/progress/",
        {"project": project.pk, "reported_on": TODAY.isoformat(), "text": "主体封顶", "investment": "1200"},
        format="json",
    )
    assert added.status_code == 201
    stale = api(xiaoyi_staff).patch(
        f"/api/projects/{project.pk}/", {"agent": "赵倩", "version": version}, format="json"
    )
    assert stale.status_code == 409 and "年度完成投资" in stale.json()["detail"]
