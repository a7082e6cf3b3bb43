#!/usr/bin/env bash
# The writer's tools over HTTP: POST /api/v1/proof, /api/v1/mask,
# /api/v1/mask/restore and /api/v1/fill on the caller's own text: the JSON
# contract (code-point offsets), a byte-exact restore, and the refusals
# (not JSON, no text, unknown kinds, a bad profile, a map that does not fit,
# the wrong media type).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools

LIB=$(new_library lib)
t_ok "fixture library" http_library "$LIB"
start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; }
J='Content-Type: application/json'

# ---- proof ----
draft='关于做好2024年防汛工作的通知（衡发改粮调[2023]13号）\n一、总体要求\n二、主要任务\n四、保障措施\n各级D组织要加加强领导,截止目前其它事项另行通知。\n市发展和改革委员会\n2023年09月08日\n'
jq -n --arg t "$(printf "$draft")" '{text: $t}' >"$T_TMP/proof.json"
t_eq "proof answers 200" 200 "$(req POST /api/v1/proof -H "$J" --data-binary @"$T_TMP/proof.json")"
for k in doc_number numbering_gap filter_artefact doubled_char punct_width confusable date_format; do
    t_ok "proof finds $k" test "$(jbody "[.findings[] | select(.kind == \"$k\")] | length")" -ge 1
done
t_eq "offsets are code points" "[2023]13号" "$(jbody '.findings[] | select(.kind == "doc_number") | .text')"
start=$(jbody '.findings[] | select(.kind == "doc_number") | .start')
t_eq "start counts characters" "[2023]13号" "$(jq -r --argjson s "$start" '.text[$s:$s+9]' "$T_TMP/proof.json")"
t_ok "each finding has a rule and a severity" test "$(jbody '[.findings[] | select((.rule | length) > 0 and (.severity | IN("error","warning","info")))] | length')" = "$(jbody '.findings | length')"
t_eq "the suggestion of the 发文字号" "〔2023〕13号" "$(jbody '.findings[] | select(.kind == "doc_number") | .suggestion')"
t_eq "kinds limit the rules" 200 "$(req POST /api/v1/proof -H "$J" --data-binary "$(jq -c '. + {kinds: ["doc_number"]}' "$T_TMP/proof.json")")"
t_eq "only doc_number" doc_number "$(jbody '[.findings[].kind] | unique | join(",")')"
t_eq "unknown kind is 400" 400 "$(req POST /api/v1/proof -H "$J" --data-binary '{"text": "x", "kinds": ["spelling"]}')"
t_ok "the error names the kind" grep -q spelling "$T_TMP/body"
t_eq "no text is 400" 400 "$(req POST /api/v1/proof -H "$J" --data-binary '{"kinds": "placeholder"}')"
t_eq "not JSON is 400" 400 "$(req POST /api/v1/proof -H "$J" --data-binary 'text=abc')"
t_eq "wrong media type is 415" 415 "$(req POST /api/v1/proof -H 'Content-Type: text/plain' --data-binary 'abc')"
t_eq "GET is 405" 405 "$(req GET /api/v1/proof)"

# ---- mask and restore ----
orig='联系人：李晓燕，联系电话17526461788。当事人刘志强，公民身份号码440305197001130360，在广东省惠州市工作。\n第二行 邮箱 dangzhengban616@example.com\n'
jq -n --arg t "$(printf "$orig")" '{text: $t, distinct: true}' >"$T_TMP/mask.json"
t_eq "mask answers 200" 200 "$(req POST /api/v1/mask -H "$J" --data-binary @"$T_TMP/mask.json")"
cp "$T_TMP/body" "$T_TMP/map.json"
for k in person phone idcard place email; do
    t_ok "mask finds $k" test "$(jbody "[.spans[] | select(.kind == \"$k\")] | length")" -ge 1
done
t_ok "the masked text has no phone number" bash -c "! jq -r .text '$T_TMP/map.json' | grep -q 17526461788"
t_eq "two persons, two placeholders" "XX YY" "$(jbody '[.spans[] | select(.kind == "person") | .replacement] | join(" ")')"
t_eq "originals sit at their offsets" true "$(jq --slurpfile m "$T_TMP/map.json" '.text as $t | [$m[0].spans[] | $t[.start:.end] == .original] | all' "$T_TMP/mask.json")"
jq -c '{map: .}' "$T_TMP/map.json" >"$T_TMP/restore.json"
t_eq "restore answers 200" 200 "$(req POST /api/v1/mask/restore -H "$J" --data-binary @"$T_TMP/restore.json")"
t_eq "restore is exact" "$(jq -r .text "$T_TMP/mask.json")" "$(jbody .text)"
jq -c '{map: ., text: (.text + "多")}' "$T_TMP/map.json" >"$T_TMP/restore2.json"
t_eq "restore of an edited text with its map: still 200" 200 "$(req POST /api/v1/mask/restore -H "$J" --data-binary @"$T_TMP/restore2.json")"
jq -c '{map: ., text: ("前" + .text)}' "$T_TMP/map.json" >"$T_TMP/restore3.json"
t_eq "a map that does not fit is 400" 400 "$(req POST /api/v1/mask/restore -H "$J" --data-binary @"$T_TMP/restore3.json")"
t_ok "the error says where" grep -q "span 0" "$T_TMP/body"
t_eq "restore without a map is 400" 400 "$(req POST /api/v1/mask/restore -H "$J" --data-binary '{"text": "x"}')"
t_eq "mask kinds: unknown is 400" 400 "$(req POST /api/v1/mask -H "$J" --data-binary '{"text": "x", "kinds": "persons"}')"
t_eq "mask numbers on request" 200 "$(req POST /api/v1/mask -H "$J" --data-binary '{"text": "全年完成投资1,200万元，增长16.03%。", "kinds": "number"}')"
t_eq "the figures" "1,200 16.03" "$(jbody '[.spans[].original] | join(" ")')"

# ---- fill ----
t_eq "fill answers 200" 200 "$(req POST /api/v1/fill -H "$J" --data-binary '{"text": "XX发改委关于XX区XX工作的通知\n联系人：XX同志\nXXXX年XX月XX日", "profile": {"unit": "海淀区发改委", "place": "海淀区", "person": "张明", "date": "2024年5月8日"}}')"
t_eq "filled text" "海淀区发改委关于海淀区XX工作的通知
联系人：张明同志
2024年5月8日" "$(jbody .text)"
t_eq "one slot left" 1 "$(jbody .unfilled)"
t_eq "its kind is unknown" unknown "$(jbody '[.slots[] | select(.value == null) | .kind][0]')"
t_eq "profile with an unknown key is 400" 400 "$(req POST /api/v1/fill -H "$J" --data-binary '{"text": "XX局", "profile": {"company": "x"}}')"
t_ok "the error names the key" grep -q company "$T_TMP/body"
t_eq "profile not an object is 400" 400 "$(req POST /api/v1/fill -H "$J" --data-binary '{"text": "XX局", "profile": "海淀区"}')"

stop_server
t_eq "clean shutdown" 0 "$SERVER_EXIT"
t_done
