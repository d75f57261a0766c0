"""Command-line contracts: the ``kaifaqu`` console script, exit codes and one-line Chinese errors."""

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.zones.models import Unit, Zone


def run(*argv):
    """Run a command in-process; answer (exit code, message) as the console script would print them.

    (The console script itself runs in a subprocess below; in-process runs see the test database.)
    """
    try:
        call_command(*argv, stdout=io.StringIO())
    except CommandError as error:
        return error.returncode, str(error)
    return 0, ""


@pytest.mark.django_db
def test_add_zone_creates_zone_and_its_committee():
    out = io.StringIO()
    call_command(
        "add_zone",
        "太谷经济技术开发区",
        "--region",
        "140703",
        "--short",
        "太谷经开区",
        "--level",
        "provincial",
        stdout=out,
    )
    zone = Zone.objects.get(short_name="太谷经开区")
    assert zone.region_id == "140703" and Unit.objects.filter(zone=zone, kind="zone").exists()
    assert "已创建开发区：太谷经济技术开发区" in out.getvalue()


@pytest.mark.django_db
def test_add_zone_unknown_region_is_one_chinese_line():
    with pytest.raises(CommandError) as caught:
        call_command("add_zone", "某开发区", "--region", "999999")
    assert "未找到行政区划代码“999999”" in str(caught.value)
    assert not Zone.objects.exists()


@pytest.mark.django_db
def test_pipeline_stats_unknown_zone_exits_nonzero_in_chinese(xiaoyi):
    code, err = run("pipeline_stats", "--zone", "不存在开发区")
    assert code == 1 and err == "未找到开发区“不存在开发区”。"


@pytest.mark.django_db
def test_pipeline_stats_bad_year_and_unknown_flag(xiaoyi, make_project):
    make_project()
    code, err = run("pipeline_stats", "--zone", "孝义", "--year", "20x5")
    assert code == 1 and err == "年度“20x5”无效：应为四位年份，如 2025。"
    code, err = run("pipeline_stats", "--zone", "孝义", "--year", "2003")
    assert code == 1 and err == "孝义经济技术开发区没有 2003 年度的项目。"
    code, err = run("pipeline_stats", "--zone", "孝义", "--colour")
    assert code == 2 and err == "无法识别的参数：--colour"


def test_console_script_is_installed_and_runs_django_commands(tmp_path):
    env = os.environ | {"KAIFAQU_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    script = os.path.join(os.path.dirname(sys.executable), "kaifaqu")
    result = subprocess.run([script, "help", "pipeline_stats"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0 and "--zone" in result.stdout
    result = subprocess.run(
        [script, "pipeline_stats", "--zone", "孝义", "--bogus"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2 and result.stderr.startswith("无法识别的参数：--bogus")


def test_a_command_writes_its_changes_to_the_trail_as_command(tmp_path):
    env = os.environ | {"KAIFAQU_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    script = os.path.join(os.path.dirname(sys.executable), "kaifaqu")
    subprocess.run([script, "migrate", "-v0"], check=True, env=env, timeout=300)
    result = subprocess.run(
        [script, "add_zone", "汾阳杏花村经济技术开发区", "--region", "141182"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "kaifaqu.sqlite3") as database:
        rows = database.execute("SELECT action, source, object_repr FROM audit_auditentry").fetchall()
    assert rows == [("create", "command", "汾阳杏花村经济技术开发区")]
