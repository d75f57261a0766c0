#!/usr/bin/env bash
# Prepares a checkout to run: a Python 3.11+ virtual environment in .venv with kaifaqu
# and its test tools installed, and the front-end assets fetched into the package.
# Sourced by start.sh and test.sh; safe to run again (it only redoes what changed).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {
    # Installs Debian packages when we may (root or sudo); says what to run otherwise.
    if command -v apt-get >/dev/null && as_root true 2>/dev/null; then
        echo ">> 安装系统软件包：$*"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null \
            || { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
    else
        echo "!! 缺少系统软件包：$*（请以管理员身份运行：apt-get install -y $*）" >&2
        return 1
    fi
}

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    echo "!! 需要 Python 3.11 或更高版本（Debian 12 自带的 python3 即可）。" >&2
    return 1
}

quiet_pip() { grep -v -e "is ignored: it is neither a file nor a directory" || true; }

if [ ! -x .venv/bin/python ]; then
    PYTHON=$(find_python)
    if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
        version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        apt_install "python${version}-venv" || apt_install python3-venv
    fi
    echo ">> 创建虚拟环境 .venv（$("$PYTHON" --version)）"
    "$PYTHON" -m venv .venv
fi

# Reinstall only when pyproject.toml changed since the last install.
stamp=.venv/.kaifaqu-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo ">> 安装 kaifaqu 及其依赖（首次约需一两分钟）"
    # Some machines' pip configuration names local mirrors that may be absent: keep its
    # "Location ... is ignored" chatter out of the way, show every other message.
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 >/dev/null | quiet_pip
    # The build backend's English "Editable installation" banner is a Python warning: silence
    # warnings for this one command so a newcomer's first screen stays Chinese (errors still show).
    PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | quiet_pip
    echo "$want" > "$stamp"
fi

# Reports draw their charts in a Chinese font; Debian's WenQuanYi is the usual one.
# grep reads the whole list (no -q): under pipefail an early exit would kill fc-list with
# SIGPIPE and the check would fail at random, reinstalling the font.
if ! { command -v fc-list >/dev/null && fc-list | grep -i "wenquanyi\|wqy\|noto sans cjk\|source han" >/dev/null; }; then
    apt_install fonts-wqy-microhei || echo "!! 报告图表中的汉字需要中文字体（apt-get install -y fonts-wqy-microhei）" >&2
fi

.venv/bin/python -m kaifaqu.core.assets
