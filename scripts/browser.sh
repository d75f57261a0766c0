# Sourced by test.sh: makes Debian's Chromium and a CJK font available to the browser tests.
# Playwright drives /usr/bin/chromium (its own browser download is blocked on these machines).
ensure_browser() {
    local missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || missing+=(fonts-wqy-microhei)
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; then
            echo ">> 安装浏览器测试所需：${missing[*]}"
            local run=""; [ "$(id -u)" = 0 ] || run=sudo
            $run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
                || { $run apt-get update -q >/dev/null && $run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
        else
            echo "!! 未安装 ${missing[*]}：浏览器测试将被跳过（apt-get install -y ${missing[*]}）" >&2
        fi
    fi
    if command -v chromium >/dev/null; then
        export KAIFAQU_CHROMIUM="${KAIFAQU_CHROMIUM:-$(command -v chromium)}"
    fi
}
