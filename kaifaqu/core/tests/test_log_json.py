"""KAIFAQU_LOG_JSON=1: every log line is one JSON object a collector can read, Chinese kept, a request's
status and path attached, a traceback in one field; without it the console stays plain text."""

import json
import logging
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory

from kaifaqu.core.log_json import JsonFormatter, logging_config

ROOT = Path(__file__).resolve().parents[3]


def test_a_record_is_one_json_object_with_the_request_and_the_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("台账文件损坏")
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "导入失败：%s", ("孝义项目台账.xlsx",), sys.exc_info()
        )
    record.status_code = 500
    record.request = RequestFactory().post("/imports/")
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "导入失败：孝义项目台账.xlsx" and entry["level"] == "ERROR"
    assert (entry["status"], entry["method"], entry["path"]) == (500, "POST", "/imports/")
    assert "ValueError: 台账文件损坏" in entry["exception"] and entry["time"][:2] == "20"


def test_the_setting_switches_the_console_to_json_lines(tmp_path):
    assert "formatter" not in logging_config(level="WARNING", json_lines=False)["handlers"]["console"]
    script = "import logging, django; django.setup(); logging.getLogger('kaifaqu').warning('月报逾期：%s', '孝义')"
    env = {"KAIFAQU_LOG_JSON": "1", "KAIFAQU_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kaifaqu.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert json.loads(lines[-1])["message"] == "月报逾期：孝义", done.stderr
