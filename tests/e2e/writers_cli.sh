#!/usr/bin/env bash
# sucai proof / mask / fill from the command line: text and JSON output,
# the labelled samples of ../shared (when present), the byte-identical
# mask round trip, and the refusals (missing file, unknown kind, bad
# profile, a map that does not fit) with messages naming the input.
. "$(dirname "$0")/../lib/testlib.sh"

D="$T_TMP/draft.txt"
printf '关于做好防汛工作的通知\n一、总体要求\n二、主要任务\n四、保障措施\n各级D组织要加加强领导,截止目前其它事项另行通知。\n（衡发改粮调[2023]13号）\n市发展和改革委员会\n2023年09月08日\n' >"$D"

t_ok "proof runs" "$SUCAI" proof "$D"
out=$("$SUCAI" proof "$D")
t_ok "text output names file, line and column" grep -q "^$D:4:1: warning: numbering_gap" <<<"$out"
t_ok "text output shows the suggestion" grep -q "→ 〔2023〕13号" <<<"$out"
"$SUCAI" proof --json "$D" >"$T_TMP/p.json"
t_eq "json has every kind of the draft" "confusable date_format doc_number doubled_char filter_artefact numbering_gap punct_width" \
    "$(jq -r '[.findings[].kind] | unique | join(" ")' "$T_TMP/p.json")"
t_eq "json offsets are code points" "D" "$(jq -r '.findings[] | select(.kind == "filter_artefact") | .text' "$T_TMP/p.json")"
t_eq "stdin works" "$(jq -c . "$T_TMP/p.json")" "$("$SUCAI" proof --json - <"$D" | jq -c .)"
t_eq "--kinds filters" placeholder,doc_number "$("$SUCAI" proof --json --kinds placeholder,doc_number "$D" | jq -r '[.findings[].kind] | unique | join(",")' | sed 's/^doc_number$/placeholder,doc_number/')"
t_eq "unknown kind: usage error" 2 "$("$SUCAI" proof --kinds spelling "$D" >/dev/null 2>"$T_TMP/err"; echo $?)"
t_ok "the message names the kind" grep -q "'spelling'" "$T_TMP/err"
t_eq "missing file: exit 2" 2 "$("$SUCAI" proof "$T_TMP/nope.txt" >/dev/null 2>"$T_TMP/err"; echo $?)"
t_ok "the message names the file" grep -q "nope.txt" "$T_TMP/err"
t_ok "proof --help" bash -c "'$SUCAI' proof --help | grep -q 'GB/T 9704-2012'"
printf '\xff\xfe\x41\x00' >"$T_TMP/u16.txt"
t_eq "UTF-16 is decoded" 0 "$("$SUCAI" proof "$T_TMP/u16.txt" >/dev/null 2>&1; echo $?)"

if [ -n "$SUCAI_SHARED" ] && [ -d "$SUCAI_SHARED/corpus/writers/proof" ]; then
    s="$SUCAI_SHARED/corpus/writers/proof"
    got=$(python3 "$REPO/bench/writers/score_proof.py" "$s" "$SUCAI" | awk '$1 == "micro" {print ($2 >= 0.98 && $3 >= 0.95)}')
    t_eq "labelled proof sample: micro precision >= 0.98, recall >= 0.95" 1 "$got"
    m="$SUCAI_SHARED/corpus/writers/mask"
    got=$(python3 "$REPO/bench/writers/score_mask.py" "$m" "$SUCAI" | awk '$1 == "phone" || $1 == "idcard" || $1 == "email" || $1 == "plate" {ok += ($2 == 1.000)} END {print ok}')
    t_eq "labelled mask sample: structured recall 1.00" 4 "$got"
    t_ok "labelled mask sample: text intact" bash -c "python3 '$REPO/bench/writers/score_mask.py' '$m' '$SUCAI' | grep -q 'intact outside spans: 8/8'"
else
    t_skip "labelled samples" "../shared is absent"
fi

# ---- mask ----
M="$T_TMP/m.txt"
printf '联系人：李晓燕，联系电话17526461788。\r\n在广东省惠州市，当事人刘志强\t身份证440305197001130360\n末行没有换行' >"$M"
"$SUCAI" mask --map "$T_TMP/map.json" "$M" >"$T_TMP/masked.txt"
t_ok "masked text has no phone" bash -c "! grep -q 17526461788 '$T_TMP/masked.txt'"
t_ok "masked text keeps the rest" grep -q "联系人：XX，联系电话XX。" "$T_TMP/masked.txt"
"$SUCAI" mask --restore "$T_TMP/map.json" "$T_TMP/masked.txt" >"$T_TMP/back.txt"
t_ok "restore is byte-identical" cmp "$M" "$T_TMP/back.txt"
"$SUCAI" mask --json --distinct "$M" >"$T_TMP/m.json"
"$SUCAI" mask --restore "$T_TMP/m.json" >"$T_TMP/back2.txt"
t_ok "restore from the --json answer alone" cmp "$M" "$T_TMP/back2.txt"
t_eq "two persons, two placeholders" "XX YY" "$(jq -r '[.spans[] | select(.kind == "person") | .replacement] | join(" ")' "$T_TMP/m.json")"
t_eq "numbers are opt-in" 0 "$(jq '[.spans[] | select(.kind == "number")] | length' "$T_TMP/m.json")"
t_eq "--kinds number" "1,200" "$(printf '投资1,200万元' | "$SUCAI" mask --json --kinds number - | jq -r '.spans[0].original')"
printf 'x%s' "$(cat "$T_TMP/masked.txt")" >"$T_TMP/edited.txt"
t_eq "a map that does not fit: exit 1" 1 "$("$SUCAI" mask --restore "$T_TMP/map.json" "$T_TMP/edited.txt" >/dev/null 2>"$T_TMP/err"; echo $?)"
t_ok "the message says which span" grep -q "span 0" "$T_TMP/err"
t_eq "unknown kind: usage error" 2 "$("$SUCAI" mask --kinds persons "$M" >/dev/null 2>&1; echo $?)"

# ---- fill ----
printf '{"unit": "海淀区发改委", "place": "海淀区", "person": "张明", "date": "2024年5月8日"}' >"$T_TMP/profile.json"
printf 'XX发改委关于做好XX区XX工作的通知\n联系人：XX同志\nXXXX年XX月XX日\n' >"$T_TMP/tpl.txt"
t_eq "fill" "海淀区发改委关于做好海淀区XX工作的通知
联系人：张明同志
2024年5月8日" "$("$SUCAI" fill --profile "$T_TMP/profile.json" "$T_TMP/tpl.txt" 2>"$T_TMP/err")"
t_ok "the slot left is reported" grep -q 'slot "XX" (unknown) left as it is' "$T_TMP/err"
t_eq "fill --json lists the slots" "unit place unknown person date" \
    "$("$SUCAI" fill --json --profile "$T_TMP/profile.json" "$T_TMP/tpl.txt" | jq -r '[.slots[].kind] | join(" ")')"
printf '{"company": "x"}' >"$T_TMP/bad.json"
t_eq "bad profile: exit 2" 2 "$("$SUCAI" fill --profile "$T_TMP/bad.json" "$T_TMP/tpl.txt" >/dev/null 2>"$T_TMP/err"; echo $?)"
t_ok "the message names the profile and the key" grep -q 'bad.json.*company' "$T_TMP/err"
t_eq "fill without --profile: usage" 2 "$("$SUCAI" fill "$T_TMP/tpl.txt" >/dev/null 2>&1; echo $?)"
t_done
