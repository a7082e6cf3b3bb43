#!/usr/bin/env bash
# The 写作台 (web/desk.html) in a real browser: the draft (typed, uploaded,
# kept across reloads), the 查重 tab (rates, per-section rates, highlighted
# spans, sources with a link into the reader at the highlighted stretch,
# 常用表述 apart, comparison of two drafts, the .docx report), the daily
# check quota for anonymous callers and login, and a phone-width layout.
# Skips like run.sh when node, chromium or playwright-core is missing.
# Screenshots: $BUILD/artifacts/browser/desk-*.png.
. "$(dirname "$0")/../lib/testlib.sh"
. "$REPO/tests/http/lib.sh"

HERE="$REPO/tests/browser"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then t_skip "desk browser test" "node is not installed"; exit 0; fi
if [ ! -x "$CHROMIUM" ]; then t_skip "desk browser test" "no chromium at $CHROMIUM"; exit 0; fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    npm ci --prefix "$HERE" --no-audit --no-fund >"$T_TMP/npm.log" 2>&1 || true
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    t_skip "desk browser test" "playwright-core is not installed (npm ci --prefix tests/browser)"
    exit 0
fi
http_need_tools

ARTIFACTS="$REPO/${BUILD:-build}/artifacts/browser"
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/desk-*.png

LIB="$T_TMP/lib"
t_ok "library" http_library "$LIB"
printf 'browser-password-1\n' >"$T_TMP/pw"
t_ok "editor account" "$SUCAI" -L "$LIB" user add editor --role editor --password-file "$T_TMP/pw"
t_ok "anonymous callers get 7 checks a day" "$SUCAI" -L "$LIB" user check-quota anonymous 7
cat >"$T_TMP/稿件.txt" <<'EOF2'
XX局2024年上半年工作总结

一、主要工作
今年以来，我们坚持问题导向。深化商事制度改革，企业开办时间压缩至1个工作日，这是上传的稿件。
EOF2

start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; }
BASE=$BASE CHROMIUM=$CHROMIUM ARTIFACTS=$ARTIFACTS USER_DATA_DIR="$T_TMP/chromium-profile" \
EDITOR_NAME=editor EDITOR_PASSWORD=browser-password-1 DRAFT_FILE="$T_TMP/稿件.txt" \
    timeout 300 node "$HERE/desk.test.mjs"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || echo "not ok - desk browser script exited $rc"
[ $rc -eq 0 ] || T_FAILED=$((T_FAILED + 1))
stop_server
t_eq "server shut down cleanly" 0 "$SERVER_EXIT"
echo "# screenshots in $ARTIFACTS"
t_done
