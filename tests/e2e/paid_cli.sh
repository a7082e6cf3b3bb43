#!/usr/bin/env bash
# End-to-end: the paid part at the command line. `sucai show --free` in
# every form (text, outline, JSON) withholds the paid text and the paid
# section headings; `sucai search` without --entitled answers as a reader
# who may not read paid text would be answered (paid parts found, not
# counted or shown); `sucai config` lists, sets and refuses settings.
source "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/stores.sh"
L=$(new_library lib)
s() { "$SUCAI" -L "$L" "$@"; }
mkdir -p "$T_TMP/docs"
cat >"$T_TMP/docs/paid.txt" <<'EOF'
XX县2024年素材工作要点

一、总体思路
坚持问题导向，公开部分写到这里##paidbegin##付费独家内容紫霞流光。
二、核心举措
（一）付费章节标题甲
付费部分的正文内容。
##paidend##
三、工作要求
公开的收尾段落青松明月。
EOF
t_ok "init" s init
t_ok "import" s import --quiet "$T_TMP/docs"

out=$(s show 1 --free --text)
t_eq "show --free --text: no paid text" 0 "$(grep -c -e 紫霞流光 -e 付费部分的正文 <<<"$out")"
t_eq "show --free --text: the free text" 2 "$(grep -c -e 公开部分写到这里 -e 青松明月 <<<"$out")"
t_eq "show --free --text: no paid heading" 0 "$(grep -c -e 核心举措 -e 付费章节标题甲 <<<"$out")"
t_eq "show --free --text: says what is withheld" 1 "$(grep -c '^withheld:' <<<"$out")"
out=$(s show 1 --text)
t_eq "show --text (the operator) has it all" 2 "$(grep -c -e 紫霞流光 -e 付费部分的正文 <<<"$out")"
out=$(s show 1 --free --outline)
t_eq "show --free --outline: free headings" 2 "$(grep -c -e 总体思路 -e 工作要求 <<<"$out")"
t_eq "show --free --outline: no paid heading" 0 "$(grep -c -e 核心举措 -e 付费章节标题甲 <<<"$out")"
t_eq "show --free --outline: counts them" 1 "$(grep -c '付费部分另有 2 个章节' <<<"$out")"
out=$(s show 1 --free --json)
t_eq "show --free --json: locked, 2 paid sections, no paid heading" "true 2 0" \
    "$(jq -r '"\(.locked) \(.paid_sections)"' <<<"$out") $(grep -c 核心举措 <<<"$out")"

t_ok "config lists the settings" bash -c "s() { \"$SUCAI\" -L \"$L\" \"\$@\"; }; s config | grep -q '^paid.headings *0'"
t_ok "config paid.headings 1" s config paid.headings 1
out=$(s show 1 --free --outline)
t_eq "teaser: paid headings shown" 2 "$(grep -c -e 核心举措 -e 付费章节标题甲 <<<"$out")"
out=$(s show 1 --free --text)
t_eq "teaser: the paid text still withheld" 0 "$(grep -c 紫霞流光 <<<"$out")"
t_ok "config paid.headings 0" s config paid.headings 0
t_eq "config --json" 0 "$(s config --json | jq '."paid.headings"')"
out=$(s config paid.headings 2 2>&1); rc=$?
t_eq "config: a bad value is refused" "2 1" "$rc $(grep -c 'paid.headings takes a whole number from 0 to 1' <<<"$out")"
out=$(s config paid.nothing 1 2>&1); rc=$?
t_eq "config: an unknown key is refused" "2 1" "$rc $(grep -c "no setting 'paid.nothing'" <<<"$out")"
out=$(s config paid.anon 2>&1); rc=$?
t_eq "config: KEY without VALUE is a usage error" 2 "$rc"
t_eq "config changes are audited" 1 "$(s audit --json | jq '[.[] | select(.action == "setting")] | length > 0 | if . then 1 else 0 end')"

out=$(s search --json 紫霞流光)
t_eq "search (a reader who may not read paid text): found in the paid part" "1 true null 0" \
    "$(jq -r '"\(.total) \(.hits[0].paid_only) \(.hits[0].count) \(.hits[0].snippets | length)"' <<<"$out")"
t_eq "search: no paid text" 0 "$(grep -c 紫霞流光 <<<"$(jq -c .hits <<<"$out")")"
out=$(s search 紫霞流光)
t_eq "search (human): says where it was found" 1 "$(grep -c 'found in the paid part' <<<"$out")"
out=$(s search --json --entitled 紫霞流光)
t_eq "search --entitled: the paid text" "1 false 1" \
    "$(jq -r '"\(.total) \(.hits[0].paid_only)"' <<<"$out") $(grep -c 紫霞流光 <<<"$out")"
out=$(s search --json --para 青松明月)
t_eq "search --para: free text's section path" "三、工作要求" "$(jq -r '.hits[0].section' <<<"$out")"
out=$(for i in $(seq 1 50); do echo 紫霞流光; done | s search --batch --count)
t_eq "the command line counts nothing (50 answers, all found)" 50 "$(grep -c '^1$' <<<"$out")"
t_done
