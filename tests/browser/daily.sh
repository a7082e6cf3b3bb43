#!/usr/bin/env bash
# The member's daily library in a real browser (tests/browser/daily.test.mjs):
# 今日更新, the quick-find box, saved searches with "N new", the 提纲 panel,
# favourites and history, the server-side cart across two browsers, near
# duplicates. Skips like run.sh when node, chromium or playwright-core is missing.
. "$(dirname "$0")/../lib/testlib.sh"
. "$REPO/tests/http/lib.sh"

HERE="$REPO/tests/browser"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then t_skip "daily library in the browser" "node is not installed"; exit 0; fi
if [ ! -x "$CHROMIUM" ]; then t_skip "daily library in the browser" "no chromium at $CHROMIUM"; exit 0; fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    npm ci --prefix "$HERE" --no-audit --no-fund >"$T_TMP/npm.log" 2>&1 || true
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    t_skip "daily library in the browser" "playwright-core is not installed (npm ci --prefix tests/browser)"
    exit 0
fi
http_need_tools
export SUCAI_PWHASH_FAST=1
ARTIFACTS="$REPO/${BUILD:-build}/artifacts/browser"
mkdir -p "$ARTIFACTS"

LIB="$T_TMP/lib"
t_ok "library" http_library "$LIB"
if [ -d "$REPO/samples" ]; then
    "$SUCAI" -L "$LIB" import --quiet "$REPO/samples" >/dev/null 2>&1
fi
mkdir -p "$T_TMP/more" "$T_TMP/later"
# two near duplicates: the same six paragraphs under different titles
p1='为加快推进数字政府建设，提升政务服务效能，结合本地实际，制定本方案。'
p2='坚持整体协同、数据赋能、安全可控，推动政务服务从“能办”向“好办”“智办”转变。'
p3='到2025年基本建成一体化在线政务服务平台，高频事项网上可办率达到95%以上。'
p4='推进政务数据共享，建设统一的数据资源平台，打通部门之间的数据壁垒，实现一网通办。'
p5='完善数字基础设施，推进电子政务外网升级改造，提升网络安全防护能力和应急处置水平。'
p6='各部门要加强组织领导，明确责任分工，强化督促检查，确保各项任务落到实处，取得实效。'
printf '%s\n' "XX市数字政府建设实施方案" "X政办发〔2024〕7号" "各区人民政府，市政府各部门：" "$p1" "一、总体要求" "$p2" "$p3" "二、主要任务" "$p4" "$p5" "三、保障措施" "$p6" "XX市人民政府办公室" "2024年3月15日" >"$T_TMP/more/a.txt"
printf '%s\n' "XX区数字政府建设实施方案" "各街道办事处，区政府各部门：" "$p1" "一、总体要求" "$p2" "$p3" "二、主要任务" "$p4" "$p5" "三、保障措施" "$p6" "XX区人民政府办公室" "2024年4月2日" >"$T_TMP/more/b.txt"
"$SUCAI" -L "$LIB" import --quiet "$T_TMP/more" >/dev/null 2>&1
printf '%s\n' "关于推进数字政府建设的通知" "各单位：" "现就推进数字政府建设有关事项通知如下。" "一、提高认识" "数字政府建设是大势所趋。" "XX县人民政府办公室" "2024年5月6日" >"$T_TMP/later/c.txt"
printf 'pass-alice-1\n' >"$T_TMP/pw"
t_ok "member account" "$SUCAI" -L "$LIB" user add alice --tier free --password-file "$T_TMP/pw"

start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; }
BASE=$BASE CHROMIUM=$CHROMIUM ARTIFACTS=$ARTIFACTS USER_DATA_DIR="$T_TMP/chromium-profile" \
USER_NAME=alice USER_PASSWORD=pass-alice-1 SUCAI="$SUCAI" LIBRARY="$LIB" LATER="$T_TMP/later" \
    timeout 300 node "$HERE/daily.test.mjs"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || echo "not ok - browser script exited $rc"
[ $rc -eq 0 ] || T_FAILED=$((T_FAILED + 1))
stop_server
t_eq "server shut down cleanly" 0 "$SERVER_EXIT"
t_done
