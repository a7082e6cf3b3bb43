#!/usr/bin/env bash
# The paywall over HTTP: for every tier and role (and token, expired,
# revoked, disabled callers), every endpoint that returns text must serve
# the paid part exactly when the caller is entitled. Then the security
# cases: session fixation, CSRF, expired and disabled sessions, login
# throttling, token revocation, parameter tampering and the quota race.
#
# 查重 (POST /api/v1/check) reports matches in paid parts to everyone and
# their text only to the entitled.
#
# Two test documents carry unique strings in their paid parts (one paid
# part in the middle, one running to the end) and in their free parts; a
# third has free text after its paid part that lies under paid headings.
# Every caller's answers are also checked for paid section headings
# (withheld unless entitled). Last, the oracle attack: paid text rebuilt
# one character at a time from search totals ("…X" | "…Y" | … with
# limit=0, halving), from one address, from many addresses and as a free
# user, must learn no more than the daily allowances allow.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools
export SUCAI_PWHASH_FAST=1 # cheap Argon2id limits: test suites only

PAID_A=紫霞流光七号 # in the middle paid part of doc A
PAID_B=金桂飘香八号 # in the paid part of doc B, which runs to the end
FREE_A=青松明月     # free part of doc A
FREE_B=白鹭晴川     # free part of doc B

mkdir -p "$T_TMP/docs"
cat >"$T_TMP/docs/关于加强素材管理工作的通知.txt" <<EOF
关于加强素材管理工作的通知

各单位：
为进一步加强素材管理工作，现将有关事项通知如下。本段公开内容${FREE_A}。

一、总体要求
坚持规范管理，提高工作质量，确保素材安全。
##paidbegin##
二、重点任务
（一）建立素材台账。这是付费独家内容${PAID_A}，只有会员可以阅读。
（二）加强日常检查。定期开展督查，发现问题及时整改。
##paidend##
三、工作要求
各单位要高度重视，抓好落实，确保各项任务按时完成。

XX市XX局
2024年3月1日
EOF
cat >"$T_TMP/docs/XX区2023年素材工作总结.txt" <<EOF
XX区2023年素材工作总结

2023年，我区素材工作取得新进展。公开部分写有${FREE_B}。

一、主要做法
（一）完善制度。制定素材管理办法，规范工作流程。
##paidbegin##
（二）创新方式。付费部分的独家经验${PAID_B}，供会员参考。

二、下一步打算
继续深化改革，推动素材工作再上新台阶。

XX区XX办
2023年12月20日
EOF

PAID_C=锦绣河山万里长 # the paid text the attack goes after (doc C)
FREE_C=碧水蓝天     # free text of doc C, after its paid part, under paid headings
cat >"$T_TMP/docs/XX县2024年素材工作要点.txt" <<EOF
XX县2024年素材工作要点

一、总体思路
坚持问题导向，公开部分写到春风化雨##paidbegin##${PAID_C}，后面都是会员内容。
二、核心举措
（一）付费章节标题甲
付费部分的正文内容。
##paidend##
继续落实上述举措，公开的收尾段落${FREE_C}。
EOF

LIB=$(new_library lib)
s() { "$SUCAI" -L "$LIB" "$@"; }
t_ok "library" s init
t_ok "import the paid test documents" s import --quiet "$T_TMP/docs"
A=$(s list --json | jq '.[] | select(.title | contains("素材管理工作的通知")) | .id')
B=$(s list --json | jq '.[] | select(.title | contains("素材工作总结")) | .id')
C=$(s list --json | jq '.[] | select(.title | contains("素材工作要点")) | .id')
t_ok "doc A has a paid part in the middle" test "$(s list --json | jq ".[] | select(.id == $A) | .paid_to")" -gt 0
t_ok "doc B has a paid part to the end" test "$(s list --json | jq ".[] | select(.id == $B) | .paid_from")" -gt 0
t_ok "doc C has a paid part in the middle" test "$(s list --json | jq ".[] | select(.id == $C) | .paid_to")" -gt 0

adduser() { # NAME TIER [ARGS]
    local n=$1 t=$2; shift 2
    echo "pass-$n-word" | s user add "$n" --tier "$t" "$@" >/dev/null
}
adduser fay free
adduser vic vip --days 30
adduser sam svip
adduser eve free --role editor
adduser ada free --role admin
adduser old vip --days 30
adduser dis vip
adduser bru vip
adduser qr free
adduser exp vip
# an expired vip (the tier ended ten seconds ago)
if have_lib_sql; then
    lib_sql "$LIB" "UPDATE users SET tier_expires = $(date +%s) - 10 WHERE name = 'old'"
    HAVE_SQLITE=1
else
    HAVE_SQLITE=
fi
# the matrix takes many downloads; the quota race below sets its own limit
s user quota free 1000 >/dev/null
s user quota vip 1000 >/dev/null
s user quota svip 1000 >/dev/null
for t in anonymous free vip svip; do s user check-quota $t 1000 >/dev/null; done
# ... and many searches: the attack at the end sets its own allowances
s config paid.free 100000 >/dev/null
s config paid.anon 100000 >/dev/null
s config paid.anon_all 100000 >/dev/null
TOK_VIC=$(s token create vic | awk '{w=$NF} END {print w}')
TOK_REV=$(s token create sam | awk '{w=$NF} END {print w}')
TOK_DIS=$(s token create dis | awk '{w=$NF} END {print w}')

start_server "$LIB" || { echo "not ok - server start"; exit 1; }

enc() { jq -rn --arg s "$1" '$s | @uri'; }
has() { grep -q -- "$1" "$T_TMP/body" && echo 1 || echo 0; }

