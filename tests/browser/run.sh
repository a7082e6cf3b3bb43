#!/usr/bin/env bash
# The browser test: starts `sucai serve` over a small library and drives the
# web page in chromium with playwright-core (tests/browser/page.test.mjs).
# Skips with a message when node, chromium or playwright-core is missing.
# Screenshots: $BUILD/artifacts/browser/*.png.
. "$(dirname "$0")/../lib/testlib.sh"
. "$REPO/tests/http/lib.sh"

HERE="$REPO/tests/browser"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then t_skip "browser test" "node is not installed"; exit 0; fi
if [ ! -x "$CHROMIUM" ]; then t_skip "browser test" "no chromium at $CHROMIUM"; exit 0; fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    # from the committed package-lock.json; offline machines skip
    npm ci --prefix "$HERE" --no-audit --no-fund >"$T_TMP/npm.log" 2>&1 || true
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    t_skip "browser test" "playwright-core is not installed (npm ci --prefix tests/browser)"
    exit 0
fi
http_need_tools

ARTIFACTS="$REPO/${BUILD:-build}/artifacts/browser"
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png

LIB="$T_TMP/lib"
t_ok "library" http_library "$LIB"
if [ -d "$REPO/samples" ]; then
    "$SUCAI" -L "$LIB" import --quiet "$REPO/samples" >/dev/null 2>&1
fi
printf 'browser-password-1\n' >"$T_TMP/pw"
t_ok "editor account" "$SUCAI" -L "$LIB" user add editor --role editor --password-file "$T_TMP/pw"
cat >"$T_TMP/关于开展节能宣传周活动的通知.txt" <<'EOF'
关于开展节能宣传周活动的通知

各科室、各下属单位：
为增强干部职工节能意识，决定于6月开展节能宣传周活动。现将有关事项通知如下。

一、活动主题
绿色低碳，节能先行。

二、活动安排
（一）开展节能知识竞赛。
（二）组织“无纸化办公日”活动。

XX局办公室
2024年6月3日
EOF

start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; }
BASE=$BASE CHROMIUM=$CHROMIUM ARTIFACTS=$ARTIFACTS USER_DATA_DIR="$T_TMP/chromium-profile" \
EDITOR_NAME=editor EDITOR_PASSWORD=browser-password-1 UPLOAD_FILE="$T_TMP/关于开展节能宣传周活动的通知.txt" \
    timeout 300 node "$HERE/page.test.mjs"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || echo "not ok - browser script exited $rc"
[ $rc -eq 0 ] || T_FAILED=$((T_FAILED + 1))
stop_server
t_eq "server shut down cleanly" 0 "$SERVER_EXIT"
echo "# screenshots in $ARTIFACTS"
t_done
