#!/usr/bin/env bash
# The member's daily library over HTTP: 今日更新 (JSON and Atom, checked by a
# real feed parser, ETag and If-None-Match), saved searches (save, new since
# last looked, matches, the private feed and its revocation, limits,
# someone else's), 一键快速查找, 提纲, favourites, history, the server-side
# cart (the same from a second login), near duplicates, and the errors.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools
export SUCAI_PWHASH_FAST=1

LIB=$(new_library lib)
s() { "$SUCAI" -L "$LIB" "$@"; }
http_library "$LIB" || { echo "not ok - library"; exit 1; }
echo "pass-alice-1" | s user add alice --tier free >/dev/null
echo "pass-bob-12" | s user add bob --tier vip >/dev/null
start_server "$LIB" || { echo "not ok - server start"; exit 1; }
enc() { jq -rn --arg s "$1" '$s | @uri'; }
NDOCS=$(s list --json | jq length)

# a feed parser: Debian's python3-feedparser (under /usr/bin/python3)
FEEDPY=
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import feedparser' 2>/dev/null; then FEEDPY=$p; break; fi
done
check_feed() { # NAME ENTRIES: the last body parses as Atom without bozo, with ENTRIES entries
    if [ -z "$FEEDPY" ]; then
        t_skip "$1: the feed parses" "python3-feedparser is not installed"
        return
    fi
    t_eq "$1: feedparser reads Atom 1.0, no bozo, $2 entries, ids and dates" "atom10 0 $2 ok" "$("$FEEDPY" - "$T_TMP/body" <<'PY'
import feedparser, sys
f = feedparser.parse(open(sys.argv[1], 'rb').read())
ok = all(e.get('id') and e.get('updated_parsed') and e.get('title') and e.get('link')
         for e in f.entries) and len({e.id for e in f.entries}) == len(f.entries)
ok = ok and f.feed.get('id') and f.feed.get('updated_parsed') and f.feed.get('title')
print(f.version, int(f.bozo), len(f.entries), 'ok' if ok else 'bad')
PY
)"
}

# ---- 今日更新
t_eq "updates 200" 200 "$(req GET /api/v1/updates)"
t_eq "updates counts every document imported today" "$NDOCS $NDOCS" "$(jbody '"\(.total) \(.days[0].count)"')"
t_eq "updates lists them newest first" "$(s list --json | jq -r 'map(.id) | sort | reverse | .[0]')" "$(jbody '.docs[0].id')"
t_ok "updates group by 文种" test "$(jbody '.days[0].genres | length')" -ge 2
t_eq "each listed document has a summary" "$NDOCS" "$(jbody '[.docs[] | select(.summary | length > 0)] | length')"
g=$(jbody -r '.days[0].genres[0].value')
t_eq "updates per 文种" "$(jbody '.days[0].genres[0].count')" "$(req GET "/api/v1/updates?genre=$(enc "$g")" >/dev/null; jbody .total)"
t_eq "paging: limit 1 gives next_before" 1 "$(req GET '/api/v1/updates?limit=1' >/dev/null; jbody '.docs | length')"
nb=$(jbody .next_before)
t_eq "the next page continues below it" "$((NDOCS - 1)) 0" "$(req GET "/api/v1/updates?limit=100&before=$nb" >/dev/null; jbody "\"\\(.docs | length) \\([.docs[].id | select(. >= $nb)] | length)\"")"
t_eq "updates since tomorrow: none" 0 "$(req GET "/api/v1/updates?since=$(date -d tomorrow +%F)" >/dev/null; jbody .total)"
t_eq "a bad since is refused" 400 "$(req GET '/api/v1/updates?since=yesterday')"
t_ok "saying what is wrong" grep -q "since must be" "$T_TMP/body"
t_eq "a bad limit is refused" 400 "$(req GET '/api/v1/updates?limit=1000')"