declare -A CSRF
# login NAME [PASSWORD]: sets ST (the status), the cookie jar $T_TMP/jar.NAME
# and CSRF[NAME]. Not to be run in a subshell (it sets variables).
login() {
    local n=$1 pw=${2:-pass-$1-word}
    ST=$(req POST /api/v1/session -c "$T_TMP/jar.$n" -H 'Content-Type: application/json' \
        --data "$(jq -cn --arg n "$n" --arg p "$pw" '{name: $n, password: $p}')")
    if [ "$ST" = 200 ]; then CSRF[$n]=$(jbody .csrf); fi
}

login vic
st=$ST
if [ "$st" = 501 ]; then
    echo "not ok - login: the server answers 501 (the members functions are not linked in)"
    t_done; exit 1
fi
t_eq "login vic" 200 "$st"
t_eq "login response carries the principal" "vic vip true" "$(jbody '"\(.user) \(.tier) \(.entitled)"')"
t_ok "session cookie is HttpOnly" grep -qi '^Set-Cookie: sucai_session=[0-9a-f]\{64\};.*HttpOnly' "$T_TMP/headers"
t_ok "session cookie has SameSite" grep -qi '^Set-Cookie: sucai_session=.*SameSite=\(Lax\|Strict\)' "$T_TMP/headers"
for n in fay sam eve ada old dis exp qr; do
    login "$n"
    t_eq "login $n" 200 "$ST"
done

# curl arguments that make a request as WHO
as() {
    case $1 in
    anon) AS=() ;;
    tok_vic) AS=(-H "Authorization: Bearer $TOK_VIC") ;;
    tok_rev) AS=(-H "Authorization: Bearer $TOK_REV") ;;
    tok_dis) AS=(-H "Authorization: Bearer $TOK_DIS") ;;
    *) AS=(-b "$T_TMP/jar.$1" -H "X-CSRF-Token: ${CSRF[$1]}") ;;
    esac
}

# revoke sam's token and disable dis (its session and token) before the matrix
s token revoke "$TOK_REV" >/dev/null
s user disable dis >/dev/null

# who: entitled to paid text? may download?
WHO=(anon fay vic sam eve ada old tok_vic tok_rev dis tok_dis)
declare -A ENT=([anon]=0 [fay]=0 [vic]=1 [sam]=1 [eve]=1 [ada]=1 [old]=0 [tok_vic]=1 [tok_rev]=0 [dis]=0 [tok_dis]=0)
declare -A DL=([anon]=0 [fay]=1 [vic]=1 [sam]=1 [eve]=1 [ada]=1 [old]=1 [tok_vic]=1 [tok_rev]=0 [dis]=0 [tok_dis]=0)
[ -n "$HAVE_SQLITE" ] || { ENT[old]=1; }

nsec_a=$(curl -s "$BASE/api/v1/docs/$A" | jq '.outline | length')
nsec_b=$(curl -s "$BASE/api/v1/docs/$B" | jq '.outline | length')

