#!/usr/bin/env bash
# 一条命令启动开发区调度平台：SQLite 数据库、演示数据、http://127.0.0.1:8000
# Starts kaifaqu on its embedded default (SQLite, demo data when empty) and prints the logins.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
exec .venv/bin/kaifaqu start "$@"