t_eq "the updates feed 200" 200 "$(req GET /api/v1/feeds/updates)"
t_ok "is Atom" sh -c "grep -qi '^Content-Type: application/atom+xml' '$T_TMP/headers'"
check_feed "updates feed" "$NDOCS"
etag=$(header ETag)
t_ok "has an ETag" test -n "$etag"
t_eq "If-None-Match gives 304" 304 "$(req GET /api/v1/feeds/updates -H "If-None-Match: $etag")"
t_eq "with no body" 0 "$(header Content-Length)"
t_eq "another ETag gives the feed" 200 "$(req GET /api/v1/feeds/updates -H 'If-None-Match: "0000"')"
ng=$(req GET "/api/v1/updates?genre=$(enc "$g")" >/dev/null; jbody .total)
t_eq "a feed per 文种" 200 "$(req GET "/api/v1/feeds/updates?genre=$(enc "$g")")"
check_feed "per-genre feed" "$ng"

# ---- sessions
declare -A CSRF
login() { # sets ST and CSRF[NAME]; not in a subshell
    ST=$(req POST /api/v1/session -c "$T_TMP/jar.$1" -H 'Content-Type: application/json' \
        --data "$(jq -cn --arg n "$1" --arg p "$2" '{name: $n, password: $p}')")
    if [ "$ST" = 200 ]; then CSRF[$1]=$(jbody .csrf); fi
}
login alice pass-alice-1
t_eq "alice logs in" 200 "$ST"
login bob pass-bob-12
t_eq "bob logs in" 200 "$ST"
A=(-b "$T_TMP/jar.alice" -H "X-CSRF-Token: ${CSRF[alice]}")
Bb=(-b "$T_TMP/jar.bob" -H "X-CSRF-Token: ${CSRF[bob]}")
J=(-H 'Content-Type: application/json')