for w in "${WHO[@]}"; do
    as "$w"
    e=${ENT[$w]}
    want_ent=$([ "$e" = 1 ] && echo true || echo false)
    t_eq "$w: /me 200" 200 "$(req GET /api/v1/me "${AS[@]}")"
    t_eq "$w: /me entitled" "$want_ent" "$(jbody .entitled)"

    for mode in doc para; do
        t_eq "$w: search $mode (paid A) 200" 200 "$(req GET "/api/v1/search?q=$(enc 紫霞流光)&mode=$mode" "${AS[@]}")"
        t_eq "$w: search $mode finds the paid match (search is for all)" 1 "$(jbody .total)"
        t_eq "$w: search $mode paid text A present iff entitled" "$e" "$(has "$PAID_A")"
        t_eq "$w: search $mode (paid B) 200" 200 "$(req GET "/api/v1/search?q=$(enc 金桂飘香)&mode=$mode" "${AS[@]}")"
        t_eq "$w: search $mode paid text B present iff entitled" "$e" "$(has "$PAID_B")"
        t_eq "$w: search $mode (free A) 200" 200 "$(req GET "/api/v1/search?q=$(enc "$FREE_A")&mode=$mode&limit=100" "${AS[@]}")"
        t_eq "$w: search $mode free snippet served" 1 "$(jq -r '.hits[].snippets[].text // empty' "$T_TMP/body" | grep -c "$FREE_A" | awk '{print ($1 > 0)}')"
        [ "$e" = 0 ] && t_eq "$w: search $mode free query leaks no paid text" 0 "$(has "$PAID_A")"
        # a broad query touching both parts of both documents
        req GET "/api/v1/search?q=$(enc 素材)&mode=$mode&limit=100" "${AS[@]}" >/dev/null
        [ "$e" = 0 ] && t_eq "$w: search $mode broad query leaks no paid text" "0 0" "$(has "$PAID_A") $(has "$PAID_B")"
    done
    t_eq "$w: count-only search 200" 200 "$(req GET "/api/v1/search?q=$(enc 紫霞流光)&limit=0" "${AS[@]}")"
    t_eq "$w: counts for all" 1 "$(jbody .total)"

    t_eq "$w: list 200" 200 "$(req GET "/api/v1/docs?limit=100" "${AS[@]}")"
    t_eq "$w: list shows titles" 3 "$(jbody '.docs | length')"
    t_eq "$w: list has no paid text" "0 0" "$(has "$PAID_A") $(has "$PAID_B")"

    for d in A B; do
        id=${!d}
        pv=PAID_$d; fv=FREE_$d
        t_eq "$w: reader $d 200" 200 "$(req GET "/api/v1/docs/$id" "${AS[@]}")"
        t_eq "$w: reader $d paid text iff entitled" "$e" "$(has "${!pv}")"
        t_eq "$w: reader $d free text" 1 "$(has "${!fv}")"
        t_eq "$w: reader $d locked iff not entitled" "$([ "$e" = 1 ] && echo false || echo true)" "$(jbody .locked)"
        n=$([ $d = A ] && echo "$nsec_a" || echo "$nsec_b")
        got=0
        for i in $(seq 0 $((n - 1))); do
            req GET "/api/v1/docs/$id/sections/$i" "${AS[@]}" >/dev/null
            [ "$(has "${!pv}")" = 1 ] && got=1
        done
        t_eq "$w: sections of $d hold paid text iff entitled" "$e" "$got"
    done

    # 查重 of a draft that copies the start of A's paid sentence: an entitled
    # caller sees the match (title, section path, paid: true, the source's
    # text); anyone else is checked against the text it may see, so the
    # stretch is no span for it, and it learns only that A's paid part holds
    # something of the draft (paid_only: one bit, while its allowance lasts),
    # not where, how much, or under which paid heading
    st=$(req POST /api/v1/check "${AS[@]}" -H 'Content-Type: application/json' \
        --data "$(jq -cn --arg t "稿件中写道：（一）建立素材台账。这是付费独家内容${PAID_A}" '{text: $t}')")
    t_eq "$w: check 200" 200 "$st"
    t_eq "$w: check reports the paid match iff entitled" "$e" "$(jq '[.spans[].sources[] | select(.paid)] | length | if . > 0 then 1 else 0 end' "$T_TMP/body")"
    t_eq "$w: check names the paid source iff entitled" "$e" "$(jq '[.spans[].sources[] | select(.paid and (.title | contains("素材管理工作的通知")) and (.section | length > 0) and (.text | length > 0))] | length | if . > 0 then 1 else 0 end' "$T_TMP/body")"
    t_eq "$w: check counts copying from paid text iff entitled" "$e" "$(jq '.copied > 0 | if . then 1 else 0 end' "$T_TMP/body")"
    t_eq "$w: check: paid parts readable iff entitled" "$e" "$(jq '.paid_parts.readable | if . then 1 else 0 end' "$T_TMP/body")"
    t_eq "$w: check: a paid-only document iff not entitled" "$((1 - e))" "$(jq "[.paid_only[] | select(.id == $A)] | length" "$T_TMP/body")"
    t_eq "$w: check: the paid section's heading iff entitled" "$e" "$(has 重点任务)"
    t_eq "$w: check: the matcher's counts iff entitled" "$e" "$(jq 'has("stats") | if . then 1 else 0 end' "$T_TMP/body")"
    t_eq "$w: check leaks nothing of the paid part beyond the draft" 0 "$(has 只有会员可以阅读)"
    t_eq "$w: check report (docx) 200" 200 "$(req POST /api/v1/check "${AS[@]}" -H 'Content-Type: application/json' \
        --data "$(jq -cn --arg t "稿件中写道：（一）建立素材台账。这是付费独家内容${PAID_A}" '{text: $t, format: "docx"}')")"
    if command -v unzip >/dev/null; then
        t_eq "$w: check report leaks nothing beyond the draft" 0 "$(unzip -p "$T_TMP/body" word/document.xml | grep -c 只有会员可以阅读)"
    fi

    # the 写作台's other endpoints answer with the caller's own drafts only
    printf '我的稿件：（一）建立素材台账。\n' >"$T_TMP/mine.txt"
    t_eq "$w: draft upload 200" 200 "$(req POST /api/v1/draft "${AS[@]}" -F "file=@$T_TMP/mine.txt")"
    t_eq "$w: draft upload is the caller's text, nothing else" "0 1" "$(has "$PAID_A") $(has 我的稿件)"
    t_eq "$w: compare two drafts 200" 200 "$(req POST /api/v1/check/compare "${AS[@]}" -H 'Content-Type: application/json' \
        --data "$(jq -cn --arg a "甲：这是付费独家内容${PAID_A}的开头" --arg b "乙：这是付费独家内容${PAID_A}" '{text: $a, other: $b}')")"
    t_eq "$w: compare leaks nothing of the library's paid part" 0 "$(has 只有会员可以阅读)"
    # paid section headings: in the reader's outline, its sections, search paths
    req GET "/api/v1/docs/$A" "${AS[@]}" >/dev/null
    t_eq "$w: outline A: paid headings iff entitled" "$e $e" "$(has 重点任务) $(has 建立素材台账)"
    t_eq "$w: outline A: free headings for all" "1 1" "$(has 总体要求) $(has 工作要求)"
    t_eq "$w: outline A: counts the paid sections iff not entitled" \
        "$([ "$e" = 1 ] && echo null || echo 3)" "$(jbody '.paid_sections')"
    req GET "/api/v1/docs/$B" "${AS[@]}" >/dev/null
    t_eq "$w: outline B: paid headings iff entitled" "$e $e" "$(has 创新方式) $(has 下一步打算)"
    req GET "/api/v1/docs/$C" "${AS[@]}" >/dev/null
    t_eq "$w: outline C: paid headings iff entitled" "$e $e" "$(has 核心举措) $(has 付费章节标题甲)"
    nc=$(jbody '.outline | length')
    got=0
    for i in $(seq 0 $((nc - 1))); do
        req GET "/api/v1/docs/$C/sections/$i" "${AS[@]}" >/dev/null
        [ "$(has 核心举措)$(has 付费章节标题甲)$(has "$PAID_C")" != 000 ] && got=1
    done
    t_eq "$w: sections of C show paid headings or text iff entitled" "$e" "$got"
    t_eq "$w: the caller's outline is all there is" 404 "$(req GET "/api/v1/docs/$C/sections/$nc" "${AS[@]}")"
    for mode in doc para; do
        req GET "/api/v1/search?q=$(enc "$FREE_C")&mode=$mode" "${AS[@]}" >/dev/null
        t_eq "$w: search $mode free text under paid headings found" 1 "$(jbody .total)"
        t_eq "$w: search $mode section paths name paid headings iff entitled" "$e $e" \
            "$(has 核心举措) $(has 付费章节标题甲)"
        req GET "/api/v1/search?q=$(enc 素材)&mode=$mode&limit=100" "${AS[@]}" >/dev/null
        [ "$e" = 0 ] && t_eq "$w: search $mode broad query: no paid headings" "0 0 0 0" \
            "$(has 重点任务) $(has 创新方式) $(has 核心举措) $(has 下一步打算)"
    done

    for fmt in txt md docx; do
        st=$(req POST /api/v1/compile "${AS[@]}" -H 'Content-Type: application/json' \
            --data "{\"ids\": [$A, $B], \"format\": \"$fmt\"}")
        if [ "${DL[$w]}" = 0 ]; then
            t_eq "$w: compile $fmt refused" 401 "$st"
            t_eq "$w: compile $fmt refusal has no paid text" "0 0" "$(has "$PAID_A") $(has "$PAID_B")"
            continue
        fi
        t_eq "$w: compile $fmt 200" 200 "$st"
        if [ $fmt = docx ]; then
            unzip -p "$T_TMP/body" word/document.xml >"$T_TMP/doc.xml" 2>/dev/null
            text=$(sed 's/<[^>]*>//g' "$T_TMP/doc.xml")
        else
            text=$(cat "$T_TMP/body")
        fi
        t_eq "$w: compile $fmt paid text iff entitled" "$e $e" \
            "$(grep -c "$PAID_A" <<<"$text" | awk '{print ($1 > 0)}') $(grep -c "$PAID_B" <<<"$text" | awk '{print ($1 > 0)}')"
        t_eq "$w: compile $fmt free text" "1 1" \
            "$(grep -c "$FREE_A" <<<"$text" | awk '{print ($1 > 0)}') $(grep -c "$FREE_B" <<<"$text" | awk '{print ($1 > 0)}')"
    done
    # the writer's tools read the caller's own text only: open to all, no library text
    frag="${PAID_A:0:2}"
    for ep in proof mask fill; do
        body=$(jq -cn --arg t "请大家来来看看${frag}，联系人：XX同志。" \
            '{text: $t} + (if "'$ep'" == "fill" then {profile: {person: "张明"}} else {} end)')
        t_eq "$w: $ep 200" 200 "$(req POST "/api/v1/$ep" "${AS[@]}" -H 'Content-Type: application/json' --data "$body")"
        t_eq "$w: $ep has no library text" "0 0" "$(has "$PAID_A") $(has "$PAID_B")"
    done
    # one document, by query (the "export" of a single document)
    st=$(req POST /api/v1/compile "${AS[@]}" -H 'Content-Type: application/json' \
        --data "{\"query\": \"紫霞流光\", \"format\": \"txt\"}")
    if [ "${DL[$w]}" = 1 ]; then
        t_eq "$w: compile by query 200" 200 "$st"
        t_eq "$w: compile by query paid text iff entitled" "$e" "$(has "$PAID_A")"
    else
        t_eq "$w: compile by query refused" 401 "$st"
    fi
