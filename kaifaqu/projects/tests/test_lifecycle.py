"""The lifecycle rules of DESIGN.md, through the service every entry point calls."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaifaqu.projects.models import Milestone, Project, Stage, StageChange
from kaifaqu.projects.services import (
    milestone_complete,
    milestone_create,
    progress_create,
    progress_delete,
    project_move_stage,
    project_update,
)

TODAY = timezone.localdate()
CODE = f"{TODAY.year}-141181-26-03-012345"


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def errors_of(caught) -> dict:
    return caught.value.message_dict


def test_forward_one_step_needs_that_steps_date(make_project, xiaoyi_staff):
    project = make_project()
    with pytest.raises(ValidationError) as caught:
        project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.CONTACT)
    assert errors_of(caught) == {"contact_on": ["请填写对接日期。"]}
    change = project_move_stage(
        user=xiaoyi_staff, project=project, to_stage=Stage.CONTACT, dates={"contact_on": days_ago(10)}
    )
    project.refresh_from_db()
    assert project.stage == Stage.CONTACT and project.contact_on == days_ago(10)
    assert (change.from_stage, change.to_stage, change.user, change.step_date) == (
        Stage.PLANNING,
        Stage.CONTACT,
        xiaoyi_staff,
        days_ago(10),
    )


def test_skipping_lead_stages_is_allowed_without_their_dates(make_project, xiaoyi_staff):
    project = make_project()
    project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.SIGNED, dates={"signed_on": days_ago(5)})
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.contact_on is None


def test_skipping_a_dated_step_requires_its_date(make_project, xiaoyi_staff):
    project = make_project(stage=Stage.SIGNED, stage_dates={"signed_on": days_ago(100)})
    with pytest.raises(ValidationError) as caught:
        project_move_stage(
            user=xiaoyi_staff,
            project=project,
            to_stage=Stage.STARTED,
            dates={"started_on": days_ago(3)},
            project_code=CODE,
        )
    assert errors_of(caught) == {"filed_on": ["跳过“已备案（待开工）”阶段时须填写备案日期。"]}
    project_move_stage(
        user=xiaoyi_staff,
        project=project,
        to_stage=Stage.STARTED,
        dates={"filed_on": days_ago(30), "started_on": days_ago(3)},
        project_code=CODE,
    )
    project.refresh_from_db()
    assert (project.stage, project.filed_on, project.started_on, project.project_code) == (
        Stage.STARTED,
        days_ago(30),
        days_ago(3),
        CODE,
    )


def test_filing_needs_a_valid_project_code(make_project, xiaoyi_staff):
    project = make_project(stage=Stage.SIGNED, stage_dates={"signed_on": days_ago(100)})
    with pytest.raises(ValidationError) as caught:
        project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.FILED, dates={"filed_on": days_ago(1)})
    assert errors_of(caught) == {"project_code": ["进入“已备案”阶段须填写项目代码。"]}
    with pytest.raises(ValidationError) as caught:
        project_move_stage(
            user=xiaoyi_staff,
            project=project,
            to_stage=Stage.FILED,
            dates={"filed_on": days_ago(1)},
            project_code="2025-1411",
        )
    assert "项目代码格式不正确" in errors_of(caught)["project_code"][0]
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.project_code is None  # nothing half-written


def test_dates_may_not_go_backwards_or_into_the_future(make_project, xiaoyi_staff):
    project = make_project(stage=Stage.CONTACT, stage_dates={"contact_on": days_ago(10)})
    with pytest.raises(ValidationError) as caught:
        project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.INTENT, dates={"intent_on": days_ago(20)})
    assert errors_of(caught)["intent_on"] == [f"确定意向日期（{days_ago(20)}）不能早于对接日期（{days_ago(10)}）。"]
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.INTENT, dates={"intent_on": tomorrow})
    assert errors_of(caught)["intent_on"] == [f"确定意向日期（{tomorrow}）不能晚于今天（{TODAY}）。"]


def test_back_needs_a_reason_and_clears_later_dates(make_project, xiaoyi_staff):
    project = make_project(stage=Stage.READY, stage_dates={"contact_on": days_ago(30), "ready_on": days_ago(10)})
    with pytest.raises(ValidationError) as caught:
        project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.CONTACT)
    assert errors_of(caught) == {"reason": ["退回到之前的阶段必须填写原因。"]}
    change = project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.CONTACT, reason="企业融资未落实")
    project.refresh_from_db()
    assert project.stage == Stage.CONTACT and project.ready_on is None and project.contact_on == days_ago(30)
    assert change.reason == "企业融资未落实"


def test_terminate_needs_a_reason_and_keeps_where_it_stopped(make_project, xiaoyi_staff):
    project = make_project(stage=Stage.INTENT, stage_dates={"intent_on": days_ago(10)})
    with pytest.raises(ValidationError) as caught:
        project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.TERMINATED)
    assert errors_of(caught) == {"reason": ["终止项目必须填写原因。"]}
    project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.TERMINATED, reason="企业投资方向调整")
    project.refresh_from_db()
    assert (project.stage, project.terminated_from, project.terminated_on) == (Stage.TERMINATED, Stage.INTENT, TODAY)
    with pytest.raises(ValidationError) as caught:
        project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.SIGNED, reason="恢复")
    assert "只能恢复到终止前的阶段" in errors_of(caught)["to_stage"][0]
    project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.INTENT, reason="企业重新启动")
    project.refresh_from_db()
    assert project.stage == Stage.INTENT and project.terminated_on is None


def test_every_move_is_recorded_with_user_and_time(make_project, xiaoyi_staff):
    project = make_project()
    project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.CONTACT, dates={"contact_on": days_ago(3)})
    project_move_stage(user=xiaoyi_staff, project=project, to_stage=Stage.INTENT, dates={"intent_on": days_ago(1)})
    changes = list(StageChange.objects.filter(project=project).order_by("created_at", "id"))
    assert [(c.from_stage, c.to_stage) for c in changes] == [
        (Stage.PLANNING, Stage.CONTACT),
        (Stage.CONTACT, Stage.INTENT),
    ]
    assert all(c.user == xiaoyi_staff and c.created_at is not None for c in changes)
    assert changes[1].dates == {"intent_on": days_ago(1).isoformat()}


def test_stage_fields_change_only_by_a_move(make_project, xiaoyi_staff):
    project = make_project()
    with pytest.raises(ValidationError) as caught:
        project_update(user=xiaoyi_staff, project=project, fields={"stage": Stage.STARTED})
    assert errors_of(caught) == {"stage": ["阶段及各阶段日期请通过“变更阶段”修改。"]}


def test_created_at_a_later_stage_is_recorded(make_project):
    project = make_project(
        stage=Stage.STARTED,
        project_code=CODE,
        stage_dates={"signed_on": days_ago(90), "filed_on": days_ago(60), "started_on": days_ago(30)},
    )
    assert project.stage == Stage.STARTED
    change = project.stage_changes.get()
    assert (change.from_stage, change.to_stage) == (Stage.PLANNING, Stage.STARTED)


def test_other_zones_staff_may_not_move(make_project, tunliu_staff, lvliang_office):
    project = make_project()
    for user in (tunliu_staff, lvliang_office):
        with pytest.raises(PermissionDenied):
            project_move_stage(user=user, project=project, to_stage=Stage.CONTACT, dates={"contact_on": TODAY})
    assert Project.objects.get(pk=project.pk).stage == Stage.PLANNING


def test_milestone_overdue_when_planned_date_passed_without_actual(make_project, xiaoyi_staff):
    project = make_project()
    late = milestone_create(user=xiaoyi_staff, project=project, name="完成环评批复", planned_on=days_ago(1))
    due_today = milestone_create(user=xiaoyi_staff, project=project, name="土地摘牌", planned_on=TODAY)
    assert late.is_overdue() and not due_today.is_overdue()
    assert list(Milestone.objects.overdue()) == [late]
    assert list(Project.objects.with_overdue_milestones()) == [project]
    milestone_complete(user=xiaoyi_staff, milestone=late, actual_on=TODAY)
    assert not late.is_overdue()
    assert not Milestone.objects.overdue().exists()


def test_progress_in_plan_year_adds_to_year_completed(make_project, xiaoyi_staff):
    from decimal import Decimal

    project = make_project(plan_year=TODAY.year)
    report = progress_create(
        user=xiaoyi_staff, project=project, reported_on=TODAY, text="主体封顶", investment=Decimal("1200.50")
    )
    project.refresh_from_db()
    assert project.year_completed_investment == Decimal("1200.50")
    progress_delete(user=xiaoyi_staff, report=report)
    project.refresh_from_db()
    assert project.year_completed_investment == Decimal("0")
