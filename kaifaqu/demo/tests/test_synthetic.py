"""Synthetic data obeys the same rules as data entered through the services."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db.models import F, Q, Sum

from kaifaqu.enterprises.credit_code import validate_credit_code
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import Milestone, Project, Stage, StageChange
from kaifaqu.projects.project_code import validate_project_code
from kaifaqu.zones.models import Unit, Zone


@pytest.mark.django_db
def test_generates_consistent_ledgers():
    out = io.StringIO()
    call_command("gen_synthetic", "--zones", "5", "--projects", "400", "--seed", "3", stdout=out)
    assert "项目 400 个" in out.getvalue()
    assert Zone.objects.count() == 5 and Unit.objects.filter(kind="zone").count() == 5
    assert Project.objects.count() == 400 and Milestone.objects.count() == 1200
    for project in Project.objects.select_related("enterprise"):
        reached = lifecycle.RANK[project.reached_stage]
        dates = [getattr(project, lifecycle.DATE_FIELD[s]) for s in lifecycle.ORDER[1 : reached + 1]]
        assert all(dates) and dates == sorted(dates), project.pk  # every step dated, in order
        if reached >= lifecycle.RANK[Stage.FILED]:
            validate_project_code(project.project_code)
        if project.enterprise:
            assert project.enterprise.zone_id == project.zone_id
            validate_credit_code(project.enterprise.credit_code)
        if project.in_statistics:
            assert project.stage in (Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY)
    assert (
        StageChange.objects.filter(to_stage=Stage.TERMINATED).count()
        == Project.objects.filter(stage=Stage.TERMINATED).count()
    )
    # The year's 完成投资 is never below what its progress reports of that year add up to (no negative 未分月).
    for project in Project.objects.annotate(
        reported=Sum("progress_reports__investment", filter=Q(progress_reports__reported_on__year=F("plan_year")))
    ):
        assert project.year_completed_investment >= (project.reported or 0), project.pk


@pytest.mark.django_db
def test_same_seed_twice_adds_more_zones_without_clashing():
    call_command("gen_synthetic", "--zones", "3", "--projects", "30", stdout=io.StringIO())
    call_command("gen_synthetic", "--zones", "3", "--projects", "30", stdout=io.StringIO())
    assert Zone.objects.count() == 6 and Project.objects.count() == 60


def test_start_prepares_the_database_and_prints_url_and_logins(tmp_path):
    script = [sys.executable, "-m", "kaifaqu", "start", "--no-serve"]
    env = {"PATH": "/usr/bin:/bin", "KAIFAQU_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    first = subprocess.run(script, capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:8000" in first.stdout
    for login in ("admin", "city-lvliang", "zone-xiaoyi", "zone-tunliu", "kaifaqu-demo"):
        assert login in first.stdout
    assert "已加载演示数据" in first.stdout and (tmp_path / "kaifaqu.sqlite3").exists()
    again = subprocess.run(script, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0 and "数据库中已有数据，不加载演示数据。" in again.stdout