done

# ---- the daily library: updates, feeds, suggestions, 提纲, saved searches,
# favourites, history, cart. Lists and feeds never carry paid text, for
# anyone; 提纲 leaves out the headings of paid parts for those not entitled;
# the shelf needs an account.
PAID_D=银杏紫檀九号 # in the paid part of doc D, imported after the searches are saved
FREE_D=丹枫迎秋
declare -A ACCT=([anon]=0 [fay]=1 [vic]=1 [sam]=1 [eve]=1 [ada]=1 [old]=1 [tok_vic]=1 [tok_rev]=0 [dis]=0 [tok_dis]=0)
for w in fay vic; do
    as "$w"
    t_eq "$w: save a search on the paid words of a coming document" 201 \
        "$(req POST /api/v1/watches "${AS[@]}" -H 'Content-Type: application/json' --data "{\"query\": \"银杏紫檀 | $FREE_D\"}")"
    t_eq "$w: save a search on its paid words alone" 201 \
        "$(req POST /api/v1/watches "${AS[@]}" -H 'Content-Type: application/json' --data '{"query": "银杏紫檀", "name": "paid words"}')"
done
mkdir -p "$T_TMP/docs2"
printf '%s\n' "XX区2024年素材管理工作总结" "" "今年以来素材工作稳步推进，公开部分写有${FREE_D}。" "##paidbegin##" \
    "一、付费独家做法" "具体经验是${PAID_D}，仅供会员阅读。" "##paidend##" >"$T_TMP/docs2/XX区2024年素材管理工作总结.txt"
