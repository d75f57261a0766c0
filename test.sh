#!/usr/bin/env bash
# 一条命令运行全部测试（SQLite；设置 DATABASE_URL 即在 PostgreSQL 上运行）。
# Runs the whole test suite, browser tests included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
source scripts/browser.sh
ensure_browser
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest -n "${KAIFAQU_TEST_WORKERS:-2}" "$@"
