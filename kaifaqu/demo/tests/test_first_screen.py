"""What a newcomer sees after ``./start.sh``: Chinese only, the demo logins in aligned columns."""

import os
import socket
import subprocess
import sys
import time

from kaifaqu.demo.management.commands.load_demo import display_width, print_logins


def test_the_login_table_lines_up_by_display_width():
    rows = print_logins().splitlines()[1:]
    assert rows[0].split() == ["账号", "单位", "·", "角色"]
    # The second column starts at the same terminal column on every row, the header's
    # double-width 账号 and the longest login (province-shanxi) included.
    columns = {display_width(row) - display_width(row.split(maxsplit=1)[1]) for row in rows}
    assert len(columns) == 1, rows


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_start_serves_without_djangos_english_banner(tmp_path):
    port = _free_port()
    env = os.environ | {"KAIFAQU_DATA_DIR": str(tmp_path), "DATABASE_URL": "", "KAIFAQU_DEMO": "0"}
    env |= {"SECRET_KEY": "first-screen-test-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1"}
    script = os.path.join(os.path.dirname(sys.executable), "kaifaqu")
    log = tmp_path / "out.txt"
    with log.open("w") as out:
        server = subprocess.Popen([script, "start", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            listening, deadline = False, time.monotonic() + 120
            while not listening and time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=5).close()
                    listening = True
                except OSError:
                    time.sleep(0.5)
            time.sleep(1)  # let the server finish writing what it prints on binding
        finally:
            server.terminate()
            server.wait(timeout=30)
    printed = log.read_text(encoding="utf-8")
    assert listening, printed
    assert f"开发区调度平台已就绪：http://127.0.0.1:{port}" in printed and "按 Ctrl+C 停止。" in printed
    assert "development server" not in printed and "Starting" not in printed and "Quit the server" not in printed