t_ok "import doc D with a paid part" s import --quiet "$T_TMP/docs2"
D=$(s list --json | jq '.[] | select(.title | contains("素材管理工作总结")) | .id')
GA=$(s list --json | jq -r ".[] | select(.id == $A) | .genre")
GD=$(s list --json | jq -r ".[] | select(.id == $D) | .genre")
nopaid() { echo "$(has "$PAID_A") $(has "$PAID_B") $(has "$PAID_D")"; }
for w in "${WHO[@]}"; do
    as "$w"
    e=${ENT[$w]}
    t_eq "$w: updates 200" 200 "$(req GET '/api/v1/updates?limit=100' "${AS[@]}")"
    t_eq "$w: updates carry no paid text" "0 0 0" "$(nopaid)"
    t_eq "$w: updates show the free opening" 1 "$(has "$FREE_D")"
    t_eq "$w: the updates feed 200" 200 "$(req GET '/api/v1/feeds/updates' "${AS[@]}")"
    t_eq "$w: the feed carries no paid text" "0 0 0" "$(nopaid)"
    t_eq "$w: suggest 200" 200 "$(req GET "/api/v1/suggest?q=$(enc 素材)&limit=50" "${AS[@]}")"
    t_eq "$w: suggestions carry no paid text" "0 0 0" "$(nopaid)"
    t_eq "$w: outline-stats 200" 200 "$(req GET "/api/v1/outline-stats?genre=$(enc "$GA")&headings=100" "${AS[@]}")"
    t_eq "$w: 提纲 shows the paid part's heading iff entitled" "$e" "$(has 重点任务)"
    t_eq "$w: 提纲 carries no paid body text" "0 0 0" "$(nopaid)"
    req GET "/api/v1/outline-stats?genre=$(enc "$GD")&headings=100" "${AS[@]}" >/dev/null
    t_eq "$w: 提纲 of C's genre: its paid heading iff entitled" "$e" "$(has 付费独家做法)"
    t_eq "$w: near duplicates 200" 200 "$(req GET "/api/v1/docs/$A/near" "${AS[@]}")"
    t_eq "$w: near: no paid text" "0 0 0" "$(nopaid)"
    if [ "${ACCT[$w]}" = 0 ]; then
        for p in /api/v1/watches /api/v1/favorites /api/v1/history /api/v1/cart; do
            t_eq "$w: $p needs an account" 401 "$(req GET "$p" "${AS[@]}")"
        done
        t_eq "$w: cannot save a search" 401 "$(req POST /api/v1/watches "${AS[@]}" -H 'Content-Type: application/json' --data '{"query": "x"}')"
        t_eq "$w: cannot keep a favourite" 401 "$(req POST /api/v1/favorites "${AS[@]}" -H 'Content-Type: application/json' --data "{\"doc\": $A}")"
        continue
    fi
    t_eq "$w: favourite A" 200 "$(req POST /api/v1/favorites "${AS[@]}" -H 'Content-Type: application/json' --data "{\"doc\": $A}")"
    t_eq "$w: favourites 200" 200 "$(req GET /api/v1/favorites "${AS[@]}")"
    t_eq "$w: favourites carry no paid text" "0 0 0" "$(nopaid)"
    req GET "/api/v1/docs/$B" "${AS[@]}" >/dev/null
    t_eq "$w: history 200" 200 "$(req GET /api/v1/history "${AS[@]}")"
    t_eq "$w: history lists B, no paid text" "1 0 0 0" "$(jbody "[.items[].id] | index($B) != null | if . then 1 else 0 end") $(nopaid)"
    t_eq "$w: cart set" 200 "$(req POST /api/v1/cart "${AS[@]}" -H 'Content-Type: application/json' --data "{\"ids\": [$A, $B, $D]}")"
    t_eq "$w: cart carries no paid text" "0 0 0" "$(nopaid)"
    t_eq "$w: watches 200" 200 "$(req GET /api/v1/watches "${AS[@]}")"
    wid=$(jbody '.watches[0].id // empty')
    if [ -n "$wid" ]; then
        t_eq "$w: the saved search found C" 200 "$(req GET "/api/v1/watches/$wid" "${AS[@]}")"
        t_eq "$w: C among its matches" 1 "$(jbody "[.hits[].id] | index($D) != null | if . then 1 else 0 end")"
        t_eq "$w: matches carry no paid text" "0 0 0" "$(nopaid)"
        t_eq "$w: its feed" 201 "$(req POST "/api/v1/watches/$wid/feed" "${AS[@]}")"
        url=$(jbody .url)
        t_eq "$w: the feed 200" 200 "$(req GET "$url")"
        t_eq "$w: the private feed carries no paid text (vip or not)" "0 0 0" "$(nopaid)"
        t_eq "$w: but the free opening" 1 "$(has "$FREE_D")"
    fi
    # a saved search is matched in its owner's view: words found only in a
    # paid part match for an owner who may read it, for no one else (no
    # oracle on paid text, whatever the owner saves)
    pwid=$(req GET /api/v1/watches "${AS[@]}" >/dev/null; jbody '.watches[] | select(.name == "paid words") | .id')
    if [ -n "$pwid" ]; then
        req GET "/api/v1/watches/$pwid" "${AS[@]}" >/dev/null
        t_eq "$w: a saved search on paid words alone finds D iff entitled" "$e" "$(jbody "[.hits[].id] | index($D) != null | if . then 1 else 0 end")"
    elif [ "$w" = fay ] || [ "$w" = vic ]; then
        t_ok "$w: the saved search on paid words is listed" false
    fi
done

# ---- parameter tampering: nothing leaks, bad values are refused ----
for w in anon fay; do
    as "$w"
    for q in "offset=-1" "offset=99999999999999999999" "limit=100000" "limit=-5" "limit=1e3" "offset=0x10"; do
        t_eq "$w: search $q refused" 400 "$(req GET "/api/v1/search?q=$(enc 金桂飘香)&$q" "${AS[@]}")"
        t_eq "$w: search $q leaks nothing" 0 "$(has "$PAID_B")"
        t_eq "$w: list $q refused" 400 "$(req GET "/api/v1/docs?$q" "${AS[@]}")"
    done
    t_eq "$w: entitled=1 in the query is ignored" 0 \
        "$(req GET "/api/v1/search?q=$(enc 金桂飘香)&entitled=1&all_entitled=1" "${AS[@]}" >/dev/null; has "$PAID_B")"
    t_eq "$w: doc ?entitled=1 is ignored" 0 "$(req GET "/api/v1/docs/$A?entitled=1" "${AS[@]}" >/dev/null; has "$PAID_A")"
    for p in "sections/-1" "sections/99999" "sections/1x"; do
        st=$(req GET "/api/v1/docs/$A/$p" "${AS[@]}")
        t_ok "$w: docs/A/$p refused ($st)" test "$st" = 404 -o "$st" = 400
        t_eq "$w: docs/A/$p leaks nothing" 0 "$(has "$PAID_A")"
    done
    t_eq "$w: huge doc id" 404 "$(req GET "/api/v1/docs/99999999999999999999" "${AS[@]}")"
done
as fay
t_eq "free: compile with \"entitled\": true in the body still withholds" 0 \
    "$(req POST /api/v1/compile "${AS[@]}" -H 'Content-Type: application/json' \
        --data "{\"ids\": [$A], \"format\": \"txt\", \"entitled\": true}" >/dev/null; has "$PAID_A")"