# ---- saved searches
t_eq "anonymous: no saved searches" 401 "$(req GET /api/v1/watches)"
t_eq "save one" 201 "$(req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{"name": "检查", "query": "检查 | 素材库"}')"
W=$(jbody .id)
t_eq "listed, nothing new yet" "1 0 3" "$(req GET /api/v1/watches "${A[@]}" >/dev/null; jbody '"\(.watches | length) \(.watches[0].new) \(.limit)"')"
t_eq "without the CSRF token: refused" 403 "$(req POST /api/v1/watches -b "$T_TMP/jar.alice" "${J[@]}" --data '{"query": "x"}')"
t_eq "a bad query: 400 with the place" 400 "$(req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{"query": "(检查"}')"
t_ok "naming the character" grep -q "at character" "$T_TMP/body"
t_eq "... and its position" 1 "$(jbody .error.position)"
t_eq "no query: 400" 400 "$(req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{"name": "x"}')"
t_eq "bad JSON: 400" 400 "$(req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{')"
t_eq "the same name again: 409" 409 "$(req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{"name": "检查", "query": "y"}')"
req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{"query": "二"}' >/dev/null
req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{"query": "三"}' >/dev/null
t_eq "a free member keeps three" 400 "$(req POST /api/v1/watches "${A[@]}" "${J[@]}" --data '{"query": "四"}')"
t_ok "and is told so" grep -q "may keep 3" "$T_TMP/body"
t_eq "bob does not see alice's" 404 "$(req GET "/api/v1/watches/$W" "${Bb[@]}")"
t_eq "nor removes it" 404 "$(req DELETE "/api/v1/watches/$W" "${Bb[@]}")"

# new material arrives (imported while the server runs)
mkdir -p "$T_TMP/new"
printf '关于开展消防安全检查的通知\n各单位：\n现就开展消防安全检查有关事项通知如下。\n一、检查范围\n全部场所。\nXX市应急管理局\n2024年5月6日\n' >"$T_TMP/new/n1.txt"
printf '素材库建设情况汇报\n一、基本情况\n素材库运行平稳。\n' >"$T_TMP/new/n2.txt"
printf '无关的工作简报\n本期无内容。\n' >"$T_TMP/new/n3.txt"
s import --quiet "$T_TMP/new" >/dev/null
t_eq "two new matches" 2 "$(req GET /api/v1/watches "${A[@]}" >/dev/null; jbody '.watches[] | select(.name == "检查") | .new')"
t_eq "the matches, newest first" 200 "$(req GET "/api/v1/watches/$W" "${A[@]}")"
t_eq "are the new documents" "素材库建设情况汇报 关于开展消防安全检查的通知" "$(jbody '[.hits[].title] | join(" ")')"
t_eq "marked new" "true true" "$(jbody '[.hits[].new] | map(tostring) | join(" ")')"
t_eq "with their 发文字号 and date fields" "null 2024-05-06" "$(jbody '"\(.hits[0].docno) \(.hits[1].date)"')"
t_eq "looked at" 200 "$(req POST "/api/v1/watches/$W/seen" "${A[@]}")"
t_eq "nothing new now" 0 "$(req GET /api/v1/watches "${A[@]}" >/dev/null; jbody '.watches[] | select(.name == "检查") | .new')"
t_eq "a private feed" 201 "$(req POST "/api/v1/watches/$W/feed" "${A[@]}")"
url=$(jbody .url)
t_ok "its token" test "$(jbody .token | cut -c1-4)" = swf_
t_eq "the feed opens without a login" 200 "$(req GET "$url")"
check_feed "saved-search feed" 2
etag=$(header ETag)
t_eq "feed 304 on its ETag" 304 "$(req GET "$url" -H "If-None-Match: $etag")"
t_eq "revoke the feed" 200 "$(req DELETE "/api/v1/watches/$W/feed" "${A[@]}")"
t_eq "a revoked feed is gone" 404 "$(req GET "$url")"
t_eq "a made-up token is not found" 404 "$(req GET '/api/v1/feeds/watch?token=swf_0123')"
t_eq "remove the saved search" 200 "$(req DELETE "/api/v1/watches/$W" "${A[@]}")"
t_eq "removed" 404 "$(req GET "/api/v1/watches/$W" "${A[@]}")"

# ---- 一键快速查找
NEW=$(s list --json | jq '.[] | select(.title == "关于开展消防安全检查的通知") | .id')
t_eq "suggest 200" 200 "$(req GET "/api/v1/suggest?q=$(enc 消防)")"
t_eq "suggests the title" "title $NEW" "$(jbody '"\(.suggestions[0].kind) \(.suggestions[0].id)"')"
t_eq "with where it matched" "[4,6]" "$(jbody -c '.suggestions[0].match')"
t_eq "by date" "date $NEW" "$(req GET "/api/v1/suggest?q=$(enc 2024年5月)" >/dev/null; jbody '"\(.suggestions[0].kind) \(.suggestions[0].id)"')"
U=$(s list --json | jq -r '[.[] | .unit // empty] | .[0]')
t_eq "by unit ($U)" "unit $U" "$(req GET "/api/v1/suggest?q=$(enc "$U")" >/dev/null; jbody '"\(.suggestions[0].kind) \(.suggestions[0].unit)"')"
t_eq "an empty box suggests nothing" 0 "$(req GET '/api/v1/suggest?q=' >/dev/null; jbody '.suggestions | length')"
t_eq "a bad limit" 400 "$(req GET '/api/v1/suggest?q=x&limit=0')"
t_eq "too long" 400 "$(req GET "/api/v1/suggest?q=$(head -c 300 /dev/zero | tr '\0' a)")"

# ---- 提纲
t_eq "outline-stats needs a genre" 400 "$(req GET /api/v1/outline-stats)"
t_eq "outline-stats of 通知" 200 "$(req GET "/api/v1/outline-stats?genre=$(enc 通知)")"
t_ok "counts the genre's documents" test "$(jbody .docs)" -ge 2
t_ok "and lists headings" test "$(jbody '.headings | length')" -ge 1
t_eq "with a query" 200 "$(req GET "/api/v1/outline-stats?genre=$(enc 通知)&q=$(enc 消防安全检查)")"
t_eq "narrowed to it" 1 "$(jbody .docs)"
t_eq "a bad query" 400 "$(req GET "/api/v1/outline-stats?genre=$(enc 通知)&q=$(enc '(')")"
t_eq "a bad number" 400 "$(req GET "/api/v1/outline-stats?genre=$(enc 通知)&headings=0")"

# ---- favourites, history, cart, near duplicates
t_eq "anonymous: no favourites" 401 "$(req GET /api/v1/favorites)"
t_eq "add a favourite" 200 "$(req POST /api/v1/favorites "${A[@]}" "${J[@]}" --data "{\"doc\": $NEW}")"
t_eq "listed" "1 $NEW" "$(req GET /api/v1/favorites "${A[@]}" >/dev/null; jbody '"\(.total) \(.items[0].id)"')"
t_eq "a missing document" 404 "$(req POST /api/v1/favorites "${A[@]}" "${J[@]}" --data '{"doc": 99999}')"
t_eq "a bad body" 400 "$(req POST /api/v1/favorites "${A[@]}" "${J[@]}" --data '{"doc": "x"}')"
t_eq "bob's are his own" 0 "$(req GET /api/v1/favorites "${Bb[@]}" >/dev/null; jbody .total)"
t_eq "remove it" 200 "$(req DELETE "/api/v1/favorites/$NEW" "${A[@]}")"
t_eq "removing again: 404" 404 "$(req DELETE "/api/v1/favorites/$NEW" "${A[@]}")"
req GET "/api/v1/docs/$NEW" "${A[@]}" >/dev/null
t_eq "reading records the history" "$NEW 1" "$(req GET /api/v1/history "${A[@]}" >/dev/null; jbody '"\(.items[0].id) \(.items[0].times)"')"
t_eq "clear the history" 200 "$(req DELETE /api/v1/history "${A[@]}")"
t_eq "cleared" 0 "$(req GET /api/v1/history "${A[@]}" >/dev/null; jbody .total)"
t_eq "set the cart" 200 "$(req POST /api/v1/cart "${A[@]}" "${J[@]}" --data "{\"ids\": [$NEW, 1, 99999, 1]}")"
t_eq "unknown ids dropped, repeats once" "[$NEW,1]" "$(jbody -c .ids)"
login alice pass-alice-1
t_eq "the cart follows alice to another login" "[$NEW,1]" "$(req GET /api/v1/cart -b "$T_TMP/jar.alice" >/dev/null; jbody -c .ids)"
t_eq "a bad cart" 400 "$(req POST /api/v1/cart -b "$T_TMP/jar.alice" -H "X-CSRF-Token: ${CSRF[alice]}" "${J[@]}" --data '{"ids": [0]}')"
t_eq "empty the cart" 200 "$(req DELETE /api/v1/cart -b "$T_TMP/jar.alice" -H "X-CSRF-Token: ${CSRF[alice]}")"
t_eq "emptied" "[]" "$(req GET /api/v1/cart -b "$T_TMP/jar.alice" >/dev/null; jbody -c .ids)"
t_eq "near duplicates of a document" 200 "$(req GET "/api/v1/docs/$NEW/near")"
t_eq "none for it" 0 "$(jbody '.near | length')"
t_eq "counts for a page of results" "0" "$(req GET "/api/v1/near?ids=1,$NEW" >/dev/null; jbody ".near[\"$NEW\"]")"
t_eq "bad ids" 400 "$(req GET '/api/v1/near?ids=1,x')"
t_eq "a missing document" 404 "$(req GET '/api/v1/docs/99999/near')"
t_eq "the metrics name the new routes" 1 "$(curl -s "$BASE/metrics" | grep -c 'route="suggest",status="200"' | awk '{print ($1 > 0)}')"
t_done