t_eq "compile ids [-1] refused" 400 "$(req POST /api/v1/compile "${AS[@]}" -H 'Content-Type: application/json' --data '{"ids": [-1]}')"
t_eq "compile limit 100000 refused" 400 "$(req POST /api/v1/compile "${AS[@]}" -H 'Content-Type: application/json' --data '{"query": "素材", "limit": 100000}')"

# ---- session fixation ----
planted=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
t_eq "a planted cookie is anonymous" null "$(req GET /api/v1/me -b "sucai_session=$planted" >/dev/null; jbody .user)"
st=$(req POST /api/v1/session -b "sucai_session=$planted" -H 'Content-Type: application/json' \
    --data '{"name": "vic", "password": "pass-vic-word"}')
t_eq "login with a planted cookie" 200 "$st"
newsid=$(tr -d '\r' <"$T_TMP/headers" | sed -n 's/^[Ss]et-[Cc]ookie: sucai_session=\([0-9a-f]*\);.*/\1/p')
t_ok "login sets a fresh session id" test -n "$newsid" -a "$newsid" != "$planted"
t_eq "the planted cookie is still anonymous after login" null "$(req GET /api/v1/me -b "sucai_session=$planted" >/dev/null; jbody .user)"
t_eq "the new cookie is vic" vic "$(req GET /api/v1/me -b "sucai_session=$newsid" >/dev/null; jbody .user)"

# ---- CSRF ----
cmp() { req POST /api/v1/compile -H 'Content-Type: application/json' --data "{\"ids\": [$A], \"format\": \"txt\"}" "$@"; }
t_eq "compile with cookie, no CSRF token: 403" 403 "$(cmp -b "$T_TMP/jar.vic")"
t_eq "the 403 says csrf" csrf "$(jbody .error.code)"
t_eq "compile with a wrong CSRF token: 403" 403 "$(cmp -b "$T_TMP/jar.vic" -H "X-CSRF-Token: ${CSRF[sam]}")"
t_eq "compile with a garbage CSRF token: 403" 403 "$(cmp -b "$T_TMP/jar.vic" -H "X-CSRF-Token: x")"
t_eq "compile with the right CSRF token: 200" 200 "$(cmp -b "$T_TMP/jar.vic" -H "X-CSRF-Token: ${CSRF[vic]}")"
t_eq "bearer tokens need no CSRF token" 200 "$(cmp -H "Authorization: Bearer $TOK_VIC")"
t_eq "/me repeats the session's CSRF token" "${CSRF[vic]}" "$(req GET /api/v1/me -b "$T_TMP/jar.vic" >/dev/null; jbody .csrf)"
t_eq "logout without CSRF token: 403" 403 "$(req DELETE /api/v1/session -b "$T_TMP/jar.sam")"
t_eq "... and the session lives on" sam "$(req GET /api/v1/me -b "$T_TMP/jar.sam" >/dev/null; jbody .user)"
t_eq "logout with CSRF token" 200 "$(req DELETE /api/v1/session -b "$T_TMP/jar.sam" -H "X-CSRF-Token: ${CSRF[sam]}")"
t_eq "after logout the cookie is anonymous" null "$(req GET /api/v1/me -b "$T_TMP/jar.sam" >/dev/null; jbody .user)"
t_eq "after logout the reader withholds" 0 "$(req GET "/api/v1/docs/$A" -b "$T_TMP/jar.sam" >/dev/null; has "$PAID_A")"

# ---- expired session ----
if [ -n "$HAVE_SQLITE" ]; then
    t_eq "exp is logged in" exp "$(req GET /api/v1/me -b "$T_TMP/jar.exp" >/dev/null; jbody .user)"
    lib_sql "$LIB" \
        "UPDATE sessions SET seen = seen - 8 * 86400 WHERE user_id = (SELECT id FROM users WHERE name = 'exp')"
    t_eq "an idle-expired session is anonymous" null "$(req GET /api/v1/me -b "$T_TMP/jar.exp" >/dev/null; jbody .user)"
    t_eq "an expired session reads no paid text" 0 "$(req GET "/api/v1/docs/$A" -b "$T_TMP/jar.exp" >/dev/null; has "$PAID_A")"
    t_eq "an expired session cannot download" 401 "$(cmp -b "$T_TMP/jar.exp" -H "X-CSRF-Token: ${CSRF[exp]}")"
else
    t_skip "expired session" "no sqlite3 shell"
fi

# ---- disabled user ----
login dis
t_eq "disabled user cannot log in" 403 "$ST"
t_eq "disabled: says so (after the right password)" account_disabled "$(jbody .error.code)"
login dis wrong-password
t_eq "disabled user with a wrong password: the generic answer" 401 "$ST"
s user enable dis >/dev/null
t_eq "re-enabled: old session stays ended" null "$(req GET /api/v1/me -b "$T_TMP/jar.dis" >/dev/null; jbody .user)"
t_eq "re-enabled: token works again" dis "$(req GET /api/v1/me -H "Authorization: Bearer $TOK_DIS" >/dev/null; jbody .user)"

# ---- login throttling ----
login bru wrong-password
t_eq "wrong password" 401 "$ST"
msg_wrong=$(jbody .error.message)
login nosuchuser wrong-password
t_eq "unknown user" 401 "$ST"
t_eq "same message for an unknown user and a wrong password" "$msg_wrong" "$(jbody .error.message)"
for i in 2 3 4 5; do login bru wrong-password; done
login bru wrong-password
t_eq "sixth attempt throttled" 429 "$ST"
t_ok "Retry-After given" test "$(header Retry-After)" -ge 1
login bru
t_eq "throttled even with the right password" 429 "$ST"
t_eq "throttle message" "too many attempts" "$(jbody .error.message | cut -c1-17)"
# an attacker elsewhere cannot lock a member out: guesses for sam from
# other addresses are throttled there; sam at home gets in
for a in 127.0.0.2 127.0.0.3 127.0.0.4; do
    for i in 1 2 3 4 5 6 7; do
        st=$(req POST /api/v1/session --interface "$a" -H 'Content-Type: application/json' \
            --data '{"name": "sam", "password": "wrong-password"}')
    done
    t_eq "guessing sam from $a is throttled there" 429 "$st"
done
t_eq "... with the right password too, from there" 429 \
    "$(req POST /api/v1/session --interface 127.0.0.2 -H 'Content-Type: application/json' --data '{"name": "sam", "password": "pass-sam-word"}')"
login sam
t_eq "sam from home is not locked out" 200 "$ST"

# ---- token revocation (while the server runs) ----
t_eq "token before revocation" vic "$(req GET /api/v1/me -H "Authorization: Bearer $TOK_VIC" >/dev/null; jbody .user)"
s token revoke "$TOK_VIC" >/dev/null
t_eq "revoked token is anonymous" null "$(req GET /api/v1/me -H "Authorization: Bearer $TOK_VIC" >/dev/null; jbody .user)"
t_eq "revoked token reads no paid text" 0 "$(req GET "/api/v1/docs/$A" -H "Authorization: Bearer $TOK_VIC" >/dev/null; has "$PAID_A")"
t_eq "revoked token cannot download" 401 "$(cmp -H "Authorization: Bearer $TOK_VIC")"
t_eq "a malformed bearer token is anonymous" null "$(req GET /api/v1/me -H "Authorization: Bearer sct_zz" >/dev/null; jbody .user)"

# ---- tier change while logged in ----
s user set-tier fay vip >/dev/null
t_eq "tier change applies to the live session" 1 "$(req GET "/api/v1/docs/$A" -b "$T_TMP/jar.fay" >/dev/null; has "$PAID_A")"
s user set-tier fay free >/dev/null
t_eq "and back" 0 "$(req GET "/api/v1/docs/$A" -b "$T_TMP/jar.fay" >/dev/null; has "$PAID_A")"

# ---- the quota race: 8 parallel downloads, 3 allowed ----
s user quota free 3 >/dev/null
pids=()
for i in 1 2 3 4 5 6 7 8; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -X POST "$BASE/api/v1/compile" \
        -b "$T_TMP/jar.qr" -H "X-CSRF-Token: ${CSRF[qr]}" -H 'Content-Type: application/json' \
        --data "{\"ids\": [$A], \"format\": \"txt\"}" >"$T_TMP/race.$i" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
codes=$(cat "$T_TMP"/race.* | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')
t_eq "parallel downloads: exactly the quota succeed" "200x3 429x5 " "$codes"
t_eq "no downloads left" 0 "$(req GET /api/v1/me -b "$T_TMP/jar.qr" >/dev/null; jbody .downloads_left)"
t_eq "the next one is refused" 429 "$(cmp -b "$T_TMP/jar.qr" -H "X-CSRF-Token: ${CSRF[qr]}")"

# ---- the audit log saw it ----
audit=$(s audit --json --limit 100000)
for a in login login_failed login_refused logout download download_refused; do
    t_eq "audit has $a" 1 "$(jq "[.[] | select(.action == \"$a\")] | length > 0 | if . then 1 else 0 end" <<<"$audit")"
done
t_eq "audit records the client address" 1 "$(jq '[.[] | select(.action == "login" and .addr == "127.0.0.1")] | length > 0 | if . then 1 else 0 end' <<<"$audit")"
t_eq "audit holds no password" 0 "$(grep -c -e 'pass-[a-z]*-word' -e wrong-password <<<"$audit")"

stop_server
t_eq "clean shutdown" 0 "$SERVER_EXIT"

# ---- the oracle: paid text rebuilt from search totals ----
# Doc C's free text ends 春风化雨 and its paid part goes on ${PAID_C}. The
# attacker extends the known text: for candidate next characters it asks
# "风化雨X1" | "风化雨X2" | … (title= isolates the document, limit=0) and
# keeps the half whose total is not 0. 32 candidates: 5 answers a character.
# A fresh library, so that the allowances below start from nothing.
ALPHA=(锦 绣 河 山 万 里 长 春 秋 冬 夏 东 南 西 北 中 金 木 水 火 土 日 月 星 天 地 人 和 风 云 雷 电)
ALIB=$(new_library alib)
"$SUCAI" -L "$ALIB" init >/dev/null
"$SUCAI" -L "$ALIB" import --quiet "$T_TMP/docs" >/dev/null
echo "pass-fay-word" | "$SUCAI" -L "$ALIB" user add fay --tier free >/dev/null
echo "pass-vic-word" | "$SUCAI" -L "$ALIB" user add vic --tier vip >/dev/null
echo "pass-gus-word" | "$SUCAI" -L "$ALIB" user add gus --tier free >/dev/null
"$SUCAI" -L "$ALIB" config paid.anon 20 >/dev/null
"$SUCAI" -L "$ALIB" config paid.anon_all 45 >/dev/null
"$SUCAI" -L "$ALIB" config paid.free 25 >/dev/null
start_server "$ALIB" || { echo "not ok - attack server start"; exit 1; }
login fay
login vic
login gus

# 查重 answers that may depend on paid text take one from the allowance each
# (gus has 25): a paid-only document is named, one bit; a draft too short
# to match anything takes nothing
gck() { req POST /api/v1/check -b "$T_TMP/jar.gus" -H "X-CSRF-Token: ${CSRF[gus]}" -H 'Content-Type: application/json' --data "$(jq -cn --arg t "$1" '{text: $t}')"; }
t_eq "check by a free account: a paid-only document, one answer taken" "200 true 1 24" \
    "$(gck "写到春风化雨${PAID_C}，后面都是会员内容。") $(jbody '"\(.paid_parts.searched) \(.paid_only | length) \(.paid_parts.left)"')"
t_eq "... the next takes another" "200 23" "$(gck "春风化雨${PAID_C}，后面都是会员内容。") $(jbody .paid_parts.left)"
t_eq "... a draft shorter than a match takes none" "200 23 0" "$(gck "春风化雨") $(jbody '"\(.paid_parts.left) \(.paid_only | length)"')"

# attack ADDR... : prints how many characters of PAID_C it recovered, one
# caller spread over the addresses given in turn ("fay" or "vic": that
# session, from 127.0.0.1). ASKED (requests) is left in $T_TMP/asked.
attack() {
    local addrs=("$@") ctx="风化雨" right=0 asked=0 step n h i q st a
    local cand
    for step in $(seq 0 $((${#PAID_C} - 1))); do
        cand=("${ALPHA[@]}")
        n=${#cand[@]}
        while [ "$n" -gt 1 ]; do
            h=$((n / 2))
            q=""
            for ((i = 0; i < h; i++)); do q+="${q:+ | }\"$ctx${cand[$i]}\""; done
            a=${addrs[$((asked % ${#addrs[@]}))]}
            case $a in
            fay | vic) st=$(req GET "/api/v1/search?q=$(enc "$q")&title=$(enc 素材工作要点)&limit=0" -b "$T_TMP/jar.$a") ;;
            *) st=$(req GET "/api/v1/search?q=$(enc "$q")&title=$(enc 素材工作要点)&limit=0" --interface "$a") ;;
            esac
            asked=$((asked + 1))
            [ "$st" = 200 ] || break 2
            if [ "$(jbody .total)" -gt 0 ]; then
                cand=("${cand[@]:0:$h}"); n=$h
            else
                cand=("${cand[@]:$h}"); n=$((n - h))
            fi
        done
        [ "${cand[0]}" = "${PAID_C:$step:1}" ] || break
        right=$((right + 1))
        ctx="${ctx:1}${cand[0]}"
    done
    echo "$asked" >"$T_TMP/asked"
    echo "$right"
}

got=$(attack 127.0.0.2)
echo "# one address: $got of ${#PAID_C} characters in $(cat "$T_TMP/asked") requests"
t_ok "attack from one address learns at most its allowance (20 answers: 4 characters, +1 guessed): got $got" test "$got" -le 5
t_eq "past the allowance the answer says paid parts were not searched" "false" "$(jbody .paid_parts.searched)"
t_ok "... and why" test -n "$(jbody '.paid_parts.note // empty')"
req GET "/api/v1/search?q=$(enc "风化雨${PAID_C:0:1}")&title=$(enc 素材工作要点)&limit=0" --interface 127.0.0.2 >/dev/null
t_eq "past the allowance a paid match counts nothing" 0 "$(jbody .total)"
req GET "/api/v1/search?q=$(enc 春风化雨)&limit=0" --interface 127.0.0.2 >/dev/null
t_eq "... while free text still matches" 1 "$(jbody .total)"
addrs=()
for i in $(seq 3 40); do addrs+=("127.0.0.$i"); done
got=$(attack "${addrs[@]}")
echo "# 38 addresses: $got of ${#PAID_C} characters in $(cat "$T_TMP/asked") requests"
t_ok "changing addresses does not multiply it (45 for all visitors, 20 of them spent): got $got" test "$got" -le 6
req GET "/api/v1/search?q=$(enc "风化雨${PAID_C:0:1}")&title=$(enc 素材工作要点)&limit=0" --interface 127.0.0.99 >/dev/null
t_eq "a new address finds the visitors' allowance used up" "0 false" "$(jbody '"\(.total) \(.paid_parts.searched)"')"
got=$(attack fay)
echo "# a free account: $got of ${#PAID_C} characters in $(cat "$T_TMP/asked") requests"
t_ok "a free account learns at most its allowance (25 answers: 5 characters, +1 guessed): got $got" test "$got" -le 6
t_eq "the free account's answer says so" "false" "$(jbody .paid_parts.searched)"
got=$(attack vic)
t_eq "an entitled caller is not limited (it reads the text anyway)" "${#PAID_C}" "$got"
t_eq "... and its answers count paid text" "true true" "$(jbody '"\(.paid_parts.searched) \(.paid_parts.readable)"')"
# 查重 takes from the same allowances: a draft that runs from C's free text
# into its paid part, past the allowance, is checked on the free text alone
# and names no document's paid part
draft="坚持问题导向，公开部分写到春风化雨${PAID_C}，后面都是会员内容。"
free_part="坚持问题导向，公开部分写到春风化雨"
ck() { req POST /api/v1/check "$@" -H 'Content-Type: application/json' --data "$(jq -cn --arg t "$draft" '{text: $t}')"; }
t_eq "check past the visitors' allowance 200" 200 "$(ck --interface 127.0.0.98)"
t_eq "... paid parts not searched, no paid-only document, the free stretch copied" "false 0 ${#free_part}" \
    "$(jbody '"\(.paid_parts.searched) \(.paid_only | length) \(.copied)"')"
t_ok "... and why" test -n "$(jbody '.paid_parts.note // empty')"
t_eq "... no source text from the paid part" 0 "$(jbody --arg p "${PAID_C:2:3}" '[.spans[].sources[].text] | join("") | contains($p) | if . then 1 else 0 end')"
t_eq "check by the free account past its allowance: the same" "200 false 0 ${#free_part}" \
    "$(ck -b "$T_TMP/jar.fay" -H "X-CSRF-Token: ${CSRF[fay]}") $(jbody '"\(.paid_parts.searched) \(.paid_only | length) \(.copied)"')"
t_eq "check by the entitled: the whole copied stretch, paid, with its text" "200 true 1 1" \
    "$(ck -b "$T_TMP/jar.vic" -H "X-CSRF-Token: ${CSRF[vic]}") $(jbody --arg p "${PAID_C:2:3}" '"\(.paid_parts.readable) \([.spans[].sources[] | select(.paid)] | length) \([.spans[].sources[].text] | join("") | contains($p) | if . then 1 else 0 end)"')"
stop_server
t_done
